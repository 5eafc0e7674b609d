/*
 * contid-bench: drives libcontid with a seeded synthetic workload at a
 * steady population of N live tasks and reports operations per second,
 * nanoseconds per operation kind, peak RSS and bytes per live task.
 *
 *   contid-bench [--tasks N] [--ops M] [--seed S] [--profile NAME] [--json]
 *                [--quiet]
 *   contid-bench --chain DEPTH [--ops M] [--json]
 *
 * The workload and its mix are described in docs/performance.md; the
 * figures there come from this program.  Everything is single-threaded.
 *
 * An "operation" is one library call that acts on the world (one tick of
 * its audit clock).  Inspection calls the driver makes to choose what to do
 * next (contid_task_count, contid_task_contid, contid_id_owner, ...) are not
 * counted as operations, but their time is part of the wall-clock figure.
 *
 * This file is the workload driver and main(); the report is in
 * bench-report.c, the --chain mode in bench-chain.c, and what they share
 * in bench.h.
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

#include "bench.h"
#include "scn-progress.h"

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
#define PICK_TRIES 8

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

void count_record(void *data, int type, const char *line, size_t len)
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

/* ----------------------------------------------------------- workload */

/* An unknown --profile is named with the list, before anything runs. */
static void check_profile(const char *name)
{
	const char *const *names = contid_profile_names();

	for (size_t i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return;
	fprintf(stderr, "contid-bench: unknown profile '%s' (known:", name);
	for (size_t i = 0; names[i]; i++)
		fprintf(stderr, "%s %s", i ? "," : "", names[i]);
	fputs(")\n", stderr);
	exit(2);
}

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

	/* a line a second on a terminal; a decrement per step otherwise */
	struct scn_progress progress;
	scn_progress_start(&progress, stderr, o->quiet, 0);

	/* Build: grow to N with the growth mix only. */
	uint64_t t0 = now_ns();
	while (contid_task_count(b->w) < o->tasks + NORCH + 1) {
		act_grow(b);
		if (scn_progress_due(&progress))
			scn_progress_show(&progress, "contid-bench: building the "
					  "world, %zu of %" PRIu32 " tasks",
					  contid_task_count(b->w),
					  o->tasks + NORCH + 1);
	}
	res.build_s = (double)(now_ns() - t0) / 1e9;

	/* Steady phase: only this is measured. */
	calibrate_overhead();
	b->measuring = true;
	uint64_t tick0 = ticks(), ns0 = now_ns(), cpu0 = cpu_ns();
	uint64_t next_check = o->check_every;
	double steady_start = scn_progress_elapsed(&progress);
	while (b->ops < o->ops) {
		step(b);
		if (scn_progress_due(&progress)) {
			double s = scn_progress_elapsed(&progress) - steady_start;
			scn_progress_show(&progress, "contid-bench: %" PRIu64 " of %"
					  PRIu64 " operations (%" PRIu64 "%%), %.0f a "
					  "second", b->ops, o->ops, b->ops * 100 / o->ops,
					  s > 0 ? (double)b->ops / s : 0.0);
		}
		if (o->check_every && b->ops >= next_check) {
			if (contid_world_check(b->w, res.check_msg,
					       sizeof(res.check_msg)) < 0) {
				scn_progress_finish(&progress);
				fprintf(stderr, "contid-bench: after %" PRIu64 " ops: %s\n",
					b->ops, res.check_msg);
				return 1;
			}
			next_check += o->check_every;
		}
	}
	uint64_t tick1 = ticks(), ns1 = now_ns(), cpu1 = cpu_ns();
	b->measuring = false;
	scn_progress_finish(&progress);
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
		"  -q, --quiet      no progress line on standard error (shown once\n"
		"                   a second when it is a terminal)\n"
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
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { .tasks = 100000, .ops = 1000000, .seed = 1,
			     .profile = "v11", .sample_shift = 3 };
	int c;

	while ((c = getopt_long(argc, argv, "hq", options, NULL)) != -1) {
		switch (c) {
		case 'q':
			o.quiet = true;
			break;
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
			check_profile(optarg);
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
