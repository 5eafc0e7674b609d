/*
 * docs/semantics.md section 8: the records of a capcontid write
 * (SET_CAPCONTID, then CONTAINER_ID and SYSCALL), compared as whole lines
 * under the conventions listed at the top of test-records.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-helpers.h"
#include "test-suites.h"

/* ------------------------------------------------------- SET_CAPCONTID */

START_TEST(test_records_capcontid_success_logs_op_and_syscall)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2 */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_set_capcontid(tw->w, 2, 3, 1), 0); /* op 3 */
	ck_assert_uint_eq(tw->nrecords, 2);
	ck_assert_int_eq(tw->records[0].type, CONTID_RECORD_SET_CAPCONTID);
	ck_assert_str_eq(tw->records[0].line,
		"type=SET_CAPCONTID msg=audit(1700000000.002:1): "
		"opid=3 capcontid=1 old-capcontid=0");
	ck_assert_int_eq(tw->records[1].type, CONTID_RECORD_SYSCALL);
	ck_assert_str_eq(tw->records[1].line,
		"type=SYSCALL msg=audit(1700000000.002:1): arch=c000003e "
		"syscall=1 success=yes exit=1 a0=3 a1=0 a2=1 a3=0 items=0 "
		"ppid=1 pid=2 auid=4294967295 uid=0 gid=0 euid=0 suid=0 "
		"fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 "
		"comm=\"init\" exe=\"/usr/bin/init\" key=(null)");

	/* op 4: "4294967295\n" (11 bytes = 0xb): old-capcontid is 1 now */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_write_capcontid(tw->w, 2, 3, "4294967295\n", 11),
			 11);
	rec(&e[0], 1022, 4, 2, "opid=3 capcontid=4294967295 old-capcontid=1");
	sc_write(f, sizeof(f), 1, 11, 11, 1, 2, 0, "init", 0);
	rec(&e[1], 1300, 4, 2, f);
	expect(tw, e, 2);

	/* op 5: writing 0 takes the right away again, still logged */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_set_capcontid(tw->w, 2, 3, 0), 0);
	rec(&e[0], 1022, 5, 3, "opid=3 capcontid=0 old-capcontid=4294967295");
	sc_write(f, sizeof(f), 1, 1, 1, 1, 2, 0, "init", 0);
	rec(&e[1], 1300, 5, 3, f);
	expect(tw, e, 2);
	tw_free(tw);
}
END_TEST

/* Section 5 checks: ENOPROTOOPT (first, no record), EXDEV, EPERM: the
 * last two are "past its first check" and logged with success=no. */
START_TEST(test_records_capcontid_refused_exdev_logs_op_and_syscall)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1: orch */
	fork_expect(tw->w, 1, 0, 3);                      /* op 2: other */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_set_capcontid(tw->w, 2, 3, 5), -EXDEV); /* op 3 */
	rec(&e[0], 1022, 3, 1, "opid=3 capcontid=5 old-capcontid=0");
	sc_write(f, sizeof(f), 0, -EXDEV, 1, 1, 2, 0, "init", 0);
	rec(&e[1], 1300, 3, 1, f);
	expect(tw, e, 2);

	/* op 4: the writer itself is not a strict descendant either */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_set_capcontid(tw->w, 2, 2, 7), -EXDEV);
	rec(&e[0], 1022, 4, 2, "opid=2 capcontid=7 old-capcontid=0");
	sc_write(f, sizeof(f), 0, -EXDEV, 1, 1, 2, 0, "init", 0);
	rec(&e[1], 1300, 4, 2, f);
	expect(tw, e, 2);
	tw_free(tw);
}
END_TEST

