/*
 * The end of a task and the tree it leaves (docs/semantics.md section 2):
 * R-EXIT (threads, zombie leaders, reparenting, init), R-REAP,
 * R-ZOMBIE-CHILD and R-DESC, the descent that reparenting changes.  Every
 * expectation is derived from the spec; comments quote the sentence that
 * implies a non-obvious one.
 */
#include "test-helpers.h"
#include "test-suites.h"

static struct contid_world *w;

/* Every test case's setup: the test's world, which close_world() frees. */
static void setup(void)
{
	w = open_world()->w;
}

/* ------------------------------------------------------------ shorthands */

static void subreaper_ok(pid_t pid)
{
	int is = -1;

	ck_assert_int_eq(contid_set_subreaper(w, pid), 0);
	ck_assert_int_eq(contid_task_subreaper(w, pid, &is), 0);
	ck_assert_int_eq(is, 1);
}

/* -------------------------------------------------------------- R-EXIT */

START_TEST(test_R_EXIT_thread_disappears)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);
	pid_t next = 0;

	exit_ok(w, t);
	/* "A non-leader thread disappears immediately." */
	ck_assert_int_eq(state_of(w, t), -ESRCH);
	ck_assert_int_eq(state_of(w, a), CONTID_TASK_RUNNING);
	ck_assert_uint_eq(contid_task_count(w), 2);
	ck_assert_int_eq(contid_task_next(w, a, &next), -ENOENT);
	/* Gone: reaping it is ESRCH, exiting it again is ESRCH. */
	ck_assert_int_eq(contid_reap(w, t), -ESRCH);
	ck_assert_int_eq(contid_exit(w, t), -ESRCH);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_EXIT_zombie_leader_waits_for_threads)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t t1 = fork_ok(w, a, CONTID_CLONE_THREAD);
	pid_t t2 = fork_ok(w, a, CONTID_CLONE_THREAD);

	exit_ok(w, a);
	/* "A leader whose threads still run stays a zombie leader until the
	 * last thread exits." */
	ck_assert_int_eq(state_of(w, a), CONTID_TASK_ZOMBIE);
	ck_assert_int_eq(state_of(w, t1), CONTID_TASK_RUNNING);
	ck_assert_int_eq(tgid_of(w, t1), a);
	ck_assert_int_eq(contid_reap(w, a), -ECHILD);
	ck_assert_int_eq(contid_exit(w, a), -ESRCH);

	exit_ok(w, t1);
	ck_assert_int_eq(state_of(w, t1), -ESRCH);
	ck_assert_int_eq(state_of(w, a), CONTID_TASK_ZOMBIE);
	ck_assert_int_eq(contid_reap(w, a), -ECHILD);

	/* The last task of the process exits: the process is a zombie. */
	exit_ok(w, t2);
	ck_assert_int_eq(state_of(w, t2), -ESRCH);
	ck_assert_int_eq(state_of(w, a), CONTID_TASK_ZOMBIE);
	ck_assert_uint_eq(contid_task_count(w), 2);
	reap_ok(w, a);
	ck_assert_int_eq(state_of(w, a), -ESRCH);
	ck_assert_uint_eq(contid_task_count(w), 1);
}
END_TEST

START_TEST(test_R_EXIT_last_task_becomes_zombie)
{
	pid_t a = fork_ok(w, 1, 0);

	exit_ok(w, a);
	/* "When the last task of a process exits the process becomes a
	 * zombie until its parent reaps it." */
	ck_assert_int_eq(state_of(w, a), CONTID_TASK_ZOMBIE);
	ck_assert_int_eq(ppid_of(w, a), 1);
	ck_assert_int_eq(tgid_of(w, a), a);
	ck_assert_uint_eq(contid_task_count(w), 2);
	/* It stays a zombie: init never reaps on its own. */
	fork_ok(w, 1, 0);
	ck_assert_int_eq(state_of(w, a), CONTID_TASK_ZOMBIE);
	reap_ok(w, a);
	ck_assert_int_eq(state_of(w, a), -ESRCH);
}
END_TEST

