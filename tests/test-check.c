/*
 * SEMANTICS.md section 10 (invariants, through contid_world_check() and
 * through the public inspection API), and the API contracts of
 * lib/contid.h: NULL-safe free, out-parameters untouched on failure,
 * pid_max bounds, errno names, snprintf-like formatting, counters.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-helpers.h"
#include "test-suites.h"

/* ------------------------------------------------------------ helpers */

/*
 * Check's ck_assert_* record every passing assertion (one write(2) each),
 * which makes a walk of thousands of steps slow; the helpers that run
 * after every step use these, which only call into Check on failure.
 */
#define REQUIRE_MSG(cond, ...) \
	do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)
#define REQUIRE(cond) REQUIRE_MSG(cond, "failed: %s", #cond)
#define REQUIRE_OP(a, op, b) do { \
	long long a_ = (long long)(a), b_ = (long long)(b); \
	REQUIRE_MSG(a_ op b_, "failed: %s %s %s (%lld, %lld)", \
		    #a, #op, #b, a_, b_); \
} while (0)
#define REQUIRE_EQ(a, b) REQUIRE_OP(a, ==, b)
#define REQUIRE_NE(a, b) REQUIRE_OP(a, !=, b)
#define REQUIRE_GT(a, b) REQUIRE_OP(a, >, b)
#define REQUIRE_GE(a, b) REQUIRE_OP(a, >=, b)
#define REQUIRE_LT(a, b) REQUIRE_OP(a, <, b)
#define REQUIRE_LE(a, b) REQUIRE_OP(a, <=, b)


static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

#define MAX_TASKS 256
#define MAX_IDS 64

/* The tasks that are not gone, in pid order, through contid_task_next(). */
static size_t list_tasks(const struct contid_world *w, pid_t *pids)
{
	size_t n = 0;
	pid_t p = 0, next;

	while (contid_task_next(w, p, &next) == 0) {
		REQUIRE_GT(next, p);
		REQUIRE_LT(n, MAX_TASKS);
		pids[n++] = next;
		p = next;
	}
	REQUIRE_EQ(n, contid_task_count(w));
	return n;
}

static int index_of(const uint64_t *vals, size_t n, uint64_t v)
{
	for (size_t i = 0; i < n; i++)
		if (vals[i] == v)
			return (int)i;
	return -1;
}

/*
 * Section 10 again, this time from the outside, with only the public
 * inspection API: if contid_world_check() missed a broken invariant, or
 * the inspection functions disagree with each other, this fails.
 */
static void external_check(const struct contid_world *w)
{
	pid_t pids[MAX_TASKS];
	uint64_t vals[MAX_IDS];
	unsigned held[MAX_IDS] = { 0 }, children[MAX_IDS] = { 0 };
	size_t n = list_tasks(w, pids);
	int nv = contid_id_list(w, vals, MAX_IDS);

	REQUIRE_GE(nv, 0);
	REQUIRE_LE(nv, MAX_IDS);
	REQUIRE_EQ((size_t)nv, contid_id_count(w));

	/* "no two live objects share a value" */
	for (int i = 0; i < nv; i++) {
		REQUIRE_NE(vals[i], CONTID_UNSET);
		REQUIRE_EQ(index_of(vals, (size_t)i, vals[i]), -1);
	}

	for (size_t i = 0; i < n; i++) {
		pid_t p = pids[i], tgid = 0, ppid = -1, leader_tgid = 0;
		int state = 0, is = -1;
		uint64_t id = 0, ids[MAX_IDS];
		unsigned level = 99;
		int nids;

		REQUIRE_EQ(contid_task_state(w, p, &state), 0);
		REQUIRE(state == CONTID_TASK_RUNNING || state == CONTID_TASK_ZOMBIE);
		/* "every task's process, parent and namespaces are live" */
		REQUIRE_EQ(contid_task_tgid(w, p, &tgid), 0);
		REQUIRE_EQ(contid_task_state(w, tgid, &state), 0);
		REQUIRE_EQ(contid_task_tgid(w, tgid, &leader_tgid), 0);
		REQUIRE_EQ(leader_tgid, tgid);
		REQUIRE_EQ(contid_task_ppid(w, p, &ppid), 0);
		if (tgid == 1) {
			REQUIRE_EQ(ppid, 0);
		} else {
			pid_t pt = 0;

			REQUIRE_GT(ppid, 0);
			REQUIRE_EQ(contid_task_state(w, ppid, &state), 0);
			REQUIRE_EQ(contid_task_tgid(w, ppid, &pt), 0);
			REQUIRE_EQ(pt, ppid);
			REQUIRE_EQ(contid_task_is_descendant(w, p, ppid, &is), 0);
			REQUIRE_EQ(is, 1);
		}
		/* R-DESC: "A process is not its own strict descendant" */
		REQUIRE_EQ(contid_task_is_descendant(w, p, tgid, &is), 0);
		REQUIRE_EQ(is, 0);
		REQUIRE_EQ(contid_task_userns_level(w, p, &level), 0);
		REQUIRE_LE(level, 33);

		REQUIRE_EQ(contid_task_contid(w, p, &id), 0);
		REQUIRE_EQ(contid_task_state(w, p, &state), 0);
		if (state == CONTID_TASK_ZOMBIE)
			REQUIRE_EQ(id, CONTID_UNSET);  /* holds no ID */
		if (id != CONTID_UNSET) {
			int k = index_of(vals, (size_t)nv, id);

			REQUIRE_MSG(k >= 0, "task %d holds %llu, not live",
				      (int)p, (unsigned long long)id);
			held[k]++;
		}
		/* section 7: each value once, each live; the task's own ID
		 * is in its namespace's list */
		nids = contid_task_netns_ids(w, p, ids, MAX_IDS);
		REQUIRE_GE(nids, 0);
		REQUIRE_LE(nids, MAX_IDS);
		for (int j = 0; j < nids; j++) {
			REQUIRE_GE(index_of(vals, (size_t)nv, ids[j]), 0);
			REQUIRE_EQ(index_of(ids, (size_t)j, ids[j]), -1);
		}
		if (id != CONTID_UNSET)
			REQUIRE_GE(index_of(ids, (size_t)nids, id), 0);
	}

	for (int i = 0; i < nv; i++) {
		uint64_t parent = 0;

		REQUIRE_EQ(contid_id_parent(w, vals[i], &parent), 0);
		if (parent != CONTID_UNSET) {
			int k = index_of(vals, (size_t)nv, parent);

			REQUIRE_MSG(k >= 0, "parent %llu of %llu is not live",
				      (unsigned long long)parent,
				      (unsigned long long)vals[i]);
			children[k]++;
		}
	}
	for (int i = 0; i < nv; i++) {
		unsigned users = 0, refs = 0;
		uint64_t v = vals[i], ident = 0;
		pid_t opid = -1;
		int steps = 0;

		/* "every reference count equals the number of tasks plus
		 * nested objects referring to it" */
		REQUIRE_EQ(contid_id_users(w, v, &users), 0);
		REQUIRE_EQ(contid_id_refs(w, v, &refs), 0);
		REQUIRE_EQ(users, held[i]);
		REQUIRE_EQ(refs, held[i] + children[i]);
		/* "every live object is reachable from a task or a child" */
		REQUIRE_GT(refs, 0);
		/* "the parent chain of every object is finite and acyclic" */
		while (v != CONTID_UNSET) {
			REQUIRE_LE(steps, nv);
			REQUIRE_EQ(contid_id_parent(w, v, &v), 0);
			steps++;
		}
		/* the owner, when it still exists, is that very task (R-ID) */
		REQUIRE_EQ(contid_id_owner(w, vals[i], &ident, &opid), 0);
		if (opid != 0) {
			uint64_t ident2 = 0;

			REQUIRE_EQ(contid_task_identity(w, opid, &ident2), 0);
			REQUIRE_EQ(ident, ident2);
		}
	}

	/* a task's chain is its ID, then its parents, as records print it */
	for (size_t i = 0; i < n; i++) {
		char got[512], want[512] = "";
		uint64_t v = CONTID_UNSET;
		size_t len = 0;
		int r;

		REQUIRE_EQ(contid_task_contid(w, pids[i], &v), 0);
		if (v == CONTID_UNSET)
			strcpy(want, "-1");
		for (int first = 1; v != CONTID_UNSET; first = 0) {
			len += (size_t)snprintf(want + len, sizeof(want) - len,
						"%s%llu", first ? "" : ",^",
						(unsigned long long)v);
			REQUIRE_LT(len, sizeof(want));
			REQUIRE_EQ(contid_id_parent(w, v, &v), 0);
		}
		r = contid_task_chain(w, pids[i], got, sizeof(got));
		REQUIRE_EQ(r, (int)strlen(want));
		REQUIRE_MSG(strcmp(got, want) == 0, "chain '%s', expected '%s'", got, want);
	}
}

