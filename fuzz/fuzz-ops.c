/*
 * fuzz-ops: the input is decoded into a sequence of library calls on one
 * small world, and after every call the invariants of docs/semantics.md
 * section 10 (contid_world_check()) and a set of cross-properties seen
 * through the public API must hold, and at the end a clone must have the
 * world's canonical digest.  The first broken one aborts.
 *
 * Input layout (bytes past the end read as 0):
 *   byte 0    pid_max = 16 + byte % 49 (16..64), so pids wrap and are reused
 *   byte 1    bits 0-2: profile (an index into contid_profile_names(); past
 *             its end, v11),
 *             bit 3: auditing off, bits 4-6: depth limit, bit 7: a record
 *             callback is installed
 *   then operations, each one opcode byte and its arguments:
 *     opcode bit 7 set: the next byte k gives contid_debug_fail_allocation
 *     (k % 16 + 1) before the call: an injected failure must give -ENOMEM
 *     and leave contid_world_dump() unchanged; no injected failure must
 *     never give -ENOMEM.  Without one, the clock must move by one for each
 *     operation, and a failed operation must change nothing else but the
 *     event serial (check_effects()) and name the rule that refused it
 *     (check_refusal()).
 *     opcode bits 0-6 % NOPS: the operation (see the switch below).
 *   A pid argument byte b: b < 0x80 picks from the pids forks returned
 *   (plus init); b >= 0x80 is the raw number (b & 0x7f) - 1, so 0, -1 and
 *   pids above pid_max occur; 0xff is INT32_MAX.
 */
#include <contid.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contid-alloc.h"
#include "contid-rules.h"
#include "contid-world.h"

#define NKNOWN 16
#define MAX_OPS 4096

struct input {
	const uint8_t *p;
	size_t n;
};

struct fuzz {
	struct contid_world *w;
	struct input in;
	pid_t known[NKNOWN];
	unsigned nknown, next_known;
	unsigned pid_max;
	uint64_t max_identity;
	unsigned long records;
	const char *op;           /* name of the call being checked */
};

