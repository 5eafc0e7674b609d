/*
 * docs/semantics.md section 5, profile v11: capcontid, its writes (the
 * order of their errnos, the parser) and reads.
 *
 * Every expectation below is derived from the spec text (quoted where it is
 * not obvious) or from a documented library choice (docs/semantics.md,
 * "Choices where the spec is silent").
 */
#include <string.h>

#include "test-helpers.h"
#include "test-suites.h"

#define INIT 1
/* Below the default pid_max and never handed out in these small worlds. */
#define NO_SUCH_PID 4000000

/* ------------------------------------------------------------- capcontid */

struct cap_write_args {
	pid_t writer;
	pid_t target;
	const char *buf;
};

struct cap_order_case {
	const char *name;
	void (*setup)(struct contid_world *w, struct cap_write_args *a);
	int err;
};

static void c_writer_esrch_vs_parse(struct contid_world *w,
				    struct cap_write_args *a)
{
	a->writer = spawn_zombie(w, INIT);
	a->target = spawn(w, INIT);
	a->buf = "x";
}

static void c_target_esrch_vs_parse(struct contid_world *w,
				    struct cap_write_args *a)
{
	a->writer = INIT;
	a->target = NO_SUCH_PID;
	a->buf = "x";
}

static void c_target_esrch_vs_eperm(struct contid_world *w,
				    struct cap_write_args *a)
{
	pid_t reaped = spawn_zombie(w, INIT);

	reap_ok(w, reaped);
	a->writer = spawn_unprivileged(w, INIT);
	a->target = reaped;
	a->buf = "1";
}

static void c_einval_vs_enoprotoopt(struct contid_world *w,
				    struct cap_write_args *a)
{
	a->writer = INIT;
	a->target = spawn_zombie(w, INIT);
	a->buf = "1 ";
}

static void c_erange_vs_enoprotoopt(struct contid_world *w,
				    struct cap_write_args *a)
{
	a->writer = INIT;
	a->target = spawn_zombie(w, INIT);
	a->buf = "4294967296";
}

static void c_einval_vs_eperm(struct contid_world *w,
			      struct cap_write_args *a)
{
	a->writer = spawn_unprivileged(w, INIT);
	a->target = spawn(w, a->writer);
	a->buf = "-1";
}

static void c_enoprotoopt_vs_exdev(struct contid_world *w,
				   struct cap_write_args *a)
{
	a->writer = spawn(w, INIT);
	a->target = spawn_zombie(w, INIT);
	a->buf = "1";
}

static void c_enoprotoopt_vs_eperm(struct contid_world *w,
				   struct cap_write_args *a)
{
	a->writer = spawn_unprivileged(w, INIT);
	a->target = spawn_zombie(w, a->writer);
	a->buf = "1";
}

static void c_enoprotoopt_vs_exdev_vs_eperm(struct contid_world *w,
					    struct cap_write_args *a)
{
	a->writer = spawn_unprivileged(w, INIT);
	a->target = spawn_zombie(w, INIT);
	a->buf = "1";
}

static void c_enoprotoopt_zombie_leader(struct contid_world *w,
					struct cap_write_args *a)
{
	a->target = spawn(w, INIT);
	spawn_thread(w, a->target);
	exit_ok(w, a->target);
	a->writer = INIT;
	a->buf = "1";
}

static void c_exdev_sibling_vs_eperm(struct contid_world *w,
				     struct cap_write_args *a)
{
	a->writer = spawn_unprivileged(w, INIT);
	a->target = spawn(w, INIT);
	a->buf = "1";
}

static void c_exdev_self_vs_eperm(struct contid_world *w,
				  struct cap_write_args *a)
{
	a->writer = spawn_unprivileged(w, INIT);
	a->target = a->writer;
	a->buf = "1";
}

static void c_exdev_self_capable(struct contid_world *w,
				 struct cap_write_args *a)
{
	a->writer = INIT;
	a->target = INIT;
	a->buf = "1";
}

