/*
 * docs/semantics.md section 8: the records of the two operations that only
 * log, an audited syscall (`event`: CONTAINER_ID then SYSCALL) and a packet
 * (CONTAINER_ID listing the namespace's chains, then NETFILTER_PKT).  Whole
 * lines are compared, under the conventions listed at the top of
 * test-records.c.
 */
#include <stdio.h>
#include <string.h>

#include "test-helpers.h"
#include "test-suites.h"

/* ---------------------------------------------------- SYSCALL (event) */

START_TEST(test_records_event_init_literal)
{
	struct test_world *tw = tw_new();

	ck_assert_int_eq(contid_event(tw->w, 1), 0);      /* op 1 */
	ck_assert_uint_eq(tw->nrecords, 1);
	ck_assert_int_eq(tw->records[0].type, CONTID_RECORD_SYSCALL);
	ck_assert_str_eq(tw->records[0].line,
		"type=SYSCALL msg=audit(1700000000.000:1): arch=c000003e "
		"syscall=257 success=yes exit=3 a0=ffffff9c a1=0 a2=0 a3=0 "
		"items=0 ppid=0 pid=1 auid=4294967295 uid=0 gid=0 euid=0 "
		"suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) "
		"ses=4294967295 comm=\"init\" exe=\"/usr/bin/init\" key=(null)");
	tw_free(tw);
}
END_TEST

START_TEST(test_records_event_with_id_container_id_first)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768];

	build_nested(tw->w);
	set_ok(tw->w, 4, 5, 200);                         /* op 6, serial 2 */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_event(tw->w, 5), 0);      /* op 7, serial 3 */
	ck_assert_uint_eq(tw->nrecords, 2);
	ck_assert_int_eq(tw->records[0].type, CONTID_RECORD_CONTAINER_ID);
	ck_assert_str_eq(tw->records[0].line,
		"type=CONTAINER_ID msg=audit(1700000000.006:3): "
		"record=1 contid=200,^100");
	ck_assert_int_eq(tw->records[1].type, CONTID_RECORD_SYSCALL);
	ck_assert_str_eq(tw->records[1].line,
		"type=SYSCALL msg=audit(1700000000.006:3): arch=c000003e "
		"syscall=257 success=yes exit=3 a0=ffffff9c a1=0 a2=0 a3=0 "
		"items=0 ppid=4 pid=5 auid=4294967295 uid=0 gid=0 euid=0 "
		"suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) "
		"ses=4294967295 comm=\"init\" exe=\"/usr/bin/init\" key=(null) "
		"record=1");

	/* op 8: engine (4) holds only 100 */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_event(tw->w, 4), 0);
	rec(&e[0], 1336, 8, 4, "record=1 contid=100");
	sc_event(f, sizeof(f), 3, 4, 0, "init", 1);
	rec(&e[1], 1300, 8, 4, f);
	expect(tw, e, 2);
	tw_free(tw);
}
END_TEST

/* A thread's event: pid is its tgid, ppid its process's parent; it holds
 * the ID it inherited (R-FORK). */
START_TEST(test_records_event_thread_logs_tgid)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2: c */
	set_ok(tw->w, 2, 3, 100);                         /* op 3, serial 1 */
	fork_expect(tw->w, 3, CONTID_CLONE_THREAD, 4);    /* op 4 */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_event(tw->w, 4), 0);      /* op 5, serial 2 */
	rec(&e[0], 1336, 5, 2, "record=1 contid=100");
	sc_event(f, sizeof(f), 2, 3, 0, "init", 1);
	rec(&e[1], 1300, 5, 2, f);
	expect(tw, e, 2);
	tw_free(tw);
}
END_TEST

/* The acting task must be running: a zombie's event is ESRCH, silent. */
START_TEST(test_records_event_zombie_logs_nothing)
{
	struct test_world *tw = tw_new();

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	ck_assert_int_eq(contid_exit(tw->w, 2), 0);       /* op 2 */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_event(tw->w, 2), -ESRCH);
	ck_assert_int_eq(contid_event(tw->w, 999), -ESRCH);
	expect_none(tw);
	tw_free(tw);
}
END_TEST

/* ------------------------------------------------------ NETFILTER_PKT */

START_TEST(test_records_packet_empty_list_no_container_id)
{
	struct test_world *tw = tw_new();

	ck_assert_int_eq(contid_packet(tw->w, 1), 0);     /* op 1 */
	ck_assert_uint_eq(tw->nrecords, 1);
	ck_assert_int_eq(tw->records[0].type, CONTID_RECORD_NETFILTER_PKT);
	ck_assert_str_eq(tw->records[0].line,
		"type=NETFILTER_PKT msg=audit(1700000000.000:1): "
		"mark=0x0 saddr=127.0.0.1 daddr=127.0.0.1 proto=1");
	tw_free(tw);
}
END_TEST

