/*
 * docs/semantics.md section 8: the records of a write of an ID
 * (CONTAINER_OP op=set, then CONTAINER_ID and SYSCALL), compared as whole
 * lines.  The other records have files of their own (test-records-*.c);
 * the expected-record helpers (rec(), sc_write(), expect(), ...) are in
 * test-helpers.c.  The conventions below hold for all of them.
 *
 * Every expected line below was written from the spec, not from the
 * library's output.  Conventions the tests rely on (spec section 8 and the
 * choices listed in docs/semantics.md):
 *
 *  - "The world's clock stamps the first operation 1700000000.000 and each
 *    later operation 1 ms later": in a fresh world the Nth operation call
 *    (1-based, failed calls included) is stamped 1700000000 + (N-1) ms.
 *    Each test counts its operations in comments ("op 3").
 *  - "events take serials 1, 2, 3, ...": only operations that produced
 *    records take a serial.
 *  - pids are handed out cyclically from 2 in a fresh world, so the first
 *    fork gives pid 2, the next 3, and so on (section 1).
 *  - init is named "init"; a forked task inherits its parent's name, so
 *    every SYSCALL says comm="init" exe="/usr/bin/init" unless renamed.
 *  - errno values are Linux's: EPERM 1, EBUSY 16, EEXIST 17, EXDEV 18,
 *    EINVAL 22, ENOTUNIQ 76.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-helpers.h"
#include "test-suites.h"

/* ------------------------------------------------ CONTAINER_OP op=set */

START_TEST(test_records_set_success_logs_op_and_syscall)
{
	struct test_world *tw = tw_new();

	fork_expect(tw->w, 1, 0, 2);                      /* op 1: orch */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2: c1 */
	tw_records_clear(tw);
	/* op 3 -> 1700000000.002, the first event -> serial 1.  contid_set
	 * writes "100": 3 bytes, so exit=3 and a2=3. */
	ck_assert_int_eq(contid_set(tw->w, 2, 3, 100), 0);
	ck_assert_uint_eq(tw->nrecords, 2);
	ck_assert_int_eq(tw->records[0].type, CONTID_RECORD_CONTAINER_OP);
	ck_assert_str_eq(tw->records[0].line,
		"type=CONTAINER_OP msg=audit(1700000000.002:1): "
		"op=set opid=3 contid=100 old-contid=-1");
	ck_assert_int_eq(tw->records[1].type, CONTID_RECORD_SYSCALL);
	ck_assert_str_eq(tw->records[1].line,
		"type=SYSCALL msg=audit(1700000000.002:1): arch=c000003e "
		"syscall=1 success=yes exit=3 a0=3 a1=0 a2=3 a3=0 items=0 "
		"ppid=1 pid=2 auid=4294967295 uid=0 gid=0 euid=0 suid=0 "
		"fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 "
		"comm=\"init\" exe=\"/usr/bin/init\" key=(null)");
	tw_free(tw);
}
END_TEST

START_TEST(test_records_set_write_newline_counts_every_byte)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2 */
	tw_records_clear(tw);
	/* op 3: "100\n" is 4 bytes; a successful write returns them all. */
	ck_assert_int_eq(contid_write(tw->w, 2, 3, "100\n", 4), 4);
	rec(&e[0], 1020, 3, 1, "op=set opid=3 contid=100 old-contid=-1");
	sc_write(f, sizeof(f), 1, 4, 4, 1, 2, 0, "init", 0);
	rec(&e[1], 1300, 3, 1, f);
	expect(tw, e, 2);
	ck_assert_str_eq(e[1].line,
		"type=SYSCALL msg=audit(1700000000.002:1): arch=c000003e "
		"syscall=1 success=yes exit=4 a0=3 a1=0 a2=4 a3=0 items=0 "
		"ppid=1 pid=2 auid=4294967295 uid=0 gid=0 euid=0 suid=0 "
		"fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 "
		"comm=\"init\" exe=\"/usr/bin/init\" key=(null)");
	tw_free(tw);
}
END_TEST

/*
 * R-W-2: only the first 66 bytes are read, as a C string, and "a
 * successful write returns the full length written": 300 bytes whose
 * string part is "100" succeed with exit=300, a2=12c (lowercase hex).
 */
