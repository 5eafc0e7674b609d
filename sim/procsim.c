/*
 * procsim: replays scenario files against libcontid and reports every
 * expectation the rules break.  See procsim(1) and docs/scenarios.md.
 */
#include <contid.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn-dot.h"
#include "scn-run.h"

/* ------------------------------------------------------------ --compare */

/*
 * Each file replayed in a fresh world under each profile libcontid knows,
 * the outcomes side by side.  Every pass parses the file under its own
 * profile (guards, per-profile outcomes and with them name bindings depend
 * on it), so the file is checked under all of them before any of it runs.
 */

struct compare_options {
	FILE *out;       /* the matrix (text) or one JSON object per file */
	bool json;
	FILE *records;   /* --records: every pass's records, or NULL */
};


#ifndef PROCSIM_VERSION
#define PROCSIM_VERSION "unknown"
#endif

struct cell {
	bool ran;
	bool ok;
	char *expected;          /* NULL when it did not run */
	char *outcome;
	char *shown;             /* what the matrix prints */
};

struct row {
	unsigned line;
	char *label;             /* statement without outcome and comment */
	char *text;              /* the line as written */
	struct cell *cells;      /* one per profile */
	bool differ;
};

struct compare {
	const struct compare_options *o;
	const char *path;
	unsigned nprofiles;
	GPtrArray *rows;         /* struct row */
	unsigned profile;        /* the pass being run */
	guint next;              /* the row the next statement fills */
	unsigned *failed;        /* failed expectations per profile */
};

static void row_free(struct row *row, unsigned nprofiles)
{
	g_free(row->label);
	g_free(row->text);
	for (unsigned i = 0; i < nprofiles; i++) {
		g_free(row->cells[i].expected);
		g_free(row->cells[i].outcome);
		g_free(row->cells[i].shown);
	}
	g_free(row->cells);
	g_free(row);
}

/* Rows are operations and checks: profile and config lines are not judged. */
static bool is_row(enum scn_verb verb)
{
	return verb != SCN_PROFILE && verb != SCN_CONFIG_PID_MAX &&
	       verb != SCN_CONFIG_DEPTH_LIMIT && verb != SCN_CONFIG_AUDIT;
}

static char *cell_text(const struct scn_stmt *s, const struct scn_verdict *v)
{
	if (!v->ran)
		return g_strdup("-");
	/* a record check's outcome is the whole record: say only if it matched */
	const char *what = s->verb == SCN_CHECK_RECORD ? (v->ok ? "ok" : "differs")
						       : v->outcome;
	return g_strconcat(what, v->ok ? "" : "!", NULL);
}

static void on_statement(void *data, const struct scn_stmt *s,
			 const struct scn_verdict *v)
{
	struct compare *c = data;

	if (!is_row(s->verb))
		return;
	struct row *row;
	if (c->profile == 0) {
		row = g_new0(struct row, 1);
		row->line = s->line;
		row->label = g_strndup(s->text, s->label_len);
		row->text = g_strndup(s->text, s->text_len);
		row->cells = g_new0(struct cell, c->nprofiles);
		g_ptr_array_add(c->rows, row);
	} else {
		/* every pass yields the same lines: one statement per line */
		g_assert(c->next < c->rows->len);
		row = g_ptr_array_index(c->rows, c->next);
		g_assert(row->line == s->line);
	}
	c->next++;
	struct cell *cell = &row->cells[c->profile];
	cell->ran = v->ran;
	cell->ok = v->ok;
	cell->expected = v->ran && v->judged ? g_strdup(v->expected) : NULL;
	cell->outcome = v->ran && v->judged ? g_strdup(v->outcome) : NULL;
	cell->shown = cell_text(s, v);
}

/* Profiles part ways on a row when the cells that ran show different things. */
static void mark_differences(struct compare *c)
{
	for (guint r = 0; r < c->rows->len; r++) {
		struct row *row = g_ptr_array_index(c->rows, r);
		const char *first = NULL;
		size_t first_len = 0;
		for (unsigned i = 0; i < c->nprofiles; i++) {
			const struct cell *cell = &row->cells[i];
			if (!cell->ran)
				continue;
			/* the '!' of a broken expectation is not a difference */
			size_t len = strlen(cell->shown) - !cell->ok;
			if (!first) {
				first = cell->shown;
				first_len = len;
			} else if (len != first_len || memcmp(first, cell->shown, len) != 0) {
				row->differ = true;
			}
		}
	}
}