static void assert_check_ok(const struct contid_world *w, unsigned step,
			    uint64_t seed)
{
	char msg[512] = "";
	int r = contid_world_check(w, msg, sizeof(msg));

	REQUIRE_MSG(r == 0, "seed %llu step %u: contid_world_check = %d: %s",
		      (unsigned long long)seed, step, r, msg);
}

/* --------------------------------------------------------- random walk */

enum op_kind {
	OP_FORK, OP_EXIT, OP_REAP, OP_SET, OP_WRITE, OP_UNSHARE, OP_SETNS,
	OP_SETUID, OP_DROP_CAP, OP_SUBREAPER, OP_SET_CAP, OP_WRITE_CAP,
	OP_GET, OP_GET_CAP, OP_EVENT, OP_PACKET, OP_NKINDS
};

static const char *const op_names[OP_NKINDS] = {
	"fork", "exit", "reap", "set", "write", "unshare", "setns", "setuid",
	"drop-cap", "subreaper", "set-capcontid", "write-capcontid", "get",
	"get-capcontid", "event", "packet",
};

struct walk {
	struct test_world *tw;
	uint64_t rng;
	unsigned ops;           /* operation calls so far = clock in ms */
	unsigned serial;        /* last event serial seen */
	unsigned ok[OP_NKINDS];
	unsigned drops, nested, max_ids;
	uint64_t hash;          /* FNV-1a of every record line */
};

static uint64_t rnd(struct walk *wk, uint64_t n)
{
	return xorshift64(&wk->rng) % n;
}

static pid_t pick(struct walk *wk, const pid_t *pids, size_t n)
{
	pid_t p;
	int st = 0;

	/* now and then a pid that names no task */
	if (rnd(wk, 50) == 0)
		return (pid_t)rnd(wk, 300);
	/* mostly a running task, sometimes a zombie */
	for (int tries = 0; tries < 4; tries++) {
		p = pids[rnd(wk, n)];
		if (contid_task_state(wk->tw->w, p, &st) == 0 &&
		    st == CONTID_TASK_RUNNING)
			break;
	}
	return p;
}

/* Mostly a running process leader without children, so that an ID
 * write can get past R-SET-3. */
static pid_t pick_target(struct walk *wk, const pid_t *pids, size_t n)
{
	pid_t leaves[MAX_TASKS];
	size_t nl = 0;

	if (rnd(wk, 4) == 0)
		return pick(wk, pids, n);
	for (size_t i = 0; i < n; i++) {
		pid_t tgid = 0, pp = 0;
		int st = 0, parent = 0;

		if (contid_task_tgid(wk->tw->w, pids[i], &tgid) != 0 ||
		    tgid != pids[i] ||
		    contid_task_state(wk->tw->w, pids[i], &st) != 0 ||
		    st != CONTID_TASK_RUNNING)
			continue;
		for (size_t j = 0; j < n && !parent; j++)
			parent = contid_task_ppid(wk->tw->w, pids[j], &pp) == 0 &&
				 pp == pids[i];
		if (!parent)
			leaves[nl++] = pids[i];
	}
	return nl ? leaves[rnd(wk, nl)] : pick(wk, pids, n);
}

/* A writer for @target: often its parent or grandparent, so that the
 * write gets past R-SET-4 and exercises the later rules. */