START_TEST(test_R_EXIT_children_stay_with_live_process)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);
	pid_t c = fork_ok(w, t, 0);
	pid_t d = fork_ok(w, a, 0);
	pid_t a2, t2, e;

	/* Library decision: children belong to processes; a non-leader thread
	 * exiting while others run leaves them with its process. */
	exit_ok(w, t);
	ck_assert_int_eq(ppid_of(w, c), a);
	ck_assert_int_eq(ppid_of(w, d), a);
	ck_assert_int_eq(is_desc(w, c, a), 1);

	/* The leader exits while a thread runs: "reparented ... to a live
	 * thread of the same process if any" - the process keeps them. */
	a2 = fork_ok(w, 1, 0);
	t2 = fork_ok(w, a2, CONTID_CLONE_THREAD);
	e = fork_ok(w, a2, 0);
	exit_ok(w, a2);
	ck_assert_int_eq(ppid_of(w, e), a2);
	ck_assert_int_eq(is_desc(w, e, t2), 1);
	ck_assert_int_eq(is_desc(w, e, a2), 1);

	/* The last task of a2's process exits: e goes to init. */
	exit_ok(w, t2);
	ck_assert_int_eq(ppid_of(w, e), 1);
	ck_assert_int_eq(is_desc(w, e, a2), 0);

	/* a's last task exits: c and d go to init. */
	exit_ok(w, a);
	ck_assert_int_eq(ppid_of(w, c), 1);
	ck_assert_int_eq(ppid_of(w, d), 1);
}
END_TEST

START_TEST(test_R_EXIT_reparent_to_nearest_running_subreaper)
{
	pid_t s1 = fork_ok(w, 1, 0);
	pid_t s2, p, q, qt;

	subreaper_ok(s1);
	s2 = fork_ok(w, s1, 0);
	subreaper_ok(s2);
	p = fork_ok(w, s2, 0);
	q = fork_ok(w, p, 0);
	qt = fork_ok(w, q, CONTID_CLONE_THREAD);

	/* "else to the nearest ancestor process marked subreaper that is
	 * still running": s2, not s1. */
	exit_ok(w, p);
	ck_assert_int_eq(ppid_of(w, q), s2);
	ck_assert_int_eq(ppid_of(w, qt), s2); /* threads share the parent */
	ck_assert_int_eq(state_of(w, p), CONTID_TASK_ZOMBIE);
	ck_assert_int_eq(ppid_of(w, p), s2);

	/* s2 exits: it is no longer running, so its children (q, and the
	 * zombie p: "Zombie children move too") go to s1. */
	exit_ok(w, s2);
	ck_assert_int_eq(ppid_of(w, q), s1);
	ck_assert_int_eq(ppid_of(w, qt), s1);
	ck_assert_int_eq(ppid_of(w, p), s1);
	ck_assert_int_eq(state_of(w, p), CONTID_TASK_ZOMBIE);
	ck_assert_int_eq(is_desc(w, q, s1), 1);
	ck_assert_int_eq(is_desc(w, q, s2), 0);
	reap_ok(w, p);
}
END_TEST

START_TEST(test_R_EXIT_reparent_skips_plain_ancestors)
{
	pid_t s = fork_ok(w, 1, 0);
	pid_t a, b, c;

	subreaper_ok(s);
	a = fork_ok(w, s, 0);
	b = fork_ok(w, a, 0);
	c = fork_ok(w, b, 0);
	/* a is an ancestor but not a subreaper. */
	exit_ok(w, b);
	ck_assert_int_eq(ppid_of(w, c), s);
	ck_assert_int_eq(is_desc(w, c, a), 0);
	ck_assert_int_eq(is_desc(w, c, s), 1);
}
END_TEST

START_TEST(test_R_EXIT_reparent_subreaper_must_be_ancestor)
{
	pid_t s = fork_ok(w, 1, 0);
	pid_t a = fork_ok(w, 1, 0);
	pid_t b = fork_ok(w, a, 0);

	subreaper_ok(s);
	/* s is no ancestor of b: "else to init". */
	exit_ok(w, a);
	ck_assert_int_eq(ppid_of(w, b), 1);
	ck_assert_int_eq(is_desc(w, b, s), 0);
}
END_TEST

