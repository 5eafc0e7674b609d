/*
 * fuzz-scenario: the input is a scenario file (docs/scenarios.md),
 * replayed by procsim's parser and runner exactly as `procsim FILE` would,
 * quietly.
 *
 * Failed expectations and syntax errors are ordinary outcomes; what must
 * never happen is a crash, a leak, a hang or undefined behaviour in the
 * lexer, the parser, the runner or the library.  Each final world is also
 * drawn as procsim --dot would (into a stream that discards everything),
 * in detail after the first pass and as a summary after the second, and
 * must pass contid_world_check(); the namespaces procsim tracked for the
 * picture must agree with the library's levels and network namespace
 * lists.
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
#include "scn-map.h"
#include "scn-nstrack.h"
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

/* A running task's network namespace list, in a buffer to free(). */
static int netns_list(const struct contid_world *w, pid_t pid, uint64_t **ids)
{
	int n = contid_task_netns_ids(w, pid, NULL, 0);

	*ids = calloc(n > 0 ? (size_t)n : 1, sizeof(**ids));
	if (!*ids)
		abort();
	return contid_task_netns_ids(w, pid, *ids, (size_t)(n > 0 ? n : 0));
}

/* The namespaces scn-nstrack.c followed: every task at the level the
 * library says, and the running tasks of one network namespace seeing
 * one list. */
static void check_namespaces(const struct scn_final *fin)
{
	struct scn_map first_in_netns = SCN_MAP_INIT;
	pid_t pid = 0;

	while (contid_task_next(fin->w, pid, &pid) == 0) {
		uint32_t u = scn_nstrack_userns_of(fin->ns, pid);
		unsigned level = 0;
		int state = 0;
		contid_task_userns_level(fin->w, pid, &level);
		if (fin->ns->userns[u].level != level) {
			fprintf(stderr, "fuzz-scenario: task %d is at level %u, "
				"tracked in user namespace %u at level %u\n", (int)pid,
				level, (unsigned)u, fin->ns->userns[u].level);
			abort();
		}
		contid_task_state(fin->w, pid, &state);
		if (state != CONTID_TASK_RUNNING)
			continue;
		uint32_t net = scn_nstrack_netns_of(fin->ns, pid), other;
		if (!scn_map_get(&first_in_netns, (uint64_t)net + 1, &other)) {
			scn_map_set(&first_in_netns, (uint64_t)net + 1, (uint32_t)pid);
			continue;
		}
		uint64_t *a, *b;
		int na = netns_list(fin->w, pid, &a), nb = netns_list(fin->w, (pid_t)other, &b);
		if (na != nb || memcmp(a, b, (size_t)(na > 0 ? na : 0) * sizeof(*a)) != 0) {
			fprintf(stderr, "fuzz-scenario: tasks %d and %u, tracked in network "
				"namespace %u, see different ID lists\n", (int)pid,
				(unsigned)other, (unsigned)net);
			abort();
		}
		free(a);
		free(b);
	}
	scn_map_free(&first_in_netns);
}

static void final_world(void *data, const struct scn_final *fin)
{
	char msg[512];

	scn_dot_world(data, fin);
	check_namespaces(fin);
	if (contid_world_check(fin->w, msg, sizeof(msg)) != 0) {
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

	/* the profile of the second pass: any, decided by the input alone */
	unsigned hash = 0;
	for (size_t i = 0; i < size; i++)
		hash = hash * 31 + data[i];
	const char *profiles[2] = { NULL, scn_profile_name(hash % scn_profile_count()) };

	for (int pass = 0; pass < 2; pass++) {
		struct tally tally = { 0 };
		/* in detail first (the default threshold), then summed up */
		struct scn_dot *dot = scn_dot_begin(sink, pass == 0 ? SCN_DOT_DETAIL_MAX : 0);
		struct scn_run_options opts = {
			.profile = profiles[pass],
			.json = pass == 0 ? sink : NULL,
			.final_world = final_world,
			.final_world_data = dot,
			.statement = on_statement,
			.statement_data = &tally,
			.quiet = true,
			.no_failure_lines = pass == 1,
		};
		struct scn_run_result result;
		int status = scn_run_data("fuzz.scn", text, size, &opts, &result);
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
