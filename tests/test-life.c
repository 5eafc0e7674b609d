/*
 * docs/semantics.md section 6, profile v11: the lifetime of ID objects
 * (R-LIFE): references, ownership, reuse of a freed value, nesting and
 * chains.
 *
 * Every expectation below is derived from the spec text (quoted where it is
 * not obvious) or from a documented library choice (docs/semantics.md,
 * "Choices where the spec is silent").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-helpers.h"
#include "test-suites.h"

#define INIT 1

/* ---------------------------------------------------------------- R-LIFE */

/*
 * "An ID object is referenced by every task that holds it"; R-FORK copies
 * the ID "taking a reference"; R-EXIT: "The task's audit state is released
 * at once (its container ID reference is dropped)".
 */
START_TEST(test_R_LIFE_counts_follow_fork_and_exit)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t orch = spawn(w, INIT);
	pid_t c1 = spawn(w, orch);
	pid_t x, t, y;

	set_ok(w, orch, c1, 100);
	ASSERT_COUNTS(w, 100, 1, 1);
	x = spawn(w, c1);
	ASSERT_COUNTS(w, 100, 2, 2);
	t = spawn_thread(w, c1);
	ASSERT_COUNTS(w, 100, 3, 3);
	y = spawn(w, x);
	ASSERT_COUNTS(w, 100, 4, 4);
	assert_invariants(w);
	/* a leader exiting while its thread runs drops its reference at once */
	exit_ok(w, c1);
	ASSERT_COUNTS(w, 100, 3, 3);
	assert_invariants(w);
	/* a zombie holds nothing */
	exit_ok(w, x);
	ASSERT_COUNTS(w, 100, 2, 2);
	ck_assert_uint_eq(contid_of(w, x), CONTID_UNSET);
	assert_invariants(w);
	exit_ok(w, t);
	ASSERT_COUNTS(w, 100, 1, 1);
	reap_ok(w, x);
	ASSERT_COUNTS(w, 100, 1, 1);
	assert_invariants(w);
	/* "When the count falls to zero the object is freed" */
	exit_ok(w, y);
	assert_no_object(w, 100);
	ck_assert_uint_eq(contid_id_count(w), 0);
	assert_invariants(w);
}
END_TEST

/*
 * "... and by every nested ID object whose parent it is"; R-SET: "On
 * success the target's old ID reference is dropped".
 */
START_TEST(test_R_LIFE_counts_follow_reset_and_nesting)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t orch = spawn(w, INIT);
	pid_t c1 = spawn(w, orch);
	pid_t engine, c2, c3, k;

	set_ok(w, orch, c1, 100);
	engine = spawn(w, c1);
	c2 = spawn(w, engine);
	c3 = spawn(w, engine);
	ASSERT_COUNTS(w, 100, 4, 4);
	set_ok(w, engine, c2, 200);
	ASSERT_COUNTS(w, 100, 3, 4);
	ASSERT_COUNTS(w, 200, 1, 1);
	assert_invariants(w);
	set_ok(w, engine, c3, 200); /* injection by the nesting owner */
	ASSERT_COUNTS(w, 100, 2, 3);
	ASSERT_COUNTS(w, 200, 2, 2);
	k = spawn(w, c2);
	ASSERT_COUNTS(w, 200, 3, 3);
	exit_ok(w, k);
	ASSERT_COUNTS(w, 200, 2, 2);
	exit_ok(w, c2);
	ASSERT_COUNTS(w, 200, 1, 1);
	assert_invariants(w);
	exit_ok(w, c3);
	/* 200 is freed and lets go of its parent */
	assert_no_object(w, 200);
	ASSERT_COUNTS(w, 100, 2, 2);
	ck_assert_uint_eq(contid_id_count(w), 1);
	assert_invariants(w);
}
END_TEST

/* "When the count falls to zero ... its value is free for anyone to create
 * again." */
START_TEST(test_R_LIFE_freed_value_is_free_for_anyone)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t orch = spawn(w, INIT);
	pid_t c1 = spawn(w, orch);
	pid_t c2 = spawn(w, orch);
	pid_t t = spawn(w, INIT);

	set_ok(w, orch, c1, 100);
	ck_assert_int_eq(contid_set(w, INIT, t, 100), -ENOTUNIQ);
	exit_ok(w, c1);
	assert_no_object(w, 100);
	set_ok(w, INIT, t, 100);
	ck_assert_int_eq(owner_pid_of(w, 100), INIT);
	ck_assert_uint_eq(owner_identity_of(w, 100), identity_of(w, INIT));
	ck_assert_uint_eq(parent_of(w, 100), CONTID_UNSET);
	ASSERT_COUNTS(w, 100, 1, 1);
	/* the former owner is nobody special now */
	ck_assert_int_eq(contid_set(w, orch, c2, 100), -ENOTUNIQ);
	assert_invariants(w);
}
END_TEST

/*
 * "After the owner exits, the object lives on while referenced, but nobody
 * can inject into it ..., and nobody else can create it (ENOTUNIQ) until it
 * is freed."
 */
