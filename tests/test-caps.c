/*
 * Capabilities and credentials (docs/semantics.md section 3): R-CAP,
 * R-SETUID and drop-cap, each with its errnos and, where a call breaks two
 * rules, the order between them.  Every expectation is derived from the
 * spec; comments quote the sentence that implies a non-obvious one.
 */
#include "test-helpers.h"
#include "test-suites.h"

static struct contid_world *w;

/* Every test case's setup: the test's world, which close_world() frees. */
static void setup(void)
{
	w = open_world()->w;
}

/* ---------------------------------------------------------------- R-CAP */

START_TEST(test_R_CAP_init_has_everything)
{
	assert_all_caps(w, 1, 1);
	assert_capable_all(w, 1, 1);
	/* a child of init copies the set and is capable too (level 0) */
	{
		pid_t a = fork_ok(w, 1, 0);

		assert_all_caps(w, a, 1);
		assert_capable_all(w, a, 1);
	}
}
END_TEST

START_TEST(test_R_CAP_initial_namespace_uses_effective_set)
{
	pid_t a = fork_ok(w, 1, 0);

	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_AUDIT_CONTROL), 0);
	/* "if the walk meets the task's own namespace the answer is 'cap is
	 * in the task's effective set'" */
	for (int cap = 0; cap < NCAPS; cap++) {
		int want = cap == CONTID_CAP_AUDIT_CONTROL ? 0 : 1;

		ck_assert_int_eq(has_cap(w, a, cap), want);
		ck_assert_int_eq(capable_of(w, a, cap), want);
	}
	/* capable() decides R-SET-2: a can no longer write an ID. */
	{
		pid_t c = fork_ok(w, a, 0);

		ck_assert_int_eq(contid_set(w, a, c, 100), -EPERM);
	}
}
END_TEST

START_TEST(test_R_CAP_child_namespace_never_capable)
{
	pid_t k = fork_ok(w, 1, CONTID_CLONE_NEWUSER);
	pid_t k2 = fork_ok(w, k, CONTID_CLONE_NEWUSER);
	pid_t r = fork_ok(w, 1, 0);
	pid_t kc;

	/* "a task inside any child user namespace is never capable()" */
	assert_all_caps(w, k, 1);
	assert_capable_all(w, k, 0);
	assert_all_caps(w, k2, 1);
	assert_capable_all(w, k2, 0);
	ck_assert_int_eq(contid_setns(w, r, CONTID_NS_USER, k), 0);
	assert_capable_all(w, r, 0);
	/* uid 0 and owner 0 do not help: the walk from the initial namespace
	 * never meets k's. */
	ck_assert_uint_eq(uid_of(w, k), 0);
	kc = fork_ok(w, k, 0);
	ck_assert_int_eq(contid_set(w, k, kc, 100), -EPERM);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_CAP_unprivileged_uid)
{
	pid_t u = user_task(w, 1000);

	assert_all_caps(w, u, 0);
	assert_capable_all(w, u, 0);
}
END_TEST

START_TEST(test_R_CAP_owner_of_child_namespace)
{
	pid_t u = user_task(w, 1000);
	pid_t v = user_task(w, 1000);
	pid_t k = fork_ok(w, v, CONTID_CLONE_NEWUSER);

	/* "if it meets a namespace whose parent is the task's namespace and
	 * whose owner is the task's uid, the answer is yes": u has no
	 * capability, yet has CAP_SYS_ADMIN in k's namespace. */
	ck_assert_int_eq(has_cap(w, u, CONTID_CAP_SYS_ADMIN), 0);
	ck_assert_int_eq(contid_setns(w, u, CONTID_NS_USER, k), 0);
	ck_assert_uint_eq(level_of(w, u), 1);
	assert_all_caps(w, u, 1);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_CAP_owner_of_grandchild_namespace)
{
	pid_t u = user_task(w, 1000);
	pid_t v = user_task(w, 1000);
	pid_t k = fork_ok(w, v, CONTID_CLONE_NEWUSER);
	pid_t k2 = fork_ok(w, k, CONTID_CLONE_NEWUSER);

	/* The walk from k2's namespace goes up to k's, whose parent is u's
	 * namespace and whose owner is 1000. */
	ck_assert_int_eq(contid_setns(w, u, CONTID_NS_USER, k2), 0);
	ck_assert_uint_eq(level_of(w, u), 2);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_CAP_owner_rule_needs_same_uid)
{
	pid_t u = user_task(w, 1001);
	pid_t v = user_task(w, 1000);
	pid_t k = fork_ok(w, v, CONTID_CLONE_NEWUSER);

	ck_assert_int_eq(contid_setns(w, u, CONTID_NS_USER, k), -EPERM);
	ck_assert_uint_eq(level_of(w, u), 0);
}
END_TEST

