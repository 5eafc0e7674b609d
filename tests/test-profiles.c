/*
 * The rule-set profiles of SEMANTICS.md section 9: each debated question
 * as a table with one expected answer per profile, plus the behaviour that
 * only one profile has (v8's depth limit, v11-posted's slips, bits, the
 * kernel allocator, v6 and v8 record formats).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "contid.h"
#include "test-helpers.h"

enum { V11, V6, V8, V11_POSTED, BITS, KERNEL_ALLOC, NPROFILES };
static const char *const names[NPROFILES] = {
	"v11", "v6", "v8", "v11-posted", "bits", "kernel-alloc",
};

static char last_op[1024];

static void capture(void *data, int type, const char *line, size_t len)
{
	(void)data;
	if (type == CONTID_RECORD_CONTAINER_OP && len < sizeof(last_op))
		memcpy(last_op, line, len + 1);
}

static struct contid_world *world(int profile)
{
	struct contid_world *w;

	ck_assert_int_eq(contid_world_new(&w), 0);
	ck_assert_int_eq(contid_world_set_profile(w, names[profile]), 0);
	ck_assert_str_eq(contid_world_profile(w), names[profile]);
	ck_assert_int_eq(contid_world_set_record_callback(w, capture, NULL), 0);
	last_op[0] = '\0';
	return w;
}

/* The value a first write uses: kernel-alloc only accepts 0 for new IDs. */
static uint64_t fresh(int profile, uint64_t v)
{
	return profile == KERNEL_ALLOC ? 0 : v;
}

/* ------------------------------------------------------- the questions */

/* May a task set its own ID?  (v11 EXDEV R-SET-4, v8 EBADSLT, v6 yes) */
static int q_self_set(int p, struct contid_world *w)
{
	pid_t a = fork_ok(w, 1, 0);
	return contid_set(w, a, a, fresh(p, 5));
}

/* May the owner change a container's ID?  (v11 EEXIST R-SET-5, v8 ECHILD) */
static int q_reset_by_owner(int p, struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_set(w, o, c, fresh(p, 4)), 0);
	return contid_set(w, o, c, fresh(p, 6));
}

/* Writing the value a task already has (v8 EADDRINUSE before EPERM). */
static int q_same_value_unprivileged(int p, struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_set(w, o, c, fresh(p, 4)), 0);
	uint64_t v;
	ck_assert_int_eq(contid_get(w, 1, c, &v), 0);
	ck_assert_int_eq(contid_setuid(w, o, 1000), 0);  /* loses every cap */
	return contid_set(w, o, c, v);
}

/* May another orchestrator take a value someone owns (injection)? */
static int q_two_orchestrators(int p, struct contid_world *w)
{
	pid_t o1 = fork_ok(w, 1, 0), o2 = fork_ok(w, 1, 0);
	pid_t c1 = fork_ok(w, o1, 0), c2 = fork_ok(w, o2, 0);
	uint64_t v;
	ck_assert_int_eq(contid_set(w, o1, c1, fresh(p, 30)), 0);
	ck_assert_int_eq(contid_get(w, 1, c1, &v), 0);
	return contid_set(w, o2, c2, v);
}

/* May a task set a task that is not its descendant? */
static int q_not_descendant(int p, struct contid_world *w)
{
	pid_t o1 = fork_ok(w, 1, 0), o2 = fork_ok(w, 1, 0), c1 = fork_ok(w, o1, 0);
	(void)o2;
	return contid_set(w, o2, c1, fresh(p, 7));
}

/* Does a delegated capcontid give an unprivileged engine the right? */
static int q_capcontid_delegation(int p, struct contid_world *w)
{
	pid_t e = fork_ok(w, 1, 0);
	ck_assert_int_eq(contid_set_capcontid(w, 1, e, 1), 0);
	ck_assert_int_eq(contid_setuid(w, e, 1000), 0);
	pid_t c = fork_ok(w, e, 0);
	return contid_set(w, e, c, fresh(p, 8));
}

