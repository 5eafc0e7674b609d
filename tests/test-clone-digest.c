/*
 * contid_world_clone(), contid_world_copy() and contid_world_digest(), what
 * an explorer relies on (docs/semantics.md section 11, choice (o)):
 *  - a clone answers and logs every operation exactly as its original, and
 *    so does a copy into an existing world, which keeps its callback;
 *  - two worlds with equal digests answer every later operation alike,
 *    up to timestamps, serials, identities and namespace numbers;
 *  - a change to any modelled field changes the digest; a change to the
 *    clock, serials or identities does not;
 *  - a clone that runs out of memory fails whole, leaking nothing; a copy
 *    leaves the world it was to overwrite as it was;
 *  - the symmetric digest is blind to the numbering of live pids, and only
 *    to it, and refuses where renumbering could change an answer;
 *  - the orbit digest is blind also to a permutation of the values it is
 *    given, and is the symmetric digest of the world with them renamed;
 *  - the canonical digest is blind also to the order of the live pids:
 *    renumbered worlds get equal digests, and worlds with equal digests
 *    are one another renumbered and answer alike.
 * The operations are random but seeded, under every profile.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contid.h"
#include "contid-alloc.h"
#include "contid-digest.h"
#include "contid-id.h"
#include "contid-ns.h"
#include "contid-rules.h"
#include "contid-tree.h"
#include "test-helpers.h"
#include "test-suites.h"

/* ------------------------------------------------- worlds of the test */

/* Every world a test makes, freed by the teardown even when it fails. */
#define MAX_WORLDS 8
static struct contid_world *worlds[MAX_WORLDS];

static struct contid_world *keep(struct contid_world *w)
{
	for (size_t i = 0; i < MAX_WORLDS; i++)
		if (!worlds[i]) {
			worlds[i] = w;
			return w;
		}
	ck_abort_msg("too many worlds");
	return NULL;
}

static void drop(struct contid_world *w)
{
	for (size_t i = 0; i < MAX_WORLDS; i++)
		if (worlds[i] == w)
			worlds[i] = NULL;
	contid_world_free(w);
}

static void free_worlds(void)
{
	for (size_t i = 0; i < MAX_WORLDS; i++) {
		contid_world_free(worlds[i]);
		worlds[i] = NULL;
	}
}

static struct contid_world *new_world(const char *profile)
{
	struct contid_world *w;

	ck_assert_int_eq(contid_world_new(&w), 0);
	keep(w);
	ck_assert_int_eq(contid_world_set_profile(w, profile), 0);
	return w;
}

static struct contid_world *clone_of(const struct contid_world *w)
{
	struct contid_world *c;

	ck_assert_int_eq(contid_world_clone(w, &c), 0);
	assert_invariants(c);
	return keep(c);
}

static void digest_of(const struct contid_world *w, uint64_t d[2])
{
	ck_assert_int_eq(contid_world_digest(w, d), 0);
}

static int same_digest(const struct contid_world *a, const struct contid_world *b)
{
	uint64_t da[2], db[2];

	digest_of(a, da);
	digest_of(b, db);
	return da[0] == db[0] && da[1] == db[1];
}

static char *dump_of(const struct contid_world *w)
{
	char *text;

	ck_assert_int_eq(contid_world_dump(w, &text), 0);
	return text;
}

/* ------------------------------------------------------------ records */

/* The records of one world since the last log_clear(), one per line. */
struct log {
	char *buf;
	size_t len, cap;
};

static void log_record(void *data, int type, const char *line, size_t len)
{
	struct log *l = data;

	if (l->len + len + 16 > l->cap) {
		l->cap = 2 * (l->len + len + 16);
		l->buf = realloc(l->buf, l->cap);
		ck_assert_ptr_nonnull(l->buf);
	}
	l->len += (size_t)sprintf(l->buf + l->len, "%d ", type);
	memcpy(l->buf + l->len, line, len);
	l->len += len;
	l->buf[l->len++] = '\n';
	l->buf[l->len] = '\0';
}

static const char *log_text(const struct log *l)
{
	return l->buf ? l->buf : "";
}

static void log_clear(struct log *l)
{
	l->len = 0;
	if (l->buf)
		l->buf[0] = '\0';
}

static void log_free(struct log *l)
{
	free(l->buf);
	memset(l, 0, sizeof(*l));
}

/* ------------------------------------------------------ random operations */

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static unsigned pick(uint64_t *s, unsigned n)
{
	return (unsigned)(next_rand(s) % n);
}

enum op_kind {
	OP_FORK, OP_EXIT, OP_REAP, OP_SUBREAPER, OP_UNSHARE, OP_SETNS,
	OP_SETUID, OP_DROP_CAP, OP_SET, OP_WRITE_JUNK, OP_GET, OP_SET_CAP,
	OP_GET_CAP, OP_EVENT, OP_PACKET, OP_NAME, OP_AUDIT, OP_LIMIT,
	OP_DEPTH, OP_PID_MAX, OP_PROFILE, OP_AUDITD, OP_SIGNAL, OP_SIGNAL_INFO,
	NOPS
};

struct op {
	enum op_kind kind;
	pid_t a, b;
	unsigned flags;
	uint64_t value;
};

/* Pids from a small range, so that operations often find their tasks. */
#define OP_PIDS 12

static struct op random_op(uint64_t *s)
{
	static const uint64_t ids[] = { 0, 100, 200, 300, 400, CONTID_UNSET };
	static const int caps[] = { CONTID_CAP_SETUID, CONTID_CAP_SYS_ADMIN,
				    CONTID_CAP_AUDIT_CONTROL };
	struct op op;

	/* forks and writes more often than settings */
	unsigned k = pick(s, NOPS + 8);
	op.kind = k >= NOPS ? (k % 2 ? OP_FORK : OP_SET) : (enum op_kind)k;
	op.a = (pid_t)(1 + pick(s, OP_PIDS));
	op.b = (pid_t)(1 + pick(s, OP_PIDS));
	op.flags = pick(s, 16);
	switch (op.kind) {
	case OP_SET:
		op.value = ids[pick(s, sizeof(ids) / sizeof(ids[0]))];
		break;
	case OP_DROP_CAP:
		op.value = (uint64_t)caps[pick(s, 3)];
		break;
	case OP_SETUID:
		op.value = pick(s, 2) ? 1000 : 0;
		break;
	case OP_SET_CAP:
	case OP_AUDIT:
	case OP_NAME:
		op.value = pick(s, 3);
		break;
	case OP_LIMIT:
		op.value = pick(s, 6);
		break;
	case OP_DEPTH:
		op.value = pick(s, 4);
		break;
	case OP_PID_MAX:
		op.value = 10 + pick(s, 8);
		break;
	default:
		op.value = pick(s, 2);
		break;
	}
	return op;
}

/* What an operation answered: its return value and what it stored. */
struct answer {
	int ret;
	uint64_t out;
};

/* How an answer shows the pid of a signal_info reply. */
typedef uint64_t (*reply_pid_fn)(const struct contid_world *w, pid_t pid,
				 const void *data);

static uint64_t reply_pid_as_is(const struct contid_world *w, pid_t pid,
				const void *data)
{
	(void)w;
	(void)data;
	return (uint32_t)pid;
}

/* The daemon's question asked by @reader: the whole reply folded into
 * one number, its pid as @show (with @data) shows it. */
static struct answer signal_info_answer(struct contid_world *w, pid_t reader,
					reply_pid_fn show, const void *data)
{
	struct answer ans = { 0, 0 };
	uint32_t uid = 0;
	pid_t pid = 0;
	char *chain = NULL;

	ans.ret = contid_signal_info(w, reader, &uid, &pid, &chain);
	if (ans.ret == 0) {
		ans.out = (uint64_t)uid << 48 ^ show(w, pid, data);
		for (const char *c = chain; *c; c++)
			ans.out = ans.out * 31 + (unsigned char)*c;
	}
	free(chain);
	return ans;
}

static struct answer apply(struct contid_world *w, const struct op *op)
{
	static const char *const names[] = { "alpha", "beta", "gamma" };
	static const char *const profiles[] = { "v11", "v6", "kernel-alloc" };
	struct answer ans = { 0, 0 };
	pid_t pid = 0;
	uint64_t id = 0;
	uint32_t u32 = 0;

	switch (op->kind) {
	case OP_FORK:
		ans.ret = contid_fork(w, op->a, op->flags, &pid);
		ans.out = (uint64_t)pid;
		break;
	case OP_EXIT:
		ans.ret = contid_exit(w, op->a);
		break;
	case OP_REAP:
		ans.ret = contid_reap(w, op->a);
		break;
	case OP_SUBREAPER:
		ans.ret = contid_set_subreaper(w, op->a);
		break;
	case OP_UNSHARE:
		ans.ret = contid_unshare(w, op->a, op->value ? CONTID_NS_USER
							     : CONTID_NS_NET);
		break;
	case OP_SETNS:
		ans.ret = contid_setns(w, op->a, op->value ? CONTID_NS_USER
							   : CONTID_NS_NET, op->b);
		break;
	case OP_SETUID:
		ans.ret = contid_setuid(w, op->a, (uint32_t)op->value);
		break;
	case OP_DROP_CAP:
		ans.ret = contid_drop_cap(w, op->a, (int)op->value);
		break;
	case OP_SET:
		ans.ret = contid_set(w, op->a, op->b, op->value);
		break;
	case OP_WRITE_JUNK:
		ans.ret = contid_write(w, op->a, op->b, "12x", 3);
		break;
	case OP_GET:
		ans.ret = contid_get(w, op->a, op->b, &id);
		ans.out = id;
		break;
	case OP_SET_CAP:
		ans.ret = contid_set_capcontid(w, op->a, op->b, (uint32_t)op->value);
		break;
	case OP_GET_CAP:
		ans.ret = contid_get_capcontid(w, op->a, op->b, &u32);
		ans.out = u32;
		break;
	case OP_EVENT:
		ans.ret = contid_event(w, op->a);
		break;
	case OP_PACKET:
		ans.ret = contid_packet(w, op->a);
		break;
	case OP_NAME:
		ans.ret = contid_task_set_name(w, op->a, names[op->value]);
		break;
	case OP_AUDIT:
		ans.ret = contid_world_set_audit(w, op->value != 0);
		break;
	case OP_LIMIT:
		ans.ret = contid_world_set_limit(w, op->flags % 2 ? CONTID_LIMIT_IDS
								  : CONTID_LIMIT_TASKS,
						 op->value ? op->value + 3 : 0);
		break;
	case OP_DEPTH:
		ans.ret = contid_world_set_depth_limit(w, (unsigned)op->value);
		break;
	case OP_PID_MAX:
		ans.ret = contid_world_set_pid_max(w, (unsigned)op->value);
		break;
	case OP_PROFILE:
		ans.ret = contid_world_set_profile(w, profiles[op->flags % 3]);
		break;
	case OP_AUDITD:
		ans.ret = contid_set_auditd(w, op->a);
		break;
	case OP_SIGNAL: {
		static const int sigs[] = { CONTID_SIG_TERM, CONTID_SIG_KILL,
					    CONTID_SIG_HUP, CONTID_SIG_INT };
		ans.ret = contid_signal(w, op->a, op->b, sigs[op->flags % 4]);
		break;
	}
	case OP_SIGNAL_INFO:
		ans = signal_info_answer(w, op->a, reply_pid_as_is, NULL);
		break;
	case NOPS:
		break;
	}
	return ans;
}

/* A pid as itself (the inspection by rank shows ranks instead). */
static pid_t pid_as_is(const struct contid_world *w, pid_t pid)
{
	(void)w;
	return pid;
}

/*
 * Everything a caller can ask about the daemon, the pin and each task that
 * is not gone, with its IDs (the inspection API), every pid it shows
 * passed through @show.
 */
static void inspect_as(const struct contid_world *w,
		       pid_t (*show)(const struct contid_world *, pid_t),
		       char *buf, size_t size)
{
	size_t n = 0;
	uint64_t pinned = CONTID_UNSET;
	pid_t daemon = 0, pid = 0;

	contid_pinned(w, &pinned);
	contid_auditd(w, &daemon);
	n += (size_t)snprintf(buf, size, "pinned %llu auditd %d;",
			      (unsigned long long)pinned, show(w, daemon));
	while (contid_task_next(w, pid, &pid) == 0 && n < size) {
		int state = 0, sub = 0;
		uint32_t uid = 0, capcontid = 0;
		pid_t tgid = 0, ppid = 0, owner = 0;
		uint64_t ids[8] = { 0 }, contid = 0, parent = 0;
		unsigned level = 0, users = 0;
		char chain[64] = "";
		contid_task_state(w, pid, &state);
		contid_task_tgid(w, pid, &tgid);
		contid_task_ppid(w, pid, &ppid);
		contid_task_uid(w, pid, &uid);
		contid_task_capcontid(w, pid, &capcontid);
		contid_task_userns_level(w, pid, &level);
		contid_task_subreaper(w, pid, &sub);
		contid_task_contid(w, pid, &contid);
		contid_task_chain(w, pid, chain, sizeof(chain));
		int nids = contid_task_netns_ids(w, pid, ids, 8);
		if (contid != CONTID_UNSET) {
			contid_id_owner(w, contid, NULL, &owner);
			contid_id_parent(w, contid, &parent);
			contid_id_users(w, contid, &users);
		}
		n += (size_t)snprintf(buf + n, size - n,
			"%d:%d,%d,%d,%u,%u,%u,%d,%s,%d,%llu,%d,%llu,%u;",
			show(w, pid), state, show(w, tgid), show(w, ppid), uid,
			capcontid, level, sub, chain, nids,
			(unsigned long long)ids[0], show(w, owner),
			(unsigned long long)parent, users);
	}
}

static void inspect(const struct contid_world *w, char *buf, size_t size)
{
	inspect_as(w, pid_as_is, buf, size);
}

