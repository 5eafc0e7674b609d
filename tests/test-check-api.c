/*
 * The API contracts of lib/contid.h: NULL-safe free, pid_max bounds,
 * out-parameters untouched on failure, errno names, snprintf-like
 * formatting, counters.  The invariants of SEMANTICS.md section 10 are in
 * test-check.c, whose suite_check() adds these test cases.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "test-helpers.h"
#include "test-suites.h"

/* ------------------------------------------------------- API contracts */

START_TEST(test_api_world_free_null)
{
	contid_world_free(NULL);
}
END_TEST

/* pid_max: "configurable per world (2 to 4194304)". */
START_TEST(test_api_pid_max_bounds)
{
	static const struct {
		unsigned v;
		int ret;
	} t[] = {
		{ 0, -EINVAL }, { 1, -EINVAL }, { 2, 0 }, { 3, 0 },
		{ 4194303, 0 }, { 4194304, 0 }, { 4194305, -EINVAL },
		{ UINT_MAX, -EINVAL },
	};
	struct contid_world *w = NULL;

	ck_assert_int_eq(contid_world_new(&w), 0);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(contid_world_set_pid_max(w, t[i].v) == t[i].ret,
			      "pid_max %u", t[i].v);
	ck_assert_int_eq(CONTID_PID_MAX_LIMIT, 4194304);
	contid_world_free(w);
}
END_TEST

/* pid_max 2: only pid 1 exists below it, so fork is EAGAIN; a refused
 * setting leaves the previous one in force. */
START_TEST(test_api_pid_max_effect)
{
	struct contid_world *w = NULL;
	pid_t child = 4242;

	ck_assert_int_eq(contid_world_new(&w), 0);
	ck_assert_int_eq(contid_world_set_pid_max(w, 2), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &child), -EAGAIN);
	ck_assert_int_eq(child, 4242);
	ck_assert_int_eq(contid_world_set_pid_max(w, 3), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &child), 0);
	ck_assert_int_eq(child, 2);
	ck_assert_int_eq(contid_world_set_pid_max(w, 1), -EINVAL);
	ck_assert_int_eq(contid_world_set_pid_max(w, 4194305), -EINVAL);
	child = 4242;
	ck_assert_int_eq(contid_fork(w, 1, 0, &child), -EAGAIN);
	ck_assert_int_eq(child, 4242);
	ck_assert_int_eq(contid_world_set_pid_max(w, 4), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &child), 0);
	ck_assert_int_eq(child, 3);
	ck_assert_uint_eq(contid_task_count(w), 3);
	contid_world_free(w);
}
END_TEST

#define S64 0x5a5a5a5a5a5a5a5aULL
#define S32 0x5a5a5a5au
#define SPID ((pid_t)0x5a5a5a)
#define SINT 0x5a5a5a

