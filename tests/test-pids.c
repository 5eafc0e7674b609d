/*
 * Pids and task identity (docs/semantics.md section 1): the cyclic pid
 * allocator, pid_max, and R-ID, which tells apart two tasks that had the
 * same pid.  Every expectation is derived from the spec; comments quote the
 * sentence that implies a non-obvious one.
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

/* ---------------------------------------------------------------- pids */

START_TEST(test_pids_cyclic)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t b = fork_ok(w, 1, 0);
	pid_t c = fork_ok(w, 1, 0);

	ck_assert_int_eq(a, 2);
	ck_assert_int_eq(b, 3);
	ck_assert_int_eq(c, 4);
	exit_ok(w, b);
	reap_ok(w, b);
	/* "the next free number after the last one handed out": 5, not 3 */
	ck_assert_int_eq(fork_ok(w, 1, 0), 5);
	/* threads take pids from the same space */
	ck_assert_int_eq(fork_ok(w, a, CONTID_CLONE_THREAD), 6);
	ck_assert_int_eq(fork_ok(w, 1, 0), 7);
}
END_TEST

START_TEST(test_pids_wrap_to_lowest_free)
{
	pid_t c;

	ck_assert_int_eq(contid_world_set_pid_max(w, 8), 0);
	for (pid_t p = 2; p <= 7; p++)
		ck_assert_int_eq(fork_ok(w, 1, 0), p);
	exit_ok(w, 5);
	reap_ok(w, 5);
	exit_ok(w, 3);
	reap_ok(w, 3);
	/* "past pid_max - 1 it wraps to the lowest free number >= 2" */
	ck_assert_int_eq(fork_ok(w, 1, 0), 3);
	/* then the next free number after 3 */
	ck_assert_int_eq(fork_ok(w, 1, 0), 5);
	ck_assert_int_eq(contid_fork(w, 1, 0, &c), -EAGAIN);
	assert_invariants(w);
}
END_TEST

START_TEST(test_pids_wrap_skips_taken)
{
	ck_assert_int_eq(contid_world_set_pid_max(w, 6), 0);
	for (pid_t p = 2; p <= 5; p++)
		ck_assert_int_eq(fork_ok(w, 1, 0), p);
	exit_ok(w, 2);
	reap_ok(w, 2);
	exit_ok(w, 4);
	reap_ok(w, 4);
	ck_assert_int_eq(fork_ok(w, 1, 0), 2);
	/* 3 is taken: the next free after 2 is 4 */
	ck_assert_int_eq(fork_ok(w, 1, 0), 4);
}
END_TEST

START_TEST(test_pids_eagain_when_full)
{
	pid_t c = 4242;
	pid_t a;

	ck_assert_int_eq(contid_world_set_pid_max(w, 4), 0);
	a = fork_ok(w, 1, 0);
	fork_ok(w, 1, 0);
	/* "When no number below pid_max is free, fork fails with EAGAIN" */
	ck_assert_int_eq(contid_fork(w, 1, 0, &c), -EAGAIN);
	ck_assert_int_eq(contid_fork(w, a, CONTID_CLONE_THREAD, &c), -EAGAIN);
	ck_assert_int_eq(contid_fork(w, a, CONTID_CLONE_PARENT, &c), -EAGAIN);
	ck_assert_int_eq(contid_fork(w, 1, CONTID_CLONE_NEWUSER |
				     CONTID_CLONE_NEWNET, &c), -EAGAIN);
	ck_assert_int_eq(c, 4242);
	ck_assert_uint_eq(contid_task_count(w), 3);
	/* "a failed fork takes no pid": a freed number is handed out next */
	exit_ok(w, a);
	reap_ok(w, a);
	ck_assert_int_eq(fork_ok(w, 1, 0), 2);
	assert_invariants(w);
}
END_TEST

START_TEST(test_pids_zombie_keeps_pid)
{
	pid_t c;

	ck_assert_int_eq(contid_world_set_pid_max(w, 4), 0);
	fork_ok(w, 1, 0);
	fork_ok(w, 1, 0);
	exit_ok(w, 2);
	ck_assert_int_eq(contid_fork(w, 1, 0, &c), -EAGAIN);
	ck_assert_int_eq(state_of(w, 2), CONTID_TASK_ZOMBIE);
	reap_ok(w, 2);
	ck_assert_int_eq(fork_ok(w, 1, 0), 2);
}
END_TEST

