/*
 * docs/semantics.md section 8: how records name things: a task's comm and
 * exe (cut, quoted or hex-encoded) and the record types (numbers, names,
 * and the type the callback is given).  Whole lines are compared, under the
 * conventions listed at the top of test-records.c.
 */
#include <stdio.h>
#include <string.h>

#include "test-helpers.h"
#include "test-suites.h"

/* ------------------------------------------------------------- names */

START_TEST(test_records_name_comm_cut_to_15_exe_whole)
{
	struct test_world *tw = tw_new();

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	ck_assert_int_eq(contid_task_set_name(tw->w, 2, "orchestrator-daemon"), 0);
	fork_expect(tw->w, 2, 0, 3);                      /* op 2: inherits */
	tw_records_clear(tw);
	set_ok(tw->w, 2, 3, 100);                         /* op 3, serial 1 */
	ck_assert_uint_eq(tw->nrecords, 2);
	ck_assert_str_eq(tw->records[1].line,
		"type=SYSCALL msg=audit(1700000000.002:1): arch=c000003e "
		"syscall=1 success=yes exit=3 a0=3 a1=0 a2=3 a3=0 items=0 "
		"ppid=1 pid=2 auid=4294967295 uid=0 gid=0 euid=0 suid=0 "
		"fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 "
		"comm=\"orchestrator-da\" exe=\"/usr/bin/orchestrator-daemon\" "
		"key=(null)");

	/* op 4: the child inherited the name */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_event(tw->w, 3), 0);
	ck_assert_uint_eq(tw->nrecords, 2);
	ck_assert_str_eq(tw->records[1].line,
		"type=SYSCALL msg=audit(1700000000.003:2): arch=c000003e "
		"syscall=257 success=yes exit=3 a0=ffffff9c a1=0 a2=0 a3=0 "
		"items=0 ppid=2 pid=3 auid=4294967295 uid=0 gid=0 euid=0 "
		"suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) "
		"ses=4294967295 comm=\"orchestrator-da\" "
		"exe=\"/usr/bin/orchestrator-daemon\" key=(null) record=1");
	tw_free(tw);
}
END_TEST

/* Lengths around the 15-byte cut, table-driven. */
START_TEST(test_records_name_comm_lengths)
{
	static const struct {
		const char *name, *comm;
	} t[] = {
		{ "a", "a" },
		{ "abcdefghijklmn", "abcdefghijklmn" },
		{ "abcdefghijklmno", "abcdefghijklmno" },
		{ "abcdefghijklmnop", "abcdefghijklmno" },
		{ "runc.v2-shim_x9", "runc.v2-shim_x9" },
	};
	struct test_world *tw = tw_new();
	struct exp_rec e[1];
	char f[768], want[128];
	unsigned op = 0;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(contid_task_set_name(tw->w, 1, t[i].name), 0);
		tw_records_clear(tw);
		ck_assert_int_eq(contid_event(tw->w, 1), 0);
		op++;
		snprintf(want, sizeof(want), "comm=\"%s\" exe=\"/usr/bin/%s\"",
			 t[i].comm, t[i].name);
		snprintf(f, sizeof(f),
			 "arch=c000003e syscall=257 success=yes exit=3 "
			 "a0=ffffff9c a1=0 a2=0 a3=0 items=0 ppid=0 pid=1 "
			 "auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
			 "egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 "
			 "%s key=(null)", want);
		rec(&e[0], 1300, op, (unsigned)i + 1, f);
		expect(tw, e, 1);
	}
	tw_free(tw);
}
END_TEST

/* A 255-byte name is accepted (exe carries all of it); 0 and 256 are not. */
START_TEST(test_records_name_bounds)
{
	struct test_world *tw = tw_new();
	char name[257], want[400];

	memset(name, 'n', sizeof(name));
	name[256] = '\0';
	ck_assert_int_eq(contid_task_set_name(tw->w, 1, name), -EINVAL);
	ck_assert_int_eq(contid_task_set_name(tw->w, 1, ""), -EINVAL);
	name[255] = '\0';
	ck_assert_int_eq(contid_task_set_name(tw->w, 1, name), 0);
	ck_assert_int_eq(contid_event(tw->w, 1), 0);
	ck_assert_uint_eq(tw->nrecords, 1);
	snprintf(want, sizeof(want),
		 " comm=\"nnnnnnnnnnnnnnn\" exe=\"/usr/bin/%s\" key=(null)", name);
	ck_assert_ptr_nonnull(strstr(tw->records[0].line, want));
	tw_free(tw);
}
END_TEST

/* Names with a byte outside 0x21..0x7e or a '"' print hex-encoded,
 * uppercase, unquoted, as audit logs untrusted strings. */
