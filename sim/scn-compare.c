/*
 * procsim --compare (scn-compare.h).  Every pass parses the file under its
 * own profile (guards, per-profile outcomes and with them name bindings
 * depend on it), so the file is checked under all of them before any of
 * it runs.  The passes report nothing themselves: the broken expectations
 * are told once all have run, a line for what several profiles broke
 * alike.
 */
#include <stdlib.h>
#include <string.h>

#include "scn-compare.h"
#include "scn-json.h"
#include "scn-profiles.h"
#include "scn-progress.h"
#include "scn-read.h"
#include "scn-run.h"
#include "scn-utf8.h"

struct cell {
	bool ran;
	bool ok;
	char *expected;          /* NULL when it did not run */
	char *outcome;
	const char *rule;        /* what refused the operation (static), */
	const char *reason;      /* or NULL */
	char *shown;             /* what the matrix prints, but for the rule
				  * (--detail) and the '!' of a broken
				  * expectation */
};

struct row {
	unsigned line;
	char *label;             /* statement without outcome and comment */
	char *text;              /* the line as written */
	struct cell *cells;      /* one per profile */
	bool differ;
};

struct compare {
	const struct scn_compare_options *o;
	const char *path;
	unsigned nprofiles;      /* columns */
	const unsigned *column;  /* each column's index in scn_profile_name() */
	struct row **rows;
	size_t nrows, rows_cap;
	unsigned profile;        /* the pass being run */
	size_t next;             /* the row the next statement fills */
	bool out_of_step;        /* a pass saw other statements than the first */
	unsigned *failed;        /* failed expectations per profile */
	size_t ndiffer;          /* rows marked '*' */
};

static const char *column_name(const struct compare *c, unsigned i)
{
	return scn_profile_name(c->column[i]);
}

static void row_free(struct row *row, unsigned nprofiles)
{
	free(row->label);
	free(row->text);
	for (unsigned i = 0; i < nprofiles; i++) {
		free(row->cells[i].expected);
		free(row->cells[i].outcome);
		free(row->cells[i].shown);
	}
	free(row->cells);
	free(row);
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
		return scn_strdup("-");
	/* a record check's outcome is the whole record: say only if it matched */
	bool record = s->verb == SCN_CHECK_RECORD || s->verb == SCN_CHECK_NO_RECORD;
	return scn_strdup(record ? (v->ok ? "ok" : "differs") : v->outcome);
}

static void on_statement(void *data, const struct scn_stmt *s,
			 const struct scn_verdict *v)
{
	struct compare *c = data;

	if (!is_row(s->verb))
		return;
	struct row *row;
	if (c->profile == 0) {
		row = scn_calloc(1, sizeof(*row));
		row->line = s->line;
		row->label = scn_strndup(s->text, s->label_len);
		row->text = scn_strndup(s->text, s->text_len);
		row->cells = scn_calloc(c->nprofiles, sizeof(*row->cells));
		SCN_RESERVE(c->rows, c->rows_cap, c->nrows + 1);
		c->rows[c->nrows++] = row;
	} else {
		/* every pass yields the same lines: one statement per line */
		if (c->next >= c->nrows || c->rows[c->next]->line != s->line) {
			c->out_of_step = true;
			return;
		}
		row = c->rows[c->next];
	}
	c->next++;
	struct cell *cell = &row->cells[c->profile];
	cell->ran = v->ran;
	cell->ok = v->ok;
	cell->expected = v->ran && v->judged ? scn_strdup(v->expected) : NULL;
	cell->outcome = v->ran && v->judged ? scn_strdup(v->outcome) : NULL;
	cell->rule = v->rule;
	cell->reason = v->reason;
	cell->shown = cell_text(s, v);
}

/*
 * Profiles part ways on a row when the cells that ran show different
 * things: neither the '!' of a broken expectation nor the rule --detail
 * adds counts, so the same rows are marked whatever the options.
 */
static void mark_differences(struct compare *c)
{
	for (size_t r = 0; r < c->nrows; r++) {
		struct row *row = c->rows[r];
		const char *first = NULL;
		for (unsigned i = 0; i < c->nprofiles; i++) {
			const struct cell *cell = &row->cells[i];
			if (!cell->ran)
				continue;
			if (!first)
				first = cell->shown;
			else if (strcmp(first, cell->shown) != 0)
				row->differ = true;
		}
		c->ndiffer += row->differ;
	}
}

static bool row_shown(const struct compare *c, const struct row *row)
{
	return !c->o->only_diff || row->differ;
}

