/*
 * docs/semantics.md section 7, profile v11: the ID list of each network
 * namespace, as fork, unshare, setns, exit and ID changes update it.
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

/* ------------------------------------------------------------ netns-list */

/*
 * Section 7: "a value enters at the front when its count goes from 0 to 1,
 * stays in place while the count changes, and leaves when it drops to 0."
 */
START_TEST(test_netns_list_front_insertion_and_stable_order)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t a = spawn(w, INIT);
	pid_t b = spawn(w, INIT);
	pid_t c = spawn(w, INIT);
	pid_t d = spawn(w, INIT);
	pid_t e = spawn(w, INIT);
	pid_t a2;

	ASSERT_NETNS_EMPTY(w, INIT);
	set_ok(w, INIT, a, 100);
	ASSERT_NETNS(w, INIT, 100);
	set_ok(w, INIT, b, 200);
	ASSERT_NETNS(w, INIT, 200, 100);
	set_ok(w, INIT, c, 300);
	ASSERT_NETNS(w, INIT, 300, 200, 100);
	set_ok(w, INIT, d, 200);        /* count 2: stays */
	ASSERT_NETNS(w, INIT, 300, 200, 100);
	assert_invariants(w);
	exit_ok(w, b);                  /* count 1: stays */
	ASSERT_NETNS(w, INIT, 300, 200, 100);
	exit_ok(w, d);                  /* count 0: leaves */
	ASSERT_NETNS(w, INIT, 300, 100);
	assert_invariants(w);
	set_ok(w, INIT, e, 200);        /* back, at the front */
	ASSERT_NETNS(w, INIT, 200, 300, 100);
	a2 = spawn(w, a);               /* fork: 100 count 2, stays */
	ASSERT_NETNS(w, INIT, 200, 300, 100);
	exit_ok(w, a);
	ASSERT_NETNS(w, INIT, 200, 300, 100);
	exit_ok(w, a2);
	ASSERT_NETNS(w, INIT, 200, 300);
	/* every task of the namespace sees the same list */
	ASSERT_NETNS(w, c, 200, 300);
	assert_invariants(w);
}
END_TEST

/* R-FORK-NS: NEWNET puts the child in a new namespace. */
START_TEST(test_netns_list_fork_newnet)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t a = spawn(w, INIT);
	pid_t b = spawn(w, INIT);
	pid_t n, n2, m, q;

	set_ok(w, INIT, a, 100);
	set_ok(w, INIT, b, 200);
	ASSERT_NETNS(w, INIT, 200, 100);
	n = fork_ok(w, a, CONTID_CLONE_NEWNET);
	ASSERT_NETNS(w, n, 100);
	ASSERT_NETNS(w, INIT, 200, 100);
	assert_invariants(w);
	n2 = spawn(w, n);
	m = spawn(w, n);
	ASSERT_NETNS(w, n2, 100);
	/* nesting: n is not the owner (init) and descends from it */
	set_ok(w, n, m, 150);
	ASSERT_NETNS(w, m, 150, 100);
	ASSERT_NETNS(w, INIT, 200, 100);
	exit_ok(w, n2);
	ASSERT_NETNS(w, m, 150, 100);
	exit_ok(w, n);
	ASSERT_NETNS(w, m, 150);
	ASSERT_NETNS(w, INIT, 200, 100);
	assert_invariants(w);
	/* a task without ID makes an empty namespace */
	q = fork_ok(w, INIT, CONTID_CLONE_NEWNET);
	ASSERT_NETNS_EMPTY(w, q);
	assert_invariants(w);
}
END_TEST

/* R-UNSHARE NET: the task leaves its namespace for a new one. */
START_TEST(test_netns_list_unshare_net)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t a = spawn(w, INIT);
	pid_t b = spawn(w, INIT);
	pid_t c = spawn(w, INIT);
	pid_t d = spawn(w, INIT);

	set_ok(w, INIT, a, 100);
	set_ok(w, INIT, b, 200);
	set_ok(w, INIT, c, 100);
	ASSERT_NETNS(w, INIT, 200, 100);
	ck_assert_int_eq(contid_unshare(w, c, CONTID_NS_NET), 0);
	ASSERT_NETNS(w, INIT, 200, 100);
	ASSERT_NETNS(w, c, 100);
	assert_invariants(w);
	exit_ok(w, a);
	ASSERT_NETNS(w, INIT, 200);
	ck_assert_int_eq(contid_unshare(w, b, CONTID_NS_NET), 0);
	ASSERT_NETNS_EMPTY(w, INIT);
	ASSERT_NETNS(w, b, 200);
	ASSERT_NETNS(w, c, 100);
	ck_assert_int_eq(contid_unshare(w, d, CONTID_NS_NET), 0);
	ASSERT_NETNS_EMPTY(w, d);
	assert_invariants(w);
}
END_TEST