static pid_t pick_writer(struct walk *wk, const pid_t *pids, size_t n,
			 pid_t target)
{
	pid_t p = target;
	uint64_t up = rnd(wk, 5);

	if (up == 0)
		return pick(wk, pids, n);
	if (up == 4)
		return 1;               /* init: usually privileged */
	for (uint64_t i = 0; i < up; i++) {
		pid_t pp = 0;

		if (contid_task_ppid(wk->tw->w, p, &pp) != 0 || pp == 0)
			break;
		p = pp;
	}
	return p;
}

static const char *const bufs[] = {
	"7", "7\n", "+12\n", "003", "11\n", "4", "+2", "9\n",
	"abc", "", "\n", "99999999999999999999", "18446744073709551615",
	"1 ", "5\n\n",
};

/* how often each kind is drawn: writes more, credential changes less */
static const unsigned weights[OP_NKINDS] = {
	[OP_FORK] = 6, [OP_EXIT] = 4, [OP_REAP] = 3, [OP_SET] = 8,
	[OP_WRITE] = 4, [OP_UNSHARE] = 1, [OP_SETNS] = 1, [OP_SETUID] = 1,
	[OP_DROP_CAP] = 1, [OP_SUBREAPER] = 1, [OP_SET_CAP] = 2,
	[OP_WRITE_CAP] = 1, [OP_GET] = 2, [OP_GET_CAP] = 1, [OP_EVENT] = 2,
	[OP_PACKET] = 2,
};
static const unsigned weight_total = 40;

static int one_step(struct walk *wk)
{
	struct contid_world *w = wk->tw->w;
	pid_t pids[MAX_TASKS], child = 0;
	size_t n = list_tasks(w, pids);
	uint64_t id;
	uint32_t cap;
	enum op_kind k;
	pid_t a, b;
	int r = 0;

	if (n > 40 && rnd(wk, 2) == 0) {
		k = rnd(wk, 2) ? OP_EXIT : OP_REAP;
	} else {
		uint64_t x = rnd(wk, weight_total);

		for (k = 0; x >= weights[k]; k++)
			x -= weights[k];
	}
	a = pick(wk, pids, n);
	/* init keeps running and privileged (its refusals are tested on
	 * their own), or the world soon holds nobody who may write an ID */
	if (a == 1 && (k == OP_EXIT || k == OP_SETUID || k == OP_DROP_CAP ||
		       k == OP_UNSHARE || k == OP_SETNS)) {
		if (n > 1)
			a = pids[n - 1];
		else
			k = OP_FORK;
	}

	switch (k) {
	case OP_FORK: {
		static const unsigned fl[] = {
			CONTID_CLONE_THREAD, CONTID_CLONE_PARENT,
			CONTID_CLONE_NEWUSER, CONTID_CLONE_NEWNET,
		};
		unsigned flags = 0;

		for (size_t i = 0; i < 4; i++)
			if (rnd(wk, 6) == 0)
				flags |= fl[i];
		r = contid_fork(w, a, flags, &child);
		if (r == 0 && rnd(wk, 4) == 0) {
			char name[32];

			snprintf(name, sizeof(name), "task-%u-with-long-name",
				 (unsigned)child);
			REQUIRE_EQ(contid_task_set_name(w, child, name), 0);
		}
		break;
	}
	case OP_EXIT:
		r = contid_exit(w, a);
		break;
	case OP_REAP: {
		/* prefer a zombie */
		for (size_t i = 0; i < n; i++) {
			int st = 0;
			pid_t c = pids[(i + rnd(wk, n)) % n];

			if (contid_task_state(w, c, &st) == 0 &&
			    st == CONTID_TASK_ZOMBIE) {
				a = c;
				break;
			}
		}
		r = contid_reap(w, a);
		break;
	}
	case OP_SET:
		a = pick_target(wk, pids, n);
		b = pick_writer(wk, pids, n, a);
		id = rnd(wk, 30) == 0 ? CONTID_UNSET : 1 + rnd(wk, 12);
		r = contid_set(w, b, a, id);
		break;
	case OP_WRITE: {
		const char *s = bufs[rnd(wk, sizeof(bufs) / sizeof(bufs[0]))];

		a = pick_target(wk, pids, n);
		b = pick_writer(wk, pids, n, a);
		r = contid_write(w, b, a, s, strlen(s));
		break;
	}
	case OP_UNSHARE:
		r = contid_unshare(w, a, rnd(wk, 2) ? CONTID_NS_USER : CONTID_NS_NET);
		break;
	case OP_SETNS:
		b = pick(wk, pids, n);
		r = contid_setns(w, a, rnd(wk, 2) ? CONTID_NS_USER : CONTID_NS_NET, b);
		break;
	case OP_SETUID: {
		static const uint32_t uids[] = { 0, 1000, 1001, 4294967295u, 65534 };

		r = contid_setuid(w, a, uids[rnd(wk, 5)]);
		break;
	}
	case OP_DROP_CAP: {
		static const int caps[] = {
			CONTID_CAP_SETUID, CONTID_CAP_SYS_ADMIN,
			CONTID_CAP_AUDIT_CONTROL,
		};

		r = contid_drop_cap(w, a, caps[rnd(wk, 3)]);
		break;
	}
	case OP_SUBREAPER:
		r = contid_set_subreaper(w, a);
		break;
	case OP_SET_CAP:
		a = pick_target(wk, pids, n);
		b = pick_writer(wk, pids, n, a);
		r = contid_set_capcontid(w, b, a, (uint32_t)rnd(wk, 3));
		break;
	case OP_WRITE_CAP: {
		static const char *const cb[] = { "1\n", "0", "4294967296", "x" };
		const char *s = cb[rnd(wk, 4)];

		a = pick_target(wk, pids, n);
		b = pick_writer(wk, pids, n, a);
		r = contid_write_capcontid(w, b, a, s, strlen(s));
		break;
	}
	case OP_GET:
		r = contid_get(w, pick(wk, pids, n), a, &id);
		break;
	case OP_GET_CAP:
		r = contid_get_capcontid(w, pick(wk, pids, n), a, &cap);
		break;
	case OP_EVENT:
		r = contid_event(w, a);
		break;
	case OP_PACKET:
		r = contid_packet(w, a);
		break;
	case OP_NKINDS:
		break;
	}
	REQUIRE_NE(r, -ENOMEM);
	wk->ops++;
	if (r >= 0)
		wk->ok[k]++;
	else
		REQUIRE_MSG(contid_errno_name(r) != NULL,
			      "%s returned %d, which has no name", op_names[k], r);
	return (int)k;
}

