/*
 * docs/semantics.md section 4, profile v11: the /proc front end of the
 * audit container ID.  R-W-1, R-W-2, the order in which R-W-1 .. R-SET-7
 * are checked, and get.  Each rule R-SET-0 .. R-SET-7 on its own is in
 * test-write-rules.c.
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
