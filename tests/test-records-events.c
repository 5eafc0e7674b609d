/*
 * docs/semantics.md section 8: the records that are not those of a write of an
 * ID or capcontid (test-records.c): CONTAINER_OP op=drop, the SYSCALL of an
 * `event`, NETFILTER_PKT, the clock and serials, audit off, the comm and exe
 * names, and the record type numbers.  Whole lines are compared; the
 * conventions they rely on are listed at the top of test-records.c.
 */
#include <stdio.h>
#include <string.h>

#include "contid-alloc.h"
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

/* ------------------------------------------------------------- names */

START_TEST(test_records_name_comm_cut_to_15_exe_whole)
{
	struct test_world *tw = tw_new();

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	ck_assert_int_eq(contid_task_set_name(tw->w, 2, "orchestrator-daemon"), 0);
	fork_expect(tw->w, 2, 0, 3);                      /* op 2: inherits */
	tw_records_clear(tw);
	set_ok(tw->w, 2, 3, 100);                         /* op 3, serial 1 */
	ck_assert_uint_eq(tw->nrecords, 2);
	ck_assert_str_eq(tw->records[1].line,
		"type=SYSCALL msg=audit(1700000000.002:1): arch=c000003e "
		"syscall=1 success=yes exit=3 a0=3 a1=0 a2=3 a3=0 items=0 "
		"ppid=1 pid=2 auid=4294967295 uid=0 gid=0 euid=0 suid=0 "
		"fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 "
		"comm=\"orchestrator-da\" exe=\"/usr/bin/orchestrator-daemon\" "
		"key=(null)");

	/* op 4: the child inherited the name */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_event(tw->w, 3), 0);
	ck_assert_uint_eq(tw->nrecords, 2);
	ck_assert_str_eq(tw->records[1].line,
		"type=SYSCALL msg=audit(1700000000.003:2): arch=c000003e "
		"syscall=257 success=yes exit=3 a0=ffffff9c a1=0 a2=0 a3=0 "
		"items=0 ppid=2 pid=3 auid=4294967295 uid=0 gid=0 euid=0 "
		"suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) "
		"ses=4294967295 comm=\"orchestrator-da\" "
		"exe=\"/usr/bin/orchestrator-daemon\" key=(null) record=1");
	tw_free(tw);
}
END_TEST

/* Lengths around the 15-byte cut, table-driven. */
START_TEST(test_records_name_comm_lengths)
{
	static const struct {
		const char *name, *comm;
	} t[] = {
		{ "a", "a" },
		{ "abcdefghijklmn", "abcdefghijklmn" },
		{ "abcdefghijklmno", "abcdefghijklmno" },
		{ "abcdefghijklmnop", "abcdefghijklmno" },
		{ "runc.v2-shim_x9", "runc.v2-shim_x9" },
	};
	struct test_world *tw = tw_new();
	struct exp_rec e[1];
	char f[768], want[128];
	unsigned op = 0;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(contid_task_set_name(tw->w, 1, t[i].name), 0);
		tw_records_clear(tw);
		ck_assert_int_eq(contid_event(tw->w, 1), 0);
		op++;
		snprintf(want, sizeof(want), "comm=\"%s\" exe=\"/usr/bin/%s\"",
			 t[i].comm, t[i].name);
		snprintf(f, sizeof(f),
			 "arch=c000003e syscall=257 success=yes exit=3 "
			 "a0=ffffff9c a1=0 a2=0 a3=0 items=0 ppid=0 pid=1 "
			 "auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
			 "egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 "
			 "%s key=(null)", want);
		rec(&e[0], 1300, op, (unsigned)i + 1, f);
		expect(tw, e, 1);
	}
	tw_free(tw);
}
END_TEST

/* A 255-byte name is accepted (exe carries all of it); 0 and 256 are not. */
START_TEST(test_records_name_bounds)
{
	struct test_world *tw = tw_new();
	char name[257], want[400];

	memset(name, 'n', sizeof(name));
	name[256] = '\0';
	ck_assert_int_eq(contid_task_set_name(tw->w, 1, name), -EINVAL);
	ck_assert_int_eq(contid_task_set_name(tw->w, 1, ""), -EINVAL);
	name[255] = '\0';
	ck_assert_int_eq(contid_task_set_name(tw->w, 1, name), 0);
	ck_assert_int_eq(contid_event(tw->w, 1), 0);
	ck_assert_uint_eq(tw->nrecords, 1);
	snprintf(want, sizeof(want),
		 " comm=\"nnnnnnnnnnnnnnn\" exe=\"/usr/bin/%s\" key=(null)", name);
	ck_assert_ptr_nonnull(strstr(tw->records[0].line, want));
	tw_free(tw);
}
END_TEST

/* Names with a byte outside 0x21..0x7e or a '"' print hex-encoded,
 * uppercase, unquoted, as audit logs untrusted strings. */
