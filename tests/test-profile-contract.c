/*
 * The profile contract of lib/contid-rules.h: every profile the library
 * lists has the shape of one (a resolve step, refusals with rule IDs,
 * errnos and reasons); and a profile that is in no table, registered as a
 * test may, runs as any other, which is what adding one to the table
 * amounts to.  (That each refusal reaches contid_world_last_refusal() is
 * test-refusals.c's, which has a row for every refusal of every profile.)
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
	const char *rule, *reason;
	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), 0);
	ck_assert_str_eq(rule, "T-HIGH");
	ck_assert_str_eq(reason, "values above 1000 are read-only");
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
	tcase_add_test(tc, test_profiles_registered_profile);
	suite_add_tcase(s, tc);
	return s;
}