START_TEST(test_R_LIFE_owner_exit_object_lives_on)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t orch = spawn(w, INIT);
	pid_t c1 = spawn(w, orch);
	pid_t f = spawn(w, INIT);
	uint64_t orch_identity = identity_of(w, orch);

	set_ok(w, orch, c1, 100);
	exit_ok(w, orch);
	ASSERT_COUNTS(w, 100, 1, 1);
	ck_assert_uint_eq(contid_of(w, c1), 100);
	/* a leader stays a zombie until reaped (library choice) */
	ck_assert_int_eq(owner_pid_of(w, 100), orch);
	ck_assert_int_eq(contid_set(w, INIT, f, 100), -ENOTUNIQ);
	reap_ok(w, orch);
	ck_assert_int_eq(owner_pid_of(w, 100), 0);
	ck_assert_uint_eq(owner_identity_of(w, 100), orch_identity);
	ck_assert_int_eq(contid_set(w, INIT, f, 100), -ENOTUNIQ);
	assert_invariants(w);
	exit_ok(w, c1);
	assert_no_object(w, 100);
	set_ok(w, INIT, f, 100);
	ck_assert_int_eq(owner_pid_of(w, 100), INIT);
	assert_invariants(w);
}
END_TEST

/* "The owner is the exact writer task (thread) that created the object." */
START_TEST(test_R_LIFE_owner_thread_exit_leaves_no_owner)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t p = spawn(w, INIT);
	pid_t c = spawn(w, p);
	pid_t c2 = spawn(w, p);
	pid_t pt = spawn_thread(w, p);

	set_ok(w, pt, c, 100);
	/* the leader of the owner's process is not the owner */
	ck_assert_int_eq(contid_set(w, p, c2, 100), -ENOTUNIQ);
	set_ok(w, pt, c2, 100);
	exit_ok(w, c2);
	exit_ok(w, pt);
	/* a non-leader thread is gone as soon as it exits */
	ck_assert_int_eq(owner_pid_of(w, 100), 0);
	ASSERT_COUNTS(w, 100, 1, 1);
	reap_ok(w, c2);
	c2 = spawn(w, p);
	ck_assert_int_eq(contid_set(w, p, c2, 100), -ENOTUNIQ);
	assert_invariants(w);
	exit_ok(w, c);
	assert_no_object(w, 100);
	set_ok(w, p, c2, 100);
	ck_assert_int_eq(owner_pid_of(w, 100), p);
	assert_invariants(w);
}
END_TEST

/* "(a task that later gets the owner's pid number is not the owner)" */
START_TEST(test_R_LIFE_pid_reuser_cannot_inject_until_freed)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t orch, c1, filler, reuser, t;
	uint64_t orch_identity;

	/* pids 2, 3 and 4 only */
	ck_assert_int_eq(contid_world_set_pid_max(w, 5), 0);
	orch = spawn(w, INIT);
	c1 = spawn(w, orch);
	filler = spawn(w, INIT);
	orch_identity = identity_of(w, orch);
	set_ok(w, orch, c1, 100);
	exit_ok(w, orch);
	reap_ok(w, orch);
	/* past pid_max - 1 the search wraps to the lowest free number >= 2 */
	reuser = spawn(w, INIT);
	ck_assert_int_eq(reuser, orch);
	exit_ok(w, filler);
	reap_ok(w, filler);
	t = spawn(w, reuser);
	ck_assert_int_eq(contid_set(w, reuser, t, 100), -ENOTUNIQ);
	ck_assert_uint_eq(owner_identity_of(w, 100), orch_identity);
	ck_assert_int_eq(owner_pid_of(w, 100), 0);
	assert_invariants(w);
	/* freed: now the reuser may create it, as itself */
	exit_ok(w, c1);
	assert_no_object(w, 100);
	set_ok(w, reuser, t, 100);
	ck_assert_uint_eq(owner_identity_of(w, 100), identity_of(w, reuser));
	ck_assert_uint_ne(owner_identity_of(w, 100), orch_identity);
	ck_assert_int_eq(owner_pid_of(w, 100), reuser);
	assert_invariants(w);
}
END_TEST

/*
 * Nested objects reference their parent, so an outer value stays (and
 * stays reserved) while an inner one refers to it, even with no task
 * holding it.
 */
START_TEST(test_R_LIFE_nested_object_holds_parent)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t orch = spawn(w, INIT);
	pid_t c1 = spawn(w, orch);
	pid_t f = spawn(w, INIT);
	pid_t engine, c2, c4;

	set_ok(w, orch, c1, 100);
	engine = spawn(w, c1);
	c2 = spawn(w, engine);
	set_ok(w, engine, c2, 200);
	exit_ok(w, engine);
	exit_ok(w, c1);
	ASSERT_COUNTS(w, 100, 0, 1);
	ASSERT_COUNTS(w, 200, 1, 1);
	ck_assert_uint_eq(parent_of(w, 200), 100);
	assert_chain(w, c2, "200,^100");
	assert_invariants(w);
	/* still an existing object: nobody else may create it */
	ck_assert_int_eq(contid_set(w, INIT, f, 100), -ENOTUNIQ);
	/* its owner is alive and may inject */
	c4 = spawn(w, orch);
	set_ok(w, orch, c4, 100);
	ASSERT_COUNTS(w, 100, 1, 2);
	assert_invariants(w);
	exit_ok(w, c2);
	assert_no_object(w, 200);
	ASSERT_COUNTS(w, 100, 1, 1);
	exit_ok(w, c4);
	assert_no_object(w, 100);
	ck_assert_uint_eq(contid_id_count(w), 0);
	set_ok(w, INIT, f, 100);
	assert_invariants(w);
}
END_TEST