/* ----------------------------------------------------- standard error */

/* What a message says a cell's pass got (scn_outcome_text()). */
static void cell_got(struct scn_str *out, const struct cell *cell)
{
	struct scn_verdict v = {
		.outcome = cell->outcome, .rule = cell->rule, .reason = cell->reason,
	};

	scn_outcome_text(out, &v);
}

static bool broke_alike(const struct cell *a, const struct cell *b)
{
	return a->ran && !a->ok && b->ran && !b->ok &&
	       strcmp(a->expected, b->expected) == 0 &&
	       strcmp(a->outcome, b->outcome) == 0 &&
	       (a->rule == b->rule ||
		(a->rule && b->rule && strcmp(a->rule, b->rule) == 0 &&
		 strcmp(a->reason, b->reason) == 0));
}

/*
 * A line per broken expectation, in file order: "FILE:LINE: PROFILES:
 * expected X, got Y", where PROFILES lists, in column order, every
 * profile that expected X of the line and got Y (with the same rule).
 */
static void report_failures(const struct compare *c)
{
	struct scn_str *s = scn_str_new(), *got = scn_str_new();
	bool *told = scn_calloc(c->nprofiles, sizeof(*told));

	for (size_t r = 0; r < c->nrows; r++) {
		const struct row *row = c->rows[r];
		memset(told, 0, c->nprofiles * sizeof(*told));
		for (unsigned i = 0; i < c->nprofiles; i++) {
			const struct cell *cell = &row->cells[i];
			if (told[i] || !cell->ran || cell->ok)
				continue;
			scn_str_printf(s, "%s:%u: %s", c->path, row->line,
				       column_name(c, i));
			for (unsigned j = i + 1; j < c->nprofiles; j++)
				if (!told[j] && broke_alike(cell, &row->cells[j])) {
					told[j] = true;
					scn_str_appendf(s, ",%s", column_name(c, j));
				}
			cell_got(got, cell);
			scn_str_appendf(s, ": expected %s, got %s\n", cell->expected,
					got->str);
			fwrite(s->str, 1, s->len, stderr);
		}
	}
	free(told);
	scn_str_free(got);
	scn_str_free(s);
}

/* ------------------------------------------------------------- text */

static void pad(struct scn_str *s, size_t width, const char *text)
{
	scn_str_append(s, text);
	for (size_t n = scn_utf8_chars(text); n < width; n++)
		scn_str_putc(s, ' ');
}

static void print_line(FILE *f, struct scn_str *s)
{
	while (s->len && s->str[s->len - 1] == ' ')
		scn_str_truncate(s, s->len - 1);
	scn_str_putc(s, '\n');
	fwrite(s->str, 1, s->len, f);
	scn_str_truncate(s, 0);
}

/* A cell as the matrix prints it: "EBUSY", with --detail "EBUSY (R-SET-3)",
 * and a '!' at the end when the expectation broke. */
static void cell_print(const struct compare *c, const struct cell *cell,
		       struct scn_str *out)
{
	scn_str_assign(out, cell->shown);
	if (c->o->detail && cell->rule)
		scn_str_appendf(out, " (%s)", cell->rule);
	if (!cell->ok)
		scn_str_putc(out, '!');
}

/* @label cut to --width characters, its end replaced by "..." (UTF-8 is
 * cut between characters). */
static void label_print(const struct compare *c, const char *label,
			struct scn_str *out)
{
	size_t width = c->o->width;

	if (!width || scn_utf8_chars(label) <= width) {
		scn_str_assign(out, label);
		return;
	}
	size_t keep = width > 3 ? width - 3 : 0, n = 0, i = 0;
	for (; label[i]; i++) {
		if (((unsigned char)label[i] & 0xc0) != 0x80 && n++ == keep)
			break;
	}
	scn_str_assign(out, "");
	scn_str_append_len(out, label, i);
	scn_str_append(out, "...");
}

/* The line under the matrix that says what its marks mean. */
static void print_legend(const struct compare *c, struct scn_str *s)
{
	scn_str_append(s, "   marks: * profiles differ, ! expectation broken, "
		       "- not run (guarded out)");
	if (c->o->detail)
		scn_str_append(s, ", (RULE) the rule that refused");
	if (c->o->only_diff)
		scn_str_appendf(s, "; only rows with * shown (%zu of %zu)",
				c->ndiffer, c->nrows);
}

