/*
 * fuzz-scenario: the input is a scenario file (SCENARIOS.md), replayed by
 * procsim's parser and runner exactly as `procsim FILE` would, quietly.
 *
 * Failed expectations and syntax errors are ordinary outcomes; what must
 * never happen is a crash, a leak, a hang or undefined behaviour in the
 * lexer, the parser, the runner or the library.  Each final world is also
 * drawn as procsim --dot would (into a stream that discards everything) and
 * must pass contid_world_check().
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

static void final_world(void *data, const char *path, const struct contid_world *w,
			const struct scn_names *names, const pid_t *pids,
			const bool *present)
{
	char msg[512];

	scn_dot_world(data, path, w, names, pids, present);
	if (contid_world_check(w, msg, sizeof(msg)) != 0) {
		fprintf(stderr, "fuzz-scenario: broken invariant after the replay: %s\n", msg);
		abort();
	}
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
	struct scn_dot *dot = scn_dot_begin(sink);
	struct scn_run_options opts = {
		.json = sink,
		.final_world = final_world,
		.final_world_data = dot,
		.quiet = true,
	};
	struct scn_run_result result;
	int status = scn_run_data("fuzz.scn", text, size, &opts, &result);
	scn_dot_end(dot);
	fclose(sink);

	if (status < 0 || status > 2 || result.failed > result.expectations ||
	    result.expectations > result.statements) {
		fprintf(stderr, "fuzz-scenario: inconsistent result: status %d, "
			"%u statements, %u expectations, %u failed\n", status,
			result.statements, result.expectations, result.failed);
		abort();
	}
	free(text);
	return 0;
}