/* The records of one step: one event at most, stamped with this step's
 * operation number, serial = previous + 1. */
static void check_step_records(struct walk *wk)
{
	struct test_world *tw = wk->tw;
	char want[64];
	unsigned long long ms = wk->ops - 1;

	if (tw->nrecords == 0)
		return;
	wk->serial++;
	snprintf(want, sizeof(want), "msg=audit(%llu.%03llu:%u): ",
		 1700000000ULL + ms / 1000, ms % 1000, wk->serial);
	for (size_t i = 0; i < tw->nrecords; i++) {
		const char *line = tw->records[i].line;
		const char *name = contid_record_type_name(tw->records[i].type);
		size_t nl;

		REQUIRE(name != NULL);
		nl = strlen(name);
		REQUIRE_MSG(strncmp(line, "type=", 5) == 0 &&
			      strncmp(line + 5, name, nl) == 0 &&
			      line[5 + nl] == ' ' &&
			      strncmp(line + 6 + nl, want, strlen(want)) == 0,
			      "record '%s' does not start with type=%s %s",
			      line, name, want);
		if (strstr(line, " op=drop "))
			wk->drops++;
		for (const char *c = line; *c; c++) {
			wk->hash ^= (unsigned char)*c;
			wk->hash *= 1099511628211ULL;
		}
	}
	tw_records_clear(tw);
}

static void walk_run(struct walk *wk, uint64_t seed, unsigned pid_max,
		     unsigned steps)
{
	memset(wk, 0, sizeof(*wk));
	wk->tw = tw_new();
	wk->rng = seed;
	wk->hash = 14695981039346656037ULL;
	if (pid_max)
		ck_assert_int_eq(contid_world_set_pid_max(wk->tw->w, pid_max), 0);
	assert_check_ok(wk->tw->w, 0, seed);
	for (unsigned i = 1; i <= steps; i++) {
		size_t nids;

		one_step(wk);
		check_step_records(wk);
		assert_check_ok(wk->tw->w, i, seed);
		external_check(wk->tw->w);
		nids = contid_id_count(wk->tw->w);
		if (nids > wk->max_ids)
			wk->max_ids = (unsigned)nids;
		if (nids > 0) {
			uint64_t vals[MAX_IDS], parent;
			int nv = contid_id_list(wk->tw->w, vals, MAX_IDS);

			for (int j = 0; j < nv; j++)
				if (contid_id_parent(wk->tw->w, vals[j], &parent) == 0 &&
				    parent != CONTID_UNSET)
					wk->nested++;
		}
	}
}

static const struct {
	uint64_t seed;
	unsigned pid_max;
} walks[] = {
	{ 0x9e3779b97f4a7c15ULL, 0 },
	{ 0x0123456789abcdefULL, 64 },
	{ 0xdeadbeefcafef00dULL, 48 },
	{ 42, 0 },
	{ 0x5851f42d4c957f2dULL, 32 },
	{ 1, 4194304 },
};

#define WALK_STEPS 10000

/* Section 10: "must hold after every operation"; every kind of operation
 * succeeds many times along the way, so the walk is not vacuous. */
START_TEST(test_invariants_random_walk)
{
	struct walk wk;

	walk_run(&wk, walks[_i].seed, walks[_i].pid_max, WALK_STEPS);
	for (int k = 0; k < OP_NKINDS; k++)
		ck_assert_msg(wk.ok[k] > 0, "seed %d: %s never succeeded", _i,
			      op_names[k]);
	ck_assert_uint_gt(wk.ok[OP_SET] + wk.ok[OP_WRITE], 20);
	ck_assert_uint_gt(wk.max_ids, 2);
	ck_assert_uint_gt(wk.nested, 0);
	ck_assert_uint_gt(wk.drops, 0);
	ck_assert_uint_gt(wk.serial, 0);
	tw_free(wk.tw);
}
END_TEST

/* The same seed replays the same records, byte for byte. */
START_TEST(test_invariants_random_walk_is_deterministic)
{
	struct walk w1, w2;

	walk_run(&w1, 7777, 64, 3000);
	walk_run(&w2, 7777, 64, 3000);
	ck_assert_uint_eq(w1.hash, w2.hash);
	ck_assert_uint_eq(w1.serial, w2.serial);
	ck_assert_uint_eq(contid_task_count(w1.tw->w), contid_task_count(w2.tw->w));
	ck_assert_uint_eq(contid_id_count(w1.tw->w), contid_id_count(w2.tw->w));
	tw_free(w1.tw);
	tw_free(w2.tw);
}
END_TEST

/* A hand-made story through every rule, checked after each step. */
START_TEST(test_invariants_hold_along_nesting_story)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	pid_t orch, c1, engine, c2, t, c3;

	assert_invariants(w);
	external_check(w);
	orch = fork_ok(w, 1, 0);
	c1 = fork_ok(w, orch, 0);
	set_ok(w, orch, c1, 100);
	assert_invariants(w);
	external_check(w);
	engine = fork_ok(w, c1, CONTID_CLONE_NEWUSER | CONTID_CLONE_NEWNET);
	c2 = fork_ok(w, engine, 0);
	/* engine sits in a child user namespace: not capable(); orch
	 * delegates with capcontid (section 5) */
	ck_assert_int_eq(contid_set(w, engine, c2, 200), -EPERM);
	ck_assert_int_eq(contid_set_capcontid(w, orch, engine, 1), 0);
	set_ok(w, engine, c2, 200);
	assert_invariants(w);
	external_check(w);
	t = fork_ok(w, c2, CONTID_CLONE_THREAD);
	c3 = fork_ok(w, orch, 0);
	set_ok(w, orch, c3, 100);                   /* injection */
	assert_invariants(w);
	external_check(w);
	ck_assert_int_eq(contid_exit(w, c1), 0);
	ck_assert_int_eq(contid_exit(w, c2), 0);   /* leader, t still runs */
	assert_invariants(w);
	external_check(w);
	ck_assert_int_eq(contid_exit(w, engine), 0);
	ck_assert_int_eq(contid_exit(w, t), 0);
	assert_invariants(w);
	external_check(w);
	ck_assert_int_eq(contid_reap(w, c2), 0);
	ck_assert_int_eq(contid_reap(w, engine), 0);
	ck_assert_int_eq(contid_reap(w, c1), 0);
	ck_assert_int_eq(contid_exit(w, c3), 0);
	ck_assert_int_eq(contid_reap(w, c3), 0);
	assert_invariants(w);
	external_check(w);
	ck_assert_uint_eq(contid_id_count(w), 0);
	ck_assert_uint_eq(contid_task_count(w), 2);
	tw_free(tw);
}
END_TEST