/* May a multi-threaded target be set? (v11 EBUSY, v6/v8 EALREADY) */
static int q_threaded_target(int p, struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	fork_ok(w, c, CONTID_CLONE_THREAD);
	return contid_set(w, o, c, fresh(p, 9));
}

/* Unset can never be written (R-SET-1 everywhere). */
static int q_write_unset(int p, struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	(void)p;
	return contid_set(w, o, c, CONTID_UNSET);
}

/* Nesting by an engine below the owner. */
static int q_nest_below_owner(int p, struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_set(w, o, c, fresh(p, 8)), 0);
	pid_t e = fork_ok(w, c, 0), c2 = fork_ok(w, e, 0);
	uint64_t v;
	ck_assert_int_eq(contid_get(w, 1, c, &v), 0);
	if (p == BITS)  /* 8 = 0b1000: 12 keeps bit 3 and adds bit 2 below it */
		return contid_set(w, e, c2, 12);
	/* c2 inherited c's ID; the engine sets a new one below it */
	return contid_set(w, e, c2, fresh(p, 20));
}

static const struct question {
	const char *name;
	int (*run)(int profile, struct contid_world *w);
	int expected[NPROFILES];  /* 0 or -errno, in names[] order */
} questions[] = {
	{ "self-set", q_self_set,
	  { -EXDEV, 0, -EBADSLT, -EXDEV, -EXDEV, -EXDEV } },
	{ "re-set-by-owner", q_reset_by_owner,
	  /* bits: 4 = 0b100 -> 6 = 0b110 adds bit 1 below bit 2: allowed */
	  { -EEXIST, 0, -ECHILD, -EEXIST, 0, -EEXIST } },
	{ "same-value-unprivileged", q_same_value_unprivileged,
	  { -EPERM, -EPERM, -EADDRINUSE, -EPERM, -EPERM, -EPERM } },
	{ "two-orchestrators", q_two_orchestrators,
	  { -ENOTUNIQ, 0, -ENOTUNIQ, -ENOTUNIQ, 0, -ENOTUNIQ } },
	{ "not-descendant", q_not_descendant,
	  { -EXDEV, 0, -EXDEV, -EXDEV, -EXDEV, -EXDEV } },
	{ "capcontid-delegation", q_capcontid_delegation,
	  { 0, -EPERM, -EPERM, 0, 0, 0 } },
	{ "threaded-target", q_threaded_target,
	  { -EBUSY, -EALREADY, -EALREADY, -EBUSY, -EBUSY, -EBUSY } },
	{ "write-unset", q_write_unset,
	  { -EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL } },
	{ "nest-below-owner", q_nest_below_owner,
	  { 0, 0, 0, 0, 0, 0 } },
};

#define NQUESTIONS (sizeof(questions) / sizeof(questions[0]))

START_TEST(test_profiles_debated_questions)
{
	const struct question *q = &questions[_i / NPROFILES];
	int p = _i % NPROFILES;
	struct contid_world *w = world(p);

	int r = q->run(p, w);
	ck_assert_msg(r == q->expected[p], "%s under %s: expected %d, got %d",
		      q->name, names[p], q->expected[p], r);
	assert_invariants(w);
	contid_world_free(w);
}
END_TEST

/* ------------------------------------------------------- selection */

START_TEST(test_profiles_selection)
{
	struct contid_world *w;
	const char *const *list = contid_profile_names();

	for (int i = 0; i < NPROFILES; i++)
		ck_assert_str_eq(list[i], names[i]);
	ck_assert_ptr_null(list[NPROFILES]);
	ck_assert_int_eq(contid_world_new(&w), 0);
	ck_assert_str_eq(contid_world_profile(w), "v11");  /* the default */
	ck_assert_int_eq(contid_world_set_profile(w, "v7"), -EINVAL);
	ck_assert_int_eq(contid_world_set_profile(w, NULL), -EINVAL);
	ck_assert_str_eq(contid_world_profile(w), "v11");
	ck_assert_int_eq(contid_world_set_profile(w, "v8"), 0);
	pid_t child;
	ck_assert_int_eq(contid_fork(w, 1, 0, &child), 0);
	/* after the first operation the rules cannot change */
	ck_assert_int_eq(contid_world_set_profile(w, "v6"), -EBUSY);
	ck_assert_int_eq(contid_world_set_profile(w, "v8"), 0);
	ck_assert_str_eq(contid_world_profile(w), "v8");
	contid_world_free(w);
}
END_TEST

