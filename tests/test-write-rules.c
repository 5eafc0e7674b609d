/*
 * docs/semantics.md section 4, profile v11: the rules R-SET-0 .. R-SET-7
 * that a write of the audit container ID must pass, each on its allowed
 * and its refused side.  The front end (R-W-1, R-W-2), the order between
 * the rules, and get are in test-write.c.
 *
 * Every expectation below is derived from the spec text (quoted where it is
 * not obvious) or from a documented library choice (docs/semantics.md,
 * "Choices where the spec is silent").
 */
#include "test-helpers.h"
#include "test-suites.h"

#define INIT 1
#define UNSET_STR "18446744073709551615"

/* ---------------------------------------------------------------- R-SET-0 */

START_TEST(test_R_SET_0_running_target_is_allowed)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t t = spawn(w, INIT);

	ck_assert_int_eq(write_str(w, INIT, t, "10\n"), 3);
	ck_assert_uint_eq(contid_of(w, t), 10);
	assert_invariants(w);
}
END_TEST

/*
 * R-EXIT: "The task's audit state is released at once ... from then on
 * writes to it get ENOPROTOOPT"; R-SET-0: "ENOPROTOOPT, no record".
 */
START_TEST(test_R_SET_0_released_target_is_ENOPROTOOPT_without_record)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t zombie = spawn(w, INIT);
	pid_t leader = spawn(w, INIT);
	pid_t thread = spawn_thread(w, leader);

	set_ok(w, INIT, zombie, 50);
	exit_ok(w, zombie);
	/* the zombie holds nothing any more: 50 had one user, it is freed */
	ck_assert_uint_eq(contid_of(w, zombie), CONTID_UNSET);
	assert_no_object(w, 50);
	/* a zombie leader waiting for its thread is released too */
	exit_ok(w, leader);
	tw_records_clear(tw);
	ck_assert_int_eq(write_str(w, INIT, zombie, "51"), -ENOPROTOOPT);
	ck_assert_int_eq(contid_set(w, INIT, zombie, 52), -ENOPROTOOPT);
	ck_assert_int_eq(write_str(w, INIT, leader, "53\n"), -ENOPROTOOPT);
	ck_assert_uint_eq(tw->nrecords, 0);
	ck_assert_uint_eq(contid_of(w, zombie), CONTID_UNSET);
	ck_assert_uint_eq(contid_of(w, leader), CONTID_UNSET);
	ck_assert_uint_eq(contid_id_count(w), 0);
	(void)thread;
	assert_invariants(w);
}
END_TEST

/* ---------------------------------------------------------------- R-SET-1 */

START_TEST(test_R_SET_1_unset_value_is_EINVAL)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t t = spawn(w, INIT);

	ck_assert_int_eq(contid_set(w, INIT, t, CONTID_UNSET), -EINVAL);
	ck_assert_int_eq(write_str(w, INIT, t, UNSET_STR "\n"), -EINVAL);
	ck_assert_int_eq(write_str(w, INIT, t, "+" UNSET_STR), -EINVAL);
	ck_assert_uint_eq(contid_of(w, t), CONTID_UNSET);
	ck_assert_uint_eq(contid_id_count(w), 0);
	/* "It can never be written": not even to clear an ID */
	set_ok(w, INIT, t, 7);
	ck_assert_int_eq(contid_set(w, INIT, t, CONTID_UNSET), -EINVAL);
	ck_assert_uint_eq(contid_of(w, t), 7);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SET_1_largest_settable_value_is_allowed)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t t = spawn(w, INIT);
	uint64_t got = 0;

	set_ok(w, INIT, t, UINT64_MAX - 1);
	ck_assert_uint_eq(contid_of(w, t), UINT64_MAX - 1);
	ck_assert_int_eq(contid_get(w, INIT, t, &got), 0);
	ck_assert_uint_eq(got, UINT64_MAX - 1);
	assert_invariants(w);
}
END_TEST

