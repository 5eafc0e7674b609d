/*
 * clone-bench: what an explorer pays per state of a small world, in
 * nanoseconds per call: contid_world_new() + contid_world_free(),
 * contid_world_clone() + contid_world_free(), contid_world_copy() into a
 * world that is already such a copy (its memory serves again) and
 * contid_world_digest() of a world of --tasks tasks (default 4: init, a
 * child holding an ID, a thread of it and a child in a new network
 * namespace).
 *
 * Usage: clone-bench [--tasks N] [--iterations N]
 * Build it in a release build (docs/performance.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "contid.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void must(int r, const char *what)
{
	if (r < 0) {
		fprintf(stderr, "clone-bench: %s: %s\n", what, contid_errno_name(r));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	unsigned long tasks = 4, iterations = 1000000;
	struct contid_world *w, *c;
	pid_t p, child, orch;
	uint64_t d[2];

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--tasks") == 0)
			tasks = strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--iterations") == 0)
			iterations = strtoul(argv[i + 1], NULL, 10);
		else
			break;
	}
	if (tasks < 4 || iterations == 0) {
		fprintf(stderr, "usage: clone-bench [--tasks N>=4] [--iterations N>0]\n");
		return 2;
	}

	must(contid_world_new(&w), "world_new");
	must(contid_fork(w, 1, 0, &orch), "fork");
	must(contid_set(w, 1, orch, 100), "set");
	must(contid_fork(w, orch, CONTID_CLONE_THREAD, &p), "fork thread");
	must(contid_fork(w, orch, CONTID_CLONE_NEWNET, &child), "fork newnet");
	for (unsigned long n = 4; n < tasks; n++)
		must(contid_fork(w, orch, 0, &p), "fork");

	double t0 = now_ns();
	for (unsigned long i = 0; i < iterations; i++) {
		must(contid_world_new(&c), "world_new");
		contid_world_free(c);
	}
	double t1 = now_ns();
	for (unsigned long i = 0; i < iterations; i++) {
		must(contid_world_clone(w, &c), "clone");
		contid_world_free(c);
	}
	double t2 = now_ns();
	must(contid_world_clone(w, &c), "clone");
	for (unsigned long i = 0; i < iterations; i++)
		must(contid_world_copy(c, w), "copy");
	contid_world_free(c);
	double t3 = now_ns();
	for (unsigned long i = 0; i < iterations; i++)
		must(contid_world_digest(w, d), "digest");
	double t4 = now_ns();

	printf("clone-bench: %lu tasks, %lu iterations\n", tasks, iterations);
	printf("new+free:    %8.1f ns\n", (t1 - t0) / (double)iterations);
	printf("clone+free:  %8.1f ns\n", (t2 - t1) / (double)iterations);
	printf("copy:        %8.1f ns\n", (t3 - t2) / (double)iterations);
	printf("digest:      %8.1f ns (%016llx%016llx)\n",
	       (t4 - t3) / (double)iterations, (unsigned long long)d[0],
	       (unsigned long long)d[1]);
	contid_world_free(w);
	return 0;
}
