/*
 * Fork (docs/semantics.md sections 1 and 2): the world at start, R-FORK and
 * R-FORK-NS, with their errnos and the order between them.  Every
 * expectation is derived from the spec; comments quote the sentence that
 * implies a non-obvious one.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "test-helpers.h"
#include "test-suites.h"

static struct contid_world *w;

/* Every test case's setup: the test's world, which close_world() frees. */
static void setup(void)
{
	w = open_world()->w;
}

/* --------------------------------------------------------------- init */

START_TEST(test_init_world_start)
{
	pid_t next = 0;
	uint64_t ids[4];
	uint64_t identity = 0;

	/* Section 1: "It starts with exactly one task: init: pid 1, uid 0,
	 * every capability, ... (level 0) ..., no audit container ID,
	 * capcontid 0." */
	ck_assert_uint_eq(contid_task_count(w), 1);
	ck_assert_int_eq(state_of(w, 1), CONTID_TASK_RUNNING);
	ck_assert_int_eq(tgid_of(w, 1), 1);
	ck_assert_int_eq(ppid_of(w, 1), 0);
	ck_assert_uint_eq(uid_of(w, 1), 0);
	ck_assert_uint_eq(level_of(w, 1), 0);
	for (int cap = 0; cap <= CONTID_CAP_LAST_CAP; cap++) {
		ck_assert_int_eq(has_cap(w, 1, cap), 1);
		ck_assert_int_eq(capable_of(w, 1, cap), 1);
	}
	ck_assert_uint_eq(contid_of(w, 1), CONTID_UNSET);
	ck_assert_uint_eq(capcontid_of(w, 1), 0);
	ck_assert_uint_eq(contid_id_count(w), 0);
	ck_assert_int_eq(contid_task_netns_ids(w, 1, ids, 4), 0);
	ck_assert_int_eq(contid_task_identity(w, 1, &identity), 0);

	/* Only pid 1 exists. */
	ck_assert_int_eq(contid_task_next(w, 0, &next), 0);
	ck_assert_int_eq(next, 1);
	ck_assert_int_eq(contid_task_next(w, 1, &next), -ENOENT);
	ck_assert_int_eq(state_of(w, 2), -ESRCH);

	/* R-DESC: "A process is not its own strict descendant." */
	ck_assert_int_eq(is_desc(w, 1, 1), 0);
	assert_invariants(w);

	/* Cyclic pids: the next free number after the last handed out (1). */
	ck_assert_int_eq(fork_ok(w, 1, 0), 2);
	assert_invariants(w);
}
END_TEST

/* -------------------------------------------------------------- R-FORK */