START_TEST(test_records_set_a2_is_full_length_in_lowercase_hex)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768];
	char buf[300];

	memset(buf, 'z', sizeof(buf));
	memcpy(buf, "100", 4);                         /* with its NUL */
	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2 */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_write(tw->w, 2, 3, buf, sizeof(buf)), 300);
	rec(&e[0], 1020, 3, 1, "op=set opid=3 contid=100 old-contid=-1");
	sc_write(f, sizeof(f), 1, 300, 300, 1, 2, 0, "init", 0);
	rec(&e[1], 1300, 3, 1, f);
	ck_assert_ptr_nonnull(strstr(e[1].line, " exit=300 a0=3 a1=0 a2=12c "));
	expect(tw, e, 2);
	tw_free(tw);
}
END_TEST

/* contid= is the value written, in decimal: "+0100\n" logs contid=100. */
START_TEST(test_records_set_contid_is_value_written_in_decimal)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2 */
	fork_expect(tw->w, 2, 0, 4);                      /* op 3 */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_write(tw->w, 2, 3, "+0100\n", 6), 6); /* op 4 */
	rec(&e[0], 1020, 4, 1, "op=set opid=3 contid=100 old-contid=-1");
	sc_write(f, sizeof(f), 1, 6, 6, 1, 2, 0, "init", 0);
	rec(&e[1], 1300, 4, 1, f);
	expect(tw, e, 2);

	/* op 5: the largest settable value, 20 digits = 0x14 bytes. */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_set(tw->w, 2, 4, UINT64_MAX - 1), 0);
	rec(&e[0], 1020, 5, 2,
	    "op=set opid=4 contid=18446744073709551614 old-contid=-1");
	sc_write(f, sizeof(f), 1, 20, 20, 1, 2, 0, "init", 0);
	rec(&e[1], 1300, 5, 2, f);
	expect(tw, e, 2);
	tw_free(tw);
}
END_TEST

/* Refusals past R-SET-0: CONTAINER_OP then SYSCALL success=no. */
struct refusal {
	const char *rule;
	int err;
	/* builds the world; returns the number of operations it made */
	unsigned (*setup)(struct contid_world *w, pid_t *writer, pid_t *target,
			  uint64_t *value);
	const char *old;        /* target's chain before the write */
	int ppid;               /* writer's parent tgid */
	unsigned uid;           /* writer's uid */
	unsigned serial;        /* the refused write's serial */
	int opid;               /* target tgid when the target is a thread */
};

/* R-SET-1: orch (2) writes "unset" to its child c1 (3). */
static unsigned setup_einval(struct contid_world *w, pid_t *writer,
			     pid_t *target, uint64_t *value)
{
	*writer = fork_expect(w, 1, 0, 2);
	*target = fork_expect(w, 2, 0, 3);
	*value = CONTID_UNSET;
	return 2;
}

/* R-SET-2: orch leaves uid 0 (capabilities emptied, R-SETUID). */
static unsigned setup_eperm(struct contid_world *w, pid_t *writer,
			    pid_t *target, uint64_t *value)
{
	*writer = fork_expect(w, 1, 0, 2);
	*target = fork_expect(w, 2, 0, 3);
	ck_assert_int_eq(contid_setuid(w, 2, 1000), 0);
	*value = 100;
	return 3;
}

/* R-SET-2: orch keeps uid 0 but drops CAP_AUDIT_CONTROL. */
static unsigned setup_eperm_dropcap(struct contid_world *w, pid_t *writer,
				    pid_t *target, uint64_t *value)
{
	*writer = fork_expect(w, 1, 0, 2);
	*target = fork_expect(w, 2, 0, 3);
	ck_assert_int_eq(contid_drop_cap(w, 2, CONTID_CAP_AUDIT_CONTROL), 0);
	*value = 100;
	return 3;
}

/* R-SET-3: the target c1 has a child. */
static unsigned setup_ebusy(struct contid_world *w, pid_t *writer,
			    pid_t *target, uint64_t *value)
{
	*writer = fork_expect(w, 1, 0, 2);
	*target = fork_expect(w, 2, 0, 3);
	fork_expect(w, 3, 0, 4);
	*value = 100;
	return 3;
}