START_TEST(test_pids_gone_thread_frees_pid)
{
	pid_t a, t;

	ck_assert_int_eq(contid_world_set_pid_max(w, 4), 0);
	a = fork_ok(w, 1, 0);
	t = fork_ok(w, a, CONTID_CLONE_THREAD);
	ck_assert_int_eq(t, 3);
	/* Library decision: an exited non-leader thread is gone at once and
	 * its pid is free. */
	exit_ok(w, t);
	ck_assert_int_eq(fork_ok(w, 1, 0), 3);
}
END_TEST

START_TEST(test_pids_set_pid_max_bounds)
{
	pid_t c;

	/* "configurable per world (2 to 4194304)" */
	ck_assert_int_eq(contid_world_set_pid_max(w, 0), -EINVAL);
	ck_assert_int_eq(contid_world_set_pid_max(w, 1), -EINVAL);
	ck_assert_int_eq(contid_world_set_pid_max(w, CONTID_PID_MAX_LIMIT + 1),
			 -EINVAL);
	ck_assert_int_eq(contid_world_set_pid_max(w, 0xffffffffu), -EINVAL);
	/* pid_max 2: only pid 1 lies below it, and it is taken. */
	ck_assert_int_eq(contid_world_set_pid_max(w, 2), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &c), -EAGAIN);
	ck_assert_int_eq(contid_world_set_pid_max(w, CONTID_PID_MAX_LIMIT), 0);
	ck_assert_int_eq(fork_ok(w, 1, 0), 2);
}
END_TEST

START_TEST(test_pids_lowered_pid_max_keeps_pids)
{
	pid_t c;

	for (pid_t p = 2; p <= 7; p++)
		ck_assert_int_eq(fork_ok(w, 1, 0), p);
	ck_assert_int_eq(contid_world_set_pid_max(w, 4), 0);
	/* "Existing pids are kept." (contid.h) */
	ck_assert_uint_eq(contid_task_count(w), 7);
	ck_assert_int_eq(state_of(w, 7), CONTID_TASK_RUNNING);
	ck_assert_int_eq(contid_fork(w, 1, 0, &c), -EAGAIN);
	exit_ok(w, 3);
	reap_ok(w, 3);
	/* The number after 7 is past pid_max - 1: wrap to lowest free >= 2. */
	ck_assert_int_eq(fork_ok(w, 1, 0), 3);
	ck_assert_int_eq(contid_fork(w, 1, 0, &c), -EAGAIN);
	assert_invariants(w);
}
END_TEST

START_TEST(test_pids_default_pid_max)
{
	/* Section 1: "Default pid_max is 4194304": a fresh world hands out
	 * a thousand pids in a row without wrapping. */
	for (pid_t p = 2; p <= 1001; p++)
		ck_assert_int_eq(fork_ok(w, 1, 0), p);
	ck_assert_int_eq(highest_pid(w), 1001);
	ck_assert_uint_eq(contid_task_count(w), 1001);
}
END_TEST

/* ---------------------------------------------------------------- R-ID */

START_TEST(test_R_ID_identity_differs_after_pid_reuse)
{
	pid_t a, b, c, t, t2;
	uint64_t ia, ib, ic, i1, it, it2;

	ck_assert_int_eq(contid_world_set_pid_max(w, 4), 0);
	a = fork_ok(w, 1, 0);
	b = fork_ok(w, 1, 0);
	ia = identity_of(w, a);
	ib = identity_of(w, b);
	i1 = identity_of(w, 1);
	ck_assert_uint_ne(ia, ib);
	ck_assert_uint_ne(ia, i1);
	ck_assert_uint_ne(ib, i1);
	exit_ok(w, b);
	ck_assert_uint_eq(identity_of(w, b), ib); /* a zombie is the same task */
	reap_ok(w, b);
	c = fork_ok(w, 1, 0);
	ck_assert_int_eq(c, b);
	/* "Identity is never a pid number: a reused pid is a different
	 * task" */
	ic = identity_of(w, c);
	ck_assert_uint_ne(ic, ib);
	ck_assert_uint_ne(ic, ia);
	ck_assert_uint_ne(ic, i1);
	ck_assert_uint_eq(identity_of(w, a), ia);

	/* The same for a thread's pid. */
	exit_ok(w, c);
	reap_ok(w, c);
	t = fork_ok(w, a, CONTID_CLONE_THREAD);
	it = identity_of(w, t);
	exit_ok(w, t);
	t2 = fork_ok(w, a, CONTID_CLONE_THREAD);
	ck_assert_int_eq(t2, t);
	it2 = identity_of(w, t2);
	ck_assert_uint_ne(it2, it);
	ck_assert_uint_ne(it2, ic);
	ck_assert_uint_ne(it2, ib);
}
END_TEST