/* "out-parameters are written only on success" */
START_TEST(test_api_out_params_untouched_on_failure)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	uint64_t u64 = S64, u64b = S64;
	uint32_t u32 = S32;
	pid_t p = SPID, gone;
	unsigned u = S32;
	int i = SINT;

	gone = fork_ok(w, 1, 0);
	ck_assert_int_eq(contid_exit(w, gone), 0);
	ck_assert_int_eq(contid_reap(w, gone), 0);
	fork_ok(w, 1, 0);                                 /* 3 */
	ck_assert_int_eq(contid_setuid(w, 3, 1000), 0);   /* unprivileged */

	/* operations */
	ck_assert_int_eq(contid_fork(w, 999, 0, &p), -ESRCH);
	ck_assert_int_eq(contid_fork(w, gone, 0, &p), -ESRCH);
	ck_assert_int_eq(contid_fork(w, 1, CONTID_CLONE_PARENT, &p), -EINVAL);
	ck_assert_int_eq(contid_fork(w, 1, CONTID_CLONE_THREAD |
				     CONTID_CLONE_NEWUSER, &p), -EINVAL);
	ck_assert_int_eq(contid_fork(w, 3, CONTID_CLONE_NEWNET, &p), -EPERM);
	ck_assert_int_eq(p, SPID);
	ck_assert_int_eq(contid_get(w, 1, 999, &u64), -ESRCH);
	ck_assert_int_eq(contid_get(w, 999, 1, &u64), -ESRCH);
	ck_assert_int_eq(contid_get(w, 3, 1, &u64), -EPERM);
	ck_assert_uint_eq(u64, S64);
	ck_assert_int_eq(contid_get_capcontid(w, 1, 999, &u32), -ESRCH);
	ck_assert_int_eq(contid_get_capcontid(w, 3, 1, &u32), -EPERM);
	ck_assert_uint_eq(u32, S32);

	/* inspection of a pid that names no task, or of a gone one */
	ck_assert_int_eq(contid_task_state(w, gone, &i), -ESRCH);
	ck_assert_int_eq(contid_task_state(w, 999, &i), -ESRCH);
	ck_assert_int_lt(contid_task_has_cap(w, 999, CONTID_CAP_SETUID, &i), 0);
	ck_assert_int_lt(contid_task_capable(w, 999, CONTID_CAP_SETUID, &i), 0);
	ck_assert_int_lt(contid_task_subreaper(w, 999, &i), 0);
	ck_assert_int_lt(contid_task_is_descendant(w, 999, 1, &i), 0);
	ck_assert_int_lt(contid_task_is_descendant(w, 1, 999, &i), 0);
	ck_assert_int_lt(contid_task_has_cap(w, 1, CONTID_CAP_LAST_CAP + 1, &i), 0);
	ck_assert_int_lt(contid_task_has_cap(w, 1, -1, &i), 0);
	ck_assert_int_eq(i, SINT);
	ck_assert_int_lt(contid_task_identity(w, gone, &u64), 0);
	ck_assert_int_lt(contid_task_contid(w, 999, &u64), 0);
	ck_assert_uint_eq(u64, S64);
	ck_assert_int_lt(contid_task_tgid(w, 999, &p), 0);
	ck_assert_int_lt(contid_task_ppid(w, gone, &p), 0);
	ck_assert_int_eq(p, SPID);
	ck_assert_int_lt(contid_task_uid(w, 999, &u32), 0);
	ck_assert_int_lt(contid_task_capcontid(w, 999, &u32), 0);
	ck_assert_uint_eq(u32, S32);
	ck_assert_int_lt(contid_task_userns_level(w, 999, &u), 0);
	ck_assert_uint_eq(u, S32);

	/* ID objects: no object holds 100 */
	ck_assert_int_eq(contid_id_owner(w, 100, &u64, &p), -ENOENT);
	ck_assert_int_lt(contid_id_parent(w, 100, &u64b), 0);
	ck_assert_int_lt(contid_id_users(w, 100, &u), 0);
	ck_assert_int_lt(contid_id_refs(w, 100, &u), 0);
	ck_assert_int_lt(contid_id_parent(w, CONTID_UNSET, &u64b), 0);
	ck_assert_uint_eq(u64, S64);
	ck_assert_uint_eq(u64b, S64);
	ck_assert_int_eq(p, SPID);
	ck_assert_uint_eq(u, S32);

	/* iteration past the last task */
	ck_assert_int_eq(contid_task_next(w, 3, &p), -ENOENT);
	ck_assert_int_eq(contid_task_next(w, 999, &p), -ENOENT);
	ck_assert_int_eq(p, SPID);
	tw_free(tw);
}
END_TEST