START_TEST(test_R_FORK_process_copies_parent)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t b, u, v;
	unsigned users = 0;
	uint64_t ids[4];

	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SYS_ADMIN), 0);
	set_ok(w, 1, a, 100);
	ck_assert_int_eq(contid_set_capcontid(w, 1, a, 7), 0);
	ck_assert_uint_eq(capcontid_of(w, a), 7);
	assert_invariants(w);

	b = fork_ok(w, a, 0);
	assert_invariants(w);
	/* R-FORK: "Without THREAD it is a new process whose real parent is
	 * the caller's process." */
	ck_assert_int_eq(state_of(w, b), CONTID_TASK_RUNNING);
	ck_assert_int_eq(tgid_of(w, b), b);
	ck_assert_int_eq(ppid_of(w, b), a);
	/* "The child copies uid, capabilities, user and network namespace,
	 * audit container ID (taking a reference) and NOT capcontid". */
	ck_assert_uint_eq(uid_of(w, b), 0);
	ck_assert_uint_eq(level_of(w, b), 0);
	for (int cap = 0; cap <= CONTID_CAP_LAST_CAP; cap++)
		ck_assert_int_eq(has_cap(w, b, cap),
				 cap == CONTID_CAP_SYS_ADMIN ? 0 : 1);
	ck_assert_uint_eq(contid_of(w, b), 100);
	ck_assert_int_eq(contid_id_users(w, 100, &users), 0);
	ck_assert_uint_eq(users, 2);
	ck_assert_uint_eq(capcontid_of(w, b), 0);
	ck_assert_uint_eq(capcontid_of(w, a), 7);
	/* Same network namespace: the value 100 is listed once (count 2). */
	ck_assert_int_eq(contid_task_netns_ids(w, b, ids, 4), 1);
	ck_assert_uint_eq(ids[0], 100);
	/* The parent is unchanged. */
	ck_assert_int_eq(has_cap(w, a, CONTID_CAP_SYS_ADMIN), 0);
	ck_assert_uint_eq(contid_of(w, a), 100);

	/* The uid is copied too. */
	u = fork_ok(w, 1, 0);
	ck_assert_int_eq(contid_setuid(w, u, 1000), 0);
	v = fork_ok(w, u, 0);
	ck_assert_uint_eq(uid_of(w, v), 1000);
	ck_assert_int_eq(has_cap(w, v, CONTID_CAP_SETUID), 0);
	ck_assert_uint_eq(contid_task_count(w), 5);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_FORK_thread_joins_group)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t t, t2;

	set_ok(w, 1, a, 100);
	t = fork_ok(w, a, CONTID_CLONE_THREAD);
	assert_invariants(w);
	/* "With THREAD it joins the caller's thread group and shares its
	 * parent." */
	ck_assert_int_eq(tgid_of(w, t), a);
	ck_assert_int_eq(ppid_of(w, t), 1);
	ck_assert_uint_eq(contid_of(w, t), 100);
	ck_assert_int_eq(state_of(w, t), CONTID_TASK_RUNNING);

	/* A thread of a thread is in the same group. */
	t2 = fork_ok(w, t, CONTID_CLONE_THREAD);
	ck_assert_int_eq(tgid_of(w, t2), a);
	ck_assert_int_eq(ppid_of(w, t2), 1);
	ck_assert_int_eq(tgid_of(w, a), a);
	ck_assert_uint_eq(contid_task_count(w), 4);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_FORK_thread_forks_process)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);
	pid_t c = fork_ok(w, t, 0);

	/* "a new process whose real parent is the caller's process": the
	 * process of t is a's. */
	ck_assert_int_eq(tgid_of(w, c), c);
	ck_assert_int_eq(ppid_of(w, c), a);
	ck_assert_int_eq(is_desc(w, c, a), 1);
	ck_assert_int_eq(is_desc(w, c, t), 1);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_FORK_sibling)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t b = fork_ok(w, a, 0);
	pid_t s, t, s2, t3;

	/* "with SIBLING, i.e. CLONE_PARENT, the caller's parent". */
	s = fork_ok(w, b, CONTID_CLONE_PARENT);
	ck_assert_int_eq(tgid_of(w, s), s);
	ck_assert_int_eq(ppid_of(w, s), a);
	ck_assert_int_eq(is_desc(w, s, b), 0);
	ck_assert_int_eq(is_desc(w, s, a), 1);

	/* From a thread: the caller's parent is its process's parent. */
	t = fork_ok(w, b, CONTID_CLONE_THREAD);
	s2 = fork_ok(w, t, CONTID_CLONE_PARENT);
	ck_assert_int_eq(ppid_of(w, s2), a);
	ck_assert_int_eq(tgid_of(w, s2), s2);

	/* THREAD with SIBLING: a thread of b, which shares b's parent. */
	t3 = fork_ok(w, b, CONTID_CLONE_THREAD | CONTID_CLONE_PARENT);
	ck_assert_int_eq(tgid_of(w, t3), b);
	ck_assert_int_eq(ppid_of(w, t3), a);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_FORK_unknown_flags_einval)
{
	static const unsigned bad[] = { 0x10u, 0x100u, 0x80000000u,
					0x10u | CONTID_CLONE_THREAD };
	pid_t c = 4242;

	/* Library decision: unknown flag bits are EINVAL. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(contid_fork(w, 1, bad[i], &c), -EINVAL);
		ck_assert_int_eq(c, 4242); /* out-parameter untouched */
	}
	ck_assert_uint_eq(contid_task_count(w), 1);
	/* No pid was taken. */
	ck_assert_int_eq(fork_ok(w, 1, 0), 2);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_FORK_acting_task_esrch)
{
	pid_t z = spawn_zombie(w, 1);
	pid_t a = fork_ok(w, 1, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);
	pid_t c;

	exit_ok(w, t); /* a non-leader thread is gone at once */
	/* Section 2: "An operation's acting task ... must be running: if it
	 * is a zombie or gone the operation fails with ESRCH". */
	ck_assert_int_eq(contid_fork(w, z, 0, &c), -ESRCH);
	ck_assert_int_eq(contid_fork(w, z, CONTID_CLONE_THREAD, &c), -ESRCH);
	ck_assert_int_eq(contid_fork(w, t, 0, &c), -ESRCH);
	ck_assert_int_eq(contid_fork(w, 999, 0, &c), -ESRCH);
	ck_assert_int_eq(contid_fork(w, 0, 0, &c), -ESRCH);
	ck_assert_int_eq(contid_set_subreaper(w, z), -ESRCH);
	ck_assert_int_eq(contid_set_subreaper(w, t), -ESRCH);
	ck_assert_uint_eq(contid_task_count(w), 3);
	assert_invariants(w);
}
END_TEST

