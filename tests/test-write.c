/*
 * SEMANTICS.md section 4, profile v11: writing and reading the audit
 * container ID.  R-W-1, R-W-2, R-SET-0 .. R-SET-7, the order in which they
 * are checked, and get.
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
/* Below the default pid_max and never handed out in these small worlds. */
#define NO_SUCH_PID 4000000
#define UNSET_STR "18446744073709551615"

/* ----------------------------------------------------------------- R-W-1 */

/*
 * "An operation's acting task ... must be running: if it is a zombie or gone
 * the operation fails with ESRCH before anything else."  Each case also
 * breaks the parser ("x" is not a number) to show ESRCH comes first.
 */
START_TEST(test_R_W_1_writer_not_running_is_ESRCH_first)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t target = spawn(w, INIT);
	pid_t zombie = spawn_zombie(w, INIT);
	pid_t leader = spawn(w, INIT);
	pid_t thread = spawn_thread(w, leader);
	pid_t gone_thread = spawn_thread(w, leader);

	/* a zombie writer */
	ck_assert_int_eq(write_str(w, zombie, target, "1"), -ESRCH);
	ck_assert_int_eq(write_str(w, zombie, target, "x"), -ESRCH);
	ck_assert_int_eq(contid_set(w, zombie, target, 5), -ESRCH);
	/* a writer pid nobody has */
	ck_assert_int_eq(write_str(w, NO_SUCH_PID, target, "1"), -ESRCH);
	/* a thread that exited is gone at once (R-EXIT) */
	exit_ok(w, gone_thread);
	ck_assert_int_eq(write_str(w, gone_thread, target, "1"), -ESRCH);
	/* a leader that exited while its thread runs is a zombie leader */
	exit_ok(w, leader);
	ck_assert_int_eq(write_str(w, leader, target, "1"), -ESRCH);
	/* a reaped writer */
	reap_ok(w, zombie);
	ck_assert_int_eq(write_str(w, zombie, target, "1"), -ESRCH);
	ck_assert_uint_eq(contid_of(w, target), CONTID_UNSET);
	(void)thread;
	assert_invariants(w);
}
END_TEST

/* R-W-1: "target pid unknown or reaped: ESRCH" (before the parser). */
START_TEST(test_R_W_1_unknown_or_reaped_target_is_ESRCH)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t reaped = spawn(w, INIT);
	pid_t leader = spawn(w, INIT);
	pid_t thread = spawn_thread(w, leader);

	exit_ok(w, reaped);
	reap_ok(w, reaped);
	ck_assert_int_eq(write_str(w, INIT, NO_SUCH_PID, "1"), -ESRCH);
	ck_assert_int_eq(write_str(w, INIT, NO_SUCH_PID, "x"), -ESRCH);
	ck_assert_int_eq(write_str(w, INIT, reaped, "1"), -ESRCH);
	ck_assert_int_eq(write_str(w, INIT, reaped, "junk"), -ESRCH);
	ck_assert_int_eq(contid_set(w, INIT, reaped, 1), -ESRCH);
	/* R-EXIT: "A non-leader thread disappears immediately." */
	exit_ok(w, thread);
	ck_assert_int_eq(write_str(w, INIT, thread, "1"), -ESRCH);
	/* ESRCH comes before the privilege rule R-SET-2 too */
	pid_t unpriv = spawn_unprivileged(w, INIT);
	ck_assert_int_eq(write_str(w, unpriv, NO_SUCH_PID, "1"), -ESRCH);
	/* an unknown target is no write: nothing is logged */
	tw_records_clear(tw);
	ck_assert_int_eq(write_str(w, INIT, NO_SUCH_PID, "1"), -ESRCH);
	ck_assert_uint_eq(tw->nrecords, 0);
	ck_assert_uint_eq(contid_id_count(w), 0);
	assert_invariants(w);
}
END_TEST

/* ----------------------------------------------------------------- R-W-2 */

/*
 * The buffer written is head, then nfill copies of fill, then tail.  Only
 * the first 66 bytes are read ("only its first 66 bytes are copied"), as a
 * C string ("a NUL byte ends it").
 */
struct parse_case {
	const char *name;
	const char *head;
	size_t head_len;
	char fill;
	size_t nfill;
	const char *tail;
	size_t tail_len;
	int err;         /* 0: accepted, else the errno */
	int parse_error; /* refused by R-W-2 itself: no record */
	uint64_t value;  /* the ID set when accepted */
};

