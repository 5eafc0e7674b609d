/*
 * fuzz-scenario: the input is a scenario file (docs/scenarios.md),
 * replayed by procsim's parser and runner exactly as `procsim FILE` would,
 * quietly.
 *
 * Failed expectations and syntax errors are ordinary outcomes; what must
 * never happen is a crash, a leak, a hang or undefined behaviour in the
 * lexer, the parser, the runner or the library.  Each final world is also
 * drawn as procsim --dot would (into a stream that discards everything) and
 * must pass contid_world_check().
 *
 * The file is replayed twice: under its own profile (as `procsim FILE`),
 * and under one profile chosen from the input's bytes (as `procsim
 * --profile` or one pass of `procsim --compare` does), with guards and
 * per-profile outcomes.  Each statement's verdict must be consistent, and
 * the verdicts must add up to the result's counts.
 *
 * Work is bounded by the input: every statement is one line and does a
 * bounded amount of work, so a replay is roughly linear in the input size.
 */
#include <contid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn-dot.h"
#include "scn-profiles.h"
#include "scn-run.h"

static ssize_t discard_write(void *cookie, const char *buf, size_t size)
{
	(void)cookie;
	(void)buf;
	return (ssize_t)size;
}

/* A FILE that accepts and drops everything (no system call per flush). */
static FILE *null_stream(void)
{
	return fopencookie(NULL, "w", (cookie_io_functions_t){ .write = discard_write });
}

struct tally {
	unsigned statements, judged, failed, skipped;
};

static void on_statement(void *data, const struct scn_stmt *s,
			 const struct scn_verdict *v)
{
	struct tally *t = data;

	(void)s;
	if ((!v->ran && (v->judged || !v->ok)) ||
	    (v->judged && (!v->expected || !v->outcome)) ||
	    (!v->judged && !v->ok)) {
		fprintf(stderr, "fuzz-scenario: inconsistent verdict on line %u: "
			"ran %d judged %d ok %d\n", s->line, v->ran, v->judged, v->ok);
		abort();
	}
	t->statements++;
	t->judged += v->judged;
	t->failed += v->judged && !v->ok;
	t->skipped += !v->ran;
}

static void check_final_world(void *data, const char *path,
			      const struct contid_world *w, const struct scn_names *names,
			      const pid_t *pids, const bool *present)
{
	char msg[512];

	(void)data, (void)path, (void)names, (void)pids, (void)present;
	if (contid_world_check(w, msg, sizeof(msg)) != 0) {
		fprintf(stderr, "fuzz-scenario: broken invariant after the replay: %s\n", msg);
		abort();
	}
}

static void final_world(void *data, const char *path, const struct contid_world *w,
			const struct scn_names *names, const pid_t *pids,
			const bool *present)
{
	scn_dot_world(data, path, w, names, pids, present);
	check_final_world(NULL, path, w, names, pids, present);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* scn_run_data() wants the bytes NUL-terminated */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';

	FILE *sink = null_stream();
	if (!sink) {
		free(text);
		return 0;
	}

	/* the profile of the second pass: any, decided by the input alone */
	unsigned hash = 0;
	for (size_t i = 0; i < size; i++)
		hash = hash * 31 + data[i];
	const char *profiles[2] = { NULL, scn_profile_name(hash % scn_profile_count()) };

	for (int pass = 0; pass < 2; pass++) {
		struct tally tally = { 0 };
		struct scn_dot *dot = pass == 0 ? scn_dot_begin(sink) : NULL;
		struct scn_run_options opts = {
			.profile = profiles[pass],
			.json = pass == 0 ? sink : NULL,
			.final_world = pass == 0 ? final_world : check_final_world,
			.final_world_data = dot,
			.statement = on_statement,
			.statement_data = &tally,
			.quiet = true,
			.no_failure_lines = pass == 1,
		};
		struct scn_run_result result;
		int status = scn_run_data("fuzz.scn", text, size, &opts, &result);
		if (dot)
			scn_dot_end(dot);

		bool counts = status == 2 ||
			(tally.statements == result.statements &&
			 tally.judged == result.expectations &&
			 tally.failed == result.failed && tally.skipped == result.skipped);
		if (status < 0 || status > 2 || !counts || !result.profile ||
		    !scn_profile_known(result.profile) ||
		    (status != 2 && profiles[pass] && strcmp(result.profile, profiles[pass])) ||
		    (status != 2 && (status == 1) != (result.failed > 0)) ||
		    result.failed > result.expectations ||
		    result.expectations > result.statements) {
			fprintf(stderr, "fuzz-scenario: inconsistent result under %s: status %d, "
				"%u statements, %u expectations, %u failed, %u skipped "
				"(verdicts: %u, %u, %u, %u)\n",
				profiles[pass] ? profiles[pass] : "the file's profile", status,
				result.statements, result.expectations, result.failed,
				result.skipped, tally.statements, tally.judged, tally.failed,
				tally.skipped);
			abort();
		}
	}
	fclose(sink);
	free(text);
	return 0;
}