/* R-SET-4: the target (3) is orch's sibling, not its descendant. */
static unsigned setup_exdev(struct contid_world *w, pid_t *writer,
			    pid_t *target, uint64_t *value)
{
	*writer = fork_expect(w, 1, 0, 2);
	*target = fork_expect(w, 1, 0, 3);
	*value = 100;
	return 2;
}

/* R-SET-5: the owner of c1's 100 writes again: not nesting. */
static unsigned setup_eexist(struct contid_world *w, pid_t *writer,
			     pid_t *target, uint64_t *value)
{
	*writer = fork_expect(w, 1, 0, 2);
	*target = fork_expect(w, 2, 0, 3);
	set_ok(w, 2, 3, 100);                        /* serial 1 */
	*value = 101;
	return 3;
}

/* R-SET-6: o1 (2) made 100 for c1 (3); o2 (4) writes 100 to c2 (5). */
static unsigned setup_enotuniq(struct contid_world *w, pid_t *writer,
			       pid_t *target, uint64_t *value)
{
	fork_expect(w, 1, 0, 2);
	fork_expect(w, 2, 0, 3);
	*writer = fork_expect(w, 1, 0, 4);
	*target = fork_expect(w, 4, 0, 5);
	set_ok(w, 2, 3, 100);                        /* serial 1 */
	*value = 100;
	return 5;
}

/* R-SET-3: the target (4) is a thread of c1 (3): "opid=<target tgid>". */
static unsigned setup_ebusy_thread(struct contid_world *w, pid_t *writer,
				   pid_t *target, uint64_t *value)
{
	*writer = fork_expect(w, 1, 0, 2);
	fork_expect(w, 2, 0, 3);
	*target = fork_expect(w, 3, CONTID_CLONE_THREAD, 4);
	*value = 100;
	return 3;
}

/* R-SET-3 and R-ZOMBIE-CHILD: c1's only child is a zombie. */
static unsigned setup_ebusy_zombie_child(struct contid_world *w,
					 pid_t *writer, pid_t *target,
					 uint64_t *value)
{
	*writer = fork_expect(w, 1, 0, 2);
	*target = fork_expect(w, 2, 0, 3);
	fork_expect(w, 3, 0, 4);
	ck_assert_int_eq(contid_exit(w, 4), 0);
	*value = 100;
	return 4;
}

/* R-SET-4: "target is the writer's own task": orch (2), childless. */
static unsigned setup_exdev_self(struct contid_world *w, pid_t *writer,
				 pid_t *target, uint64_t *value)
{
	*writer = fork_expect(w, 1, 0, 2);
	*target = 2;
	*value = 100;
	return 1;
}

static const struct refusal refusals[] = {
	{ "R-SET-1", EINVAL, setup_einval, "-1", 1, 0, 1, 0 },
	{ "R-SET-2", EPERM, setup_eperm, "-1", 1, 1000, 1, 0 },
	{ "R-SET-2", EPERM, setup_eperm_dropcap, "-1", 1, 0, 1, 0 },
	{ "R-SET-3", EBUSY, setup_ebusy, "-1", 1, 0, 1, 0 },
	{ "R-SET-4", EXDEV, setup_exdev, "-1", 1, 0, 1, 0 },
	{ "R-SET-5", EEXIST, setup_eexist, "100", 1, 0, 2, 0 },
	{ "R-SET-6", ENOTUNIQ, setup_enotuniq, "-1", 1, 0, 2, 0 },
	{ "R-SET-3", EBUSY, setup_ebusy_thread, "-1", 1, 0, 1, 3 },
	{ "R-SET-3", EBUSY, setup_ebusy_zombie_child, "-1", 1, 0, 1, 0 },
	{ "R-SET-4", EXDEV, setup_exdev_self, "-1", 1, 0, 1, 0 },
};

static void run_refusal(const struct refusal *r)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768], digits[32];
	pid_t writer = 0, target = 0;
	uint64_t value = 0;
	unsigned ops = r->setup(tw->w, &writer, &target, &value);
	unsigned op = ops + 1;
	size_t len;

	snprintf(digits, sizeof(digits), "%llu", (unsigned long long)value);
	len = strlen(digits);           /* contid_set writes only the digits */
	tw_records_clear(tw);
	ck_assert_msg(contid_set(tw->w, writer, target, value) == -r->err,
		      "%s: expected -%d", r->rule, r->err);
	snprintf(f, sizeof(f), "op=set opid=%d contid=%s old-contid=%s",
		 r->opid ? r->opid : (int)target, digits, r->old);
	rec(&e[0], 1020, op, r->serial, f);
	sc_write(f, sizeof(f), 0, -r->err, len, r->ppid, (int)writer, r->uid,
		 "init", 0);
	rec(&e[1], 1300, op, r->serial, f);
	expect(tw, e, 2);
	tw_free(tw);
}

