/*
 * read-records: reads a raw audit log (procsim --records) with libauparse
 * and prints one line per record:
 *
 *   serial=N time=SEC.MSEC type=NAME [op=..] [opid=..] [contid=..] ...
 *
 * with the fields op, opid, contid, old-contid, capcontid, old-capcontid,
 * record, syscall, a0, a1 and OBJ_PID's oauid, ouid, oses and ocomm in the
 * order the record has them.  check-records.sh builds
 * the same lines from the raw text and compares.
 *
 * NAME is libauparse's name for the record's type number when it knows
 * one, else the type as the line spells it: Debian 12's libauparse does
 * not know CONTAINER_OP, SET_CAPCONTID or CONTAINER_ID (the patches were
 * never merged, and current Linux headers give 1336 to AUDIT_URINGOP), and
 * it then makes every such record an event of its own.  Where it
 * knows the number it must be the one docs/semantics.md section 8 gives
 * the name.
 */
#include <auparse.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int number;
} spec_types[] = {
	{ "CONTAINER_OP", 1020 },
	{ "SET_CAPCONTID", 1022 },
	{ "SYSCALL", 1300 },
	{ "OBJ_PID", 1318 },
	{ "NETFILTER_PKT", 1324 },
	{ "CONTAINER_ID", 1336 },
};

static const char *const wanted[] = {
	"op", "opid", "contid", "old-contid", "capcontid", "old-capcontid",
	"record", "syscall", "a0", "a1", "oauid", "ouid", "oses", "ocomm",
};

static int spec_number(const char *name)
{
	for (size_t i = 0; i < sizeof(spec_types) / sizeof(spec_types[0]); i++)
		if (strcmp(spec_types[i].name, name) == 0)
			return spec_types[i].number;
	return -1;
}

static int is_wanted(const char *field)
{
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (strcmp(wanted[i], field) == 0)
			return 1;
	return 0;
}

/* The record's own "type" field, as written on the line. */
static const char *type_as_written(auparse_state_t *au)
{
	if (auparse_first_field(au) <= 0)
		return NULL;
	do {
		const char *name = auparse_get_field_name(au);
		if (name && strcmp(name, "type") == 0)
			return auparse_get_field_str(au);
	} while (auparse_next_field(au) > 0);
	return NULL;
}

static int print_record(auparse_state_t *au, unsigned *unknown_types)
{
	const char *written = type_as_written(au);
	const char *known = auparse_get_type_name(au);
	int number = auparse_get_type(au);
	const char *type = known ? known : written;

	if (!type) {
		fprintf(stderr, "read-records: line %u: record without a type\n",
			auparse_get_line_number(au));
		return -1;
	}
	if (!known)
		(*unknown_types)++;
	else if (number != spec_number(type)) {
		fprintf(stderr, "read-records: line %u: libauparse reads type %s as %d, "
			"docs/semantics.md says %d\n", auparse_get_line_number(au), type,
			number, spec_number(type));
		return -1;
	}

	printf("serial=%lu time=%ld.%03u type=%s", auparse_get_serial(au),
	       (long)auparse_get_time(au), auparse_get_milli(au), type);
	if (auparse_first_field(au) > 0) {
		do {
			const char *name = auparse_get_field_name(au);
			if (name && is_wanted(name))
				printf(" %s=%s", name, auparse_get_field_str(au));
		} while (auparse_next_field(au) > 0);
	}
	putchar('\n');
	return 0;
}

int main(int argc, char **argv)
{
	unsigned records = 0, events = 0, unknown_types = 0;
	int status = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: read-records FILE\n");
		return 2;
	}
	auparse_state_t *au = auparse_init(AUSOURCE_FILE, argv[1]);
	if (!au) {
		perror("read-records: auparse_init");
		return 1;
	}
	int r;
	while ((r = auparse_next_event(au)) > 0) {
		events++;
		do {
			records++;
			if (print_record(au, &unknown_types) < 0)
				status = 1;
		} while (auparse_next_record(au) > 0);
	}
	if (r < 0) {
		fprintf(stderr, "read-records: auparse_next_event failed\n");
		status = 1;
	}
	auparse_destroy(au);
	if (fflush(stdout) != 0 || ferror(stdout))
		status = 1;
	fprintf(stderr, "read-records: %u records in %u events, %u of a type "
		"libauparse has no name for\n", records, events, unknown_types);
	return status;
}