static void print_text(struct compare *c, bool held)
{
	FILE *f = c->o->out;
	size_t label_w = strlen("statement"), line_w = strlen("line");
	size_t *w = scn_calloc(c->nprofiles, sizeof(*w));
	struct scn_str *s = scn_str_new(), *t = scn_str_new();
	char num[16];

	for (unsigned i = 0; i < c->nprofiles; i++)
		w[i] = strlen(column_name(c, i));
	for (size_t r = 0; r < c->nrows; r++) {
		struct row *row = c->rows[r];
		if (!row_shown(c, row))
			continue;
		label_print(c, row->label, t);
		label_w = SCN_MAX(label_w, scn_utf8_chars(t->str));
		line_w = SCN_MAX(line_w, (size_t)snprintf(num, sizeof(num), "%u", row->line));
		for (unsigned i = 0; i < c->nprofiles; i++) {
			cell_print(c, &row->cells[i], t);
			w[i] = SCN_MAX(w[i], scn_utf8_chars(t->str));
		}
	}

	fprintf(f, "%s\n", c->path);
	scn_str_append(s, "   ");
	pad(s, line_w + 2, "line");
	pad(s, label_w + 2, "statement");
	for (unsigned i = 0; i < c->nprofiles; i++)
		pad(s, w[i] + 2, column_name(c, i));
	print_line(f, s);
	for (size_t r = 0; r < c->nrows; r++) {
		struct row *row = c->rows[r];
		if (!row_shown(c, row))
			continue;
		scn_str_append(s, row->differ ? "*  " : "   ");
		snprintf(num, sizeof(num), "%u", row->line);
		pad(s, line_w + 2, num);
		label_print(c, row->label, t);
		pad(s, label_w + 2, t->str);
		for (unsigned i = 0; i < c->nprofiles; i++) {
			cell_print(c, &row->cells[i], t);
			pad(s, w[i] + 2, t->str);
		}
		print_line(f, s);
	}
	print_legend(c, s);
	print_line(f, s);
	if (held) {
		fprintf(f, "%s: every expectation held under every profile\n", c->path);
	} else {
		scn_str_printf(s, "%s: expectations failed under", c->path);
		bool first = true;
		for (unsigned i = 0; i < c->nprofiles; i++) {
			if (!c->failed[i])
				continue;
			scn_str_appendf(s, "%s %s (%u)", first ? "" : ",",
					       column_name(c, i), c->failed[i]);
			first = false;
		}
		print_line(f, s);
	}
	scn_str_free(t);
	scn_str_free(s);
	free(w);
}

/* ------------------------------------------------------------- JSON */

static void print_json(struct compare *c, bool held)
{
	struct scn_str *s = scn_str_new();
	struct scn_json j;

	scn_json_init(&j, s);
	scn_json_begin_object(&j, NULL);
	scn_json_add_cstring(&j, "file", c->path);
	scn_json_begin_array(&j, "profiles");
	for (unsigned i = 0; i < c->nprofiles; i++)
		scn_json_add_cstring(&j, NULL, column_name(c, i));
	scn_json_end_array(&j);
	scn_json_begin_array(&j, "rows");
	for (size_t r = 0; r < c->nrows; r++) {
		const struct row *row = c->rows[r];
		if (!row_shown(c, row))
			continue;
		scn_json_begin_object(&j, NULL);
		scn_json_add_uint(&j, "line", row->line);
		scn_json_add_cstring(&j, "statement", row->label);
		scn_json_add_cstring(&j, "text", row->text);
		scn_json_add_bool(&j, "differ", row->differ);
		scn_json_begin_array(&j, "cells");
		for (unsigned i = 0; i < c->nprofiles; i++) {
			const struct cell *cell = &row->cells[i];
			scn_json_begin_object(&j, NULL);
			scn_json_add_cstring(&j, "profile", column_name(c, i));
			scn_json_add_bool(&j, "ran", cell->ran);
			scn_json_add_cstring(&j, "expected", cell->expected);
			scn_json_add_cstring(&j, "outcome", cell->outcome);
			scn_json_add_cstring(&j, "rule", cell->rule);
			scn_json_add_cstring(&j, "reason", cell->reason);
			scn_json_add_bool(&j, "ok", cell->ok);
			scn_json_end_object(&j);
		}
		scn_json_end_array(&j);
		scn_json_end_object(&j);
		/* a row at a time: a file of a million rows needs no second copy */
		fwrite(s->str, 1, s->len, c->o->out);
		scn_str_truncate(s, 0);
	}
	scn_json_end_array(&j);
	scn_json_begin_object(&j, "failed");
	for (unsigned i = 0; i < c->nprofiles; i++)
		scn_json_add_uint(&j, column_name(c, i), c->failed[i]);
	scn_json_end_object(&j);
	scn_json_add_bool(&j, "held", held);
	scn_json_end_object(&j);
	scn_str_putc(s, '\n');
	fwrite(s->str, 1, s->len, c->o->out);
	scn_str_free(s);
}

