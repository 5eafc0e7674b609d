#include "test-helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tw_capture(void *userdata, int type, const char *line, size_t len)
{
	struct test_world *tw = userdata;

	ck_assert_uint_lt(tw->nrecords, TEST_MAX_RECORDS);
	ck_assert_uint_eq(strlen(line), len);
	tw->records[tw->nrecords].type = type;
	tw->records[tw->nrecords].line = strdup(line);
	ck_assert_ptr_nonnull(tw->records[tw->nrecords].line);
	tw->nrecords++;
}

struct test_world *tw_new(void)
{
	struct test_world *tw = calloc(1, sizeof(*tw));

	ck_assert_ptr_nonnull(tw);
	ck_assert_int_eq(contid_world_new(&tw->w), 0);
	ck_assert_int_eq(contid_world_set_record_callback(tw->w, tw_capture, tw), 0);
	return tw;
}

void tw_records_clear(struct test_world *tw)
{
	for (size_t i = 0; i < tw->nrecords; i++)
		free(tw->records[i].line);
	tw->nrecords = 0;
}

void tw_free(struct test_world *tw)
{
	if (!tw)
		return;
	tw_records_clear(tw);
	contid_world_free(tw->w);
	free(tw);
}

const char *tw_last_record(const struct test_world *tw, int type)
{
	for (size_t i = tw->nrecords; i > 0; i--)
		if (tw->records[i - 1].type == type)
			return tw->records[i - 1].line;
	return NULL;
}

pid_t fork_ok(struct contid_world *w, pid_t parent, unsigned flags)
{
	pid_t child = 0;

	ck_assert_int_eq(contid_fork(w, parent, flags, &child), 0);
	ck_assert_int_gt(child, 1);
	return child;
}

void set_ok(struct contid_world *w, pid_t writer, pid_t target, uint64_t id)
{
	ck_assert_int_eq(contid_set(w, writer, target, id), 0);
}

uint64_t contid_of(struct contid_world *w, pid_t pid)
{
	uint64_t id = 0;

	ck_assert_int_eq(contid_task_contid(w, pid, &id), 0);
	return id;
}

void assert_invariants(const struct contid_world *w)
{
	char msg[512] = "";

	ck_assert_msg(contid_world_check(w, msg, sizeof(msg)) == 0,
		      "invariant broken: %s", msg);
}

static struct test_world *cur_world;

struct test_world *open_world(void)
{
	cur_world = tw_new();
	return cur_world;
}

void close_world(void)
{
	tw_free(cur_world);
	cur_world = NULL;
}

TCase *fixture_tcase(Suite *s, void (*setup)(void), const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, close_world);
	suite_add_tcase(s, tc);
	return tc;
}

TCase *world_tcase(Suite *s, const char *name)
{
	return fixture_tcase(s, NULL, name);
}

/* ------------------------------------------------ tasks that must work */

pid_t spawn(struct contid_world *w, pid_t parent)
{
	return fork_ok(w, parent, 0);
}

pid_t spawn_thread(struct contid_world *w, pid_t leader)
{
	return fork_ok(w, leader, CONTID_CLONE_THREAD);
}

pid_t spawn_unprivileged(struct contid_world *w, pid_t parent)
{
	pid_t pid = spawn(w, parent);

	drop_cap_ok(w, pid, CONTID_CAP_AUDIT_CONTROL);
	ck_assert_int_eq(capable_of(w, pid, CONTID_CAP_AUDIT_CONTROL), 0);
	return pid;
}

pid_t fork_zombie(struct contid_world *w, pid_t parent, unsigned flags)
{
	pid_t pid = fork_ok(w, parent, flags);

	exit_ok(w, pid);
	ck_assert_int_eq(state_of(w, pid), CONTID_TASK_ZOMBIE);
	return pid;
}

pid_t spawn_zombie(struct contid_world *w, pid_t parent)
{
	return fork_zombie(w, parent, 0);
}

pid_t user_task(struct contid_world *w, uint32_t uid)
{
	pid_t t = fork_ok(w, 1, 0);

	if (uid != 0)
		ck_assert_int_eq(contid_setuid(w, t, uid), 0);
	ck_assert_uint_eq(uid_of(w, t), uid);
	return t;
}

