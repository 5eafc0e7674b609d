/*
 * contid-bench: drives libcontid with a seeded synthetic workload at a
 * steady population of N live tasks and reports operations per second,
 * nanoseconds per operation kind, peak RSS and bytes per live task.
 *
 *   contid-bench [--tasks N] [--ops M] [--seed S] [--profile NAME] [--json]
 *   contid-bench --chain DEPTH [--ops M] [--json]
 *
 * The workload and its mix are described in docs/performance.md; the
 * figures there come from this program.  Everything is single-threaded.
 *
 * An "operation" is one library call that acts on the world (one tick of
 * its audit clock).  Inspection calls the driver makes to choose what to do
 * next (contid_task_count, contid_task_contid, contid_id_owner, ...) are not
 * counted as operations, but their time is part of the wall-clock figure.
 */
#include <contid.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define HAVE_RDTSC 1
#endif

/* ------------------------------------------------------------ helpers */

static void die(const char *msg)
{
	fprintf(stderr, "contid-bench: %s\n", msg);
	exit(2);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p)
		die("out of memory");
	return p;
}

/* Makes every page of @p resident (a memset after calloc may be elided). */
static void touch(void *p, size_t size)
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

static uint64_t now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* CPU time of this process: unlike wall-clock time, it leaves out the
 * time the process waited for a CPU on a busy machine. */
static uint64_t cpu_ns(void)
{
	return clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

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

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * UINT64_C(0xd1b54a32d192ed03));
	r->s = splitmix64(&x);
	if (!r->s)
		r->s = 1;
}

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

/* Peak and current resident set, in bytes, from /proc/self/status. */
static void rss_read(uint64_t *current, uint64_t *peak)
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

/* Decimal digits of @v into @buf (no NUL); returns their number. */
static size_t u64_digits(char *buf, uint64_t v)
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

static const char *const kind_names[NKINDS] = {
	[K_FORK] = "fork", [K_FORK_THREAD] = "fork-thread",
	[K_FORK_NEWUSER] = "fork-newuser", [K_UNSHARE_USER] = "unshare-user",
	[K_SET_NEW] = "set-new", [K_SET_NESTED] = "set-nested",
	[K_SET_INJECT] = "set-inject", [K_SET_DENIED] = "set-denied",
	[K_GET] = "get", [K_EXIT] = "exit", [K_REAP] = "reap",
};

struct kind_stats {
	uint64_t count, errors, samples, ticks;
	uint64_t dropped;       /* timed samples left out: preempted */
};

/* A timed operation longer than this was descheduled (no operation of the
 * library takes 200 us at these sizes); its sample is left out. */
#define SAMPLE_CAP_NS 200000
static uint64_t sample_cap_ticks = UINT64_MAX;

/* ------------------------------------------------------------ the mix */

/*
 * Each step of the steady phase is one action.  Per mille of steps:
 * reads, denied writes and unshares ("neutral": the population does not
 * change); the rest grow the population while it is below N and shrink it
 * otherwise.  Growth actions are drawn by the weights below (percent).
 */
#define MIX_GET          150
#define MIX_SET_DENIED    40
#define MIX_UNSHARE       10
#define MIX_NEUTRAL (MIX_GET + MIX_SET_DENIED + MIX_UNSHARE)

enum growth {
	G_CONTAINER,  /* orchestrator: fork + set-new */
	G_NESTED,     /* engine in a container: fork + set-nested */
	G_INJECT,     /* an ID's owner: fork + set-inject */
	G_FORK,       /* any container task forks a process */
	G_THREAD,     /* any container task starts a thread */
	G_NEWUSER,    /* fork into a new user (and sometimes network) namespace */
	NGROWTH
};

static const unsigned growth_weight[NGROWTH] = {
	[G_CONTAINER] = 8, [G_NESTED] = 4, [G_INJECT] = 6,
	[G_FORK] = 52, [G_THREAD] = 20, [G_NEWUSER] = 10,
};

#define MAX_NEST_DEPTH 4      /* nested IDs are made only this deep */
#define MAX_USERNS_LEVEL 3    /* user namespaces are made only this deep */
#define NORCH 16              /* orchestrators: children of init, subreapers */
#define PICK_TRIES 8

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

