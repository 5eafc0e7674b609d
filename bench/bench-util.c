/*
 * contid-bench's plumbing: failing, allocating, clocks and seeding the
 * random streams.  Nothing here is measured, so it lives apart from the
 * driver (contid-bench.c), whose hot helpers are inline in bench.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "scn-progress.h"

void die(const char *msg)
{
	scn_progress_interrupt();
	fprintf(stderr, "contid-bench: %s\n", msg);
	exit(2);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p)
		die("out of memory");
	return p;
}

void touch(void *p, size_t size)
{
	volatile unsigned char *c = p;

	for (size_t i = 0; i < size; i += 4096)
		c[i] = 0;
	if (size)
		c[size - 1] = 0;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t cpu_ns(void)
{
	return clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * UINT64_C(0xd1b54a32d192ed03));
	r->s = splitmix64(&x);
	if (!r->s)
		r->s = 1;
}