pid_t deep_task(struct contid_world *w, unsigned levels)
{
	pid_t t = fork_ok(w, 1, 0);

	for (unsigned i = 0; i < levels; i++)
		ck_assert_int_eq(contid_unshare(w, t, CONTID_NS_USER), 0);
	ck_assert_uint_eq(level_of(w, t), levels);
	return t;
}

pid_t unmapped_root(struct contid_world *w, unsigned levels)
{
	pid_t u = user_task(w, 1000);
	pid_t r;

	for (unsigned i = 0; i < levels; i++)
		ck_assert_int_eq(contid_unshare(w, u, CONTID_NS_USER), 0);
	r = fork_ok(w, 1, 0);
	/* R-CAP: the walk from u's namespace reaches init's, r's own, where
	 * r has CAP_SYS_ADMIN. */
	ck_assert_int_eq(contid_setns(w, r, CONTID_NS_USER, u), 0);
	ck_assert_uint_eq(uid_of(w, r), 0);
	ck_assert_uint_eq(level_of(w, r), levels);
	return r;
}

void exit_ok(struct contid_world *w, pid_t pid)
{
	ck_assert_int_eq(contid_exit(w, pid), 0);
	assert_invariants(w);
}

void reap_ok(struct contid_world *w, pid_t pid)
{
	ck_assert_int_eq(contid_reap(w, pid), 0);
	assert_invariants(w);
}

void drop_cap_ok(struct contid_world *w, pid_t pid, int cap)
{
	ck_assert_int_eq(contid_drop_cap(w, pid, cap), 0);
}

void setcap_ok(struct contid_world *w, pid_t writer, pid_t target,
	       uint32_t value)
{
	ck_assert_int_eq(contid_set_capcontid(w, writer, target, value), 0);
}

int write_str(struct contid_world *w, pid_t writer, pid_t target,
	      const char *s)
{
	return contid_write(w, writer, target, s, strlen(s));
}

int capwrite_str(struct contid_world *w, pid_t writer, pid_t target,
		 const char *s)
{
	return contid_write_capcontid(w, writer, target, s, strlen(s));
}

/* The highest pid of a task that is not gone. */
pid_t highest_pid(struct contid_world *w)
{
	pid_t pid = 0, next;

	while (contid_task_next(w, pid, &next) == 0)
		pid = next;
	return pid;
}

void fill_pid_space(struct contid_world *w)
{
	pid_t top = highest_pid(w);
	pid_t c;

	ck_assert_int_eq(contid_world_set_pid_max(w, (unsigned)top + 1), 0);
	for (pid_t i = 0; i <= top; i++) {
		int rc = contid_fork(w, 1, 0, &c);

		if (rc == -EAGAIN)
			return;
		ck_assert_int_eq(rc, 0);
	}
	ck_abort_msg("fork never reported EAGAIN in a full pid space");
}

/* ------------------------------------------- task queries that must work */

pid_t ppid_of(struct contid_world *w, pid_t pid)
{
	pid_t ppid = -1;

	ck_assert_int_eq(contid_task_ppid(w, pid, &ppid), 0);
	return ppid;
}

pid_t tgid_of(struct contid_world *w, pid_t pid)
{
	pid_t tgid = -1;

	ck_assert_int_eq(contid_task_tgid(w, pid, &tgid), 0);
	return tgid;
}

int is_desc(struct contid_world *w, pid_t a, pid_t b)
{
	int is = -1;

	ck_assert_int_eq(contid_task_is_descendant(w, a, b, &is), 0);
	return is;
}

int state_of(struct contid_world *w, pid_t pid)
{
	int st = 0;
	int rc = contid_task_state(w, pid, &st);

	return rc < 0 ? rc : st;
}

uint32_t uid_of(struct contid_world *w, pid_t pid)
{
	uint32_t uid = 12345;

	ck_assert_int_eq(contid_task_uid(w, pid, &uid), 0);
	return uid;
}

unsigned level_of(struct contid_world *w, pid_t pid)
{
	unsigned level = 999;

	ck_assert_int_eq(contid_task_userns_level(w, pid, &level), 0);
	return level;
}