/*
 * "The nesting chain of a task is its ID, then its ID's parent, and so on";
 * section 8: "Chains print as ID(,^PARENT)*, innermost first; no ID prints
 * as -1."  Three levels, then everything is freed from the inside out.
 */
START_TEST(test_R_LIFE_chain_three_deep)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t orch = spawn(w, INIT);
	pid_t c1 = spawn(w, orch);
	pid_t f = spawn(w, INIT);
	pid_t engine, c2, e2, c3;

	set_ok(w, orch, c1, 100);
	engine = spawn(w, c1);
	c2 = spawn(w, engine);
	set_ok(w, engine, c2, 200);
	e2 = spawn(w, c2);
	c3 = spawn(w, e2);
	/* e2 descends from engine, the owner of 200 that c3 holds */
	set_ok(w, e2, c3, 300);
	assert_chain(w, orch, "-1");
	assert_chain(w, c1, "100");
	assert_chain(w, engine, "100");
	assert_chain(w, c2, "200,^100");
	assert_chain(w, e2, "200,^100");
	assert_chain(w, c3, "300,^200,^100");
	ck_assert_uint_eq(parent_of(w, 300), 200);
	ck_assert_uint_eq(parent_of(w, 200), 100);
	ck_assert_uint_eq(parent_of(w, 100), CONTID_UNSET);
	ASSERT_COUNTS(w, 300, 1, 1);
	ASSERT_COUNTS(w, 200, 2, 3);
	ASSERT_COUNTS(w, 100, 2, 3);
	assert_invariants(w);

	exit_ok(w, e2);
	exit_ok(w, c2);
	exit_ok(w, engine);
	exit_ok(w, c1);
	ASSERT_COUNTS(w, 200, 0, 1);
	ASSERT_COUNTS(w, 100, 0, 1);
	assert_chain(w, c3, "300,^200,^100");
	ck_assert_int_eq(contid_set(w, INIT, f, 200), -ENOTUNIQ);
	ck_assert_uint_eq(contid_id_count(w), 3);
	assert_invariants(w);
	exit_ok(w, c3);
	ck_assert_uint_eq(contid_id_count(w), 0);
	assert_no_object(w, 300);
	assert_no_object(w, 200);
	assert_no_object(w, 100);
	assert_chain(w, c3, "-1"); /* a zombie has no ID */
	assert_invariants(w);
}
END_TEST

/* contid_task_chain() formats like snprintf (contid.h). */
START_TEST(test_R_LIFE_chain_truncates_like_snprintf)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t c1 = spawn(w, INIT);
	pid_t e, c2;
	char buf[8];

	set_ok(w, INIT, c1, 100);
	e = spawn(w, c1);
	c2 = spawn(w, e);
	set_ok(w, e, c2, 200);
	memset(buf, 'Z', sizeof(buf));
	ck_assert_int_eq(contid_task_chain(w, c2, buf, 4), 8);
	ck_assert_str_eq(buf, "200");
	ck_assert_int_eq(buf[4], 'Z');
	memset(buf, 'Z', sizeof(buf));
	ck_assert_int_eq(contid_task_chain(w, c2, buf, 0), 8);
	ck_assert_int_eq(buf[0], 'Z');
	ck_assert_int_eq(contid_task_chain(w, INIT, buf, sizeof(buf)), 2);
	ck_assert_str_eq(buf, "-1");
}
END_TEST

/* ----------------------------------------------------------------- suite */

Suite *suite_life(void)
{
	Suite *s = suite_create("life");
	TCase *tc;

	tc = world_tcase(s, "R-LIFE");
	tcase_add_test(tc, test_R_LIFE_counts_follow_fork_and_exit);
	tcase_add_test(tc, test_R_LIFE_counts_follow_reset_and_nesting);
	tcase_add_test(tc, test_R_LIFE_freed_value_is_free_for_anyone);
	tcase_add_test(tc, test_R_LIFE_owner_exit_object_lives_on);
	tcase_add_test(tc, test_R_LIFE_owner_thread_exit_leaves_no_owner);
	tcase_add_test(tc, test_R_LIFE_pid_reuser_cannot_inject_until_freed);
	tcase_add_test(tc, test_R_LIFE_nested_object_holds_parent);
	tcase_add_test(tc, test_R_LIFE_chain_three_deep);
	tcase_add_test(tc, test_R_LIFE_chain_truncates_like_snprintf);

	return s;
}
