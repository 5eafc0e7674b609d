/*
 * The profile contract of lib/contid-rules.h: every profile the library
 * lists has the shape of one (a resolve step, refusals with rule IDs,
 * errnos and reasons); after a refused write the world keeps the refusing
 * rule; and a profile that is in no table, registered as a test may, runs
 * as any other, which is what adding one to the table amounts to.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "contid.h"
#include "contid-id.h"
#include "contid-rules.h"
#include "contid-world.h"
#include "test-helpers.h"
#include "test-suites.h"

/* The profiles the library lists, counted before the test registers one. */
static size_t nprofiles;

static const char *profile_at(size_t i)
{
	return contid_profile_names()[i];
}

static struct contid_world *world(const char *profile)
{
	struct contid_world *w;

	ck_assert_int_eq(contid_world_new(&w), 0);
	ck_assert_int_eq(contid_world_set_profile(w, profile), 0);
	return w;
}

/* Every profile is data of one shape: a resolve step, refusals each with a
 * rule ID, an errno and a reason. */
START_TEST(test_profiles_contract_shape)
{
	for (size_t i = 0; i < nprofiles; i++) {
		const struct profile *p = profile_find(profile_at(i));
		ck_assert_ptr_nonnull(p);
		ck_assert_str_eq(p->name, profile_at(i));
		ck_assert_msg(p->resolve != NULL, "%s has no resolve step", p->name);
		ck_assert_ptr_nonnull(p->refusals);
		size_t n = 0;
		for (const struct refusal *const *r = p->refusals; *r; r++, n++) {
			ck_assert_msg((*r)->rule && (*r)->rule[0], "%s: refusal %zu has no rule ID",
				      p->name, n);
			ck_assert_msg((*r)->reason && (*r)->reason[0],
				      "%s: %s has no reason", p->name, (*r)->rule);
			ck_assert_ptr_nonnull(contid_errno_name((*r)->err));
			ck_assert_ptr_nonnull((*r)->refuses);
		}
		ck_assert_msg(n > 0, "%s refuses nothing", p->name);
	}
}
END_TEST

/* Writes each refused by one rule; each returns the write's result. */
static int w_released(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_exit(w, c), 0);
	return contid_set(w, o, c, 5);
}

static int w_unset(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	return contid_set(w, o, c, CONTID_UNSET);
}

static int w_no_right(struct contid_world *w)
{
	pid_t o = spawn_unprivileged(w, 1), c = fork_ok(w, o, 0);
	return contid_set(w, o, c, 5);
}

static int w_threaded(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	fork_ok(w, c, CONTID_CLONE_THREAD);
	return contid_set(w, o, c, 5);
}

static int w_children(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	fork_ok(w, c, 0);
	return contid_set(w, o, c, 5);
}

static int w_not_below(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, 1, 0);
	return contid_set(w, o, c, 5);
}

static int w_self(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0);
	return contid_set(w, o, o, 5);
}

static int w_already_set(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_set(w, o, c, 5), 0);
	return contid_set(w, o, c, 6);
}

static int w_not_owner(struct contid_world *w)
{
	pid_t o1 = fork_ok(w, 1, 0), c1 = fork_ok(w, o1, 0);
	pid_t o2 = fork_ok(w, 1, 0), c2 = fork_ok(w, o2, 0);
	ck_assert_int_eq(contid_set(w, o1, c1, 5), 0);
	return contid_set(w, o2, c2, 5);
}

static int w_no_such_id(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	return contid_set(w, o, c, 5);
}

static int w_over_id_limit(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c1 = fork_ok(w, o, 0), c2 = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_world_set_limit(w, CONTID_LIMIT_IDS, 1), 0);
	ck_assert_int_eq(contid_set(w, o, c1, 5), 0);
	return contid_set(w, o, c2, 6);
}

static int w_too_deep(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), e = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_world_set_depth_limit(w, 1), 0);
	ck_assert_int_eq(contid_set(w, o, e, 5), 0);
	pid_t c = fork_ok(w, e, 0);
	return contid_set(w, e, c, 6);
}

