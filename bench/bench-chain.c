/*
 * contid-bench --chain: the cost of one write at the bottom of a deep
 * chain of nested IDs, as a distribution per operation.  A mode of its
 * own beside the workload (contid-bench.c), sharing with it the options,
 * the helpers in bench.h, the record callback and the calibration.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

struct dist {
	double mean, median, p99, min;
	uint64_t dropped;   /* samples over SAMPLE_CAP_NS: preempted, not in the mean */
};

static struct dist summarize(uint64_t *t, uint64_t n)
{
	struct dist d = { 0 };
	double sum = 0;

	if (!n)
		return d;
	qsort(t, n, sizeof(*t), cmp_u64);
	uint64_t kept = 0;
	for (uint64_t i = 0; i < n; i++) {
		if (t[i] > sample_cap_ticks) {
			d.dropped++;
			continue;
		}
		sum += (double)t[i];
		kept++;
	}
	double adj = tick_overhead;
	d.mean = kept ? (sum / (double)kept - adj) * ns_per_tick : 0;
	d.median = ((double)t[n / 2] - adj) * ns_per_tick;
	d.p99 = ((double)t[n * 99 / 100] - adj) * ns_per_tick;
	d.min = ((double)t[0] - adj) * ns_per_tick;
	return d;
}

static void print_dist(const char *name, struct dist d, bool json, bool *first)
{
	if (json) {
		json_key(stdout, first, name);
		printf("{\"mean\":%.1f,\"median\":%.1f,\"p99\":%.1f,\"min\":%.1f,"
		       "\"dropped\":%" PRIu64 "}", d.mean, d.median, d.p99, d.min, d.dropped);
	} else {
		printf("%-13s mean %8.1f ns  median %8.1f ns  p99 %8.1f ns  min %8.1f ns"
		       "  (%" PRIu64 " preempted)\n",
		       name, d.mean, d.median, d.p99, d.min, d.dropped);
	}
}

/*
 * A chain of @depth nested IDs: an orchestrator gives c1 its ID, c1 nests
 * one for its child c2, and so on down to c_depth.  Each iteration forks a
 * task t from c_depth (t holds c_depth's ID: the bottom of the chain) and
 * times three operations on it: a write by c_depth that nests one more ID
 * (success), a write by the orchestrator that the rules refuse (EEXIST,
 * with its records), and a read.  t then exits and is reaped, untimed.
 */
int run_chain(const struct options *o)
{
	static struct bench sink; /* counts records when --records is given */
	struct contid_world *w;

	if (contid_world_new(&w) < 0)
		die("cannot create a world");
	if (o->profile && contid_world_set_profile(w, o->profile) < 0)
		die("unknown profile");
	if (o->records)
		contid_world_set_record_callback(w, count_record, &sink);

	pid_t orch, prev, cur = 0;
	uint64_t value = 1000;
	if (contid_fork(w, 1, 0, &orch) < 0)
		die("fork failed");
	prev = orch;
	for (unsigned i = 1; i <= o->chain; i++) {
		if (contid_fork(w, prev, 0, &cur) < 0 || contid_set(w, prev, cur, value++) < 0)
			die("cannot build the chain (a profile with a depth limit?)");
		prev = cur;
	}
	char chain[1024];
	contid_task_chain(w, cur, chain, sizeof(chain));

	uint64_t n = o->ops;
	uint64_t *t_nest = xcalloc(n, sizeof(uint64_t));
	uint64_t *t_denied = xcalloc(n, sizeof(uint64_t));
	uint64_t *t_get = xcalloc(n, sizeof(uint64_t));
	calibrate_overhead();
	uint64_t tick0 = ticks(), ns0 = now_ns();
	int failures = 0;
	for (uint64_t i = 0; i < n; i++) {
		pid_t t;
		char buf[32];
		uint64_t id;
		if (contid_fork(w, cur, 0, &t) < 0)
			die("fork failed");
		size_t len = u64_digits(buf, value + i);
		buf[len++] = '\n';
		uint64_t a = ticks();
		int r1 = contid_write(w, orch, t, buf, len);
		uint64_t b = ticks();
		int r2 = contid_get(w, orch, t, &id);
		uint64_t c = ticks();
		int r3 = contid_write(w, cur, t, buf, len);
		uint64_t d = ticks();
		t_denied[i] = b - a;
		t_get[i] = c - b;
		t_nest[i] = d - c;
		if (r1 != -EEXIST || r2 < 0 || r3 != (int)len)
			failures++;
		if (contid_exit(w, t) < 0 || contid_reap(w, t) < 0)
			die("exit failed");
	}
	uint64_t tick1 = ticks(), ns1 = now_ns();
	ns_per_tick = tick1 > tick0 ? (double)(ns1 - ns0) / (double)(tick1 - tick0) : 1;

	char msg[256];
	bool ok = contid_world_check(w, msg, sizeof(msg)) == 0;
	struct dist nest = summarize(t_nest, n), denied = summarize(t_denied, n),
		    get = summarize(t_get, n);
	bool first = true;
	if (o->json) {
		putchar('{');
		json_key(stdout, &first, "mode");
		printf("\"chain\"");
		json_key(stdout, &first, "profile");
		printf("\"%s\"", contid_world_profile(w));
		json_key(stdout, &first, "depth");
		printf("%u", o->chain);
		json_key(stdout, &first, "iterations");
		printf("%" PRIu64, n);
		json_key(stdout, &first, "records_callback");
		printf("%s", o->records ? "true" : "false");
		json_key(stdout, &first, "unexpected_results");
		printf("%d", failures);
	} else {
		printf("contid-bench: chain of %u nested IDs (%s), %" PRIu64
		       " iterations, records %s\n", o->chain, contid_world_profile(w), n,
		       o->records ? "formatted for a callback" : "with no callback");
		printf("bottom task's chain: %.60s%s\n", chain,
		       strlen(chain) > 60 ? "..." : "");
	}
	print_dist("write-nest", nest, o->json, &first);
	print_dist("write-denied", denied, o->json, &first);
	print_dist("get", get, o->json, &first);
	if (o->json) {
		json_key(stdout, &first, "check");
		printf("\"%s\"}\n", ok ? "ok" : "failed");
	} else {
		printf("unexpected results: %d\ncheck: %s\n", failures, ok ? "ok" : msg);
	}
	free(t_nest);
	free(t_denied);
	free(t_get);
	contid_world_free(w);
	return ok && !failures ? 0 : 1;
}