/* ------------------------------------------------------ the normaliser */

/*
 * A dump with what the digest leaves out taken away: the clock and the
 * serial, task identities (an ID's owner becomes its pid, or "gone"),
 * namespace numbers (renumbered as the digest meets them: the initial
 * user namespace, then each task's in pid order; a namespace no task
 * reaches is left out) and the order of ID lines and of child lists.
 */
#define NMAX 512

struct nsline {
	unsigned long id, parent;   /* parent: userns parent or netns owner */
	int user;
	long label;
	char *rest;                 /* what follows the numbers */
};

struct norm {
	struct nsline ns[NMAX];
	size_t nns;
	long next_user, next_net;
};

static struct nsline *ns_by_id(struct norm *n, unsigned long id)
{
	for (size_t i = 0; i < n->nns; i++)
		if (n->ns[i].id == id)
			return &n->ns[i];
	ck_abort_msg("namespace %lu not in the dump", id);
	return NULL;
}

static long ns_label(struct norm *n, unsigned long id)
{
	struct nsline *l = ns_by_id(n, id);

	if (l->label >= 0)
		return l->label;
	if (l->parent)
		ns_label(n, l->parent);
	l->label = l->user ? n->next_user++ : n->next_net++;
	return l->label;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends to a growing string. */
static void cat(char **s, size_t *len, const char *t)
{
	size_t tl = strlen(t);

	*s = realloc(*s, *len + tl + 1);
	ck_assert_ptr_nonnull(*s);
	memcpy(*s + *len, t, tl + 1);
	*len += tl;
}

static char *normalise(const char *dump)
{
	static struct norm n;
	char *copy = strdup(dump), *save = NULL, *lines[NMAX];
	size_t nlines = 0;
	unsigned long identity[NMAX], idpid[NMAX];
	size_t nident = 0;

	memset(&n, 0, sizeof(n));
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		ck_assert_uint_lt(nlines, NMAX);
		lines[nlines++] = l;
	}
	/* the namespaces and the identities of tasks */
	for (size_t i = 0; i < nlines; i++) {
		unsigned long id, parent, pid, ident;
		int pos = 0;
		if (sscanf(lines[i], "userns id=%lu parent=%lu %n", &id, &parent,
			   &pos) == 2 && pos) {
			n.ns[n.nns++] = (struct nsline){ id, parent, 1, -1,
							 lines[i] + pos };
		} else if (sscanf(lines[i], "netns id=%lu owner=%lu %n", &id,
				  &parent, &pos) == 2 && pos) {
			n.ns[n.nns++] = (struct nsline){ id, parent, 0, -1,
							 lines[i] + pos };
		} else if (sscanf(lines[i], "task pid=%lu identity=%lu", &pid,
				  &ident) == 2) {
			identity[nident] = ident;
			idpid[nident++] = pid;
		}
	}
	for (size_t i = 0; i < n.nns; i++)
		if (n.ns[i].user && strncmp(n.ns[i].rest, "level=0 ", 8) == 0)
			ns_label(&n, n.ns[i].id);
	/* counts of references show only in the dump, and count the world's
	 * own hold on the initial namespaces, reached or not */
	for (size_t i = 0; i < n.nns; i++) {
		char *refs = strstr(n.ns[i].rest, " refs=");
		if (n.ns[i].user && refs)
			*refs = '\0';
		if (!n.ns[i].user && strncmp(n.ns[i].rest, "refs=", 5) == 0)
			n.ns[i].rest = strchr(n.ns[i].rest, ' ') + 1;
	}

	char *out = NULL, *sorted[NMAX];
	size_t len = 0, nsorted = 0;
	char tmp[1024];
	for (size_t i = 0; i < nlines; i++) {
		const char *l = lines[i];
		unsigned long pid, ident, un, nn, owner;
		char *p;
		int pos = 0;
		if (strncmp(l, "world ", 6) == 0) {
			const char *rest = strstr(l, " audit=");
			snprintf(tmp, sizeof(tmp), "world%s\n", rest);
			cat(&out, &len, tmp);
		} else if (sscanf(l, "task pid=%lu identity=%lu %n", &pid, &ident,
				  &pos) == 2) {
			/* tgid=.. ppid=.. state=.. uid=.. caps=.. userns=U netns=N ... */
			char head[256], tail[512];
			p = strstr(l, " userns=");
			ck_assert_ptr_nonnull(p);
			snprintf(head, sizeof(head), "%.*s", (int)(p - (l + pos)), l + pos);
			ck_assert_int_eq(sscanf(p, " userns=%lu netns=%lu %n", &un, &nn,
						&pos), 2);
			snprintf(tail, sizeof(tail), "%s", p + pos);
			/* sort the children, which end the line */
			char *ch = strstr(tail, "children=");
			if (ch) {
				unsigned long kids[64];
				size_t nk = 0;
				char *s2 = NULL;
				for (char *t = strtok_r(ch + 9, ",", &s2); t && nk < 64;
				     t = strtok_r(NULL, ",", &s2))
					kids[nk++] = strtoul(t, NULL, 10);
				for (size_t a = 1; a < nk; a++)
					for (size_t b = a; b > 0 && kids[b - 1] > kids[b]; b--) {
						unsigned long x = kids[b];
						kids[b] = kids[b - 1];
						kids[b - 1] = x;
					}
				size_t cl = (size_t)(ch - tail) + 9;
				for (size_t a = 0; a < nk; a++)
					cl += (size_t)snprintf(tail + cl, sizeof(tail) - cl,
							       "%s%lu", a ? "," : "",
							       kids[a]);
			}
			long ul = ns_label(&n, un), nl = ns_label(&n, nn);
			snprintf(tmp, sizeof(tmp), "task pid=%lu %s userns=%ld netns=%ld %s\n",
				 pid, head, ul, nl, tail);
			cat(&out, &len, tmp);
		} else if (strncmp(l, "signal ", 7) == 0) {
			/* the thread that was signalled counts only while
			 * something is pinned and it runs; by pid, not identity */
			const char *t = strstr(l, " target=");
			unsigned long tpid = 0;
			ck_assert_ptr_nonnull(t);
			int keep_target = !strstr(l, " pinned=none ") &&
					  sscanf(t, " target=%lu", &tpid) == 1;
			if (keep_target) {
				char want[64];
				snprintf(want, sizeof(want), "task pid=%lu ", tpid);
				keep_target = 0;
				for (size_t k = 0; k < nlines; k++)
					if (strncmp(lines[k], want, strlen(want)) == 0 &&
					    strstr(lines[k], " state=running "))
						keep_target = 1;
			}
			snprintf(tmp, sizeof(tmp), "%.*s target=", (int)(t - l), l);
			cat(&out, &len, tmp);
			snprintf(tmp, sizeof(tmp), keep_target ? "%lu\n" : "none\n", tpid);
			cat(&out, &len, tmp);
		} else if (sscanf(l, "id value=%lu owner=%lu %n", &pid, &owner,
				  &pos) == 2) {
			char who[32] = "none";
			if (owner) {
				snprintf(who, sizeof(who), "gone");
				for (size_t k = 0; k < nident; k++)
					if (identity[k] == owner)
						snprintf(who, sizeof(who), "%lu", idpid[k]);
			}
			snprintf(tmp, sizeof(tmp), "id value=%lu owner=%s %s\n", pid,
				 who, l + pos);
			sorted[nsorted++] = strdup(tmp);
		}
	}
	/* the namespaces no task reaches are left out, as by the digest */
	for (size_t i = 0; i < n.nns; i++) {
		const struct nsline *s = &n.ns[i];
		if (s->label < 0)
			continue;
		long parent = s->parent ? ns_by_id(&n, s->parent)->label : -1;
		snprintf(tmp, sizeof(tmp), "%s %ld parent=%ld %s\n",
			 s->user ? "userns" : "netns", s->label, parent, s->rest);
		sorted[nsorted++] = strdup(tmp);
	}
	qsort(sorted, nsorted, sizeof(*sorted), str_cmp);
	for (size_t i = 0; i < nsorted; i++) {
		cat(&out, &len, sorted[i]);
		free(sorted[i]);
	}
	free(copy);
	return out;
}

/* Records without their timestamps and serials. */
static char *normalise_records(const char *text)
{
	char *out = strdup(text), *p = out;

	while ((p = strstr(p, "msg=audit("))) {
		char *end = strstr(p, "):");
		ck_assert_ptr_nonnull(end);
		memmove(p + 10, end, strlen(end) + 1);
		p += 10;
	}
	return out;
}

/* ------------------------------------------------------ (a) the clone */

static const char *const *profile_list(size_t *n)
{
	const char *const *names = contid_profile_names();

	for (*n = 0; names[*n]; (*n)++)
		;
	return names;
}

/* The profile of a loop test's @i-th run: the profiles in turn. */
static const char *profile_at(int i)
{
	size_t n;
	const char *const *names = profile_list(&n);

	return names[(size_t)i % n];
}

#define SEEDS 6

/* Random operations on a world and its clone, taken at a random step:
 * the same answers, the same records, the same dump at every step. */
START_TEST(test_clone_answers_like_the_original)
{
	const char *profile = profile_at(_i);
	uint64_t seed = 0x9e3779b97f4a7c15u * (uint64_t)(_i + 1);
	struct log lw = { 0 }, lc = { 0 };
	struct contid_world *w = new_world(profile);

	contid_world_set_record_callback(w, log_record, &lw);
	unsigned before = 5 + pick(&seed, 60);
	for (unsigned i = 0; i < before; i++) {
		struct op op = random_op(&seed);
		apply(w, &op);
	}
	log_clear(&lw);
	struct contid_world *c = clone_of(w);
	char *dw = dump_of(w), *dc = dump_of(c);
	ck_assert_str_eq(dw, dc);
	free(dw);
	free(dc);
	ck_assert(same_digest(w, c));

	/* the clone has no callback: an event on it reaches no log */
	struct contid_world *c2 = clone_of(w);
	contid_event(c2, 1);
	ck_assert_str_eq(log_text(&lw), "");
	drop(c2);

	contid_world_set_record_callback(c, log_record, &lc);
	for (unsigned i = 0; i < 80; i++) {
		struct op op = random_op(&seed);
		struct answer aw = apply(w, &op), ac = apply(c, &op);
		ck_assert_msg(aw.ret == ac.ret && aw.out == ac.out,
			      "%s step %u op %d: %d/%llu vs %d/%llu", profile, i,
			      op.kind, aw.ret, (unsigned long long)aw.out, ac.ret,
			      (unsigned long long)ac.out);
		ck_assert_str_eq(log_text(&lw), log_text(&lc));
		log_clear(&lw);
		log_clear(&lc);
		dw = dump_of(w);
		dc = dump_of(c);
		ck_assert_str_eq(dw, dc);
		free(dw);
		free(dc);
		assert_invariants(c);
	}
	log_free(&lw);
	log_free(&lc);
}
END_TEST

/* A clone of a clone, and a clone freed before its original: independent. */
START_TEST(test_clone_is_independent)
{
	uint64_t seed = 77;
	struct contid_world *w = new_world("v11");

	for (unsigned i = 0; i < 60; i++) {
		struct op op = random_op(&seed);
		apply(w, &op);
	}
	char *before = dump_of(w);
	struct contid_world *c = clone_of(w);
	struct contid_world *cc = clone_of(c);
	for (unsigned i = 0; i < 60; i++) {
		struct op op = random_op(&seed);
		apply(c, &op);
	}
	drop(c);
	char *after = dump_of(w), *ccd = dump_of(cc);
	ck_assert_str_eq(before, after);
	ck_assert_str_eq(before, ccd);
	free(before);
	free(after);
	free(ccd);
}
END_TEST

/* The signal state is copied: the clone answers alike and its pin lives
 * and goes on its own. */
START_TEST(test_clone_copies_signal_state)
{
	struct contid_world *w = new_world("v11");
	pid_t d = fork_ok(w, 1, 0), dt = fork_ok(w, d, CONTID_CLONE_THREAD);
	pid_t orch = fork_ok(w, 1, 0), c1 = fork_ok(w, orch, 0);
	uint32_t uid;
	pid_t pid;
	char *chain;

	set_ok(w, orch, c1, 100);
	ck_assert_int_eq(contid_set_auditd(w, d), 0);
	ck_assert_int_eq(contid_signal(w, c1, dt, CONTID_SIG_TERM), 0);
	exit_ok(w, c1);
	struct contid_world *c = clone_of(w);
	ck_assert(same_digest(w, c));
	pid_t got = 0;
	ck_assert_int_eq(contid_auditd(c, &got), 0);
	ck_assert_int_eq(got, d);
	/* the remembered thread of the clone exits: its pin goes, alone */
	exit_ok(c, dt);
	ck_assert_int_eq(contid_pinned(c, &(uint64_t){ 0 }), -ENOENT);
	ck_assert_int_eq(contid_id_count(c), 0);
	ck_assert_int_eq(contid_id_count(w), 1);
	ck_assert_int_eq(contid_signal_info(w, 1, &uid, &pid, &chain), 0);
	ck_assert_str_eq(chain, "100");
	ck_assert_int_eq(pid, c1);
	free(chain);
	ck_assert_int_eq(contid_signal_info(c, 1, &uid, &pid, &chain), 0);
	ck_assert_str_eq(chain, "");
	ck_assert_int_eq(pid, c1);
	free(chain);

	/* a copy into a world that has its own objects: the same */
	struct contid_world *cp = new_world("v11");
	pid_t o = fork_ok(cp, 1, 0);
	set_ok(cp, o, fork_ok(cp, o, 0), 100);
	ck_assert_int_eq(contid_signal(w, 1, d, CONTID_SIG_TERM), 0);
	ck_assert_int_eq(contid_set_auditd(w, orch), 0);
	struct contid_world *w2 = clone_of(w);
	pid_t k = fork_ok(w2, orch, 0);
	set_ok(w2, orch, k, 200);
	ck_assert_int_eq(contid_signal(w2, k, orch, CONTID_SIG_USR1), 0);
	ck_assert_int_eq(contid_world_copy(cp, w2), 0);
	assert_invariants(cp);
	ck_assert(same_digest(cp, w2));
	uint64_t v = 0;
	ck_assert_int_eq(contid_pinned(cp, &v), 0);
	ck_assert_uint_eq(v, 200);
	ck_assert_int_eq(contid_auditd(cp, &got), 0);
	ck_assert_int_eq(got, orch);
}
END_TEST