/* ----------------------------------------------------------- R-FORK-NS */

START_TEST(test_R_FORK_NS_thread_with_newuser_einval)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t c;

	/* R-FORK-NS: "THREAD together with NEWUSER is EINVAL". */
	ck_assert_int_eq(contid_fork(w, 1, CONTID_CLONE_THREAD |
				     CONTID_CLONE_NEWUSER, &c), -EINVAL);
	ck_assert_int_eq(contid_fork(w, a, CONTID_CLONE_THREAD |
				     CONTID_CLONE_NEWUSER, &c), -EINVAL);
	ck_assert_int_eq(contid_fork(w, a, CONTID_CLONE_THREAD |
				     CONTID_CLONE_NEWUSER |
				     CONTID_CLONE_NEWNET, &c), -EINVAL);
	ck_assert_uint_eq(contid_task_count(w), 2);
	/* THREAD with NEWNET alone is allowed. */
	c = fork_ok(w, a, CONTID_CLONE_THREAD | CONTID_CLONE_NEWNET);
	ck_assert_int_eq(tgid_of(w, c), a);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_FORK_NS_sibling_from_init_einval)
{
	pid_t t = fork_ok(w, 1, CONTID_CLONE_THREAD);
	pid_t c;

	/* "SIBLING from init is EINVAL"; the check order names "sibling from
	 * init's process", so init's threads are refused too. */
	ck_assert_int_eq(contid_fork(w, 1, CONTID_CLONE_PARENT, &c), -EINVAL);
	ck_assert_int_eq(contid_fork(w, t, CONTID_CLONE_PARENT, &c), -EINVAL);
	ck_assert_int_eq(contid_fork(w, 1, CONTID_CLONE_PARENT |
				     CONTID_CLONE_THREAD, &c), -EINVAL);
	ck_assert_int_eq(contid_fork(w, 1, CONTID_CLONE_PARENT |
				     CONTID_CLONE_NEWUSER, &c), -EINVAL);
	ck_assert_uint_eq(contid_task_count(w), 2);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_FORK_NS_newnet_needs_sys_admin)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t u = fork_ok(w, 1, 0);
	pid_t c;

	/* init has every capability. */
	c = fork_ok(w, 1, CONTID_CLONE_NEWNET);
	ck_assert_uint_eq(level_of(w, c), 0);

	/* "NEWNET needs CAP_SYS_ADMIN in the caller's user namespace, or in
	 * the new one when NEWUSER comes with it (else EPERM)". */
	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SYS_ADMIN), 0);
	ck_assert_int_eq(contid_fork(w, a, CONTID_CLONE_NEWNET, &c), -EPERM);
	ck_assert_int_eq(contid_fork(w, a, CONTID_CLONE_NEWNET |
				     CONTID_CLONE_THREAD, &c), -EPERM);
	/* With NEWUSER the child has the full set in the new namespace
	 * (R-USERNS-NEW), so NEWNET is allowed. */
	c = fork_ok(w, a, CONTID_CLONE_NEWUSER | CONTID_CLONE_NEWNET);
	ck_assert_uint_eq(level_of(w, c), 1);

	/* uid 1000 (capabilities emptied by R-SETUID) is the same. */
	ck_assert_int_eq(contid_setuid(w, u, 1000), 0);
	ck_assert_int_eq(contid_fork(w, u, CONTID_CLONE_NEWNET, &c), -EPERM);
	c = fork_ok(w, u, CONTID_CLONE_NEWUSER | CONTID_CLONE_NEWNET);
	ck_assert_uint_eq(level_of(w, c), 1);
	ck_assert_uint_eq(uid_of(w, c), 1000);
	ck_assert_uint_eq(contid_task_count(w), 6);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_FORK_NS_newnet_new_namespace)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t b = fork_ok(w, 1, 0);
	pid_t c = fork_ok(w, b, CONTID_CLONE_NEWNET);
	pid_t d, t;
	uint64_t ids[4];

	set_ok(w, 1, a, 100);
	set_ok(w, 1, c, 300);
	assert_invariants(w);
	/* Section 7: each network namespace lists the IDs of its members.
	 * c alone is in the new namespace. */
	ck_assert_int_eq(contid_task_netns_ids(w, c, ids, 4), 1);
	ck_assert_uint_eq(ids[0], 300);
	ck_assert_int_eq(contid_task_netns_ids(w, 1, ids, 4), 1);
	ck_assert_uint_eq(ids[0], 100);
	ck_assert_int_eq(contid_task_netns_ids(w, b, ids, 4), 1);
	ck_assert_uint_eq(ids[0], 100);

	/* NEWUSER|NEWNET: a new network namespace as well. */
	d = fork_ok(w, 1, CONTID_CLONE_NEWUSER | CONTID_CLONE_NEWNET);
	set_ok(w, 1, d, 400);
	ck_assert_int_eq(contid_task_netns_ids(w, d, ids, 4), 1);
	ck_assert_uint_eq(ids[0], 400);
	ck_assert_int_eq(contid_task_netns_ids(w, 1, ids, 4), 1);
	ck_assert_uint_eq(ids[0], 100);

	/* A thread with NEWNET takes its ID into a new namespace. */
	t = fork_ok(w, a, CONTID_CLONE_THREAD | CONTID_CLONE_NEWNET);
	ck_assert_int_eq(contid_task_netns_ids(w, t, ids, 4), 1);
	ck_assert_uint_eq(ids[0], 100);
	ck_assert_int_eq(contid_task_netns_ids(w, c, ids, 4), 1);
	ck_assert_uint_eq(ids[0], 300);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_FORK_NS_newnet_owned_by_child_userns)
{
	pid_t u = fork_ok(w, 1, 0);
	pid_t k, k2, k3, k4, r;

	ck_assert_int_eq(contid_setuid(w, u, 1000), 0);
	/* "NEWNET a new network namespace owned by the child's (possibly
	 * new) user namespace". */
	k = fork_ok(w, u, CONTID_CLONE_NEWUSER | CONTID_CLONE_NEWNET);
	k2 = fork_ok(w, k, 0);
	ck_assert_int_eq(contid_unshare(w, k2, CONTID_NS_NET), 0);
	/* k2 has CAP_SYS_ADMIN in its own namespace, which owns k's netns:
	 * R-SETNS allows it. */
	ck_assert_int_eq(contid_setns(w, k2, CONTID_NS_NET, k), 0);

	/* Without NEWUSER the owner is the caller's namespace (init's). */
	r = fork_ok(w, 1, CONTID_CLONE_NEWNET);
	k3 = fork_ok(w, k, 0);
	/* k3 is in a child namespace, never capable there (R-CAP). */
	ck_assert_int_eq(contid_setns(w, k3, CONTID_NS_NET, r), -EPERM);

	/* k forks NEWNET with its own CAP_SYS_ADMIN: owned by k's userns. */
	k4 = fork_ok(w, k, CONTID_CLONE_NEWNET);
	ck_assert_uint_eq(level_of(w, k4), 1);
	ck_assert_int_eq(contid_setns(w, k3, CONTID_NS_NET, k4), 0);
	assert_invariants(w);
}
END_TEST