__attribute__((format(printf, 2, 3), noreturn))
static void fail(const struct fuzz *f, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz-ops: after %s: ", f->op ? f->op : "setup");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

#define REQUIRE(f, cond, ...) \
	do { \
		if (!(cond)) \
			fail((f), __VA_ARGS__); \
	} while (0)

static uint8_t take(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t take32(struct input *in)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | take(in);
	return v;
}

static uint64_t take64(struct input *in)
{
	return (uint64_t)take32(in) << 32 | take32(in);
}

static pid_t take_pid(struct fuzz *f)
{
	uint8_t b = take(&f->in);

	if (b == 0xff)
		return INT32_MAX;
	if (b & 0x80)
		return (pid_t)(b & 0x7f) - 1;
	return f->known[b % f->nknown];
}

static void remember(struct fuzz *f, pid_t pid)
{
	/* slot 0 stays init */
	if (f->nknown < NKNOWN) {
		f->known[f->nknown++] = pid;
		return;
	}
	f->known[1 + f->next_known] = pid;
	f->next_known = (f->next_known + 1) % (NKNOWN - 1);
}

static void on_record(void *data, int type, const char *line, size_t len)
{
	struct fuzz *f = data;

	/* records are whole lines: no newline, no NUL inside, a known type */
	if (!contid_record_type_name(type) || len == 0 || memchr(line, '\n', len) ||
	    strlen(line) != len || strncmp(line, "type=", 5) != 0)
		fail(f, "malformed record of type %d: %.*s", type, (int)len, line);
	f->records++;
}

/* ------------------------------------------------- cross-properties */

static bool v8_chains(const struct contid_world *w)
{
	return strcmp(contid_world_profile(w), "v8") == 0;
}

/* A chain as records print it must list the task's ID and then each
 * nesting parent, as contid_task_contid() and contid_id_parent() say. */
static void check_chain(struct fuzz *f, pid_t pid)
{
	char small[256], *buf = small;
	int len = contid_task_chain(f->w, pid, small, sizeof(small));

	REQUIRE(f, len > 0, "contid_task_chain(%d) = %d", pid, len);
	if ((size_t)len >= sizeof(small)) {
		buf = malloc((size_t)len + 1);
		REQUIRE(f, buf, "out of memory");
		REQUIRE(f, contid_task_chain(f->w, pid, buf, (size_t)len + 1) == len,
			"contid_task_chain(%d) changed length", pid);
	}
	REQUIRE(f, strlen(buf) == (size_t)len, "chain of %d: length %d for \"%s\"",
		pid, len, buf);

	uint64_t id;
	REQUIRE(f, contid_task_contid(f->w, pid, &id) == 0, "contid_task_contid(%d)", pid);
	bool v8 = v8_chains(f->w);
	const char *none = v8 ? "18446744073709551615" : "-1";
	const char *sep = v8 ? "^" : ",^";
	if (id == CONTID_UNSET) {
		REQUIRE(f, strcmp(buf, none) == 0, "task %d has no ID but chain \"%s\"",
			pid, buf);
		goto out;
	}
	const char *s = buf;
	uint64_t want = id;
	size_t links = 0, nids = contid_id_count(f->w);
	for (;;) {
		char *end;
		if (*s < '0' || *s > '9')
			fail(f, "chain \"%s\" of %d: no number at \"%s\"", buf, pid, s);
		errno = 0;
		unsigned long long v = strtoull(s, &end, 10);
		REQUIRE(f, errno == 0 && v == want,
			"chain \"%s\" of %d: %llu where %" PRIu64 " belongs", buf, pid, v, want);
		uint64_t parent;
		REQUIRE(f, contid_id_parent(f->w, want, &parent) == 0,
			"chain of %d names %" PRIu64 ", which is not a live ID", pid, want);
		s = end;
		if (parent == CONTID_UNSET) {
			REQUIRE(f, *s == '\0', "chain \"%s\" of %d goes on after its root",
				buf, pid);
			break;
		}
		REQUIRE(f, strncmp(s, sep, strlen(sep)) == 0,
			"chain \"%s\" of %d: expected \"%s%" PRIu64 "\" at \"%s\"", buf, pid,
			sep, parent, s);
		s += strlen(sep);
		want = parent;
		REQUIRE(f, ++links <= nids, "chain of %d longer than the ID count", pid);
	}
out:
	if (buf != small)
		free(buf);
}

static bool netns_lists(struct fuzz *f, pid_t pid, uint64_t id)
{
	uint64_t ids[256];
	int n = contid_task_netns_ids(f->w, pid, ids, 256);

	REQUIRE(f, n >= 0 && (size_t)n <= contid_id_count(f->w),
		"contid_task_netns_ids(%d) = %d with %zu IDs", pid, n, contid_id_count(f->w));
	for (int i = 0; i < n && i < 256; i++)
		if (ids[i] == id)
			return true;
	return n > 256; /* not all seen: assume listed */
}

static void check_world(struct fuzz *f)
{
	char msg[512];

	if (contid_world_check(f->w, msg, sizeof(msg)) != 0)
		fail(f, "broken invariant: %s", msg);

	size_t tasks = 0;
	unsigned long holders = 0;
	for (pid_t pid = 0; contid_task_next(f->w, pid, &pid) == 0;) {
		int state;
		pid_t tgid, ppid, tgid2;
		uint64_t id, identity;
		uint32_t cap;
		unsigned level;

		tasks++;
		REQUIRE(f, tasks <= contid_task_count(f->w), "more tasks than counted");
		REQUIRE(f, pid >= 1 && pid < (pid_t)CONTID_PID_MAX_LIMIT, "pid %d", pid);
		REQUIRE(f, contid_task_state(f->w, pid, &state) == 0 &&
			(state == CONTID_TASK_RUNNING || state == CONTID_TASK_ZOMBIE),
			"state of %d", pid);
		REQUIRE(f, contid_task_identity(f->w, pid, &identity) == 0 &&
			identity <= f->max_identity, "identity of %d", pid);
		REQUIRE(f, contid_task_tgid(f->w, pid, &tgid) == 0 &&
			contid_task_tgid(f->w, tgid, &tgid2) == 0 && tgid2 == tgid,
			"thread group of %d", pid);
		REQUIRE(f, contid_task_ppid(f->w, pid, &ppid) == 0, "ppid of %d", pid);
		if (tgid == 1) {
			REQUIRE(f, ppid == 0, "init's process has parent %d", ppid);
		} else {
			int is;
			/* the parent process runs, though its leader may be a
			 * zombie waiting for its threads */
			REQUIRE(f, contid_task_tgid(f->w, ppid, &tgid2) == 0 && tgid2 == ppid,
				"parent %d of %d is not a process", ppid, pid);
			REQUIRE(f, contid_task_is_descendant(f->w, pid, 1, &is) == 0 && is,
				"%d is not a descendant of init", pid);
			REQUIRE(f, contid_task_is_descendant(f->w, pid, ppid, &is) == 0 && is,
				"%d is not a descendant of its parent %d", pid, ppid);
			REQUIRE(f, contid_task_is_descendant(f->w, ppid, pid, &is) == 0 && !is,
				"%d and its parent %d descend from each other", pid, ppid);
		}
		REQUIRE(f, contid_task_userns_level(f->w, pid, &level) == 0 && level <= 33,
			"user namespace level of %d", pid);
		REQUIRE(f, contid_task_contid(f->w, pid, &id) == 0 &&
			contid_task_capcontid(f->w, pid, &cap) == 0, "audit state of %d", pid);
		if (state == CONTID_TASK_ZOMBIE) {
			REQUIRE(f, pid == tgid, "zombie %d is not a leader", pid);
			REQUIRE(f, id == CONTID_UNSET && cap == 0,
				"zombie %d holds ID %" PRIu64 " / capcontid %u", pid, id, cap);
		}
		if (id != CONTID_UNSET) {
			unsigned users, refs;
			holders++;
			REQUIRE(f, contid_id_users(f->w, id, &users) == 0 && users >= 1 &&
				contid_id_refs(f->w, id, &refs) == 0 && refs >= users,
				"ID %" PRIu64 " of %d: users/refs", id, pid);
			REQUIRE(f, netns_lists(f, pid, id),
				"ID %" PRIu64 " of %d missing from its network namespace", id, pid);
		}
		check_chain(f, pid);
	}
	REQUIRE(f, tasks == contid_task_count(f->w), "%zu tasks found, %zu counted",
		tasks, contid_task_count(f->w));

	size_t nids = contid_id_count(f->w);
	uint64_t *values = malloc((nids ? nids : 1) * sizeof(*values));
	REQUIRE(f, values, "out of memory");
	int n = contid_id_list(f->w, values, nids);
	REQUIRE(f, n >= 0 && (size_t)n == nids, "contid_id_list = %d, count %zu", n, nids);
	unsigned long users_sum = 0;
	for (size_t i = 0; i < nids; i++) {
		unsigned users, refs;
		uint64_t owner_identity, identity;
		pid_t owner;
		REQUIRE(f, values[i] != CONTID_UNSET, "a live ID holds the unset value");
		REQUIRE(f, contid_id_users(f->w, values[i], &users) == 0 &&
			contid_id_refs(f->w, values[i], &refs) == 0 && users <= refs,
			"ID %" PRIu64 ": users %u > refs %u", values[i], users, refs);
		users_sum += users;
		REQUIRE(f, contid_id_owner(f->w, values[i], &owner_identity, &owner) == 0,
			"owner of %" PRIu64, values[i]);
		if (owner)
			REQUIRE(f, contid_task_identity(f->w, owner, &identity) == 0 &&
				identity == owner_identity,
				"owner pid %d of %" PRIu64 " is another task", owner, values[i]);
	}
	free(values);
	REQUIRE(f, users_sum == holders, "IDs count %lu users, %lu tasks hold one",
		users_sum, holders);

	/* section 6a: the pin names a live ID, which it counts as a reference
	 * beside its users; only the profiles that pin hold anything; the
	 * daemon is a process */
	uint64_t pinned;
	int r = contid_pinned(f->w, &pinned);
	REQUIRE(f, r == 0 || r == -ENOENT, "contid_pinned = %d", r);
	if (r == 0) {
		unsigned users, refs;
		REQUIRE(f, f->w->profile->pin_signaller, "%s pins %" PRIu64,
			contid_world_profile(f->w), pinned);
		REQUIRE(f, contid_id_users(f->w, pinned, &users) == 0 &&
			contid_id_refs(f->w, pinned, &refs) == 0 && refs >= users + 1,
			"pinned ID %" PRIu64 " is not live, or its pin is not counted",
			pinned);
	}
	pid_t daemon, tgid;
	r = contid_auditd(f->w, &daemon);
	REQUIRE(f, r == 0 || r == -ENOENT, "contid_auditd = %d", r);
	if (r == 0)
		REQUIRE(f, contid_task_tgid(f->w, daemon, &tgid) == 0 && tgid == daemon,
			"the audit daemon %d is not a process", daemon);
}

/* docs/semantics.md section 11: a clone has the world's canonical digest,
 * with and without values treated alike (whose sort and tries so run on
 * the last world of every input: after every call, they would halve the
 * harness's speed). */
static void check_digests(struct fuzz *f)
{
	static const uint64_t alike[] = { 1, 2, 3 };
	struct contid_world *c;
	uint64_t da[2], db[2];

	REQUIRE(f, contid_world_clone(f->w, &c) == 0, "clone failed");
	for (size_t n = 0; n <= 3; n += 3) {
		int r = contid_world_digest_canonical(f->w, 0, alike, n, da);
		REQUIRE(f, r == 0, "canonical digest = %d", r);
		r = contid_world_digest_canonical(c, 0, alike, n, db);
		REQUIRE(f, r == 0 && da[0] == db[0] && da[1] == db[1],
			"the clone's canonical digest differs");
	}
	contid_world_free(c);
}

/* ---------------------------------------------------------- operations */

enum op {
	OP_FORK, OP_EXIT, OP_REAP, OP_SUBREAPER, OP_UNSHARE, OP_SETNS,
	OP_SETUID, OP_DROP_CAP, OP_WRITE, OP_SET, OP_GET, OP_WRITE_CAPCONTID,
	OP_SET_CAPCONTID, OP_GET_CAPCONTID, OP_EVENT, OP_PACKET, OP_AUDIT,
	OP_SET_NAME, OP_LIMIT, OP_PID_MAX, OP_PROFILE, OP_DEPTH_LIMIT,
	OP_AUDITD, OP_SIGNAL, OP_SIGNAL_INFO,
	NOPS
};

static const char *const op_names[NOPS] = {
	"fork", "exit", "reap", "subreaper", "unshare", "setns", "setuid",
	"drop-cap", "write", "set", "get", "write-capcontid", "set-capcontid",
	"get-capcontid", "event", "packet", "audit", "set-name", "limit",
	"pid-max", "profile", "depth-limit", "auditd", "signal", "signal-info",
};

/* Operations act on the world (the clock moves, the last refusal is
 * theirs); the others are settings and naming. */
static bool is_operation(enum op op)
{
	return op <= OP_PACKET || op >= OP_AUDITD;
}

/* The ID a task holds, CONTID_UNSET for none or no task. */
static uint64_t held_by(const struct fuzz *f, pid_t pid)
{
	uint64_t id = CONTID_UNSET;

	contid_task_contid(f->w, pid, &id);
	return id;
}

static uint64_t pinned_value(const struct fuzz *f)
{
	uint64_t v = CONTID_UNSET;

	contid_pinned(f->w, &v);
	return v;
}

static uint64_t take_value(struct input *in)
{
	uint8_t b = take(in);

	switch (b >> 6) {
	case 0:
	case 1:
		return b % 12; /* few values: collisions, injection, reuse */
	case 2:            /* bit strings for the bits profile */
		return UINT64_C(1) << (take(in) % 64) | UINT64_C(1) << (b % 64);
	default:
		switch (b % 6) {
		case 0: return CONTID_UNSET;
		case 1: return CONTID_UNSET - 1;
		case 2: return UINT32_MAX;
		case 3: return (uint64_t)UINT32_MAX + 1;
		default: return take64(in);
		}
	}
}

static uint32_t take_uid(struct input *in)
{
	static const uint32_t uids[] = { 0, 1000, 1, 65534, UINT32_MAX, UINT32_MAX - 1, 0 };
	uint8_t b = take(in);

	return b < 0xf0 ? uids[b % 7] : take32(in);
}

static int take_cap(struct input *in)
{
	static const int caps[] = {
		CONTID_CAP_AUDIT_CONTROL, CONTID_CAP_SYS_ADMIN, CONTID_CAP_SETUID,
	};
	uint8_t b = take(in);

	return b < 0xc0 ? caps[b % 3] : (int)b - 0xc8; /* -8 .. 55 */
}

static int take_nstype(struct input *in)
{
	uint8_t b = take(in);

	return b < 0xf0 ? (b & 1 ? CONTID_NS_NET : CONTID_NS_USER) : (int)(b & 0xf) - 4;
}

/* A buffer of 0..79 bytes taken from the input (a pointer into it). */
static const char *take_buffer(struct input *in, size_t *len)
{
	size_t want = take(in) % 80;
	const char *p = (const char *)in->p;

	*len = want < in->n ? want : in->n;
	in->p += *len;
	in->n -= *len;
	return p;
}

struct before {
	uint64_t id;
	uint32_t uid;
	unsigned level;
	pid_t tgid, ppid;
	bool exists;
};

static struct before observe(struct fuzz *f, pid_t pid)
{
	struct before b = { .id = CONTID_UNSET };

	b.exists = contid_task_contid(f->w, pid, &b.id) == 0;
	if (b.exists) {
		contid_task_uid(f->w, pid, &b.uid);
		contid_task_userns_level(f->w, pid, &b.level);
		contid_task_tgid(f->w, pid, &b.tgid);
		contid_task_ppid(f->w, pid, &b.ppid);
	}
	return b;
}

/* Runs one operation; returns its result for the ENOMEM bookkeeping.
 * Checks that need the world as it was are made here, before and after. */
static int run_op(struct fuzz *f, enum op op)
{
	struct contid_world *w = f->w;
	int r;

	switch (op) {
	case OP_FORK: {
		pid_t parent = take_pid(f), child = -1;
		unsigned flags = take(&f->in) & 0x1f; /* 0x10: unknown flag */
		struct before p = observe(f, parent);
		r = contid_fork(w, parent, flags, &child);
		if (r != 0) {
			REQUIRE(f, child == -1, "failed fork wrote the child pid");
			break;
		}
		REQUIRE(f, p.exists && !(flags & 0x10), "fork from %d flags %#x succeeded",
			parent, flags);
		REQUIRE(f, child >= 2 && (unsigned)child < f->pid_max,
			"fork gave pid %d with pid_max %u", child, f->pid_max);
		struct before c = observe(f, child);
		uint64_t identity;
		uint32_t cap;
		int state;
		REQUIRE(f, c.exists && contid_task_identity(w, child, &identity) == 0 &&
			identity > f->max_identity, "child %d is not a new task", child);
		f->max_identity = identity;
		REQUIRE(f, contid_task_state(w, child, &state) == 0 &&
			state == CONTID_TASK_RUNNING, "child %d does not run", child);
		REQUIRE(f, c.id == p.id, "child %d has ID %" PRIu64 ", parent %" PRIu64,
			child, c.id, p.id);
		REQUIRE(f, contid_task_capcontid(w, child, &cap) == 0 && cap == 0,
			"child %d inherited capcontid", child);
		REQUIRE(f, c.uid == p.uid, "child %d has another uid", child);
		REQUIRE(f, c.level == p.level + !!(flags & CONTID_CLONE_NEWUSER),
			"child %d at user namespace level %u, parent %u", child, c.level,
			p.level);
		if (flags & CONTID_CLONE_THREAD)
			REQUIRE(f, c.tgid == p.tgid && c.ppid == p.ppid,
				"thread %d not in its creator's group", child);
		else
			REQUIRE(f, c.tgid == child &&
				c.ppid == (flags & CONTID_CLONE_PARENT ? p.ppid : p.tgid),
				"child %d: tgid %d, ppid %d", child, c.tgid, c.ppid);
		remember(f, child);
		break;
	}
	case OP_EXIT: {
		pid_t pid = take_pid(f);
		r = contid_exit(w, pid);
		if (r == 0) {
			int state;
			uint64_t id;
			if (contid_task_state(w, pid, &state) == 0)
				REQUIRE(f, state == CONTID_TASK_ZOMBIE &&
					contid_task_contid(w, pid, &id) == 0 &&
					id == CONTID_UNSET, "exited %d still runs", pid);
		}
		break;
	}
	case OP_REAP: {
		pid_t pid = take_pid(f);
		int state;
		r = contid_reap(w, pid);
		if (r == 0)
			REQUIRE(f, contid_task_state(w, pid, &state) == -ESRCH,
				"reaped %d is still there", pid);
		break;
	}
	case OP_SUBREAPER: {
		pid_t pid = take_pid(f);
		int is;
		r = contid_set_subreaper(w, pid);
		if (r == 0)
			REQUIRE(f, contid_task_subreaper(w, pid, &is) == 0 && is,
				"subreaper %d not marked", pid);
		break;
	}
	case OP_UNSHARE: {
		pid_t pid = take_pid(f);
		int nstype = take_nstype(&f->in), has;
		struct before b = observe(f, pid);
		r = contid_unshare(w, pid, nstype);
		if (r == 0 && nstype == CONTID_NS_USER) {
			struct before a = observe(f, pid);
			REQUIRE(f, a.level == b.level + 1 &&
				contid_task_has_cap(w, pid, CONTID_CAP_SYS_ADMIN, &has) == 0 && has,
				"unshare user of %d: level %u -> %u", pid, b.level, a.level);
		}
		break;
	}
	case OP_SETNS: {
		pid_t pid = take_pid(f);
		int nstype = take_nstype(&f->in);
		pid_t other = take_pid(f);
		r = contid_setns(w, pid, nstype, other);
		if (r == 0 && nstype == CONTID_NS_USER) {
			REQUIRE(f, observe(f, pid).level == observe(f, other).level,
				"setns user: %d not at %d's level", pid, other);
		} else if (r == 0 && nstype == CONTID_NS_NET) {
			uint64_t a[64], b[64];
			int na = contid_task_netns_ids(w, pid, a, 64);
			int nb = contid_task_netns_ids(w, other, b, 64);
			REQUIRE(f, na == nb && na >= 0 &&
				memcmp(a, b, (size_t)(na < 64 ? na : 64) * sizeof(*a)) == 0,
				"setns net: %d and %d list different IDs", pid, other);
		}
		break;
	}
	case OP_SETUID: {
		pid_t pid = take_pid(f);
		uint32_t uid = take_uid(&f->in);
		r = contid_setuid(w, pid, uid);
		if (r == 0)
			REQUIRE(f, observe(f, pid).uid == uid, "setuid %d %u not applied", pid, uid);
		break;
	}
	case OP_DROP_CAP: {
		pid_t pid = take_pid(f);
		int cap = take_cap(&f->in), has;
		r = contid_drop_cap(w, pid, cap);
		if (r == 0)
			REQUIRE(f, contid_task_has_cap(w, pid, cap, &has) == 0 && !has,
				"drop-cap %d %d kept it", pid, cap);
		break;
	}
	case OP_WRITE: {
		pid_t writer = take_pid(f), target = take_pid(f);
		size_t len;
		const char *buf = take_buffer(&f->in, &len);
		/* an empty write passes NULL half of the time */
		if (!len && (take(&f->in) & 1))
			buf = NULL;
		r = contid_write(w, writer, target, buf, len);
		REQUIRE(f, r < 0 || (size_t)r == len, "write of %zu bytes returned %d", len, r);
		break;
	}
	case OP_SET: {
		pid_t writer = take_pid(f), target = take_pid(f);
		uint64_t value = take_value(&f->in), now;
		r = contid_set(w, writer, target, value);
		if (r == 0) {
			REQUIRE(f, value != CONTID_UNSET, "the unset value was written");
			REQUIRE(f, contid_task_contid(w, target, &now) == 0 &&
				(now == value ||
				 (value == 0 && !strcmp(contid_world_profile(w), "kernel-alloc"))),
				"set %" PRIu64 " on %d gave %" PRIu64, value, target, now);
		}
		break;
	}
	case OP_GET: {
		pid_t reader = take_pid(f), target = take_pid(f);
		uint64_t got = 0x5a5a5a5a, own;
		r = contid_get(w, reader, target, &got);
		if (r == 0)
			REQUIRE(f, contid_task_contid(w, target, &own) == 0 && own == got,
				"get %d = %" PRIu64 ", task holds %" PRIu64, target, got, own);
		else
			REQUIRE(f, got == 0x5a5a5a5a, "failed get wrote its result");
		break;
	}
	case OP_WRITE_CAPCONTID: {
		pid_t writer = take_pid(f), target = take_pid(f);
		size_t len;
		const char *buf = take_buffer(&f->in, &len);
		if (!len && (take(&f->in) & 1))
			buf = NULL;
		r = contid_write_capcontid(w, writer, target, buf, len);
		REQUIRE(f, r < 0 || (size_t)r == len, "capcontid write of %zu returned %d",
			len, r);
		break;
	}
	case OP_SET_CAPCONTID: {
		pid_t writer = take_pid(f), target = take_pid(f);
		uint8_t b = take(&f->in);
		uint32_t value = b < 0x80 ? b % 3 : take32(&f->in), now;
		r = contid_set_capcontid(w, writer, target, value);
		if (r == 0)
			REQUIRE(f, contid_task_capcontid(w, target, &now) == 0 && now == value,
				"set capcontid %u on %d gave %u", value, target, now);
		break;
	}
	case OP_GET_CAPCONTID: {
		pid_t reader = take_pid(f), target = take_pid(f);
		uint32_t got = 0x5a5a5a5a, own;
		r = contid_get_capcontid(w, reader, target, &got);
		if (r == 0)
			REQUIRE(f, contid_task_capcontid(w, target, &own) == 0 && own == got,
				"get capcontid %d = %u, task holds %u", target, got, own);
		else
			REQUIRE(f, got == 0x5a5a5a5a, "failed capcontid get wrote its result");
		break;
	}
	case OP_EVENT:
		r = contid_event(w, take_pid(f));
		break;
	case OP_PACKET:
		r = contid_packet(w, take_pid(f));
		break;
	case OP_AUDIT:
		r = contid_world_set_audit(w, take(&f->in) & 1);
		REQUIRE(f, r == 0, "contid_world_set_audit = %d", r);
		break;
	case OP_SET_NAME: {
		pid_t pid = take_pid(f);
		size_t len;
		const char *bytes = take_buffer(&f->in, &len);
		char name[96];
		memcpy(name, bytes, len);
		name[len] = '\0';
		r = contid_task_set_name(w, pid, name);
		REQUIRE(f, r != 0 || (strlen(name) >= 1 && strlen(name) <= 255),
			"name of %zu bytes accepted", strlen(name));
		break;
	}
	case OP_LIMIT: {
		uint8_t b = take(&f->in);
		int what = b & 3;        /* 0 and 3 are unknown */
		unsigned long max = (unsigned long)take(&f->in) % 24;
		r = contid_world_set_limit(w, what, max);
		REQUIRE(f, r == ((what == CONTID_LIMIT_TASKS || what == CONTID_LIMIT_IDS)
				 ? 0 : -EINVAL), "contid_world_set_limit(%d) = %d", what, r);
		break;
	}
	case OP_PID_MAX: {
		/* existing pids are kept, even above a lowered pid_max */
		unsigned pid_max = take(&f->in) % 70;
		r = contid_world_set_pid_max(w, pid_max);
		REQUIRE(f, r == (pid_max >= 2 ? 0 : -EINVAL), "set_pid_max(%u) = %d",
			pid_max, r);
		if (r == 0)
			f->pid_max = pid_max;
		break;
	}
	case OP_PROFILE: {
		/* allowed before the first operation only */
		const char *const *names = contid_profile_names();
		size_t n = 0;
		while (names[n])
			n++;
		const char *name = names[take(&f->in) % n];
		const char *before = contid_world_profile(w);
		r = contid_world_set_profile(w, name);
		REQUIRE(f, r == 0 || (r == -EBUSY && contid_world_profile(w) == before),
			"set_profile(%s) = %d", name, r);
		if (r == 0)
			REQUIRE(f, strcmp(contid_world_profile(w), name) == 0,
				"profile %s not selected", name);
		break;
	}
	case OP_DEPTH_LIMIT:
		r = contid_world_set_depth_limit(w, take(&f->in) % 6);
		REQUIRE(f, r == 0, "set_depth_limit = %d", r);
		break;
	case OP_AUDITD: {
		pid_t pid = take_pid(f), daemon, tgid;
		uint64_t before = pinned_value(f);
		r = contid_set_auditd(w, pid);
		if (r == 0)
			REQUIRE(f, contid_auditd(w, &daemon) == 0 &&
				contid_task_tgid(w, pid, &tgid) == 0 && daemon == tgid,
				"auditd %d: the daemon is %d", pid, daemon);
		REQUIRE(f, pinned_value(f) == before, "auditd moved the pin");
		break;
	}
	case OP_SIGNAL: {
		/* the six signals, and two the model does not know */
		static const int sigs[] = {
			CONTID_SIG_TERM, CONTID_SIG_HUP, CONTID_SIG_USR1,
			CONTID_SIG_USR2, CONTID_SIG_INT, CONTID_SIG_KILL, 0, 3,
		};
		pid_t sender = take_pid(f), target = take_pid(f);
		int sig = sigs[take(&f->in) % 8];
		pid_t daemon = 0, ttgid = 0;
		bool has_daemon = contid_auditd(w, &daemon) == 0;
		bool found = contid_task_tgid(w, target, &ttgid) == 0;
		uint64_t before = pinned_value(f), sender_id = held_by(f, sender);
		r = contid_signal(w, sender, target, sig);
		/* R-SIG-SEND: recorded before the permission check */
		bool recorded = (r == 0 || r == -EPERM) && has_daemon && found &&
				ttgid == daemon &&
				(sig == CONTID_SIG_TERM || sig == CONTID_SIG_HUP ||
				 sig == CONTID_SIG_USR1 || sig == CONTID_SIG_USR2);
		uint64_t want = !recorded ? before
				: w->profile->pin_signaller ? sender_id : CONTID_UNSET;
		REQUIRE(f, pinned_value(f) == want,
			"signal %d from %d to %d: pinned %" PRIu64 ", expected %" PRIu64,
			sig, sender, target, pinned_value(f), want);
		if (r == 0 || r == -EPERM)
			REQUIRE(f, found && sig != 0 && sig != 3,
				"signal %d to %d was sent", sig, target);
		break;
	}
	case OP_SIGNAL_INFO: {
		pid_t reader = take_pid(f), pid = 0x5a5a5a;
		uint32_t uid = 0x5a5a5a5a;
		char *chain = NULL;
		uint64_t before = pinned_value(f);
		r = contid_signal_info(w, reader, &uid, &pid, &chain);
		if (r < 0) {
			REQUIRE(f, !chain && uid == 0x5a5a5a5a && pid == 0x5a5a5a,
				"failed signal_info wrote its results");
			REQUIRE(f, pinned_value(f) == before, "failed signal_info unpinned");
			break;
		}
		REQUIRE(f, chain, "signal_info gave no chain");
		REQUIRE(f, pinned_value(f) == CONTID_UNSET, "signal_info kept the pin");
		/* the chain begins with the pinned value */
		if (before != CONTID_UNSET) {
			char digits[24];
			snprintf(digits, sizeof(digits), "%" PRIu64, before);
			REQUIRE(f, strncmp(chain, digits, strlen(digits)) == 0,
				"reply chain \"%s\" for pinned %" PRIu64, chain, before);
		}
		/* -1 and 4294967295 before any recorded signal, never after */
		REQUIRE(f, (pid == -1) == (uid == UINT32_MAX), "reply uid %u pid %d",
			uid, pid);
		free(chain);
		break;
	}
	default:
		r = 0;
	}
	return r;
}

/* The first line of a dump: "world clock=C serial=S ..."; *rest points
 * past S, at what must not change unless the world does. */
static void dump_head(const struct fuzz *f, const char *dump, unsigned long long *clock,
		      unsigned long long *serial, const char **rest)
{
	int n = 0;

	if (sscanf(dump, "world clock=%llu serial=%llu%n", clock, serial, &n) != 2 || !n)
		fail(f, "unexpected dump: %.80s", dump);
	*rest = dump + n;
}

/*
 * The clock moves by one for each operation (docs/semantics.md section 8) and
 * never for configuration or naming; an operation that failed, and one
 * that only reads or logs (get, event, packet), changes nothing else but
 * the event serial: a failed fork takes no pid, a refused write changes no
 * ID, and so on.
 */
static void check_effects(const struct fuzz *f, enum op op, int r,
			  const char *before, const char *after)
{
	unsigned long long clock0, clock1, serial0, serial1;
	const char *rest0, *rest1;
	bool operation = is_operation(op);
	bool reads = op == OP_GET || op == OP_GET_CAPCONTID || op == OP_EVENT ||
		     op == OP_PACKET;
	/* a kill refused for its permission was recorded first (R-SIG-SEND):
	 * the pin may have moved, and an object it kept may have gone */
	bool recorded_anyway = op == OP_SIGNAL && r == -EPERM;

	dump_head(f, before, &clock0, &serial0, &rest0);
	dump_head(f, after, &clock1, &serial1, &rest1);
	REQUIRE(f, clock1 == clock0 + operation, "clock %llu -> %llu", clock0, clock1);
	REQUIRE(f, serial1 >= serial0 && serial1 <= serial0 + operation,
		"serial %llu -> %llu", serial0, serial1);
	if (operation && (r < 0 || reads) && !recorded_anyway)
		REQUIRE(f, strcmp(rest0, rest1) == 0,
			"the call returned %d and changed the world:\n%s\n---\n%s",
			r, before, after);
}

/* What contid_world_last_refusal() says: the rule, or NULL for -ENOENT. */
struct last_refusal {
	const char *rule, *reason;
};

static struct last_refusal last_refusal(const struct fuzz *f)
{
	struct last_refusal l = { NULL, NULL };
	int r = contid_world_last_refusal(f->w, &l.rule, &l.reason);

	REQUIRE(f, r == 0 || (r == -ENOENT && !l.rule),
		"contid_world_last_refusal = %d", r);
	return l;
}

/*
 * Every failed operation names the rule that refused it, with the errno
 * it returned, and a successful one leaves none (choice (p)); a call that
 * failed for memory, and anything that is no operation, leaves the last
 * refusal as it was.
 */
static void check_refusal(const struct fuzz *f, enum op op, int r, bool injected,
			  struct last_refusal before)
{
	struct last_refusal now = last_refusal(f);

	if (injected || !is_operation(op)) {
		REQUIRE(f, now.rule == before.rule && now.reason == before.reason,
			"the last refusal changed from %s to %s", before.rule, now.rule);
	} else if (r < 0) {
		REQUIRE(f, now.rule && now.rule[0] && now.reason && now.reason[0],
			"returned %d and no rule refused it", r);
		REQUIRE(f, f->w->refusal->err == -r, "returned %d, but %s refuses with %d",
			r, now.rule, -f->w->refusal->err);
	} else {
		REQUIRE(f, !now.rule, "succeeded, yet %s refused it", now.rule);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz f = { .in = { data, size } };

	f.pid_max = 16 + take(&f.in) % 49;
	uint8_t setup = take(&f.in);

	if (contid_world_new(&f.w) != 0)
		abort();
	f.known[0] = 1;
	f.nknown = 1;
	contid_task_identity(f.w, 1, &f.max_identity);
	if (contid_world_set_pid_max(f.w, f.pid_max) != 0)
		fail(&f, "set_pid_max(%u) refused", f.pid_max);
	const char *const *profiles = contid_profile_names();
	size_t nprofiles = 0;
	while (profiles[nprofiles])
		nprofiles++;
	if ((setup & 7) < nprofiles &&
	    contid_world_set_profile(f.w, profiles[setup & 7]) != 0)
		fail(&f, "profile %s refused", profiles[setup & 7]);
	if (setup & 8)
		contid_world_set_audit(f.w, 0);
	contid_world_set_depth_limit(f.w, (setup >> 4) & 7);
	if (setup & 0x80)
		contid_world_set_record_callback(f.w, on_record, &f);
	check_world(&f);

	for (unsigned ops = 0; f.in.n && ops < MAX_OPS; ops++) {
		uint8_t code = take(&f.in);
		enum op op = (enum op)((code & 0x7f) % NOPS);
		unsigned long inject = code & 0x80 ? take(&f.in) % 16 + 1 : 0;
		char *before = NULL, *after = NULL;

		f.op = op_names[op];
		if (contid_world_dump(f.w, &before) != 0)
			fail(&f, "contid_world_dump failed");
		struct last_refusal refusal_before = last_refusal(&f);
		contid_debug_fail_allocation(inject);
		int r = run_op(&f, op);
		bool injected = inject && contid_debug_allocations_left() == 0;
		contid_debug_fail_allocation(0);
		if (contid_world_dump(f.w, &after) != 0)
			fail(&f, "contid_world_dump failed");

		if (injected) {
			REQUIRE(&f, r == -ENOMEM,
				"allocation %lu failed, but the call returned %d", inject, r);
			REQUIRE(&f, strcmp(before, after) == 0,
				"allocation %lu failed and changed the world:\n%s\n---\n%s",
				inject, before, after);
		} else {
			REQUIRE(&f, r != -ENOMEM, "-ENOMEM without an injected failure");
			check_effects(&f, op, r, before, after);
		}
		check_refusal(&f, op, r, injected, refusal_before);
		free(before);
		free(after);
		check_world(&f);
	}
	check_digests(&f);

	contid_world_free(f.w);
	return 0;
}