/* A big world (several task chunks, many namespaces and IDs) clones too. */
START_TEST(test_clone_big_world)
{
	struct contid_world *w = new_world("v11");
	pid_t orch = fork_ok(w, 1, 0);

	for (unsigned i = 0; i < 5000; i++) {
		pid_t p = fork_ok(w, orch, i % 7 == 0 ? CONTID_CLONE_NEWNET : 0);
		if (i % 3 == 0)
			set_ok(w, orch, p, 1000 + i);
		if (i % 11 == 0)
			ck_assert_int_eq(contid_unshare(w, p, CONTID_NS_USER), 0);
		if (i % 5 == 0)
			exit_ok(w, p);
	}
	struct contid_world *c = clone_of(w);
	char *dw = dump_of(w), *dc = dump_of(c);
	ck_assert_str_eq(dw, dc);
	ck_assert(same_digest(w, c));
	free(dw);
	free(dc);
}
END_TEST

/* ---------------------------------------- (b) equal digests, same answers */

/* A world made by @len random operations from @seed, with noise: extra
 * operations that are refused or only log (clock, serials). */
static struct contid_world *history(const char *profile, uint64_t seed,
				    unsigned len, int noise)
{
	struct contid_world *w;
	uint64_t s = seed, ns = seed ^ 0x5555;

	ck_assert_int_eq(contid_world_new(&w), 0);
	ck_assert_int_eq(contid_world_set_profile(w, profile), 0);
	ck_assert_int_eq(contid_world_set_pid_max(w, 12), 0);
	for (unsigned i = 0; i < len; i++) {
		struct op op = random_op(&s);
		if (op.kind == OP_PROFILE || op.kind == OP_PID_MAX)
			continue;
		apply(w, &op);
		if (noise && pick(&ns, 3) == 0) {
			uint64_t id;
			contid_event(w, 1);
			contid_exit(w, 99);
			contid_get(w, 1, 1, &id);
		}
	}
	return w;
}

/* Further operations on two worlds with equal digests: the same answers,
 * the same records and dumps but for what the digest leaves out, and the
 * digests stay equal. */
static void same_future(struct contid_world *a, struct contid_world *b,
			uint64_t seed, const char *what, unsigned steps)
{
	struct log la = { 0 }, lb = { 0 };
	char ia[4096], ib[4096];

	contid_world_set_record_callback(a, log_record, &la);
	contid_world_set_record_callback(b, log_record, &lb);
	for (unsigned i = 0; i <= steps; i++) {
		char *da = dump_of(a), *db = dump_of(b);
		char *na = normalise(da), *nb = normalise(db);
		ck_assert_msg(strcmp(na, nb) == 0, "%s, step %u: equal digests, "
			      "different worlds:\n%s\nvs\n%s", what, i, na, nb);
		ck_assert(same_digest(a, b));
		inspect(a, ia, sizeof(ia));
		inspect(b, ib, sizeof(ib));
		ck_assert_str_eq(ia, ib);
		free(da);
		free(db);
		free(na);
		free(nb);
		if (i == steps)
			break;
		struct op op = random_op(&seed);
		struct answer aa = apply(a, &op), ab = apply(b, &op);
		ck_assert_msg(aa.ret == ab.ret && aa.out == ab.out,
			      "%s, step %u, op %d: %d/%llu vs %d/%llu", what, i,
			      op.kind, aa.ret, (unsigned long long)aa.out, ab.ret,
			      (unsigned long long)ab.out);
		char *ra = normalise_records(log_text(&la));
		char *rb = normalise_records(log_text(&lb));
		ck_assert_str_eq(ra, rb);
		free(ra);
		free(rb);
		log_clear(&la);
		log_clear(&lb);
	}
	contid_world_set_record_callback(a, NULL, NULL);
	contid_world_set_record_callback(b, NULL, NULL);
	log_free(&la);
	log_free(&lb);
}

/* The same history with and without noise: equal digests, same futures. */
START_TEST(test_digest_ignores_clock_and_serials)
{
	const char *profile = profile_at(_i);
	uint64_t seed = 1234567u + (uint64_t)_i * 7919u;

	for (unsigned len = 1; len < 40; len += 6) {
		struct contid_world *a = keep(history(profile, seed + len, len, 0));
		struct contid_world *b = keep(history(profile, seed + len, len, 1));
		ck_assert_msg(same_digest(a, b), "%s: noise changed the digest",
			      profile);
		same_future(a, b, seed * 3 + len, profile, 40);
		drop(a);
		drop(b);
	}
}
END_TEST

/*
 * Many short random histories in a small pid space, so that different
 * ones meet in one state with other clocks, serials, identities and
 * namespace numbers: every pair with equal digests must have the same
 * future.  Enough pairs must be found for the test to mean something.
 */
#define HISTORIES 160

START_TEST(test_digest_equal_means_same_future)
{
	const char *profile = profile_at(_i);
	uint64_t digests[HISTORIES][2], seeds[HISTORIES];
	unsigned lens[HISTORIES], pairs = 0, distinct_dumps = 0;
	uint64_t s = 42 + (uint64_t)_i;

	for (unsigned i = 0; i < HISTORIES; i++) {
		seeds[i] = next_rand(&s);
		lens[i] = 1 + pick(&s, 14);
		struct contid_world *w = keep(history(profile, seeds[i], lens[i],
						      (int)(i % 2)));
		digest_of(w, digests[i]);
		drop(w);
	}
	for (unsigned i = 0; i < HISTORIES && pairs < 40; i++)
		for (unsigned j = i + 1; j < HISTORIES && pairs < 40; j++) {
			if (digests[i][0] != digests[j][0] ||
			    digests[i][1] != digests[j][1])
				continue;
			struct contid_world *a = keep(history(profile, seeds[i],
							      lens[i], (int)(i % 2)));
			struct contid_world *b = keep(history(profile, seeds[j],
							      lens[j], (int)(j % 2)));
			char *da = dump_of(a), *db = dump_of(b);
			distinct_dumps += strcmp(da, db) != 0;
			free(da);
			free(db);
			same_future(a, b, seeds[i] ^ seeds[j], profile, 40);
			drop(a);
			drop(b);
			pairs++;
		}
	ck_assert_msg(pairs >= 5 && distinct_dumps >= 1,
		      "%s: %u pairs, %u with different dumps", profile, pairs,
		      distinct_dumps);
}
END_TEST

/*
 * Pairs of histories that end one field apart, a field random histories
 * seldom set apart alone (a uid is nearly always changed with the
 * capabilities): if their digests were equal, their futures would have
 * to be the same, and are not.  Every operation of a script must succeed.
 */
#define SCRIPT_MAX 8

struct script_pair {
	const char *what;
	struct op common[SCRIPT_MAX], a[SCRIPT_MAX], b[SCRIPT_MAX];
};

#define FORK(p) { OP_FORK, (p), 0, 0, 0 }
#define FORK_USER(p) { OP_FORK, (p), 0, CONTID_CLONE_NEWUSER, 0 }
#define SETUID(p, u) { OP_SETUID, (p), 0, 0, (u) }
#define SETNS_USER(p, o) { OP_SETNS, (p), (o), 0, 1 }
#define SET_CAP(w, t, v) { OP_SET_CAP, (w), (t), 0, (v) }
#define SUBREAPER(p) { OP_SUBREAPER, (p), 0, 0, 0 }
#define NAME(p, n) { OP_NAME, (p), 0, 0, (n) }
#define AUDITD(p) { OP_AUDITD, (p), 0, 0, 0 }
#define SIGNAL(s, t, f) { OP_SIGNAL, (s), (t), (f), 0 }
#define END { NOPS, 0, 0, 0, 0 }

static const struct script_pair script_pairs[] = {
	/* 4 ends in the user namespace of 3 (owned by uid 1000) with every
	 * capability there, as uid 0 or as uid 1000 */
	{ "uid",
	  { FORK(1), SETUID(2, 1000), FORK_USER(2), FORK(1), END },
	  { SETNS_USER(4, 3), END },
	  { SETUID(4, 1000), SETNS_USER(4, 3), END } },
	{ "capcontid",
	  { FORK(1), FORK(2), END },
	  { SET_CAP(1, 3, 1), END },
	  { SET_CAP(1, 3, 2), END } },
	{ "subreaper",
	  { FORK(1), FORK(2), END },
	  { SUBREAPER(2), END },
	  { SUBREAPER(3), END } },
	{ "name",
	  { FORK(1), END },
	  { NAME(2, 1), END },
	  { NAME(2, 2), END } },
	/* section 6a: 100 pinned by a signal (term: flags 0) to one thread
	 * of the daemon or to another, whose exit would release it */
	{ "signalled thread",
	  { FORK(1), FORK(1), FORK(3), { OP_SET, 3, 4, 0, 100 },
	    { OP_FORK, 2, 0, CONTID_CLONE_THREAD, 0 }, AUDITD(2), END },
	  { SIGNAL(4, 2, 0), END },
	  { SIGNAL(4, 5, 0), END } },
};

static void run_script(struct contid_world *w, const struct op *ops)
{
	for (; ops->kind != NOPS; ops++) {
		struct answer ans = apply(w, ops);
		ck_assert_msg(ans.ret >= 0, "script op %d on %d: %d", ops->kind,
			      ops->a, ans.ret);
	}
}

START_TEST(test_digest_equal_for_near_pairs)
{
	const struct script_pair *sp = &script_pairs[_i];
	struct contid_world *a = new_world("v11"), *b = new_world("v11");

	run_script(a, sp->common);
	run_script(a, sp->a);
	run_script(b, sp->common);
	run_script(b, sp->b);
	if (same_digest(a, b))
		same_future(a, b, 5, sp->what, 30);
}
END_TEST

/*
 * One random history, then each of many single random operations on a
 * clone of it: every clone whose digest equals the history's (a refused
 * operation, or one that changed nothing the digest sees) must be the
 * same world for every later operation.  This is what catches a digest
 * that leaves out a field one operation can change (a uid, a capability).
 */
#define VARIANTS 300

START_TEST(test_digest_equal_after_one_more_op)
{
	const char *profile = profile_at(_i);
	uint64_t s = 99 + (uint64_t)_i * 31;
	unsigned equal = 0, changed = 0;

	for (unsigned base = 0; base < 3; base++) {
		struct contid_world *h = keep(history(profile, next_rand(&s),
						      5 + pick(&s, 25), 1));
		uint64_t dh[2];
		digest_of(h, dh);
		for (unsigned v = 0; v < VARIANTS; v++) {
			struct contid_world *c = clone_of(h);
			for (unsigned n = 1 + pick(&s, 3); n > 0; n--) {
				struct op op = random_op(&s);
				apply(c, &op);
			}
			uint64_t dc[2];
			digest_of(c, dc);
			if (dc[0] != dh[0] || dc[1] != dh[1]) {
				changed++;
			} else {
				/* the first few in full, the rest as they are now */
				struct contid_world *hc = clone_of(h);
				same_future(hc, c, next_rand(&s), profile,
					    equal < 10 ? 30 : 0);
				drop(hc);
				equal++;
			}
			drop(c);
		}
		drop(h);
	}
	ck_assert_uint_gt(equal, 10);
	ck_assert_uint_gt(changed, 10);
}
END_TEST

/* ----------------------------------------- (c) every field is in the digest */

/* A world with something of everything: threads, zombies, a subreaper,
 * nested IDs with owners, shared network namespaces, user namespaces. */
static struct contid_world *rich_world(void)
{
	struct contid_world *w = new_world("v11");
	pid_t orch = fork_ok(w, 1, 0);                        /* 2 */
	pid_t c1 = fork_ok(w, orch, 0);                       /* 3 */

	set_ok(w, orch, c1, 100);
	pid_t engine = fork_ok(w, c1, 0);                     /* 4 */
	pid_t c2 = fork_ok(w, engine, 0);                     /* 5 */
	set_ok(w, engine, c2, 200);
	fork_ok(w, c2, CONTID_CLONE_THREAD);                  /* 6 */
	pid_t net = fork_ok(w, orch, CONTID_CLONE_NEWNET);    /* 7 */
	set_ok(w, orch, net, 300);
	fork_ok(w, net, 0);                                   /* 8 */
	ck_assert_int_eq(contid_setns(w, c2, CONTID_NS_NET, net), 0);
	pid_t user = fork_ok(w, orch, CONTID_CLONE_NEWUSER);  /* 9 */
	ck_assert_int_eq(contid_set_subreaper(w, orch), 0);
	spawn_zombie(w, orch);                                /* 10 */
	ck_assert_int_eq(contid_set_capcontid(w, 1, user, 1), 0);
	ck_assert_int_eq(contid_setuid(w, fork_ok(w, orch, 0), 1000), 0); /* 11 */
	/* orch is the audit daemon; c2 signalled it: 200 is pinned */
	ck_assert_int_eq(contid_set_auditd(w, orch), 0);
	ck_assert_int_eq(contid_signal(w, c2, orch, CONTID_SIG_TERM), 0);
	assert_invariants(w);
	return w;
}

static struct task *task_of(struct contid_world *w, pid_t pid)
{
	struct task *t = task_by_pid(w, pid);