START_TEST(test_R_CAP_owner_rule_needs_parent_namespace)
{
	pid_t v = user_task(w, 1000);
	pid_t k = fork_ok(w, v, CONTID_CLONE_NEWUSER);
	pid_t s = fork_ok(w, v, CONTID_CLONE_NEWUSER);

	/* s is in a sibling namespace with the same owner 1000 and uid 1000:
	 * k's namespace's parent is not s's namespace, and the walk passes
	 * above s's level. */
	ck_assert_int_eq(contid_setns(w, s, CONTID_NS_USER, k), -EPERM);
	ck_assert_uint_eq(level_of(w, s), 1);
}
END_TEST

START_TEST(test_R_CAP_owner_rule_not_for_cousin_namespace)
{
	pid_t v = user_task(w, 1000);
	pid_t s = fork_ok(w, v, CONTID_CLONE_NEWUSER);
	pid_t k = fork_ok(w, v, CONTID_CLONE_NEWUSER);
	pid_t k2 = fork_ok(w, k, CONTID_CLONE_NEWUSER);

	/* k2's namespace (level 2, owner 1000) lies below k's, a sibling of
	 * s's.  The walk from it meets a namespace owned by s's uid, but its
	 * parent is k's namespace, not s's; one step up the walk is at s's
	 * level without meeting s's namespace: "no". */
	ck_assert_int_eq(contid_setns(w, s, CONTID_NS_USER, k2), -EPERM);
	ck_assert_uint_eq(level_of(w, s), 1);
	/* k itself may: its namespace is k2's parent. */
	ck_assert_int_eq(contid_setns(w, k, CONTID_NS_USER, k2), 0);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_CAP_owner_rule_beats_dropped_cap)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t k = fork_ok(w, 1, CONTID_CLONE_NEWUSER);

	/* k's namespace is owned by uid 0 and its parent is a's: the owner
	 * rule answers yes whatever a's effective set holds. */
	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SYS_ADMIN), 0);
	ck_assert_int_eq(contid_setns(w, a, CONTID_NS_USER, k), 0);
	ck_assert_uint_eq(level_of(w, a), 1);
	assert_all_caps(w, a, 1);
	assert_invariants(w);
}
END_TEST

/* ------------------------------------------------------------- R-SETUID */

START_TEST(test_R_SETUID_invalid_uid_einval_first)
{
	pid_t u = user_task(w, 1000);
	pid_t k = fork_ok(w, 1, CONTID_CLONE_NEWUSER);

	/* "u = 4294967295 or a uid not mapped in the task's namespace is
	 * EINVAL (checked first)" */
	ck_assert_int_eq(contid_setuid(w, 1, 4294967295u), -EINVAL);
	ck_assert_uint_eq(uid_of(w, 1), 0);
	assert_all_caps(w, 1, 1);
	/* first: before EPERM (u has no CAP_SETUID) */
	ck_assert_int_eq(contid_setuid(w, u, 4294967295u), -EINVAL);
	/* in a namespace owned by 0 only uid 0 is mapped */
	ck_assert_int_eq(contid_setuid(w, k, 4294967295u), -EINVAL);
	ck_assert_int_eq(contid_setuid(w, k, 1), -EINVAL);
	ck_assert_int_eq(contid_drop_cap(w, k, CONTID_CAP_SETUID), 0);
	ck_assert_int_eq(contid_setuid(w, k, 1000), -EINVAL);
	ck_assert_uint_eq(uid_of(w, k), 0);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETUID_unmapped_current_uid_einval)
{
	pid_t r = unmapped_root(w, 1);

	/* r's uid 0 is not mapped in its namespace: EINVAL is checked before
	 * "u equal to the current uid succeeds". */
	ck_assert_int_eq(contid_setuid(w, r, 0), -EINVAL);
	ck_assert_int_eq(contid_setuid(w, r, 1001), -EINVAL);
	ck_assert_uint_eq(uid_of(w, r), 0);
}
END_TEST