/* Buffers of the formatting functions are out-parameters too. */
START_TEST(test_api_out_buffers_untouched_on_failure)
{
	struct test_world *tw = tw_new();
	char buf[16];
	uint64_t ids[4] = { S64, S64, S64, S64 };

	memset(buf, 'Z', sizeof(buf));
	ck_assert_int_lt(contid_task_chain(tw->w, 999, buf, sizeof(buf)), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		ck_assert_int_eq(buf[i], 'Z');
	ck_assert_int_lt(contid_task_netns_ids(tw->w, 999, ids, 4), 0);
	for (size_t i = 0; i < 4; i++)
		ck_assert_uint_eq(ids[i], S64);
	tw_free(tw);
}
END_TEST

/* contid_write: "@buf may be NULL only when @len is 0; @len above
 * INT_MAX is refused with -EOVERFLOW"; an empty buffer is a parse error
 * (R-W-2: no digits).  Unknown fork flags and capabilities are refused
 * and change nothing. */
START_TEST(test_api_write_null_empty_and_overflow)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	pid_t orch = fork_ok(w, 1, 0);
	pid_t c1 = fork_ok(w, orch, 0);
	char buf[128];
	pid_t p = SPID;
	int has = -1;

	memset(buf, '1', sizeof(buf));
	ck_assert_int_eq(contid_write(w, orch, c1, NULL, 0), -EINVAL);
	ck_assert_int_eq(contid_write(w, orch, c1, buf, 0), -EINVAL);
	ck_assert_int_eq(contid_write_capcontid(w, orch, c1, NULL, 0), -EINVAL);
	ck_assert_int_eq(contid_write(w, orch, c1, buf, (size_t)INT_MAX + 1),
			 -EOVERFLOW);
	ck_assert_int_eq(contid_write_capcontid(w, orch, c1, buf,
						(size_t)INT_MAX + 1), -EOVERFLOW);
	ck_assert_uint_eq(contid_of(w, c1), CONTID_UNSET);
	ck_assert_uint_eq(contid_id_count(w), 0);
	ck_assert_uint_eq(tw->nrecords, 0);

	ck_assert_int_eq(contid_fork(w, orch, 0x10, &p), -EINVAL);
	ck_assert_int_eq(contid_fork(w, orch, 0x80000000u, &p), -EINVAL);
	ck_assert_int_eq(p, SPID);
	ck_assert_uint_eq(contid_task_count(w), 3);
	ck_assert_int_lt(contid_drop_cap(w, orch, CONTID_CAP_LAST_CAP + 1), 0);
	ck_assert_int_lt(contid_drop_cap(w, orch, -1), 0);
	ck_assert_int_eq(contid_task_has_cap(w, orch, CONTID_CAP_AUDIT_CONTROL,
					     &has), 0);
	ck_assert_int_eq(has, 1);
	ck_assert_int_lt(contid_task_set_name(w, 999, "x"), 0);
	assert_invariants(w);
	tw_free(tw);
}
END_TEST

/* contid_id_owner: "Either out-pointer may be NULL." */
START_TEST(test_api_id_owner_null_out_pointers)
{
	struct test_world *tw = tw_new();
	pid_t orch = fork_ok(tw->w, 1, 0);
	pid_t c1 = fork_ok(tw->w, orch, 0);
	uint64_t ident = 0, expect_ident = 1;
	pid_t p = 0;

	set_ok(tw->w, orch, c1, 100);
	ck_assert_int_eq(contid_task_identity(tw->w, orch, &expect_ident), 0);
	ck_assert_int_eq(contid_id_owner(tw->w, 100, NULL, NULL), 0);
	ck_assert_int_eq(contid_id_owner(tw->w, 100, &ident, NULL), 0);
	ck_assert_uint_eq(ident, expect_ident);
	ck_assert_int_eq(contid_id_owner(tw->w, 100, NULL, &p), 0);
	ck_assert_int_eq(p, orch);
	/* R-LIFE: after the owner is gone its pid reads 0, identity stays */
	ck_assert_int_eq(contid_exit(tw->w, orch), 0);
	ck_assert_int_eq(contid_id_owner(tw->w, 100, NULL, &p), 0);
	ck_assert_int_eq(p, orch);                 /* zombie: still exists */
	ck_assert_int_eq(contid_reap(tw->w, orch), 0);
	ident = 0;
	ck_assert_int_eq(contid_id_owner(tw->w, 100, &ident, &p), 0);
	ck_assert_int_eq(p, 0);
	ck_assert_uint_eq(ident, expect_ident);
	tw_free(tw);
}
END_TEST

