/*
 * docs/semantics.md section 8: the audit clock and the event serials, what
 * moves them and what does not (inspection, a failure for memory, auditing
 * off).  Whole lines are compared, under the conventions listed at the top
 * of test-records.c.
 */
#include <stdio.h>
#include <string.h>

#include "contid-alloc.h"
#include "test-helpers.h"
#include "test-suites.h"

/* --------------------------------------------------- clock and serials */

/* Failed operations advance the clock too (docs/semantics.md choice a). */
START_TEST(test_records_clock_every_operation_one_ms)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[1];
	char f[768];
	uint64_t id;
	uint32_t cap;
	pid_t child;

	ck_assert_int_eq(contid_exit(tw->w, 1), -EPERM);           /* op 1 */
	ck_assert_int_eq(contid_fork(tw->w, 999, 0, &child), -ESRCH); /* 2 */
	ck_assert_int_eq(contid_get(tw->w, 1, 999, &id), -ESRCH);  /* op 3 */
	ck_assert_int_eq(contid_reap(tw->w, 1), -ECHILD);          /* op 4 */
	ck_assert_int_eq(contid_event(tw->w, 1), 0);               /* op 5 */
	sc_event(f, sizeof(f), 0, 1, 0, "init", 0);
	rec(&e[0], 1300, 5, 1, f);
	expect(tw, e, 1);

	/* ops 6..17: each kind of operation, once */
	fork_expect(tw->w, 1, 0, 2);                               /* 6 */
	ck_assert_int_eq(contid_set_subreaper(tw->w, 2), 0);       /* 7 */
	ck_assert_int_eq(contid_unshare(tw->w, 2, CONTID_NS_NET), 0); /* 8 */
	ck_assert_int_eq(contid_setns(tw->w, 2, CONTID_NS_NET, 1), 0); /* 9 */
	ck_assert_int_eq(contid_setuid(tw->w, 2, 0), 0);           /* 10 */
	ck_assert_int_eq(contid_drop_cap(tw->w, 2, CONTID_CAP_SETUID), 0);
	ck_assert_int_eq(contid_get(tw->w, 1, 2, &id), 0);         /* 12 */
	ck_assert_int_eq(contid_get_capcontid(tw->w, 1, 2, &cap), 0); /* 13 */
	ck_assert_int_eq(contid_exit(tw->w, 2), 0);                /* 14 */
	ck_assert_int_eq(contid_reap(tw->w, 2), 0);                /* 15 */
	ck_assert_int_eq(contid_unshare(tw->w, 1, CONTID_NS_USER), 0); /* 16 */
	ck_assert_int_eq(contid_write(tw->w, 1, 1, "x", 1), -EINVAL); /* 17 */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_packet(tw->w, 1), 0);              /* op 18 */
	rec(&e[0], 1324, 18, 2, "mark=0x0 saddr=127.0.0.1 daddr=127.0.0.1 proto=1");
	expect(tw, e, 1);
	ck_assert_str_eq(e[0].line, "type=NETFILTER_PKT msg=audit(1700000000.017:2): "
			 "mark=0x0 saddr=127.0.0.1 daddr=127.0.0.1 proto=1");
	tw_free(tw);
}
END_TEST

/*
 * docs/semantics.md choice a: the clock "does not advance when a call
 * fails with ENOMEM: a failed allocation leaves the world exactly as it
 * was" -- so no record and no serial either.  Every allocation of a fork,
 * a set that creates an ID, an event and a packet is made to fail in turn
 * (contid_debug_fail_allocation) until the call succeeds; the success is
 * then stamped as if the failed calls never happened.
 */
static int enomem_op(struct contid_world *w, int which)
{
	pid_t child;

	switch (which) {
	case 0: return contid_fork(w, 2, 0, &child);
	case 1: return contid_set(w, 2, 3, 100);
	case 2: return contid_event(w, 3);
	default: return contid_packet(w, 3);
	}
}