/* ---------------------------------------------------------------- R-SET-2 */

/*
 * R-SET-2: "writer is neither capable(CAP_AUDIT_CONTROL) nor has
 * capcontid != 0: EPERM".  Three ways of not being capable().
 */
START_TEST(test_R_SET_2_writer_without_audit_control_is_EPERM)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	/* 1. dropped the capability */
	pid_t dropped = spawn_unprivileged(w, INIT);
	pid_t t1 = spawn(w, dropped);
	/* 2. R-SETUID: 0 -> 1000 empties the capability set */
	pid_t user = spawn(w, INIT);
	pid_t t2;
	/* 3. R-CAP: "a task inside any child user namespace is never capable()" */
	pid_t inner = fork_ok(w, INIT, CONTID_CLONE_NEWUSER);
	pid_t t3 = spawn(w, inner);
	int has = 0;

	ck_assert_int_eq(contid_setuid(w, user, 1000), 0);
	t2 = spawn(w, user);
	ck_assert_int_eq(contid_task_has_cap(w, inner, CONTID_CAP_AUDIT_CONTROL,
					     &has), 0);
	ck_assert_int_eq(has, 1); /* in its own namespace it has it ... */
	ck_assert_int_eq(contid_task_capable(w, inner, CONTID_CAP_AUDIT_CONTROL,
					     &has), 0);
	ck_assert_int_eq(has, 0); /* ... but it is not capable() */

	ck_assert_int_eq(contid_set(w, dropped, t1, 1), -EPERM);
	ck_assert_int_eq(write_str(w, dropped, t1, "1\n"), -EPERM);
	ck_assert_int_eq(contid_set(w, user, t2, 2), -EPERM);
	ck_assert_int_eq(contid_set(w, inner, t3, 3), -EPERM);
	ck_assert_uint_eq(contid_of(w, t1), CONTID_UNSET);
	ck_assert_uint_eq(contid_of(w, t2), CONTID_UNSET);
	ck_assert_uint_eq(contid_of(w, t3), CONTID_UNSET);
	ck_assert_uint_eq(contid_id_count(w), 0);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SET_2_capable_or_capcontid_writer_is_allowed)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	/* a forked child copies init's uid 0 and every capability (R-FORK) */
	pid_t orch = spawn(w, INIT);
	pid_t t1 = spawn(w, orch);
	/* dropping other capabilities does not matter */
	pid_t other = spawn(w, INIT);
	pid_t t2 = spawn(w, other);
	/* no CAP_AUDIT_CONTROL but capcontid != 0 */
	pid_t deleg = spawn_unprivileged(w, INIT);
	pid_t t3;

	ck_assert_int_eq(contid_set_capcontid(w, INIT, deleg, 1), 0);
	t3 = spawn(w, deleg);
	drop_cap_ok(w, other, CONTID_CAP_SYS_ADMIN);
	drop_cap_ok(w, other, CONTID_CAP_SETUID);
	set_ok(w, orch, t1, 1);
	set_ok(w, other, t2, 2);
	set_ok(w, deleg, t3, 3);
	ck_assert_uint_eq(contid_of(w, t1), 1);
	ck_assert_uint_eq(contid_of(w, t2), 2);
	ck_assert_uint_eq(contid_of(w, t3), 3);
	assert_invariants(w);
}
END_TEST

/* ---------------------------------------------------------------- R-SET-3 */