	ck_assert_ptr_nonnull(t);
	return t;
}

static struct contid_obj *obj_of(struct contid_world *w, uint64_t value)
{
	struct contid_obj *o = obj_find(w, value);

	ck_assert_ptr_nonnull(o);
	return o;
}

/* One field, changed in place through the private structures. */
struct mutation {
	const char *field;
	void (*change)(struct contid_world *w);
};

#define MUT(name, ...)                                                      \
	static void mut_##name(struct contid_world *w) { __VA_ARGS__; }

MUT(profile, w->profile = profile_find("v6"))
MUT(started, w->clock_ms = 0)
MUT(audit, w->audit = false)
MUT(depth_limit, w->depth_limit = 7)
MUT(max_ids, w->max_ids = 9)
MUT(max_tasks, w->max_tasks = 9)
MUT(pid_max, w->pid_max = 99)
MUT(last_pid, w->last_pid = 3)
MUT(task_uid, task_of(w, 3)->uid = 7)
MUT(task_caps, task_of(w, 3)->caps &= ~(UINT64_C(1) << CONTID_CAP_SETUID))
MUT(task_state, task_of(w, 10)->state = TASK_RUNNING)
MUT(task_capcontid, task_of(w, 3)->capcontid = 5)
MUT(task_released, task_of(w, 3)->audit_released = 1)
MUT(task_name, task_of(w, 3)->name->text[0] = 'X')
MUT(task_obj, task_of(w, 3)->obj = obj_of(w, 200))
MUT(task_no_obj, task_of(w, 3)->obj = NULL)
MUT(task_userns, task_of(w, 3)->userns = task_of(w, 9)->userns)
MUT(task_netns, task_of(w, 3)->netns = task_of(w, 7)->netns)
MUT(task_leader, task_of(w, 6)->leader = w->pid_slot[6])
MUT(proc_parent, task_of(w, 5)->parent = w->pid_slot[2])
MUT(proc_subreaper, task_of(w, 3)->subreaper = 1)
MUT(proc_live, task_of(w, 5)->nr_live = 1)
MUT(proc_running, task_of(w, 5)->nr_running = 1)
MUT(userns_owner, task_of(w, 9)->userns->owner_uid = 5)
MUT(userns_level, task_of(w, 9)->userns->level = 3)
MUT(userns_parent, task_of(w, 9)->userns->parent = NULL)
MUT(netns_owner, task_of(w, 7)->netns->owner = task_of(w, 9)->userns)
MUT(netns_count, task_of(w, 7)->netns->ids.front->count++)
MUT(netns_nentries, task_of(w, 7)->netns->ids.nentries++)
MUT(netns_order, {
	struct id_list *l = &task_of(w, 7)->netns->ids;
	struct netns_entry *a = l->front, *b = a->front_next;
	ck_assert_ptr_nonnull(b);
	a->front_next = b->front_next;
	a->front_prev = b;
	b->front_prev = NULL;
	b->front_next = a;
	l->front = b;
})
MUT(id_parent, obj_of(w, 200)->parent = NULL)
MUT(id_task_refs, obj_of(w, 100)->task_refs++)
MUT(id_child_refs, obj_of(w, 100)->child_refs++)
MUT(id_leaked_refs, obj_of(w, 100)->leaked_refs++)
MUT(id_owner_gone, obj_of(w, 100)->owner_identity += 1000)
MUT(id_owner_other, {
	struct contid_obj *o = obj_of(w, 100);
	struct task *t = task_of(w, 4);
	o->owner_identity = t->identity;
	o->owner_slot = w->pid_slot[4];
})
MUT(id_owner_proc_gone, obj_of(w, 100)->owner_proc_identity += 1000)
MUT(id_shared, obj_of(w, 100)->owner_identity = 0)
MUT(auditd_other, w->auditd_slot = w->pid_slot[3])
MUT(auditd_none, w->auditd_slot = NO_TASK)
MUT(pinned_other, w->pinned = obj_of(w, 100))
MUT(pinned_none, w->pinned = NULL)
MUT(sig_uid, w->sig_uid = 1000)
MUT(sig_pid, w->sig_pid = 3)
MUT(sig_value, w->sig_value = 7)
MUT(sig_target_other, {
	w->sig_target_slot = w->pid_slot[3];
	w->sig_target_identity = task_of(w, 3)->identity;
})
MUT(sig_target_none, w->sig_target_slot = NO_TASK)

static const struct mutation mutations[] = {
	{ "profile", mut_profile },
	{ "clock started", mut_started },
	{ "audit", mut_audit },
	{ "depth limit", mut_depth_limit },
	{ "ID limit", mut_max_ids },
	{ "task limit", mut_max_tasks },
	{ "pid_max", mut_pid_max },
	{ "last pid", mut_last_pid },
	{ "task uid", mut_task_uid },
	{ "task caps", mut_task_caps },
	{ "task state", mut_task_state },
	{ "task capcontid", mut_task_capcontid },
	{ "task released", mut_task_released },
	{ "task name", mut_task_name },
	{ "task ID", mut_task_obj },
	{ "task without ID", mut_task_no_obj },
	{ "task userns", mut_task_userns },
	{ "task netns", mut_task_netns },
	{ "task's process", mut_task_leader },
	{ "process parent", mut_proc_parent },
	{ "process subreaper", mut_proc_subreaper },
	{ "process live count", mut_proc_live },
	{ "process running count", mut_proc_running },
	{ "userns owner", mut_userns_owner },
	{ "userns level", mut_userns_level },
	{ "userns parent", mut_userns_parent },
	{ "netns owner", mut_netns_owner },
	{ "netns ID count", mut_netns_count },
	{ "netns entries", mut_netns_nentries },
	{ "netns ID order", mut_netns_order },
	{ "ID parent", mut_id_parent },
	{ "ID task refs", mut_id_task_refs },
	{ "ID nested refs", mut_id_child_refs },
	{ "ID leaked refs", mut_id_leaked_refs },
	{ "ID owner gone", mut_id_owner_gone },
	{ "ID owner another task", mut_id_owner_other },
	{ "ID owner process gone", mut_id_owner_proc_gone },
	{ "ID without owner", mut_id_shared },
	{ "audit daemon", mut_auditd_other },
	{ "no audit daemon", mut_auditd_none },
	{ "pinned ID", mut_pinned_other },
	{ "nothing pinned", mut_pinned_none },
	{ "signal uid", mut_sig_uid },
	{ "signal pid", mut_sig_pid },
	{ "signal value", mut_sig_value },
	{ "signalled thread", mut_sig_target_other },
	{ "no signalled thread", mut_sig_target_none },
};
#define NMUTATIONS (int)(sizeof(mutations) / sizeof(mutations[0]))


/* The same with more namespaces, names and IDs than the digest's short
 * arrays hold (it then labels namespaces in sorted scratch memory, puts
 * names in at every task and adds up the IDs). */
static struct contid_world *large_rich_world(void)
{
	struct contid_world *w = rich_world();
	char name[16];

	for (unsigned i = 0; i < 20; i++) {
		pid_t p = fork_ok(w, 2, CONTID_CLONE_NEWNET | CONTID_CLONE_NEWUSER);
		snprintf(name, sizeof(name), "task%u", i);
		ck_assert_int_eq(contid_task_set_name(w, p, name), 0);
		set_ok(w, 2, fork_ok(w, 2, 0), 1000 + i);
	}
	assert_invariants(w);
	return w;
}

START_TEST(test_digest_sees_every_field)
{
	const struct mutation *m = &mutations[_i % NMUTATIONS];
	struct contid_world *w = _i < NMUTATIONS ? rich_world() : large_rich_world();
	struct contid_world *c = clone_of(w);

	ck_assert(same_digest(w, c));
	m->change(c);
	ck_assert_msg(!same_digest(w, c), "changing the %s left the digest as it was",
		      m->field);
}
END_TEST

/* What the digest leaves out: changing it leaves the digest as it was. */
MUT(clock, w->clock_ms += 5)
MUT(serial, w->serial += 5)
MUT(next_identity, w->next_identity += 5)
MUT(identities, {
	/* every task and every record of one renumbered alike */
	struct contid_obj *o, *tmp;
	HASH_ITER(hh, w->objs, o, tmp) {
		o->owner_identity += o->owner_identity ? 1000 : 0;
		o->owner_proc_identity += o->owner_proc_identity ? 1000 : 0;
	}
	for (pid_t p = 1; p <= 11; p++)
		task_of(w, p)->identity += 1000;
	w->sig_target_identity += 1000;
	w->next_identity += 1000;
})
MUT(ns_numbers, {
	for (struct userns *ns = w->userns_live; ns; ns = ns->next_live)
		ns->id += 50;
	for (struct netns *ns = w->netns_live; ns; ns = ns->next_live)
		ns->id += 50;
	w->next_ns_id += 50;
})

MUT(name_copy, ck_assert_int_eq(contid_task_set_name(w, 3, "init"), 0))

static const struct mutation ignored[] = {
	{ "clock", mut_clock },
	{ "serial", mut_serial },
	{ "next identity", mut_next_identity },
	{ "identities", mut_identities },
	{ "namespace numbers", mut_ns_numbers },
	{ "copies of a name", mut_name_copy },
};

START_TEST(test_digest_ignores_numbering)
{
	const struct mutation *m = &ignored[_i];
	struct contid_world *w = rich_world();
	struct contid_world *c = clone_of(w);

	m->change(c);
	ck_assert_msg(same_digest(w, c), "changing the %s changed the digest",
		      m->field);
	assert_invariants(c);
}
END_TEST

/* Past the names the digest labels, a name goes in at every task: a name
 * there still counts by its text, not by its copy. */
START_TEST(test_digest_late_names)
{
	struct contid_world *w = large_rich_world();
	struct contid_world *c = clone_of(w);
	pid_t last = 0, p = 0;

	while (contid_task_next(w, p, &p) == 0)
		if (task_of(w, p)->name->text[0] == 't')
			last = p;
	ck_assert_int_gt(last, 0);
	ck_assert_int_eq(contid_task_set_name(c, last, "task19"), 0);
	ck_assert(same_digest(w, c));
	ck_assert_int_eq(contid_task_set_name(c, last, "task20"), 0);
	ck_assert(!same_digest(w, c));
}
END_TEST

/* ------------------------------------------ (e) the symmetric digest */

static int same_symmetric(const struct contid_world *a,
			  const struct contid_world *b, unsigned forks)
{
	uint64_t da[2], db[2];

	ck_assert_int_eq(contid_world_digest_symmetric(a, forks, da), 0);
	ck_assert_int_eq(contid_world_digest_symmetric(b, forks, db), 0);
	return da[0] == db[0] && da[1] == db[1];
}

/* The canonical digest, with no values (see below). */
static void canonical_of(const struct contid_world *w, const uint64_t *values,
			 size_t nvalues, uint64_t d[2])
{
	ck_assert_int_eq(contid_world_digest_canonical(w, 0, values, nvalues, d), 0);
}

static int same_canonical_of(const struct contid_world *a,
			     const struct contid_world *b,
			     const uint64_t *values, size_t nvalues)
{
	uint64_t da[2], db[2];

	canonical_of(a, values, nvalues, da);
	canonical_of(b, values, nvalues, db);
	return da[0] == db[0] && da[1] == db[1];
}

static int same_canonical(const struct contid_world *a,
			  const struct contid_world *b)
{
	return same_canonical_of(a, b, NULL, 0);
}

/* The live pid of rank @rank (1: init), or a pid no task has. */
static pid_t pid_of_rank(const struct contid_world *w, pid_t rank)
{
	pid_t pid = 0;

	for (pid_t r = 0; r < rank; r++)
		if (contid_task_next(w, pid, &pid) < 0)
			return 99999;
	return pid;
}

/* The rank of live pid @pid, 0 for none. */
static pid_t rank_of_pid(const struct contid_world *w, pid_t pid)
{
	pid_t p = 0, r = 0;

	while (pid > 0 && contid_task_next(w, p, &p) == 0) {
		r++;
		if (p == pid)
			return r;
	}
	return 0;
}

/* The pid a signal_info reply names, by rank: a live one's rank, a gone
 * one's place among the live pids (how many are below it), -1 as the largest number. */
static uint64_t reply_pid_ranked(const struct contid_world *w, pid_t pid,
				 const void *data)
{
	pid_t p = 0;
	uint64_t below = 0;

	(void)data;
	if (pid < 0)
		return UINT64_MAX;
	if (rank_of_pid(w, pid))
		return (uint64_t)rank_of_pid(w, pid);
	while (contid_task_next(w, p, &p) == 0 && p < pid)
		below++;
	return 1000000 + below;
}

/* @op with its pids read as ranks, on @w; a fork's new pid is answered as
 * its rank, and so is the pid of signal_info's reply.  Settings of the pid
 * space and the profile are left out. */
static struct answer apply_ranked(struct contid_world *w, struct op op)
{
	if (op.kind == OP_PID_MAX || op.kind == OP_PROFILE)
		op.kind = OP_EVENT;
	op.a = pid_of_rank(w, op.a);
	op.b = pid_of_rank(w, op.b);
	if (op.kind == OP_SIGNAL_INFO)
		return signal_info_answer(w, op.a, reply_pid_ranked, NULL);
	struct answer ans = apply(w, &op);
	if (op.kind == OP_FORK && ans.ret == 0)
		ans.out = (uint64_t)rank_of_pid(w, (pid_t)ans.out);
	return ans;
}

/* inspect(), by rank: every pid it shows is a rank. */
static void inspect_ranked(const struct contid_world *w, char *buf, size_t size)
{
	inspect_as(w, rank_of_pid, buf, size);
}

/*
 * The same random history, by rank, on a world and on one that also forks,
 * exits and reaps a task of its own now and then (so that every later pid
 * is numbered otherwise): the plain digests differ, the symmetric ones do
 * not, and every later operation, by rank, answers alike.
 */