/* Every errno the rules of SEMANTICS.md use (v11 and the profiles of
 * section 9), and those of the API itself, by name and back. */
static const struct {
	int err;
	const char *name;
} errnos[] = {
	{ EPERM, "EPERM" }, { ESRCH, "ESRCH" }, { EINVAL, "EINVAL" },
	{ ERANGE, "ERANGE" }, { ENOPROTOOPT, "ENOPROTOOPT" },
	{ EBUSY, "EBUSY" }, { EXDEV, "EXDEV" }, { EEXIST, "EEXIST" },
	{ ENOTUNIQ, "ENOTUNIQ" }, { ENOMEM, "ENOMEM" }, { ENOSPC, "ENOSPC" },
	{ EAGAIN, "EAGAIN" }, { ECHILD, "ECHILD" },
	/* profiles v6 and v8 */
	{ EALREADY, "EALREADY" }, { EADDRINUSE, "EADDRINUSE" },
	{ EBADSLT, "EBADSLT" }, { EMLINK, "EMLINK" },
	/* API: contid_write() length, contid_world_check(), lookups */
	{ EOVERFLOW, "EOVERFLOW" }, { EUCLEAN, "EUCLEAN" }, { ENOENT, "ENOENT" },
};

START_TEST(test_api_errno_names_round_trip)
{
	const char *name = contid_errno_name(errnos[_i].err);

	ck_assert_msg(name != NULL, "no name for %d", errnos[_i].err);
	ck_assert_str_eq(name, errnos[_i].name);
	name = contid_errno_name(-errnos[_i].err);
	ck_assert_msg(name != NULL, "no name for -%d", errnos[_i].err);
	ck_assert_str_eq(name, errnos[_i].name);
	ck_assert_int_eq(contid_errno_from_name(errnos[_i].name), errnos[_i].err);
	ck_assert_int_eq(contid_errno_from_name(contid_errno_name(errnos[_i].err)),
			 errnos[_i].err);
}
END_TEST

START_TEST(test_api_errno_names_unknown)
{
	static const int nums[] = { 0, 100000, -100000, INT_MAX, INT_MIN };
	static const char *const names[] = {
		"", "E", "EPER", "EPERMX", " EPERM", "EPERM ", "ok", "OK",
		"ENOTANERRNO", "1",
	};

	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		ck_assert_msg(contid_errno_name(nums[i]) == NULL,
			      "%d has a name", nums[i]);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_msg(contid_errno_from_name(names[i]) == 0,
			      "'%s' has a number", names[i]);
}
END_TEST

/* orch (2) -> c1 (3) holding 100; engine (4) in c1 -> c2 (5) holding
 * "200,^100"; inner (6) in c2 -> c3 (7) holding "300,^200,^100". */
static void build_chain(struct contid_world *w)
{
	ck_assert_int_eq(fork_ok(w, 1, 0), 2);
	ck_assert_int_eq(fork_ok(w, 2, 0), 3);
	set_ok(w, 2, 3, 100);
	ck_assert_int_eq(fork_ok(w, 3, 0), 4);
	ck_assert_int_eq(fork_ok(w, 4, 0), 5);
	set_ok(w, 4, 5, 200);
	ck_assert_int_eq(fork_ok(w, 5, 0), 6);
	ck_assert_int_eq(fork_ok(w, 6, 0), 7);
	set_ok(w, 6, 7, 300);
}

/* contid_task_chain: "returns the full length, writes at most @size
 * bytes including the NUL", like snprintf. */