/* ------------------------------------------------------------- v8 */

START_TEST(test_profiles_v8_depth_limit_emlink)
{
	for (unsigned limit = 0; limit <= 5; limit++) {
		struct contid_world *w = world(V8);
		ck_assert_int_eq(contid_world_set_depth_limit(w, limit), 0);
		/* a chain of tasks, each forked after its parent got its ID (so
		 * the child is childless and inherits it) and then given a new
		 * ID by that parent: the writer's chain is one deeper each time */
		pid_t writer = fork_ok(w, 1, 0);
		for (int i = 1; i < 6; i++) {
			pid_t child = fork_ok(w, writer, 0);
			unsigned writer_depth = (unsigned)(i - 1);
			int want = limit && writer_depth >= limit ? -EMLINK : 0;
			int r = contid_set(w, writer, child, 100 + (uint64_t)i);
			ck_assert_msg(r == want, "limit %u, writer depth %u: %d",
				      limit, writer_depth, r);
			if (r < 0)
				break;
			writer = child;
		}
		assert_invariants(w);
		contid_world_free(w);
	}
}
END_TEST

START_TEST(test_profiles_v8_default_depth_limit_is_4)
{
	struct contid_world *w = world(V8);
	pid_t writer = fork_ok(w, 1, 0), child = 0;
	for (int i = 1; i <= 5; i++) {
		child = fork_ok(w, writer, 0);
		if (i == 5)
			break;
		ck_assert_int_eq(contid_set(w, writer, child, 100 + (uint64_t)i), 0);
		writer = child;
	}
	/* the writer's chain is 4 deep: a fifth level is refused */
	ck_assert_int_eq(contid_set(w, writer, child, 105), -EMLINK);
	contid_world_free(w);
}
END_TEST

START_TEST(test_profiles_v8_chain_and_unset_format)
{
	struct contid_world *w = world(V8);
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	char chain[64];

	ck_assert_int_eq(contid_task_chain(w, c, chain, sizeof(chain)), 20);
	ck_assert_str_eq(chain, "18446744073709551615");
	ck_assert_int_eq(contid_set(w, o, c, 100), 0);
	ck_assert_str_eq(last_op, "type=CONTAINER_OP msg=audit(1700000000.002:1): "
		"op=set opid=3 contid=100 old-contid=18446744073709551615");
	pid_t e = fork_ok(w, c, 0), c2 = fork_ok(w, e, 0);
	ck_assert_int_eq(contid_set(w, e, c2, 200), 0);
	ck_assert_int_eq(contid_task_chain(w, c2, chain, sizeof(chain)), 7);
	ck_assert_str_eq(chain, "200^100");
	contid_world_free(w);
}
END_TEST

/* ------------------------------------------------------------- v6 */

START_TEST(test_profiles_v6_record_fields_and_no_owner)
{
	struct contid_world *w = world(V6);
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_task_set_name(w, o, "orch"), 0);
	ck_assert_int_eq(contid_set(w, o, c, 100), 0);
	ck_assert_str_eq(last_op, "type=CONTAINER_OP msg=audit(1700000000.002:1): "
		"op=set opid=3 contid=100 old-contid=-1 pid=2 uid=0 auid=4294967295 "
		"tty=(none) ses=4294967295 comm=\"orch\" exe=\"/usr/bin/orch\" res=1");
	/* re-setting any value succeeds, and values are nobody's */
	ck_assert_int_eq(contid_set(w, o, c, 200), 0);
	uint64_t owner = 1;
	pid_t owner_pid = 1;
	ck_assert_int_eq(contid_id_owner(w, 200, &owner, &owner_pid), 0);
	ck_assert_uint_eq(owner, 0);
	ck_assert_int_eq(owner_pid, 0);
	/* an exit frees the value without an op=drop record */
	last_op[0] = '\0';
	ck_assert_int_eq(contid_exit(w, c), 0);
	ck_assert_str_eq(last_op, "");
	ck_assert_int_eq(contid_id_owner(w, 200, NULL, NULL), -ENOENT);
	assert_invariants(w);
	contid_world_free(w);
}
END_TEST