START_TEST(test_symmetric_renumbered_worlds)
{
	const char *profile = profile_at(_i);
	uint64_t seed = 0x51ed27u * (uint64_t)(_i + 3), noise = seed ^ 0xabcdef;
	struct contid_world *a = new_world(profile), *b = new_world(profile);
	char ia[4096], ib[4096];
	unsigned shifted = 0;

	for (unsigned i = 0, n = 10 + pick(&seed, 40); i < n; i++) {
		struct op op = random_op(&seed);
		apply_ranked(a, op);
		apply_ranked(b, op);
		/* (no room for it under a task limit: no shift this time) */
		pid_t d;
		if (pick(&noise, 3) == 0 && contid_fork(b, 1, 0, &d) == 0) {
			exit_ok(b, d);
			ck_assert_int_eq(contid_reap(b, d), 0);
			shifted++;
		}
	}
	ck_assert_uint_gt(shifted, 0);
	ck_assert(!same_digest(a, b));
	ck_assert_msg(same_symmetric(a, b, 60), "%s: renumbering changed the "
		      "symmetric digest", profile);
	for (unsigned i = 0; i < 60; i++) {
		struct op op = random_op(&seed);
		struct answer aa = apply_ranked(a, op), ab = apply_ranked(b, op);
		ck_assert_msg(aa.ret == ab.ret && aa.out == ab.out,
			      "%s, step %u, op %d: %d/%llu vs %d/%llu", profile, i,
			      op.kind, aa.ret, (unsigned long long)aa.out, ab.ret,
			      (unsigned long long)ab.out);
		inspect_ranked(a, ia, sizeof(ia));
		inspect_ranked(b, ib, sizeof(ib));
		ck_assert_str_eq(ia, ib);
		ck_assert(same_symmetric(a, b, 60 - i));
	}
}
END_TEST

/* Section 6a: the pid a signal left is a number the daemon's question
 * prints; a gone sender's counts by its place among the live pids. */
static struct contid_world *signalled_world(bool shift, bool sender_first)
{
	struct contid_world *w = new_world("v11");
	pid_t d = 0, s;

	if (!sender_first)
		d = fork_ok(w, 1, 0);
	if (shift) {
		pid_t x = fork_ok(w, 1, 0);
		exit_ok(w, x);
		ck_assert_int_eq(contid_reap(w, x), 0);
	}
	s = fork_ok(w, 1, 0);
	if (sender_first)
		d = fork_ok(w, 1, 0);
	ck_assert_int_eq(contid_set_auditd(w, d), 0);
	ck_assert_int_eq(contid_signal(w, s, d, CONTID_SIG_TERM), 0);
	exit_ok(w, s);
	ck_assert_int_eq(contid_reap(w, s), 0);
	return w;
}

START_TEST(test_symmetric_signal_state)
{
	struct contid_world *a = signalled_world(false, false);
	struct contid_world *b = signalled_world(true, false);
	struct contid_world *c = signalled_world(false, true);

	ck_assert(!same_digest(a, b));
	ck_assert(same_symmetric(a, b, 20));
	/* the sender below the daemon, not above it: another state */
	ck_assert(!same_symmetric(a, c, 20));
	struct op info = { OP_SIGNAL_INFO, 1, 0, 0, 0 };
	struct answer aa = apply_ranked(a, info), ab = apply_ranked(b, info);
	ck_assert(aa.ret == 0 && ab.ret == 0 && aa.out == ab.out);
}
END_TEST

/* Every modelled field but the last pid changes the symmetric and the
 * canonical digest as it changes the plain one; the last pid changes only
 * the plain one. */
START_TEST(test_symmetric_sees_every_field)
{
	const struct mutation *m = &mutations[_i % NMUTATIONS];
	struct contid_world *w = _i < NMUTATIONS ? rich_world() : large_rich_world();
	struct contid_world *c = clone_of(w);

	ck_assert(same_symmetric(w, c, 0));
	ck_assert(same_canonical(w, c));
	m->change(c);
	if (m->change == mut_last_pid) {
		ck_assert_msg(same_symmetric(w, c, 0), "the last pid counts");
		ck_assert_msg(same_canonical(w, c), "the last pid counts");
	} else {
		ck_assert_msg(!same_symmetric(w, c, 0), "changing the %s left the "
			      "symmetric digest as it was", m->field);
		ck_assert_msg(!same_canonical(w, c), "changing the %s left the "
			      "canonical digest as it was", m->field);
	}
}
END_TEST

/* Renumbering, but for the first live task: the symmetric digest sees a
 * pid's rank, and a rank's task is another one when the ranks cross. */
START_TEST(test_symmetric_sees_order)
{
	struct contid_world *a = new_world("v11"), *b = new_world("v11");

	/* a: 2 has uid 1000, 3 has not; b: the other way round */
	pid_t a2 = fork_ok(a, 1, 0), a3 = fork_ok(a, 1, 0);
	pid_t b2 = fork_ok(b, 1, 0), b3 = fork_ok(b, 1, 0);
	ck_assert_int_eq(contid_setuid(a, a2, 1000), 0);
	ck_assert_int_eq(contid_setuid(b, b3, 1000), 0);
	ck_assert(!same_symmetric(a, b, 0));
	/* the plain and the symmetric digest of one world differ */
	uint64_t d[2], ds[2];
	digest_of(a, d);
	ck_assert_int_eq(contid_world_digest_symmetric(a, 0, ds), 0);
	ck_assert(d[0] != ds[0] || d[1] != ds[1]);
	(void)a3;
	(void)b2;
}
END_TEST

/* -ERANGE where renumbering could change an answer: too few pids left
 * below pid_max for the forks to come, or a live pid above the last one
 * handed out (the pids have wrapped); with no fork to come, never. */
START_TEST(test_symmetric_range)
{
	struct contid_world *w = new_world("v11");
	uint64_t d[2] = { 1, 2 };

	ck_assert_int_eq(contid_world_digest_symmetric(NULL, 0, d), -EINVAL);
	ck_assert_int_eq(contid_world_digest_symmetric(w, 0, NULL), -EINVAL);
	ck_assert_int_eq(contid_world_set_pid_max(w, 10), 0);
	pid_t p = 0;
	for (unsigned i = 0; i < 6; i++)
		p = fork_ok(w, 1, 0);                 /* 2 .. 7 */
	ck_assert_int_eq(p, 7);
	/* 8 and 9 are left */
	ck_assert_int_eq(contid_world_digest_symmetric(w, 2, d), 0);
	uint64_t kept[2] = { d[0], d[1] };
	ck_assert_int_eq(contid_world_digest_symmetric(w, 3, d), -ERANGE);
	ck_assert(d[0] == kept[0] && d[1] == kept[1]);
	/* wrap: 8, 9, then 2 again, below live pids */
	exit_ok(w, 2);
	ck_assert_int_eq(contid_reap(w, 2), 0);
	fork_ok(w, 1, 0);
	fork_ok(w, 1, 0);
	ck_assert_int_eq(fork_ok(w, 1, 0), 2);
	ck_assert_int_eq(contid_world_digest_symmetric(w, 1, d), -ERANGE);
	ck_assert_int_eq(contid_world_digest_symmetric(w, 0, d), 0);
}
END_TEST

/* ------------------------------------------------- the orbit digest */

/* The values the orbit tests treat alike: those random_op() writes but 0
 * and CONTID_UNSET. */
static const uint64_t orbit_values[] = { 100, 200, 300, 400 };
#define NORBIT (sizeof(orbit_values) / sizeof(orbit_values[0]))

static int same_orbit(const struct contid_world *a, const struct contid_world *b,
		      unsigned forks)
{
	uint64_t da[2], db[2];

	ck_assert_int_eq(contid_world_digest_orbit(a, forks, orbit_values, NORBIT, da), 0);
	ck_assert_int_eq(contid_world_digest_orbit(b, forks, orbit_values, NORBIT, db), 0);
	return da[0] == db[0] && da[1] == db[1];
}

/* @v renamed by the permutation @perm of orbit_values (others as they are). */
static uint64_t renamed(const unsigned *perm, uint64_t v)
{
	for (size_t i = 0; i < NORBIT; i++)
		if (orbit_values[i] == v)
			return orbit_values[perm[i]];
	return v;
}

/* A random operation but a change of profile (kernel-alloc reads values)
 * or of pid_max (so that the forks to come always have room). */
static struct op random_op_same_profile(uint64_t *s)
{
	struct op op;

	do
		op = random_op(s);
	while (op.kind == OP_PROFILE || op.kind == OP_PID_MAX);
	return op;
}

/* The profiles whose rules compare IDs only for equality, and where
 * every ID is reached from a task or the pin (v11-posted's leak can leave
 * an ID nothing reaches). */
static const char *const orbit_profiles[] = { "v11", "v6", "v8" };
#define NORBIT_PROFILES (sizeof(orbit_profiles) / sizeof(orbit_profiles[0]))

/*
 * One story of @len random steps told twice, in @a and in @b, the second
 * time with the values permuted by @perm (the derangement number
 * @variant, so that every value moves); it begins with a value held, so
 * that the permutation shows.
 */
static void permuted_story(const char *profile, int variant, unsigned len,
			   uint64_t *seed, unsigned perm[NORBIT],
			   struct contid_world **a, struct contid_world **b)
{
	*a = new_world(profile);
	*b = new_world(profile);
	for (size_t i = 0; i < NORBIT; i++)
		perm[i] = (unsigned)((i + 1 + (size_t)variant % (NORBIT - 1)) % NORBIT);
	pid_t c = fork_ok(*a, 1, 0);
	ck_assert_int_eq(fork_ok(*b, 1, 0), c);
	ck_assert_int_eq(contid_set(*a, 1, c, 100), 0);
	ck_assert_int_eq(contid_set(*b, 1, c, renamed(perm, 100)), 0);
	for (unsigned i = 0; i < len; i++) {
		struct op op = random_op_same_profile(seed), opb = op;
		if (op.kind == OP_SET)
			opb.value = renamed(perm, op.value);
		ck_assert_int_eq(apply(*a, &op).ret, apply(*b, &opb).ret);
	}
}

/*
 * One story told twice, the second time with the values permuted (a
 * derangement, so that every value moves): the orbit digests are equal
 * and the symmetric ones are not; and every later operation, its values
 * permuted, answers alike (a read's value renamed), the orbit digests
 * staying equal.
 */
START_TEST(test_orbit_permuted_worlds)
{
	const char *profile = orbit_profiles[(size_t)_i % NORBIT_PROFILES];
	uint64_t seed = 0x0b17u * (uint64_t)(_i + 5);
	unsigned perm[NORBIT];
	struct contid_world *a, *b;

	permuted_story(profile, _i, 10 + pick(&seed, 40), &seed, perm, &a, &b);
	ck_assert_msg(!same_symmetric(a, b, 0), "%s: the permutation left no trace",
		      profile);
	ck_assert_msg(same_orbit(a, b, 60), "%s: permuted values changed the "
		      "orbit digest", profile);
	for (unsigned i = 0; i < 60; i++) {
		struct op op = random_op_same_profile(&seed), opb = op;
		if (op.kind == OP_SET)
			opb.value = renamed(perm, op.value);
		struct answer aa = apply(a, &op), ab = apply(b, &opb);
		ck_assert_msg(aa.ret == ab.ret, "%s, step %u, op %d: %d vs %d",
			      profile, i, op.kind, aa.ret, ab.ret);
		if (op.kind == OP_GET && aa.ret == 0)
			ck_assert_uint_eq(renamed(perm, aa.out), ab.out);
		else if (op.kind != OP_SIGNAL_INFO) /* (its chain has values) */
			ck_assert_uint_eq(aa.out, ab.out);
		ck_assert(same_orbit(a, b, 60 - i));
	}
}
END_TEST

/* Init gives @first, @second and @outside to its children 2, 3 and 4, in
 * that order: its network namespace lists them the other way round (a
 * value joins the list at its front). */
static struct contid_world *valued_world(uint64_t first, uint64_t second,
					 uint64_t outside)
{
	struct contid_world *w = new_world("v11");
	pid_t t2 = fork_ok(w, 1, 0), t3 = fork_ok(w, 1, 0), t4 = fork_ok(w, 1, 0);

	ck_assert_int_eq(contid_set(w, 1, t2, first), 0);
	ck_assert_int_eq(contid_set(w, 1, t3, second), 0);
	ck_assert_int_eq(contid_set(w, 1, t4, outside), 0);
	return w;
}

static void orbit_of(const struct contid_world *w, const uint64_t *values,
		     size_t n, uint64_t d[2])
{
	ck_assert_int_eq(contid_world_digest_orbit(w, 0, values, n, d), 0);
}

static void symmetric_of(const struct contid_world *w, uint64_t d[2])
{
	ck_assert_int_eq(contid_world_digest_symmetric(w, 0, d), 0);
}

#define SAME(x, y) ((x)[0] == (y)[0] && (x)[1] == (y)[1])

/*
 * The orbit digest is the symmetric digest of the world with its values
 * renamed in the order the walk meets them: the list's first entry for
 * the first met, and so on; values outside the list stay as they are.
 */
START_TEST(test_orbit_is_renamed_symmetric)
{
	static const uint64_t v[] = { 7, 5, 9 };
	uint64_t d1[2], d2[2];
	/* init's namespace list is met first: 40, 5, 9; so 5 reads as 7 and
	 * 9 as 5 */
	struct contid_world *w = valued_world(9, 5, 40);
	struct contid_world *renamed_w = valued_world(5, 7, 40);
	/* 40, 9, 7: 9 reads as 7 and 7 as 5 */
	struct contid_world *other = valued_world(7, 9, 40);

	orbit_of(w, v, 3, d1);
	symmetric_of(renamed_w, d2);
	ck_assert(SAME(d1, d2));
	orbit_of(other, v, 3, d2);
	ck_assert(SAME(d1, d2));
	/* with no values, the symmetric digest */
	orbit_of(w, NULL, 0, d1);
	symmetric_of(w, d2);
	ck_assert(SAME(d1, d2));
	/* with values the world does not use, too */
	static const uint64_t unused[] = { 1, 2 };
	orbit_of(w, unused, 2, d1);
	ck_assert(SAME(d1, d2));
	/* renamed, the symmetric digests differ */
	symmetric_of(renamed_w, d1);
	ck_assert(!SAME(d1, d2));
}
END_TEST