#define S(s) s, sizeof(s) - 1
#define NOFILL '0', 0
#define NOTAIL "", 0
#define OK(v) 0, 0, (v)
#define PARSE(e) (e), 1, 0
#define RULE(e) (e), 0, 0

static const struct parse_case parse_cases[] = {
	{ "digit", S("1"), NOFILL, NOTAIL, OK(1) },
	{ "digit newline", S("1\n"), NOFILL, NOTAIL, OK(1) },
	{ "plus", S("+1"), NOFILL, NOTAIL, OK(1) },
	{ "plus newline", S("+1\n"), NOFILL, NOTAIL, OK(1) },
	/* only 2^64-1 is refused (R-SET-1): zero is an ordinary value */
	{ "zero", S("0"), NOFILL, NOTAIL, OK(0) },
	{ "leading zeros", S("007"), NOFILL, NOTAIL, OK(7) },
	{ "leading zeros plus", S("+000123\n"), NOFILL, NOTAIL, OK(123) },
	{ "2^64-2", S("18446744073709551614"), NOFILL, NOTAIL,
	  OK(UINT64_MAX - 1) },
	{ "+2^64-2 newline", S("+18446744073709551614\n"), NOFILL, NOTAIL,
	  OK(UINT64_MAX - 1) },
	/* "a NUL byte ends it": what follows the NUL is never looked at */
	{ "NUL after digit", S("1\0"), NOFILL, NOTAIL, OK(1) },
	{ "NUL then junk", S("12\0junk"), NOFILL, NOTAIL, OK(12) },
	{ "NUL after newline", S("5\n\0\n\n"), NOFILL, NOTAIL, OK(5) },
	{ "empty buffer", "", 0, NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "NUL first", S("\0" "1"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "newline only", S("\n"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "plus only", S("+"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "plus newline only", S("+\n"), NOFILL, NOTAIL, PARSE(EINVAL) },
	/* "an optional single leading +" */
	{ "two plus", S("++1"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "minus", S("-1"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "minus zero", S("-0"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "plus minus", S("+-1"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "leading space", S(" 1"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "leading tab", S("\t1"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "leading newline", S("\n1"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "trailing space", S("1 "), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "inner space", S("1 2"), NOFILL, NOTAIL, PARSE(EINVAL) },
	/* "at most one trailing \n" */
	{ "two newlines", S("1\n\n"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "CR LF", S("1\r\n"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "newline then digit", S("1\n2"), NOFILL, NOTAIL, PARSE(EINVAL) },
	/* base 10 only: "0x10" is 0 followed by junk */
	{ "hex", S("0x10"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "letter", S("1a"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "trailing plus", S("1+"), NOFILL, NOTAIL, PARSE(EINVAL) },
	{ "letters", S("abc"), NOFILL, NOTAIL, PARSE(EINVAL) },
	/* "a value above 2^64-1 is ERANGE (reported before any trailing junk)" */
	{ "2^64", S("18446744073709551616"), NOFILL, NOTAIL, PARSE(ERANGE) },
	{ "+2^64", S("+18446744073709551616"), NOFILL, NOTAIL,
	  PARSE(ERANGE) },
	{ "2^64 junk", S("18446744073709551616x"), NOFILL, NOTAIL,
	  PARSE(ERANGE) },
	{ "2^64 two newlines", S("18446744073709551616\n\n"), NOFILL, NOTAIL,
	  PARSE(ERANGE) },
	{ "23 nines", S("99999999999999999999999"), NOFILL, NOTAIL,
	  PARSE(ERANGE) },
	/* '-' is no digit: nothing is parsed, so no overflow either */
	{ "minus 2^64", S("-18446744073709551616"), NOFILL, NOTAIL,
	  PARSE(EINVAL) },
	/* 2^64-1 parses, then R-SET-1 refuses it (a rule, not the parser) */
	{ "2^64-1", S(UNSET_STR), NOFILL, NOTAIL, RULE(EINVAL) },
	{ "02^64-1 newline", S("0" UNSET_STR "\n"), NOFILL, NOTAIL,
	  RULE(EINVAL) },
	/* --- the 66-byte cut --- */
	/* 65 bytes, all read */
	{ "64 zeros 1", NOTAIL, '0', 64, S("1"), OK(1) },
	/* 66 bytes, all read */
	{ "65 zeros 1", NOTAIL, '0', 65, S("1"), OK(1) },
	/* 67 bytes: the cut leaves 66 zeros, the 1 is never read */
	{ "66 zeros 1", NOTAIL, '0', 66, S("1"), OK(0) },
	/* 67 bytes: the cut drops only the newline */
	{ "65 zeros 1 newline", NOTAIL, '0', 65, S("1\n"), OK(1) },
	/* 66 bytes: digits and the newline are all read */
	{ "64 zeros 1 newline", NOTAIL, '0', 64, S("1\n"), OK(1) },
	/* 67 bytes: the junk is byte 67, never read */
	{ "65 zeros 1 junk", NOTAIL, '0', 65, S("1x"), OK(1) },
	/* 66 bytes: the junk is byte 66, read */
	{ "64 zeros 1 junk", NOTAIL, '0', 64, S("1x"), PARSE(EINVAL) },
	/* 67 bytes: the cut leaves "0...01\n" */
	{ "64 zeros 1 two newlines", NOTAIL, '0', 64, S("1\n\n"), OK(1) },
	/* 66 bytes: both newlines are read */
	{ "63 zeros 1 two newlines", NOTAIL, '0', 63, S("1\n\n"),
	  PARSE(EINVAL) },
	/* 67 bytes: the cut leaves 65 zeros and the newline */
	{ "65 zeros newline 5", NOTAIL, '0', 65, S("\n5"), OK(0) },
	/* "+" counts in the 66 bytes */
	{ "plus 64 zeros 1", S("+"), '0', 64, S("1"), OK(1) },
	{ "plus 65 zeros 1", S("+"), '0', 65, S("1"), OK(0) },
	/* 46 + 20 = 66 bytes: 2^64 is read whole */
	{ "46 zeros 2^64", NOTAIL, '0', 46, S("18446744073709551616"),
	  PARSE(ERANGE) },
	/* 47 + 20 = 67 bytes: the last digit is cut, leaving 1844674407370955161 */
	{ "47 zeros 2^64", NOTAIL, '0', 47, S("18446744073709551616"),
	  OK(1844674407370955161ULL) },
	{ "46 zeros 2^64-1", NOTAIL, '0', 46, S(UNSET_STR), RULE(EINVAL) },
	{ "47 zeros 2^64-1", NOTAIL, '0', 47, S(UNSET_STR),
	  OK(1844674407370955161ULL) },
	{ "66 nines", NOTAIL, '9', 66, NOTAIL, PARSE(ERANGE) },
	{ "66 nines junk", NOTAIL, '9', 66, S("x"), PARSE(ERANGE) },
	{ "65 nines junk", NOTAIL, '9', 65, S("x"), PARSE(ERANGE) },
	/* "A successful write returns the full length written", even > 66 */
	{ "100 zeros", NOTAIL, '0', 100, NOTAIL, OK(0) },
	{ "5 NUL 198 junk", S("5\0"), 'x', 198, NOTAIL, OK(5) },
	{ "65 zeros 1 then 1000 junk", NOTAIL, '0', 65, S("1"), OK(1) },
};

START_TEST(test_R_W_2_parse_table)
{
	const struct parse_case *c = &parse_cases[_i];
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	size_t len = c->head_len + c->nfill + c->tail_len;
	/* one row also appends 1000 bytes of junk after its 66th byte */
	size_t extra = strcmp(c->name, "65 zeros 1 then 1000 junk") == 0 ?
		       1000 : 0;
	static char buf[2048];
	pid_t target = spawn(w, INIT);
	int ret;

	ck_assert_uint_le(len + extra, sizeof(buf));
	memcpy(buf, c->head, c->head_len);
	memset(buf + c->head_len, c->fill, c->nfill);
	memcpy(buf + c->head_len + c->nfill, c->tail, c->tail_len);
	memset(buf + len, '#', extra);
	len += extra;
	tw_records_clear(tw);
	ret = contid_write(w, INIT, target, buf, len);
	if (c->err == 0) {
		ck_assert_msg(ret == (int)len, "%s: got %d, expected %zu",
			      c->name, ret, len);
		ck_assert_msg(contid_of(w, target) == c->value,
			      "%s: ID %llu, expected %llu", c->name,
			      (unsigned long long)contid_of(w, target),
			      (unsigned long long)c->value);
	} else {
		ck_assert_msg(ret == -c->err, "%s: got %d (%s), expected -%s",
			      c->name, ret,
			      contid_errno_name(ret) ? contid_errno_name(ret) : "?",
			      contid_errno_name(c->err));
		ck_assert_msg(contid_of(w, target) == CONTID_UNSET,
			      "%s: target got an ID", c->name);
		ck_assert_uint_eq(contid_id_count(w), 0);
		/* "Parse errors produce no record." */
		if (c->parse_error)
			ck_assert_msg(tw->nrecords == 0,
				      "%s: a parse error logged %zu records",
				      c->name, tw->nrecords);
	}
	assert_invariants(w);
}
END_TEST

/* A zero-length write may pass NULL (contid.h): an empty string, EINVAL. */
START_TEST(test_R_W_2_null_empty_buffer_is_EINVAL)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t target = spawn(w, INIT);

	tw_records_clear(tw);
	ck_assert_int_eq(contid_write(w, INIT, target, NULL, 0), -EINVAL);
	ck_assert_uint_eq(tw->nrecords, 0);
	ck_assert_uint_eq(contid_of(w, target), CONTID_UNSET);
}
END_TEST

/*
 * The parser sits in the front end, before every R-SET rule: a value that
 * does not parse is refused with EINVAL/ERANGE whatever else is wrong.
 */
START_TEST(test_R_W_2_parse_errors_come_before_the_rules)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t zombie = spawn_zombie(w, INIT);
	pid_t unpriv = spawn_unprivileged(w, INIT);
	pid_t uchild = spawn(w, unpriv);
	pid_t busy = spawn(w, INIT);

	spawn(w, busy);
	tw_records_clear(tw);
	/* R-SET-0 (released target) */
	ck_assert_int_eq(write_str(w, INIT, zombie, "1x"), -EINVAL);
	ck_assert_int_eq(write_str(w, INIT, zombie, "18446744073709551616"),
			 -ERANGE);
	/* R-SET-2 (unprivileged writer) */
	ck_assert_int_eq(write_str(w, unpriv, uchild, "++1"), -EINVAL);
	ck_assert_int_eq(write_str(w, unpriv, uchild, "99999999999999999999"),
			 -ERANGE);
	/* R-SET-3 (target has a child) */
	ck_assert_int_eq(write_str(w, INIT, busy, ""), -EINVAL);
	/* R-SET-4 (the writer itself) */
	ck_assert_int_eq(write_str(w, uchild, uchild, "-5"), -EINVAL);
	ck_assert_uint_eq(tw->nrecords, 0);
	assert_invariants(w);
}
END_TEST

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
	 * a process, SEMANTICS.md section 1); the thread then exits */
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
 * the writer is a descendant of that owner".  The SCENARIOS.md example.
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

/* ------------------------------------------------------------ check order */

struct write_args {
	pid_t writer;
	pid_t target;
	const char *buf;
};

struct order_case {
	const char *name;
	void (*setup)(struct contid_world *w, struct write_args *a);
	int err;
};

static void o_writer_esrch_vs_target_esrch(struct contid_world *w,
					   struct write_args *a)
{
	a->writer = spawn_zombie(w, INIT);
	a->target = NO_SUCH_PID;
	a->buf = "1";
}

static void o_writer_esrch_vs_parse(struct contid_world *w,
				    struct write_args *a)
{
	a->writer = spawn_zombie(w, INIT);
	a->target = spawn(w, INIT);
	a->buf = "x";
}

static void o_writer_esrch_vs_R_SET_0(struct contid_world *w,
				      struct write_args *a)
{
	a->writer = spawn_zombie(w, INIT);
	a->target = spawn_zombie(w, INIT);
	a->buf = "1";
}

static void o_target_esrch_vs_parse(struct contid_world *w,
				    struct write_args *a)
{
	pid_t t = spawn_zombie(w, INIT);

	reap_ok(w, t);
	a->writer = INIT;
	a->target = t;
	a->buf = "x";
}

static void o_target_esrch_vs_R_SET_2(struct contid_world *w,
				      struct write_args *a)
{
	a->writer = spawn_unprivileged(w, INIT);
	a->target = NO_SUCH_PID;
	a->buf = "1";
}

static void o_einval_vs_R_SET_0(struct contid_world *w, struct write_args *a)
{
	a->writer = INIT;
	a->target = spawn_zombie(w, INIT);
	a->buf = "1x";
}

static void o_erange_vs_R_SET_0(struct contid_world *w, struct write_args *a)
{
	a->writer = INIT;
	a->target = spawn_zombie(w, INIT);
	a->buf = "18446744073709551616";
}

static void o_einval_vs_R_SET_2(struct contid_world *w, struct write_args *a)
{
	a->writer = spawn_unprivileged(w, INIT);
	a->target = spawn(w, a->writer);
	a->buf = "";
}

static void o_erange_vs_R_SET_2(struct contid_world *w, struct write_args *a)
{
	a->writer = spawn_unprivileged(w, INIT);
	a->target = spawn(w, a->writer);
	a->buf = "18446744073709551616\n";
}

static void o_einval_vs_R_SET_4(struct contid_world *w, struct write_args *a)
{
	a->writer = spawn(w, INIT);
	a->target = spawn(w, INIT);
	a->buf = "+-1";
}

static void o_R_SET_0_vs_R_SET_1(struct contid_world *w, struct write_args *a)
{
	a->writer = INIT;
	a->target = spawn_zombie(w, INIT);
	a->buf = UNSET_STR;
}

static void o_R_SET_0_vs_R_SET_2(struct contid_world *w, struct write_args *a)
{
	a->writer = spawn_unprivileged(w, INIT);
	a->target = spawn_zombie(w, a->writer);
	a->buf = "5";
}

static void o_R_SET_0_vs_R_SET_3(struct contid_world *w, struct write_args *a)
{
	pid_t leader = spawn(w, INIT);

	spawn_thread(w, leader);
	exit_ok(w, leader);  /* a zombie leader of a live thread */
	a->writer = INIT;
	a->target = leader;
	a->buf = "5";
}

static void o_R_SET_0_vs_R_SET_4(struct contid_world *w, struct write_args *a)
{
	a->writer = spawn(w, INIT);
	a->target = spawn_zombie(w, INIT);
	a->buf = "5";
}

static void o_R_SET_1_vs_R_SET_2(struct contid_world *w, struct write_args *a)
{
	a->writer = spawn_unprivileged(w, INIT);
	a->target = spawn(w, a->writer);
	a->buf = UNSET_STR;
}

static void o_R_SET_1_vs_R_SET_3(struct contid_world *w, struct write_args *a)
{
	a->writer = INIT;
	a->target = spawn(w, INIT);
	spawn(w, a->target);
	a->buf = UNSET_STR "\n";
}

static void o_R_SET_1_vs_R_SET_4(struct contid_world *w, struct write_args *a)
{
	a->writer = spawn(w, INIT);
	a->target = spawn(w, INIT);
	a->buf = UNSET_STR;
}

static void o_R_SET_1_vs_R_SET_5(struct contid_world *w, struct write_args *a)
{
	a->writer = spawn(w, INIT);
	a->target = spawn(w, a->writer);
	set_ok(w, a->writer, a->target, 100);
	a->buf = UNSET_STR;
}

static void o_R_SET_2_vs_R_SET_3(struct contid_world *w, struct write_args *a)
{
	a->writer = spawn_unprivileged(w, INIT);
	a->target = spawn(w, a->writer);
	spawn(w, a->target);
	a->buf = "5";
}

static void o_R_SET_2_vs_R_SET_4_self(struct contid_world *w,
				      struct write_args *a)
{
	a->writer = spawn_unprivileged(w, INIT);
	a->target = a->writer;
	a->buf = "5";
}

static void o_R_SET_2_vs_R_SET_4_sibling(struct contid_world *w,
					 struct write_args *a)
{
	a->writer = spawn_unprivileged(w, INIT);
	a->target = spawn(w, INIT);
	a->buf = "5";
}

static void o_R_SET_2_vs_R_SET_5(struct contid_world *w, struct write_args *a)
{
	a->writer = spawn(w, INIT);
	a->target = spawn(w, a->writer);
	set_ok(w, a->writer, a->target, 100);
	drop_cap_ok(w, a->writer, CONTID_CAP_AUDIT_CONTROL);
	a->buf = "200";
}

static void o_R_SET_2_vs_R_SET_6(struct contid_world *w, struct write_args *a)
{
	set_ok(w, INIT, spawn(w, INIT), 100);
	a->writer = spawn_unprivileged(w, INIT);
	a->target = spawn(w, a->writer);
	a->buf = "100";
}

static void o_R_SET_3_vs_R_SET_4(struct contid_world *w, struct write_args *a)
{
	a->writer = spawn(w, INIT);
	a->target = spawn(w, INIT);
	spawn(w, a->target);
	a->buf = "5";
}

static void o_R_SET_3_vs_R_SET_4_own_process(struct contid_world *w,
					     struct write_args *a)
{
	/* "target is the writer's own ... process", which is multi-threaded */
	a->target = spawn(w, INIT);
	a->writer = spawn_thread(w, a->target);
	a->buf = "5";
}

static void o_R_SET_3_vs_R_SET_5(struct contid_world *w, struct write_args *a)
{
	a->writer = spawn(w, INIT);
	a->target = spawn(w, a->writer);
	set_ok(w, a->writer, a->target, 100);
	spawn(w, a->target);
	a->buf = "200";
}

static void o_R_SET_3_vs_R_SET_6(struct contid_world *w, struct write_args *a)
{
	set_ok(w, INIT, spawn(w, INIT), 100);
	a->writer = spawn(w, INIT);
	a->target = spawn(w, a->writer);
	spawn(w, a->target);
	a->buf = "100";
}

static void o_R_SET_4_vs_R_SET_5(struct contid_world *w, struct write_args *a)
{
	pid_t orch1 = spawn(w, INIT);

	a->target = spawn(w, orch1);
	set_ok(w, orch1, a->target, 100);
	a->writer = spawn(w, INIT);
	a->buf = "200";
}

static void o_R_SET_4_vs_R_SET_6(struct contid_world *w, struct write_args *a)
{
	set_ok(w, INIT, spawn(w, INIT), 100);
	a->writer = spawn(w, INIT);
	a->target = spawn(w, INIT);
	a->buf = "100";
}

static void o_R_SET_5_vs_R_SET_6_enotuniq(struct contid_world *w,
					  struct write_args *a)
{
	set_ok(w, INIT, spawn(w, INIT), 300);
	a->writer = spawn(w, INIT);
	a->target = spawn(w, a->writer);
	set_ok(w, a->writer, a->target, 100);
	a->buf = "300";
}

static void o_R_SET_5_vs_R_SET_6_injection(struct contid_world *w,
					   struct write_args *a)
{
	a->writer = spawn(w, INIT);
	a->target = spawn(w, a->writer);
	set_ok(w, a->writer, a->target, 100);
	set_ok(w, a->writer, spawn(w, a->writer), 200);
	a->buf = "200";
}

static const struct order_case order_cases[] = {
	{ "writer ESRCH vs target ESRCH", o_writer_esrch_vs_target_esrch, ESRCH },
	{ "writer ESRCH vs R-W-2", o_writer_esrch_vs_parse, ESRCH },
	{ "writer ESRCH vs R-SET-0", o_writer_esrch_vs_R_SET_0, ESRCH },
	{ "R-W-1 vs R-W-2", o_target_esrch_vs_parse, ESRCH },
	{ "R-W-1 vs R-SET-2", o_target_esrch_vs_R_SET_2, ESRCH },
	{ "R-W-2 EINVAL vs R-SET-0", o_einval_vs_R_SET_0, EINVAL },
	{ "R-W-2 ERANGE vs R-SET-0", o_erange_vs_R_SET_0, ERANGE },
	{ "R-W-2 EINVAL vs R-SET-2", o_einval_vs_R_SET_2, EINVAL },
	{ "R-W-2 ERANGE vs R-SET-2", o_erange_vs_R_SET_2, ERANGE },
	{ "R-W-2 EINVAL vs R-SET-4", o_einval_vs_R_SET_4, EINVAL },
	{ "R-SET-0 vs R-SET-1", o_R_SET_0_vs_R_SET_1, ENOPROTOOPT },
	{ "R-SET-0 vs R-SET-2", o_R_SET_0_vs_R_SET_2, ENOPROTOOPT },
	{ "R-SET-0 vs R-SET-3", o_R_SET_0_vs_R_SET_3, ENOPROTOOPT },
	{ "R-SET-0 vs R-SET-4", o_R_SET_0_vs_R_SET_4, ENOPROTOOPT },
	{ "R-SET-1 vs R-SET-2", o_R_SET_1_vs_R_SET_2, EINVAL },
	{ "R-SET-1 vs R-SET-3", o_R_SET_1_vs_R_SET_3, EINVAL },
	{ "R-SET-1 vs R-SET-4", o_R_SET_1_vs_R_SET_4, EINVAL },
	{ "R-SET-1 vs R-SET-5", o_R_SET_1_vs_R_SET_5, EINVAL },
	{ "R-SET-2 vs R-SET-3", o_R_SET_2_vs_R_SET_3, EPERM },
	{ "R-SET-2 vs R-SET-4 self", o_R_SET_2_vs_R_SET_4_self, EPERM },
	{ "R-SET-2 vs R-SET-4 sibling", o_R_SET_2_vs_R_SET_4_sibling, EPERM },
	{ "R-SET-2 vs R-SET-5", o_R_SET_2_vs_R_SET_5, EPERM },
	{ "R-SET-2 vs R-SET-6", o_R_SET_2_vs_R_SET_6, EPERM },
	{ "R-SET-3 vs R-SET-4", o_R_SET_3_vs_R_SET_4, EBUSY },
	{ "R-SET-3 vs R-SET-4 own process", o_R_SET_3_vs_R_SET_4_own_process,
	  EBUSY },
	{ "R-SET-3 vs R-SET-5", o_R_SET_3_vs_R_SET_5, EBUSY },
	{ "R-SET-3 vs R-SET-6", o_R_SET_3_vs_R_SET_6, EBUSY },
	{ "R-SET-4 vs R-SET-5", o_R_SET_4_vs_R_SET_5, EXDEV },
	{ "R-SET-4 vs R-SET-6", o_R_SET_4_vs_R_SET_6, EXDEV },
	{ "R-SET-5 vs R-SET-6 ENOTUNIQ", o_R_SET_5_vs_R_SET_6_enotuniq, EEXIST },
	{ "R-SET-5 vs R-SET-6 injection", o_R_SET_5_vs_R_SET_6_injection,
	  EEXIST },
};

/* "the first that fails decides the errno" */
START_TEST(test_order_first_broken_rule_decides)
{
	const struct order_case *c = &order_cases[_i];
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	struct write_args a = { 0, 0, NULL };
	uint64_t before = CONTID_UNSET;
	size_t nobj;
	int ret;

	c->setup(w, &a);
	if (contid_task_contid(w, a.target, &before) != 0)
		before = CONTID_UNSET;
	nobj = contid_id_count(w);
	ret = write_str(w, a.writer, a.target, a.buf);
	ck_assert_msg(ret == -c->err, "%s: got %d (%s), expected -%s", c->name,
		      ret, contid_errno_name(ret) ? contid_errno_name(ret) : "?",
		      contid_errno_name(c->err));
	/* a refused write changes nothing */
	if (contid_task_contid(w, a.target, &(uint64_t){ 0 }) == 0)
		ck_assert_uint_eq(contid_of(w, a.target), before);
	ck_assert_uint_eq(contid_id_count(w), nobj);
	assert_invariants(w);
}
END_TEST

/* ------------------------------------------------------------------- get */

START_TEST(test_get_returns_value_or_unset)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t a = spawn(w, INIT);
	pid_t b = spawn(w, INIT);
	pid_t z = spawn(w, INIT);
	pid_t at;
	uint64_t v = 0;

	set_ok(w, INIT, a, 42);
	at = spawn_thread(w, a);
	set_ok(w, INIT, z, 43);
	exit_ok(w, z);
	ck_assert_int_eq(contid_get(w, INIT, a, &v), 0);
	ck_assert_uint_eq(v, 42);
	/* a thread inherits its creator's ID (R-FORK) */
	ck_assert_int_eq(contid_get(w, INIT, at, &v), 0);
	ck_assert_uint_eq(v, 42);
	ck_assert_int_eq(contid_get(w, INIT, b, &v), 0);
	ck_assert_uint_eq(v, CONTID_UNSET);
	ck_assert_int_eq(contid_get(w, INIT, INIT, &v), 0);
	ck_assert_uint_eq(v, CONTID_UNSET);
	/* "returns ... 2^64-1 when it has none, including a zombie" */
	v = 0;
	ck_assert_int_eq(contid_get(w, INIT, z, &v), 0);
	ck_assert_uint_eq(v, CONTID_UNSET);
	/* no EXDEV-like rule for reading: a capable task reads anyone */
	ck_assert_int_eq(contid_get(w, a, a, &v), 0);
	ck_assert_uint_eq(v, 42);
	ck_assert_int_eq(contid_get(w, b, a, &v), 0);
	ck_assert_uint_eq(v, 42);
	assert_invariants(w);
}
END_TEST

START_TEST(test_get_privilege_is_EPERM)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t t = spawn(w, INIT);
	pid_t unpriv = spawn_unprivileged(w, INIT);
	pid_t inner = fork_ok(w, INIT, CONTID_CLONE_NEWUSER);
	pid_t deleg = spawn_unprivileged(w, INIT);
	uint64_t v = 777;

	set_ok(w, INIT, t, 9);
	ck_assert_int_eq(contid_get(w, unpriv, t, &v), -EPERM);
	ck_assert_int_eq(contid_get(w, unpriv, unpriv, &v), -EPERM);
	ck_assert_int_eq(contid_get(w, inner, t, &v), -EPERM);
	/* "out-parameters are written only on success" (contid.h) */
	ck_assert_uint_eq(v, 777);
	/* "allowed if the reader ... has capcontid" */
	ck_assert_int_eq(contid_set_capcontid(w, INIT, deleg, 1), 0);
	ck_assert_int_eq(contid_get(w, deleg, t, &v), 0);
	ck_assert_uint_eq(v, 9);
}
END_TEST

START_TEST(test_get_ESRCH_reader_then_target_before_privilege)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t t = spawn(w, INIT);
	pid_t zreader = spawn_zombie(w, INIT);
	pid_t reaped = spawn_zombie(w, INIT);
	pid_t unpriv = spawn_unprivileged(w, INIT);
	uint64_t v = 777;

	reap_ok(w, reaped);
	/* the acting task (reader) must be running */
	ck_assert_int_eq(contid_get(w, zreader, t, &v), -ESRCH);
	ck_assert_int_eq(contid_get(w, NO_SUCH_PID, t, &v), -ESRCH);
	ck_assert_int_eq(contid_get(w, reaped, t, &v), -ESRCH);
	/* "Unknown pid: ESRCH, checked before the privilege." */
	ck_assert_int_eq(contid_get(w, INIT, NO_SUCH_PID, &v), -ESRCH);
	ck_assert_int_eq(contid_get(w, INIT, reaped, &v), -ESRCH);
	ck_assert_int_eq(contid_get(w, unpriv, NO_SUCH_PID, &v), -ESRCH);
	ck_assert_int_eq(contid_get(w, unpriv, reaped, &v), -ESRCH);
	ck_assert_uint_eq(v, 777);
}
END_TEST

/* ---------------------------------------------------------- set vs write */

/*
 * contid_set() writes decimal digits and returns 0; contid_write() returns
 * the byte count, like write(2).  Errors are the same negative errno.
 */
START_TEST(test_set_vs_write_return_values)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t a = spawn(w, INIT);
	pid_t b = spawn(w, INIT);
	pid_t c = spawn(w, INIT);

	ck_assert_int_eq(contid_set(w, INIT, a, 123), 0);
	ck_assert_int_eq(write_str(w, INIT, b, "124"), 3);
	ck_assert_int_eq(write_str(w, INIT, c, "0000125\n"), 8);
	ck_assert_uint_eq(contid_of(w, a), 123);
	ck_assert_uint_eq(contid_of(w, b), 124);
	ck_assert_uint_eq(contid_of(w, c), 125);
	/* same refusal through either entry point */
	ck_assert_int_eq(contid_set(w, INIT, a, 1), -EEXIST);
	ck_assert_int_eq(write_str(w, INIT, a, "1"), -EEXIST);
	/* contid_set(0) writes "0": a valid value, not an empty buffer */
	pid_t d = spawn(w, INIT);
	ck_assert_int_eq(contid_set(w, INIT, d, 0), 0);
	ck_assert_uint_eq(contid_of(w, d), 0);
	/* contid_set(2^64-2) writes 20 digits that fit in 66 bytes */
	pid_t e = spawn(w, INIT);
	ck_assert_int_eq(contid_set(w, INIT, e, UINT64_MAX - 1), 0);
	ck_assert_uint_eq(contid_of(w, e), UINT64_MAX - 1);
	assert_invariants(w);
}
END_TEST

/* ----------------------------------------------------------------- suite */

#define N_ELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *suite_write(void)
{
	Suite *s = suite_create("write");
	TCase *tc;

	tc = world_tcase(s, "R-W-1");
	tcase_add_test(tc, test_R_W_1_writer_not_running_is_ESRCH_first);
	tcase_add_test(tc, test_R_W_1_unknown_or_reaped_target_is_ESRCH);

	tc = world_tcase(s, "R-W-2");
	tcase_add_loop_test(tc, test_R_W_2_parse_table, 0,
			    N_ELEMS(parse_cases));
	tcase_add_test(tc, test_R_W_2_null_empty_buffer_is_EINVAL);
	tcase_add_test(tc, test_R_W_2_parse_errors_come_before_the_rules);

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

	tc = world_tcase(s, "order");
	tcase_add_loop_test(tc, test_order_first_broken_rule_decides, 0,
			    N_ELEMS(order_cases));

	tc = world_tcase(s, "get");
	tcase_add_test(tc, test_get_returns_value_or_unset);
	tcase_add_test(tc, test_get_privilege_is_EPERM);
	tcase_add_test(tc, test_get_ESRCH_reader_then_target_before_privilege);

	tc = world_tcase(s, "set-vs-write");
	tcase_add_test(tc, test_set_vs_write_return_values);

	return s;
}