START_TEST(test_R_SET_3_target_with_child_or_threads_is_EBUSY)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	/* a running child */
	pid_t parent = spawn(w, INIT);
	/* R-ZOMBIE-CHILD: a zombie child still counts */
	pid_t zparent = spawn(w, INIT);
	pid_t zchild = spawn(w, zparent);
	/* a second thread */
	pid_t mt = spawn(w, INIT);
	pid_t mt_thread = spawn_thread(w, mt);
	/* a child forked by a thread belongs to the process (real parent is
	 * a process, docs/semantics.md section 1); the thread then exits */
	pid_t tp = spawn(w, INIT);
	pid_t tp_thread = spawn_thread(w, tp);

	spawn(w, parent);
	exit_ok(w, zchild);
	spawn(w, tp_thread);
	exit_ok(w, tp_thread);

	ck_assert_int_eq(contid_set(w, INIT, parent, 1), -EBUSY);
	ck_assert_int_eq(contid_set(w, INIT, zparent, 2), -EBUSY);
	ck_assert_int_eq(contid_set(w, INIT, mt, 3), -EBUSY);
	/* not its process's leader (and the process has two live threads) */
	ck_assert_int_eq(contid_set(w, INIT, mt_thread, 4), -EBUSY);
	ck_assert_int_eq(write_str(w, INIT, mt_thread, "4\n"), -EBUSY);
	ck_assert_int_eq(contid_set(w, INIT, tp, 5), -EBUSY);
	ck_assert_uint_eq(contid_id_count(w), 0);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SET_3_childless_single_threaded_leader_is_allowed)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t leaf = spawn(w, INIT);
	/* the only child was reaped: no child any more */
	pid_t was_parent = spawn(w, INIT);
	pid_t child = spawn(w, was_parent);
	/* the only other thread exited: gone at once (R-EXIT) */
	pid_t was_mt = spawn(w, INIT);
	pid_t thread = spawn_thread(w, was_mt);

	exit_ok(w, child);
	ck_assert_int_eq(contid_set(w, INIT, was_parent, 2), -EBUSY);
	reap_ok(w, child);
	exit_ok(w, thread);

	set_ok(w, INIT, leaf, 1);
	set_ok(w, INIT, was_parent, 2);
	set_ok(w, INIT, was_mt, 3);
	ck_assert_uint_eq(contid_of(w, was_parent), 2);
	ck_assert_uint_eq(contid_of(w, was_mt), 3);
	assert_invariants(w);
}
END_TEST

/* ---------------------------------------------------------------- R-SET-4 */

START_TEST(test_R_SET_4_self_or_non_descendant_is_EXDEV)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t a = spawn(w, INIT);
	pid_t b = spawn(w, INIT);               /* a's sibling */
	pid_t cousin = spawn(w, b);
	pid_t sib = fork_ok(w, a, CONTID_CLONE_PARENT); /* CLONE_PARENT */
	pid_t ppid = 0;

	ck_assert_int_eq(contid_task_ppid(w, sib, &ppid), 0);
	ck_assert_int_eq(ppid, INIT);
	/* a is leaf, single-threaded, leader: R-SET-3 passes, R-SET-4 refuses */
	ck_assert_int_eq(contid_set(w, a, a, 1), -EXDEV);
	ck_assert_int_eq(write_str(w, a, a, "1\n"), -EXDEV);
	ck_assert_int_eq(contid_set(w, a, sib, 2), -EXDEV);
	ck_assert_int_eq(contid_set(w, a, cousin, 3), -EXDEV);
	ck_assert_int_eq(contid_set(w, cousin, sib, 4), -EXDEV);
	ck_assert_uint_eq(contid_id_count(w), 0);
	(void)b;
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SET_4_strict_descendant_is_allowed)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t a = spawn(w, INIT);
	pid_t child = spawn(w, a);
	pid_t mid = spawn(w, a);
	pid_t mid2 = spawn(w, mid);
	pid_t great = spawn(w, mid2);
	/* R-DESC: "a thread stands for its process" */
	pid_t p = spawn(w, INIT);
	pid_t pthread = spawn_thread(w, p);
	pid_t pchild = spawn(w, p);

	set_ok(w, a, child, 1);
	set_ok(w, a, great, 2);
	set_ok(w, pthread, pchild, 3);
	ck_assert_uint_eq(contid_of(w, child), 1);
	ck_assert_uint_eq(contid_of(w, great), 2);
	ck_assert_uint_eq(contid_of(w, pchild), 3);
	assert_invariants(w);
}
END_TEST