static void pool_init(struct pool *p, uint32_t cap)
{
	p->e = xcalloc(cap, sizeof(*p->e));
	p->cap = cap;
	p->n = 0;
}

static void pool_add(struct pool *p, struct entry e)
{
	if (p->n == p->cap)
		die("pool overflow");
	p->e[p->n++] = e;
}

static void pool_remove_at(struct pool *p, uint32_t i)
{
	p->e[i] = p->e[--p->n];
}

static inline uint32_t pool_pick(struct bench *b, const struct pool *p)
{
	return rng_below(&b->rng, p->n);
}

/* ------------------------------------------------------ timed calls */

static inline uint64_t op_begin(struct bench *b)
{
	b->sampling = b->measuring &&
		      (rng_next(&b->sample_rng) & b->sample_mask) == 0;
	return b->sampling ? ticks() : 0;
}

static inline void op_end(struct bench *b, enum kind kind, uint64_t t0, int r)
{
	uint64_t t1 = b->sampling ? ticks() : 0;

	if (!b->measuring) {
		b->build_ops++;
		return;
	}
	struct kind_stats *k = &b->k[kind];
	k->count++;
	if (r < 0)
		k->errors++;
	if (b->sampling) {
		if (t1 - t0 > sample_cap_ticks) {
			k->dropped++;
		} else {
			k->ticks += t1 - t0;
			k->samples++;
		}
	}
	b->ops++;
}

static int op_fork(struct bench *b, enum kind kind, pid_t parent, unsigned flags,
		   pid_t *child)
{
	uint64_t t0 = op_begin(b);
	int r = contid_fork(b->w, parent, flags, child);
	op_end(b, kind, t0, r);
	return r;
}

/* Writes @value as /proc would receive it from a shell or a runtime:
 * digits, digits and a newline, or a '+' and digits. */
static int op_write(struct bench *b, enum kind kind, pid_t writer, pid_t target,
		    uint64_t value)
{
	char buf[32];
	size_t len = 0;
	uint64_t form = rng_next(&b->rng) & 7;

	if (form == 0)
		buf[len++] = '+';
	len += u64_digits(buf + len, value);
	if (form >= 4)
		buf[len++] = '\n';
	uint64_t t0 = op_begin(b);
	int r = contid_write(b->w, writer, target, buf, len);
	op_end(b, kind, t0, r);
	return r;
}

static uint64_t fresh_value(struct bench *b)
{
	/* kernel-alloc hands out values itself when asked with 0 */
	return b->kernel_alloc ? 0 : b->next_value++;
}

/* ------------------------------------------------------ task tracking */

/* Adds a task just forked by @parent to the running pool. */
static void track_child(struct bench *b, const struct entry *parent, uint32_t child,
			bool thread, uint8_t level, uint8_t depth)
{
	struct meta *m = &b->meta[child];

	m->where = W_RUNNING;
	m->link = 0;
	if (thread) {
		/* the parent's leader: the parent itself unless it is a thread */
		uint32_t leader = parent->thread ? b->meta[parent->pid].link : parent->pid;
		m->link = leader;
		b->meta[leader].link++;
	}
	pool_add(&b->running, (struct entry){ .pid = child, .thread = thread,
					     .level = level, .depth = depth });
}

/* The index of a running container task (any, or one matching @want,
 * tried a few times), or -1. */
static int64_t pick_running(struct bench *b, bool (*want)(const struct entry *))
{
	if (!b->running.n)
		return -1;
	for (int i = 0; i < PICK_TRIES; i++) {
		uint32_t idx = pool_pick(b, &b->running);
		if (!want || want(&b->running.e[idx]))
			return idx;
	}
	return -1;
}

static bool can_nest(const struct entry *e)
{
	return e->level == 0 && e->depth >= 1 && e->depth < MAX_NEST_DEPTH;
}

static bool has_id(const struct entry *e)
{
	return e->depth >= 1;
}

static bool can_newuser(const struct entry *e)
{
	return e->level < MAX_USERNS_LEVEL;
}


/* ------------------------------------------------------------ actions */

