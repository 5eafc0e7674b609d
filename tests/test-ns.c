/*
 * Namespaces (docs/semantics.md section 3): R-USERNS-NEW, R-UNSHARE and
 * R-SETNS, each with its errnos and, where a call breaks two rules, the
 * order between them.  Every expectation is derived from the spec;
 * comments quote the sentence that implies a non-obvious one.
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

/* -------------------------------------------------------- R-USERNS-NEW */

START_TEST(test_R_USERNS_NEW_fork_newuser)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t c, u, k, k2;

	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SYS_ADMIN), 0);
	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SETUID), 0);
	c = fork_ok(w, a, CONTID_CLONE_NEWUSER);
	assert_invariants(w);
	/* "level = parent level + 1"; "The task that enters a new namespace
	 * gets the full capability set in it and keeps its uid." */
	ck_assert_uint_eq(level_of(w, c), 1);
	ck_assert_uint_eq(uid_of(w, c), 0);
	assert_all_caps(w, c, 1);
	/* R-CAP: a task in a child namespace is never capable(). */
	assert_capable_all(w, c, 0);
	/* The creator is unchanged. */
	ck_assert_uint_eq(level_of(w, a), 0);
	ck_assert_int_eq(has_cap(w, a, CONTID_CAP_SYS_ADMIN), 0);
	ck_assert_int_eq(has_cap(w, a, CONTID_CAP_AUDIT_CONTROL), 1);

	/* An unprivileged uid may create one too, and nest. */
	u = user_task(w, 1000);
	assert_all_caps(w, u, 0);
	k = fork_ok(w, u, CONTID_CLONE_NEWUSER);
	ck_assert_uint_eq(level_of(w, k), 1);
	ck_assert_uint_eq(uid_of(w, k), 1000);
	assert_all_caps(w, k, 1);
	k2 = fork_ok(w, k, CONTID_CLONE_NEWUSER);
	ck_assert_uint_eq(level_of(w, k2), 2);
	ck_assert_uint_eq(uid_of(w, k2), 1000);
	assert_all_caps(w, k2, 1);
	ck_assert_uint_eq(level_of(w, u), 0);
	assert_all_caps(w, u, 0);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_USERNS_NEW_unshare_user)
{
	pid_t u = user_task(w, 1000);

	ck_assert_int_eq(contid_unshare(w, u, CONTID_NS_USER), 0);
	assert_invariants(w);
	ck_assert_uint_eq(level_of(w, u), 1);
	ck_assert_uint_eq(uid_of(w, u), 1000);
	assert_all_caps(w, u, 1);
	assert_capable_all(w, u, 0);
	ck_assert_int_eq(contid_unshare(w, u, CONTID_NS_USER), 0);
	ck_assert_uint_eq(level_of(w, u), 2);
	ck_assert_uint_eq(uid_of(w, u), 1000);
	assert_all_caps(w, u, 1);

	/* Entering a new namespace restores a dropped capability there. */
	ck_assert_int_eq(contid_drop_cap(w, u, CONTID_CAP_SYS_ADMIN), 0);
	ck_assert_int_eq(contid_unshare(w, u, CONTID_NS_USER), 0);
	ck_assert_uint_eq(level_of(w, u), 3);
	assert_all_caps(w, u, 1);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_USERNS_NEW_nesting_limit_fork)
{
	pid_t t = 1;
	pid_t c = 4242;
	size_t before;

	/* "33 namespaces can nest beneath the initial one, the 34th fails" */
	for (unsigned i = 1; i <= 33; i++) {
		t = fork_ok(w, t, CONTID_CLONE_NEWUSER);
		ck_assert_uint_eq(level_of(w, t), i);
	}
	assert_invariants(w);
	before = contid_task_count(w);
	ck_assert_int_eq(contid_fork(w, t, CONTID_CLONE_NEWUSER, &c), -ENOSPC);
	ck_assert_int_eq(contid_fork(w, t, CONTID_CLONE_NEWUSER |
				     CONTID_CLONE_NEWNET, &c), -ENOSPC);
	ck_assert_int_eq(c, 4242);
	ck_assert_uint_eq(contid_task_count(w), before);
	/* A plain fork at level 33 still works. */
	c = fork_ok(w, t, 0);
	ck_assert_uint_eq(level_of(w, c), 33);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_USERNS_NEW_nesting_limit_unshare)
{
	pid_t a = fork_ok(w, 1, 0);

	for (unsigned i = 1; i <= 33; i++) {
		ck_assert_int_eq(contid_unshare(w, a, CONTID_NS_USER), 0);
		ck_assert_uint_eq(level_of(w, a), i);
	}
	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SETUID), 0);
	/* "Creation fails with ENOSPC when the parent's level is above 32" */
	ck_assert_int_eq(contid_unshare(w, a, CONTID_NS_USER), -ENOSPC);
	ck_assert_uint_eq(level_of(w, a), 33);
	/* A failed unshare changes nothing: the dropped cap stays dropped. */
	ck_assert_int_eq(has_cap(w, a, CONTID_CAP_SETUID), 0);
	ck_assert_int_eq(has_cap(w, a, CONTID_CAP_SYS_ADMIN), 1);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_USERNS_NEW_unmapped_uid_eperm)
{
	pid_t r = unmapped_root(w, 1);
	pid_t c = 4242;
	pid_t rc_child;

	/* "A task whose uid is not mapped in its own namespace ... cannot
	 * create a user namespace: EPERM" */
	ck_assert_int_eq(contid_fork(w, r, CONTID_CLONE_NEWUSER, &c), -EPERM);
	ck_assert_int_eq(contid_fork(w, r, CONTID_CLONE_NEWUSER |
				     CONTID_CLONE_NEWNET, &c), -EPERM);
	ck_assert_int_eq(contid_unshare(w, r, CONTID_NS_USER), -EPERM);
	ck_assert_int_eq(c, 4242);
	ck_assert_uint_eq(level_of(w, r), 1);
	/* It holds the full set there (R-SETNS), so this is not about caps. */
	assert_all_caps(w, r, 1);

	/* Its child copies uid and namespace: just as unmapped. */
	rc_child = fork_ok(w, r, 0);
	ck_assert_int_eq(contid_unshare(w, rc_child, CONTID_NS_USER), -EPERM);
	/* Other namespaces are fine: NEWNET alone works. */
	c = fork_ok(w, r, CONTID_CLONE_NEWNET);
	ck_assert_uint_eq(level_of(w, c), 1);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_USERNS_NEW_enospc_before_eperm)
{
	pid_t r = unmapped_root(w, 33);
	pid_t c = 4242;

	/* "EPERM, checked after ENOSPC" */
	ck_assert_int_eq(contid_fork(w, r, CONTID_CLONE_NEWUSER, &c), -ENOSPC);
	ck_assert_int_eq(contid_unshare(w, r, CONTID_NS_USER), -ENOSPC);
	ck_assert_uint_eq(level_of(w, r), 33);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_USERNS_NEW_owner_uid_is_mapped)
{
	pid_t u = user_task(w, 1000);
	pid_t k, k2;

	ck_assert_int_eq(contid_unshare(w, u, CONTID_NS_USER), 0);
	/* "owner = creator's uid"; "any other namespace maps exactly one
	 * uid, its owner's": 1000 is mapped (setting it is a no-op), 0 and
	 * 1001 are not (R-SETUID: EINVAL). */
	ck_assert_int_eq(contid_setuid(w, u, 1000), 0);
	ck_assert_int_eq(contid_setuid(w, u, 0), -EINVAL);
	ck_assert_int_eq(contid_setuid(w, u, 1001), -EINVAL);
	ck_assert_uint_eq(uid_of(w, u), 1000);
	/* Library decision: the owner's uid is mapped, so u may nest. */
	ck_assert_int_eq(contid_unshare(w, u, CONTID_NS_USER), 0);
	ck_assert_uint_eq(level_of(w, u), 2);

	/* A namespace made by root maps uid 0 only. */
	k = fork_ok(w, 1, CONTID_CLONE_NEWUSER);
	ck_assert_int_eq(contid_setuid(w, k, 0), 0);
	ck_assert_int_eq(contid_setuid(w, k, 1000), -EINVAL);
	ck_assert_uint_eq(uid_of(w, k), 0);
	k2 = fork_ok(w, k, CONTID_CLONE_NEWUSER);
	ck_assert_uint_eq(level_of(w, k2), 2);
	assert_invariants(w);
}
END_TEST