/* ------------------------------------------------------------- text */

static void pad(GString *s, size_t width, const char *text)
{
	g_string_append(s, text);
	for (size_t n = (size_t)g_utf8_strlen(text, -1); n < width; n++)
		g_string_append_c(s, ' ');
}

static void print_line(FILE *f, GString *s)
{
	while (s->len && s->str[s->len - 1] == ' ')
		g_string_truncate(s, s->len - 1);
	fprintf(f, "%s\n", s->str);
	g_string_truncate(s, 0);
}

static void print_text(struct compare *c, bool held)
{
	FILE *f = c->o->out;
	size_t label_w = strlen("statement"), line_w = strlen("line");
	size_t *w = g_new0(size_t, c->nprofiles);
	GString *s = g_string_new(NULL);
	char num[16];

	for (unsigned i = 0; i < c->nprofiles; i++)
		w[i] = strlen(scn_profile_name(i));
	for (guint r = 0; r < c->rows->len; r++) {
		struct row *row = g_ptr_array_index(c->rows, r);
		size_t n = (size_t)g_utf8_strlen(row->label, -1);
		label_w = MAX(label_w, n);
		line_w = MAX(line_w, (size_t)snprintf(num, sizeof(num), "%u", row->line));
		for (unsigned i = 0; i < c->nprofiles; i++)
			w[i] = MAX(w[i], (size_t)g_utf8_strlen(row->cells[i].shown, -1));
	}

	fprintf(f, "%s\n", c->path);
	g_string_append(s, "   ");
	pad(s, line_w + 2, "line");
	pad(s, label_w + 2, "statement");
	for (unsigned i = 0; i < c->nprofiles; i++)
		pad(s, w[i] + 2, scn_profile_name(i));
	print_line(f, s);
	for (guint r = 0; r < c->rows->len; r++) {
		struct row *row = g_ptr_array_index(c->rows, r);
		g_string_append(s, row->differ ? "*  " : "   ");
		snprintf(num, sizeof(num), "%u", row->line);
		pad(s, line_w + 2, num);
		pad(s, label_w + 2, row->label);
		for (unsigned i = 0; i < c->nprofiles; i++)
			pad(s, w[i] + 2, row->cells[i].shown);
		print_line(f, s);
	}
	if (held) {
		fprintf(f, "%s: every expectation held under every profile\n", c->path);
	} else {
		g_string_printf(s, "%s: expectations failed under", c->path);
		bool first = true;
		for (unsigned i = 0; i < c->nprofiles; i++) {
			if (!c->failed[i])
				continue;
			g_string_append_printf(s, "%s %s (%u)", first ? "" : ",",
					       scn_profile_name(i), c->failed[i]);
			first = false;
		}
		print_line(f, s);
	}
	g_string_free(s, TRUE);
	g_free(w);
}

/* ------------------------------------------------------------- JSON */

static void json_str(FILE *f, const char *s)
{
	if (s)
		scn_json_string(f, s, strlen(s));
	else
		fputs("null", f);
}

static void print_json(struct compare *c, bool held)
{
	FILE *f = c->o->out;

	fputs("{\"file\":", f);
	json_str(f, c->path);
	fputs(",\"profiles\":[", f);
	for (unsigned i = 0; i < c->nprofiles; i++) {
		fputs(i ? "," : "", f);
		json_str(f, scn_profile_name(i));
	}
	fputs("],\"rows\":[", f);
	for (guint r = 0; r < c->rows->len; r++) {
		struct row *row = g_ptr_array_index(c->rows, r);
		fprintf(f, "%s{\"line\":%u,\"statement\":", r ? "," : "", row->line);
		json_str(f, row->label);
		fputs(",\"text\":", f);
		json_str(f, row->text);
		fprintf(f, ",\"differ\":%s,\"cells\":[", row->differ ? "true" : "false");
		for (unsigned i = 0; i < c->nprofiles; i++) {
			const struct cell *cell = &row->cells[i];
			fputs(i ? ",{\"profile\":" : "{\"profile\":", f);
			json_str(f, scn_profile_name(i));
			fprintf(f, ",\"ran\":%s,\"expected\":", cell->ran ? "true" : "false");
			json_str(f, cell->expected);
			fputs(",\"outcome\":", f);
			json_str(f, cell->outcome);
			fprintf(f, ",\"ok\":%s}", cell->ok ? "true" : "false");
		}
		fputs("]}", f);
	}
	fputs("],\"failed\":{", f);
	for (unsigned i = 0; i < c->nprofiles; i++) {
		fputs(i ? "," : "", f);
		json_str(f, scn_profile_name(i));
		fprintf(f, ":%u", c->failed[i]);
	}
	fprintf(f, "},\"held\":%s}\n", held ? "true" : "false");
}