START_TEST(test_records_clock_enomem_does_not_advance)
{
	struct test_world *tw = tw_new();
	unsigned op = 2, serial = 0;

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2 */
	for (int which = 0; which < 4; which++) {
		unsigned long n;
		int r = -ENOMEM;
		char want[64];

		tw_records_clear(tw);
		for (n = 1; n < 1000 && r == -ENOMEM; n++) {
			contid_debug_fail_allocation(n);
			r = enomem_op(tw->w, which);
			contid_debug_fail_allocation(0);
			if (r == -ENOMEM)
				expect_none(tw);
		}
		ck_assert_int_ge(r, 0);
		op++;
		if (tw->nrecords == 0)
			continue;
		serial++;
		snprintf(want, sizeof(want), "msg=audit(1700000000.%03u:%u): ",
			 op - 1, serial);
		for (size_t i = 0; i < tw->nrecords; i++)
			ck_assert_msg(strstr(tw->records[i].line, want) != NULL,
				      "op %u: '%s' lacks '%s'", op,
				      tw->records[i].line, want);
	}
	ck_assert_uint_eq(serial, 3);     /* the set, the event, the packet */
	tw_free(tw);
}
END_TEST

static void noop_cb(void *ud, int type, const char *line, size_t len)
{
	(void)ud; (void)type; (void)line; (void)len;
}

/* Inspection, naming and configuration are not operations. */
START_TEST(test_records_clock_inspection_does_not_advance)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[1];
	char f[768], buf[32];
	uint64_t u64;
	uint32_t u32;
	pid_t p;
	int i;
	unsigned u;

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	ck_assert_int_eq(contid_task_state(tw->w, 2, &i), 0);
	ck_assert_int_eq(contid_task_identity(tw->w, 2, &u64), 0);
	ck_assert_int_eq(contid_task_tgid(tw->w, 2, &p), 0);
	ck_assert_int_eq(contid_task_ppid(tw->w, 2, &p), 0);
	ck_assert_int_eq(contid_task_uid(tw->w, 2, &u32), 0);
	ck_assert_int_eq(contid_task_userns_level(tw->w, 2, &u), 0);
	ck_assert_int_eq(contid_task_has_cap(tw->w, 2, 30, &i), 0);
	ck_assert_int_eq(contid_task_capable(tw->w, 2, 30, &i), 0);
	ck_assert_int_eq(contid_task_subreaper(tw->w, 2, &i), 0);
	ck_assert_int_eq(contid_task_contid(tw->w, 2, &u64), 0);
	ck_assert_int_eq(contid_task_capcontid(tw->w, 2, &u32), 0);
	ck_assert_int_eq(contid_task_chain(tw->w, 2, buf, sizeof(buf)), 2);
	ck_assert_int_eq(contid_task_netns_ids(tw->w, 2, &u64, 1), 0);
	ck_assert_int_eq(contid_task_is_descendant(tw->w, 2, 1, &i), 0);
	ck_assert_int_eq(contid_task_next(tw->w, 0, &p), 0);
	ck_assert_int_eq(contid_task_state(tw->w, 999, &i), -ESRCH);
	ck_assert_int_eq(contid_id_owner(tw->w, 5, NULL, NULL), -ENOENT);
	ck_assert_int_lt(contid_id_parent(tw->w, 5, &u64), 0);
	ck_assert_int_lt(contid_id_users(tw->w, 5, &u), 0);
	ck_assert_int_lt(contid_id_refs(tw->w, 5, &u), 0);
	ck_assert_int_eq(contid_id_list(tw->w, &u64, 1), 0);
	ck_assert_uint_eq(contid_id_count(tw->w), 0);
	ck_assert_uint_eq(contid_task_count(tw->w), 2);
	ck_assert_int_eq(contid_world_check(tw->w, buf, sizeof(buf)), 0);
	ck_assert_int_eq(contid_task_set_name(tw->w, 2, "box"), 0);
	ck_assert_int_eq(contid_task_set_name(tw->w, 2, ""), -EINVAL);
	ck_assert_int_eq(contid_world_set_audit(tw->w, 1), 0);
	ck_assert_int_eq(contid_world_set_pid_max(tw->w, 1000), 0);
	ck_assert_int_eq(contid_world_set_pid_max(tw->w, 1), -EINVAL);
	/* records of op 2 go to another callback; they still are an event */
	ck_assert_int_eq(contid_world_set_record_callback(tw->w, noop_cb, NULL), 0);
	ck_assert_int_eq(contid_event(tw->w, 2), 0);      /* op 2, serial 1 */
	expect_none(tw);
	ck_assert_int_eq(contid_world_set_record_callback(tw->w, tw_capture,
							  tw), 0);
	ck_assert_int_eq(contid_event(tw->w, 2), 0);      /* op 3, serial 2 */
	sc_event(f, sizeof(f), 1, 2, 0, "box", 0);
	rec(&e[0], 1300, 3, 2, f);
	expect(tw, e, 1);
	tw_free(tw);
}
END_TEST