/* ----------------------------------------------------------- R-UNSHARE */

START_TEST(test_R_UNSHARE_user_not_leader_or_multithreaded_einval)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);

	/* "EINVAL if the task is not its process's leader or the process is
	 * multi-threaded" */
	ck_assert_int_eq(contid_unshare(w, t, CONTID_NS_USER), -EINVAL);
	ck_assert_int_eq(contid_unshare(w, a, CONTID_NS_USER), -EINVAL);
	ck_assert_uint_eq(level_of(w, a), 0);
	ck_assert_uint_eq(level_of(w, t), 0);
	/* Once the thread is gone the leader is alone. */
	exit_ok(w, t);
	ck_assert_int_eq(contid_unshare(w, a, CONTID_NS_USER), 0);
	ck_assert_uint_eq(level_of(w, a), 1);
	/* init's process too. */
	t = fork_ok(w, 1, CONTID_CLONE_THREAD);
	ck_assert_int_eq(contid_unshare(w, 1, CONTID_NS_USER), -EINVAL);
	ck_assert_int_eq(contid_unshare(w, t, CONTID_NS_USER), -EINVAL);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_UNSHARE_user_zombie_leader_counts)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);

	exit_ok(w, a);
	/* t is not the leader; and "an exited leader that still waits for its
	 * threads counts" towards multi-threaded. */
	ck_assert_int_eq(contid_unshare(w, t, CONTID_NS_USER), -EINVAL);
	/* The acting task must be running: ESRCH first. */
	ck_assert_int_eq(contid_unshare(w, a, CONTID_NS_USER), -ESRCH);
	ck_assert_int_eq(contid_unshare(w, a, CONTID_NS_NET), -ESRCH);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_UNSHARE_user_einval_first)
{
	pid_t d = deep_task(w, 33);
	pid_t dt = fork_ok(w, d, CONTID_CLONE_THREAD);
	pid_t r = unmapped_root(w, 1);
	pid_t rt = fork_ok(w, r, CONTID_CLONE_THREAD);

	/* "(checked before any other error)": not ENOSPC, not EPERM. */
	ck_assert_int_eq(contid_unshare(w, dt, CONTID_NS_USER), -EINVAL);
	ck_assert_int_eq(contid_unshare(w, d, CONTID_NS_USER), -EINVAL);
	ck_assert_int_eq(contid_unshare(w, rt, CONTID_NS_USER), -EINVAL);
	ck_assert_int_eq(contid_unshare(w, r, CONTID_NS_USER), -EINVAL);
	/* Without the threads the later errors show. */
	exit_ok(w, dt);
	exit_ok(w, rt);
	ck_assert_int_eq(contid_unshare(w, d, CONTID_NS_USER), -ENOSPC);
	ck_assert_int_eq(contid_unshare(w, r, CONTID_NS_USER), -EPERM);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_UNSHARE_net_needs_sys_admin)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t u = user_task(w, 1000);
	pid_t k, k2;

	ck_assert_int_eq(contid_unshare(w, a, CONTID_NS_NET), 0);
	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SYS_ADMIN), 0);
	/* "unshare(task, NET) needs CAP_SYS_ADMIN in the task's user
	 * namespace (else EPERM)" */
	ck_assert_int_eq(contid_unshare(w, a, CONTID_NS_NET), -EPERM);
	ck_assert_int_eq(contid_unshare(w, u, CONTID_NS_NET), -EPERM);
	/* In a child user namespace the task's own set counts. */
	k = fork_ok(w, u, CONTID_CLONE_NEWUSER);
	ck_assert_int_eq(contid_unshare(w, k, CONTID_NS_NET), 0);
	k2 = fork_ok(w, k, 0);
	ck_assert_int_eq(contid_drop_cap(w, k2, CONTID_CAP_SYS_ADMIN), 0);
	ck_assert_int_eq(contid_unshare(w, k2, CONTID_NS_NET), -EPERM);
	/* Only CAP_SYS_ADMIN matters. */
	ck_assert_int_eq(contid_drop_cap(w, k, CONTID_CAP_SETUID), 0);
	ck_assert_int_eq(contid_drop_cap(w, k, CONTID_CAP_AUDIT_CONTROL), 0);
	ck_assert_int_eq(contid_unshare(w, k, CONTID_NS_NET), 0);
	ck_assert_int_eq(contid_unshare(w, 1, CONTID_NS_NET), 0);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_UNSHARE_net_new_namespace)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t b = fork_ok(w, 1, 0);
	static const uint64_t both[] = { 200, 100 };
	static const uint64_t only100[] = { 100 };
	static const uint64_t only200[] = { 200 };

	set_ok(w, 1, a, 100);
	set_ok(w, 1, b, 200);
	/* Section 7: a value "enters at the front when its count goes from
	 * 0 to 1". */
	assert_netns(w, a, both, 2);
	ck_assert_int_eq(contid_unshare(w, b, CONTID_NS_NET), 0);
	assert_invariants(w);
	assert_netns(w, b, only200, 1);
	assert_netns(w, a, only100, 1);
	assert_netns(w, 1, only100, 1);
	/* The user namespace is unchanged. */
	ck_assert_uint_eq(level_of(w, b), 0);
}
END_TEST