struct fork_order_case {
	const char *name;
	pid_t (*scene)(void); /* builds the scene, returns the forking task */
	unsigned flags;
	int full;             /* fill the pid space before forking */
	int expected;         /* negative errno */
};

static pid_t scene_zombie(void)
{
	return spawn_zombie(w, 1);
}

static pid_t scene_zombie_init_leader(void)
{
	/* init's leader exits while a thread of its process runs (R-EXIT). */
	fork_ok(w, 1, CONTID_CLONE_THREAD);
	exit_ok(w, 1);
	ck_assert_int_eq(state_of(w, 1), CONTID_TASK_ZOMBIE);
	return 1;
}

static pid_t scene_gone_thread(void)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);

	exit_ok(w, t);
	return t;
}

static pid_t scene_level33(void)
{
	return deep_task(w, 33);
}

static pid_t scene_unmapped(void)
{
	return unmapped_root(w, 1);
}

static pid_t scene_unmapped33(void)
{
	return unmapped_root(w, 33);
}

static pid_t scene_init(void)
{
	return 1;
}

static pid_t scene_init_level33(void)
{
	for (int i = 0; i < 33; i++)
		ck_assert_int_eq(contid_unshare(w, 1, CONTID_NS_USER), 0);
	return 1;
}

static pid_t scene_init_thread_no_admin(void)
{
	pid_t t = fork_ok(w, 1, CONTID_CLONE_THREAD);

	ck_assert_int_eq(contid_drop_cap(w, t, CONTID_CAP_SYS_ADMIN), 0);
	return t;
}

