/*
 * contid-bench's figures: the tick calibration, resident memory, the
 * world's digest and the report of the workload in text or JSON.  Apart
 * from the driver (contid-bench.c) because none of it runs while
 * operations are measured; the --chain mode (bench-chain.c) shares the
 * calibration and json_key().
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "bench.h"

static const char *const kind_names[NKINDS] = {
	[K_FORK] = "fork", [K_FORK_THREAD] = "fork-thread",
	[K_FORK_NEWUSER] = "fork-newuser", [K_UNSHARE_USER] = "unshare-user",
	[K_SET_NEW] = "set-new", [K_SET_NESTED] = "set-nested",
	[K_SET_INJECT] = "set-inject", [K_SET_DENIED] = "set-denied",
	[K_GET] = "get", [K_EXIT] = "exit", [K_REAP] = "reap",
};

uint64_t sample_cap_ticks = UINT64_MAX;

double ns_per_tick;
double tick_overhead;

void calibrate_overhead(void)
{
	uint64_t best = UINT64_MAX;

	/* a first estimate of the tick rate, for the sample cap */
	uint64_t n0 = now_ns(), k0 = ticks();
	while (now_ns() - n0 < 20000000)
		;
	uint64_t n1 = now_ns(), k1 = ticks();
	if (k1 > k0)
		sample_cap_ticks = (uint64_t)((double)SAMPLE_CAP_NS *
					      (double)(k1 - k0) / (double)(n1 - n0));

	for (int i = 0; i < 10000; i++) {
		uint64_t a = ticks(), c = ticks();
		if (c - a < best)
			best = c - a;
	}
	tick_overhead = (double)best;
}

static double kind_ns(const struct kind_stats *k)
{
	if (!k->samples)
		return 0;
	double t = (double)k->ticks / (double)k->samples - tick_overhead;
	return (t > 0 ? t : 0) * ns_per_tick;
}

void json_key(FILE *f, bool *first, const char *key)
{
	fprintf(f, "%s\"%s\":", *first ? "" : ",", key);
	*first = false;
}

void rss_read(uint64_t *current, uint64_t *peak)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long kb;

	*current = *peak = 0;
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "VmRSS: %llu kB", &kb) == 1)
				*current = kb * 1024;
			else if (sscanf(line, "VmHWM: %llu kB", &kb) == 1)
				*peak = kb * 1024;
		}
		fclose(f);
	}
	if (!*peak) {
		struct rusage ru;
		if (getrusage(RUSAGE_SELF, &ru) == 0)
			*peak = (uint64_t)ru.ru_maxrss * 1024;
	}
}

void world_digest(const struct contid_world *w, char out[17])
{
	char *text;
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	if (contid_world_dump(w, &text) < 0)
		die("cannot dump the world");
	for (const char *p = text; *p; p++)
		h = (h ^ (unsigned char)*p) * UINT64_C(0x100000001b3);
	free(text);
	snprintf(out, 17, "%016" PRIx64, h);
}