START_TEST(test_R_SETUID_same_uid_noop)
{
	pid_t u = user_task(w, 1000);
	pid_t a = fork_ok(w, 1, 0);

	/* "u equal to the current uid succeeds and changes nothing", even
	 * without CAP_SETUID */
	ck_assert_int_eq(contid_setuid(w, u, 1000), 0);
	ck_assert_uint_eq(uid_of(w, u), 1000);
	assert_all_caps(w, u, 0);
	/* root staying root keeps every capability */
	ck_assert_int_eq(contid_setuid(w, 1, 0), 0);
	assert_all_caps(w, 1, 1);
	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SETUID), 0);
	ck_assert_int_eq(contid_setuid(w, a, 0), 0);
	ck_assert_int_eq(has_cap(w, a, CONTID_CAP_SYS_ADMIN), 1);
	ck_assert_int_eq(has_cap(w, a, CONTID_CAP_SETUID), 0);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETUID_eperm_without_cap_setuid)
{
	pid_t u = user_task(w, 1000);
	pid_t a = fork_ok(w, 1, 0);

	/* "otherwise it needs CAP_SETUID in the task's namespace (else
	 * EPERM)" */
	ck_assert_int_eq(contid_setuid(w, u, 0), -EPERM);
	ck_assert_int_eq(contid_setuid(w, u, 1001), -EPERM);
	ck_assert_uint_eq(uid_of(w, u), 1000);
	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SETUID), 0);
	ck_assert_int_eq(contid_setuid(w, a, 1000), -EPERM);
	ck_assert_uint_eq(uid_of(w, a), 0);
	ck_assert_int_eq(has_cap(w, a, CONTID_CAP_SYS_ADMIN), 1);
	ck_assert_int_eq(has_cap(w, a, CONTID_CAP_AUDIT_CONTROL), 1);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETUID_zero_to_nonzero_empties_caps)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t b = fork_ok(w, 1, 0);

	/* "Moving from uid 0 to a non-zero uid empties the capability set"
	 * (uid 0 is mapped in the initial namespace). */
	ck_assert_int_eq(contid_setuid(w, a, 1000), 0);
	ck_assert_uint_eq(uid_of(w, a), 1000);
	assert_all_caps(w, a, 0);
	assert_capable_all(w, a, 0);
	/* no way back */
	ck_assert_int_eq(contid_setuid(w, a, 0), -EPERM);
	/* a partial set empties too */
	ck_assert_int_eq(contid_drop_cap(w, b, CONTID_CAP_SYS_ADMIN), 0);
	ck_assert_int_eq(contid_setuid(w, b, 5), 0);
	assert_all_caps(w, b, 0);
	/* other tasks keep theirs */
	assert_all_caps(w, 1, 1);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETUID_zero_unmapped_keeps_caps)
{
	pid_t r = unmapped_root(w, 1);

	ck_assert_int_eq(contid_drop_cap(w, r, CONTID_CAP_AUDIT_CONTROL), 0);
	/* "but only where uid 0 is mapped in the task's namespace";
	 * "no other move changes capabilities".  r has CAP_SETUID in its
	 * namespace (full set from setns) and 1000 is mapped there. */
	ck_assert_int_eq(contid_setuid(w, r, 1000), 0);
	ck_assert_uint_eq(uid_of(w, r), 1000);
	for (int cap = 0; cap < NCAPS; cap++)
		ck_assert_int_eq(has_cap(w, r, cap),
				 cap == CONTID_CAP_AUDIT_CONTROL ? 0 : 1);
	/* Now its uid is mapped: it may create a user namespace. */
	ck_assert_int_eq(contid_unshare(w, r, CONTID_NS_USER), 0);
	ck_assert_uint_eq(level_of(w, r), 2);
	assert_invariants(w);
}
END_TEST

START_TEST(test_R_SETUID_acting_task_esrch)
{
	pid_t z = spawn_zombie(w, 1);

	ck_assert_int_eq(contid_setuid(w, z, 1000), -ESRCH);
	ck_assert_int_eq(contid_setuid(w, z, 4294967295u), -ESRCH);
	ck_assert_int_eq(contid_setuid(w, 999, 0), -ESRCH);
}
END_TEST

/* ------------------------------------------------------------- drop-cap */

START_TEST(test_drop_cap_removes_one)
{
	pid_t a = fork_ok(w, 1, 0);
	pid_t c = fork_ok(w, a, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);
	pid_t d;

	/* "drop-cap removes one from the effective set" */
	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SYS_ADMIN), 0);
	for (int cap = 0; cap < NCAPS; cap++)
		ck_assert_int_eq(has_cap(w, a, cap),
				 cap == CONTID_CAP_SYS_ADMIN ? 0 : 1);
	ck_assert_int_eq(capable_of(w, a, CONTID_CAP_SYS_ADMIN), 0);
	/* per task: parent, earlier child and sibling thread keep it */
	ck_assert_int_eq(has_cap(w, 1, CONTID_CAP_SYS_ADMIN), 1);
	ck_assert_int_eq(has_cap(w, c, CONTID_CAP_SYS_ADMIN), 1);
	ck_assert_int_eq(has_cap(w, t, CONTID_CAP_SYS_ADMIN), 1);
	/* a later child copies the reduced set (R-FORK) */
	d = fork_ok(w, a, 0);
	ck_assert_int_eq(has_cap(w, d, CONTID_CAP_SYS_ADMIN), 0);
	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_SETUID), 0);
	ck_assert_int_eq(has_cap(w, a, CONTID_CAP_SETUID), 0);
	ck_assert_int_eq(has_cap(w, a, CONTID_CAP_SYS_ADMIN), 0);
	ck_assert_int_eq(has_cap(w, d, CONTID_CAP_SETUID), 1);
	assert_invariants(w);
}
END_TEST