/* ----------------------------------------------------------- driver */

/*
 * Parses under every profile.  An error that only some profiles see (a
 * name bound only where a fork is expected to succeed, say) names the
 * first of them.
 */
static int check_all(struct compare *c, const char *data, size_t len)
{
	struct scn_error first = { 0 }, err;
	unsigned first_profile = 0, failures = 0;
	bool same = true;

	for (unsigned i = 0; i < c->nprofiles; i++) {
		if (scn_check_data(data, len, scn_profile_name(i), &err) == 0)
			continue;
		if (!failures++) {
			first = err;
			first_profile = i;
		} else if (err.line != first.line || err.column != first.column ||
			   strcmp(err.message, first.message) != 0) {
			same = false;
		}
	}
	if (!failures)
		return 0;
	if (failures < c->nprofiles || !same) {
		size_t n = strlen(first.message);
		snprintf(first.message + n, sizeof(first.message) - n,
			 " (under profile %s)", scn_profile_name(first_profile));
	}
	scn_print_error(c->path, &first);
	return -1;
}

static int compare_file(const char *path, const struct compare_options *o)
{
	struct compare c = { .o = o, .path = path, .nprofiles = scn_profile_count() };
	struct scn_error err;
	char *data = NULL;
	size_t len = 0;

	if (scn_read_file(path, &data, &len, &err) < 0) {
		scn_print_error(path, &err);
		if (!o->json)
			fprintf(o->out, "%s: not run\n", path);
		return 2;
	}
	if (check_all(&c, data, len) < 0) {
		if (!o->json)
			fprintf(o->out, "%s: not run\n", path);
		g_free(data);
		return 2;
	}

	c.rows = g_ptr_array_new();
	c.failed = g_new0(unsigned, c.nprofiles);
	int status = 0;
	for (c.profile = 0; c.profile < c.nprofiles; c.profile++) {
		struct scn_run_options opts = {
			.profile = scn_profile_name(c.profile),
			.statement = on_statement,
			.statement_data = &c,
			.records = o->records,
			.tag_profile = true,
		};
		struct scn_run_result res;
		c.next = 0;
		int s = scn_run_data(path, data, len, &opts, &res);
		c.failed[c.profile] = res.failed;
		status = MAX(status, s);
	}
	mark_differences(&c);
	if (status < 2) {
		bool held = status == 0;
		if (o->json)
			print_json(&c, held);
		else
			print_text(&c, held);
	} else if (!o->json) {
		fprintf(o->out, "%s: not run\n", path);
	}
	for (guint r = 0; r < c.rows->len; r++)
		row_free(g_ptr_array_index(c.rows, r), c.nprofiles);
	g_ptr_array_free(c.rows, TRUE);
	g_free(c.failed);
	g_free(data);
	return status;
}

/* ------------------------------------------------------------------ main */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: procsim [OPTIONS] FILE...\n"
		"       procsim --compare [--format FORMAT] FILE...\n"
		"Replays each scenario FILE in a fresh world and checks its expectations.\n"
		"\n"
		"  --records FILE     write the raw audit log to FILE\n"
		"  --format FORMAT    text (a summary per file, the default) or json\n"
		"                     (one JSON object per statement on standard output)\n"
		"  --profile NAME     rule set for every file (known: %s)\n"
		"  --dot FILE         write a Graphviz graph of each final world to FILE\n"
		"  --compare          replay each FILE under every profile and print the\n"
		"                     outcomes side by side (json: one object per file)\n"
		"  -h, --help         show this help\n"
		"  --version          show the version\n"
		"\n"
		"Exit status: 0 every expectation held (under every profile with\n"
		"--compare), 1 some did not, 2 a file could not be read or parsed, or an\n"
		"option is wrong.\n",
		scn_profiles_text());
}

