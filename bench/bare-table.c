/*
 * The yardstick of docs/performance.md: a plain uthash table with one malloc'd entry
 * per key and nothing else, at a steady population of N entries.  Each
 * operation deletes a live key (chosen at random, or the oldest with
 * --fifo) and inserts a fresh one, so the table keeps N entries.  It shows
 * what a million live entries cost on this machine before any of
 * libcontid's work, the figure contid-bench is measured against.
 *
 *   bare-table [--entries N] [--ops M] [--fifo] [--seed S]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uthash.h>

/* As large as a task of the library's, so both tables touch alike. */
struct entry {
	uint32_t key;
	char payload[84];
	UT_hash_handle hh;
};

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_count(const char *opt, const char *arg, unsigned long *out)
{
	char *end;

	errno = 0;
	unsigned long v = strtoul(arg, &end, 10);
	if (errno || *end || end == arg || v == 0 || v > 100000000ul) {
		fprintf(stderr, "bare-table: %s wants a number from 1 to 10^8, not '%s'\n",
			opt, arg);
		return -1;
	}
	*out = v;
	return 0;
}

static struct entry *entry_new(uint32_t key)
{
	struct entry *e = malloc(sizeof(*e));
	if (!e) {
		fprintf(stderr, "bare-table: out of memory\n");
		exit(1);
	}
	e->key = key;
	memset(e->payload, 0, sizeof(e->payload));
	return e;
}

int main(int argc, char **argv)
{
	unsigned long n = 1000000, ops = 10000000, seed = 1;
	int fifo = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--fifo")) {
			fifo = 1;
		} else if (i + 1 < argc && !strcmp(argv[i], "--entries")) {
			if (parse_count(argv[i], argv[i + 1], &n) < 0)
				return 2;
			i++;
		} else if (i + 1 < argc && !strcmp(argv[i], "--ops")) {
			if (parse_count(argv[i], argv[i + 1], &ops) < 0)
				return 2;
			i++;
		} else if (i + 1 < argc && !strcmp(argv[i], "--seed")) {
			if (parse_count(argv[i], argv[i + 1], &seed) < 0)
				return 2;
			i++;
		} else {
			fprintf(stderr, "usage: bare-table [--entries N] [--ops M] [--fifo] [--seed S]\n");
			return 2;
		}
	}
	rng_state = seed * 0x9e3779b97f4a7c15ull | 1;

	struct entry *table = NULL;
	uint32_t *live = malloc(n * sizeof(*live));
	if (!live)
		return 1;
	uint32_t next_key = 1;
	for (unsigned long i = 0; i < n; i++) {
		struct entry *e = entry_new(next_key++);
		HASH_ADD(hh, table, key, sizeof(e->key), e);
		live[i] = e->key;
	}

	unsigned long oldest = 0;
	double t0 = now_seconds();
	for (unsigned long i = 0; i < ops / 2; i++) {
		unsigned long at = fifo ? oldest++ % n : (unsigned long)(rng_next() % n);
		struct entry *e;
		HASH_FIND(hh, table, &live[at], sizeof(live[at]), e);
		HASH_DEL(table, e);
		free(e);
		e = entry_new(next_key++);
		HASH_ADD(hh, table, key, sizeof(e->key), e);
		live[at] = e->key;
	}
	double dt = now_seconds() - t0;
	/* a delete and an insert are two operations, as in contid-bench an
	 * exit and a fork are */
	unsigned long done = ops / 2 * 2;
	printf("bare-table: %lu entries, %lu operations (%s deletes) in %.3f s: %.0f ops/s, %.1f ns/op\n",
	       n, done, fifo ? "oldest-first" : "random", dt, done / dt, dt * 1e9 / done);

	struct entry *e, *tmp;
	HASH_ITER(hh, table, e, tmp) {
		HASH_DEL(table, e);
		free(e);
	}
	free(live);
	return 0;
}