static void c_exdev_ancestor(struct contid_world *w, struct cap_write_args *a)
{
	a->writer = spawn(w, INIT);
	a->target = INIT;
	a->buf = "1";
}

static void c_exdev_own_process(struct contid_world *w,
				struct cap_write_args *a)
{
	/* "target is the writer": a thread of the writer's own process is
	 * not a strict descendant of it (R-DESC: process granularity) */
	a->writer = spawn(w, INIT);
	a->target = spawn_thread(w, a->writer);
	a->buf = "1";
}

static void c_eperm_child(struct contid_world *w, struct cap_write_args *a)
{
	a->writer = spawn_unprivileged(w, INIT);
	a->target = spawn(w, a->writer);
	a->buf = "1";
}

static void c_eperm_child_userns(struct contid_world *w,
				 struct cap_write_args *a)
{
	/* section 5: "the posted v11 code skipped the privilege check when the
	 * writer sat outside the initial user namespace ... the reference
	 * semantics keep the check" */
	a->writer = fork_ok(w, INIT, CONTID_CLONE_NEWUSER);
	a->target = spawn(w, a->writer);
	a->buf = "1";
}

static void c_eperm_setuid(struct contid_world *w, struct cap_write_args *a)
{
	a->writer = spawn(w, INIT);
	ck_assert_int_eq(contid_setuid(w, a->writer, 1000), 0);
	a->target = spawn(w, a->writer);
	a->buf = "1";
}

static const struct cap_order_case cap_order_cases[] = {
	{ "writer ESRCH vs parse", c_writer_esrch_vs_parse, ESRCH },
	{ "target ESRCH vs parse", c_target_esrch_vs_parse, ESRCH },
	{ "target ESRCH vs EPERM", c_target_esrch_vs_eperm, ESRCH },
	{ "EINVAL vs ENOPROTOOPT", c_einval_vs_enoprotoopt, EINVAL },
	{ "ERANGE vs ENOPROTOOPT", c_erange_vs_enoprotoopt, ERANGE },
	{ "EINVAL vs EPERM", c_einval_vs_eperm, EINVAL },
	{ "ENOPROTOOPT vs EXDEV", c_enoprotoopt_vs_exdev, ENOPROTOOPT },
	{ "ENOPROTOOPT vs EPERM", c_enoprotoopt_vs_eperm, ENOPROTOOPT },
	{ "ENOPROTOOPT vs EXDEV vs EPERM", c_enoprotoopt_vs_exdev_vs_eperm,
	  ENOPROTOOPT },
	{ "ENOPROTOOPT zombie leader", c_enoprotoopt_zombie_leader,
	  ENOPROTOOPT },
	{ "EXDEV sibling vs EPERM", c_exdev_sibling_vs_eperm, EXDEV },
	{ "EXDEV self vs EPERM", c_exdev_self_vs_eperm, EXDEV },
	{ "EXDEV self capable", c_exdev_self_capable, EXDEV },
	{ "EXDEV ancestor", c_exdev_ancestor, EXDEV },
	{ "EXDEV own process", c_exdev_own_process, EXDEV },
	{ "EPERM child", c_eperm_child, EPERM },
	{ "EPERM child user namespace", c_eperm_child_userns, EPERM },
	{ "EPERM after setuid", c_eperm_setuid, EPERM },
};

/*
 * Section 5: "Checks in order: target released: ENOPROTOOPT; target is the
 * writer or not a strict descendant: EXDEV; writer neither
 * capable(CAP_AUDIT_CONTROL) nor capcontid != 0: EPERM", after the front end
 * (writer ESRCH, target ESRCH, parse) as docs/semantics.md (g) says.
 */
