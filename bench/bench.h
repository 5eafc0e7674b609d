/*
 * What the parts of contid-bench share: its options, the driver's state,
 * the operation kinds and the timing helpers.  The helpers the timed
 * loop calls are static inline here, so that splitting the program into
 * files did not add a call to what is measured.
 */
#ifndef CONTID_BENCH_H
#define CONTID_BENCH_H

#include <contid.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define HAVE_RDTSC 1
#endif

/* bench-util.c */
void die(const char *msg);
void *xcalloc(size_t n, size_t size);
/* Makes every page of @p resident (a memset after calloc may be elided). */
void touch(void *p, size_t size);
uint64_t now_ns(void);
/* CPU time of this process: unlike wall-clock time, it leaves out the
 * time the process waited for a CPU on a busy machine. */
uint64_t cpu_ns(void);

/*
 * A cheap timestamp: the TSC where there is one, converted to ns later.
 * The fences keep the timed call's loads inside the interval: a bare rdtsc
 * may run before earlier cache misses resolve and undercount them.
 */
static inline uint64_t ticks(void)
{
#ifdef HAVE_RDTSC
	_mm_lfence();
	uint64_t t = __rdtsc();
	_mm_lfence();
	return t;
#else
	return now_ns();
#endif
}

/* xorshift64* seeded through splitmix64: fast and good enough here. */
struct rng {
	uint64_t s;
};

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t x = r->s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * UINT64_C(0x2545f4914f6cdd1d);
}

/* Uniform in [0, n), n <= 2^32 (Lemire's multiply-shift). */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Decimal digits of @v into @buf (no NUL); returns their number. */
static inline size_t u64_digits(char *buf, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

/* -------------------------------------------------- operation kinds */

enum kind {
	K_FORK,          /* a new process (container processes, engines, ...) */
	K_FORK_THREAD,   /* CLONE_THREAD */
	K_FORK_NEWUSER,  /* CLONE_NEWUSER, a quarter of them with CLONE_NEWNET */
	K_UNSHARE_USER,  /* unshare(CLONE_NEWUSER) */
	K_SET_NEW,       /* an orchestrator gives a new container its ID */
	K_SET_NESTED,    /* an engine inside a container nests a new ID */
	K_SET_INJECT,    /* an ID's owner puts a new process into it */
	K_SET_DENIED,    /* a write the rules (mostly) refuse: EEXIST, EBUSY... */
	K_GET,           /* an orchestrator reads a task's ID */
	K_EXIT,
	K_REAP,
	NKINDS
};

struct kind_stats {
	uint64_t count, errors, samples, ticks;
	uint64_t dropped;       /* timed samples left out: preempted */
};

/* A timed operation longer than this was descheduled (no operation of the
 * library takes 200 us at these sizes); its sample is left out. */
#define SAMPLE_CAP_NS 200000
extern uint64_t sample_cap_ticks;

#define NORCH 16              /* orchestrators: children of init, subreapers */

/* ------------------------------------------------------- driver state */

/*
 * The driver keeps the tasks it acts on in two pools (running container
 * tasks, zombie processes), picks from them by index and removes by index
 * (the last entry moves into the hole).  An entry carries what choosing an
 * action needs, so that a pick costs one memory access; per pid, the
 * driver only keeps how threads hang on their leader.
 */
struct entry {
	uint32_t pid;
	uint8_t thread;
	uint8_t level;      /* user namespace level */
	uint8_t depth;      /* nesting depth of its ID (0: none), roughly */
	uint8_t pad;
};

enum where {
	W_RUNNING = 0,  /* a task in the running pool, or not tracked */
	W_WAITING,      /* an exited leader whose threads still run */
};

struct meta {
	uint32_t link;      /* threads: the leader's pid; leaders: live threads */
	uint32_t where;
};

struct pool {
	struct entry *e;
	uint32_t n, cap;
};

struct bench {
	struct contid_world *w;
	struct rng rng;         /* the workload */
	struct rng sample_rng;  /* which operations are timed */
	uint64_t sample_mask;
	bool sampling;
	bool measuring;
	bool kernel_alloc;
	uint32_t target;        /* N */
	struct meta *meta;      /* by pid */
	uint32_t pid_limit;
	struct pool running, zombies;
	pid_t orch[NORCH];
	uint64_t next_value;
	uint64_t ops, build_ops;
	struct kind_stats k[NKINDS];
	uint64_t record_bytes, records;
	uint64_t record_hash;   /* FNV-1a of every record line */
	bool hash_records;      /* --digest --records */
};

struct options {
	uint32_t tasks;
	uint64_t ops;
	uint64_t seed;
	const char *profile;
	bool json;
	bool records;
	unsigned sample_shift;
	uint64_t check_every;
	unsigned chain;
	uint32_t pid_max;
	bool digest;
	bool quiet;             /* no progress line on a terminal */
};

struct results {
	double build_s, steady_s, steady_cpu_s;
	uint64_t baseline_rss, end_rss, peak_rss;
	size_t ids, tasks;
	uint32_t zombies, running;
	bool check_ok;
	char check_msg[256];
	char digest[17];
};

/* bench-report.c */
extern double ns_per_tick;     /* calibrated over the measured phase */
extern double tick_overhead;   /* ticks of an empty timed region */
void calibrate_overhead(void);
/* Peak and current resident set, in bytes, from /proc/self/status. */
void rss_read(uint64_t *current, uint64_t *peak);
void json_key(FILE *f, bool *first, const char *key);
/* FNV-1a of the world's canonical dump: equal digests, equal worlds. */
void world_digest(const struct contid_world *w, char out[17]);
void report(const struct options *o, const struct bench *b,
	    const struct results *res);

/* contid-bench.c: the record callback of both modes */
void count_record(void *data, int type, const char *line, size_t len);

/* bench-chain.c */
int run_chain(const struct options *o);

#endif
