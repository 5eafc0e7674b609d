/*
 * docs/semantics.md section 8: CONTAINER_OP op=drop, the records of the ID
 * objects an exit frees, innermost first, in an event of their own.  Whole
 * lines are compared, under the conventions listed at the top of
 * test-records.c.
 */
#include <stdio.h>
#include <string.h>

#include "test-helpers.h"
#include "test-suites.h"

/* ----------------------------------------------- CONTAINER_OP op=drop */

START_TEST(test_records_drop_on_exit_one_event_without_syscall)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[1];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2 */
	set_ok(tw->w, 2, 3, 100);                         /* op 3, serial 1 */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_exit(tw->w, 3), 0);       /* op 4, serial 2 */
	rec(&e[0], 1020, 4, 2, "op=drop opid=3 contid=-1 old-contid=100");
	expect(tw, e, 1);
	ck_assert_uint_eq(contid_id_count(tw->w), 0);
	tw_free(tw);
}
END_TEST

/*
 * "one record per freed object, innermost first, all in one event of
 * their own": c2's exit frees 200 and with it the last reference to 100.
 */
START_TEST(test_records_drop_nested_innermost_first)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];

	build_nested(tw->w);
	set_ok(tw->w, 4, 5, 200);                         /* op 6, serial 2 */
	tw_records_clear(tw);
	/* c1 and engine exit (ops 7, 8): 100 stays, referenced by 200 */
	ck_assert_int_eq(contid_exit(tw->w, 3), 0);
	ck_assert_int_eq(contid_exit(tw->w, 4), 0);
	expect_none(tw);
	ck_assert_uint_eq(contid_id_count(tw->w), 2);
	ck_assert_int_eq(contid_exit(tw->w, 5), 0);       /* op 9, serial 3 */
	rec(&e[0], 1020, 9, 3, "op=drop opid=5 contid=-1 old-contid=200,^100");
	rec(&e[1], 1020, 9, 3, "op=drop opid=5 contid=-1 old-contid=100");
	expect(tw, e, 2);
	ck_assert_uint_eq(contid_id_count(tw->w), 0);
	tw_free(tw);
}
END_TEST

/* Three levels freed by one exit: three records, innermost first, each
 * with the chain the freed object had. */
START_TEST(test_records_drop_three_levels_innermost_first)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[3];

	build_nested(tw->w);
	set_ok(tw->w, 4, 5, 200);                         /* op 6, serial 2 */
	fork_expect(tw->w, 5, 0, 6);                      /* op 7: inner */
	fork_expect(tw->w, 6, 0, 7);                      /* op 8: c3 */
	set_ok(tw->w, 6, 7, 300);                         /* op 9, serial 3 */
	tw_records_clear(tw);
	/* ops 10..13: c1, engine, c2, inner exit; every object is still
	 * referenced (100 by 200, 200 by 300, 300 by c3) */
	for (pid_t p = 3; p <= 6; p++)
		ck_assert_int_eq(contid_exit(tw->w, p), 0);
	expect_none(tw);
	ck_assert_uint_eq(contid_id_count(tw->w), 3);
	ck_assert_int_eq(contid_exit(tw->w, 7), 0);       /* op 14, serial 4 */
	rec(&e[0], 1020, 14, 4,
	    "op=drop opid=7 contid=-1 old-contid=300,^200,^100");
	rec(&e[1], 1020, 14, 4, "op=drop opid=7 contid=-1 old-contid=200,^100");
	rec(&e[2], 1020, 14, 4, "op=drop opid=7 contid=-1 old-contid=100");
	expect(tw, e, 3);
	ck_assert_uint_eq(contid_id_count(tw->w), 0);
	tw_free(tw);
}
END_TEST

/* "op=drop opid=<exiting tgid>": the last holder is a thread of c (3). */
START_TEST(test_records_drop_thread_exit_logs_tgid)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[1];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2: c */
	set_ok(tw->w, 2, 3, 100);                         /* op 3, serial 1 */
	fork_expect(tw->w, 3, CONTID_CLONE_THREAD, 4);    /* op 4: thread */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_exit(tw->w, 3), 0);       /* op 5: leader */
	expect_none(tw);
	ck_assert_int_eq(contid_exit(tw->w, 4), 0);       /* op 6, serial 2 */
	rec(&e[0], 1020, 6, 2, "op=drop opid=3 contid=-1 old-contid=100");
	expect(tw, e, 1);
	tw_free(tw);
}
END_TEST

/* An exit that frees nothing logs nothing and takes no serial. */
START_TEST(test_records_drop_none_while_referenced)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[1];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2: c1 */
	fork_expect(tw->w, 2, 0, 4);                      /* op 3: c2 */
	set_ok(tw->w, 2, 3, 100);                         /* op 4, serial 1 */
	set_ok(tw->w, 2, 4, 100);                         /* op 5, serial 2 */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_exit(tw->w, 3), 0);       /* op 6 */
	ck_assert_int_eq(contid_exit(tw->w, 2), 0);       /* op 7: owner */
	expect_none(tw);
	ck_assert_int_eq(contid_exit(tw->w, 4), 0);       /* op 8, serial 3 */
	rec(&e[0], 1020, 8, 3, "op=drop opid=4 contid=-1 old-contid=100");
	expect(tw, e, 1);
	tw_free(tw);
}
END_TEST

/* "an ID freed by a re-set logs nothing": mid nests 200 over orch's 100,
 * c1 held 100's only reference. */
START_TEST(test_records_drop_none_when_reset_frees)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1: orch */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2: mid */
	fork_expect(tw->w, 3, 0, 4);                      /* op 3: c1 */
	set_ok(tw->w, 2, 4, 100);                         /* op 4, serial 1 */
	tw_records_clear(tw);
	set_ok(tw->w, 3, 4, 200);                         /* op 5, serial 2 */
	rec(&e[0], 1020, 5, 2, "op=set opid=4 contid=200 old-contid=100");
	sc_write(f, sizeof(f), 1, 3, 3, 2, 3, 0, "init", 0);
	rec(&e[1], 1300, 5, 2, f);
	expect(tw, e, 2);
	ck_assert_uint_eq(contid_id_count(tw->w), 1);
	ck_assert_int_eq(contid_id_owner(tw->w, 100, NULL, NULL), -ENOENT);

	/* op 6: c1's exit frees 200, whose parent is mid's (absent) ID */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_exit(tw->w, 4), 0);
	rec(&e[0], 1020, 6, 3, "op=drop opid=4 contid=-1 old-contid=200");
	expect(tw, e, 1);
	tw_free(tw);
}
END_TEST

/* ---------------------------------------------------------------- suite */

Suite *suite_records_drop(void)
{
	Suite *s = suite_create("records-drop");
	TCase *tc;

	tc = tcase_create("records-CONTAINER_OP-drop");
	tcase_add_test(tc, test_records_drop_on_exit_one_event_without_syscall);
	tcase_add_test(tc, test_records_drop_nested_innermost_first);
	tcase_add_test(tc, test_records_drop_three_levels_innermost_first);
	tcase_add_test(tc, test_records_drop_thread_exit_logs_tgid);
	tcase_add_test(tc, test_records_drop_none_while_referenced);
	tcase_add_test(tc, test_records_drop_none_when_reset_frees);
	suite_add_tcase(s, tc);

	return s;
}