START_TEST(test_records_name_hex_encoded)
{
	static const struct {
		const char *name, *comm, *exe;
	} t[] = {
		{ "my app", "6D7920617070",
		  "2F7573722F62696E2F6D7920617070" },
		{ "say\"hi", "736179226869",
		  "2F7573722F62696E2F736179226869" },
		{ "container engine", "636F6E7461696E657220656E67696E",
		  "2F7573722F62696E2F636F6E7461696E657220656E67696E65" },
		{ "caf\xc3\xa9", "636166C3A9",
		  "2F7573722F62696E2F636166C3A9" },
		{ "tab\tname", "746162096E616D65",
		  "2F7573722F62696E2F746162096E616D65" },
		{ "ab cdefghijklmnopqr", "616220636465666768696A6B6C6D6E",
		  "2F7573722F62696E2F616220636465666768696A6B6C6D6E6F707172" },
		/* the spec says "mirror what Linux does": audit decides on
		 * each string it logs, so a comm whose 15 bytes are all
		 * printable stays quoted while the exe is encoded */
		{ "abcdefghijklmnop qr", "\"abcdefghijklmno\"",
		  "2F7573722F62696E2F6162636465666768696A6B6C6D6E6F70207172" },
	};
	struct test_world *tw = tw_new();
	char want[400];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(contid_task_set_name(tw->w, 1, t[i].name), 0);
		tw_records_clear(tw);
		ck_assert_int_eq(contid_event(tw->w, 1), 0);
		ck_assert_uint_eq(tw->nrecords, 1);
		snprintf(want, sizeof(want),
			 " ses=4294967295 comm=%s exe=%s key=(null)",
			 t[i].comm, t[i].exe);
		ck_assert_msg(strstr(tw->records[0].line, want) != NULL,
			      "'%s' not in '%s'", want, tw->records[0].line);
	}
	tw_free(tw);
}
END_TEST

/* --------------------------------------------------------- type numbers */

START_TEST(test_records_type_numbers_and_names)
{
	static const struct {
		int type;
		const char *name;
	} t[] = {
		{ 1020, "CONTAINER_OP" },
		{ 1022, "SET_CAPCONTID" },
		{ 1300, "SYSCALL" },
		{ 1318, "OBJ_PID" },
		{ 1324, "NETFILTER_PKT" },
		{ 1336, "CONTAINER_ID" },
	};
	static const int unknown[] = { 0, -1, 1021, 1023, 1299, 1301, 1317,
				       1319, 1325, 1335, 1337, 65535 };

	ck_assert_int_eq(CONTID_RECORD_CONTAINER_OP, 1020);
	ck_assert_int_eq(CONTID_RECORD_SET_CAPCONTID, 1022);
	ck_assert_int_eq(CONTID_RECORD_SYSCALL, 1300);
	ck_assert_int_eq(CONTID_RECORD_OBJ_PID, 1318);
	ck_assert_int_eq(CONTID_RECORD_NETFILTER_PKT, 1324);
	ck_assert_int_eq(CONTID_RECORD_CONTAINER_ID, 1336);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_ptr_nonnull(contid_record_type_name(t[i].type));
		ck_assert_str_eq(contid_record_type_name(t[i].type), t[i].name);
	}
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		ck_assert_ptr_null(contid_record_type_name(unknown[i]));
}
END_TEST

/* Every record of a busy scenario: the callback's type matches the
 * "type=NAME " prefix, and each line has the "msg=audit(" header. */
START_TEST(test_records_callback_type_matches_prefix)
{
	struct test_world *tw = tw_new();
	int seen[6] = { 0 };
	static const int types[6] = { 1020, 1022, 1300, 1318, 1324, 1336 };

	build_nested(tw->w);
	set_ok(tw->w, 4, 5, 200);
	ck_assert_int_eq(contid_signal(tw->w, 4, 5, CONTID_SIG_TERM), 0);
	ck_assert_int_eq(contid_set_capcontid(tw->w, 4, 5, 1), 0);
	ck_assert_int_eq(contid_event(tw->w, 5), 0);
	ck_assert_int_eq(contid_packet(tw->w, 5), 0);
	ck_assert_int_eq(contid_exit(tw->w, 5), 0);
	ck_assert_uint_gt(tw->nrecords, 0);
	for (size_t i = 0; i < tw->nrecords; i++) {
		char want[64];
		size_t k;

		for (k = 0; k < 6; k++)
			if (types[k] == tw->records[i].type)
				break;
		ck_assert_uint_lt(k, 6);
		seen[k] = 1;
		snprintf(want, sizeof(want), "type=%s msg=audit(1700000000.",
			 type_text(tw->records[i].type));
		ck_assert_msg(strncmp(tw->records[i].line, want, strlen(want)) == 0,
			      "'%s' does not start with '%s'",
			      tw->records[i].line, want);
	}
	for (size_t k = 0; k < 6; k++)
		ck_assert_msg(seen[k], "no record of type %d", types[k]);
	tw_free(tw);
}
END_TEST

/* ---------------------------------------------------------------- suite */

Suite *suite_records_names(void)
{
	Suite *s = suite_create("records-names");
	TCase *tc;

	tc = tcase_create("records-names");
	tcase_add_test(tc, test_records_name_comm_cut_to_15_exe_whole);
	tcase_add_test(tc, test_records_name_comm_lengths);
	tcase_add_test(tc, test_records_name_bounds);
	tcase_add_test(tc, test_records_name_hex_encoded);
	suite_add_tcase(s, tc);

	tc = tcase_create("records-types");
	tcase_add_test(tc, test_records_type_numbers_and_names);
	tcase_add_test(tc, test_records_callback_type_matches_prefix);
	suite_add_tcase(s, tc);

	return s;
}