START_TEST(test_R_ID_owner_is_not_new_task)
{
	pid_t wr, c, x, n, k;
	uint64_t iw = 0, owner_id = 0;
	pid_t owner_pid = -1;

	ck_assert_int_eq(contid_world_set_pid_max(w, 5), 0);
	wr = fork_ok(w, 1, 0);      /* 2 */
	c = fork_ok(w, wr, 0);      /* 3 */
	iw = identity_of(w, wr);
	set_ok(w, wr, c, 100);      /* wr owns 100 (R-SET-7) */
	ck_assert_int_eq(contid_id_owner(w, 100, &owner_id, &owner_pid), 0);
	ck_assert_uint_eq(owner_id, iw);
	ck_assert_int_eq(owner_pid, wr);

	/* A zombie owner still exists: its pid is reported. */
	exit_ok(w, wr);
	ck_assert_int_eq(contid_id_owner(w, 100, &owner_id, &owner_pid), 0);
	ck_assert_uint_eq(owner_id, iw);
	ck_assert_int_eq(owner_pid, wr);

	reap_ok(w, wr);
	ck_assert_int_eq(contid_id_owner(w, 100, &owner_id, &owner_pid), 0);
	ck_assert_uint_eq(owner_id, iw);
	ck_assert_int_eq(owner_pid, 0);

	x = fork_ok(w, 1, 0);       /* 4 */
	ck_assert_int_eq(x, 4);
	n = fork_ok(w, 1, 0);       /* wraps to 2 */
	ck_assert_int_eq(n, wr);
	ck_assert_uint_ne(identity_of(w, n), iw);
	/* R-ID / R-LIFE: "a task that later gets the owner's pid number is
	 * not the owner". */
	ck_assert_int_eq(contid_id_owner(w, 100, &owner_id, &owner_pid), 0);
	ck_assert_uint_eq(owner_id, iw);
	ck_assert_int_eq(owner_pid, 0);
	ck_assert_uint_eq(contid_of(w, c), 100);

	/* So it cannot inject into 100 either: R-SET-6 ENOTUNIQ. */
	ck_assert_int_eq(contid_world_set_pid_max(w, 10), 0);
	k = fork_ok(w, n, 0);
	ck_assert_int_eq(contid_set(w, n, k, 100), -ENOTUNIQ);
	ck_assert_uint_eq(contid_of(w, k), CONTID_UNSET);
	assert_invariants(w);
}
END_TEST

/* --------------------------------------------------------------- suite */

Suite *suite_pids(void)
{
	Suite *s = suite_create("pids");
	TCase *tc;

	tc = fixture_tcase(s, setup, "pids");
	tcase_add_test(tc, test_pids_cyclic);
	tcase_add_test(tc, test_pids_wrap_to_lowest_free);
	tcase_add_test(tc, test_pids_wrap_skips_taken);
	tcase_add_test(tc, test_pids_eagain_when_full);
	tcase_add_test(tc, test_pids_zombie_keeps_pid);
	tcase_add_test(tc, test_pids_gone_thread_frees_pid);
	tcase_add_test(tc, test_pids_set_pid_max_bounds);
	tcase_add_test(tc, test_pids_lowered_pid_max_keeps_pids);
	tcase_add_test(tc, test_pids_default_pid_max);

	tc = fixture_tcase(s, setup, "R-ID");
	tcase_add_test(tc, test_R_ID_identity_differs_after_pid_reuse);
	tcase_add_test(tc, test_R_ID_owner_is_not_new_task);

	return s;
}