START_TEST(test_R_UNSHARE_net_allowed_for_threads)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t b = fork_ok(w, 1, 0);
	pid_t t;
	static const uint64_t both[] = { 200, 100 };
	static const uint64_t only100[] = { 100 };

	set_ok(w, 1, a, 100);
	set_ok(w, 1, b, 200);
	t = fork_ok(w, a, CONTID_CLONE_THREAD);
	/* Library decision: unshare(NET) is allowed for threads (and for a
	 * multi-threaded leader). */
	ck_assert_int_eq(contid_unshare(w, t, CONTID_NS_NET), 0);
	assert_invariants(w);
	assert_netns(w, t, only100, 1);
	assert_netns(w, a, both, 2);
	ck_assert_int_eq(contid_unshare(w, a, CONTID_NS_NET), 0);
	assert_netns(w, a, only100, 1);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_UNSHARE_acting_task_esrch)
{
	pid_t z = spawn_zombie(w, 1);
	pid_t d = spawn_zombie(w, 1);
	pid_t u;

	ck_assert_int_eq(contid_reap(w, d), 0);
	/* A zombie or gone acting task: ESRCH "before anything else". */
	ck_assert_int_eq(contid_unshare(w, z, CONTID_NS_USER), -ESRCH);
	ck_assert_int_eq(contid_unshare(w, z, CONTID_NS_NET), -ESRCH);
	ck_assert_int_eq(contid_unshare(w, d, CONTID_NS_USER), -ESRCH);
	ck_assert_int_eq(contid_unshare(w, 999, CONTID_NS_NET), -ESRCH);
	/* Even an unprivileged zombie gets ESRCH, not EPERM. */
	u = user_task(w, 1000);
	exit_ok(w, u);
	ck_assert_int_eq(contid_unshare(w, u, CONTID_NS_NET), -ESRCH);
	assert_invariants(w);
}
END_TEST