static pid_t scene_no_admin(void)
{
	pid_t a = fork_ok(w, 1, 0);

	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SYS_ADMIN), 0);
	return a;
}

#define F_THREAD  CONTID_CLONE_THREAD
#define F_SIBLING CONTID_CLONE_PARENT
#define F_NEWUSER CONTID_CLONE_NEWUSER
#define F_NEWNET  CONTID_CLONE_NEWNET

/*
 * R-FORK-NS: "Fork checks in this order: ESRCH, EINVAL (thread with
 * newuser), EINVAL (sibling from init's process), ENOSPC, EPERM (newnet),
 * EAGAIN".  Each row breaks two rules and expects the earlier errno.
 */
static const struct fork_order_case fork_order[] = {
	{ "zombie, thread+newuser", scene_zombie, F_THREAD | F_NEWUSER, 0,
	  -ESRCH },
	{ "zombie init leader, sibling", scene_zombie_init_leader, F_SIBLING,
	  0, -ESRCH },
	{ "zombie, full pid space", scene_zombie, 0, 1, -ESRCH },
	{ "gone thread, thread+newuser", scene_gone_thread,
	  F_THREAD | F_NEWUSER, 0, -ESRCH },
	{ "level 33, thread+newuser", scene_level33, F_THREAD | F_NEWUSER, 0,
	  -EINVAL },
	{ "unmapped uid, thread+newuser", scene_unmapped,
	  F_THREAD | F_NEWUSER, 0, -EINVAL },
	{ "init, thread+newuser, full", scene_init, F_THREAD | F_NEWUSER, 1,
	  -EINVAL },
	{ "init at level 33, sibling+newuser", scene_init_level33,
	  F_SIBLING | F_NEWUSER, 0, -EINVAL },
	{ "init thread without SYS_ADMIN, sibling+newnet",
	  scene_init_thread_no_admin, F_SIBLING | F_NEWNET, 0, -EINVAL },
	{ "init, sibling, full", scene_init, F_SIBLING, 1, -EINVAL },
	/* Library decision: an unknown flag is one of the EINVALs, so it
	 * comes before ENOSPC. */
	{ "level 33, unknown flag+newuser", scene_level33, 0x10u | F_NEWUSER,
	  0, -EINVAL },
	/* R-USERNS-NEW: unmapped uid EPERM is "checked after ENOSPC". */
	{ "unmapped uid at level 33, newuser", scene_unmapped33, F_NEWUSER, 0,
	  -ENOSPC },
	{ "level 33, newuser+newnet", scene_level33, F_NEWUSER | F_NEWNET, 0,
	  -ENOSPC },
	{ "level 33, newuser, full", scene_level33, F_NEWUSER, 1, -ENOSPC },
	{ "no SYS_ADMIN, newnet, full", scene_no_admin, F_NEWNET, 1, -EPERM },
	/* The unmapped-uid EPERM comes from creating the namespace, which
	 * the spec's order places with EPERM, before EAGAIN (as Linux makes
	 * the credentials before the pid). */
	{ "unmapped uid, newuser, full", scene_unmapped, F_NEWUSER, 1,
	  -EPERM },
	{ "init, full", scene_init, 0, 1, -EAGAIN },
	{ "init, thread, full", scene_init, F_THREAD, 1, -EAGAIN },
};