START_TEST(test_R_EXIT_reparent_to_init)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t b = fork_ok(w, a, 0);
	pid_t c = fork_ok(w, b, 0);

	exit_ok(w, b);
	ck_assert_int_eq(ppid_of(w, c), 1);
	ck_assert_int_eq(is_desc(w, c, a), 0);
	ck_assert_int_eq(is_desc(w, c, 1), 1);
}
END_TEST

START_TEST(test_R_EXIT_subreaper_with_zombie_leader_still_running)
{
	pid_t s = fork_ok(w, 1, 0);
	pid_t st, a, b;

	subreaper_ok(s);
	st = fork_ok(w, s, CONTID_CLONE_THREAD);
	/* The flag is per process: the thread reports it too. */
	{
		int is = -1;

		ck_assert_int_eq(contid_task_subreaper(w, st, &is), 0);
		ck_assert_int_eq(is, 1);
	}
	exit_ok(w, s); /* zombie leader, st runs: the process still runs */
	a = fork_ok(w, st, 0);
	b = fork_ok(w, a, 0);
	ck_assert_int_eq(ppid_of(w, a), s);
	exit_ok(w, a);
	/* s's process has a running task, so it is a running subreaper. */
	ck_assert_int_eq(ppid_of(w, b), s);
	ck_assert_int_eq(is_desc(w, b, st), 1);
}
END_TEST

START_TEST(test_R_EXIT_zombie_children_move)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t z = fork_ok(w, a, 0);
	pid_t zl = fork_ok(w, a, 0);
	pid_t zt = fork_ok(w, zl, CONTID_CLONE_THREAD);

	exit_ok(w, z);
	exit_ok(w, zl); /* zombie leader, its thread zt runs */
	ck_assert_int_eq(ppid_of(w, z), a);
	exit_ok(w, a);
	/* "Zombie children move too." */
	ck_assert_int_eq(ppid_of(w, z), 1);
	ck_assert_int_eq(state_of(w, z), CONTID_TASK_ZOMBIE);
	ck_assert_int_eq(ppid_of(w, zl), 1);
	ck_assert_int_eq(ppid_of(w, zt), 1);
	ck_assert_int_eq(state_of(w, zl), CONTID_TASK_ZOMBIE);
	/* "init never reaps on its own". */
	fork_ok(w, 1, 0);
	ck_assert_int_eq(state_of(w, z), CONTID_TASK_ZOMBIE);
	reap_ok(w, z);
	ck_assert_int_eq(state_of(w, z), -ESRCH);
}
END_TEST