START_TEST(test_capcontid_order_ENOPROTOOPT_EXDEV_EPERM)
{
	const struct cap_order_case *c = &cap_order_cases[_i];
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	struct cap_write_args a = { 0, 0, NULL };
	uint32_t before = 0;
	int known, ret;

	c->setup(w, &a);
	known = contid_task_capcontid(w, a.target, &before) == 0;
	ret = capwrite_str(w, a.writer, a.target, a.buf);
	ck_assert_msg(ret == -c->err, "%s: got %d (%s), expected -%s", c->name,
		      ret, contid_errno_name(ret) ? contid_errno_name(ret) : "?",
		      contid_errno_name(c->err));
	if (known)
		ck_assert_uint_eq(capcontid_of(w, a.target), before);
	assert_invariants(w);
}
END_TEST

START_TEST(test_capcontid_allowed_returns_0_or_length)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t a = spawn(w, INIT);
	pid_t b, g;
	uint32_t v = 0;

	ck_assert_int_eq(contid_set_capcontid(w, INIT, a, 7), 0);
	ck_assert_uint_eq(capcontid_of(w, a), 7);
	b = spawn(w, a);
	ck_assert_int_eq(capwrite_str(w, INIT, b, "8\n"), 2);
	ck_assert_uint_eq(capcontid_of(w, b), 8);
	g = spawn(w, b);
	/* a grandchild is a strict descendant too */
	ck_assert_int_eq(capwrite_str(w, INIT, g, "+9"), 2);
	ck_assert_int_eq(contid_get_capcontid(w, INIT, g, &v), 0);
	ck_assert_uint_eq(v, 9);
	/* re-writing is allowed: no "already set" rule for capcontid */
	setcap_ok(w, INIT, g, 70);
	ck_assert_uint_eq(capcontid_of(w, g), 70);
	ck_assert_uint_eq(capcontid_of(w, a), 7);
	ck_assert_uint_eq(capcontid_of(w, INIT), 0);
	assert_invariants(w);
}
END_TEST

/*
 * Section 5 lists three checks only: no R-SET-3-like rule, so a target with
 * children or threads may get capcontid.
 */
START_TEST(test_capcontid_target_with_children_is_allowed)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t a = spawn(w, INIT);
	pid_t ac = spawn(w, a);
	pid_t at = spawn_thread(w, a);

	setcap_ok(w, INIT, a, 1);
	ck_assert_uint_eq(capcontid_of(w, a), 1);
	ck_assert_uint_eq(capcontid_of(w, ac), 0);
	(void)at;
	assert_invariants(w);
}
END_TEST

static const uint32_t enabling_values[] = {
	1, 2, 255, 65536, 0x80000000u, 4294967295u,
};

/* "Any non-zero value enables." */
START_TEST(test_capcontid_any_nonzero_enables)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	uint32_t value = enabling_values[_i];
	pid_t d = spawn_unprivileged(w, INIT);
	pid_t c;
	uint64_t id = 0;
	uint32_t v = 0;

	/* without it: EPERM for set, get and capcontid writes */
	c = spawn(w, d);
	ck_assert_int_eq(contid_set(w, d, c, 100), -EPERM);
	ck_assert_int_eq(contid_get(w, d, c, &id), -EPERM);
	ck_assert_int_eq(contid_set_capcontid(w, d, c, 1), -EPERM);
	ck_assert_int_eq(contid_get_capcontid(w, d, c, &v), -EPERM);
	exit_ok(w, c);
	reap_ok(w, c);

	setcap_ok(w, INIT, d, value);
	ck_assert_uint_eq(capcontid_of(w, d), value);
	c = spawn(w, d);
	set_ok(w, d, c, 100);
	ck_assert_int_eq(contid_get(w, d, c, &id), 0);
	ck_assert_uint_eq(id, 100);
	ck_assert_int_eq(contid_get_capcontid(w, d, d, &v), 0);
	ck_assert_uint_eq(v, value);
	setcap_ok(w, d, c, 3);
	ck_assert_uint_eq(capcontid_of(w, c), 3);
	assert_invariants(w);
}
END_TEST