/* "msec printed with 3 digits", rolling into seconds after 1000 ops. */
START_TEST(test_records_clock_msec_three_digits_and_rollover)
{
	struct test_world *tw = tw_new();
	uint64_t id;

	for (int i = 0; i < 8; i++)                       /* ops 1..8 */
		ck_assert_int_eq(contid_get(tw->w, 1, 1, &id), 0);
	ck_assert_int_eq(contid_event(tw->w, 1), 0);      /* op 9: .008 */
	ck_assert_ptr_nonnull(strstr(tw->records[0].line,
				     "msg=audit(1700000000.008:1): "));
	for (int i = 0; i < 89; i++)                      /* ops 10..98 */
		ck_assert_int_eq(contid_get(tw->w, 1, 1, &id), 0);
	ck_assert_int_eq(contid_event(tw->w, 1), 0);      /* op 99: .098 */
	ck_assert_ptr_nonnull(strstr(tw->records[1].line,
				     "msg=audit(1700000000.098:2): "));
	for (int i = 0; i < 900; i++)                     /* ops 100..999 */
		ck_assert_int_eq(contid_get(tw->w, 1, 1, &id), 0);
	ck_assert_int_eq(contid_event(tw->w, 1), 0);      /* op 1000 */
	ck_assert_str_eq(tw->records[2].line,
		"type=SYSCALL msg=audit(1700000000.999:3): arch=c000003e "
		"syscall=257 success=yes exit=3 a0=ffffff9c a1=0 a2=0 a3=0 "
		"items=0 ppid=0 pid=1 auid=4294967295 uid=0 gid=0 euid=0 "
		"suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) "
		"ses=4294967295 comm=\"init\" exe=\"/usr/bin/init\" key=(null)");
	ck_assert_int_eq(contid_packet(tw->w, 1), 0);     /* op 1001 */
	ck_assert_str_eq(tw->records[3].line,
		"type=NETFILTER_PKT msg=audit(1700000001.000:4): "
		"mark=0x0 saddr=127.0.0.1 daddr=127.0.0.1 proto=1");
	for (int i = 0; i < 1500; i++)                    /* ops 1002..2501 */
		ck_assert_int_eq(contid_get(tw->w, 1, 1, &id), 0);
	ck_assert_int_eq(contid_packet(tw->w, 1), 0);     /* op 2502 */
	ck_assert_str_eq(tw->records[4].line,
		"type=NETFILTER_PKT msg=audit(1700000002.501:5): "
		"mark=0x0 saddr=127.0.0.1 daddr=127.0.0.1 proto=1");
	ck_assert_uint_eq(tw->nrecords, 5);
	tw_free(tw);
}
END_TEST

/* Serials 1, 2, 3; operations without records take none; the records of
 * one event share one. */