/* R-DESC: "Reparenting changes the answer." */
START_TEST(test_R_SET_4_reparenting_changes_descent)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	/* without a subreaper the orphan goes to init */
	pid_t a = spawn(w, INIT);
	pid_t am = spawn(w, a);
	pid_t ag = spawn(w, am);
	/* with a subreaper it goes to the subreaper */
	pid_t s = spawn(w, INIT);
	pid_t sm = spawn(w, s);
	pid_t sg = spawn(w, sm);
	pid_t ppid = 0;

	ck_assert_int_eq(contid_set_subreaper(w, s), 0);
	exit_ok(w, am);
	exit_ok(w, sm);
	ck_assert_int_eq(contid_task_ppid(w, ag, &ppid), 0);
	ck_assert_int_eq(ppid, INIT);
	ck_assert_int_eq(contid_task_ppid(w, sg, &ppid), 0);
	ck_assert_int_eq(ppid, s);
	ck_assert_int_eq(contid_set(w, a, ag, 1), -EXDEV);
	set_ok(w, s, sg, 2);
	set_ok(w, INIT, ag, 1);
	assert_invariants(w);
}
END_TEST

/* ---------------------------------------------------------------- R-SET-5 */

/* Not nesting: the owner itself, or an ancestor of the owner. */
START_TEST(test_R_SET_5_already_set_without_nesting_is_EEXIST)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t top = spawn(w, INIT);
	pid_t orch = spawn(w, top);
	pid_t c1 = spawn(w, orch);

	set_ok(w, orch, c1, 100);
	/* the owner: same value and another value */
	ck_assert_int_eq(contid_set(w, orch, c1, 100), -EEXIST);
	ck_assert_int_eq(write_str(w, orch, c1, "100\n"), -EEXIST);
	ck_assert_int_eq(contid_set(w, orch, c1, 101), -EEXIST);
	/* ancestors of the owner are not its descendants */
	ck_assert_int_eq(contid_set(w, top, c1, 102), -EEXIST);
	ck_assert_int_eq(contid_set(w, INIT, c1, 103), -EEXIST);
	ck_assert_uint_eq(contid_of(w, c1), 100);
	ck_assert_uint_eq(contid_id_count(w), 1);
	assert_invariants(w);
}
END_TEST

/*
 * "Nesting means the writer is not the owner of the target's current ID and
 * the writer is a descendant of that owner".  The example of
 * sim/scenarios/spec-example.scn.
 */
START_TEST(test_R_SET_5_nesting_allowed_for_descendant_of_owner)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t orch = spawn(w, INIT);
	pid_t c1 = spawn(w, orch);
	pid_t engine, c2;

	ck_assert_int_eq(write_str(w, orch, c1, "100\n"), 4);
	engine = spawn(w, c1);   /* inherits 100 */
	c2 = spawn(w, engine);   /* inherits 100 */
	ck_assert_uint_eq(contid_of(w, c2), 100);
	set_ok(w, engine, c2, 200);
	ck_assert_uint_eq(contid_of(w, c2), 200);
	assert_chain(w, c2, "200,^100");
	/* c1 itself can nest on its own descendants too */
	pid_t c1b = spawn(w, c1);
	set_ok(w, c1, c1b, 150);
	assert_chain(w, c1b, "150,^100");
	assert_invariants(w);
}
END_TEST

/*
 * "... or a thread of the owner's process other than the owner thread
 * itself (the kernel compares the owner as a thread but descent as
 * processes)".
 */