START_TEST(test_api_chain_snprintf_truncation)
{
	static const struct {
		size_t size;
		const char *out;        /* NULL: nothing written */
	} t[] = {
		{ 0, NULL }, { 1, "" }, { 2, "3" }, { 4, "300" }, { 5, "300," },
		{ 13, "300,^200,^10" }, { 14, "300,^200,^100" },
		{ 15, "300,^200,^100" }, { 64, "300,^200,^100" },
	};
	struct test_world *tw = tw_new();
	char buf[80];

	build_chain(tw->w);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(buf, 'Z', sizeof(buf));
		ck_assert_int_eq(contid_task_chain(tw->w, 7, buf, t[i].size), 13);
		if (t[i].out) {
			ck_assert_str_eq(buf, t[i].out);
			for (size_t j = strlen(t[i].out) + 1; j < sizeof(buf); j++)
				ck_assert_msg(buf[j] == 'Z',
					      "size %zu: byte %zu written",
					      t[i].size, j);
		} else {
			ck_assert_int_eq(buf[0], 'Z');
		}
	}
	ck_assert_int_eq(contid_task_chain(tw->w, 7, NULL, 0), 13);
	ck_assert_int_eq(contid_task_chain(tw->w, 5, NULL, 0), 8);
	ck_assert_int_eq(contid_task_chain(tw->w, 5, buf, sizeof(buf)), 8);
	ck_assert_str_eq(buf, "200,^100");
	ck_assert_int_eq(contid_task_chain(tw->w, 3, buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "100");
	/* no ID: "-1" */
	ck_assert_int_eq(contid_task_chain(tw->w, 1, buf, sizeof(buf)), 2);
	ck_assert_str_eq(buf, "-1");
	memset(buf, 'Z', sizeof(buf));
	ck_assert_int_eq(contid_task_chain(tw->w, 2, buf, 2), 2);
	ck_assert_str_eq(buf, "-");
	ck_assert_int_eq(buf[2], 'Z');
	tw_free(tw);
}
END_TEST

START_TEST(test_api_chain_of_largest_value)
{
	struct test_world *tw = tw_new();
	char buf[32];

	ck_assert_int_eq(fork_ok(tw->w, 1, 0), 2);
	ck_assert_int_eq(fork_ok(tw->w, 2, 0), 3);
	set_ok(tw->w, 2, 3, UINT64_MAX - 1);
	ck_assert_int_eq(contid_task_chain(tw->w, 3, buf, sizeof(buf)), 20);
	ck_assert_str_eq(buf, "18446744073709551614");
	tw_free(tw);
}
END_TEST

/* contid_task_netns_ids: "returns their number and writes at most @max
 * of them", front first (section 7). */
START_TEST(test_api_netns_ids_truncation)
{
	struct test_world *tw = tw_new();
	uint64_t ids[5];
	pid_t n;

	build_chain(tw->w);
	for (size_t max = 0; max <= 4; max++) {
		static const uint64_t order[] = { 300, 200, 100 };

		for (size_t i = 0; i < 5; i++)
			ids[i] = S64;
		ck_assert_int_eq(contid_task_netns_ids(tw->w, 1, ids, max), 3);
		for (size_t i = 0; i < 5; i++) {
			if (i < max && i < 3)
				ck_assert_uint_eq(ids[i], order[i]);
			else
				ck_assert_uint_eq(ids[i], S64);
		}
	}
	ck_assert_int_eq(contid_task_netns_ids(tw->w, 7, NULL, 0), 3);
	n = fork_ok(tw->w, 1, CONTID_CLONE_NEWNET);
	ids[0] = S64;
	ck_assert_int_eq(contid_task_netns_ids(tw->w, n, ids, 5), 0);
	ck_assert_uint_eq(ids[0], S64);
	tw_free(tw);
}
END_TEST