/* Only non-zero enables: writing 0 takes the right away again. */
START_TEST(test_capcontid_zero_disables)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t d = spawn_unprivileged(w, INIT);
	pid_t c;
	uint64_t id = 0;

	setcap_ok(w, INIT, d, 1);
	c = spawn(w, d);
	ck_assert_int_eq(contid_get(w, d, c, &id), 0);
	exit_ok(w, c);
	reap_ok(w, c);
	ck_assert_int_eq(capwrite_str(w, INIT, d, "0\n"), 2);
	c = spawn(w, d);
	ck_assert_uint_eq(capcontid_of(w, d), 0);
	ck_assert_int_eq(contid_set(w, d, c, 100), -EPERM);
	ck_assert_int_eq(contid_get(w, d, c, &id), -EPERM);
	assert_invariants(w);
}
END_TEST

/* "Not inherited by children"; R-FORK: "a new task starts with 0". */
START_TEST(test_capcontid_not_inherited)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t d = spawn_unprivileged(w, INIT);
	pid_t k, kc, dt, leaf;

	setcap_ok(w, INIT, d, 5);
	k = spawn(w, d);
	dt = spawn_thread(w, d);
	leaf = spawn(w, d);
	kc = spawn(w, k);
	ck_assert_uint_eq(capcontid_of(w, k), 0);
	ck_assert_uint_eq(capcontid_of(w, dt), 0);
	ck_assert_uint_eq(capcontid_of(w, kc), 0);
	/* the children copied the dropped capability set, and have no
	 * capcontid: no right at all */
	ck_assert_int_eq(contid_set(w, k, kc, 100), -EPERM);
	ck_assert_int_eq(contid_set(w, dt, leaf, 101), -EPERM);
	/* d itself keeps it */
	set_ok(w, d, leaf, 102);
	assert_invariants(w);
}
END_TEST

/* "Reading needs the same privilege as reading the ID." */
START_TEST(test_capcontid_read_privilege)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t t = spawn(w, INIT);
	pid_t unpriv = spawn_unprivileged(w, INIT);
	pid_t inner = fork_ok(w, INIT, CONTID_CLONE_NEWUSER);
	pid_t deleg = spawn_unprivileged(w, INIT);
	pid_t zreader = spawn_zombie(w, INIT);
	uint32_t v = 777;

	setcap_ok(w, INIT, t, 11);
	ck_assert_int_eq(contid_get_capcontid(w, unpriv, t, &v), -EPERM);
	ck_assert_int_eq(contid_get_capcontid(w, unpriv, unpriv, &v), -EPERM);
	ck_assert_int_eq(contid_get_capcontid(w, inner, t, &v), -EPERM);
	ck_assert_uint_eq(v, 777);
	/* as for get: unknown target ESRCH before the privilege, and the
	 * reader, an acting task, must be running */
	ck_assert_int_eq(contid_get_capcontid(w, unpriv, NO_SUCH_PID, &v),
			 -ESRCH);
	ck_assert_int_eq(contid_get_capcontid(w, INIT, NO_SUCH_PID, &v),
			 -ESRCH);
	ck_assert_int_eq(contid_get_capcontid(w, zreader, t, &v), -ESRCH);
	ck_assert_uint_eq(v, 777);
	ck_assert_int_eq(contid_get_capcontid(w, INIT, t, &v), 0);
	ck_assert_uint_eq(v, 11);
	setcap_ok(w, INIT, deleg, 1);
	v = 0;
	ck_assert_int_eq(contid_get_capcontid(w, deleg, t, &v), 0);
	ck_assert_uint_eq(v, 11);
	ck_assert_int_eq(contid_get_capcontid(w, INIT, unpriv, &v), 0);
	ck_assert_uint_eq(v, 0);
}
END_TEST