/* What the renaming does not reach: a value outside the list, the number
 * of distinct values, which tasks share one. */
START_TEST(test_orbit_sees_what_is_not_renamed)
{
	static const uint64_t v[] = { 1, 2 };
	uint64_t a[2], b[2];

	orbit_of(valued_world(1, 2, 3), v, 2, a);
	orbit_of(valued_world(2, 1, 3), v, 2, b);
	ck_assert(SAME(a, b));
	/* 3 and 4 are not in the list: not renamed */
	orbit_of(valued_world(1, 2, 4), v, 2, b);
	ck_assert(!SAME(a, b));
	/* one value for two tasks is not two values */
	orbit_of(valued_world(1, 1, 3), v, 2, b);
	ck_assert(!SAME(a, b));
	orbit_of(valued_world(2, 2, 3), v, 2, a);
	ck_assert(SAME(a, b));
	/* a listed value is not one outside the list */
	orbit_of(valued_world(1, 3, 2), v, 2, a);
	orbit_of(valued_world(1, 2, 3), v, 2, b);
	ck_assert(!SAME(a, b));
}
END_TEST

/* Values only the pin or an ancestor keeps are named where the walk meets
 * their chains: renamed worlds still have equal digests. */
static struct contid_world *pinned_world(uint64_t held, uint64_t pinned,
					 uint64_t nested)
{
	struct contid_world *w = new_world("v11");
	pid_t d = fork_ok(w, 1, 0), s = fork_ok(w, 1, 0), t = fork_ok(w, 1, 0);

	/* s holds @pinned, signals the daemon and is gone: only the pin
	 * keeps it */
	ck_assert_int_eq(contid_set(w, 1, s, pinned), 0);
	ck_assert_int_eq(contid_set_auditd(w, d), 0);
	ck_assert_int_eq(contid_signal(w, s, d, CONTID_SIG_TERM), 0);
	exit_ok(w, s);
	ck_assert_int_eq(contid_reap(w, s), 0);
	/* t holds @held and gives its child @nested (nesting: t does not
	 * own @held, init does); t is gone: only the nested ID keeps @held */
	ck_assert_int_eq(contid_set(w, 1, t, held), 0);
	pid_t c = fork_ok(w, t, 0);
	ck_assert_int_eq(contid_set(w, t, c, nested), 0);
	exit_ok(w, t);
	ck_assert_int_eq(contid_reap(w, t), 0);
	uint64_t parent = 0;
	ck_assert_int_eq(contid_id_parent(w, nested, &parent), 0);
	ck_assert_uint_eq(parent, held);
	return w;
}

START_TEST(test_orbit_pin_and_ancestors)
{
	static const uint64_t v[] = { 10, 20, 30 };
	uint64_t a[2], b[2], p[2];

	/* met: nested (init's namespace list), held (its parent), pinned */
	struct contid_world *x = pinned_world(10, 20, 30);
	struct contid_world *y = pinned_world(30, 10, 20);
	ck_assert_int_eq(contid_pinned(x, &p[0]), 0);
	ck_assert_uint_eq(p[0], 20);
	orbit_of(x, v, 3, a);
	orbit_of(y, v, 3, b);
	ck_assert(SAME(a, b));
	symmetric_of(x, a);
	symmetric_of(y, b);
	ck_assert(!SAME(a, b));
}
END_TEST

/* -EINVAL for the arguments, a value listed twice or CONTID_UNSET, more
 * than CONTID_DIGEST_VALUES_MAX; then -ERANGE as the symmetric digest;
 * the digest untouched on failure. */
START_TEST(test_orbit_refused)
{
	struct contid_world *w = new_world("v11");
	uint64_t d[2] = { 1, 2 }, many[CONTID_DIGEST_VALUES_MAX + 1];
	static const uint64_t twice[] = { 5, 6, 5 };
	static const uint64_t unset[] = { 5, CONTID_UNSET };

	for (size_t i = 0; i <= CONTID_DIGEST_VALUES_MAX; i++)
		many[i] = i + 1;
	ck_assert_int_eq(contid_world_digest_orbit(NULL, 0, many, 2, d), -EINVAL);
	ck_assert_int_eq(contid_world_digest_orbit(w, 0, many, 2, NULL), -EINVAL);
	ck_assert_int_eq(contid_world_digest_orbit(w, 0, NULL, 1, d), -EINVAL);
	ck_assert_int_eq(contid_world_digest_orbit(w, 0, twice, 3, d), -EINVAL);
	ck_assert_int_eq(contid_world_digest_orbit(w, 0, unset, 2, d), -EINVAL);
	ck_assert_int_eq(contid_world_digest_orbit(w, 0, many,
						   CONTID_DIGEST_VALUES_MAX + 1, d),
			 -EINVAL);
	ck_assert(d[0] == 1 && d[1] == 2);
	ck_assert_int_eq(contid_world_digest_orbit(w, 0, many,
						   CONTID_DIGEST_VALUES_MAX, d), 0);
	ck_assert_int_eq(contid_world_set_pid_max(w, 10), 0);
	uint64_t kept[2] = { d[0], d[1] };
	ck_assert_int_eq(contid_world_digest_orbit(w, 9, many, 2, d), -ERANGE);
	ck_assert(SAME(d, kept));
	/* the value checks come first */
	ck_assert_int_eq(contid_world_digest_orbit(w, 9, twice, 3, d), -EINVAL);
}
END_TEST

/* ---------------------------------------- (d) clone under failure injection */

START_TEST(test_clone_out_of_memory)
{
	struct contid_world *w = rich_world();
	struct contid_world *sentinel = (struct contid_world *)&worlds;
	pid_t orch = 2;

	/* more than the few namespaces and tasks that need no extra memory */
	for (unsigned i = 0; i < 40; i++)
		fork_ok(w, orch, CONTID_CLONE_NEWNET | CONTID_CLONE_NEWUSER);
	ck_assert_int_eq(contid_setns(w, 3, CONTID_NS_NET, 7), 0);
	char *before = dump_of(w);
	uint64_t d[2];
	digest_of(w, d);
	for (unsigned long n = 1;; n++) {
		struct contid_world *c = sentinel;
		contid_debug_fail_allocation(n);
		int r = contid_world_clone(w, &c);
		contid_debug_fail_allocation(0);
		char *after = dump_of(w);
		ck_assert_str_eq(before, after);
		free(after);
		if (r == 0) {
			keep(c);
			assert_invariants(c);
			char *dc = dump_of(c);
			ck_assert_str_eq(before, dc);
			free(dc);
			ck_assert(same_digest(w, c));
			ck_assert_uint_gt(n, 5);
			break;
		}
		ck_assert_int_eq(r, -ENOMEM);
		ck_assert_ptr_eq(c, sentinel);
	}
	free(before);
}
END_TEST

/* ------------------------------------------------------------ the copy */

/* @dst made a copy of @src: the same dump and digest, both sound. */
static void copy_ok(struct contid_world *dst, const struct contid_world *src)
{
	ck_assert_int_eq(contid_world_copy(dst, src), 0);
	assert_invariants(dst);
	char *ds = dump_of(src), *dd = dump_of(dst);
	ck_assert_str_eq(ds, dd);
	free(ds);
	free(dd);
	ck_assert(same_digest(src, dst));
}

/*
 * A random history copied into the world of another (with other names,
 * namespaces, IDs and sizes, so that its memory serves, or does not, in
 * every way), then random operations on both: the same answers, records
 * and dumps.  The copy's records reach its own callback, kept.
 */
START_TEST(test_copy_answers_like_the_original)
{
	const char *profile = profile_at(_i);
	uint64_t seed = 0x2545f4914f6cdd1du * (uint64_t)(_i + 1);
	struct log lw = { 0 }, lc = { 0 };
	struct contid_world *w = new_world(profile);
	struct contid_world *c = new_world(_i % 3 ? profile : "v6");

	contid_world_set_record_callback(w, log_record, &lw);
	contid_world_set_record_callback(c, log_record, &lc);
	for (unsigned i = 0, n = pick(&seed, 50); i < n; i++) {
		struct op op = random_op(&seed);
		apply(c, &op);
	}
	if (_i % 2)
		ck_assert_int_eq(contid_task_set_name(c, 1, "other"), 0);
	for (unsigned i = 0, n = 5 + pick(&seed, 60); i < n; i++) {
		struct op op = random_op(&seed);
		apply(w, &op);
	}
	log_clear(&lw);
	log_clear(&lc);
	copy_ok(c, w);
	ck_assert_str_eq(log_text(&lc), "");

	for (unsigned i = 0; i < 80; i++) {
		struct op op = random_op(&seed);
		struct answer aw = apply(w, &op), ac = apply(c, &op);
		ck_assert_msg(aw.ret == ac.ret && aw.out == ac.out,
			      "%s step %u op %d: %d/%llu vs %d/%llu", profile, i,
			      op.kind, aw.ret, (unsigned long long)aw.out, ac.ret,
			      (unsigned long long)ac.out);
		ck_assert_str_eq(log_text(&lw), log_text(&lc));
		log_clear(&lw);
		log_clear(&lc);
		char *dw = dump_of(w), *dc = dump_of(c);
		ck_assert_str_eq(dw, dc);
		free(dw);
		free(dc);
		assert_invariants(c);
		/* now and then the copy starts over from the original */
		if (i % 20 == 19)
			copy_ok(c, w);
	}
	contid_world_set_record_callback(w, NULL, NULL);
	contid_world_set_record_callback(c, NULL, NULL);
	log_free(&lw);
	log_free(&lc);
}
END_TEST

/* A world an explorer might meet: IDs, threads, a zombie, namespaces of
 * both kinds, but no ID held in two network namespaces. */
static struct contid_world *explorer_world(void)
{
	struct contid_world *w = new_world("v11");
	pid_t orch = fork_ok(w, 1, 0);                        /* 2 */

	set_ok(w, 1, orch, 100);
	fork_ok(w, orch, CONTID_CLONE_THREAD);                /* 3 */
	pid_t net = fork_ok(w, orch, CONTID_CLONE_NEWNET);    /* 4 */
	set_ok(w, orch, net, 200);
	fork_ok(w, orch, CONTID_CLONE_NEWUSER);               /* 5 */
	spawn_zombie(w, orch);                                /* 6 */
	ck_assert_int_eq(contid_setuid(w, net, 1000), 0);
	assert_invariants(w);
	return w;
}

/* A copy into a world laid out alike, with the same names, namespaces and
 * IDs, allocates nothing; nor does one of a smaller world. */
START_TEST(test_copy_reuses_memory)
{
	struct contid_world *w = explorer_world();
	struct contid_world *c = clone_of(w);

	ck_assert_int_eq(contid_exit(c, 3), 0);
	ck_assert_int_eq(contid_setuid(c, 2, 1000), 0);
	contid_debug_fail_allocation(1);
	int r = contid_world_copy(c, w);
	unsigned long left = contid_debug_allocations_left();
	contid_debug_fail_allocation(0);
	ck_assert_int_eq(r, 0);
	ck_assert_uint_eq(left, 1);
	copy_ok(c, w);

	/* and a world with fewer of everything into one with more */
	struct contid_world *small = new_world("v11");
	fork_ok(small, 1, 0);
	struct contid_world *d = clone_of(w);
	ck_assert_int_eq(contid_exit(d, 4), 0);
	contid_debug_fail_allocation(1);
	r = contid_world_copy(d, small);
	left = contid_debug_allocations_left();
	contid_debug_fail_allocation(0);
	ck_assert_int_eq(r, 0);
	ck_assert_uint_eq(left, 1);
	copy_ok(d, small);
}
END_TEST

/* How many allocations a clone of @w makes. */
static unsigned long clone_allocations(const struct contid_world *w)
{
	for (unsigned long n = 1;; n++) {
		struct contid_world *c;
		contid_debug_fail_allocation(n);
		int r = contid_world_clone(w, &c);
		contid_debug_fail_allocation(0);
		if (r == 0) {
			contid_world_free(c);
			return n - 1;
		}
	}
}

/*
 * Every allocation a copy makes fails in turn: the copy is -ENOMEM and
 * leaves both worlds as they were, until it succeeds.  @_i chooses the
 * pair: a small world into a new one (new namespaces, IDs and the ID
 * table), into a world holding other IDs and names (new names too); one
 * with an ID held in two network namespaces (extra list entries) into a
 * new world and into one with other extra entries; and a world too large
 * for the copy's short arrays (made as a clone).
 */
