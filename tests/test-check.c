/*
 * docs/semantics.md section 10: the invariants hold along random walks and
 * stories, seen through contid_world_check() and through the public
 * inspection API.  That the checker catches each broken one is
 * test-check-broken.c's.
 */
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
		 * nested objects referring to it", and the signal pin counts
		 * as a reference (section 6a) */
		uint64_t pinned = CONTID_UNSET;
		contid_pinned(w, &pinned);
		REQUIRE_EQ(contid_id_users(w, v, &users), 0);
		REQUIRE_EQ(contid_id_refs(w, v, &refs), 0);
		REQUIRE_EQ(users, held[i]);
		REQUIRE_EQ(refs, held[i] + children[i] + (pinned == v));
		/* "every live object is reachable from a task, a child object
		 * or the signal pin" */
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
	OP_GET, OP_GET_CAP, OP_EVENT, OP_PACKET, OP_AUDITD, OP_SIGNAL,
	OP_SIGNAL_INFO, OP_NKINDS
};

static const char *const op_names[OP_NKINDS] = {
	"fork", "exit", "reap", "set", "write", "unshare", "setns", "setuid",
	"drop-cap", "subreaper", "set-capcontid", "write-capcontid", "get",
	"get-capcontid", "event", "packet", "auditd", "signal", "signal-info",
};

struct walk {
	struct test_world *tw;
	uint64_t rng;
	unsigned ops;           /* operation calls so far = clock in ms */
	unsigned serial;        /* last event serial seen */
	unsigned ok[OP_NKINDS];
	unsigned drops, nested, max_ids;
	unsigned pins;          /* signals after which an ID was pinned */
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
	[OP_PACKET] = 2, [OP_AUDITD] = 1, [OP_SIGNAL] = 3, [OP_SIGNAL_INFO] = 1,
};
static const unsigned weight_total = 45;

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
	case OP_AUDITD:
		r = contid_set_auditd(w, a);
		break;
	case OP_SIGNAL: {
		/* the daemon more often than not, so that signals pin */
		static const int sigs[] = { CONTID_SIG_TERM, CONTID_SIG_HUP,
					    CONTID_SIG_KILL };
		pid_t daemon = 0;

		b = contid_auditd(w, &daemon) == 0 && rnd(wk, 3) ? daemon
								 : pick(wk, pids, n);
		r = contid_signal(w, a, b, sigs[rnd(wk, 3)]);
		wk->pins += contid_pinned(w, &id) == 0;
		break;
	}
	case OP_SIGNAL_INFO: {
		uint32_t uid;
		pid_t pid;
		char *chain = NULL;

		r = contid_signal_info(w, a, &uid, &pid, &chain);
		free(chain);
		break;
	}
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
	ck_assert_uint_gt(wk.pins, 0);
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


	return s;
}