/* ------------------------------------------------------------- R-SETNS */

START_TEST(test_R_SETNS_other_not_running_esrch)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t zu = fork_zombie(w, 1, CONTID_CLONE_NEWUSER);
	pid_t zn = fork_zombie(w, 1, CONTID_CLONE_NEWNET);
	pid_t g = fork_zombie(w, 1, CONTID_CLONE_NEWUSER);

	ck_assert_int_eq(contid_reap(w, g), 0);
	/* "other must be running (ESRCH)" */
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_USER, zu), -ESRCH);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_NET, zn), -ESRCH);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_USER, g), -ESRCH);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_NET, g), -ESRCH);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_USER, 999), -ESRCH);
	ck_assert_uint_eq(level_of(w, a), 0);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETNS_esrch_before_other_errors)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);
	pid_t u = user_task(w, 1000);
	pid_t zu = fork_zombie(w, 1, CONTID_CLONE_NEWUSER);
	pid_t z = spawn_zombie(w, 1);
	pid_t k = fork_ok(w, 1, CONTID_CLONE_NEWUSER);

	/* The spec lists "other must be running (ESRCH)" before the EINVAL
	 * and EPERM rules: a thread (EINVAL) or an unprivileged task (EPERM)
	 * joining a zombie's namespace gets ESRCH. */
	ck_assert_int_eq(contid_setns(w, t, CONTID_NS_USER, zu), -ESRCH);
	ck_assert_int_eq(contid_setns(w, u, CONTID_NS_USER, zu), -ESRCH);
	ck_assert_int_eq(contid_setns(w, u, CONTID_NS_NET, z), -ESRCH);
	/* A zombie acting task: ESRCH before anything else. */
	ck_assert_int_eq(contid_setns(w, z, CONTID_NS_USER, k), -ESRCH);
	ck_assert_int_eq(contid_setns(w, z, CONTID_NS_NET, 1), -ESRCH);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETNS_user_own_namespace_einval)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t u = user_task(w, 1000);
	pid_t k = fork_ok(w, 1, CONTID_CLONE_NEWUSER);
	pid_t k2 = fork_ok(w, k, 0);

	/* "EINVAL if it is the task's own namespace" */
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_USER, 1), -EINVAL);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_USER, a), -EINVAL);
	ck_assert_int_eq(contid_setns(w, 1, CONTID_NS_USER, a), -EINVAL);
	ck_assert_int_eq(contid_setns(w, k2, CONTID_NS_USER, k), -EINVAL);
	/* ... before EPERM: u has no capability at all. */
	ck_assert_int_eq(contid_setns(w, u, CONTID_NS_USER, 1), -EINVAL);
	assert_all_caps(w, a, 1); /* a failed setns leaves the set alone */
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETNS_user_not_leader_or_multithreaded_einval)
{
	pid_t k = fork_ok(w, 1, CONTID_CLONE_NEWUSER);
	pid_t a = fork_ok(w, 1, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);
	pid_t a2 = fork_ok(w, 1, 0);
	pid_t t2 = fork_ok(w, a2, CONTID_CLONE_THREAD);

	/* "or the task is not its process's leader, or the process is
	 * multi-threaded" */
	ck_assert_int_eq(contid_setns(w, t, CONTID_NS_USER, k), -EINVAL);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_USER, k), -EINVAL);
	ck_assert_uint_eq(level_of(w, a), 0);
	/* A zombie leader still counts as a task of the process. */
	exit_ok(w, a2);
	ck_assert_int_eq(contid_setns(w, t2, CONTID_NS_USER, k), -EINVAL);

	exit_ok(w, t);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_USER, k), 0);
	ck_assert_uint_eq(level_of(w, a), 1);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETNS_user_einval_before_eperm)
{
	pid_t u = user_task(w, 1000);
	pid_t tu = fork_ok(w, u, CONTID_CLONE_THREAD);
	pid_t v = user_task(w, 2000);
	pid_t k = fork_ok(w, v, CONTID_CLONE_NEWUSER);

	/* u has no CAP_SYS_ADMIN anywhere near k's namespace (owner 2000),
	 * but the EINVAL rules come first. */
	ck_assert_int_eq(contid_setns(w, tu, CONTID_NS_USER, k), -EINVAL);
	ck_assert_int_eq(contid_setns(w, u, CONTID_NS_USER, k), -EINVAL);
	exit_ok(w, tu);
	ck_assert_int_eq(contid_setns(w, u, CONTID_NS_USER, k), -EPERM);
	ck_assert_uint_eq(level_of(w, u), 0);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETNS_user_eperm_without_cap_in_target)
{
	pid_t u = user_task(w, 1000);
	pid_t v = user_task(w, 2000);
	pid_t k = fork_ok(w, v, CONTID_CLONE_NEWUSER);
	pid_t a = fork_ok(w, 1, 0);

	/* "EPERM unless the task has CAP_SYS_ADMIN in the target namespace".
	 * R-CAP walk from k's namespace (owner 2000): its parent is init's
	 * namespace, u's own, and u's set is empty. */
	ck_assert_int_eq(contid_setns(w, u, CONTID_NS_USER, k), -EPERM);
	/* Root without CAP_SYS_ADMIN: owner 2000 is not uid 0. */
	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SYS_ADMIN), 0);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_USER, k), -EPERM);
	ck_assert_uint_eq(level_of(w, a), 0);
	ck_assert_int_eq(has_cap(w, a, CONTID_CAP_SYS_ADMIN), 0);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETNS_user_success_full_set)
{
	pid_t v = user_task(w, 2000);
	pid_t k = fork_ok(w, v, CONTID_CLONE_NEWUSER);
	pid_t k2 = fork_ok(w, k, CONTID_CLONE_NEWUSER);
	pid_t a = fork_ok(w, 1, 0);
	pid_t b = fork_ok(w, 1, 0);

	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SETUID), 0);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_USER, k), 0);
	assert_invariants(w);
	/* "on success the task has the full set in the target" */
	ck_assert_uint_eq(level_of(w, a), 1);
	ck_assert_uint_eq(uid_of(w, a), 0);
	assert_all_caps(w, a, 1);
	assert_capable_all(w, a, 0);
	/* A deeper target. */
	ck_assert_int_eq(contid_setns(w, b, CONTID_NS_USER, k2), 0);
	ck_assert_uint_eq(level_of(w, b), 2);
	assert_all_caps(w, b, 1);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETNS_user_ancestor_and_sibling_eperm)
{
	pid_t k = fork_ok(w, 1, CONTID_CLONE_NEWUSER);
	pid_t s = fork_ok(w, 1, CONTID_CLONE_NEWUSER);
	pid_t k2;

	/* R-CAP: "if the walk passes above the task's level, no": k has the
	 * full set in its own namespace but none in its parent or in a
	 * sibling namespace. */
	ck_assert_int_eq(contid_setns(w, k, CONTID_NS_USER, 1), -EPERM);
	ck_assert_int_eq(contid_setns(w, k, CONTID_NS_USER, s), -EPERM);
	ck_assert_uint_eq(level_of(w, k), 1);
	/* A namespace below its own is reachable. */
	k2 = fork_ok(w, k, CONTID_CLONE_NEWUSER);
	ck_assert_int_eq(contid_setns(w, k, CONTID_NS_USER, k2), 0);
	ck_assert_uint_eq(level_of(w, k), 2);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETNS_net_join)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t n = fork_ok(w, 1, CONTID_CLONE_NEWNET);
	static const uint64_t joined[] = { 100, 300 };
	static const uint64_t only300[] = { 300 };

	set_ok(w, 1, a, 100);
	set_ok(w, 1, n, 300);
	assert_netns(w, n, only300, 1);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_NET, n), 0);
	assert_invariants(w);
	/* a left init's namespace and entered n's at the front (section 7) */
	assert_netns(w, a, joined, 2);
	assert_netns(w, 1, NULL, 0);
	/* the user namespace does not change */
	ck_assert_uint_eq(level_of(w, a), 0);

	/* "joining the namespace it is already in succeeds and changes
	 * nothing" */
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_NET, n), 0);
	ck_assert_int_eq(contid_setns(w, n, CONTID_NS_NET, a), 0);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_NET, a), 0);
	assert_netns(w, a, joined, 2);
	ck_assert_int_eq(contid_setns(w, 1, CONTID_NS_NET, 1), 0);
	assert_netns(w, 1, NULL, 0);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETNS_net_needs_cap_in_owner_userns)
{
	pid_t k = fork_ok(w, 1, CONTID_CLONE_NEWUSER);
	pid_t kn = fork_ok(w, k, CONTID_CLONE_NEWNET);
	pid_t k2 = fork_ok(w, k, 0);

	/* k has CAP_SYS_ADMIN in its own namespace but init's network
	 * namespace is owned by the initial user namespace, where k has
	 * nothing (R-CAP). */
	ck_assert_int_eq(has_cap(w, k, CONTID_CAP_SYS_ADMIN), 1);
	ck_assert_int_eq(contid_setns(w, k, CONTID_NS_NET, 1), -EPERM);
	/* kn's network namespace is owned by k's user namespace. */
	ck_assert_int_eq(contid_setns(w, k2, CONTID_NS_NET, kn), 0);
	/* init reaches it too (k's namespace is a child of init's). */
	ck_assert_int_eq(contid_setns(w, 1, CONTID_NS_NET, kn), 0);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETNS_net_needs_cap_in_own_userns)
{
	pid_t u = user_task(w, 1000);
	pid_t u2 = user_task(w, 1000);
	pid_t uk = fork_ok(w, u, CONTID_CLONE_NEWUSER | CONTID_CLONE_NEWNET);
	pid_t r = fork_ok(w, 1, 0);
	pid_t r2 = fork_ok(w, 1, 0);

	/* u2 has CAP_SYS_ADMIN in uk's user namespace (R-CAP: its owner is
	 * u2's uid and its parent u2's namespace) but not in its own: "and in
	 * the task's own (else EPERM)". */
	ck_assert_int_eq(contid_setns(w, u2, CONTID_NS_NET, uk), -EPERM);
	/* Root in init's namespace has both. */
	ck_assert_int_eq(contid_setns(w, r, CONTID_NS_NET, uk), 0);
	/* Root without CAP_SYS_ADMIN: no owner rule for uk's namespace (owner
	 * 1000, not 0), and its own set lacks the cap. */
	ck_assert_int_eq(contid_drop_cap(w, r2, CONTID_CAP_SYS_ADMIN), 0);
	ck_assert_int_eq(contid_setns(w, r2, CONTID_NS_NET, uk), -EPERM);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETNS_net_cap_checked_before_same_namespace)
{
	pid_t b = fork_ok(w, 1, 0);
	pid_t u = user_task(w, 1000);

	ck_assert_int_eq(contid_drop_cap(w, b, CONTID_CAP_SYS_ADMIN), 0);
	/* Library decision (as Linux): the CAP_SYS_ADMIN checks come before
	 * noticing the task is already in that namespace. */
	ck_assert_int_eq(contid_setns(w, b, CONTID_NS_NET, 1), -EPERM);
	ck_assert_int_eq(contid_setns(w, b, CONTID_NS_NET, b), -EPERM);
	ck_assert_int_eq(contid_setns(w, u, CONTID_NS_NET, u), -EPERM);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETNS_net_allowed_for_threads)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t n = fork_ok(w, 1, CONTID_CLONE_NEWNET);
	pid_t t;
	static const uint64_t t_view[] = { 100, 300 };
	static const uint64_t only100[] = { 100 };

	set_ok(w, 1, a, 100);
	set_ok(w, 1, n, 300);
	t = fork_ok(w, a, CONTID_CLONE_THREAD);
	/* Library decision: setns(NET) is allowed for threads. */
	ck_assert_int_eq(contid_setns(w, t, CONTID_NS_NET, n), 0);
	assert_invariants(w);
	assert_netns(w, t, t_view, 2);
	assert_netns(w, a, only100, 1);
	/* and for a multi-threaded leader */
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_NET, n), 0);
	assert_netns(w, a, t_view, 2);
	assert_netns(w, 1, NULL, 0);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETNS_net_unshared_namespace_owner)
{
	pid_t k = fork_ok(w, 1, CONTID_CLONE_NEWUSER);
	pid_t k2 = fork_ok(w, k, 0);
	pid_t u = user_task(w, 1000);

	/* An unshared network namespace is owned by the task's user
	 * namespace (Linux; docs/semantics.md says NEWNET is owned by the
	 * child's user namespace and unshare is the same operation). */
	ck_assert_int_eq(contid_unshare(w, k2, CONTID_NS_NET), 0);
	ck_assert_int_eq(contid_setns(w, k, CONTID_NS_NET, k2), 0);
	ck_assert_int_eq(contid_setns(w, 1, CONTID_NS_NET, k2), 0);
	ck_assert_int_eq(contid_setns(w, u, CONTID_NS_NET, k2), -EPERM);
	assert_invariants(w);
}
END_TEST