START_TEST(test_R_FORK_NS_check_order)
{
	const struct fork_order_case *fc = &fork_order[_i];
	pid_t actor = fc->scene();
	size_t before;
	pid_t c = 4242;
	int rc;

	if (fc->full)
		fill_pid_space(w);
	before = contid_task_count(w);
	rc = contid_fork(w, actor, fc->flags, &c);
	ck_assert_msg(rc == fc->expected, "%s: got %d (%s), expected %d (%s)",
		      fc->name, rc, contid_errno_name(rc), fc->expected,
		      contid_errno_name(fc->expected));
	ck_assert_int_eq(c, 4242);
	ck_assert_uint_eq(contid_task_count(w), before);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_FORK_NS_failed_fork_takes_no_pid)
{
	pid_t a = fork_ok(w, 1, 0);            /* 2 */
	pid_t d = deep_task(w, 33);               /* 3 */
	pid_t r = unmapped_root(w, 1);            /* u = 4, r = 5 */
	pid_t c;

	ck_assert_int_eq(a, 2);
	ck_assert_int_eq(d, 3);
	ck_assert_int_eq(r, 5);
	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SYS_ADMIN), 0);

	/* "a failed fork takes no pid": after each failure the next fork
	 * still gets the next number after the last one handed out (5). */
	ck_assert_int_eq(contid_fork(w, 1, F_THREAD | F_NEWUSER, &c), -EINVAL);
	ck_assert_int_eq(contid_fork(w, 1, F_SIBLING, &c), -EINVAL);
	ck_assert_int_eq(contid_fork(w, d, F_NEWUSER, &c), -ENOSPC);
	ck_assert_int_eq(contid_fork(w, a, F_NEWNET, &c), -EPERM);
	ck_assert_int_eq(contid_fork(w, r, F_NEWUSER, &c), -EPERM);
	ck_assert_int_eq(contid_fork(w, 0x7fff, 0, &c), -ESRCH);
	ck_assert_int_eq(fork_ok(w, 1, 0), 6);

	/* EAGAIN: pids 1..6 are taken below pid_max 7. */
	ck_assert_int_eq(contid_world_set_pid_max(w, 7), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &c), -EAGAIN);
	ck_assert_int_eq(contid_world_set_pid_max(w, 100), 0);
	ck_assert_int_eq(fork_ok(w, 1, 0), 7);
	assert_invariants(w);
}
END_TEST

/* --------------------------------------------------------------- suite */

Suite *suite_fork(void)
{
	Suite *s = suite_create("fork");
	TCase *tc;

	tc = fixture_tcase(s, setup, "init");
	tcase_add_test(tc, test_init_world_start);

	tc = fixture_tcase(s, setup, "R-FORK");
	tcase_add_test(tc, test_R_FORK_process_copies_parent);
	tcase_add_test(tc, test_R_FORK_thread_joins_group);
	tcase_add_test(tc, test_R_FORK_thread_forks_process);
	tcase_add_test(tc, test_R_FORK_sibling);
	tcase_add_test(tc, test_R_FORK_unknown_flags_einval);
	tcase_add_test(tc, test_R_FORK_acting_task_esrch);

	tc = fixture_tcase(s, setup, "R-FORK-NS");
	tcase_add_test(tc, test_R_FORK_NS_thread_with_newuser_einval);
	tcase_add_test(tc, test_R_FORK_NS_sibling_from_init_einval);
	tcase_add_test(tc, test_R_FORK_NS_newnet_needs_sys_admin);
	tcase_add_test(tc, test_R_FORK_NS_newnet_new_namespace);
	tcase_add_test(tc, test_R_FORK_NS_newnet_owned_by_child_userns);
	tcase_add_test(tc, test_R_FORK_NS_failed_fork_takes_no_pid);

	tc = fixture_tcase(s, setup, "R-FORK-NS-order");
	tcase_add_loop_test(tc, test_R_FORK_NS_check_order, 0,
			    (int)(sizeof(fork_order) / sizeof(fork_order[0])));

	return s;
}