/* R-SETNS NET: leave one list, join the other; joining one's own namespace
 * "succeeds and changes nothing". */
START_TEST(test_netns_list_setns_net)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t a = spawn(w, INIT);
	pid_t b = spawn(w, INIT);
	pid_t c = spawn(w, INIT);

	ck_assert_int_eq(contid_unshare(w, c, CONTID_NS_NET), 0);
	set_ok(w, INIT, a, 100);
	set_ok(w, INIT, b, 200);
	ASSERT_NETNS(w, INIT, 200, 100);
	ASSERT_NETNS_EMPTY(w, c);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_NET, c), 0);
	ASSERT_NETNS(w, INIT, 200);
	ASSERT_NETNS(w, c, 100);
	ck_assert_int_eq(contid_setns(w, b, CONTID_NS_NET, c), 0);
	ASSERT_NETNS_EMPTY(w, INIT);
	ASSERT_NETNS(w, c, 200, 100);
	assert_invariants(w);
	/* already a member: nothing moves (100 is not brought to the front) */
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_NET, c), 0);
	ASSERT_NETNS(w, c, 200, 100);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_NET, b), 0);
	ASSERT_NETNS(w, c, 200, 100);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_NET, INIT), 0);
	ASSERT_NETNS(w, c, 200);
	ASSERT_NETNS(w, INIT, 100);
	ck_assert_int_eq(contid_setns(w, b, CONTID_NS_NET, INIT), 0);
	ASSERT_NETNS_EMPTY(w, c);
	ASSERT_NETNS(w, INIT, 200, 100);
	assert_invariants(w);
}
END_TEST

/* R-EXIT releases the ID at once, even for a zombie leader. */
START_TEST(test_netns_list_exit)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t a = spawn(w, INIT);
	pid_t b = spawn(w, INIT);
	pid_t at;

	set_ok(w, INIT, a, 100);
	at = spawn_thread(w, a);
	set_ok(w, INIT, b, 200);
	ASSERT_NETNS(w, INIT, 200, 100);
	exit_ok(w, a);    /* zombie leader, its thread still holds 100 */
	ASSERT_NETNS(w, INIT, 200, 100);
	ASSERT_NETNS(w, at, 200, 100);
	exit_ok(w, at);
	ASSERT_NETNS(w, INIT, 200);
	exit_ok(w, b);
	ASSERT_NETNS_EMPTY(w, INIT);
	assert_invariants(w);
}
END_TEST

/*
 * An ID change moves the task from one value to the other.  The list counts
 * "IDs held by its member tasks": a value kept alive only as a nesting
 * parent is held by no task and leaves.
 */
START_TEST(test_netns_list_id_change)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t a = spawn(w, INIT);
	pid_t b = spawn(w, INIT);
	pid_t e, t, c, c2;

	set_ok(w, INIT, a, 100);
	e = spawn(w, a);
	t = spawn(w, e);
	set_ok(w, INIT, b, 200);
	ASSERT_NETNS(w, INIT, 200, 100);
	set_ok(w, e, t, 300);
	ASSERT_NETNS(w, INIT, 300, 200, 100);
	assert_invariants(w);
	exit_ok(w, a);
	exit_ok(w, e);
	ASSERT_COUNTS(w, 100, 0, 1);
	ASSERT_NETNS(w, INIT, 300, 200);
	/* nesting under 200, then injection: 400 stays in place */
	c = spawn(w, b);
	c2 = spawn(w, b);
	set_ok(w, b, c, 400);
	ASSERT_NETNS(w, INIT, 400, 300, 200);
	set_ok(w, b, c2, 400);
	ASSERT_NETNS(w, INIT, 400, 300, 200);
	ASSERT_COUNTS(w, 400, 2, 2);
	assert_invariants(w);
}
END_TEST

/* ----------------------------------------------------------------- suite */

Suite *suite_netns_lists(void)
{
	Suite *s = suite_create("netns-lists");
	TCase *tc;

	tc = world_tcase(s, "netns-list");
	tcase_add_test(tc, test_netns_list_front_insertion_and_stable_order);
	tcase_add_test(tc, test_netns_list_fork_newnet);
	tcase_add_test(tc, test_netns_list_unshare_net);
	tcase_add_test(tc, test_netns_list_setns_net);
	tcase_add_test(tc, test_netns_list_exit);
	tcase_add_test(tc, test_netns_list_id_change);

	return s;
}