static void act_container(struct bench *b)
{
	pid_t orch = b->orch[rng_below(&b->rng, NORCH)], c;
	const struct entry orch_entry = { .pid = (uint32_t)orch };

	if (op_fork(b, K_FORK, orch, 0, &c) < 0)
		return;
	track_child(b, &orch_entry, (uint32_t)c, false, 0, 0);
	uint32_t ci = b->running.n - 1;
	if (op_write(b, K_SET_NEW, orch, c, fresh_value(b)) >= 0)
		b->running.e[ci].depth = 1;
}

static void act_nested(struct bench *b)
{
	int64_t pi = pick_running(b, can_nest);
	pid_t d;

	if (pi < 0) {
		act_container(b);
		return;
	}
	struct entry pe = b->running.e[pi];
	if (op_fork(b, K_FORK, (pid_t)pe.pid, 0, &d) < 0)
		return;
	track_child(b, &pe, (uint32_t)d, false, pe.level, pe.depth);
	uint32_t di = b->running.n - 1;
	if (op_write(b, K_SET_NESTED, (pid_t)pe.pid, d, fresh_value(b)) >= 0)
		b->running.e[di].depth = (uint8_t)(pe.depth + 1);
}

static void act_inject(struct bench *b)
{
	int64_t xi = pick_running(b, has_id);
	uint64_t value;
	pid_t owner = 0, y;
	int state;
	unsigned level;

	if (xi >= 0 && contid_task_contid(b->w, (pid_t)b->running.e[xi].pid, &value) == 0 &&
	    value != CONTID_UNSET)
		contid_id_owner(b->w, value, NULL, &owner);
	if (!owner || contid_task_state(b->w, owner, &state) < 0 ||
	    state != CONTID_TASK_RUNNING ||
	    contid_task_userns_level(b->w, owner, &level) < 0) {
		act_container(b);
		return;
	}
	/* the owner made this ID nested below its own, one level up */
	uint8_t depth = b->running.e[xi].depth;
	struct entry oe = { .pid = (uint32_t)owner, .level = (uint8_t)level,
			    .depth = (uint8_t)(depth - 1) };
	if (op_fork(b, K_FORK, owner, 0, &y) < 0)
		return;
	track_child(b, &oe, (uint32_t)y, false, oe.level, oe.depth);
	uint32_t yi = b->running.n - 1;
	if (op_write(b, K_SET_INJECT, owner, y, value) >= 0)
		b->running.e[yi].depth = depth;
}

static void act_fork(struct bench *b, enum kind kind, unsigned flags)
{
	int64_t pi = pick_running(b, kind == K_FORK_NEWUSER ? can_newuser : NULL);
	pid_t c;

	if (pi < 0) {
		act_container(b);
		return;
	}
	struct entry pe = b->running.e[pi];
	if (op_fork(b, kind, (pid_t)pe.pid, flags, &c) < 0)
		return;
	track_child(b, &pe, (uint32_t)c, flags & CONTID_CLONE_THREAD,
		    (uint8_t)(pe.level + !!(flags & CONTID_CLONE_NEWUSER)), pe.depth);
}

static void act_grow(struct bench *b)
{
	uint32_t r = rng_below(&b->rng, 100);
	enum growth g = 0;

	while (r >= growth_weight[g])
		r -= growth_weight[g++];
	switch (g) {
	case G_CONTAINER:
		act_container(b);
		break;
	case G_NESTED:
		act_nested(b);
		break;
	case G_INJECT:
		act_inject(b);
		break;
	case G_FORK:
		act_fork(b, K_FORK, 0);
		break;
	case G_THREAD:
		act_fork(b, K_FORK_THREAD, CONTID_CLONE_THREAD);
		break;
	case G_NEWUSER:
		act_fork(b, K_FORK_NEWUSER, CONTID_CLONE_NEWUSER |
			 (rng_below(&b->rng, 4) == 0 ? CONTID_CLONE_NEWNET : 0));
		break;
	default:
		break;
	}
}

static void act_exit(struct bench *b)
{
	uint32_t idx = pool_pick(b, &b->running);
	struct entry e = b->running.e[idx];
	uint64_t t0 = op_begin(b);
	int r = contid_exit(b->w, (pid_t)e.pid);
	op_end(b, K_EXIT, t0, r);
	if (r < 0)
		return;

	struct meta *m = &b->meta[e.pid];
	pool_remove_at(&b->running, idx);
	if (e.thread) {
		/* a thread is gone at once; its leader may now be a dead process */
		struct meta *lm = &b->meta[m->link];
		if (--lm->link == 0 && lm->where == W_WAITING) {
			lm->where = W_RUNNING;
			pool_add(&b->zombies, (struct entry){ .pid = m->link });
		}
	} else if (m->link) {
		m->where = W_WAITING;
	} else {
		pool_add(&b->zombies, (struct entry){ .pid = e.pid });
	}
}