START_TEST(test_records_name_hex_encoded)
{
	static const struct {
		const char *name, *comm, *exe;
	} t[] = {
		{ "my app", "6D7920617070",
		  "2F7573722F62696E2F6D7920617070" },
		{ "say\"hi", "736179226869",
		  "2F7573722F62696E2F736179226869" },
		{ "container engine", "636F6E7461696E657220656E67696E",
		  "2F7573722F62696E2F636F6E7461696E657220656E67696E65" },
		{ "caf\xc3\xa9", "636166C3A9",
		  "2F7573722F62696E2F636166C3A9" },
		{ "tab\tname", "746162096E616D65",
		  "2F7573722F62696E2F746162096E616D65" },
		{ "ab cdefghijklmnopqr", "616220636465666768696A6B6C6D6E",
		  "2F7573722F62696E2F616220636465666768696A6B6C6D6E6F707172" },
		/* the spec says "mirror what Linux does": audit decides on
		 * each string it logs, so a comm whose 15 bytes are all
		 * printable stays quoted while the exe is encoded */
		{ "abcdefghijklmnop qr", "\"abcdefghijklmno\"",
		  "2F7573722F62696E2F6162636465666768696A6B6C6D6E6F70207172" },
	};
	struct test_world *tw = tw_new();
	char want[400];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(contid_task_set_name(tw->w, 1, t[i].name), 0);
		tw_records_clear(tw);
		ck_assert_int_eq(contid_event(tw->w, 1), 0);
		ck_assert_uint_eq(tw->nrecords, 1);
		snprintf(want, sizeof(want),
			 " ses=4294967295 comm=%s exe=%s key=(null)",
			 t[i].comm, t[i].exe);
		ck_assert_msg(strstr(tw->records[0].line, want) != NULL,
			      "'%s' not in '%s'", want, tw->records[0].line);
	}
	tw_free(tw);
}
END_TEST

/* --------------------------------------------------------- type numbers */

START_TEST(test_records_type_numbers_and_names)
{
	static const struct {
		int type;
		const char *name;
	} t[] = {
		{ 1020, "CONTAINER_OP" },
		{ 1022, "SET_CAPCONTID" },
		{ 1300, "SYSCALL" },
		{ 1324, "NETFILTER_PKT" },
		{ 1336, "CONTAINER_ID" },
	};
	static const int unknown[] = { 0, -1, 1021, 1023, 1299, 1301, 1325,
				       1335, 1337, 65535 };

	ck_assert_int_eq(CONTID_RECORD_CONTAINER_OP, 1020);
	ck_assert_int_eq(CONTID_RECORD_SET_CAPCONTID, 1022);
	ck_assert_int_eq(CONTID_RECORD_SYSCALL, 1300);
	ck_assert_int_eq(CONTID_RECORD_NETFILTER_PKT, 1324);
	ck_assert_int_eq(CONTID_RECORD_CONTAINER_ID, 1336);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_ptr_nonnull(contid_record_type_name(t[i].type));
		ck_assert_str_eq(contid_record_type_name(t[i].type), t[i].name);
	}
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		ck_assert_ptr_null(contid_record_type_name(unknown[i]));
}
END_TEST

/* Every record of a busy scenario: the callback's type matches the
 * "type=NAME " prefix, and each line has the "msg=audit(" header. */
START_TEST(test_records_callback_type_matches_prefix)
{
	struct test_world *tw = tw_new();
	int seen[5] = { 0 };
	static const int types[5] = { 1020, 1022, 1300, 1324, 1336 };

	build_nested(tw->w);
	set_ok(tw->w, 4, 5, 200);
	ck_assert_int_eq(contid_set_capcontid(tw->w, 4, 5, 1), 0);
	ck_assert_int_eq(contid_event(tw->w, 5), 0);
	ck_assert_int_eq(contid_packet(tw->w, 5), 0);
	ck_assert_int_eq(contid_exit(tw->w, 5), 0);
	ck_assert_uint_gt(tw->nrecords, 0);
	for (size_t i = 0; i < tw->nrecords; i++) {
		char want[64];
		size_t k;

		for (k = 0; k < 5; k++)
			if (types[k] == tw->records[i].type)
				break;
		ck_assert_uint_lt(k, 5);
		seen[k] = 1;
		snprintf(want, sizeof(want), "type=%s msg=audit(1700000000.",
			 type_text(tw->records[i].type));
		ck_assert_msg(strncmp(tw->records[i].line, want, strlen(want)) == 0,
			      "'%s' does not start with '%s'",
			      tw->records[i].line, want);
	}
	for (size_t k = 0; k < 5; k++)
		ck_assert_msg(seen[k], "no record of type %d", types[k]);
	tw_free(tw);
}
END_TEST

/* ---------------------------------------------------------------- suite */

void add_records_events_tcases(Suite *s)
{
	TCase *tc;

	tc = tcase_create("records-CONTAINER_OP-drop");
	tcase_add_test(tc, test_records_drop_on_exit_one_event_without_syscall);
	tcase_add_test(tc, test_records_drop_nested_innermost_first);
	tcase_add_test(tc, test_records_drop_three_levels_innermost_first);
	tcase_add_test(tc, test_records_drop_thread_exit_logs_tgid);
	tcase_add_test(tc, test_records_drop_none_while_referenced);
	tcase_add_test(tc, test_records_drop_none_when_reset_frees);
	suite_add_tcase(s, tc);

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

	tc = tcase_create("records-names");
	tcase_add_test(tc, test_records_name_comm_cut_to_15_exe_whole);
	tcase_add_test(tc, test_records_name_comm_lengths);
	tcase_add_test(tc, test_records_name_bounds);
	tcase_add_test(tc, test_records_name_hex_encoded);
	suite_add_tcase(s, tc);

	tc = tcase_create("records-types");
	tcase_add_test(tc, test_records_type_numbers_and_names);
	tcase_add_test(tc, test_records_callback_type_matches_prefix);
	suite_add_tcase(s, tc);
}