START_TEST(test_records_set_refused_einval_unset_logs_op_and_syscall)
{
	/* "unset" is 20 digits: a2=14, exit=-22, contid=18446744073709551615 */
	run_refusal(&refusals[0]);
}
END_TEST

START_TEST(test_records_set_refused_eperm_setuid_logs_op_and_syscall)
{
	/* uid=1000 everywhere U appears: the writer's uid after setuid */
	run_refusal(&refusals[1]);
}
END_TEST

START_TEST(test_records_set_refused_eperm_dropcap_logs_op_and_syscall)
{
	run_refusal(&refusals[2]);
}
END_TEST

START_TEST(test_records_set_refused_ebusy_logs_op_and_syscall)
{
	run_refusal(&refusals[3]);
}
END_TEST

START_TEST(test_records_set_refused_exdev_logs_op_and_syscall)
{
	run_refusal(&refusals[4]);
}
END_TEST

START_TEST(test_records_set_refused_eexist_logs_op_and_syscall)
{
	run_refusal(&refusals[5]);
}
END_TEST

START_TEST(test_records_set_refused_enotuniq_logs_op_and_syscall)
{
	run_refusal(&refusals[6]);
}
END_TEST

START_TEST(test_records_set_refused_ebusy_thread_target_logs_tgid)
{
	run_refusal(&refusals[7]);
}
END_TEST

START_TEST(test_records_set_refused_ebusy_zombie_child_logs_op_and_syscall)
{
	run_refusal(&refusals[8]);
}
END_TEST

START_TEST(test_records_set_refused_exdev_self_logs_op_and_syscall)
{
	run_refusal(&refusals[9]);
}
END_TEST

/*
 * R-W-2: "only its first 66 bytes are copied": 70 bytes of which the
 * first 66 are '0' read as 0 (the write still returns 70, a2=46); 66
 * bytes ending in '7' read as 7.  contid= is the value read.
 */
START_TEST(test_records_set_only_first_66_bytes_read)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768], buf[70];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2 */
	fork_expect(tw->w, 2, 0, 4);                      /* op 3 */
	memset(buf, '0', sizeof(buf));
	buf[69] = '7';
	tw_records_clear(tw);
	ck_assert_int_eq(contid_write(tw->w, 2, 3, buf, 70), 70); /* op 4 */
	rec(&e[0], 1020, 4, 1, "op=set opid=3 contid=0 old-contid=-1");
	sc_write(f, sizeof(f), 1, 70, 70, 1, 2, 0, "init", 0);
	rec(&e[1], 1300, 4, 1, f);
	ck_assert_ptr_nonnull(strstr(e[1].line, " exit=70 a0=3 a1=0 a2=46 "));
	expect(tw, e, 2);
	ck_assert_uint_eq(contid_of(tw->w, 3), 0);

	buf[65] = '7';
	tw_records_clear(tw);
	ck_assert_int_eq(contid_write(tw->w, 2, 4, buf, 66), 66); /* op 5 */
	rec(&e[0], 1020, 5, 2, "op=set opid=4 contid=7 old-contid=-1");
	sc_write(f, sizeof(f), 1, 66, 66, 1, 2, 0, "init", 0);
	rec(&e[1], 1300, 5, 2, f);
	expect(tw, e, 2);
	ck_assert_uint_eq(contid_of(tw->w, 4), 7);
	tw_free(tw);
}
END_TEST