/* ----------------------------------------------------- v11-posted */

/* Builds orch -> c(100) -> engine -> c2(200, nested below 100) and lets
 * everything below orch exit: returns the world; orch is *orch_out. */
static struct contid_world *nested_then_gone(int p, pid_t *orch_out)
{
	struct contid_world *w = world(p);
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_set(w, o, c, 100), 0);
	pid_t e = fork_ok(w, c, 0), c2 = fork_ok(w, e, 0);
	ck_assert_int_eq(contid_set(w, e, c2, 200), 0);
	ck_assert_int_eq(contid_exit(w, c2), 0);
	ck_assert_int_eq(contid_exit(w, e), 0);
	ck_assert_int_eq(contid_exit(w, c), 0);
	*orch_out = o;
	return w;
}

START_TEST(test_profiles_v11_posted_leaks_outer_id)
{
	pid_t o;
	struct contid_world *w = nested_then_gone(V11, &o);
	ck_assert_int_eq(contid_id_owner(w, 100, NULL, NULL), -ENOENT);  /* freed */
	contid_world_free(w);

	w = nested_then_gone(V11_POSTED, &o);
	unsigned refs = 0;
	ck_assert_int_eq(contid_id_refs(w, 100, &refs), 0);  /* still reserved */
	ck_assert_uint_eq(refs, 1);
	ck_assert_int_eq(contid_id_owner(w, 200, NULL, NULL), -ENOENT);
	assert_invariants(w);  /* the checker knows this profile's leak */
	/* nobody else may create 100 again; the owner may still inject */
	pid_t other = fork_ok(w, 1, 0), d = fork_ok(w, other, 0);
	ck_assert_int_eq(contid_set(w, other, d, 100), -ENOTUNIQ);
	pid_t c3 = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_set(w, o, c3, 100), 0);
	assert_invariants(w);
	contid_world_free(w);
}
END_TEST

START_TEST(test_profiles_v11_posted_capcontid_unchecked_outside_init_ns)
{
	for (int p = V11; p <= V11_POSTED; p += V11_POSTED - V11) {
		struct contid_world *w = world(p);
		pid_t rootless = fork_ok(w, 1, CONTID_CLONE_NEWUSER);
		pid_t c = fork_ok(w, rootless, 0);
		int r = contid_set_capcontid(w, rootless, c, 1);
		ck_assert_int_eq(r, p == V11 ? -EPERM : 0);
		contid_world_free(w);
	}
}
END_TEST

/* ------------------------------------------------------------ bits */

START_TEST(test_profiles_bits_extension)
{
	static const struct {
		uint64_t from, to;
		int want;
	} steps[] = {
		{ 8, 12, 0 },          /* 1000 -> 1100: bit 2 is below bit 3 */
		{ 8, 24, -EEXIST },    /* bit 4 is above A's lowest set bit */
		{ 8, 4, -EEXIST },     /* drops bit 3 */
		{ 8, 8, 0 },           /* B = A keeps every bit, sets none */
		{ 12, 14, 0 },
		{ 15, 31, -EEXIST },   /* nothing is below bit 0 */
		{ 0, 5, 0 },           /* 0 has no set bit: anything below */
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct contid_world *w = world(BITS);
		pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
		ck_assert_int_eq(contid_set(w, o, c, steps[i].from), 0);
		ck_assert_msg(contid_set(w, o, c, steps[i].to) == steps[i].want,
			      "%llu -> %llu", (unsigned long long)steps[i].from,
			      (unsigned long long)steps[i].to);
		assert_invariants(w);
		contid_world_free(w);
	}
}
END_TEST