START_TEST(test_drop_cap_range)
{
	pid_t a = fork_ok(w, 1, 0);
	static const int bad[] = { -1, CONTID_CAP_LAST_CAP + 1, 64, -2147483647 };

	/* Library decision: a cap outside 0..40 is EINVAL. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(contid_drop_cap(w, a, bad[i]), -EINVAL);
	assert_all_caps(w, a, 1);
	ck_assert_int_eq(contid_drop_cap(w, a, 0), 0);
	ck_assert_int_eq(contid_drop_cap(w, a, CONTID_CAP_LAST_CAP), 0);
	for (int cap = 0; cap < NCAPS; cap++)
		ck_assert_int_eq(has_cap(w, a, cap),
				 cap == 0 || cap == CONTID_CAP_LAST_CAP ? 0 : 1);
}
END_TEST

START_TEST(test_drop_cap_in_child_namespace)
{
	pid_t k = fork_ok(w, 1, CONTID_CLONE_NEWUSER);

	ck_assert_int_eq(contid_drop_cap(w, k, CONTID_CAP_SYS_ADMIN), 0);
	ck_assert_int_eq(has_cap(w, k, CONTID_CAP_SYS_ADMIN), 0);
	/* the set is the one valid in k's own namespace: NET needs it */
	ck_assert_int_eq(contid_unshare(w, k, CONTID_NS_NET), -EPERM);
	ck_assert_int_eq(contid_fork(w, k, CONTID_CLONE_NEWNET, &(pid_t){0}),
			 -EPERM);
}
END_TEST

START_TEST(test_drop_cap_acting_task_esrch)
{
	pid_t z = spawn_zombie(w, 1);
	pid_t a = fork_ok(w, 1, 0);
	pid_t t = fork_ok(w, a, CONTID_CLONE_THREAD);

	exit_ok(w, t);
	ck_assert_int_eq(contid_drop_cap(w, z, CONTID_CAP_SYS_ADMIN), -ESRCH);
	/* ESRCH "before anything else": even with a bad cap */
	ck_assert_int_eq(contid_drop_cap(w, z, CONTID_CAP_LAST_CAP + 1), -ESRCH);
	ck_assert_int_eq(contid_drop_cap(w, t, CONTID_CAP_SYS_ADMIN), -ESRCH);
	ck_assert_int_eq(contid_drop_cap(w, 999, 0), -ESRCH);
}
END_TEST

/* --------------------------------------------------------------- suite */

Suite *suite_caps(void)
{
	Suite *s = suite_create("caps");
	TCase *tc;

	tc = fixture_tcase(s, setup, "R-CAP");
	tcase_add_test(tc, test_R_CAP_init_has_everything);
	tcase_add_test(tc, test_R_CAP_initial_namespace_uses_effective_set);
	tcase_add_test(tc, test_R_CAP_child_namespace_never_capable);
	tcase_add_test(tc, test_R_CAP_unprivileged_uid);

	tc = fixture_tcase(s, setup, "R-CAP-owner");
	tcase_add_test(tc, test_R_CAP_owner_of_child_namespace);
	tcase_add_test(tc, test_R_CAP_owner_of_grandchild_namespace);
	tcase_add_test(tc, test_R_CAP_owner_rule_needs_same_uid);
	tcase_add_test(tc, test_R_CAP_owner_rule_needs_parent_namespace);
	tcase_add_test(tc, test_R_CAP_owner_rule_not_for_cousin_namespace);
	tcase_add_test(tc, test_R_CAP_owner_rule_beats_dropped_cap);

	tc = fixture_tcase(s, setup, "R-SETUID");
	tcase_add_test(tc, test_R_SETUID_invalid_uid_einval_first);
	tcase_add_test(tc, test_R_SETUID_unmapped_current_uid_einval);
	tcase_add_test(tc, test_R_SETUID_same_uid_noop);
	tcase_add_test(tc, test_R_SETUID_eperm_without_cap_setuid);
	tcase_add_test(tc, test_R_SETUID_zero_to_nonzero_empties_caps);
	tcase_add_test(tc, test_R_SETUID_zero_unmapped_keeps_caps);
	tcase_add_test(tc, test_R_SETUID_acting_task_esrch);

	tc = fixture_tcase(s, setup, "drop-cap");
	tcase_add_test(tc, test_drop_cap_removes_one);
	tcase_add_test(tc, test_drop_cap_range);
	tcase_add_test(tc, test_drop_cap_in_child_namespace);
	tcase_add_test(tc, test_drop_cap_acting_task_esrch);

	return s;
}