static void act_reap(struct bench *b)
{
	uint32_t idx = pool_pick(b, &b->zombies);
	uint32_t pid = b->zombies.e[idx].pid;
	uint64_t t0 = op_begin(b);
	int r = contid_reap(b->w, (pid_t)pid);
	op_end(b, K_REAP, t0, r);
	if (r == 0)
		pool_remove_at(&b->zombies, idx);
}

static void act_shrink(struct bench *b)
{
	if (b->zombies.n && (rng_next(&b->rng) & 1))
		act_reap(b);
	else if (b->running.n)
		act_exit(b);
	else if (b->zombies.n)
		act_reap(b);
}

static void act_get(struct bench *b)
{
	pid_t reader = b->orch[rng_below(&b->rng, NORCH)];
	/* mostly running tasks; now and then a zombie */
	const struct pool *p = b->zombies.n && rng_below(&b->rng, 16) == 0
			       ? &b->zombies : &b->running;
	uint32_t target = p->n ? p->e[pool_pick(b, p)].pid : 1;
	uint64_t id;
	uint64_t t0 = op_begin(b);
	int r = contid_get(b->w, reader, (pid_t)target, &id);
	op_end(b, K_GET, t0, r);
}

static void act_set_denied(struct bench *b)
{
	pid_t writer = b->orch[rng_below(&b->rng, NORCH)];
	int64_t ti = b->running.n ? (int64_t)pool_pick(b, &b->running) : -1;
	uint32_t target = ti >= 0 ? b->running.e[ti].pid : 1;

	if (op_write(b, K_SET_DENIED, writer, (pid_t)target, fresh_value(b)) >= 0 &&
	    ti >= 0)
		b->running.e[ti].depth = 1;
}

static void act_unshare(struct bench *b)
{
	int64_t idx = -1;

	/* a single-threaded leader not too deep, if one comes up */
	for (int i = 0; i < PICK_TRIES && idx < 0 && b->running.n; i++) {
		uint32_t j = pool_pick(b, &b->running);
		const struct entry *e = &b->running.e[j];
		if (!e->thread && e->level < MAX_USERNS_LEVEL && !b->meta[e->pid].link)
			idx = j;
	}
	if (idx < 0)
		idx = pool_pick(b, &b->running); /* refused: EINVAL or ENOSPC */
	uint32_t pid = b->running.e[idx].pid;
	uint64_t t0 = op_begin(b);
	int r = contid_unshare(b->w, (pid_t)pid, CONTID_NS_USER);
	op_end(b, K_UNSHARE_USER, t0, r);
	if (r == 0)
		b->running.e[idx].level++;
}

/* One step of the steady phase; not inlined, so that a profiler can
 * collect it alone: valgrind --tool=callgrind --toggle-collect=step */
__attribute__((noinline)) static void step(struct bench *b)
{
	uint32_t r = rng_below(&b->rng, 1000);

	if (r < MIX_GET)
		act_get(b);
	else if (r < MIX_GET + MIX_SET_DENIED)
		act_set_denied(b);
	else if (r < MIX_NEUTRAL)
		act_unshare(b);
	else if (contid_task_count(b->w) < b->target + NORCH + 1)
		act_grow(b);
	else
		act_shrink(b);
}

/* --------------------------------------------------------- record sink */

static void count_record(void *data, int type, const char *line, size_t len)
{
	struct bench *b = data;
	uint64_t h = b->record_hash ? b->record_hash : UINT64_C(0xcbf29ce484222325);

	(void)type;
	b->records++;
	b->record_bytes += len;
	if (b->hash_records) {
		for (size_t i = 0; i < len; i++)
			h = (h ^ (unsigned char)line[i]) * UINT64_C(0x100000001b3);
		b->record_hash = (h ^ '\n') * UINT64_C(0x100000001b3);
	}
}

/* ------------------------------------------------------------- report */

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
};