START_TEST(test_invariants_check_without_message_buffer)
{
	struct test_world *tw = tw_new();

	ck_assert_int_eq(contid_world_check(tw->w, NULL, 0), 0);
	fork_ok(tw->w, 1, 0);
	ck_assert_int_eq(contid_world_check(tw->w, NULL, 0), 0);
	tw_free(tw);
}
END_TEST

/* ------------------------------------------------------- API contracts */

START_TEST(test_api_world_free_null)
{
	contid_world_free(NULL);
}
END_TEST

/* pid_max: "configurable per world (2 to 4194304)". */
START_TEST(test_api_pid_max_bounds)
{
	static const struct {
		unsigned v;
		int ret;
	} t[] = {
		{ 0, -EINVAL }, { 1, -EINVAL }, { 2, 0 }, { 3, 0 },
		{ 4194303, 0 }, { 4194304, 0 }, { 4194305, -EINVAL },
		{ UINT_MAX, -EINVAL },
	};
	struct contid_world *w = NULL;

	ck_assert_int_eq(contid_world_new(&w), 0);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(contid_world_set_pid_max(w, t[i].v) == t[i].ret,
			      "pid_max %u", t[i].v);
	ck_assert_int_eq(CONTID_PID_MAX_LIMIT, 4194304);
	contid_world_free(w);
}
END_TEST

/* pid_max 2: only pid 1 exists below it, so fork is EAGAIN; a refused
 * setting leaves the previous one in force. */
START_TEST(test_api_pid_max_effect)
{
	struct contid_world *w = NULL;
	pid_t child = 4242;

	ck_assert_int_eq(contid_world_new(&w), 0);
	ck_assert_int_eq(contid_world_set_pid_max(w, 2), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &child), -EAGAIN);
	ck_assert_int_eq(child, 4242);
	ck_assert_int_eq(contid_world_set_pid_max(w, 3), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &child), 0);
	ck_assert_int_eq(child, 2);
	ck_assert_int_eq(contid_world_set_pid_max(w, 1), -EINVAL);
	ck_assert_int_eq(contid_world_set_pid_max(w, 4194305), -EINVAL);
	child = 4242;
	ck_assert_int_eq(contid_fork(w, 1, 0, &child), -EAGAIN);
	ck_assert_int_eq(child, 4242);
	ck_assert_int_eq(contid_world_set_pid_max(w, 4), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &child), 0);
	ck_assert_int_eq(child, 3);
	ck_assert_uint_eq(contid_task_count(w), 3);
	contid_world_free(w);
}
END_TEST

#define S64 0x5a5a5a5a5a5a5a5aULL
#define S32 0x5a5a5a5au
#define SPID ((pid_t)0x5a5a5a)
#define SINT 0x5a5a5a

/* "out-parameters are written only on success" */
START_TEST(test_api_out_params_untouched_on_failure)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	uint64_t u64 = S64, u64b = S64;
	uint32_t u32 = S32;
	pid_t p = SPID, gone;
	unsigned u = S32;
	int i = SINT;

	gone = fork_ok(w, 1, 0);
	ck_assert_int_eq(contid_exit(w, gone), 0);
	ck_assert_int_eq(contid_reap(w, gone), 0);
	fork_ok(w, 1, 0);                                 /* 3 */
	ck_assert_int_eq(contid_setuid(w, 3, 1000), 0);   /* unprivileged */

	/* operations */
	ck_assert_int_eq(contid_fork(w, 999, 0, &p), -ESRCH);
	ck_assert_int_eq(contid_fork(w, gone, 0, &p), -ESRCH);
	ck_assert_int_eq(contid_fork(w, 1, CONTID_CLONE_PARENT, &p), -EINVAL);
	ck_assert_int_eq(contid_fork(w, 1, CONTID_CLONE_THREAD |
				     CONTID_CLONE_NEWUSER, &p), -EINVAL);
	ck_assert_int_eq(contid_fork(w, 3, CONTID_CLONE_NEWNET, &p), -EPERM);
	ck_assert_int_eq(p, SPID);
	ck_assert_int_eq(contid_get(w, 1, 999, &u64), -ESRCH);
	ck_assert_int_eq(contid_get(w, 999, 1, &u64), -ESRCH);
	ck_assert_int_eq(contid_get(w, 3, 1, &u64), -EPERM);
	ck_assert_uint_eq(u64, S64);
	ck_assert_int_eq(contid_get_capcontid(w, 1, 999, &u32), -ESRCH);
	ck_assert_int_eq(contid_get_capcontid(w, 3, 1, &u32), -EPERM);
	ck_assert_uint_eq(u32, S32);

	/* inspection of a pid that names no task, or of a gone one */
	ck_assert_int_eq(contid_task_state(w, gone, &i), -ESRCH);
	ck_assert_int_eq(contid_task_state(w, 999, &i), -ESRCH);
	ck_assert_int_lt(contid_task_has_cap(w, 999, CONTID_CAP_SETUID, &i), 0);
	ck_assert_int_lt(contid_task_capable(w, 999, CONTID_CAP_SETUID, &i), 0);
	ck_assert_int_lt(contid_task_subreaper(w, 999, &i), 0);
	ck_assert_int_lt(contid_task_is_descendant(w, 999, 1, &i), 0);
	ck_assert_int_lt(contid_task_is_descendant(w, 1, 999, &i), 0);
	ck_assert_int_lt(contid_task_has_cap(w, 1, CONTID_CAP_LAST_CAP + 1, &i), 0);
	ck_assert_int_lt(contid_task_has_cap(w, 1, -1, &i), 0);
	ck_assert_int_eq(i, SINT);
	ck_assert_int_lt(contid_task_identity(w, gone, &u64), 0);
	ck_assert_int_lt(contid_task_contid(w, 999, &u64), 0);
	ck_assert_uint_eq(u64, S64);
	ck_assert_int_lt(contid_task_tgid(w, 999, &p), 0);
	ck_assert_int_lt(contid_task_ppid(w, gone, &p), 0);
	ck_assert_int_eq(p, SPID);
	ck_assert_int_lt(contid_task_uid(w, 999, &u32), 0);
	ck_assert_int_lt(contid_task_capcontid(w, 999, &u32), 0);
	ck_assert_uint_eq(u32, S32);
	ck_assert_int_lt(contid_task_userns_level(w, 999, &u), 0);
	ck_assert_uint_eq(u, S32);

	/* ID objects: no object holds 100 */
	ck_assert_int_eq(contid_id_owner(w, 100, &u64, &p), -ENOENT);
	ck_assert_int_lt(contid_id_parent(w, 100, &u64b), 0);
	ck_assert_int_lt(contid_id_users(w, 100, &u), 0);
	ck_assert_int_lt(contid_id_refs(w, 100, &u), 0);
	ck_assert_int_lt(contid_id_parent(w, CONTID_UNSET, &u64b), 0);
	ck_assert_uint_eq(u64, S64);
	ck_assert_uint_eq(u64b, S64);
	ck_assert_int_eq(p, SPID);
	ck_assert_uint_eq(u, S32);

	/* iteration past the last task */
	ck_assert_int_eq(contid_task_next(w, 3, &p), -ENOENT);
	ck_assert_int_eq(contid_task_next(w, 999, &p), -ENOENT);
	ck_assert_int_eq(p, SPID);
	tw_free(tw);
}
END_TEST