START_TEST(test_R_EXIT_init_last_running_task_eperm)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t t;

	/* "The last running task of init's process cannot exit (EPERM)". */
	ck_assert_int_eq(contid_exit(w, 1), -EPERM);
	ck_assert_int_eq(state_of(w, 1), CONTID_TASK_RUNNING);
	ck_assert_int_eq(ppid_of(w, a), 1);

	/* Library decision: threads of init's process may exit while another
	 * task of init's process runs. */
	t = fork_ok(w, 1, CONTID_CLONE_THREAD);
	exit_ok(w, t);
	ck_assert_int_eq(state_of(w, t), -ESRCH);
	ck_assert_int_eq(contid_exit(w, 1), -EPERM);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_EXIT_init_leader_exits_while_thread_runs)
{
	pid_t t = fork_ok(w, 1, CONTID_CLONE_THREAD);
	pid_t a = fork_ok(w, 1, 0);
	pid_t b = fork_ok(w, a, 0);
	pid_t c;

	/* Another task of init's process (t) runs, so pid 1 may exit. */
	exit_ok(w, 1);
	ck_assert_int_eq(state_of(w, 1), CONTID_TASK_ZOMBIE);
	ck_assert_int_eq(contid_reap(w, 1), -ECHILD);
	/* t is now the last running task of init's process. */
	ck_assert_int_eq(contid_exit(w, t), -EPERM);
	ck_assert_int_eq(state_of(w, t), CONTID_TASK_RUNNING);
	ck_assert_int_eq(ppid_of(w, a), 1);

	/* Orphans still go to init's process (t runs). */
	exit_ok(w, a);
	ck_assert_int_eq(ppid_of(w, b), 1);
	c = fork_ok(w, t, 0);
	ck_assert_int_eq(ppid_of(w, c), 1);
	ck_assert_int_eq(tgid_of(w, t), 1);
	ck_assert_int_eq(ppid_of(w, t), 0);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_EXIT_not_running_esrch)
{
	pid_t z = spawn_zombie(w, 1);
	pid_t r = spawn_zombie(w, 1);
	static const pid_t never[] = { 0, -1, 999, 0x7fffffff };

	reap_ok(w, r);
	/* "exiting a task that is not running is ESRCH". */
	ck_assert_int_eq(contid_exit(w, z), -ESRCH);
	ck_assert_int_eq(contid_exit(w, r), -ESRCH);
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		ck_assert_int_eq(contid_exit(w, never[i]), -ESRCH);
	ck_assert_int_eq(state_of(w, z), CONTID_TASK_ZOMBIE);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_EXIT_releases_contid)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t b = fork_ok(w, 1, 0);
	pid_t t;
	unsigned users = 0;

	set_ok(w, 1, a, 100);
	set_ok(w, 1, b, 200);
	t = fork_ok(w, a, CONTID_CLONE_THREAD);
	ck_assert_uint_eq(contid_of(w, t), 100);

	/* "The task's audit state is released at once (its container ID
	 * reference is dropped)". */
	exit_ok(w, a);
	ck_assert_int_eq(state_of(w, a), CONTID_TASK_ZOMBIE);
	ck_assert_uint_eq(contid_of(w, a), CONTID_UNSET);
	ck_assert_uint_eq(contid_of(w, t), 100);
	ck_assert_int_eq(contid_id_users(w, 100, &users), 0);
	ck_assert_uint_eq(users, 1);
	/* "... and from then on writes to it get ENOPROTOOPT" (R-SET-0),
	 * even while its thread still runs. */
	ck_assert_int_eq(contid_set(w, 1, a, 300), -ENOPROTOOPT);
	ck_assert_uint_eq(contid_of(w, a), CONTID_UNSET);

	exit_ok(w, b);
	ck_assert_uint_eq(contid_of(w, b), CONTID_UNSET);
	/* R-LIFE: "When the count falls to zero the object is freed". */
	ck_assert_int_eq(contid_id_owner(w, 200, NULL, NULL), -ENOENT);

	exit_ok(w, t);
	ck_assert_int_eq(contid_id_owner(w, 100, NULL, NULL), -ENOENT);
	ck_assert_uint_eq(contid_id_count(w), 0);
	ck_assert_uint_eq(contid_of(w, a), CONTID_UNSET);
}
END_TEST

/* -------------------------------------------------------------- R-REAP */

START_TEST(test_R_REAP_running_echild)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);

	/* "Reaping a task that is not a zombie process (running ...) is
	 * ECHILD". */
	ck_assert_int_eq(contid_reap(w, a), -ECHILD);
	ck_assert_int_eq(contid_reap(w, t), -ECHILD);
	ck_assert_int_eq(contid_reap(w, 1), -ECHILD);
	ck_assert_int_eq(state_of(w, a), CONTID_TASK_RUNNING);
	ck_assert_uint_eq(contid_task_count(w), 3);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_REAP_zombie_leader_with_threads_echild)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);

	exit_ok(w, a);
	/* "(running, or a leader still waiting for its threads) is ECHILD" */
	ck_assert_int_eq(contid_reap(w, a), -ECHILD);
	ck_assert_int_eq(state_of(w, a), CONTID_TASK_ZOMBIE);
	exit_ok(w, t);
	reap_ok(w, a);
	ck_assert_int_eq(state_of(w, a), -ESRCH);
}
END_TEST