/* "Reading capcontid of a zombie gives 0." */
START_TEST(test_capcontid_zombie_reads_0)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t a = spawn(w, INIT);
	pid_t leader = spawn(w, INIT);
	pid_t thread;
	uint32_t v = 777;

	setcap_ok(w, INIT, a, 7);
	setcap_ok(w, INIT, leader, 8);
	thread = spawn_thread(w, leader);
	exit_ok(w, a);
	exit_ok(w, leader); /* a zombie leader of a live thread */
	ck_assert_int_eq(contid_get_capcontid(w, INIT, a, &v), 0);
	ck_assert_uint_eq(v, 0);
	v = 777;
	ck_assert_int_eq(contid_get_capcontid(w, INIT, leader, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_uint_eq(capcontid_of(w, a), 0);
	ck_assert_uint_eq(capcontid_of(w, leader), 0);
	ck_assert_int_eq(contid_set_capcontid(w, INIT, a, 1), -ENOPROTOOPT);
	(void)thread;
}
END_TEST

/* A task with capcontid but no CAP_AUDIT_CONTROL (dropped). */
START_TEST(test_capcontid_delegation_after_drop_cap)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t d = spawn_unprivileged(w, INIT);
	pid_t c, g;
	uint64_t id = 0;

	setcap_ok(w, INIT, d, 1);
	c = spawn(w, d);
	set_ok(w, d, c, 100);
	ck_assert_int_eq(contid_get(w, d, c, &id), 0);
	ck_assert_uint_eq(id, 100);
	ck_assert_int_eq(owner_pid_of(w, 100), d);
	/* it may delegate in turn */
	setcap_ok(w, d, c, 1);
	g = spawn(w, c);
	/* nesting: c is not the owner of 100 and descends from d */
	set_ok(w, c, g, 200);
	assert_chain(w, g, "200,^100");
	assert_invariants(w);
}
END_TEST

/* A task in a child user namespace is never capable() (R-CAP). */
START_TEST(test_capcontid_delegation_in_child_userns)
{
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	pid_t engine0 = fork_ok(w, INIT, CONTID_CLONE_NEWUSER);
	pid_t c0 = spawn(w, engine0);
	pid_t engine = fork_ok(w, INIT, CONTID_CLONE_NEWUSER);
	pid_t c, c2;
	unsigned level = 0;
	uint64_t id = 0;

	ck_assert_int_eq(contid_task_userns_level(w, engine, &level), 0);
	ck_assert_uint_eq(level, 1);
	/* without capcontid */
	ck_assert_int_eq(contid_set(w, engine0, c0, 100), -EPERM);
	ck_assert_int_eq(contid_get(w, engine0, c0, &id), -EPERM);
	/* with it */
	setcap_ok(w, INIT, engine, 1);
	c = spawn(w, engine);
	c2 = spawn(w, engine);
	set_ok(w, engine, c, 100);
	ck_assert_int_eq(contid_get(w, engine, c, &id), 0);
	ck_assert_uint_eq(id, 100);
	setcap_ok(w, engine, c2, 9);
	ck_assert_uint_eq(capcontid_of(w, c2), 9);
	assert_invariants(w);
}
END_TEST

/*
 * "(capcontid: the same with kstrtou32_from_user, first 34 bytes, ERANGE
 * above 2^32-1.)"  Buffer = head + nfill * fill + tail.
 */
struct cap_parse_case {
	const char *name;
	const char *head;
	size_t head_len;
	char fill;
	size_t nfill;
	const char *tail;
	size_t tail_len;
	int err;
	uint32_t value;
};

#define S(s) s, sizeof(s) - 1
#define NOFILL '0', 0
#define NOTAIL "", 0
#define OK(v) 0, (v)
#define ERR(e) (e), 0