/* --------------------------------------------------------------- suite */

Suite *suite_ns(void)
{
	Suite *s = suite_create("ns");
	TCase *tc;

	tc = fixture_tcase(s, setup, "R-USERNS-NEW");
	tcase_add_test(tc, test_R_USERNS_NEW_fork_newuser);
	tcase_add_test(tc, test_R_USERNS_NEW_unshare_user);
	tcase_add_test(tc, test_R_USERNS_NEW_owner_uid_is_mapped);

	tc = fixture_tcase(s, setup, "R-USERNS-NEW-limit");
	tcase_add_test(tc, test_R_USERNS_NEW_nesting_limit_fork);
	tcase_add_test(tc, test_R_USERNS_NEW_nesting_limit_unshare);

	tc = fixture_tcase(s, setup, "R-USERNS-NEW-unmapped");
	tcase_add_test(tc, test_R_USERNS_NEW_unmapped_uid_eperm);
	tcase_add_test(tc, test_R_USERNS_NEW_enospc_before_eperm);

	tc = fixture_tcase(s, setup, "R-UNSHARE-USER");
	tcase_add_test(tc, test_R_UNSHARE_user_not_leader_or_multithreaded_einval);
	tcase_add_test(tc, test_R_UNSHARE_user_zombie_leader_counts);
	tcase_add_test(tc, test_R_UNSHARE_user_einval_first);
	tcase_add_test(tc, test_R_UNSHARE_acting_task_esrch);

	tc = fixture_tcase(s, setup, "R-UNSHARE-NET");
	tcase_add_test(tc, test_R_UNSHARE_net_needs_sys_admin);
	tcase_add_test(tc, test_R_UNSHARE_net_new_namespace);
	tcase_add_test(tc, test_R_UNSHARE_net_allowed_for_threads);

	tc = fixture_tcase(s, setup, "R-SETNS-ESRCH");
	tcase_add_test(tc, test_R_SETNS_other_not_running_esrch);
	tcase_add_test(tc, test_R_SETNS_esrch_before_other_errors);

	tc = fixture_tcase(s, setup, "R-SETNS-USER");
	tcase_add_test(tc, test_R_SETNS_user_own_namespace_einval);
	tcase_add_test(tc, test_R_SETNS_user_not_leader_or_multithreaded_einval);
	tcase_add_test(tc, test_R_SETNS_user_einval_before_eperm);
	tcase_add_test(tc, test_R_SETNS_user_eperm_without_cap_in_target);
	tcase_add_test(tc, test_R_SETNS_user_success_full_set);
	tcase_add_test(tc, test_R_SETNS_user_ancestor_and_sibling_eperm);

	tc = fixture_tcase(s, setup, "R-SETNS-NET");
	tcase_add_test(tc, test_R_SETNS_net_join);
	tcase_add_test(tc, test_R_SETNS_net_needs_cap_in_owner_userns);
	tcase_add_test(tc, test_R_SETNS_net_needs_cap_in_own_userns);
	tcase_add_test(tc, test_R_SETNS_net_cap_checked_before_same_namespace);
	tcase_add_test(tc, test_R_SETNS_net_allowed_for_threads);
	tcase_add_test(tc, test_R_SETNS_net_unshared_namespace_owner);


	return s;
}