static double ns_per_tick;     /* calibrated over the measured phase */
static double tick_overhead;   /* ticks of an empty timed region */

static void calibrate_overhead(void)
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

static void json_key(FILE *f, bool *first, const char *key)
{
	fprintf(f, "%s\"%s\":", *first ? "" : ",", key);
	*first = false;
}

struct results {
	double build_s, steady_s, steady_cpu_s;
	uint64_t baseline_rss, end_rss, peak_rss;
	size_t ids, tasks;
	uint32_t zombies, running;
	bool check_ok;
	char check_msg[256];
	char digest[17];
};

/* FNV-1a of the world's canonical dump: equal digests, equal worlds. */
static void world_digest(const struct contid_world *w, char out[17])
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

static void report(const struct options *o, const struct bench *b,
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

/* ----------------------------------------------------------- workload */

static int run_workload(const struct options *o)
{
	struct bench *b = xcalloc(1, sizeof(*b));
	struct results res = { 0 };

	if (contid_world_new(&b->w) < 0)
		die("cannot create a world");
	if (o->profile && contid_world_set_profile(b->w, o->profile) < 0)
		die("unknown profile");
	if (o->pid_max && contid_world_set_pid_max(b->w, o->pid_max) < 0)
		die("bad --pid-max");
	b->kernel_alloc = strcmp(contid_world_profile(b->w), "kernel-alloc") == 0;
	if (o->records)
		contid_world_set_record_callback(b->w, count_record, b);
	b->hash_records = o->digest;
	rng_seed(&b->rng, o->seed, 1);
	rng_seed(&b->sample_rng, o->seed, 2);
	b->sample_mask = (UINT64_C(1) << o->sample_shift) - 1;
	b->target = o->tasks;
	b->next_value = 1000;
	b->pid_limit = o->pid_max ? o->pid_max : CONTID_PID_MAX_LIMIT;
	/* the driver's own tables are made resident before the baseline */
	b->meta = xcalloc((size_t)b->pid_limit + 1, sizeof(*b->meta));
	touch(b->meta, ((size_t)b->pid_limit + 1) * sizeof(*b->meta));
	pool_init(&b->running, o->tasks + 64);
	pool_init(&b->zombies, o->tasks + 64);
	touch(b->running.e, b->running.cap * sizeof(struct entry));
	touch(b->zombies.e, b->zombies.cap * sizeof(struct entry));

	for (int i = 0; i < NORCH; i++) {
		if (contid_fork(b->w, 1, 0, &b->orch[i]) < 0 ||
		    contid_set_subreaper(b->w, b->orch[i]) < 0)
			die("cannot start the orchestrators");
	}
	uint64_t peak;
	rss_read(&res.baseline_rss, &peak);

	/* Build: grow to N with the growth mix only. */
	uint64_t t0 = now_ns();
	while (contid_task_count(b->w) < o->tasks + NORCH + 1)
		act_grow(b);
	res.build_s = (double)(now_ns() - t0) / 1e9;

	/* Steady phase: only this is measured. */
	calibrate_overhead();
	b->measuring = true;
	uint64_t tick0 = ticks(), ns0 = now_ns(), cpu0 = cpu_ns();
	uint64_t next_check = o->check_every;
	while (b->ops < o->ops) {
		step(b);
		if (o->check_every && b->ops >= next_check) {
			if (contid_world_check(b->w, res.check_msg,
					       sizeof(res.check_msg)) < 0) {
				fprintf(stderr, "contid-bench: after %" PRIu64 " ops: %s\n",
					b->ops, res.check_msg);
				return 1;
			}
			next_check += o->check_every;
		}
	}
	uint64_t tick1 = ticks(), ns1 = now_ns(), cpu1 = cpu_ns();
	b->measuring = false;
	res.steady_s = (double)(ns1 - ns0) / 1e9;
	res.steady_cpu_s = (double)(cpu1 - cpu0) / 1e9;
	ns_per_tick = tick1 > tick0 ? (double)(ns1 - ns0) / (double)(tick1 - tick0) : 1;

	rss_read(&res.end_rss, &res.peak_rss);
	res.tasks = contid_task_count(b->w);
	res.ids = contid_id_count(b->w);
	res.running = b->running.n;
	res.zombies = b->zombies.n;
	res.check_ok = contid_world_check(b->w, res.check_msg,
					  sizeof(res.check_msg)) == 0;
	if (o->digest)
		world_digest(b->w, res.digest);
	report(o, b, &res);

	contid_world_free(b->w);
	free(b->meta);
	free(b->running.e);
	free(b->zombies.e);
	int status = res.check_ok ? 0 : 1;
	free(b);
	return status;
}

/* --------------------------------------------- the deep-chain benchmark */

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
static int run_chain(const struct options *o)
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

/* --------------------------------------------------------------- main */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: contid-bench [OPTIONS]\n"
		"Runs a seeded synthetic workload against libcontid at a steady\n"
		"population of live tasks and reports its speed and memory.\n"
		"\n"
		"  --tasks N        live tasks to keep (default 100000)\n"
		"  --ops M          operations to measure (default 1000000)\n"
		"  --seed S         workload seed (default 1)\n"
		"  --profile NAME   rule set (default v11)\n"
		"  --json           one JSON object instead of text\n"
		"  --records        install a record callback (records are formatted)\n"
		"  --sample K       time one operation in 2^K (default 3; 0: all)\n"
		"  --pid-max P      the world's pid_max (default 4194304)\n"
		"  --check-every K  run contid_world_check() every K operations\n"
		"  --digest         print a digest of the final world's dump\n"
		"  --chain D        instead: the write to a task at the bottom of a\n"
		"                   chain of D nested IDs, --ops times\n"
		"  -h, --help       this help\n");
}