/*
 * Section 7: "a value enters at the front when its count goes from 0 to
 * 1, stays in place while the count changes, and leaves when it drops to
 * 0"; the CONTAINER_ID lists every chain in that order.
 */
START_TEST(test_records_packet_lists_chains_in_namespace_order)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1: orch */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2: c1 */
	fork_expect(tw->w, 2, 0, 4);                      /* op 3: c2 */
	set_ok(tw->w, 2, 3, 100);                         /* op 4, serial 1 */
	set_ok(tw->w, 2, 4, 200);                         /* op 5, serial 2 */
	fork_expect(tw->w, 3, 0, 5);                      /* op 6: e (100) */
	fork_expect(tw->w, 5, 0, 6);                      /* op 7: g (100) */
	set_ok(tw->w, 5, 6, 300);                         /* op 8, serial 3 */
	tw_records_clear(tw);
	/* op 9: 100 entered first, then 200, then 300; 100's count fell
	 * from 3 to 2 when g left it, which does not move it. */
	ck_assert_int_eq(contid_packet(tw->w, 4), 0);
	rec(&e[0], 1336, 9, 4, "record=1 contid=300,^100,200,100");
	rec(&e[1], 1324, 9, 4,
	    "mark=0x0 saddr=127.0.0.1 daddr=127.0.0.1 proto=1 record=1");
	expect(tw, e, 2);

	/* op 10: c2 exits: 200 leaves the list (and is dropped, serial 5) */
	ck_assert_int_eq(contid_exit(tw->w, 4), 0);
	fork_expect(tw->w, 2, 0, 7);                      /* op 11: c3 */
	set_ok(tw->w, 2, 7, 200);                         /* op 12, serial 6 */
	tw_records_clear(tw);
	/* op 13: 200 came back, at the front */
	ck_assert_int_eq(contid_packet(tw->w, 1), 0);
	rec(&e[0], 1336, 13, 7, "record=1 contid=200,300,^100,100");
	rec(&e[1], 1324, 13, 7,
	    "mark=0x0 saddr=127.0.0.1 daddr=127.0.0.1 proto=1 record=1");
	expect(tw, e, 2);
	tw_free(tw);
}
END_TEST

/* The packet's namespace is the acting task's: a fresh namespace's list
 * is empty even when the initial one is not. */
START_TEST(test_records_packet_uses_own_network_namespace)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1: orch */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2: c1 */
	set_ok(tw->w, 2, 3, 100);                         /* op 3, serial 1 */
	fork_expect(tw->w, 1, CONTID_CLONE_NEWNET, 4);    /* op 4: n */
	fork_expect(tw->w, 3, CONTID_CLONE_NEWNET, 5);    /* op 5: m (100) */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_packet(tw->w, 4), 0);     /* op 6, serial 2 */
	rec(&e[0], 1324, 6, 2, "mark=0x0 saddr=127.0.0.1 daddr=127.0.0.1 proto=1");
	expect(tw, e, 1);

	tw_records_clear(tw);
	ck_assert_int_eq(contid_packet(tw->w, 5), 0);     /* op 7, serial 3 */
	rec(&e[0], 1336, 7, 3, "record=1 contid=100");
	rec(&e[1], 1324, 7, 3,
	    "mark=0x0 saddr=127.0.0.1 daddr=127.0.0.1 proto=1 record=1");
	expect(tw, e, 2);
	tw_free(tw);
}
END_TEST

/* ---------------------------------------------------------------- suite */

Suite *suite_records_events(void)
{
	Suite *s = suite_create("records-events");
	TCase *tc;

	tc = tcase_create("records-SYSCALL-event");
	tcase_add_test(tc, test_records_event_init_literal);
	tcase_add_test(tc, test_records_event_with_id_container_id_first);
	tcase_add_test(tc, test_records_event_thread_logs_tgid);
	tcase_add_test(tc, test_records_event_zombie_logs_nothing);
	suite_add_tcase(s, tc);

	tc = tcase_create("records-NETFILTER_PKT");
	tcase_add_test(tc, test_records_packet_empty_list_no_container_id);
	tcase_add_test(tc, test_records_packet_lists_chains_in_namespace_order);
	tcase_add_test(tc, test_records_packet_uses_own_network_namespace);
	suite_add_tcase(s, tc);

	return s;
}