static const struct cap_parse_case cap_parse_cases[] = {
	{ "digit", S("1"), NOFILL, NOTAIL, OK(1) },
	{ "digit newline", S("1\n"), NOFILL, NOTAIL, OK(1) },
	{ "plus", S("+1"), NOFILL, NOTAIL, OK(1) },
	{ "plus newline", S("+1\n"), NOFILL, NOTAIL, OK(1) },
	{ "zero", S("0"), NOFILL, NOTAIL, OK(0) },
	{ "leading zeros", S("007"), NOFILL, NOTAIL, OK(7) },
	{ "2^32-1", S("4294967295"), NOFILL, NOTAIL, OK(4294967295u) },
	{ "+2^32-1 newline", S("+4294967295\n"), NOFILL, NOTAIL,
	  OK(4294967295u) },
	{ "NUL ends", S("3\0x"), NOFILL, NOTAIL, OK(3) },
	{ "empty", "", 0, NOFILL, NOTAIL, ERR(EINVAL) },
	{ "NUL first", S("\0" "1"), NOFILL, NOTAIL, ERR(EINVAL) },
	{ "newline only", S("\n"), NOFILL, NOTAIL, ERR(EINVAL) },
	{ "plus only", S("+"), NOFILL, NOTAIL, ERR(EINVAL) },
	{ "two plus", S("++1"), NOFILL, NOTAIL, ERR(EINVAL) },
	{ "minus", S("-1"), NOFILL, NOTAIL, ERR(EINVAL) },
	{ "leading space", S(" 1"), NOFILL, NOTAIL, ERR(EINVAL) },
	{ "trailing space", S("1 "), NOFILL, NOTAIL, ERR(EINVAL) },
	{ "two newlines", S("1\n\n"), NOFILL, NOTAIL, ERR(EINVAL) },
	{ "hex", S("0x1"), NOFILL, NOTAIL, ERR(EINVAL) },
	{ "2^32", S("4294967296"), NOFILL, NOTAIL, ERR(ERANGE) },
	{ "+2^32 newline", S("+4294967296\n"), NOFILL, NOTAIL, ERR(ERANGE) },
	{ "2^64-1", S("18446744073709551615"), NOFILL, NOTAIL, ERR(ERANGE) },
	{ "20 nines", S("99999999999999999999"), NOFILL, NOTAIL, ERR(ERANGE) },
	/* above 2^64-1 the digits overflow before the junk is seen */
	{ "2^64 junk", S("18446744073709551616x"), NOFILL, NOTAIL,
	  ERR(ERANGE) },
	/*
	 * "read like ... kstrtou32_from_user" (and "where this file is
	 * silent, mirror what Linux does"): Linux's kstrtou32 is kstrtoull
	 * (digits parsed as a u64, then the trailing '\n' and junk check)
	 * followed by the u32 range check.  A value that fits in a u64 but
	 * not in a u32 is therefore ERANGE only when nothing invalid follows
	 * it; with junk after it the u64 parse already fails with EINVAL.
	 * (R-W-2's "ERANGE before any trailing junk" holds for u64 overflow,
	 * see "2^64 junk" above.)
	 */
	{ "2^32 junk", S("4294967296x"), NOFILL, NOTAIL, ERR(EINVAL) },
	{ "2^32 two newlines", S("4294967296\n\n"), NOFILL, NOTAIL,
	  ERR(EINVAL) },
	{ "2^64-1 space", S("18446744073709551615 "), NOFILL, NOTAIL,
	  ERR(EINVAL) },
	/* --- the 34-byte cut --- */
	{ "33 zeros 1", NOTAIL, '0', 33, S("1"), OK(1) },           /* 34 */
	{ "34 zeros 1", NOTAIL, '0', 34, S("1"), OK(0) },           /* 35 */
	{ "32 zeros 1 newline", NOTAIL, '0', 32, S("1\n"), OK(1) }, /* 34 */
	{ "33 zeros 1 newline", NOTAIL, '0', 33, S("1\n"), OK(1) }, /* 35 */
	{ "33 zeros 1 junk", NOTAIL, '0', 33, S("1x"), OK(1) },     /* 35 */
	{ "32 zeros 1 junk", NOTAIL, '0', 32, S("1x"), ERR(EINVAL) },
	{ "33 zeros newline 5", NOTAIL, '0', 33, S("\n5"), OK(0) }, /* 35 */
	{ "plus 32 zeros 1", S("+"), '0', 32, S("1"), OK(1) },      /* 34 */
	{ "plus 33 zeros 1", S("+"), '0', 33, S("1"), OK(0) },      /* 35 */
	/* 24 + 10 = 34 bytes: 2^32 read whole */
	{ "24 zeros 2^32", NOTAIL, '0', 24, S("4294967296"), ERR(ERANGE) },
	/* 35 bytes: the last digit is cut, leaving 429496729 */
	{ "25 zeros 2^32", NOTAIL, '0', 25, S("4294967296"), OK(429496729) },
	{ "24 zeros 2^32-1", NOTAIL, '0', 24, S("4294967295"),
	  OK(4294967295u) },
	{ "34 nines", NOTAIL, '9', 34, NOTAIL, ERR(ERANGE) },
	{ "100 zeros", NOTAIL, '0', 100, NOTAIL, OK(0) },
	{ "6 NUL 98 junk", S("6\0"), 'x', 98, NOTAIL, OK(6) },
};

