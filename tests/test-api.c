/*
 * The API contracts of lib/contid.h: NULL arguments refused first, in
 * every function; NULL-safe free, pid_max bounds, out-parameters untouched
 * on failure, errno names, snprintf-like formatting, counters.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
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

	/* section 6a: no daemon, nothing pinned, a reader that is refused */
	char *chain = (char *)"untouched";
	ck_assert_int_eq(contid_auditd(w, &p), -ENOENT);
	ck_assert_int_eq(contid_pinned(w, &u64), -ENOENT);
	ck_assert_int_eq(contid_signal_info(w, 999, &u32, &p, &chain), -ESRCH);
	ck_assert_int_eq(contid_signal_info(w, 3, &u32, &p, &chain), -EPERM);
	ck_assert_str_eq(chain, "untouched");
	ck_assert_uint_eq(u64, S64);
	ck_assert_uint_eq(u32, S32);
	ck_assert_int_eq(p, SPID);

	/* iteration past the last task */
	ck_assert_int_eq(contid_task_next(w, 3, &p), -ENOENT);
	ck_assert_int_eq(contid_task_next(w, 999, &p), -ENOENT);
	ck_assert_int_eq(p, SPID);

	/* no refusal after an operation that succeeded */
	const char *rule = "unchanged", *reason = "unchanged";
	ck_assert_int_eq(contid_event(w, 1), 0);
	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), -ENOENT);
	ck_assert_str_eq(rule, "unchanged");
	ck_assert_str_eq(reason, "unchanged");
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

/* Every errno the rules of docs/semantics.md use (v11 and the profiles of
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

	/* any case: the lower-case name and one with a capital only first */
	char lower[32], mixed[32];
	size_t len = strlen(errnos[_i].name);
	ck_assert_uint_lt(len, sizeof(lower));
	for (size_t k = 0; k <= len; k++) {
		lower[k] = (char)tolower((unsigned char)errnos[_i].name[k]);
		mixed[k] = k == 0 ? errnos[_i].name[k] : lower[k];
	}
	ck_assert_int_eq(contid_errno_from_name(lower), errnos[_i].err);
	ck_assert_int_eq(contid_errno_from_name(mixed), errnos[_i].err);
}
END_TEST

/* The header's macros, the library's string and the project's version
 * (from the build) are one version. */