void report(const struct options *o, const struct bench *b,
	    const struct results *res)
{
	double ops_per_s = (double)b->ops / res->steady_s;
	double ops_per_cpu_s = (double)b->ops / res->steady_cpu_s;
	uint64_t dropped = 0;
	for (int i = 0; i < NKINDS; i++)
		dropped += b->k[i].dropped;
	double wall_ns = res->steady_s * 1e9 / (double)b->ops;
	double lib_ns = 0;
	for (int i = 0; i < NKINDS; i++)
		lib_ns += kind_ns(&b->k[i]) * (double)b->k[i].count;
	lib_ns /= (double)b->ops;
	double growth = res->peak_rss > res->baseline_rss
			? (double)(res->peak_rss - res->baseline_rss) : 0;
	double bytes_per_task = growth / o->tasks;
	double end_growth = res->end_rss > res->baseline_rss
			    ? (double)(res->end_rss - res->baseline_rss) : 0;

	if (o->json) {
		FILE *f = stdout;
		bool first = true;
		fputc('{', f);
		json_key(f, &first, "mode");
		fprintf(f, "\"workload\"");
		json_key(f, &first, "profile");
		fprintf(f, "\"%s\"", contid_world_profile(b->w));
		json_key(f, &first, "seed");
		fprintf(f, "%" PRIu64, o->seed);
		json_key(f, &first, "tasks");
		fprintf(f, "%" PRIu32, o->tasks);
		json_key(f, &first, "ops");
		fprintf(f, "%" PRIu64, b->ops);
		json_key(f, &first, "records_callback");
		fprintf(f, "%s", o->records ? "true" : "false");
		json_key(f, &first, "build_ops");
		fprintf(f, "%" PRIu64, b->build_ops);
		json_key(f, &first, "build_seconds");
		fprintf(f, "%.6f", res->build_s);
		json_key(f, &first, "steady_seconds");
		fprintf(f, "%.6f", res->steady_s);
		json_key(f, &first, "steady_cpu_seconds");
		fprintf(f, "%.6f", res->steady_cpu_s);
		json_key(f, &first, "ops_per_sec");
		fprintf(f, "%.0f", ops_per_s);
		json_key(f, &first, "ops_per_cpu_sec");
		fprintf(f, "%.0f", ops_per_cpu_s);
		json_key(f, &first, "samples_dropped");
		fprintf(f, "%" PRIu64, dropped);
		json_key(f, &first, "ns_per_op");
		fprintf(f, "%.1f", wall_ns);
		json_key(f, &first, "lib_ns_per_op");
		fprintf(f, "%.1f", lib_ns);
		json_key(f, &first, "kinds");
		fputc('{', f);
		for (int i = 0; i < NKINDS; i++) {
			const struct kind_stats *k = &b->k[i];
			fprintf(f, "%s\"%s\":{\"count\":%" PRIu64 ",\"share\":%.4f,"
				"\"errors\":%" PRIu64 ",\"samples\":%" PRIu64
				",\"ns_per_op\":%.1f}",
				i ? "," : "", kind_names[i], k->count,
				b->ops ? (double)k->count / (double)b->ops : 0.0,
				k->errors, k->samples, kind_ns(k));
		}
		fputc('}', f);
		json_key(f, &first, "baseline_rss_bytes");
		fprintf(f, "%" PRIu64, res->baseline_rss);
		json_key(f, &first, "peak_rss_bytes");
		fprintf(f, "%" PRIu64, res->peak_rss);
		json_key(f, &first, "end_rss_bytes");
		fprintf(f, "%" PRIu64, res->end_rss);
		json_key(f, &first, "bytes_per_task");
		fprintf(f, "%.1f", bytes_per_task);
		json_key(f, &first, "end_bytes_per_task");
		fprintf(f, "%.1f", end_growth / o->tasks);
		json_key(f, &first, "live_tasks");
		fprintf(f, "%zu", res->tasks);
		json_key(f, &first, "running");
		fprintf(f, "%" PRIu32, res->running);
		json_key(f, &first, "zombies");
		fprintf(f, "%" PRIu32, res->zombies);
		json_key(f, &first, "live_ids");
		fprintf(f, "%zu", res->ids);
		json_key(f, &first, "records");
		fprintf(f, "%" PRIu64, b->records);
		if (o->digest) {
			json_key(f, &first, "digest");
			fprintf(f, "\"%s\"", res->digest);
			json_key(f, &first, "records_digest");
			fprintf(f, "\"%016" PRIx64 "\"", b->record_hash);
		}
		json_key(f, &first, "check");
		fprintf(f, "\"%s\"", res->check_ok ? "ok" : "failed");
		fputs("}\n", f);
		return;
	}

	printf("contid-bench: profile %s, seed %" PRIu64 ", %" PRIu32
	       " live tasks, records %s\n", contid_world_profile(b->w), o->seed,
	       o->tasks, o->records ? "formatted for a callback" : "with no callback");
	printf("build:  %" PRIu64 " ops in %.3f s\n", b->build_ops, res->build_s);
	printf("steady: %" PRIu64 " ops in %.3f s: %.0f ops/s, %.1f ns/op "
	       "(%.1f ns/op inside the library)\n",
	       b->ops, res->steady_s, ops_per_s, wall_ns, lib_ns);
	printf("cpu:    %.3f s of CPU time: %.0f ops per CPU second; %" PRIu64
	       " preempted samples left out\n", res->steady_cpu_s, ops_per_cpu_s,
	       dropped);
	printf("%-14s %7s %12s %10s %9s\n", "kind", "share", "count", "errors", "ns/op");
	for (int i = 0; i < NKINDS; i++) {
		const struct kind_stats *k = &b->k[i];
		printf("%-14s %6.2f%% %12" PRIu64 " %10" PRIu64 " %9.1f\n",
		       kind_names[i],
		       b->ops ? 100.0 * (double)k->count / (double)b->ops : 0.0,
		       k->count, k->errors, kind_ns(k));
	}
	printf("world:  %zu live tasks (%" PRIu32 " running in containers, %" PRIu32
	       " zombies), %zu live IDs\n", res->tasks, res->running, res->zombies,
	       res->ids);
	printf("memory: baseline RSS %.1f MiB, peak RSS %.1f MiB, end RSS %.1f MiB: "
	       "%.1f bytes per live task (peak), %.1f (end)\n",
	       (double)res->baseline_rss / 1048576, (double)res->peak_rss / 1048576,
	       (double)res->end_rss / 1048576, bytes_per_task, end_growth / o->tasks);
	if (o->digest)
		printf("digest: %s, records %016" PRIx64 "\n", res->digest,
		       b->record_hash);
	printf("check:  %s%s%s\n", res->check_ok ? "ok" : "FAILED",
	       res->check_ok ? "" : ": ", res->check_ok ? "" : res->check_msg);
}