START_TEST(test_R_SET_5_nesting_allowed_for_other_thread_of_owner_process)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	/* the owner is the leader, the writer another thread */
	pid_t p = spawn(w, INIT);
	pid_t pc = spawn(w, p);
	pid_t pt;
	/* the owner is a non-leader thread, the writer the leader */
	pid_t q = spawn(w, INIT);
	pid_t qc = spawn(w, q);
	pid_t qt = spawn_thread(w, q);

	set_ok(w, p, pc, 100);
	pt = spawn_thread(w, p);
	set_ok(w, pt, pc, 200);
	ck_assert_uint_eq(contid_of(w, pc), 200);
	ck_assert_int_eq(owner_pid_of(w, 200), pt);

	set_ok(w, qt, qc, 300);
	ck_assert_int_eq(contid_set(w, qt, qc, 301), -EEXIST); /* the owner */
	set_ok(w, q, qc, 400);
	ck_assert_uint_eq(contid_of(w, qc), 400);
	ck_assert_int_eq(owner_pid_of(w, 400), q);
	/* the new owner thread q may not re-set, qt now may (nesting) */
	ck_assert_int_eq(contid_set(w, q, qc, 401), -EEXIST);
	set_ok(w, qt, qc, 500);
	assert_invariants(w);
}
END_TEST

/*
 * The owner thread has exited (gone at once, R-EXIT) but its process lives
 * on: descent is still judged against the owner's process, and the other
 * threads of that process are still "a thread of the owner's process other
 * than the owner thread itself".
 */
START_TEST(test_R_SET_5_nesting_after_owner_thread_exit)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t p = spawn(w, INIT);
	pid_t c = spawn(w, p);
	pid_t d = spawn(w, p);
	pid_t e = spawn(w, p);
	pid_t pt = spawn_thread(w, p);
	pid_t g;

	set_ok(w, pt, c, 100);
	set_ok(w, pt, d, 100);
	set_ok(w, pt, e, 100);
	exit_ok(w, pt);
	ck_assert_int_eq(owner_pid_of(w, 100), 0);
	/* the leader of the owner's process nests */
	set_ok(w, p, c, 200);
	/* p holds no ID: the new object has no parent */
	ck_assert_uint_eq(parent_of(w, 200), CONTID_UNSET);
	assert_chain(w, c, "200");
	/* a descendant of the owner's process nests */
	g = spawn(w, d);
	ck_assert_uint_eq(contid_of(w, g), 100);
	set_ok(w, d, g, 300);
	assert_chain(w, g, "300,^100");
	/* an ancestor of the owner's process does not */
	ck_assert_int_eq(contid_set(w, INIT, e, 400), -EEXIST);
	assert_invariants(w);
}
END_TEST

/* ---------------------------------------------------------------- R-SET-6 */

START_TEST(test_R_SET_6_injection_by_owner)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t orch = spawn(w, INIT);
	pid_t c1 = spawn(w, orch);
	pid_t c3 = spawn(w, orch);
	uint64_t owner;

	set_ok(w, orch, c1, 100);
	owner = owner_identity_of(w, 100);
	set_ok(w, orch, c3, 100);  /* "the target joins it" */
	ck_assert_uint_eq(contid_of(w, c3), 100);
	ck_assert_uint_eq(contid_id_count(w), 1);
	ck_assert_uint_eq(users_of(w, 100), 2);
	ck_assert_uint_eq(refs_of(w, 100), 2);
	ck_assert_uint_eq(owner_identity_of(w, 100), owner);
	ck_assert_uint_eq(parent_of(w, 100), CONTID_UNSET);
	/* the owner injects into a grandchild, through contid_write */
	pid_t mid = spawn(w, orch);
	pid_t g = spawn(w, mid);
	ck_assert_int_eq(write_str(w, orch, g, "+100\n"), 5);
	ck_assert_uint_eq(users_of(w, 100), 3);
	assert_invariants(w);
}
END_TEST