START_TEST(test_records_serial_counts_events_only)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[6];
	char f[768];
	uint64_t id;

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2 */
	set_ok(tw->w, 2, 3, 100);                         /* op 3, serial 1 */
	ck_assert_int_eq(contid_get(tw->w, 1, 3, &id), 0); /* op 4 */
	ck_assert_uint_eq(id, 100);
	fork_expect(tw->w, 3, 0, 4);                      /* op 5 */
	ck_assert_int_eq(contid_event(tw->w, 4), 0);      /* op 6, serial 2 */
	ck_assert_int_eq(contid_exit(tw->w, 4), 0);       /* op 7: no drop */
	ck_assert_int_eq(contid_reap(tw->w, 4), 0);       /* op 8 */
	ck_assert_int_eq(contid_packet(tw->w, 1), 0);     /* op 9, serial 3 */

	rec(&e[0], 1020, 3, 1, "op=set opid=3 contid=100 old-contid=-1");
	sc_write(f, sizeof(f), 1, 3, 3, 1, 2, 0, "init", 0);
	rec(&e[1], 1300, 3, 1, f);
	rec(&e[2], 1336, 6, 2, "record=1 contid=100");
	sc_event(f, sizeof(f), 3, 4, 0, "init", 1);
	rec(&e[3], 1300, 6, 2, f);
	rec(&e[4], 1336, 9, 3, "record=1 contid=100");
	rec(&e[5], 1324, 9, 3,
	    "mark=0x0 saddr=127.0.0.1 daddr=127.0.0.1 proto=1 record=1");
	expect(tw, e, 6);
	tw_free(tw);
}
END_TEST

/* "With auditing off no record is produced and no serial is used"; the
 * clock still advances. */
START_TEST(test_records_audit_off_no_record_no_serial)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768];

	ck_assert_int_eq(contid_world_set_audit(tw->w, 0), 0);
	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2 */
	set_ok(tw->w, 2, 3, 100);                         /* op 3 */
	ck_assert_int_eq(contid_set(tw->w, 2, 3, 101), -EEXIST); /* op 4 */
	ck_assert_int_eq(contid_set_capcontid(tw->w, 2, 3, 1), 0); /* op 5 */
	ck_assert_int_eq(contid_event(tw->w, 3), 0);      /* op 6 */
	ck_assert_int_eq(contid_packet(tw->w, 3), 0);     /* op 7 */
	ck_assert_int_eq(contid_exit(tw->w, 3), 0);       /* op 8: frees 100 */
	expect_none(tw);
	ck_assert_uint_eq(contid_id_count(tw->w), 0);

	ck_assert_int_eq(contid_world_set_audit(tw->w, 1), 0);
	fork_expect(tw->w, 2, 0, 4);                      /* op 9 */
	set_ok(tw->w, 2, 4, 100);                         /* op 10, serial 1 */
	rec(&e[0], 1020, 10, 1, "op=set opid=4 contid=100 old-contid=-1");
	sc_write(f, sizeof(f), 1, 3, 3, 1, 2, 0, "init", 0);
	rec(&e[1], 1300, 10, 1, f);
	expect(tw, e, 2);
	ck_assert_str_eq(e[0].line, "type=CONTAINER_OP msg=audit(1700000000.009:1): "
			 "op=set opid=4 contid=100 old-contid=-1");

	/* off again: the drop of 100 by c (4) is not logged; the serial
	 * after it is still 2 */
	ck_assert_int_eq(contid_world_set_audit(tw->w, 0), 0);
	ck_assert_int_eq(contid_exit(tw->w, 4), 0);       /* op 11 */
	ck_assert_int_eq(contid_world_set_audit(tw->w, 1), 0);
	tw_records_clear(tw);
	ck_assert_int_eq(contid_event(tw->w, 2), 0);      /* op 12, serial 2 */
	sc_event(f, sizeof(f), 1, 2, 0, "init", 0);
	rec(&e[0], 1300, 12, 2, f);
	expect(tw, e, 1);
	tw_free(tw);
}
END_TEST

/* ---------------------------------------------------------------- suite */

Suite *suite_records_clock(void)
{
	Suite *s = suite_create("records-clock");
	TCase *tc;

	tc = tcase_create("records-clock-serial");
	tcase_add_test(tc, test_records_clock_every_operation_one_ms);
	tcase_add_test(tc, test_records_clock_inspection_does_not_advance);
	tcase_add_test(tc, test_records_clock_msec_three_digits_and_rollover);
	tcase_add_test(tc, test_records_clock_enomem_does_not_advance);
	tcase_add_test(tc, test_records_serial_counts_events_only);
	suite_add_tcase(s, tc);

	tc = tcase_create("records-audit-off");
	tcase_add_test(tc, test_records_audit_off_no_record_no_serial);
	suite_add_tcase(s, tc);

	return s;
}