/* One refusal written out literally, to pin the table's builder down. */
START_TEST(test_records_set_refused_eexist_literal)
{
	struct test_world *tw = tw_new();

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2 */
	set_ok(tw->w, 2, 3, 100);                         /* op 3, serial 1 */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_write(tw->w, 2, 3, "101\n", 4), -EEXIST);
	ck_assert_uint_eq(tw->nrecords, 2);
	ck_assert_str_eq(tw->records[0].line,
		"type=CONTAINER_OP msg=audit(1700000000.003:2): "
		"op=set opid=3 contid=101 old-contid=100");
	ck_assert_str_eq(tw->records[1].line,
		"type=SYSCALL msg=audit(1700000000.003:2): arch=c000003e "
		"syscall=1 success=no exit=-17 a0=3 a1=0 a2=4 a3=0 items=0 "
		"ppid=1 pid=2 auid=4294967295 uid=0 gid=0 euid=0 suid=0 "
		"fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 "
		"comm=\"init\" exe=\"/usr/bin/init\" key=(null)");
	tw_free(tw);
}
END_TEST

/*
 * R-W-2: "Parse errors produce no record."  And "operations without
 * records take no serial": the event afterwards is serial 1.
 */
START_TEST(test_records_set_parse_errors_log_nothing)
{
	static const struct {
		const char *buf;
		size_t len;
		int err;
	} bad[] = {
		{ "", 0, EINVAL },
		{ "abc", 3, EINVAL },
		{ "+", 1, EINVAL },
		{ "\n", 1, EINVAL },
		{ "-1", 2, EINVAL },
		{ "1 2", 3, EINVAL },
		{ "100\n\n", 5, EINVAL },
		{ "0x10", 4, EINVAL },
		{ "99999999999999999999", 20, ERANGE },
		{ "18446744073709551616\n", 21, ERANGE },
	};
	struct test_world *tw = tw_new();
	struct exp_rec e[1];
	char f[768];
	unsigned op;

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2 */
	op = 2;
	tw_records_clear(tw);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(contid_write(tw->w, 2, 3, bad[i].buf, bad[i].len),
				 -bad[i].err);
		op++;
		ck_assert_int_eq(contid_write_capcontid(tw->w, 2, 3, bad[i].buf,
							bad[i].len), -bad[i].err);
		op++;
	}
	expect_none(tw);
	ck_assert_int_eq(contid_event(tw->w, 1), 0);
	op++;
	sc_event(f, sizeof(f), 0, 1, 0, "init", 0);
	rec(&e[0], 1300, op, 1, f);
	expect(tw, e, 1);
	tw_free(tw);
}
END_TEST

/* R-W-1 and the writer's own ESRCH: no record, no serial. */
START_TEST(test_records_set_esrch_logs_nothing)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[1];
	char f[768];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1: orch */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2: c1 */
	fork_expect(tw->w, 2, 0, 4);                      /* op 3: c2 */
	ck_assert_int_eq(contid_exit(tw->w, 4), 0);       /* op 4 */
	ck_assert_int_eq(contid_reap(tw->w, 4), 0);       /* op 5 */
	fork_expect(tw->w, 1, 0, 5);                      /* op 6: z */
	ck_assert_int_eq(contid_exit(tw->w, 5), 0);       /* op 7 */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_set(tw->w, 2, 999, 100), -ESRCH);  /* op 8 */
	ck_assert_int_eq(contid_set(tw->w, 2, 4, 100), -ESRCH);    /* op 9 */
	ck_assert_int_eq(contid_set(tw->w, 5, 3, 100), -ESRCH);    /* op 10 */
	ck_assert_int_eq(contid_set(tw->w, 999, 3, 100), -ESRCH);  /* op 11 */
	ck_assert_int_eq(contid_set_capcontid(tw->w, 2, 999, 1), -ESRCH);
	ck_assert_int_eq(contid_set_capcontid(tw->w, 5, 3, 1), -ESRCH);
	expect_none(tw);
	ck_assert_int_eq(contid_event(tw->w, 2), 0);      /* op 14 */
	sc_event(f, sizeof(f), 1, 2, 0, "init", 0);
	rec(&e[0], 1300, 14, 1, f);
	expect(tw, e, 1);
	tw_free(tw);
}
END_TEST

/* R-SET-0: "target's audit state released (zombie or exiting):
 * ENOPROTOOPT, no record." */