/* A nesting writer injects into the object it created itself. */
START_TEST(test_R_SET_6_injection_by_nesting_owner)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t orch = spawn(w, INIT);
	pid_t c1 = spawn(w, orch);
	pid_t engine, c2, c3;

	set_ok(w, orch, c1, 100);
	engine = spawn(w, c1);
	c2 = spawn(w, engine);
	c3 = spawn(w, engine);
	set_ok(w, engine, c2, 200);
	/* c3 holds 100 (nesting passes), 200 is owned by engine (inject) */
	set_ok(w, engine, c3, 200);
	ck_assert_uint_eq(contid_of(w, c3), 200);
	ck_assert_uint_eq(users_of(w, 200), 2);
	ck_assert_uint_eq(refs_of(w, 200), 2);
	/* 100: c1 and engine hold it, 200 is nested in it */
	ck_assert_uint_eq(users_of(w, 100), 2);
	ck_assert_uint_eq(refs_of(w, 100), 3);
	ck_assert_uint_eq(contid_id_count(w), 2);
	assert_chain(w, c3, "200,^100");
	assert_invariants(w);
}
END_TEST

/* "otherwise ENOTUNIQ": owner is "the same task, R-ID". */
START_TEST(test_R_SET_6_existing_value_of_another_owner_is_ENOTUNIQ)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t orch = spawn(w, INIT);
	pid_t c1 = spawn(w, orch);
	pid_t fresh = spawn(w, INIT);
	pid_t orch_child = spawn(w, orch);
	pid_t oc_child = spawn(w, orch_child);
	pid_t orch_thread = spawn_thread(w, orch);
	pid_t c4 = spawn(w, orch);
	pid_t deleg = spawn_unprivileged(w, INIT);
	pid_t dchild;
	pid_t engine, c2;

	ck_assert_int_eq(contid_set_capcontid(w, INIT, deleg, 1), 0);
	dchild = spawn(w, deleg);
	set_ok(w, orch, c1, 100);
	/* init is an ancestor of the owner, not the owner */
	ck_assert_int_eq(contid_set(w, INIT, fresh, 100), -ENOTUNIQ);
	ck_assert_int_eq(write_str(w, INIT, fresh, "100\n"), -ENOTUNIQ);
	/* a child of the owner */
	ck_assert_int_eq(contid_set(w, orch_child, oc_child, 100), -ENOTUNIQ);
	/* another thread of the owner's process is not the owner task */
	ck_assert_int_eq(contid_set(w, orch_thread, c4, 100), -ENOTUNIQ);
	/* privilege through capcontid does not make an owner */
	ck_assert_int_eq(contid_set(w, deleg, dchild, 100), -ENOTUNIQ);
	/* a nesting writer may not reuse the value it inherited */
	engine = spawn(w, c1);
	c2 = spawn(w, engine);
	ck_assert_int_eq(contid_set(w, engine, c2, 100), -ENOTUNIQ);
	ck_assert_uint_eq(contid_of(w, fresh), CONTID_UNSET);
	ck_assert_uint_eq(contid_of(w, c4), CONTID_UNSET);
	ck_assert_uint_eq(contid_of(w, dchild), CONTID_UNSET);
	ck_assert_uint_eq(contid_of(w, c2), 100);
	ck_assert_uint_eq(users_of(w, 100), 3); /* c1, engine, c2 */
	ck_assert_uint_eq(contid_id_count(w), 1);
	assert_invariants(w);
}
END_TEST

/*
 * "Identity is never a pid number: a reused pid is a different task (R-ID)";
 * R-LIFE: "a task that later gets the owner's pid number is not the owner".
 */