static int w_capcontid_released(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_exit(w, c), 0);
	return contid_set_capcontid(w, o, c, 1);
}

static int w_capcontid_not_below(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0);
	return contid_set_capcontid(w, o, o, 1);
}

static int w_capcontid_no_right(struct contid_world *w)
{
	pid_t o = spawn_unprivileged(w, 1), c = fork_ok(w, o, 0);
	return contid_set_capcontid(w, o, c, 1);
}

static const struct {
	const char *profile;
	int (*write)(struct contid_world *w);
	int err;
	const char *rule, *reason;
} refused[] = {
	{ "v11", w_released, ENOPROTOOPT, "R-SET-0", "the target has exited" },
	{ "v11", w_unset, EINVAL, "R-SET-1", "the value 2^64-1 means unset" },
	{ "v11", w_no_right, EPERM, "R-SET-2", "the writer has no right to set IDs" },
	{ "v11", w_threaded, EBUSY, "R-SET-3",
	  "the target is a thread or has other threads" },
	{ "v11", w_children, EBUSY, "R-SET-3", "the target has children" },
	{ "v11", w_not_below, EXDEV, "R-SET-4",
	  "the target does not strictly descend from the writer" },
	{ "v11", w_already_set, EEXIST, "R-SET-5",
	  "the target has an ID and the write does not nest" },
	{ "v11", w_not_owner, ENOTUNIQ, "R-SET-6",
	  "an ID with this value belongs to another task" },
	{ "v11", w_over_id_limit, ENOSPC, "LIMIT-IDS",
	  "the world holds as many IDs as its limit allows" },
	{ "v6", w_threaded, EALREADY, "R-SET-3",
	  "the target is a thread or has other threads" },
	{ "v8", w_self, EBADSLT, "R-SET-4", "the target is the writer" },
	{ "v8", w_already_set, ECHILD, "R-SET-5",
	  "the target's ID belongs to the writer" },
	{ "v8", w_too_deep, EMLINK, "V8-DEPTH",
	  "a new ID would nest deeper than the depth limit" },
	{ "bits", w_already_set, EEXIST, "R-SET-5",
	  "the value does not extend the target's bits" },
	{ "kernel-alloc", w_no_such_id, EINVAL, "R-SET-6",
	  "a value other than 0 must name an existing ID" },
	{ "v11", w_capcontid_released, ENOPROTOOPT, "R-SET-0",
	  "the target has exited" },
	{ "v11", w_capcontid_not_below, EXDEV, "CAPCONTID-DESC",
	  "the target does not strictly descend from the writer" },
	{ "v11", w_capcontid_no_right, EPERM, "CAPCONTID-PRIV",
	  "the writer has no right to set capcontid" },
};

/* After a refused write the world keeps the refusing rule, for whoever
 * asks why; a write that no rule refused leaves none. */
START_TEST(test_profiles_refusing_rule_is_kept)
{
	struct contid_world *w = world(refused[_i].profile);

	ck_assert_int_eq(refused[_i].write(w), -refused[_i].err);
	ck_assert_msg(w->refusal != NULL, "%s under %s: no refusal kept",
		      refused[_i].rule, refused[_i].profile);
	ck_assert_str_eq(w->refusal->rule, refused[_i].rule);
	ck_assert_str_eq(w->refusal->reason, refused[_i].reason);
	ck_assert_int_eq(w->refusal->err, refused[_i].err);
	assert_invariants(w);
	contid_world_free(w);
}
END_TEST