START_TEST(test_api_version_macros_match_library)
{
	char header[32];

	snprintf(header, sizeof(header), "%d.%d.%d", CONTID_VERSION_MAJOR,
		 CONTID_VERSION_MINOR, CONTID_VERSION_MICRO);
	ck_assert_str_eq(header, CONTID_PROJECT_VERSION);
	ck_assert_str_eq(contid_version(), CONTID_PROJECT_VERSION);
	ck_assert_ptr_eq(contid_version(), contid_version());
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

/* ----------------------------------------------- NULL arguments first */

/*
 * Every function of lib/contid.h, called with a NULL world, and with each
 * pointer it needs NULL: -EINVAL before anything else, the world
 * untouched.  (Where a function cannot return an errno, what it returns
 * instead is turned into one here.)
 */
static char name_buf[64];
static uint64_t u64_out, u64_buf[4];
static uint32_t u32_out;
static unsigned uint_out;
static int int_out;
static pid_t pid_out;
static char *text_out;
static struct contid_world *world_out;
static uint64_t digest_out[2];
static const char *rule_out, *reason_out;

#define CALL(fn, expr)                                                      \
	static int fn(struct contid_world *w)                               \
	{                                                                   \
		(void)w;                                                    \
		return (expr);                                              \
	}

/* with no world */
CALL(n_world_new, contid_world_new(NULL))
CALL(n_world_free, (contid_world_free(NULL), -EINVAL))
CALL(n_world_clone, contid_world_clone(NULL, &world_out))
CALL(n_world_copy, contid_world_copy(NULL, w))
CALL(n_world_digest, contid_world_digest(NULL, digest_out))
CALL(n_world_digest_symmetric, contid_world_digest_symmetric(NULL, 0, digest_out))
CALL(n_world_digest_orbit, contid_world_digest_orbit(NULL, 0, NULL, 0, digest_out))
CALL(n_world_digest_canonical, contid_world_digest_canonical(NULL, 0, NULL, 0, digest_out))
CALL(n_profile_names, contid_profile_names() ? -EINVAL : 0)
CALL(n_set_profile, contid_world_set_profile(NULL, "v11"))
CALL(n_profile, contid_world_profile(NULL) ? 0 : -EINVAL)
CALL(n_set_depth_limit, contid_world_set_depth_limit(NULL, 1))
CALL(n_set_pid_max, contid_world_set_pid_max(NULL, 100))
CALL(n_set_limit, contid_world_set_limit(NULL, CONTID_LIMIT_IDS, 1))
CALL(n_set_audit, contid_world_set_audit(NULL, 0))
CALL(n_set_record_callback, contid_world_set_record_callback(NULL, NULL, NULL))
CALL(n_check, contid_world_check(NULL, name_buf, sizeof(name_buf)))
CALL(n_dump, contid_world_dump(NULL, &text_out))
CALL(n_fork, contid_fork(NULL, 1, 0, &pid_out))
CALL(n_exit, contid_exit(NULL, 2))
CALL(n_reap, contid_reap(NULL, 2))
CALL(n_set_subreaper, contid_set_subreaper(NULL, 2))
CALL(n_unshare, contid_unshare(NULL, 2, CONTID_NS_NET))
CALL(n_setns, contid_setns(NULL, 2, CONTID_NS_NET, 1))
CALL(n_setuid, contid_setuid(NULL, 2, 1000))
CALL(n_drop_cap, contid_drop_cap(NULL, 2, CONTID_CAP_SETUID))
CALL(n_write, contid_write(NULL, 2, 3, "100", 3))
CALL(n_set, contid_set(NULL, 2, 3, 100))
CALL(n_get, contid_get(NULL, 2, 3, &u64_out))
CALL(n_write_capcontid, contid_write_capcontid(NULL, 2, 3, "1", 1))
CALL(n_set_capcontid, contid_set_capcontid(NULL, 2, 3, 1))
CALL(n_get_capcontid, contid_get_capcontid(NULL, 2, 3, &u32_out))
CALL(n_event, contid_event(NULL, 2))
CALL(n_packet, contid_packet(NULL, 2))
CALL(n_task_set_name, contid_task_set_name(NULL, 2, "x"))
CALL(n_task_state, contid_task_state(NULL, 2, &int_out))
CALL(n_task_identity, contid_task_identity(NULL, 2, &u64_out))
CALL(n_task_tgid, contid_task_tgid(NULL, 2, &pid_out))
CALL(n_task_ppid, contid_task_ppid(NULL, 2, &pid_out))
CALL(n_task_uid, contid_task_uid(NULL, 2, &u32_out))
CALL(n_task_userns_level, contid_task_userns_level(NULL, 2, &uint_out))
CALL(n_task_has_cap, contid_task_has_cap(NULL, 2, CONTID_CAP_SETUID, &int_out))
CALL(n_task_capable, contid_task_capable(NULL, 2, CONTID_CAP_SETUID, &int_out))
CALL(n_task_subreaper, contid_task_subreaper(NULL, 2, &int_out))
CALL(n_task_contid, contid_task_contid(NULL, 2, &u64_out))
CALL(n_task_capcontid, contid_task_capcontid(NULL, 2, &u32_out))
CALL(n_task_chain, contid_task_chain(NULL, 2, name_buf, sizeof(name_buf)))
CALL(n_task_netns_ids, contid_task_netns_ids(NULL, 2, u64_buf, 4))
CALL(n_task_is_descendant, contid_task_is_descendant(NULL, 3, 2, &int_out))
CALL(n_id_owner, contid_id_owner(NULL, 100, &u64_out, &pid_out))
CALL(n_id_parent, contid_id_parent(NULL, 100, &u64_out))
CALL(n_id_users, contid_id_users(NULL, 100, &uint_out))
CALL(n_id_refs, contid_id_refs(NULL, 100, &uint_out))
CALL(n_task_next, contid_task_next(NULL, 0, &pid_out))
CALL(n_id_list, contid_id_list(NULL, u64_buf, 4))
CALL(n_id_count, contid_id_count(NULL) == 0 ? -EINVAL : 0)
CALL(n_task_count, contid_task_count(NULL) == 0 ? -EINVAL : 0)
CALL(n_errno_name, contid_errno_name(EPERM) ? -EINVAL : 0)
CALL(n_version, contid_version() ? -EINVAL : 0)
CALL(n_errno_from_name, contid_errno_from_name(NULL) == 0 ? -EINVAL : 0)
CALL(n_record_type_name, contid_record_type_name(1020) ? -EINVAL : 0)
CALL(n_last_refusal, contid_world_last_refusal(NULL, &rule_out, &reason_out))
CALL(n_set_auditd, contid_set_auditd(NULL, 2))
CALL(n_signal, contid_signal(NULL, 2, 3, CONTID_SIG_TERM))
CALL(n_signal_info, contid_signal_info(NULL, 2, &u32_out, &pid_out, &text_out))
CALL(n_pinned, contid_pinned(NULL, &u64_out))
CALL(n_auditd, contid_auditd(NULL, &pid_out))

/* with a world (2 is orch, 3 its child c1 holding 100) and a NULL pointer */
CALL(p_set_profile, contid_world_set_profile(w, NULL))
CALL(p_check, contid_world_check(w, NULL, 16))
CALL(p_dump, contid_world_dump(w, NULL))
CALL(p_world_clone, contid_world_clone(w, NULL))
CALL(p_world_copy, contid_world_copy(w, NULL))
CALL(p_world_digest, contid_world_digest(w, NULL))
CALL(p_world_digest_symmetric, contid_world_digest_symmetric(w, 0, NULL))
CALL(p_world_digest_orbit, contid_world_digest_orbit(w, 0, NULL, 0, NULL))
CALL(p_world_digest_orbit_values, contid_world_digest_orbit(w, 0, NULL, 1, digest_out))
CALL(p_world_digest_canonical, contid_world_digest_canonical(w, 0, NULL, 0, NULL))
CALL(p_world_digest_canonical_values, contid_world_digest_canonical(w, 0, NULL, 1, digest_out))
CALL(p_fork, contid_fork(w, 2, 0, NULL))
CALL(p_write, contid_write(w, 2, 3, NULL, 3))
CALL(p_get, contid_get(w, 2, 3, NULL))
CALL(p_write_capcontid, contid_write_capcontid(w, 2, 3, NULL, 1))
CALL(p_get_capcontid, contid_get_capcontid(w, 2, 3, NULL))
CALL(p_task_set_name, contid_task_set_name(w, 2, NULL))
CALL(p_task_state, contid_task_state(w, 2, NULL))
CALL(p_task_identity, contid_task_identity(w, 2, NULL))
CALL(p_task_tgid, contid_task_tgid(w, 2, NULL))
CALL(p_task_ppid, contid_task_ppid(w, 2, NULL))
CALL(p_task_uid, contid_task_uid(w, 2, NULL))
CALL(p_task_userns_level, contid_task_userns_level(w, 2, NULL))
CALL(p_task_has_cap, contid_task_has_cap(w, 2, CONTID_CAP_SETUID, NULL))
CALL(p_task_capable, contid_task_capable(w, 2, CONTID_CAP_SETUID, NULL))
CALL(p_task_subreaper, contid_task_subreaper(w, 2, NULL))
CALL(p_task_contid, contid_task_contid(w, 2, NULL))
CALL(p_task_capcontid, contid_task_capcontid(w, 2, NULL))
CALL(p_task_chain, contid_task_chain(w, 3, NULL, 16))
CALL(p_task_netns_ids, contid_task_netns_ids(w, 3, NULL, 4))
CALL(p_task_is_descendant, contid_task_is_descendant(w, 3, 2, NULL))
CALL(p_id_parent, contid_id_parent(w, 100, NULL))
CALL(p_id_users, contid_id_users(w, 100, NULL))
CALL(p_id_refs, contid_id_refs(w, 100, NULL))
CALL(p_task_next, contid_task_next(w, 0, NULL))
CALL(p_id_list, contid_id_list(w, NULL, 4))
CALL(p_last_refusal_rule, contid_world_last_refusal(w, NULL, &reason_out))
CALL(p_last_refusal_reason, contid_world_last_refusal(w, &rule_out, NULL))
CALL(p_signal_info_uid, contid_signal_info(w, 2, NULL, &pid_out, &text_out))
CALL(p_signal_info_pid, contid_signal_info(w, 2, &u32_out, NULL, &text_out))
CALL(p_signal_info_chain, contid_signal_info(w, 2, &u32_out, &pid_out, NULL))
CALL(p_pinned, contid_pinned(w, NULL))
CALL(p_auditd, contid_auditd(w, NULL))
/* the checks come before the lookups: a missing task or ID is not the
 * answer, nor would it be with a pointer */
CALL(p_task_state_gone, contid_task_state(w, 99, NULL))
CALL(p_id_users_gone, contid_id_users(w, 999, NULL))

static const struct null_call {
	const char *fn;
	const char *null;        /* which argument is NULL */
	int (*call)(struct contid_world *w);
	int want;
} null_calls[] = {
	{ "contid_world_new", "ret", n_world_new, -EINVAL },
	{ "contid_world_free", "w (ignored)", n_world_free, -EINVAL },
	{ "contid_world_clone", "w", n_world_clone, -EINVAL },
	{ "contid_world_clone", "ret", p_world_clone, -EINVAL },
	{ "contid_world_copy", "dst", n_world_copy, -EINVAL },
	{ "contid_world_copy", "src", p_world_copy, -EINVAL },
	{ "contid_world_digest", "w", n_world_digest, -EINVAL },
	{ "contid_world_digest", "digest", p_world_digest, -EINVAL },
	{ "contid_world_digest_symmetric", "w", n_world_digest_symmetric, -EINVAL },
	{ "contid_world_digest_symmetric", "digest", p_world_digest_symmetric,
	  -EINVAL },
	{ "contid_world_digest_orbit", "w", n_world_digest_orbit, -EINVAL },
	{ "contid_world_digest_orbit", "digest", p_world_digest_orbit, -EINVAL },
	{ "contid_world_digest_orbit", "values", p_world_digest_orbit_values,
	  -EINVAL },
	{ "contid_world_digest_canonical", "w", n_world_digest_canonical, -EINVAL },
	{ "contid_world_digest_canonical", "digest", p_world_digest_canonical, -EINVAL },
	{ "contid_world_digest_canonical", "values", p_world_digest_canonical_values,
	  -EINVAL },
	{ "contid_profile_names", "(none)", n_profile_names, -EINVAL },
	{ "contid_world_set_profile", "w", n_set_profile, -EINVAL },
	{ "contid_world_set_profile", "name", p_set_profile, -EINVAL },
	{ "contid_world_profile", "w (gives NULL)", n_profile, -EINVAL },
	{ "contid_world_set_depth_limit", "w", n_set_depth_limit, -EINVAL },
	{ "contid_world_set_pid_max", "w", n_set_pid_max, -EINVAL },
	{ "contid_world_set_limit", "w", n_set_limit, -EINVAL },
	{ "contid_world_set_audit", "w", n_set_audit, -EINVAL },
	{ "contid_world_set_record_callback", "w", n_set_record_callback, -EINVAL },
	{ "contid_world_check", "w", n_check, -EINVAL },
	{ "contid_world_check", "msg", p_check, -EINVAL },
	{ "contid_world_dump", "w", n_dump, -EINVAL },
	{ "contid_world_dump", "text", p_dump, -EINVAL },
	{ "contid_fork", "w", n_fork, -EINVAL },
	{ "contid_fork", "child", p_fork, -EINVAL },
	{ "contid_exit", "w", n_exit, -EINVAL },
	{ "contid_reap", "w", n_reap, -EINVAL },
	{ "contid_set_subreaper", "w", n_set_subreaper, -EINVAL },
	{ "contid_unshare", "w", n_unshare, -EINVAL },
	{ "contid_setns", "w", n_setns, -EINVAL },
	{ "contid_setuid", "w", n_setuid, -EINVAL },
	{ "contid_drop_cap", "w", n_drop_cap, -EINVAL },
	{ "contid_write", "w", n_write, -EINVAL },
	/* a NULL buffer is the write's own EFAULT, as write(2)'s (an
	 * operation, so the clock moves) */
	{ "contid_write", "buf", p_write, -EFAULT },
	{ "contid_set", "w", n_set, -EINVAL },
	{ "contid_get", "w", n_get, -EINVAL },
	{ "contid_get", "id", p_get, -EINVAL },
	{ "contid_write_capcontid", "w", n_write_capcontid, -EINVAL },
	{ "contid_write_capcontid", "buf", p_write_capcontid, -EFAULT },
	{ "contid_set_capcontid", "w", n_set_capcontid, -EINVAL },
	{ "contid_get_capcontid", "w", n_get_capcontid, -EINVAL },
	{ "contid_get_capcontid", "value", p_get_capcontid, -EINVAL },
	{ "contid_event", "w", n_event, -EINVAL },
	{ "contid_packet", "w", n_packet, -EINVAL },
	{ "contid_task_set_name", "w", n_task_set_name, -EINVAL },
	{ "contid_task_set_name", "name", p_task_set_name, -EINVAL },
	{ "contid_task_state", "w", n_task_state, -EINVAL },
	{ "contid_task_state", "state", p_task_state, -EINVAL },
	{ "contid_task_state", "state (pid gone)", p_task_state_gone, -EINVAL },
	{ "contid_task_identity", "w", n_task_identity, -EINVAL },
	{ "contid_task_identity", "identity", p_task_identity, -EINVAL },
	{ "contid_task_tgid", "w", n_task_tgid, -EINVAL },
	{ "contid_task_tgid", "tgid", p_task_tgid, -EINVAL },
	{ "contid_task_ppid", "w", n_task_ppid, -EINVAL },
	{ "contid_task_ppid", "ppid", p_task_ppid, -EINVAL },
	{ "contid_task_uid", "w", n_task_uid, -EINVAL },
	{ "contid_task_uid", "uid", p_task_uid, -EINVAL },
	{ "contid_task_userns_level", "w", n_task_userns_level, -EINVAL },
	{ "contid_task_userns_level", "level", p_task_userns_level, -EINVAL },
	{ "contid_task_has_cap", "w", n_task_has_cap, -EINVAL },
	{ "contid_task_has_cap", "has", p_task_has_cap, -EINVAL },
	{ "contid_task_capable", "w", n_task_capable, -EINVAL },
	{ "contid_task_capable", "capable", p_task_capable, -EINVAL },
	{ "contid_task_subreaper", "w", n_task_subreaper, -EINVAL },
	{ "contid_task_subreaper", "is", p_task_subreaper, -EINVAL },
	{ "contid_task_contid", "w", n_task_contid, -EINVAL },
	{ "contid_task_contid", "id", p_task_contid, -EINVAL },
	{ "contid_task_capcontid", "w", n_task_capcontid, -EINVAL },
	{ "contid_task_capcontid", "value", p_task_capcontid, -EINVAL },
	{ "contid_task_chain", "w", n_task_chain, -EINVAL },
	{ "contid_task_chain", "buf", p_task_chain, -EINVAL },
	{ "contid_task_netns_ids", "w", n_task_netns_ids, -EINVAL },
	{ "contid_task_netns_ids", "ids", p_task_netns_ids, -EINVAL },
	{ "contid_task_is_descendant", "w", n_task_is_descendant, -EINVAL },
	{ "contid_task_is_descendant", "is", p_task_is_descendant, -EINVAL },
	{ "contid_id_owner", "w", n_id_owner, -EINVAL },
	{ "contid_id_parent", "w", n_id_parent, -EINVAL },
	{ "contid_id_parent", "parent", p_id_parent, -EINVAL },
	{ "contid_id_users", "w", n_id_users, -EINVAL },
	{ "contid_id_users", "users", p_id_users, -EINVAL },
	{ "contid_id_users", "users (no such ID)", p_id_users_gone, -EINVAL },
	{ "contid_id_refs", "w", n_id_refs, -EINVAL },
	{ "contid_id_refs", "refs", p_id_refs, -EINVAL },
	{ "contid_task_next", "w", n_task_next, -EINVAL },
	{ "contid_task_next", "next", p_task_next, -EINVAL },
	{ "contid_id_list", "w", n_id_list, -EINVAL },
	{ "contid_id_list", "values", p_id_list, -EINVAL },
	{ "contid_id_count", "w (gives 0)", n_id_count, -EINVAL },
	{ "contid_task_count", "w (gives 0)", n_task_count, -EINVAL },
	{ "contid_errno_name", "(none)", n_errno_name, -EINVAL },
	{ "contid_version", "(none)", n_version, -EINVAL },
	{ "contid_errno_from_name", "name (gives 0)", n_errno_from_name, -EINVAL },
	{ "contid_record_type_name", "(none)", n_record_type_name, -EINVAL },
	{ "contid_world_last_refusal", "w", n_last_refusal, -EINVAL },
	{ "contid_world_last_refusal", "rule", p_last_refusal_rule, -EINVAL },
	{ "contid_world_last_refusal", "reason", p_last_refusal_reason, -EINVAL },
	{ "contid_set_auditd", "w", n_set_auditd, -EINVAL },
	{ "contid_signal", "w", n_signal, -EINVAL },
	{ "contid_signal_info", "w", n_signal_info, -EINVAL },
	{ "contid_signal_info", "uid", p_signal_info_uid, -EINVAL },
	{ "contid_signal_info", "pid", p_signal_info_pid, -EINVAL },
	{ "contid_signal_info", "chain", p_signal_info_chain, -EINVAL },
	{ "contid_pinned", "w", n_pinned, -EINVAL },
	{ "contid_pinned", "value", p_pinned, -EINVAL },
	{ "contid_auditd", "w", n_auditd, -EINVAL },
	{ "contid_auditd", "pid", p_auditd, -EINVAL },
};

#define NNULL_CALLS (sizeof(null_calls) / sizeof(null_calls[0]))

START_TEST(test_api_null_arguments_first)
{
	const struct null_call *nc = &null_calls[_i];
	struct test_world *tw = tw_new();
	char *before, *after;

	fork_expect(tw->w, 1, 0, 2);
	fork_expect(tw->w, 2, 0, 3);
	set_ok(tw->w, 2, 3, 100);
	tw_records_clear(tw);
	ck_assert_int_eq(contid_world_dump(tw->w, &before), 0);
	int r = nc->call(tw->w);
	ck_assert_msg(r == nc->want, "%s with %s NULL returned %d, not %d",
		      nc->fn, nc->null, r, nc->want);
	ck_assert_int_eq(contid_world_dump(tw->w, &after), 0);
	if (nc->want == -EINVAL) {
		ck_assert_str_eq(before, after);     /* not even the clock */
		expect_none(tw);
	}
	free(before);
	free(after);
	tw_free(tw);
}
END_TEST

/* The table above names every function lib/contid.h declares. */
START_TEST(test_api_null_arguments_cover_the_header)
{
	FILE *f = fopen(CONTID_HEADER, "r");
	char line[512], name[64];
	size_t functions = 0;

	ck_assert_msg(f != NULL, "cannot open %s", CONTID_HEADER);
	while (fgets(line, sizeof(line), f)) {
		/* declarations begin at the start of a line with their type */
		const char *p = strstr(line, "contid_");
		if (!p || line[0] == ' ' || line[0] == '/' || line[0] == '#' ||
		    strncmp(line, "typedef", 7) == 0 ||
		    sscanf(p, "%63[a-z0-9_](", name) != 1 || !strchr(p, '('))
			continue;
		functions++;
		size_t i = 0;
		while (i < NNULL_CALLS && strcmp(null_calls[i].fn, name) != 0)
			i++;
		ck_assert_msg(i < NNULL_CALLS, "%s is not in the table", name);
	}
	fclose(f);
	ck_assert_uint_ge(functions, 50);
}
END_TEST

/* ---------------------------------------------------------------- suite */

Suite *suite_api(void)
{
	Suite *s = suite_create("api");
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
	tcase_add_test(tc, test_api_version_macros_match_library);
	suite_add_tcase(s, tc);

	tc = tcase_create("api-format");
	tcase_add_test(tc, test_api_chain_snprintf_truncation);
	tcase_add_test(tc, test_api_chain_of_largest_value);
	tcase_add_test(tc, test_api_netns_ids_truncation);
	suite_add_tcase(s, tc);

	tc = tcase_create("api-null-arguments");
	tcase_add_loop_test(tc, test_api_null_arguments_first, 0, (int)NNULL_CALLS);
	tcase_add_test(tc, test_api_null_arguments_cover_the_header);
	suite_add_tcase(s, tc);

	tc = tcase_create("api-counts");
	tcase_add_test(tc, test_api_task_and_id_counts);
	tcase_add_test(tc, test_api_id_count_nesting_and_reset);
	suite_add_tcase(s, tc);

	return s;
}