/* Buffers of the formatting functions are out-parameters too. */
START_TEST(test_api_out_buffers_untouched_on_failure)
{
	struct test_world *tw = tw_new();
	char buf[16];
	uint64_t ids[4] = { S64, S64, S64, S64 };

	memset(buf, 'Z', sizeof(buf));
	ck_assert_int_lt(contid_task_chain(tw->w, 999, buf, sizeof(buf)), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		ck_assert_int_eq(buf[i], 'Z');
	ck_assert_int_lt(contid_task_netns_ids(tw->w, 999, ids, 4), 0);
	for (size_t i = 0; i < 4; i++)
		ck_assert_uint_eq(ids[i], S64);
	tw_free(tw);
}
END_TEST

/* contid_write: "@buf may be NULL only when @len is 0; @len above
 * INT_MAX is refused with -EOVERFLOW"; an empty buffer is a parse error
 * (R-W-2: no digits).  Unknown fork flags and capabilities are refused
 * and change nothing. */
START_TEST(test_api_write_null_empty_and_overflow)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	pid_t orch = fork_ok(w, 1, 0);
	pid_t c1 = fork_ok(w, orch, 0);
	char buf[128];
	pid_t p = SPID;
	int has = -1;

	memset(buf, '1', sizeof(buf));
	ck_assert_int_eq(contid_write(w, orch, c1, NULL, 0), -EINVAL);
	ck_assert_int_eq(contid_write(w, orch, c1, buf, 0), -EINVAL);
	ck_assert_int_eq(contid_write_capcontid(w, orch, c1, NULL, 0), -EINVAL);
	ck_assert_int_eq(contid_write(w, orch, c1, buf, (size_t)INT_MAX + 1),
			 -EOVERFLOW);
	ck_assert_int_eq(contid_write_capcontid(w, orch, c1, buf,
						(size_t)INT_MAX + 1), -EOVERFLOW);
	ck_assert_uint_eq(contid_of(w, c1), CONTID_UNSET);
	ck_assert_uint_eq(contid_id_count(w), 0);
	ck_assert_uint_eq(tw->nrecords, 0);

	ck_assert_int_eq(contid_fork(w, orch, 0x10, &p), -EINVAL);
	ck_assert_int_eq(contid_fork(w, orch, 0x80000000u, &p), -EINVAL);
	ck_assert_int_eq(p, SPID);
	ck_assert_uint_eq(contid_task_count(w), 3);
	ck_assert_int_lt(contid_drop_cap(w, orch, CONTID_CAP_LAST_CAP + 1), 0);
	ck_assert_int_lt(contid_drop_cap(w, orch, -1), 0);
	ck_assert_int_eq(contid_task_has_cap(w, orch, CONTID_CAP_AUDIT_CONTROL,
					     &has), 0);
	ck_assert_int_eq(has, 1);
	ck_assert_int_lt(contid_task_set_name(w, 999, "x"), 0);
	assert_invariants(w);
	tw_free(tw);
}
END_TEST

/* contid_id_owner: "Either out-pointer may be NULL." */
START_TEST(test_api_id_owner_null_out_pointers)
{
	struct test_world *tw = tw_new();
	pid_t orch = fork_ok(tw->w, 1, 0);
	pid_t c1 = fork_ok(tw->w, orch, 0);
	uint64_t ident = 0, expect_ident = 1;
	pid_t p = 0;

	set_ok(tw->w, orch, c1, 100);
	ck_assert_int_eq(contid_task_identity(tw->w, orch, &expect_ident), 0);
	ck_assert_int_eq(contid_id_owner(tw->w, 100, NULL, NULL), 0);
	ck_assert_int_eq(contid_id_owner(tw->w, 100, &ident, NULL), 0);
	ck_assert_uint_eq(ident, expect_ident);
	ck_assert_int_eq(contid_id_owner(tw->w, 100, NULL, &p), 0);
	ck_assert_int_eq(p, orch);
	/* R-LIFE: after the owner is gone its pid reads 0, identity stays */
	ck_assert_int_eq(contid_exit(tw->w, orch), 0);
	ck_assert_int_eq(contid_id_owner(tw->w, 100, NULL, &p), 0);
	ck_assert_int_eq(p, orch);                 /* zombie: still exists */
	ck_assert_int_eq(contid_reap(tw->w, orch), 0);
	ident = 0;
	ck_assert_int_eq(contid_id_owner(tw->w, 100, &ident, &p), 0);
	ck_assert_int_eq(p, 0);
	ck_assert_uint_eq(ident, expect_ident);
	tw_free(tw);
}
END_TEST