/* ----------------------------------------------------------- driver */

/*
 * Parses under every profile.  An error that only some profiles see (a
 * name bound only where a fork is expected to succeed, say) names the
 * first of them.
 */
static int check_all(struct compare *c, const char *data, size_t len)
{
	struct scn_error first = { 0 }, err = { 0 };
	unsigned first_profile = 0, failures = 0;
	bool same = true;

	for (unsigned i = 0; i < c->nprofiles; i++) {
		char what[96];
		snprintf(what, sizeof(what), "%s, check %u of %u",
			 column_name(c, i), i + 1, c->nprofiles);
		if (scn_check_data(data, len, column_name(c, i), &err,
				   c->o->progress, c->path, what) == 0)
			continue;
		if (!failures++) {
			scn_error_move(&first, &err);
			first_profile = i;
		} else if (err.line != first.line || err.column != first.column ||
			   strcmp(err.message, first.message) != 0) {
			same = false;
		}
		scn_error_clear(&err);
	}
	if (!failures)
		return 0;
	if (failures < c->nprofiles || !same)
		scn_error_appendf(&first, " (under profile %s)",
				  column_name(c, first_profile));
	scn_print_error_source(c->path, &first, data, len);
	scn_error_clear(&first);
	return -1;
}

int scn_compare_file(const char *file, const struct scn_compare_options *o)
{
	const char *path = scn_input_name(file);
	struct compare c = { .o = o, .path = path };
	struct scn_error err = { 0 };
	char *data = NULL;
	size_t len = 0;
	unsigned *every = NULL;

	if (o->profiles) {
		c.nprofiles = o->nprofiles;
		c.column = o->profiles;
	} else {
		c.nprofiles = scn_profile_count();
		c.column = every = scn_calloc(c.nprofiles, sizeof(*every));
		for (unsigned i = 0; i < c.nprofiles; i++)
			every[i] = i;
	}

	scn_mem_where(path, 0);
	if (scn_read_file(file, o->max_file_bytes,
			  &data, &len, &err) < 0) {
		scn_print_error(path, &err);
		scn_error_clear(&err);
		if (!o->json && !o->quiet)
			fprintf(o->out, "%s: not run\n", path);
		free(every);
		scn_mem_where(NULL, 0);
		return 2;
	}
	if (check_all(&c, data, len) < 0) {
		if (!o->json && !o->quiet)
			fprintf(o->out, "%s: not run\n", path);
		free(every);
		free(data);
		scn_mem_where(NULL, 0);
		return 2;
	}

	c.failed = scn_calloc(c.nprofiles, sizeof(*c.failed));
	int status = 0;
	for (c.profile = 0; c.profile < c.nprofiles; c.profile++) {
		char what[96];
		snprintf(what, sizeof(what), "%s, pass %u of %u",
			 scn_profile_name(c.profile), c.profile + 1, c.nprofiles);
		struct scn_run_options opts = {
			.profile = column_name(&c, c.profile),
			.statement = on_statement,
			.statement_data = &c,
			.records = o->records,
			.no_failure_lines = true,
			.progress = o->progress,
			.progress_what = what,
		};
		struct scn_run_result res;
		c.next = 0;
		int s = scn_run_data(path, data, len, &opts, &res);
		c.failed[c.profile] = res.failed;
		status = SCN_MAX(status, s);
	}
	scn_mem_where(path, 0);
	if (o->progress)
		scn_progress_clear(o->progress);
	if (c.out_of_step) {
		fprintf(stderr, "%s: error: the profiles' passes saw different "
			"statements (a procsim bug)\n", path);
		status = 2;
	}
	mark_differences(&c);
	if (status < 2) {
		bool held = status == 0;
		report_failures(&c);
		if (o->json)
			print_json(&c, held);
		else if (!o->quiet)
			print_text(&c, held);
	} else if (!o->json && !o->quiet) {
		fprintf(o->out, "%s: not run\n", path);
	}
	for (size_t r = 0; r < c.nrows; r++)
		row_free(c.rows[r], c.nprofiles);
	free(c.rows);
	free(c.failed);
	free(every);
	free(data);
	scn_mem_where(NULL, 0);
	return status;
}