START_TEST(test_copy_out_of_memory)
{
	struct contid_world *src = _i < 2 ? explorer_world() : rich_world(), *dst;

	if (_i == 0 || _i == 2) {
		dst = new_world("v6");
	} else if (_i == 1) {
		dst = new_world("v11");
		pid_t p = fork_ok(dst, 1, 0);
		set_ok(dst, 1, p, 300);
		set_ok(dst, 1, fork_ok(dst, 1, 0), 777);
		ck_assert_int_eq(contid_task_set_name(dst, p, "elsewhere"), 0);
		ck_assert_int_eq(contid_task_set_name(src, 3, "elsewhere"), 0);
		ck_assert_int_eq(contid_task_set_name(src, 4, "nowhere"), 0);
	} else if (_i == 3) {
		dst = rich_world();
		ck_assert_int_eq(contid_setns(dst, 4, CONTID_NS_NET, 7), 0);
		ck_assert_int_eq(contid_setns(src, 8, CONTID_NS_NET, 1), 0);
	} else {
		dst = rich_world();
		for (unsigned i = 0; i < 40; i++)
			fork_ok(src, 2, CONTID_CLONE_NEWNET | CONTID_CLONE_NEWUSER);
	}
	char *src_before = dump_of(src), *dst_before = dump_of(dst);
	unsigned long n;
	for (n = 1;; n++) {
		contid_debug_fail_allocation(n);
		int r = contid_world_copy(dst, src);
		contid_debug_fail_allocation(0);
		char *s_after = dump_of(src);
		ck_assert_str_eq(src_before, s_after);
		free(s_after);
		if (r == 0)
			break;
		ck_assert_int_eq(r, -ENOMEM);
		char *d_after = dump_of(dst);
		ck_assert_str_eq(dst_before, d_after);
		free(d_after);
		assert_invariants(dst);
	}
	/* but the last, they reuse @dst's memory: fewer allocations than a
	 * clone's */
	ck_assert_uint_gt(n, 1);
	if (_i < 4)
		ck_assert_uint_lt(n, clone_allocations(src));
	assert_invariants(dst);
	char *d_after = dump_of(dst);
	ck_assert_str_eq(src_before, d_after);
	free(d_after);
	ck_assert(same_digest(src, dst));
	free(src_before);
	free(dst_before);
}
END_TEST

/* The checks, in order: NULL worlds, either world's callback running; a
 * world copied into itself stays as it is. */
START_TEST(test_copy_refused)
{
	struct contid_world *w = rich_world(), *c = new_world("v11");
	char *before = dump_of(c);

	ck_assert_int_eq(contid_world_copy(NULL, w), -EINVAL);
	ck_assert_int_eq(contid_world_copy(c, NULL), -EINVAL);
	c->in_record_fn = true; /* as while its callback runs */
	ck_assert_int_eq(contid_world_copy(c, NULL), -EINVAL);
	ck_assert_int_eq(contid_world_copy(c, w), -EDEADLK);
	c->in_record_fn = false;
	w->in_record_fn = true;
	ck_assert_int_eq(contid_world_copy(c, w), -EDEADLK);
	w->in_record_fn = false;
	char *after = dump_of(c);
	ck_assert_str_eq(before, after);
	free(after);
	free(before);

	before = dump_of(w);
	ck_assert_int_eq(contid_world_copy(w, w), 0);
	after = dump_of(w);
	ck_assert_str_eq(before, after);
	free(after);
	free(before);
}
END_TEST

/* ------------------------------------------------------- the API contract */