/* Every errno the rules of SEMANTICS.md use (v11 and the profiles of
 * section 9), and those of the API itself, by name and back. */
static const struct {
	int err;
	const char *name;
} errnos[] = {
	{ EPERM, "EPERM" }, { ESRCH, "ESRCH" }, { EINVAL, "EINVAL" },
	{ ERANGE, "ERANGE" }, { ENOPROTOOPT, "ENOPROTOOPT" },
	{ EBUSY, "EBUSY" }, { EXDEV, "EXDEV" }, { EEXIST, "EEXIST" },
	{ ENOTUNIQ, "ENOTUNIQ" }, { ENOMEM, "ENOMEM" }, { ENOSPC, "ENOSPC" },
	{ EAGAIN, "EAGAIN" }, { ECHILD, "ECHILD" },
	/* profiles v6 and v8 */
	{ EALREADY, "EALREADY" }, { EADDRINUSE, "EADDRINUSE" },
	{ EBADSLT, "EBADSLT" }, { EMLINK, "EMLINK" },
	/* API: contid_write() length, contid_world_check(), lookups */
	{ EOVERFLOW, "EOVERFLOW" }, { EUCLEAN, "EUCLEAN" }, { ENOENT, "ENOENT" },
};

START_TEST(test_api_errno_names_round_trip)
{
	const char *name = contid_errno_name(errnos[_i].err);

	ck_assert_msg(name != NULL, "no name for %d", errnos[_i].err);
	ck_assert_str_eq(name, errnos[_i].name);
	name = contid_errno_name(-errnos[_i].err);
	ck_assert_msg(name != NULL, "no name for -%d", errnos[_i].err);
	ck_assert_str_eq(name, errnos[_i].name);
	ck_assert_int_eq(contid_errno_from_name(errnos[_i].name), errnos[_i].err);
	ck_assert_int_eq(contid_errno_from_name(contid_errno_name(errnos[_i].err)),
			 errnos[_i].err);
}
END_TEST

START_TEST(test_api_errno_names_unknown)
{
	static const int nums[] = { 0, 100000, -100000, INT_MAX, INT_MIN };
	static const char *const names[] = {
		"", "E", "EPER", "EPERMX", " EPERM", "EPERM ", "ok", "OK",
		"ENOTANERRNO", "1",
	};

	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		ck_assert_msg(contid_errno_name(nums[i]) == NULL,
			      "%d has a name", nums[i]);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_msg(contid_errno_from_name(names[i]) == 0,
			      "'%s' has a number", names[i]);
}
END_TEST

/* orch (2) -> c1 (3) holding 100; engine (4) in c1 -> c2 (5) holding
 * "200,^100"; inner (6) in c2 -> c3 (7) holding "300,^200,^100". */
static void build_chain(struct contid_world *w)
{
	ck_assert_int_eq(fork_ok(w, 1, 0), 2);
	ck_assert_int_eq(fork_ok(w, 2, 0), 3);
	set_ok(w, 2, 3, 100);
	ck_assert_int_eq(fork_ok(w, 3, 0), 4);
	ck_assert_int_eq(fork_ok(w, 4, 0), 5);
	set_ok(w, 4, 5, 200);
	ck_assert_int_eq(fork_ok(w, 5, 0), 6);
	ck_assert_int_eq(fork_ok(w, 6, 0), 7);
	set_ok(w, 6, 7, 300);
}

/* contid_task_chain: "returns the full length, writes at most @size
 * bytes including the NUL", like snprintf. */
START_TEST(test_api_chain_snprintf_truncation)
{
	static const struct {
		size_t size;
		const char *out;        /* NULL: nothing written */
	} t[] = {
		{ 0, NULL }, { 1, "" }, { 2, "3" }, { 4, "300" }, { 5, "300," },
		{ 13, "300,^200,^10" }, { 14, "300,^200,^100" },
		{ 15, "300,^200,^100" }, { 64, "300,^200,^100" },
	};
	struct test_world *tw = tw_new();
	char buf[80];

	build_chain(tw->w);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(buf, 'Z', sizeof(buf));
		ck_assert_int_eq(contid_task_chain(tw->w, 7, buf, t[i].size), 13);
		if (t[i].out) {
			ck_assert_str_eq(buf, t[i].out);
			for (size_t j = strlen(t[i].out) + 1; j < sizeof(buf); j++)
				ck_assert_msg(buf[j] == 'Z',
					      "size %zu: byte %zu written",
					      t[i].size, j);
		} else {
			ck_assert_int_eq(buf[0], 'Z');
		}
	}
	ck_assert_int_eq(contid_task_chain(tw->w, 7, NULL, 0), 13);
	ck_assert_int_eq(contid_task_chain(tw->w, 5, NULL, 0), 8);
	ck_assert_int_eq(contid_task_chain(tw->w, 5, buf, sizeof(buf)), 8);
	ck_assert_str_eq(buf, "200,^100");
	ck_assert_int_eq(contid_task_chain(tw->w, 3, buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "100");
	/* no ID: "-1" */
	ck_assert_int_eq(contid_task_chain(tw->w, 1, buf, sizeof(buf)), 2);
	ck_assert_str_eq(buf, "-1");
	memset(buf, 'Z', sizeof(buf));
	ck_assert_int_eq(contid_task_chain(tw->w, 2, buf, 2), 2);
	ck_assert_str_eq(buf, "-");
	ck_assert_int_eq(buf[2], 'Z');
	tw_free(tw);
}
END_TEST