static uint64_t parse_u64(const char *s, const char *what)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-') {
		fprintf(stderr, "contid-bench: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	enum { O_TASKS = 256, O_OPS, O_SEED, O_PROFILE, O_JSON, O_RECORDS,
	       O_SAMPLE, O_CHECK, O_CHAIN, O_PIDMAX, O_DIGEST };
	static const struct option options[] = {
		{ "tasks", required_argument, NULL, O_TASKS },
		{ "ops", required_argument, NULL, O_OPS },
		{ "seed", required_argument, NULL, O_SEED },
		{ "profile", required_argument, NULL, O_PROFILE },
		{ "json", no_argument, NULL, O_JSON },
		{ "records", no_argument, NULL, O_RECORDS },
		{ "sample", required_argument, NULL, O_SAMPLE },
		{ "check-every", required_argument, NULL, O_CHECK },
		{ "chain", required_argument, NULL, O_CHAIN },
		{ "pid-max", required_argument, NULL, O_PIDMAX },
		{ "digest", no_argument, NULL, O_DIGEST },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { .tasks = 100000, .ops = 1000000, .seed = 1,
			     .profile = "v11", .sample_shift = 3 };
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case O_TASKS:
			o.tasks = (uint32_t)parse_u64(optarg, "--tasks");
			if (o.tasks < 1 || o.tasks > CONTID_PID_MAX_LIMIT / 2)
				die("--tasks must be 1 to 2097152");
			break;
		case O_OPS:
			o.ops = parse_u64(optarg, "--ops");
			if (!o.ops)
				die("--ops must be at least 1");
			break;
		case O_SEED:
			o.seed = parse_u64(optarg, "--seed");
			break;
		case O_PROFILE:
			o.profile = optarg;
			break;
		case O_JSON:
			o.json = true;
			break;
		case O_RECORDS:
			o.records = true;
			break;
		case O_SAMPLE:
			o.sample_shift = (unsigned)parse_u64(optarg, "--sample");
			if (o.sample_shift > 20)
				die("--sample must be 0 to 20");
			break;
		case O_CHECK:
			o.check_every = parse_u64(optarg, "--check-every");
			break;
		case O_CHAIN:
			o.chain = (unsigned)parse_u64(optarg, "--chain");
			if (o.chain < 1 || o.chain > 1000)
				die("--chain must be 1 to 1000");
			break;
		case O_PIDMAX:
			o.pid_max = (uint32_t)parse_u64(optarg, "--pid-max");
			break;
		case O_DIGEST:
			o.digest = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (o.pid_max && o.pid_max < 2 * o.tasks + 2 * NORCH)
		die("--pid-max must leave room for twice --tasks");
	return o.chain ? run_chain(&o) : run_workload(&o);
}
