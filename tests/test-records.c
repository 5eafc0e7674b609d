/*
 * SEMANTICS.md section 8: the raw audit records, compared as whole lines.
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

#define T0 1700000000ULL

/* The record type names, written out here (not taken from the library). */
static const char *type_text(int type)
{
	switch (type) {
	case 1020: return "CONTAINER_OP";
	case 1022: return "SET_CAPCONTID";
	case 1300: return "SYSCALL";
	case 1324: return "NETFILTER_PKT";
	case 1336: return "CONTAINER_ID";
	}
	return "?";
}

struct exp_rec {
	int type;
	char line[1024];
};

/* "type=NAME msg=audit(SEC.MSEC:SERIAL): FIELDS" for operation number @op. */
static void rec(struct exp_rec *e, int type, unsigned op, unsigned serial,
		const char *fields)
{
	unsigned long long ms = op - 1;

	e->type = type;
	snprintf(e->line, sizeof(e->line), "type=%s msg=audit(%llu.%03llu:%u): %s",
		 type_text(type), T0 + ms / 1000, ms % 1000, serial, fields);
}

/*
 * The SYSCALL fields of a write to a /proc file (section 8 table):
 * syscall=1, success=yes/no, exit=<bytes or -errno>, a2=<bytes in
 * lowercase hex>, ppid/pid the writer's parent tgid and tgid, U its uid,
 * and " record=1" when a CONTAINER_ID precedes it.
 */
static void sc_write(char *f, size_t size, int ok, int ret, size_t len,
		     int ppid, int pid, unsigned uid, const char *name,
		     int record1)
{
	snprintf(f, size,
		 "arch=c000003e syscall=1 success=%s exit=%d a0=3 a1=0 a2=%zx "
		 "a3=0 items=0 ppid=%d pid=%d auid=4294967295 uid=%u gid=0 "
		 "euid=%u suid=%u fsuid=%u egid=0 sgid=0 fsgid=0 tty=(none) "
		 "ses=4294967295 comm=\"%s\" exe=\"/usr/bin/%s\" key=(null)%s",
		 ok ? "yes" : "no", ret, len, ppid, pid, uid, uid, uid, uid,
		 name, name, record1 ? " record=1" : "");
}

/* The SYSCALL fields of an `event` (syscall=257, open of fd 3). */
static void sc_event(char *f, size_t size, int ppid, int pid, unsigned uid,
		     const char *name, int record1)
{
	snprintf(f, size,
		 "arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=0 "
		 "a2=0 a3=0 items=0 ppid=%d pid=%d auid=4294967295 uid=%u gid=0 "
		 "euid=%u suid=%u fsuid=%u egid=0 sgid=0 fsgid=0 tty=(none) "
		 "ses=4294967295 comm=\"%s\" exe=\"/usr/bin/%s\" key=(null)%s",
		 ppid, pid, uid, uid, uid, uid, name, name,
		 record1 ? " record=1" : "");
}

/* The records captured since the last clear are exactly @e[0..n). */
static void expect(const struct test_world *tw, const struct exp_rec *e,
		   size_t n)
{
	size_t m = tw->nrecords < n ? tw->nrecords : n;

	for (size_t i = 0; i < m; i++) {
		ck_assert_str_eq(tw->records[i].line, e[i].line);
		ck_assert_int_eq(tw->records[i].type, e[i].type);
	}
	ck_assert_uint_eq(tw->nrecords, n);
}

static void expect_none(const struct test_world *tw)
{
	ck_assert_msg(tw->nrecords == 0, "expected no record, got %zu, first: %s",
		      tw->nrecords, tw->nrecords ? tw->records[0].line : "");
}

static pid_t fork_expect(struct contid_world *w, pid_t parent, unsigned flags,
			 pid_t expected)
{
	pid_t child = fork_ok(w, parent, flags);

	ck_assert_int_eq(child, expected);
	return child;
}

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

/*
 * "when the acting task holds an ID, its CONTAINER_ID comes before its
 * SYSCALL, and that SYSCALL ends with ` record=1`".  engine (4) holds 100
 * (inherited from c1) and nests 200 into c2 (5).
 */
static void build_nested(struct contid_world *w)
{
	fork_expect(w, 1, 0, 2);                          /* op 1: orch */
	fork_expect(w, 2, 0, 3);                          /* op 2: c1 */
	set_ok(w, 2, 3, 100);                             /* op 3, serial 1 */
	fork_expect(w, 3, 0, 4);                          /* op 4: engine */
	fork_expect(w, 4, 0, 5);                          /* op 5: c2 */
}

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

	tc = tcase_create("records-CONTAINER_OP-drop");
	tcase_add_test(tc, test_records_drop_on_exit_one_event_without_syscall);
	tcase_add_test(tc, test_records_drop_nested_innermost_first);
	tcase_add_test(tc, test_records_drop_three_levels_innermost_first);
	tcase_add_test(tc, test_records_drop_thread_exit_logs_tgid);
	tcase_add_test(tc, test_records_drop_none_while_referenced);
	tcase_add_test(tc, test_records_drop_none_when_reset_frees);
	suite_add_tcase(s, tc);

	tc = tcase_create("records-SET_CAPCONTID");
	tcase_add_test(tc, test_records_capcontid_success_logs_op_and_syscall);
	tcase_add_test(tc, test_records_capcontid_refused_exdev_logs_op_and_syscall);
	tcase_add_test(tc, test_records_capcontid_refused_eperm_logs_op_and_syscall);
	tcase_add_test(tc, test_records_capcontid_writer_with_id_logs_container_id);
	tcase_add_test(tc, test_records_capcontid_delegated_writer_sets);
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

	return s;
}