START_TEST(test_capcontid_parse_table)
{
	const struct cap_parse_case *c = &cap_parse_cases[_i];
	struct test_world *tw = open_world();
	struct contid_world *w = tw->w;
	size_t len = c->head_len + c->nfill + c->tail_len;
	static char buf[2048];
	pid_t target = spawn(w, INIT);
	int ret;

	ck_assert_uint_le(len, sizeof(buf));
	memcpy(buf, c->head, c->head_len);
	memset(buf + c->head_len, c->fill, c->nfill);
	memcpy(buf + c->head_len + c->nfill, c->tail, c->tail_len);
	/* a non-zero start shows whether a 0 was really written */
	setcap_ok(w, INIT, target, 99);
	tw_records_clear(tw);
	ret = contid_write_capcontid(w, INIT, target, buf, len);
	if (c->err == 0) {
		ck_assert_msg(ret == (int)len, "%s: got %d, expected %zu",
			      c->name, ret, len);
		ck_assert_msg(capcontid_of(w, target) == c->value,
			      "%s: capcontid %u, expected %u", c->name,
			      capcontid_of(w, target), c->value);
	} else {
		ck_assert_msg(ret == -c->err, "%s: got %d (%s), expected -%s",
			      c->name, ret,
			      contid_errno_name(ret) ? contid_errno_name(ret) : "?",
			      contid_errno_name(c->err));
		ck_assert_uint_eq(capcontid_of(w, target), 99);
		/* "Parse errors produce no record." */
		ck_assert_msg(tw->nrecords == 0, "%s: %zu records", c->name,
			      tw->nrecords);
	}
}
END_TEST

/* ----------------------------------------------------------------- suite */

#define N_ELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *suite_capcontid(void)
{
	Suite *s = suite_create("capcontid");
	TCase *tc;

	tc = world_tcase(s, "capcontid");
	tcase_add_loop_test(tc, test_capcontid_order_ENOPROTOOPT_EXDEV_EPERM, 0,
			    N_ELEMS(cap_order_cases));
	tcase_add_test(tc, test_capcontid_allowed_returns_0_or_length);
	tcase_add_test(tc, test_capcontid_target_with_children_is_allowed);
	tcase_add_loop_test(tc, test_capcontid_any_nonzero_enables, 0,
			    N_ELEMS(enabling_values));
	tcase_add_test(tc, test_capcontid_zero_disables);
	tcase_add_test(tc, test_capcontid_not_inherited);
	tcase_add_test(tc, test_capcontid_read_privilege);
	tcase_add_test(tc, test_capcontid_zombie_reads_0);
	tcase_add_test(tc, test_capcontid_delegation_after_drop_cap);
	tcase_add_test(tc, test_capcontid_delegation_in_child_userns);
	tcase_add_loop_test(tc, test_capcontid_parse_table, 0,
			    N_ELEMS(cap_parse_cases));

	return s;
}