START_TEST(test_R_REAP_gone_esrch)
{
	pid_t z = spawn_zombie(w, 1);
	pid_t a = fork_ok(w, 1, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);

	reap_ok(w, z);
	/* "a gone one is ESRCH" */
	ck_assert_int_eq(contid_reap(w, z), -ESRCH);
	exit_ok(w, t);
	ck_assert_int_eq(contid_reap(w, t), -ESRCH);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_REAP_frees_pid)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t b = fork_ok(w, 1, 0);
	pid_t c;

	ck_assert_int_eq(a, 2);
	ck_assert_int_eq(b, 3);
	ck_assert_int_eq(contid_world_set_pid_max(w, 4), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &c), -EAGAIN);
	exit_ok(w, b);
	/* "Zombies keep their pid." */
	ck_assert_int_eq(contid_fork(w, 1, 0, &c), -EAGAIN);
	reap_ok(w, b);
	/* R-REAP: "its pid becomes free". */
	ck_assert_int_eq(state_of(w, b), -ESRCH);
	ck_assert_uint_eq(contid_task_count(w), 2);
	ck_assert_int_eq(fork_ok(w, 1, 0), 3);
	assert_invariants(w);
}
END_TEST

/* ------------------------------------------------------ R-ZOMBIE-CHILD */

START_TEST(test_R_ZOMBIE_CHILD_parent_still_busy)
{
	pid_t p = fork_ok(w, 1, 0);
	pid_t z = fork_ok(w, p, 0);

	exit_ok(w, z);
	/* "a zombie child still counts as a child until it is reaped", so
	 * R-SET-3 refuses p. */
	ck_assert_int_eq(contid_set(w, 1, p, 100), -EBUSY);
	ck_assert_uint_eq(contid_of(w, p), CONTID_UNSET);
	reap_ok(w, z);
	ck_assert_int_eq(contid_set(w, 1, p, 100), 0);
	ck_assert_uint_eq(contid_of(w, p), 100);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_ZOMBIE_CHILD_moved_zombie_counts)
{
	pid_t s = fork_ok(w, 1, 0);
	pid_t a, z;

	subreaper_ok(s);
	a = fork_ok(w, s, 0);
	z = fork_ok(w, a, 0);
	exit_ok(w, z);
	exit_ok(w, a);
	ck_assert_int_eq(ppid_of(w, z), s);
	reap_ok(w, a);
	/* s's only child is the zombie z it inherited. */
	ck_assert_int_eq(contid_set(w, 1, s, 100), -EBUSY);
	reap_ok(w, z);
	ck_assert_int_eq(contid_set(w, 1, s, 100), 0);
	assert_invariants(w);
}
END_TEST

/* -------------------------------------------------------------- R-DESC */

START_TEST(test_R_DESC_processes)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t b = fork_ok(w, a, 0);
	pid_t x = fork_ok(w, 1, 0);
	static const struct { int a, b, is; } cases[] = {
		/* indices into pids[] below */
		{ 2, 1, 1 }, { 2, 0, 1 }, { 1, 0, 1 }, { 1, 2, 0 },
		{ 0, 1, 0 }, { 0, 0, 0 }, { 1, 1, 0 }, { 2, 2, 0 },
		{ 2, 3, 0 }, { 3, 1, 0 }, { 3, 0, 1 },
	};
	pid_t pids[4] = { 1, 0, 0, 0 };

	pids[1] = a;
	pids[2] = b;
	pids[3] = x;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(is_desc(w, pids[cases[i].a], pids[cases[i].b]) ==
			      cases[i].is, "is_descendant(%d, %d) != %d",
			      (int)pids[cases[i].a], (int)pids[cases[i].b],
			      cases[i].is);
}
END_TEST

START_TEST(test_R_DESC_thread_stands_for_process)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);
	pid_t b = fork_ok(w, a, 0);
	pid_t bt = fork_ok(w, b, CONTID_CLONE_THREAD);

	/* "process granularity; a thread stands for its process" */
	ck_assert_int_eq(is_desc(w, b, t), 1);
	ck_assert_int_eq(is_desc(w, bt, t), 1);
	ck_assert_int_eq(is_desc(w, bt, a), 1);
	ck_assert_int_eq(is_desc(w, t, 1), 1);
	/* "A process is not its own strict descendant." */
	ck_assert_int_eq(is_desc(w, t, a), 0);
	ck_assert_int_eq(is_desc(w, a, t), 0);
	ck_assert_int_eq(is_desc(w, bt, b), 0);
	ck_assert_int_eq(is_desc(w, t, b), 0);
	/* init's threads stand for init. */
	{
		pid_t it = fork_ok(w, 1, CONTID_CLONE_THREAD);

		ck_assert_int_eq(is_desc(w, bt, it), 1);
		ck_assert_int_eq(is_desc(w, it, 1), 0);
	}
}
END_TEST