START_TEST(test_api_chain_of_largest_value)
{
	struct test_world *tw = tw_new();
	char buf[32];

	ck_assert_int_eq(fork_ok(tw->w, 1, 0), 2);
	ck_assert_int_eq(fork_ok(tw->w, 2, 0), 3);
	set_ok(tw->w, 2, 3, UINT64_MAX - 1);
	ck_assert_int_eq(contid_task_chain(tw->w, 3, buf, sizeof(buf)), 20);
	ck_assert_str_eq(buf, "18446744073709551614");
	tw_free(tw);
}
END_TEST

/* contid_task_netns_ids: "returns their number and writes at most @max
 * of them", front first (section 7). */
START_TEST(test_api_netns_ids_truncation)
{
	struct test_world *tw = tw_new();
	uint64_t ids[5];
	pid_t n;

	build_chain(tw->w);
	for (size_t max = 0; max <= 4; max++) {
		static const uint64_t order[] = { 300, 200, 100 };

		for (size_t i = 0; i < 5; i++)
			ids[i] = S64;
		ck_assert_int_eq(contid_task_netns_ids(tw->w, 1, ids, max), 3);
		for (size_t i = 0; i < 5; i++) {
			if (i < max && i < 3)
				ck_assert_uint_eq(ids[i], order[i]);
			else
				ck_assert_uint_eq(ids[i], S64);
		}
	}
	ck_assert_int_eq(contid_task_netns_ids(tw->w, 7, NULL, 0), 3);
	n = fork_ok(tw->w, 1, CONTID_CLONE_NEWNET);
	ids[0] = S64;
	ck_assert_int_eq(contid_task_netns_ids(tw->w, n, ids, 5), 0);
	ck_assert_uint_eq(ids[0], S64);
	tw_free(tw);
}
END_TEST

START_TEST(test_api_task_and_id_counts)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	pid_t a, t, b;

	ck_assert_uint_eq(contid_task_count(w), 1);
	ck_assert_uint_eq(contid_id_count(w), 0);
	a = fork_ok(w, 1, 0);
	ck_assert_uint_eq(contid_task_count(w), 2);
	b = fork_ok(w, a, 0);
	set_ok(w, a, b, 100);
	ck_assert_uint_eq(contid_id_count(w), 1);
	t = fork_ok(w, b, CONTID_CLONE_THREAD);
	ck_assert_uint_eq(contid_task_count(w), 4);
	ck_assert_uint_eq(contid_id_count(w), 1);     /* shared, not copied */
	/* R-EXIT: "A non-leader thread disappears immediately" */
	ck_assert_int_eq(contid_exit(w, t), 0);
	ck_assert_uint_eq(contid_task_count(w), 3);
	/* a zombie is not gone */
	ck_assert_int_eq(contid_exit(w, b), 0);
	ck_assert_uint_eq(contid_task_count(w), 3);
	ck_assert_uint_eq(contid_id_count(w), 0);     /* b held the last ref */
	ck_assert_int_eq(contid_reap(w, b), 0);
	ck_assert_uint_eq(contid_task_count(w), 2);
	/* failed operations change nothing */
	ck_assert_int_eq(contid_reap(w, b), -ESRCH);
	ck_assert_int_eq(contid_exit(w, 1), -EPERM);
	ck_assert_uint_eq(contid_task_count(w), 2);
	tw_free(tw);
}
END_TEST

START_TEST(test_api_id_count_nesting_and_reset)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	uint64_t vals[4] = { S64, S64, S64, S64 };

	build_chain(w);
	ck_assert_uint_eq(contid_id_count(w), 3);
	ck_assert_int_eq(contid_id_list(w, vals, 2), 3);
	ck_assert_uint_ne(vals[0], S64);
	ck_assert_uint_ne(vals[1], S64);
	ck_assert_uint_eq(vals[2], S64);
	ck_assert_int_eq(contid_id_list(w, NULL, 0), 3);
	/* c3 (7) exits: 300 freed, 200 and 100 still held */
	ck_assert_int_eq(contid_exit(w, 7), 0);
	ck_assert_uint_eq(contid_id_count(w), 2);
	assert_invariants(w);
	tw_free(tw);
}
END_TEST

Suite *suite_check(void)
{
	Suite *s = suite_create("check");
	TCase *tc;

	tc = tcase_create("invariants");
	tcase_set_timeout(tc, 240);
	tcase_add_loop_test(tc, test_invariants_random_walk, 0,
			    (int)(sizeof(walks) / sizeof(walks[0])));
	tcase_add_test(tc, test_invariants_random_walk_is_deterministic);
	tcase_add_test(tc, test_invariants_hold_along_nesting_story);
	tcase_add_test(tc, test_invariants_check_without_message_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("api-world");
	tcase_add_test(tc, test_api_world_free_null);
	tcase_add_test(tc, test_api_pid_max_bounds);
	tcase_add_test(tc, test_api_pid_max_effect);
	suite_add_tcase(s, tc);

	tc = tcase_create("api-out-params");
	tcase_add_test(tc, test_api_out_params_untouched_on_failure);
	tcase_add_test(tc, test_api_out_buffers_untouched_on_failure);
	tcase_add_test(tc, test_api_id_owner_null_out_pointers);
	tcase_add_test(tc, test_api_write_null_empty_and_overflow);
	suite_add_tcase(s, tc);

	tc = tcase_create("api-errno-names");
	tcase_add_loop_test(tc, test_api_errno_names_round_trip, 0,
			    (int)(sizeof(errnos) / sizeof(errnos[0])));
	tcase_add_test(tc, test_api_errno_names_unknown);
	suite_add_tcase(s, tc);

	tc = tcase_create("api-format");
	tcase_add_test(tc, test_api_chain_snprintf_truncation);
	tcase_add_test(tc, test_api_chain_of_largest_value);
	tcase_add_test(tc, test_api_netns_ids_truncation);
	suite_add_tcase(s, tc);

	tc = tcase_create("api-counts");
	tcase_add_test(tc, test_api_task_and_id_counts);
	tcase_add_test(tc, test_api_id_count_nesting_and_reset);
	suite_add_tcase(s, tc);

	return s;
}