static FILE *open_output(const char *path, const char *what)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	if (!f)
		fprintf(stderr, "procsim: cannot write %s %s: %s\n", what, path,
			strerror(errno));
	return f;
}

static int close_output(FILE *f, const char *path)
{
	if (!f)
		return 0;
	int bad = ferror(f);
	if (f == stdout)
		bad |= fflush(f) != 0;
	else
		bad |= fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "procsim: error writing %s\n", path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum {
		OPT_RECORDS = 256, OPT_FORMAT, OPT_PROFILE, OPT_DOT, OPT_COMPARE,
		OPT_VERSION,
	};
	static const struct option options[] = {
		{ "records", required_argument, NULL, OPT_RECORDS },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "dot", required_argument, NULL, OPT_DOT },
		{ "compare", no_argument, NULL, OPT_COMPARE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	const char *records_path = NULL, *dot_path = NULL;
	struct scn_run_options opts = { 0 };
	bool json = false, compare = false;
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case OPT_RECORDS:
			records_path = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0) {
				json = true;
			} else if (strcmp(optarg, "text") != 0) {
				fprintf(stderr, "procsim: unknown format '%s' (text, json)\n",
					optarg);
				return 2;
			}
			break;
		case OPT_PROFILE:
			if (!scn_profile_known(optarg)) {
				fprintf(stderr, "procsim: unknown profile '%s' (known: %s)\n",
					optarg, scn_profiles_text());
				return 2;
			}
			opts.profile = optarg;
			break;
		case OPT_DOT:
			dot_path = optarg;
			break;
		case OPT_COMPARE:
			compare = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case OPT_VERSION:
			printf("procsim %s\n", PROCSIM_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "procsim: no scenario file given\n");
		usage(stderr);
		return 2;
	}

	if (compare && (opts.profile || dot_path)) {
		fprintf(stderr, "procsim: --compare runs every profile and takes no "
			"--profile or --dot\n");
		return 2;
	}
	if (records_path && !(opts.records = open_output(records_path, "records")))
		return 2;
	if (compare) {
		struct compare_options co = {
			.out = stdout, .json = json, .records = opts.records,
		};
		int status = 0;
		for (int i = optind; i < argc; i++) {
			if (i > optind && !json)
				putchar('\n');
			int s = compare_file(argv[i], &co);
			status = s > status ? s : status;
		}
		if (close_output(opts.records, records_path) < 0 ||
		    close_output(stdout, "standard output") < 0)
			status = 2;
		return status;
	}
	if (json)
		opts.json = stdout;
	struct scn_dot *dot = NULL;
	FILE *dot_file = NULL;
	if (dot_path) {
		if (!(dot_file = open_output(dot_path, "graph")))
			return 2;
		dot = scn_dot_begin(dot_file);
		opts.final_world = scn_dot_world;
		opts.final_world_data = dot;
	}

	int status = 0;
	unsigned passed = 0, failed = 0;
	for (int i = optind; i < argc; i++) {
		struct scn_run_result res;
		int s = scn_run_file(argv[i], &opts, &res);
		if (s > status)
			status = s;
		if (s == 0)
			passed++;
		else
			failed++;
		if (json)
			continue;
		if (s == 2)
			printf("%s: not run\n", argv[i]);
		else if (res.skipped)
			printf("%s: %u statements (%u not run under %s), %u expectations, "
			       "%u failed\n", argv[i], res.statements, res.skipped,
			       res.profile, res.expectations, res.failed);
		else
			printf("%s: %u statements, %u expectations, %u failed\n", argv[i],
			       res.statements, res.expectations, res.failed);
	}
	if (!json)
		printf("%u passed, %u failed\n", passed, failed);

	if (dot)
		scn_dot_end(dot);
	if (close_output(dot_file, dot_path) < 0 ||
	    close_output(opts.records, records_path) < 0 ||
	    close_output(stdout, "standard output") < 0)
		status = 2;
	return status;
}