int has_cap(struct contid_world *w, pid_t pid, int cap)
{
	int has = -1;

	ck_assert_int_eq(contid_task_has_cap(w, pid, cap, &has), 0);
	return has;
}

int capable_of(struct contid_world *w, pid_t pid, int cap)
{
	int cap_ok = -1;

	ck_assert_int_eq(contid_task_capable(w, pid, cap, &cap_ok), 0);
	return cap_ok;
}

uint64_t identity_of(struct contid_world *w, pid_t pid)
{
	uint64_t id = 0;

	ck_assert_int_eq(contid_task_identity(w, pid, &id), 0);
	return id;
}

uint32_t capcontid_of(struct contid_world *w, pid_t pid)
{
	uint32_t v = 12345;

	ck_assert_int_eq(contid_task_capcontid(w, pid, &v), 0);
	return v;
}

void assert_all_caps(struct contid_world *w, pid_t pid, int has)
{
	for (int cap = 0; cap < NCAPS; cap++)
		ck_assert_msg(has_cap(w, pid, cap) == has,
			      "task %d: has_cap(%d) != %d", (int)pid, cap, has);
}

void assert_capable_all(struct contid_world *w, pid_t pid, int is)
{
	for (int cap = 0; cap < NCAPS; cap++)
		ck_assert_msg(capable_of(w, pid, cap) == is,
			      "task %d: capable(%d) != %d", (int)pid, cap, is);
}

void assert_chain(struct contid_world *w, pid_t pid, const char *want)
{
	char buf[256];

	ck_assert_int_eq(contid_task_chain(w, pid, buf, sizeof(buf)),
			 (int)strlen(want));
	ck_assert_str_eq(buf, want);
}

static void format_ids(char *out, size_t size, const uint64_t *ids, size_t n)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%llu",
					 i ? "," : "",
					 (unsigned long long)ids[i]);
}

void assert_netns(struct contid_world *w, pid_t pid, const uint64_t *want,
		  size_t n)
{
	uint64_t got[32];
	char gs[512], ws[512];
	int ret = contid_task_netns_ids(w, pid, got, 32);

	ck_assert_int_ge(ret, 0);
	format_ids(gs, sizeof(gs), got, ret < 32 ? (size_t)ret : 32);
	format_ids(ws, sizeof(ws), want, n);
	ck_assert_msg((size_t)ret == n &&
		      (n == 0 || memcmp(got, want, n * sizeof(*want)) == 0),
		      "netns list of pid %d is [%s], expected [%s]", (int)pid,
		      gs, ws);
}

/* --------------------------------------------- ID objects that must exist */

unsigned users_of(struct contid_world *w, uint64_t value)
{
	unsigned n = 12345;

	ck_assert_int_eq(contid_id_users(w, value, &n), 0);
	return n;
}

unsigned refs_of(struct contid_world *w, uint64_t value)
{
	unsigned n = 12345;

	ck_assert_int_eq(contid_id_refs(w, value, &n), 0);
	return n;
}

uint64_t parent_of(struct contid_world *w, uint64_t value)
{
	uint64_t p = 12345;

	ck_assert_int_eq(contid_id_parent(w, value, &p), 0);
	return p;
}

pid_t owner_pid_of(struct contid_world *w, uint64_t value)
{
	pid_t pid = -1;

	ck_assert_int_eq(contid_id_owner(w, value, NULL, &pid), 0);
	return pid;
}

uint64_t owner_identity_of(struct contid_world *w, uint64_t value)
{
	uint64_t id = 0;

	ck_assert_int_eq(contid_id_owner(w, value, &id, NULL), 0);
	return id;
}

void assert_no_object(struct contid_world *w, uint64_t value)
{
	ck_assert_int_eq(contid_id_owner(w, value, NULL, NULL), -ENOENT);
	ck_assert_int_eq(contid_id_users(w, value, &(unsigned){ 0 }), -ENOENT);
}

/* ------------------------------ expected records (test-records*.c) */

#define T0 1700000000ULL