START_TEST(test_records_capcontid_refused_eperm_logs_op_and_syscall)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2 */
	ck_assert_int_eq(contid_setuid(tw->w, 2, 1000), 0); /* op 3 */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_set_capcontid(tw->w, 2, 3, 1), -EPERM); /* op 4 */
	rec(&e[0], 1022, 4, 1, "opid=3 capcontid=1 old-capcontid=0");
	sc_write(f, sizeof(f), 0, -EPERM, 1, 1, 2, 1000, "init", 0);
	rec(&e[1], 1300, 4, 1, f);
	expect(tw, e, 2);
	ck_assert_str_eq(e[1].line,
		"type=SYSCALL msg=audit(1700000000.003:1): arch=c000003e "
		"syscall=1 success=no exit=-1 a0=3 a1=0 a2=1 a3=0 items=0 "
		"ppid=1 pid=2 auid=4294967295 uid=1000 gid=0 euid=1000 "
		"suid=1000 fsuid=1000 egid=0 sgid=0 fsgid=0 tty=(none) "
		"ses=4294967295 comm=\"init\" exe=\"/usr/bin/init\" key=(null)");
	tw_free(tw);
}
END_TEST

/* "every ID or capcontid write that produced a record" is an audited
 * syscall: a writer holding an ID adds CONTAINER_ID and record=1. */
START_TEST(test_records_capcontid_writer_with_id_logs_container_id)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[3];
	char f[768];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1: orch */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2: c1 */
	set_ok(tw->w, 2, 3, 100);                         /* op 3, serial 1 */
	fork_expect(tw->w, 3, 0, 4);                      /* op 4: g */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_set_capcontid(tw->w, 3, 4, 1), 0); /* op 5 */
	rec(&e[0], 1022, 5, 2, "opid=4 capcontid=1 old-capcontid=0");
	rec(&e[1], 1336, 5, 2, "record=1 contid=100");
	sc_write(f, sizeof(f), 1, 1, 1, 2, 3, 0, "init", 1);
	rec(&e[2], 1300, 5, 2, f);
	expect(tw, e, 3);

	/* op 6: refused (EXDEV, orch is not below c1), still logged */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_set_capcontid(tw->w, 3, 2, 1), -EXDEV);
	rec(&e[0], 1022, 6, 3, "opid=2 capcontid=1 old-capcontid=0");
	rec(&e[1], 1336, 6, 3, "record=1 contid=100");
	sc_write(f, sizeof(f), 0, -EXDEV, 1, 2, 3, 0, "init", 1);
	rec(&e[2], 1300, 6, 3, f);
	expect(tw, e, 3);
	tw_free(tw);
}
END_TEST

/* A delegated writer (capcontid, no CAP_AUDIT_CONTROL) logs normally. */
START_TEST(test_records_capcontid_delegated_writer_sets)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1: orch */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2: c1 */
	ck_assert_int_eq(contid_setuid(tw->w, 2, 1000), 0); /* op 3 */
	ck_assert_int_eq(contid_set_capcontid(tw->w, 1, 2, 1), 0); /* op 4, s1 */
	tw_records_clear(tw);
	set_ok(tw->w, 2, 3, 100);                         /* op 5, serial 2 */
	rec(&e[0], 1020, 5, 2, "op=set opid=3 contid=100 old-contid=-1");
	sc_write(f, sizeof(f), 1, 3, 3, 1, 2, 1000, "init", 0);
	rec(&e[1], 1300, 5, 2, f);
	expect(tw, e, 2);
	tw_free(tw);
}
END_TEST

Suite *suite_records_capcontid(void)
{
	Suite *s = suite_create("records-capcontid");
	TCase *tc;

	tc = tcase_create("records-SET_CAPCONTID");
	tcase_add_test(tc, test_records_capcontid_success_logs_op_and_syscall);
	tcase_add_test(tc, test_records_capcontid_refused_exdev_logs_op_and_syscall);
	tcase_add_test(tc, test_records_capcontid_refused_eperm_logs_op_and_syscall);
	tcase_add_test(tc, test_records_capcontid_writer_with_id_logs_container_id);
	tcase_add_test(tc, test_records_capcontid_delegated_writer_sets);
	suite_add_tcase(s, tc);

	return s;
}