START_TEST(test_R_DESC_reparenting_changes_answer)
{
	pid_t s = fork_ok(w, 1, 0);
	pid_t a = fork_ok(w, s, 0);
	pid_t b = fork_ok(w, a, 0);
	pid_t c = fork_ok(w, b, 0);
	pid_t z = fork_ok(w, c, 0);

	exit_ok(w, z);
	ck_assert_int_eq(is_desc(w, c, a), 1);
	ck_assert_int_eq(is_desc(w, z, c), 1); /* a zombie is still a child */
	/* "Reparenting changes the answer." b exits: c goes to init. */
	exit_ok(w, b);
	ck_assert_int_eq(is_desc(w, c, a), 0);
	ck_assert_int_eq(is_desc(w, c, s), 0);
	ck_assert_int_eq(is_desc(w, c, 1), 1);
	ck_assert_int_eq(is_desc(w, z, a), 0);
	ck_assert_int_eq(is_desc(w, z, c), 1);
}
END_TEST

START_TEST(test_R_DESC_sibling)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t b = fork_ok(w, a, 0);
	pid_t s = fork_ok(w, b, CONTID_CLONE_PARENT);

	ck_assert_int_eq(is_desc(w, s, b), 0);
	ck_assert_int_eq(is_desc(w, b, s), 0);
	ck_assert_int_eq(is_desc(w, s, a), 1);
}
END_TEST

/* --------------------------------------------------------------- suite */

Suite *suite_exit(void)
{
	Suite *s = suite_create("exit");
	TCase *tc;

	tc = fixture_tcase(s, setup, "R-EXIT");
	tcase_add_test(tc, test_R_EXIT_thread_disappears);
	tcase_add_test(tc, test_R_EXIT_zombie_leader_waits_for_threads);
	tcase_add_test(tc, test_R_EXIT_last_task_becomes_zombie);
	tcase_add_test(tc, test_R_EXIT_not_running_esrch);
	tcase_add_test(tc, test_R_EXIT_releases_contid);

	tc = fixture_tcase(s, setup, "R-EXIT-reparent");
	tcase_add_test(tc, test_R_EXIT_children_stay_with_live_process);
	tcase_add_test(tc, test_R_EXIT_reparent_to_nearest_running_subreaper);
	tcase_add_test(tc, test_R_EXIT_reparent_skips_plain_ancestors);
	tcase_add_test(tc, test_R_EXIT_reparent_subreaper_must_be_ancestor);
	tcase_add_test(tc, test_R_EXIT_reparent_to_init);
	tcase_add_test(tc, test_R_EXIT_subreaper_with_zombie_leader_still_running);
	tcase_add_test(tc, test_R_EXIT_zombie_children_move);

	tc = fixture_tcase(s, setup, "R-EXIT-init");
	tcase_add_test(tc, test_R_EXIT_init_last_running_task_eperm);
	tcase_add_test(tc, test_R_EXIT_init_leader_exits_while_thread_runs);

	tc = fixture_tcase(s, setup, "R-REAP");
	tcase_add_test(tc, test_R_REAP_running_echild);
	tcase_add_test(tc, test_R_REAP_zombie_leader_with_threads_echild);
	tcase_add_test(tc, test_R_REAP_gone_esrch);
	tcase_add_test(tc, test_R_REAP_frees_pid);

	tc = fixture_tcase(s, setup, "R-ZOMBIE-CHILD");
	tcase_add_test(tc, test_R_ZOMBIE_CHILD_parent_still_busy);
	tcase_add_test(tc, test_R_ZOMBIE_CHILD_moved_zombie_counts);

	tc = fixture_tcase(s, setup, "R-DESC");
	tcase_add_test(tc, test_R_DESC_processes);
	tcase_add_test(tc, test_R_DESC_thread_stands_for_process);
	tcase_add_test(tc, test_R_DESC_reparenting_changes_answer);
	tcase_add_test(tc, test_R_DESC_sibling);

	return s;
}