START_TEST(test_profiles_bits_run_out_after_63_levels)
{
	/* each level claims one more bit below the last: 63 levels fit, and
	 * the 64th would be all ones, the value that means unset */
	struct contid_world *w = world(BITS);
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	uint64_t v = 0;
	for (int bit = 63; bit >= 0; bit--) {
		v |= UINT64_C(1) << bit;
		if (v == CONTID_UNSET) {
			ck_assert_int_eq(contid_set(w, o, c, v), -EINVAL);
			break;
		}
		ck_assert_int_eq(contid_set(w, o, c, v), 0);
	}
	contid_world_free(w);
}
END_TEST

/* ---------------------------------------------------- kernel-alloc */

START_TEST(test_profiles_kernel_alloc_lowest_free)
{
	struct contid_world *w = world(KERNEL_ALLOC);
	pid_t o = fork_ok(w, 1, 0);
	pid_t c[4];
	uint64_t v;
	for (int i = 0; i < 4; i++) {
		c[i] = fork_ok(w, o, 0);
		ck_assert_int_eq(contid_write(w, o, c[i], "0\n", 2), 2);
		ck_assert_int_eq(contid_get(w, o, c[i], &v), 0);
		ck_assert_uint_eq(v, (uint64_t)i + 1);
	}
	/* the record says what was written (SEMANTICS.md section 8), the
	 * value handed out shows in the task's later records */
	ck_assert_str_eq(last_op + strlen(last_op) - strlen("contid=0 old-contid=-1"),
			 "contid=0 old-contid=-1");
	/* a value the kernel did not hand out cannot be written */
	pid_t d = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_set(w, o, d, 9), -EINVAL);
	/* injection into a handed-out value: owner only */
	ck_assert_int_eq(contid_set(w, o, d, 2), 0);
	pid_t other = fork_ok(w, 1, 0), e = fork_ok(w, other, 0);
	ck_assert_int_eq(contid_set(w, other, e, 3), -ENOTUNIQ);
	/* freeing 1 makes it the lowest free value again */
	ck_assert_int_eq(contid_exit(w, c[0]), 0);
	ck_assert_int_eq(contid_set(w, other, e, 0), 0);
	ck_assert_int_eq(contid_get(w, 1, e, &v), 0);
	ck_assert_uint_eq(v, 1);
	pid_t f = fork_ok(w, other, 0);
	ck_assert_int_eq(contid_set(w, other, f, 0), 0);
	ck_assert_int_eq(contid_get(w, 1, f, &v), 0);
	ck_assert_uint_eq(v, 5);
	assert_invariants(w);
	contid_world_free(w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("profiles");
	TCase *tc = tcase_create("profiles-debate");
	tcase_add_loop_test(tc, test_profiles_debated_questions, 0,
			    (int)(NQUESTIONS * NPROFILES));
	tcase_add_test(tc, test_profiles_selection);
	suite_add_tcase(s, tc);
	tc = tcase_create("profile-v8");
	tcase_add_test(tc, test_profiles_v8_depth_limit_emlink);
	tcase_add_test(tc, test_profiles_v8_default_depth_limit_is_4);
	tcase_add_test(tc, test_profiles_v8_chain_and_unset_format);
	suite_add_tcase(s, tc);
	tc = tcase_create("profile-v6");
	tcase_add_test(tc, test_profiles_v6_record_fields_and_no_owner);
	suite_add_tcase(s, tc);
	tc = tcase_create("profile-v11-posted");
	tcase_add_test(tc, test_profiles_v11_posted_leaks_outer_id);
	tcase_add_test(tc, test_profiles_v11_posted_capcontid_unchecked_outside_init_ns);
	suite_add_tcase(s, tc);
	tc = tcase_create("profile-bits");
	tcase_add_test(tc, test_profiles_bits_extension);
	tcase_add_test(tc, test_profiles_bits_run_out_after_63_levels);
	suite_add_tcase(s, tc);
	tc = tcase_create("profile-kernel-alloc");
	tcase_add_test(tc, test_profiles_kernel_alloc_lowest_free);
	suite_add_tcase(s, tc);

	SRunner *runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