START_TEST(test_clone_digest_refused_in_callback)
{
	struct contid_world *w = new_world("v11");
	struct contid_world *c = NULL;
	uint64_t d[2] = { 1, 2 };

	ck_assert_int_eq(contid_world_clone(NULL, &c), -EINVAL);
	ck_assert_int_eq(contid_world_clone(w, NULL), -EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(contid_world_digest(NULL, d), -EINVAL);
	ck_assert_int_eq(contid_world_digest(w, NULL), -EINVAL);
	ck_assert(d[0] == 1 && d[1] == 2);
	w->in_record_fn = true; /* as while its callback runs */
	ck_assert_int_eq(contid_world_clone(w, &c), -EDEADLK);
	ck_assert_ptr_null(c);
	w->in_record_fn = false;
}
END_TEST

/* --------------------------------------------- the canonical digest */

static unsigned live_tasks(const struct contid_world *w)
{
	unsigned n = 0;

	for (pid_t pid = 0; contid_task_next(w, pid, &pid) == 0;)
		n++;
	return n;
}

/* Where @b's tasks are @a's, renumbered: pid -> pid (0 for none). */
struct pidmap {
	pid_t to[4096];
};

/*
 * @w renumbered in place by @m (its live pids onto as many others, init
 * kept): each task gets its new pid, the pid table and bitmap follow, and
 * so does the pid a signal left while its task lives.  Nothing else holds
 * a pid.
 */
static void renumber(struct contid_world *w, const struct pidmap *m)
{
	static uint32_t slots[4096];
	uint32_t n = w->pid_capacity < 4096 ? w->pid_capacity : 4096;

	for (uint32_t pid = 1; pid < n; pid++) {
		slots[pid] = w->pid_slot[pid];
		if (slots[pid] == NO_TASK)
			continue;
		w->pid_slot[pid] = NO_TASK;
		w->pid_bitmap[pid / 64] &= ~(UINT64_C(1) << (pid % 64));
	}
	for (uint32_t pid = 1; pid < n; pid++) {
		if (slots[pid] == NO_TASK)
			continue;
		uint32_t to = (uint32_t)m->to[pid];
		ck_assert(to > 0 && to < n && w->pid_slot[to] == NO_TASK);
		task_at(w, slots[pid])->pid = to;
		w->pid_slot[to] = slots[pid];
		w->pid_bitmap[to / 64] |= UINT64_C(1) << (to % 64);
	}
	if (w->sig_pid > 0 && (uint32_t)w->sig_pid < n && slots[w->sig_pid] != NO_TASK)
		w->sig_pid = m->to[w->sig_pid];
	ck_assert_int_eq(contid_world_check(w, NULL, 0), 0);
}

/*
 * @a renumbered by @m is @b, but for what no digest reads (clock,
 * serials, identities, namespace numbers, orders) and the two numbers a
 * renumbering cannot map: the last pid handed out and a gone pid a signal
 * left.  Compared through the normalised dumps.
 */
static void same_renumbered(const struct contid_world *a,
			    const struct contid_world *b, const struct pidmap *m)
{
	struct contid_world *c = clone_of(a);
	pid_t tgid;

	renumber(c, m);
	c->last_pid = b->last_pid;
	if (c->sig_pid > 0 && b->sig_pid > 0 &&
	    contid_task_tgid(c, c->sig_pid, &tgid) < 0 &&
	    contid_task_tgid(b, b->sig_pid, &tgid) < 0)
		c->sig_pid = b->sig_pid;
	char *dc = dump_of(c), *db = dump_of(b);
	char *nc = normalise(dc), *nb = normalise(db);
	ck_assert_msg(strcmp(nc, nb) == 0, "renumbered, not the same world:\n"
		      "%s\nvs\n%s", nc, nb);
	free(dc);
	free(db);
	free(nc);
	free(nb);
	drop(c);
}

static pid_t mapped(const struct pidmap *m, pid_t pid)
{
	return pid > 0 && pid < 4096 && m->to[pid] ? m->to[pid] : 99999;
}

/* The pid a signal_info reply names: a live one through @m (as it is
 * when @m is NULL), a gone one as "gone". */
static uint64_t reply_pid_mapped(const struct contid_world *w, pid_t pid,
				 const void *data)
{
	const struct pidmap *m = data;
	pid_t tgid;

	if (pid < 0 || contid_task_tgid(w, pid, &tgid) < 0)
		return UINT64_C(1) << 40;
	return m ? (uint64_t)mapped(m, pid) : (uint64_t)pid;
}

/* @op on @w, its pids passed through @in and the pid of a signal_info
 * reply through @out (either NULL: as they are).  A fork's new pid is
 * answered as it is. */
static struct answer apply_mapped(struct contid_world *w, struct op op,
				  const struct pidmap *in, const struct pidmap *out)
{
	if (in) {
		op.a = mapped(in, op.a);
		op.b = mapped(in, op.b);
	}
	if (op.kind == OP_SIGNAL_INFO)
		return signal_info_answer(w, op.a, reply_pid_mapped, out);
	return apply(w, &op);
}

/* One step on a world and on its renumbering by @m (@m extended by the
 * new pid of a fork): the same answers, pids renumbered.  @perm, when
 * not NULL, also renames the values @b is given and answers. */
static void step_renumbered(struct contid_world *a, struct contid_world *b,
			    struct pidmap *m, const unsigned *perm, uint64_t *seed,
			    const char *what, unsigned step)
{
	struct op op = random_op_same_profile(seed), opb = op;

	if (perm && op.kind == OP_SET)
		opb.value = renamed(perm, op.value);
	struct answer aa = apply_mapped(a, op, NULL, m);
	struct answer ab = apply_mapped(b, opb, m, NULL);
	ck_assert_msg(aa.ret == ab.ret, "%s, step %u, op %d: %d vs %d", what,
		      step, op.kind, aa.ret, ab.ret);
	if (op.kind == OP_FORK && aa.ret == 0)
		m->to[aa.out] = (pid_t)ab.out;
	else if (perm && op.kind == OP_GET && aa.ret == 0)
		ck_assert_uint_eq(renamed(perm, aa.out), ab.out);
	else if (!perm || op.kind != OP_SIGNAL_INFO) /* (a chain has values) */
		ck_assert_msg(aa.out == ab.out, "%s, step %u, op %d: %llu vs %llu",
			      what, step, op.kind, (unsigned long long)aa.out,
			      (unsigned long long)ab.out);
}

/* @b, a copy of @a, renumbered by a random permutation of its live pids
 * but init's; @m maps @a's pids to @b's. */
static void random_renumbering(const struct contid_world *a,
			       struct contid_world *b, struct pidmap *m,
			       uint64_t *seed)
{
	pid_t live[4096];
	unsigned n = 0;

	memset(m, 0, sizeof(*m));
	for (pid_t pid = 1; contid_task_next(a, pid, &pid) == 0;) {
		ck_assert_int_lt(pid, 4096);
		live[n++] = pid;
	}
	for (unsigned i = n; i > 1; i--) {     /* Fisher-Yates */
		unsigned j = pick(seed, i);
		pid_t t = live[i - 1];
		live[i - 1] = live[j];
		live[j] = t;
	}
	m->to[1] = 1;
	unsigned i = 0;
	for (pid_t pid = 1; contid_task_next(a, pid, &pid) == 0;)
		m->to[pid] = live[i++];
	renumber(b, m);
}

/*
 * 60 random steps on @a and on @b, @a renumbered by @m (and its values
 * renamed by @perm, when not NULL): the same answers, and, while there are
 * at most 5 live tasks (ties make at most 4! orders), equal canonical
 * digests; without @perm, the same world renumbered after every step.
 */
static void future_renumbered(struct contid_world *a, struct contid_world *b,
			      struct pidmap *m, const unsigned *perm,
			      uint64_t *seed, const char *what)
{
	const uint64_t *values = perm ? orbit_values : NULL;
	size_t nvalues = perm ? NORBIT : 0;
	unsigned checked = 0;

	for (unsigned i = 0; i <= 60; i++) {
		if (!perm)
			same_renumbered(a, b, m);
		if (live_tasks(a) <= 5) {
			ck_assert_msg(same_canonical_of(a, b, values, nvalues),
				      "%s, step %u: the canonical digests differ",
				      what, i);
			checked++;
		}
		if (i < 60)
			step_renumbered(a, b, m, perm, seed, what, i);
	}
	ck_assert_msg(checked > 0, "%s: never 5 tasks or fewer", what);
}

/*
 * A random history, and a clone of its world with the live pids but
 * init's renumbered by a random permutation (white-box: the pids are
 * rewritten in place): the canonical digests are equal whenever the
 * world is small enough for the guarantee (at most 5 live tasks: ties
 * make at most 4! orders); and every later operation, its pids
 * renumbered, answers alike, the worlds staying one another renumbered
 * (the same normalised dump).
 */
START_TEST(test_canonical_renumbered_worlds)
{
	const char *profile = profile_at(_i);
	uint64_t seed = 0xca11u * (uint64_t)(_i + 7);
	struct contid_world *a = keep(history(profile, seed, 6 + pick(&seed, 20), 0));
	struct contid_world *b = clone_of(a);
	struct pidmap m;

	random_renumbering(a, b, &m, &seed);
	ck_assert_int_eq(contid_world_set_pid_max(a, 4096), 0);
	ck_assert_int_eq(contid_world_set_pid_max(b, 4096), 0);
	future_renumbered(a, b, &m, NULL, &seed, profile);
}
END_TEST

/*
 * The same with values: one story told twice, the second time with the
 * values permuted (as test_orbit_permuted_worlds), and the second world
 * renumbered: the canonical digests with those values are equal, and
 * every later operation answers alike, pids renumbered and values renamed.
 */
START_TEST(test_canonical_renumbered_and_renamed)
{
	const char *profile = orbit_profiles[(size_t)_i % NORBIT_PROFILES];
	uint64_t seed = 0x5eedu * (uint64_t)(_i + 11);
	unsigned perm[NORBIT];
	struct contid_world *a, *b;
	struct pidmap m;

	permuted_story(profile, _i, 6 + pick(&seed, 20), &seed, perm, &a, &b);
	random_renumbering(a, b, &m, &seed);
	future_renumbered(a, b, &m, perm, &seed, profile);
}
END_TEST

/* The worlds of test_symmetric_sees_order: one task with uid 1000 among
 * two look-alike children of init, the first or the second; and the
 * non-symmetric case, where the tasks differ otherwise too. */
START_TEST(test_canonical_sees_no_order)
{
	struct contid_world *a = new_world("v11"), *b = new_world("v11");
	struct contid_world *c = new_world("v11");
	uint64_t da[2], db[2];

	pid_t a2 = fork_ok(a, 1, 0);
	fork_ok(a, 1, 0);
	fork_ok(b, 1, 0);
	pid_t b3 = fork_ok(b, 1, 0);
	ck_assert_int_eq(contid_setuid(a, a2, 1000), 0);
	ck_assert_int_eq(contid_setuid(b, b3, 1000), 0);
	ck_assert(!same_symmetric(a, b, 0));
	ck_assert(same_canonical(a, b));
	/* init with two children of which one has uid 1000, or with a child
	 * that has uid 1000 and a grandchild: not the same */
	pid_t c2 = fork_ok(c, 1, 0);
	ck_assert_int_eq(contid_setuid(c, c2, 1000), 0);
	fork_ok(c, c2, 0);
	ck_assert(!same_canonical(a, c));
	/* a canonical digest is no symmetric one, nor a plain one */
	canonical_of(a, NULL, 0, da);
	symmetric_of(a, db);
	ck_assert(!SAME(da, db));
	digest_of(a, db);
	ck_assert(!SAME(da, db));
}
END_TEST

/*
 * Worlds whose tasks the sort cannot tell apart by their neighbours:
 * init's children 2 and 3, each with a child, and only one of those
 * grandchildren with a grandchild of its own; which branch is the deep
 * one makes no difference, trying both orders of the tie.
 */
static struct contid_world *deep_branch(bool first)
{
	struct contid_world *w = new_world("v11");
	pid_t p2 = fork_ok(w, 1, 0), p3 = fork_ok(w, 1, 0);
	pid_t g4 = fork_ok(w, p2, 0), g5 = fork_ok(w, p3, 0);

	fork_ok(w, first ? g4 : g5, 0);
	return w;
}

START_TEST(test_canonical_ties)
{
	struct contid_world *a = deep_branch(true), *b = deep_branch(false);
	pid_t pa[8], pb[8];
	uint64_t da[2], db[2];

	ck_assert(!same_symmetric(a, b, 0));
	ck_assert(same_canonical(a, b));
	/* the orders the walks took map one world onto the other */
	ck_assert_int_eq(digest_canonical_order(a, 0, NULL, 0, pa, da), 0);
	ck_assert_int_eq(digest_canonical_order(b, 0, NULL, 0, pb, db), 0);
	ck_assert(SAME(da, db));
	struct pidmap m;
	memset(&m, 0, sizeof(m));
	for (unsigned i = 0; i < live_tasks(a); i++)
		m.to[pa[i]] = pb[i];
	same_renumbered(a, b, &m);
}
END_TEST

/*
 * Random pairs: many short histories; every two worlds with equal
 * canonical digests are one another renumbered by the orders their walks
 * took (the same normalised dump, pids mapped place by place), and stay
 * so under the same further operations, which answer alike.  Some
 * such pairs must have different symmetric digests, or the test would
 * prove nothing about the order.
 */
#define POOL 600

/* A short story of forks, setuids, writes and exits among the first few
 * pids, which often tells one world in several orders. */
static struct contid_world *small_history(uint64_t seed, unsigned len)
{
	struct contid_world *w = new_world("v11");
	pid_t child;

	for (unsigned i = 0; i < len; i++) {
		pid_t a = (pid_t)(1 + pick(&seed, 3));
		switch (pick(&seed, 4)) {
		case 0:
			contid_fork(w, a, 0, &child);
			break;
		case 1:
			contid_setuid(w, a, 1000);
			break;
		case 2:
			contid_set(w, 1, a, pick(&seed, 2) ? 100 : 200);
			break;
		default:
			contid_exit(w, a);
			break;
		}
	}
	return w;
}

START_TEST(test_canonical_equal_means_renumbered)
{
	static uint64_t da[POOL][2];
	static uint64_t seeds[POOL];
	uint64_t s = 0xfeedu + (uint64_t)_i;
	unsigned pairs = 0;

	for (unsigned i = 0; i < POOL; i++) {
		seeds[i] = next_rand(&s);
		struct contid_world *w = small_history(seeds[i], 3 + i % 4);
		ck_assert_int_eq(contid_world_digest_canonical(w, 0, NULL, 0, da[i]), 0);
		drop(w);
	}
	for (unsigned i = 0; i < POOL && pairs < 40; i++)
		for (unsigned j = i + 1; j < POOL && pairs < 40; j++) {
			if (!SAME(da[i], da[j]))
				continue;
			struct contid_world *a = small_history(seeds[i], 3 + i % 4);
			struct contid_world *b = small_history(seeds[j], 3 + j % 4);
			if (same_symmetric(a, b, 0)) {
				drop(a);
				drop(b);
				continue;
			}
			pairs++;
			pid_t pa[OP_PIDS], pb[OP_PIDS];
			uint64_t x[2], y[2];
			ck_assert_int_eq(contid_world_set_pid_max(a, 4096), 0);
			ck_assert_int_eq(contid_world_set_pid_max(b, 4096), 0);
			ck_assert_int_eq(digest_canonical_order(a, 0, NULL, 0, pa, x), 0);
			ck_assert_int_eq(digest_canonical_order(b, 0, NULL, 0, pb, y), 0);
			struct pidmap m;
			memset(&m, 0, sizeof(m));
			for (unsigned k = 0; k < live_tasks(a); k++)
				m.to[pa[k]] = pb[k];
			uint64_t t = seeds[i] ^ seeds[j];
			for (unsigned step = 0; step <= 20; step++) {
				same_renumbered(a, b, &m);
				if (live_tasks(a) <= 5)
					ck_assert(same_canonical(a, b));
				if (step < 20)
					step_renumbered(a, b, &m, NULL, &t, "pair", step);
			}
			drop(a);
			drop(b);
		}
	ck_assert_msg(pairs >= 5, "only %u pairs of equal canonical digests "
		      "differ in the order of their pids", pairs);
}
END_TEST

/* The gone pid a signal left reads as "gone": whether the sender was
 * forked before the daemon or after it makes no difference, as it does
 * for the symmetric digest (test_symmetric_signal_state). */
START_TEST(test_canonical_signal_state)
{
	struct contid_world *a = signalled_world(false, false);
	struct contid_world *c = signalled_world(false, true);

	ck_assert(!same_symmetric(a, c, 20));
	ck_assert(same_canonical(a, c));
	struct op info = { OP_SIGNAL_INFO, 1, 0, 0, 0 };
	struct answer aa = apply_mapped(a, info, NULL, NULL);
	struct answer ac = apply_mapped(c, info, NULL, NULL);
	ck_assert(aa.ret == 0 && ac.ret == 0 && aa.out == ac.out);
}
END_TEST

/* Init's children: @alike look-alikes and one with uid 1000 forked
 * @odd-th (from 0). */
static struct contid_world *crowd(unsigned alike, unsigned odd)
{
	struct contid_world *w = new_world("v11");

	for (unsigned i = 0; i <= alike; i++) {
		pid_t p = fork_ok(w, 1, 0);
		if (i == odd)
			ck_assert_int_eq(contid_setuid(w, p, 1000), 0);
	}
	return w;
}

/*
 * Past 120 orders of look-alike tasks (7 of them make 5040), the ties
 * stay in pid order, and a task the key tells apart still sorts by its
 * key: the odd one first or last gives one digest.  A world that has
 * used 64 task slots gets its orbit digest, however few tasks it has
 * left.
 */
START_TEST(test_canonical_fallbacks)
{
	struct contid_world *first = crowd(7, 0), *last = crowd(7, 7);
	uint64_t dc[2], d[2];

	ck_assert(!same_symmetric(first, last, 0));
	ck_assert(same_canonical(first, last));
	drop(first);
	drop(last);

	struct contid_world *w = new_world("v11");
	pid_t kids[70];
	for (unsigned i = 0; i < 70; i++)
		kids[i] = fork_ok(w, 1, 0);
	for (unsigned i = 2; i < 70; i++) {
		exit_ok(w, kids[i]);
		ck_assert_int_eq(contid_reap(w, kids[i]), 0);
	}
	ck_assert_int_eq(contid_setuid(w, kids[1], 1000), 0);
	ck_assert_uint_eq(live_tasks(w), 3);
	ck_assert_int_eq(contid_world_digest_canonical(w, 0, NULL, 0, dc), 0);
	ck_assert_int_eq(contid_world_digest_orbit(w, 0, NULL, 0, d), 0);
	ck_assert(SAME(dc, d));
}
END_TEST

/* Past 32 live tasks the canonical digest is the orbit digest; and
 * -ERANGE where renumbering could change an answer, as for the symmetric
 * digest, and also where a wrap could hand out again the gone pid a
 * signal left (every symmetric digest refuses that). */
START_TEST(test_canonical_limits)
{
	struct contid_world *w = new_world("v11");
	uint64_t dc[2], d[2] = { 1, 2 };
	const uint64_t v[] = { 5, 7 };

	for (unsigned i = 0; i < 40; i++)
		fork_ok(w, 1, 0);
	ck_assert_int_eq(contid_world_digest_canonical(w, 0, v, 2, dc), 0);
	ck_assert_int_eq(contid_world_digest_orbit(w, 0, v, 2, d), 0);
	ck_assert(SAME(dc, d));
	const uint64_t twice[] = { 5, 5 };
	ck_assert_int_eq(contid_world_digest_canonical(w, 0, twice, 2, d), -EINVAL);

	/* a signal from 9, which exits; the pids wrap to 3, below it */
	struct contid_world *s = new_world("v11");
	ck_assert_int_eq(contid_world_set_pid_max(s, 10), 0);
	pid_t daemon = fork_ok(s, 1, 0), p = 0;
	for (unsigned i = 0; i < 7; i++)
		p = fork_ok(s, 1, 0);                 /* 3 .. 9 */
	ck_assert_int_eq(p, 9);
	ck_assert_int_eq(contid_set_auditd(s, daemon), 0);
	ck_assert_int_eq(contid_signal(s, 9, daemon, CONTID_SIG_TERM), 0);
	for (pid_t pid = 3; pid <= 9; pid++) {
		exit_ok(s, pid);
		ck_assert_int_eq(contid_reap(s, pid), 0);
	}
	ck_assert_int_eq(fork_ok(s, 1, 0), 3);
	/* no live pid above the last one, room for 6 forks, but 9 could come
	 * again within them */
	ck_assert_int_eq(contid_world_digest_canonical(s, 1, NULL, 0, d), -ERANGE);
	ck_assert_int_eq(contid_world_digest_orbit(s, 1, v, 2, d), -ERANGE);
	ck_assert_int_eq(contid_world_digest_symmetric(s, 1, d), -ERANGE);
	ck_assert_int_eq(contid_world_digest_canonical(s, 0, NULL, 0, d), 0);
	ck_assert_int_eq(contid_world_digest_symmetric(s, 0, d), 0);
}
END_TEST

Suite *suite_clone_digest(void)
{
	Suite *s = suite_create("clone-digest");
	size_t nprofiles;
	TCase *tc;

	profile_list(&nprofiles);
	tc = tcase_create("clone");
	tcase_add_checked_fixture(tc, NULL, free_worlds);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_clone_answers_like_the_original, 0,
			    (int)(nprofiles * SEEDS));
	tcase_add_test(tc, test_clone_is_independent);
	tcase_add_test(tc, test_clone_copies_signal_state);
	tcase_add_test(tc, test_clone_big_world);
	tcase_add_test(tc, test_clone_out_of_memory);
	tcase_add_test(tc, test_clone_digest_refused_in_callback);
	suite_add_tcase(s, tc);

	tc = tcase_create("copy");
	tcase_add_checked_fixture(tc, NULL, free_worlds);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_copy_answers_like_the_original, 0,
			    (int)(nprofiles * SEEDS));
	tcase_add_test(tc, test_copy_reuses_memory);
	tcase_add_loop_test(tc, test_copy_out_of_memory, 0, 5);
	tcase_add_test(tc, test_copy_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("digest");
	tcase_add_checked_fixture(tc, NULL, free_worlds);
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_digest_ignores_clock_and_serials, 0,
			    (int)nprofiles);
	tcase_add_loop_test(tc, test_digest_equal_means_same_future, 0,
			    (int)(nprofiles * 2));
	tcase_add_loop_test(tc, test_digest_equal_after_one_more_op, 0,
			    (int)(nprofiles * 2));
	tcase_add_loop_test(tc, test_digest_equal_for_near_pairs, 0,
			    (int)(sizeof(script_pairs) / sizeof(script_pairs[0])));
	tcase_add_loop_test(tc, test_digest_sees_every_field, 0, 2 * NMUTATIONS);
	tcase_add_test(tc, test_digest_late_names);
	tcase_add_loop_test(tc, test_symmetric_renumbered_worlds, 0,
			    (int)(nprofiles * SEEDS));
	tcase_add_loop_test(tc, test_symmetric_sees_every_field, 0, 2 * NMUTATIONS);
	tcase_add_test(tc, test_symmetric_sees_order);
	tcase_add_test(tc, test_symmetric_signal_state);
	tcase_add_test(tc, test_symmetric_range);
	tcase_add_loop_test(tc, test_orbit_permuted_worlds, 0,
			    (int)(NORBIT_PROFILES * SEEDS));
	tcase_add_test(tc, test_orbit_is_renamed_symmetric);
	tcase_add_test(tc, test_orbit_sees_what_is_not_renamed);
	tcase_add_test(tc, test_orbit_pin_and_ancestors);
	tcase_add_test(tc, test_orbit_refused);
	tcase_add_loop_test(tc, test_canonical_renumbered_worlds, 0,
			    (int)(nprofiles * SEEDS));
	tcase_add_loop_test(tc, test_canonical_renumbered_and_renamed, 0,
			    (int)(NORBIT_PROFILES * SEEDS));
	tcase_add_test(tc, test_canonical_sees_no_order);
	tcase_add_test(tc, test_canonical_ties);
	tcase_add_test(tc, test_canonical_signal_state);
	tcase_add_test(tc, test_canonical_fallbacks);
	tcase_add_loop_test(tc, test_canonical_equal_means_renumbered, 0, 3);
	tcase_add_test(tc, test_canonical_limits);
	tcase_add_loop_test(tc, test_digest_ignores_numbering, 0,
			    (int)(sizeof(ignored) / sizeof(ignored[0])));
	suite_add_tcase(s, tc);
	return s;
}