START_TEST(test_records_set_enoprotoopt_logs_nothing)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[1];
	char f[768];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1 */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2 */
	ck_assert_int_eq(contid_exit(tw->w, 3), 0);       /* op 3: zombie */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_set(tw->w, 2, 3, 100), -ENOPROTOOPT);
	ck_assert_int_eq(contid_set(tw->w, 2, 3, CONTID_UNSET), -ENOPROTOOPT);
	ck_assert_int_eq(contid_set_capcontid(tw->w, 2, 3, 1), -ENOPROTOOPT);
	expect_none(tw);
	ck_assert_int_eq(contid_event(tw->w, 1), 0);      /* op 7 */
	sc_event(f, sizeof(f), 0, 1, 0, "init", 0);
	rec(&e[0], 1300, 7, 1, f);
	expect(tw, e, 1);
	tw_free(tw);
}
END_TEST

START_TEST(test_records_set_writer_with_id_logs_container_id_record1)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[3];
	char f[768];

	build_nested(tw->w);
	tw_records_clear(tw);
	set_ok(tw->w, 4, 5, 200);                         /* op 6, serial 2 */
	rec(&e[0], 1020, 6, 2, "op=set opid=5 contid=200 old-contid=100");
	rec(&e[1], 1336, 6, 2, "record=1 contid=100");
	sc_write(f, sizeof(f), 1, 3, 3, 3, 4, 0, "init", 1);
	rec(&e[2], 1300, 6, 2, f);
	expect(tw, e, 3);
	ck_assert_str_eq(e[2].line,
		"type=SYSCALL msg=audit(1700000000.005:2): arch=c000003e "
		"syscall=1 success=yes exit=3 a0=3 a1=0 a2=3 a3=0 items=0 "
		"ppid=3 pid=4 auid=4294967295 uid=0 gid=0 euid=0 suid=0 "
		"fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 "
		"comm=\"init\" exe=\"/usr/bin/init\" key=(null) record=1");

	/* op 7: engine now owns 200: re-setting c2 is R-SET-5 EEXIST; the
	 * old chain is c2's "200,^100", the writer's chain still "100". */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_set(tw->w, 4, 5, 300), -EEXIST);
	rec(&e[0], 1020, 7, 3, "op=set opid=5 contid=300 old-contid=200,^100");
	rec(&e[1], 1336, 7, 3, "record=1 contid=100");
	sc_write(f, sizeof(f), 0, -EEXIST, 3, 3, 4, 0, "init", 1);
	rec(&e[2], 1300, 7, 3, f);
	expect(tw, e, 3);
	tw_free(tw);
}
END_TEST

/* The writer's CONTAINER_ID shows its whole chain. */
START_TEST(test_records_set_writer_chain_in_container_id)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[3];
	char f[768];

	build_nested(tw->w);
	set_ok(tw->w, 4, 5, 200);                         /* op 6, serial 2 */
	fork_expect(tw->w, 5, 0, 6);                      /* op 7: inner */
	fork_expect(tw->w, 6, 0, 7);                      /* op 8: c3 */
	tw_records_clear(tw);
	/* op 9: inner (6) holds 200,^100 and nests 300 under 200 into c3. */
	set_ok(tw->w, 6, 7, 300);
	rec(&e[0], 1020, 9, 3, "op=set opid=7 contid=300 old-contid=200,^100");
	rec(&e[1], 1336, 9, 3, "record=1 contid=200,^100");
	sc_write(f, sizeof(f), 1, 3, 3, 5, 6, 0, "init", 1);
	rec(&e[2], 1300, 9, 3, f);
	expect(tw, e, 3);

	/* op 10: an event of c3 shows the chain "ID,^PARENT,^GRANDPARENT" */
	tw_records_clear(tw);
	ck_assert_int_eq(contid_event(tw->w, 7), 0);
	rec(&e[0], 1336, 10, 4, "record=1 contid=300,^200,^100");
	sc_event(f, sizeof(f), 6, 7, 0, "init", 1);
	rec(&e[1], 1300, 10, 4, f);
	expect(tw, e, 2);
	tw_free(tw);
}
END_TEST

/* "pid=<writer tgid>": a thread writes, its process's leader is logged. */
START_TEST(test_records_set_thread_writer_logs_tgid)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1: orch */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2: c1 */
	fork_expect(tw->w, 2, CONTID_CLONE_THREAD, 4);    /* op 3: thread */
	tw_records_clear(tw);
	set_ok(tw->w, 4, 3, 100);                         /* op 4 */
	rec(&e[0], 1020, 4, 1, "op=set opid=3 contid=100 old-contid=-1");
	sc_write(f, sizeof(f), 1, 3, 3, 1, 2, 0, "init", 0);
	rec(&e[1], 1300, 4, 1, f);
	expect(tw, e, 2);
	tw_free(tw);
}
END_TEST