START_TEST(test_api_task_and_id_counts)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	pid_t a, t, b;

	ck_assert_uint_eq(contid_task_count(w), 1);
	ck_assert_uint_eq(contid_id_count(w), 0);
	a = fork_ok(w, 1, 0);
	ck_assert_uint_eq(contid_task_count(w), 2);
	b = fork_ok(w, a, 0);
	set_ok(w, a, b, 100);
	ck_assert_uint_eq(contid_id_count(w), 1);
	t = fork_ok(w, b, CONTID_CLONE_THREAD);
	ck_assert_uint_eq(contid_task_count(w), 4);
	ck_assert_uint_eq(contid_id_count(w), 1);     /* shared, not copied */
	/* R-EXIT: "A non-leader thread disappears immediately" */
	ck_assert_int_eq(contid_exit(w, t), 0);
	ck_assert_uint_eq(contid_task_count(w), 3);
	/* a zombie is not gone */
	ck_assert_int_eq(contid_exit(w, b), 0);
	ck_assert_uint_eq(contid_task_count(w), 3);
	ck_assert_uint_eq(contid_id_count(w), 0);     /* b held the last ref */
	ck_assert_int_eq(contid_reap(w, b), 0);
	ck_assert_uint_eq(contid_task_count(w), 2);
	/* failed operations change nothing */
	ck_assert_int_eq(contid_reap(w, b), -ESRCH);
	ck_assert_int_eq(contid_exit(w, 1), -EPERM);
	ck_assert_uint_eq(contid_task_count(w), 2);
	tw_free(tw);
}
END_TEST

START_TEST(test_api_id_count_nesting_and_reset)
{
	struct test_world *tw = tw_new();
	struct contid_world *w = tw->w;
	uint64_t vals[4] = { S64, S64, S64, S64 };

	build_chain(w);
	ck_assert_uint_eq(contid_id_count(w), 3);
	ck_assert_int_eq(contid_id_list(w, vals, 2), 3);
	ck_assert_uint_ne(vals[0], S64);
	ck_assert_uint_ne(vals[1], S64);
	ck_assert_uint_eq(vals[2], S64);
	ck_assert_int_eq(contid_id_list(w, NULL, 0), 3);
	/* c3 (7) exits: 300 freed, 200 and 100 still held */
	ck_assert_int_eq(contid_exit(w, 7), 0);
	ck_assert_uint_eq(contid_id_count(w), 2);
	assert_invariants(w);
	tw_free(tw);
}
END_TEST

/* ---------------------------------------------------------------- suite */

void add_check_api_tcases(Suite *s)
{
	TCase *tc;

	tc = tcase_create("api-world");
	tcase_add_test(tc, test_api_world_free_null);
	tcase_add_test(tc, test_api_pid_max_bounds);
	tcase_add_test(tc, test_api_pid_max_effect);
	suite_add_tcase(s, tc);

	tc = tcase_create("api-out-params");
	tcase_add_test(tc, test_api_out_params_untouched_on_failure);
	tcase_add_test(tc, test_api_out_buffers_untouched_on_failure);
	tcase_add_test(tc, test_api_id_owner_null_out_pointers);
	tcase_add_test(tc, test_api_write_null_empty_and_overflow);
	suite_add_tcase(s, tc);

	tc = tcase_create("api-errno-names");
	tcase_add_loop_test(tc, test_api_errno_names_round_trip, 0,
			    (int)(sizeof(errnos) / sizeof(errnos[0])));
	tcase_add_test(tc, test_api_errno_names_unknown);
	suite_add_tcase(s, tc);

	tc = tcase_create("api-format");
	tcase_add_test(tc, test_api_chain_snprintf_truncation);
	tcase_add_test(tc, test_api_chain_of_largest_value);
	tcase_add_test(tc, test_api_netns_ids_truncation);
	suite_add_tcase(s, tc);

	tc = tcase_create("api-counts");
	tcase_add_test(tc, test_api_task_and_id_counts);
	tcase_add_test(tc, test_api_id_count_nesting_and_reset);
	suite_add_tcase(s, tc);
}