START_TEST(test_R_SET_6_pid_reuser_is_not_owner)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t orch, c1, filler, imposter, t;
	uint64_t orch_identity;

	/* pids 2, 3 and 4 only */
	ck_assert_int_eq(contid_world_set_pid_max(w, 5), 0);
	orch = spawn(w, INIT);
	c1 = spawn(w, orch);
	filler = spawn(w, INIT);
	ck_assert_int_eq(orch, 2);
	ck_assert_int_eq(c1, 3);
	ck_assert_int_eq(filler, 4);
	orch_identity = identity_of(w, orch);
	set_ok(w, orch, c1, 100);

	exit_ok(w, orch);      /* c1 is reparented to init, keeps 100 */
	/* a zombie leader still exists: its pid is reported */
	ck_assert_int_eq(owner_pid_of(w, 100), orch);
	reap_ok(w, orch);
	ck_assert_int_eq(owner_pid_of(w, 100), 0);
	/* after 4, the search wraps to the lowest free number >= 2 */
	imposter = spawn(w, INIT);
	ck_assert_int_eq(imposter, orch);
	ck_assert_uint_ne(identity_of(w, imposter), orch_identity);
	exit_ok(w, filler);
	reap_ok(w, filler);
	t = spawn(w, imposter);

	ck_assert_int_eq(contid_set(w, imposter, t, 100), -ENOTUNIQ);
	ck_assert_uint_eq(contid_of(w, t), CONTID_UNSET);
	ck_assert_int_eq(owner_pid_of(w, 100), 0);
	ck_assert_uint_eq(owner_identity_of(w, 100), orch_identity);
	ck_assert_uint_eq(users_of(w, 100), 1);
	assert_invariants(w);
}
END_TEST

/* ---------------------------------------------------------------- R-SET-7 */

/*
 * "a new ID object is created: owner = writer task, parent = the writer's
 * own current ID object (or none), one reference."
 */
START_TEST(test_R_SET_7_new_object_owner_parent_and_count)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t orch = spawn(w, INIT);
	pid_t c1 = spawn(w, orch);
	pid_t engine, c2;
	uint64_t identity = 0;
	pid_t opid = -1;

	set_ok(w, orch, c1, 100);
	ck_assert_int_eq(contid_id_owner(w, 100, &identity, &opid), 0);
	ck_assert_uint_eq(identity, identity_of(w, orch));
	ck_assert_int_eq(opid, orch);
	ck_assert_uint_eq(parent_of(w, 100), CONTID_UNSET); /* orch has none */
	ck_assert_uint_eq(users_of(w, 100), 1);
	ck_assert_uint_eq(refs_of(w, 100), 1);

	engine = spawn(w, c1);
	c2 = spawn(w, engine);
	ck_assert_uint_eq(users_of(w, 100), 3);
	ck_assert_uint_eq(refs_of(w, 100), 3);
	set_ok(w, engine, c2, 200);
	ck_assert_int_eq(contid_id_owner(w, 200, &identity, &opid), 0);
	ck_assert_uint_eq(identity, identity_of(w, engine));
	ck_assert_int_eq(opid, engine);
	/* the parent is the writer's own ID, 100 */
	ck_assert_uint_eq(parent_of(w, 200), 100);
	ck_assert_uint_eq(users_of(w, 200), 1);
	ck_assert_uint_eq(refs_of(w, 200), 1);
	/* "On success the target's old ID reference is dropped": c2 left 100,
	 * and 200 references its parent */
	ck_assert_uint_eq(users_of(w, 100), 2);
	ck_assert_uint_eq(refs_of(w, 100), 3);
	ck_assert_uint_eq(contid_id_count(w), 2);
	assert_invariants(w);
}
END_TEST

/* "owner = writer task": the exact thread, not its leader. */
START_TEST(test_R_SET_7_owner_is_the_writer_thread)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t p = spawn(w, INIT);
	pid_t c = spawn(w, p);
	pid_t pt = spawn_thread(w, p);
	uint64_t identity = 0;
	pid_t opid = -1;

	set_ok(w, pt, c, 100);
	ck_assert_int_eq(contid_id_owner(w, 100, &identity, &opid), 0);
	ck_assert_int_eq(opid, pt);
	ck_assert_uint_eq(identity, identity_of(w, pt));
	ck_assert_uint_ne(identity, identity_of(w, p));
	/* a non-leader thread is gone as soon as it exits */
	exit_ok(w, pt);
	ck_assert_int_eq(contid_id_owner(w, 100, &identity, &opid), 0);
	ck_assert_int_eq(opid, 0);
	assert_invariants(w);
}
END_TEST