/* "ppid=<parent tgid>" is the writer's current real parent (R-EXIT). */
START_TEST(test_records_set_ppid_follows_reparenting)
{
	struct test_world *tw = tw_new();
	struct exp_rec e[2];
	char f[768];

	fork_expect(tw->w, 1, 0, 2);                      /* op 1: orch */
	fork_expect(tw->w, 2, 0, 3);                      /* op 2: mid */
	fork_expect(tw->w, 3, 0, 4);                      /* op 3: wr */
	fork_expect(tw->w, 4, 0, 5);                      /* op 4: c */
	ck_assert_int_eq(contid_set_subreaper(tw->w, 2), 0); /* op 5 */
	ck_assert_int_eq(contid_exit(tw->w, 3), 0);       /* op 6 */
	tw_records_clear(tw);
	/* op 7: wr was reparented to the subreaper orch (2) */
	set_ok(tw->w, 4, 5, 100);
	rec(&e[0], 1020, 7, 1, "op=set opid=5 contid=100 old-contid=-1");
	sc_write(f, sizeof(f), 1, 3, 3, 2, 4, 0, "init", 0);
	rec(&e[1], 1300, 7, 1, f);
	expect(tw, e, 2);

	/* orch exits too (op 8): wr moves to init, ppid=1 at op 10 */
	ck_assert_int_eq(contid_exit(tw->w, 2), 0);
	fork_expect(tw->w, 4, 0, 6);                      /* op 9 */
	tw_records_clear(tw);
	set_ok(tw->w, 4, 6, 101);
	rec(&e[0], 1020, 10, 2, "op=set opid=6 contid=101 old-contid=-1");
	sc_write(f, sizeof(f), 1, 3, 3, 1, 4, 0, "init", 0);
	rec(&e[1], 1300, 10, 2, f);
	expect(tw, e, 2);
	tw_free(tw);
}
END_TEST

Suite *suite_records(void)
{
	Suite *s = suite_create("records");
	TCase *tc;

	tc = tcase_create("records-CONTAINER_OP");
	tcase_add_test(tc, test_records_set_success_logs_op_and_syscall);
	tcase_add_test(tc, test_records_set_write_newline_counts_every_byte);
	tcase_add_test(tc, test_records_set_a2_is_full_length_in_lowercase_hex);
	tcase_add_test(tc, test_records_set_contid_is_value_written_in_decimal);
	tcase_add_test(tc, test_records_set_refused_einval_unset_logs_op_and_syscall);
	tcase_add_test(tc, test_records_set_refused_eperm_setuid_logs_op_and_syscall);
	tcase_add_test(tc, test_records_set_refused_eperm_dropcap_logs_op_and_syscall);
	tcase_add_test(tc, test_records_set_refused_ebusy_logs_op_and_syscall);
	tcase_add_test(tc, test_records_set_refused_exdev_logs_op_and_syscall);
	tcase_add_test(tc, test_records_set_refused_eexist_logs_op_and_syscall);
	tcase_add_test(tc, test_records_set_refused_enotuniq_logs_op_and_syscall);
	tcase_add_test(tc, test_records_set_refused_ebusy_thread_target_logs_tgid);
	tcase_add_test(tc, test_records_set_refused_ebusy_zombie_child_logs_op_and_syscall);
	tcase_add_test(tc, test_records_set_refused_exdev_self_logs_op_and_syscall);
	tcase_add_test(tc, test_records_set_refused_eexist_literal);
	tcase_add_test(tc, test_records_set_only_first_66_bytes_read);
	tcase_add_test(tc, test_records_set_parse_errors_log_nothing);
	tcase_add_test(tc, test_records_set_esrch_logs_nothing);
	tcase_add_test(tc, test_records_set_enoprotoopt_logs_nothing);
	tcase_add_test(tc, test_records_set_writer_with_id_logs_container_id_record1);
	tcase_add_test(tc, test_records_set_writer_chain_in_container_id);
	tcase_add_test(tc, test_records_set_thread_writer_logs_tgid);
	tcase_add_test(tc, test_records_set_ppid_follows_reparenting);
	suite_add_tcase(s, tc);

	return s;
}