const char *type_text(int type)
{
	switch (type) {
	case 1020: return "CONTAINER_OP";
	case 1022: return "SET_CAPCONTID";
	case 1300: return "SYSCALL";
	case 1318: return "OBJ_PID";
	case 1324: return "NETFILTER_PKT";
	case 1336: return "CONTAINER_ID";
	}
	return "?";
}

void rec(struct exp_rec *e, int type, unsigned op, unsigned serial,
	 const char *fields)
{
	unsigned long long ms = op - 1;

	e->type = type;
	snprintf(e->line, sizeof(e->line), "type=%s msg=audit(%llu.%03llu:%u): %s",
		 type_text(type), T0 + ms / 1000, ms % 1000, serial, fields);
}

void sc_write(char *f, size_t size, int ok, int ret, size_t len,
	      int ppid, int pid, unsigned uid, const char *name, int record1)
{
	snprintf(f, size,
		 "arch=c000003e syscall=1 success=%s exit=%d a0=3 a1=0 a2=%zx "
		 "a3=0 items=0 ppid=%d pid=%d auid=4294967295 uid=%u gid=0 "
		 "euid=%u suid=%u fsuid=%u egid=0 sgid=0 fsgid=0 tty=(none) "
		 "ses=4294967295 comm=\"%s\" exe=\"/usr/bin/%s\" key=(null)%s",
		 ok ? "yes" : "no", ret, len, ppid, pid, uid, uid, uid, uid,
		 name, name, record1 ? " record=1" : "");
}

void sc_event(char *f, size_t size, int ppid, int pid, unsigned uid,
	      const char *name, int record1)
{
	snprintf(f, size,
		 "arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=0 "
		 "a2=0 a3=0 items=0 ppid=%d pid=%d auid=4294967295 uid=%u gid=0 "
		 "euid=%u suid=%u fsuid=%u egid=0 sgid=0 fsgid=0 tty=(none) "
		 "ses=4294967295 comm=\"%s\" exe=\"/usr/bin/%s\" key=(null)%s",
		 ppid, pid, uid, uid, uid, uid, name, name,
		 record1 ? " record=1" : "");
}

void sc_kill(char *f, size_t size, int ret, unsigned long long target, int sig,
	     int ppid, int pid, unsigned uid, const char *name, int record1)
{
	snprintf(f, size,
		 "arch=c000003e syscall=62 success=%s exit=%d a0=%llx a1=%x "
		 "a2=0 a3=0 items=0 ppid=%d pid=%d auid=4294967295 uid=%u gid=0 "
		 "euid=%u suid=%u fsuid=%u egid=0 sgid=0 fsgid=0 tty=(none) "
		 "ses=4294967295 comm=\"%s\" exe=\"/usr/bin/%s\" key=(null)%s",
		 ret == 0 ? "yes" : "no", ret, target, (unsigned)sig, ppid, pid,
		 uid, uid, uid, uid, name, name, record1 ? " record=1" : "");
}

void expect(const struct test_world *tw, const struct exp_rec *e, size_t n)
{
	size_t m = tw->nrecords < n ? tw->nrecords : n;

	for (size_t i = 0; i < m; i++) {
		ck_assert_str_eq(tw->records[i].line, e[i].line);
		ck_assert_int_eq(tw->records[i].type, e[i].type);
	}
	ck_assert_uint_eq(tw->nrecords, n);
}

void expect_none(const struct test_world *tw)
{
	ck_assert_msg(tw->nrecords == 0, "expected no record, got %zu, first: %s",
		      tw->nrecords, tw->nrecords ? tw->records[0].line : "");
}

pid_t fork_expect(struct contid_world *w, pid_t parent, unsigned flags,
		  pid_t expected)
{
	pid_t child = fork_ok(w, parent, flags);

	ck_assert_int_eq(child, expected);
	return child;
}

void build_nested(struct contid_world *w)
{
	fork_expect(w, 1, 0, 2);                          /* op 1: orch */
	fork_expect(w, 2, 0, 3);                          /* op 2: c1 */
	set_ok(w, 2, 3, 100);                             /* op 3, serial 1 */
	fork_expect(w, 3, 0, 4);                          /* op 4: engine */
	fork_expect(w, 4, 0, 5);                          /* op 5: c2 */
}