/* The re-set drops the old reference; an old object left with none is freed. */
START_TEST(test_R_SET_7_old_object_freed_by_reset)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t p = spawn(w, INIT);
	pid_t c = spawn(w, p);
	pid_t pt;

	set_ok(w, p, c, 100);
	pt = spawn_thread(w, p);   /* p has no ID, so neither has pt */
	set_ok(w, pt, c, 200);     /* nesting through the owner's process */
	assert_no_object(w, 100);
	ck_assert_uint_eq(parent_of(w, 200), CONTID_UNSET);
	ck_assert_uint_eq(contid_id_count(w), 1);
	ck_assert_uint_eq(users_of(w, 200), 1);
	/* 100 is free again: anyone may create it */
	pid_t d = spawn(w, INIT);
	set_ok(w, INIT, d, 100);
	ck_assert_int_eq(owner_pid_of(w, 100), INIT);
	assert_invariants(w);
}
END_TEST

/* ----------------------------------------------------------------- suite */

Suite *suite_write_rules(void)
{
	Suite *s = suite_create("write-rules");
	TCase *tc;

	tc = world_tcase(s, "R-SET-0");
	tcase_add_test(tc, test_R_SET_0_running_target_is_allowed);
	tcase_add_test(tc,
		       test_R_SET_0_released_target_is_ENOPROTOOPT_without_record);

	tc = world_tcase(s, "R-SET-1");
	tcase_add_test(tc, test_R_SET_1_unset_value_is_EINVAL);
	tcase_add_test(tc, test_R_SET_1_largest_settable_value_is_allowed);

	tc = world_tcase(s, "R-SET-2");
	tcase_add_test(tc, test_R_SET_2_writer_without_audit_control_is_EPERM);
	tcase_add_test(tc, test_R_SET_2_capable_or_capcontid_writer_is_allowed);

	tc = world_tcase(s, "R-SET-3");
	tcase_add_test(tc, test_R_SET_3_target_with_child_or_threads_is_EBUSY);
	tcase_add_test(tc,
		       test_R_SET_3_childless_single_threaded_leader_is_allowed);

	tc = world_tcase(s, "R-SET-4");
	tcase_add_test(tc, test_R_SET_4_self_or_non_descendant_is_EXDEV);
	tcase_add_test(tc, test_R_SET_4_strict_descendant_is_allowed);
	tcase_add_test(tc, test_R_SET_4_reparenting_changes_descent);

	tc = world_tcase(s, "R-SET-5");
	tcase_add_test(tc, test_R_SET_5_already_set_without_nesting_is_EEXIST);
	tcase_add_test(tc, test_R_SET_5_nesting_allowed_for_descendant_of_owner);
	tcase_add_test(tc,
		       test_R_SET_5_nesting_allowed_for_other_thread_of_owner_process);
	tcase_add_test(tc, test_R_SET_5_nesting_after_owner_thread_exit);

	tc = world_tcase(s, "R-SET-6");
	tcase_add_test(tc, test_R_SET_6_injection_by_owner);
	tcase_add_test(tc, test_R_SET_6_injection_by_nesting_owner);
	tcase_add_test(tc,
		       test_R_SET_6_existing_value_of_another_owner_is_ENOTUNIQ);
	tcase_add_test(tc, test_R_SET_6_pid_reuser_is_not_owner);

	tc = world_tcase(s, "R-SET-7");
	tcase_add_test(tc, test_R_SET_7_new_object_owner_parent_and_count);
	tcase_add_test(tc, test_R_SET_7_owner_is_the_writer_thread);
	tcase_add_test(tc, test_R_SET_7_old_object_freed_by_reset);

	return s;
}