START_TEST(test_profiles_no_refusal_kept_without_one)
{
	struct contid_world *w = world("v11");
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0), x = fork_ok(w, 1, 0);

	ck_assert_int_eq(contid_set(w, o, x, 5), -EXDEV);
	ck_assert_ptr_nonnull(w->refusal);
	ck_assert_int_eq(contid_set(w, o, c, 5), 0);         /* allowed */
	ck_assert_ptr_null(w->refusal);
	ck_assert_int_eq(contid_set(w, o, x, 5), -EXDEV);
	ck_assert_int_eq(write_str(w, o, c, "5x"), -EINVAL); /* R-W-2, not a rule */
	ck_assert_ptr_null(w->refusal);
	ck_assert_int_eq(contid_set(w, o, x, 5), -EXDEV);
	ck_assert_int_eq(contid_set(w, o, 999, 5), -ESRCH);  /* R-W-1 */
	ck_assert_ptr_null(w->refusal);
	ck_assert_int_eq(contid_set(w, o, x, 5), -EXDEV);
	ck_assert_int_eq(contid_set_capcontid(w, 1, o, 1), 0);
	ck_assert_ptr_null(w->refusal);
	contid_world_free(w);
}
END_TEST

/*
 * A seventh profile is one entry of one table: this one is not in the
 * table, but registered (as a test may), and runs as any other.  It has
 * none of v11's refusals but one of its own, nests like v11, owns its IDs
 * and prints chains as v8 does.
 */
static void test_resolve(struct write_ctx *c)
{
	c->existing = obj_find(c->w, c->value);
	c->new_value = c->value;
}

static bool above_1000(const struct write_ctx *c)
{
	return c->value > 1000;
}

static const struct refusal read_only = {
	"T-HIGH", EROFS, "values above 1000 are read-only", above_1000 };

static const struct profile test_only = {
	.name = "test-only",
	.resolve = test_resolve,
	.refusals = (const struct refusal *const[]){ &read_only, NULL },
	.owned = true, .nest_parent = true, .drop_records = true,
	.chain = CHAIN_CARET_UNSET_NUMBER,
};

START_TEST(test_profiles_registered_profile)
{
	struct profile no_resolve = test_only;

	no_resolve.name = "test-no-resolve";
	no_resolve.resolve = NULL;
	ck_assert_int_eq(profile_register(&no_resolve), -EINVAL);
	ck_assert_int_eq(profile_register(&test_only), 0);
	ck_assert_int_eq(profile_register(&test_only), -EEXIST);

	const char *const *list = contid_profile_names();
	ck_assert_str_eq(list[nprofiles], "test-only");
	ck_assert_ptr_null(list[nprofiles + 1]);

	struct contid_world *w = world("test-only");
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	/* its own list decides: a self-set passes (no R-SET-4) */
	ck_assert_int_eq(contid_set(w, o, o, 5), 0);
	ck_assert_int_eq(contid_set(w, o, c, 2000), -EROFS);
	ck_assert_str_eq(w->refusal->rule, "T-HIGH");
	/* its switches: the writer owns the ID, which nests below its own,
	 * and chains print as v8's */
	ck_assert_int_eq(contid_set(w, o, c, 7), 0);
	ck_assert_int_eq(owner_pid_of(w, 7), o);
	char chain[64];
	ck_assert_int_eq(contid_task_chain(w, c, chain, sizeof(chain)), 3);
	ck_assert_str_eq(chain, "7^5");
	/* its resolve step: another writer joins 7 instead of making a
	 * second object of it */
	pid_t o2 = fork_ok(w, 1, 0), c2 = fork_ok(w, o2, 0);
	ck_assert_int_eq(contid_set(w, o2, c2, 7), 0);
	ck_assert_uint_eq(users_of(w, 7), 2);
	ck_assert_uint_eq(contid_id_count(w), 2);
	assert_invariants(w);
	contid_world_free(w);
}
END_TEST

Suite *suite_profile_contract(void)
{
	Suite *s = suite_create("profile-contract");
	TCase *tc = tcase_create("profile-contract");

	while (contid_profile_names()[nprofiles])
		nprofiles++;
	tcase_add_test(tc, test_profiles_contract_shape);
	tcase_add_loop_test(tc, test_profiles_refusing_rule_is_kept, 0,
			    (int)(sizeof(refused) / sizeof(refused[0])));
	tcase_add_test(tc, test_profiles_no_refusal_kept_without_one);
	tcase_add_test(tc, test_profiles_registered_profile);
	suite_add_tcase(s, tc);
	return s;
}
