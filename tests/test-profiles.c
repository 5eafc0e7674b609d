/*
 * The rule-set profiles of docs/semantics.md section 9: each debated
 * question as a table with one expected answer per profile, and the
 * behaviour that only one profile has (v8's depth limit, v11-posted's
 * slips, bits, the kernel allocator, v6 and v8 record formats).  The
 * profile contract is test-profile-contract.c's; this file's main() runs
 * both suites.
 *
 * The profiles are the library's (contid_profile_names()); the tests only
 * name those whose answers they know.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contid.h"
#include "contid-rules.h"
#include "test-helpers.h"
#include "test-suites.h"

/* The profiles the library lists, counted before any test registers one. */
static size_t nprofiles;

static const char *profile_at(size_t i)
{
	return contid_profile_names()[i];
}

static char last_op[1024];

static void capture(void *data, int type, const char *line, size_t len)
{
	(void)data;
	if (type == CONTID_RECORD_CONTAINER_OP && len < sizeof(last_op))
		memcpy(last_op, line, len + 1);
}

static struct contid_world *world(const char *profile)
{
	struct contid_world *w;

	ck_assert_int_eq(contid_world_new(&w), 0);
	ck_assert_int_eq(contid_world_set_profile(w, profile), 0);
	ck_assert_str_eq(contid_world_profile(w), profile);
	ck_assert_int_eq(contid_world_set_record_callback(w, capture, NULL), 0);
	last_op[0] = '\0';
	return w;
}

static int is(const char *profile, const char *name)
{
	return strcmp(profile, name) == 0;
}

/* The value a first write uses: kernel-alloc only accepts 0 for new IDs. */
static uint64_t fresh(const char *p, uint64_t v)
{
	return is(p, "kernel-alloc") ? 0 : v;
}

/* ------------------------------------------------------- the questions */

/* May a task set its own ID?  (v11 EXDEV R-SET-4, v8 EBADSLT, v6 yes) */
static int q_self_set(const char *p, struct contid_world *w)
{
	pid_t a = fork_ok(w, 1, 0);
	return contid_set(w, a, a, fresh(p, 5));
}

/* May the owner change a container's ID?  (v11 EEXIST R-SET-5, v8 ECHILD) */
static int q_reset_by_owner(const char *p, struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_set(w, o, c, fresh(p, 4)), 0);
	return contid_set(w, o, c, fresh(p, 6));
}

/* Writing the value a task already has (v8 EADDRINUSE before EPERM). */
static int q_same_value_unprivileged(const char *p, struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_set(w, o, c, fresh(p, 4)), 0);
	uint64_t v;
	ck_assert_int_eq(contid_get(w, 1, c, &v), 0);
	ck_assert_int_eq(contid_setuid(w, o, 1000), 0);  /* loses every cap */
	return contid_set(w, o, c, v);
}

/* May another orchestrator take a value someone owns (injection)? */
static int q_two_orchestrators(const char *p, struct contid_world *w)
{
	pid_t o1 = fork_ok(w, 1, 0), o2 = fork_ok(w, 1, 0);
	pid_t c1 = fork_ok(w, o1, 0), c2 = fork_ok(w, o2, 0);
	uint64_t v;
	ck_assert_int_eq(contid_set(w, o1, c1, fresh(p, 30)), 0);
	ck_assert_int_eq(contid_get(w, 1, c1, &v), 0);
	return contid_set(w, o2, c2, v);
}

/* May a task set a task that is not its descendant? */
static int q_not_descendant(const char *p, struct contid_world *w)
{
	pid_t o1 = fork_ok(w, 1, 0), o2 = fork_ok(w, 1, 0), c1 = fork_ok(w, o1, 0);
	(void)o2;
	return contid_set(w, o2, c1, fresh(p, 7));
}

/* Does a delegated capcontid give an unprivileged engine the right? */
static int q_capcontid_delegation(const char *p, struct contid_world *w)
{
	pid_t e = fork_ok(w, 1, 0);
	ck_assert_int_eq(contid_set_capcontid(w, 1, e, 1), 0);
	ck_assert_int_eq(contid_setuid(w, e, 1000), 0);
	pid_t c = fork_ok(w, e, 0);
	return contid_set(w, e, c, fresh(p, 8));
}

/* A task whose only right is capcontid (uid 1000, no capability) reads a
 * child's ID: v6 and v8 know only capable(). */
static int q_capcontid_read(const char *p, struct contid_world *w)
{
	pid_t e = fork_ok(w, 1, 0);
	uint64_t v;
	ck_assert_int_eq(contid_set_capcontid(w, 1, e, 1), 0);
	ck_assert_int_eq(contid_setuid(w, e, 1000), 0);
	pid_t c = fork_ok(w, e, 0);
	ck_assert_int_eq(contid_set(w, 1, c, fresh(p, 8)), 0);
	return contid_get(w, e, c, &v);
}

/* ... and passes the right on: v6 and v8 refuse that write too. */
static int q_capcontid_passed_on(const char *p, struct contid_world *w)
{
	pid_t e = fork_ok(w, 1, 0);
	(void)p;
	ck_assert_int_eq(contid_set_capcontid(w, 1, e, 1), 0);
	ck_assert_int_eq(contid_setuid(w, e, 1000), 0);
	pid_t sub = fork_ok(w, e, 0);
	return contid_set_capcontid(w, e, sub, 1);
}

/* May a multi-threaded target be set? (v11 EBUSY, v6/v8 EALREADY) */
static int q_threaded_target(const char *p, struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	fork_ok(w, c, CONTID_CLONE_THREAD);
	return contid_set(w, o, c, fresh(p, 9));
}

/* Unset can never be written (R-SET-1 everywhere). */
static int q_write_unset(const char *p, struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	(void)p;
	return contid_set(w, o, c, CONTID_UNSET);
}

/* Nesting by an engine below the owner. */
static int q_nest_below_owner(const char *p, struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_set(w, o, c, fresh(p, 8)), 0);
	pid_t e = fork_ok(w, c, 0), c2 = fork_ok(w, e, 0);
	uint64_t v;
	ck_assert_int_eq(contid_get(w, 1, c, &v), 0);
	if (is(p, "bits"))  /* 8 = 0b1000: 12 keeps bit 3 and adds bit 2 below it */
		return contid_set(w, e, c2, 12);
	/* c2 inherited c's ID; the engine sets a new one below it */
	return contid_set(w, e, c2, fresh(p, 20));
}

/* Each question's answer under every profile, as "PROFILE:OUTCOME ...",
 * OUTCOME being ok or an errno name. */
static const struct question {
	const char *name;
	int (*run)(const char *profile, struct contid_world *w);
	const char *answers;
} questions[] = {
	{ "self-set", q_self_set,
	  "v11:EXDEV v6:ok v8:EBADSLT v11-posted:EXDEV bits:EXDEV kernel-alloc:EXDEV" },
	/* bits: 4 = 0b100 -> 6 = 0b110 adds bit 1 below bit 2: allowed */
	{ "re-set-by-owner", q_reset_by_owner,
	  "v11:EEXIST v6:ok v8:ECHILD v11-posted:EEXIST bits:ok kernel-alloc:EEXIST" },
	{ "same-value-unprivileged", q_same_value_unprivileged,
	  "v11:EPERM v6:EPERM v8:EADDRINUSE v11-posted:EPERM bits:EPERM kernel-alloc:EPERM" },
	{ "two-orchestrators", q_two_orchestrators,
	  "v11:ENOTUNIQ v6:ok v8:ENOTUNIQ v11-posted:ENOTUNIQ bits:ok kernel-alloc:ENOTUNIQ" },
	{ "not-descendant", q_not_descendant,
	  "v11:EXDEV v6:ok v8:EXDEV v11-posted:EXDEV bits:EXDEV kernel-alloc:EXDEV" },
	{ "capcontid-delegation", q_capcontid_delegation,
	  "v11:ok v6:EPERM v8:EPERM v11-posted:ok bits:ok kernel-alloc:ok" },
	{ "capcontid-read", q_capcontid_read,
	  "v11:ok v6:EPERM v8:EPERM v11-posted:ok bits:ok kernel-alloc:ok" },
	{ "capcontid-passed-on", q_capcontid_passed_on,
	  "v11:ok v6:EPERM v8:EPERM v11-posted:ok bits:ok kernel-alloc:ok" },
	{ "threaded-target", q_threaded_target,
	  "v11:EBUSY v6:EALREADY v8:EALREADY v11-posted:EBUSY bits:EBUSY kernel-alloc:EBUSY" },
	{ "write-unset", q_write_unset,
	  "v11:EINVAL v6:EINVAL v8:EINVAL v11-posted:EINVAL bits:EINVAL kernel-alloc:EINVAL" },
	{ "nest-below-owner", q_nest_below_owner,
	  "v11:ok v6:ok v8:ok v11-posted:ok bits:ok kernel-alloc:ok" },
};

#define NQUESTIONS (sizeof(questions) / sizeof(questions[0]))

/* @q's answer under @profile: 0 or -errno; fails when it has none. */
static int answer(const struct question *q, const char *profile)
{
	size_t n = strlen(profile);

	for (const char *a = q->answers; a && *a; a = strchr(a, ' ')) {
		a += *a == ' ';
		if (strncmp(a, profile, n) != 0 || a[n] != ':')
			continue;
		char outcome[32];
		ck_assert_int_eq(sscanf(a + n + 1, "%31s", outcome), 1);
		if (strcmp(outcome, "ok") == 0)
			return 0;
		int err = contid_errno_from_name(outcome);
		ck_assert_msg(err > 0, "%s: bad outcome %s", q->name, outcome);
		return -err;
	}
	ck_abort_msg("%s: no answer for profile %s", q->name, profile);
	return 0;
}

START_TEST(test_profiles_debated_questions)
{
	const struct question *q = &questions[(size_t)_i / nprofiles];
	const char *p = profile_at((size_t)_i % nprofiles);
	struct contid_world *w = world(p);

	int r = q->run(p, w);
	int want = answer(q, p);
	ck_assert_msg(r == want, "%s under %s: expected %d, got %d",
		      q->name, p, want, r);
	assert_invariants(w);
	contid_world_free(w);
}
END_TEST

/* Every profile an answer names is one the library knows. */
START_TEST(test_profiles_answers_name_known_profiles)
{
	for (size_t i = 0; i < NQUESTIONS; i++) {
		const char *a = questions[i].answers;
		while (*a) {
			char name[32];
			ck_assert_int_eq(sscanf(a, "%31[^:]", name), 1);
			ck_assert_msg(profile_find(name) != NULL, "%s: unknown profile %s",
				      questions[i].name, name);
			a = strchr(a, ' ');
			if (!a)
				break;
			a++;
		}
	}
}
END_TEST

/* ------------------------------------------------------- selection */

START_TEST(test_profiles_selection)
{
	struct contid_world *w;
	const char *const *list = contid_profile_names();

	/* the default first, then each name once, each selectable */
	ck_assert_str_eq(list[0], "v11");
	for (size_t i = 0; list[i]; i++) {
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(list[i], list[j]);
		contid_world_free(world(list[i]));
	}
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
		struct contid_world *w = world("v8");
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
	struct contid_world *w = world("v8");
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

/* The limit is on new IDs: a writer too deep to create one may still
 * inject into an ID it owns (the resolve step finds it first). */
START_TEST(test_profiles_v8_depth_limit_spares_joining)
{
	struct contid_world *w = world("v8");
	pid_t o = fork_ok(w, 1, 0), e = fork_ok(w, o, 0);

	ck_assert_int_eq(contid_world_set_depth_limit(w, 0), 0);
	ck_assert_int_eq(contid_set(w, o, e, 5), 0);
	pid_t f = fork_ok(w, e, 0), g = fork_ok(w, e, 0), h = fork_ok(w, e, 0);
	ck_assert_int_eq(contid_set(w, e, f, 6), 0);         /* e owns 6 */
	ck_assert_int_eq(contid_world_set_depth_limit(w, 1), 0);
	ck_assert_int_eq(contid_set(w, e, g, 6), 0);         /* joins 6 */
	ck_assert_int_eq(contid_set(w, e, h, 7), -EMLINK);   /* would create */
	assert_invariants(w);
	contid_world_free(w);
}
END_TEST

/* The limit counts the writer's own chain, not the target's: init, which
 * holds no ID, relabels a task whose ID is 4 deep (v8 lets anyone but the
 * owner relabel), where the holder of that ID may not create one. */
START_TEST(test_profiles_v8_depth_limit_counts_the_writer)
{
	struct contid_world *w = world("v8");
	pid_t writer = fork_ok(w, 1, 0), t;
	char chain[128];

	for (int i = 1; i <= 4; i++) {
		pid_t child = fork_ok(w, writer, 0);
		ck_assert_int_eq(contid_set(w, writer, child, 100 + (uint64_t)i), 0);
		writer = child;
	}
	t = fork_ok(w, writer, 0);                  /* holds 104, 4 deep */
	ck_assert_int_gt(contid_task_chain(w, t, chain, sizeof(chain)), 0);
	ck_assert_str_eq(chain, "104^103^102^101");
	ck_assert_int_eq(contid_set(w, writer, t, 200), -EMLINK);
	ck_assert_int_eq(contid_set(w, 1, t, 200), 0);
	ck_assert_int_gt(contid_task_chain(w, t, chain, sizeof(chain)), 0);
	ck_assert_str_eq(chain, "200");
	assert_invariants(w);
	contid_world_free(w);
}
END_TEST

START_TEST(test_profiles_v8_chain_and_unset_format)
{
	struct contid_world *w = world("v8");
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
	/* no ID prints as 2^64-1 everywhere, the op=drop record's contid=
	 * included: c2's exit frees 200 (100 is still c's) */
	ck_assert_int_eq(contid_exit(w, c2), 0);
	ck_assert_str_eq(last_op, "type=CONTAINER_OP msg=audit(1700000000.006:3): "
		"op=drop opid=5 contid=18446744073709551615 old-contid=200^100");
	contid_world_free(w);
}
END_TEST

/* ------------------------------------------------------------- v6 */

START_TEST(test_profiles_v6_record_fields_and_no_owner)
{
	struct contid_world *w = world("v6");
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
static struct contid_world *nested_then_gone(const char *p, pid_t *orch_out)
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
	struct contid_world *w = nested_then_gone("v11", &o);
	ck_assert_int_eq(contid_id_owner(w, 100, NULL, NULL), -ENOENT);  /* freed */
	contid_world_free(w);

	w = nested_then_gone("v11-posted", &o);
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
	static const char *const both[] = { "v11", "v11-posted" };

	for (size_t i = 0; i < 2; i++) {
		struct contid_world *w = world(both[i]);
		pid_t rootless = fork_ok(w, 1, CONTID_CLONE_NEWUSER);
		pid_t c = fork_ok(w, rootless, 0);
		int r = contid_set_capcontid(w, rootless, c, 1);
		ck_assert_int_eq(r, i == 0 ? -EPERM : 0);
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
		struct contid_world *w = world("bits");
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

/* bits shares values like v6, but frees one as v11 does: with an op=drop
 * record when its last holder exits, and not before. */
START_TEST(test_profiles_bits_drop_on_last_exit)
{
	struct contid_world *w = world("bits");
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0), d = fork_ok(w, o, 0);
	char want[128];

	ck_assert_int_eq(contid_set(w, o, c, 8), 0);
	ck_assert_int_eq(contid_set(w, o, d, 8), 0);        /* shared */
	last_op[0] = '\0';
	ck_assert_int_eq(contid_exit(w, c), 0);
	ck_assert_str_eq(last_op, "");                      /* d holds 8 */
	ck_assert_int_eq(contid_id_owner(w, 8, NULL, NULL), 0);
	ck_assert_int_eq(contid_exit(w, d), 0);
	snprintf(want, sizeof(want), "op=drop opid=%d contid=-1 old-contid=8",
		 (int)d);
	ck_assert_str_eq(strstr(last_op, "): ") + 3, want);
	ck_assert_int_eq(contid_id_owner(w, 8, NULL, NULL), -ENOENT);
	assert_invariants(w);
	contid_world_free(w);
}
END_TEST

START_TEST(test_profiles_bits_run_out_after_63_levels)
{
	/* each level claims one more bit below the last: 63 levels fit, and
	 * the 64th would be all ones, the value that means unset */
	struct contid_world *w = world("bits");
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
	struct contid_world *w = world("kernel-alloc");
	pid_t o = fork_ok(w, 1, 0);
	pid_t c[4];
	uint64_t v;
	for (int i = 0; i < 4; i++) {
		c[i] = fork_ok(w, o, 0);
		ck_assert_int_eq(contid_write(w, o, c[i], "0\n", 2), 2);
		ck_assert_int_eq(contid_get(w, o, c[i], &v), 0);
		ck_assert_uint_eq(v, (uint64_t)i + 1);
	}
	/* a granted request logs the value handed out, so that a log reader
	 * sees which ID the kernel chose ... */
	ck_assert_str_eq(last_op + strlen(last_op) - strlen("contid=4 old-contid=-1"),
			 "contid=4 old-contid=-1");
	/* ... and a refused one the value written, 0 (R-SET-5: c[0] has 1) */
	ck_assert_int_eq(contid_write(w, o, c[0], "0\n", 2), -EEXIST);
	ck_assert_str_eq(last_op + strlen(last_op) - strlen("contid=0 old-contid=1"),
			 "contid=0 old-contid=1");
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

/* R-SET-5 before the allocator's own rule: a task that has an ID is
 * refused any write with EEXIST, a value the kernel never handed out
 * included; EINVAL is for tasks without one. */
START_TEST(test_profiles_kernel_alloc_eexist_before_einval)
{
	struct contid_world *w = world("kernel-alloc");
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0), d = fork_ok(w, o, 0);

	ck_assert_int_eq(contid_set(w, o, c, 0), 0);        /* c gets 1 */
	ck_assert_int_eq(contid_set(w, o, c, 9), -EEXIST);
	ck_assert_int_eq(contid_set(w, o, c, 1), -EEXIST);
	ck_assert_int_eq(contid_set(w, o, d, 9), -EINVAL);
	ck_assert_int_eq(contid_set(w, o, d, 1), 0);        /* joins 1 */
	assert_invariants(w);
	contid_world_free(w);
}
END_TEST

int main(void)
{
	while (contid_profile_names()[nprofiles])
		nprofiles++;

	Suite *s = suite_create("profiles");
	TCase *tc = tcase_create("profiles-debate");
	tcase_add_loop_test(tc, test_profiles_debated_questions, 0,
			    (int)(NQUESTIONS * nprofiles));
	tcase_add_test(tc, test_profiles_answers_name_known_profiles);
	tcase_add_test(tc, test_profiles_selection);
	suite_add_tcase(s, tc);
	tc = tcase_create("profile-v8");
	tcase_add_test(tc, test_profiles_v8_depth_limit_emlink);
	tcase_add_test(tc, test_profiles_v8_default_depth_limit_is_4);
	tcase_add_test(tc, test_profiles_v8_depth_limit_spares_joining);
	tcase_add_test(tc, test_profiles_v8_depth_limit_counts_the_writer);
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
	tcase_add_test(tc, test_profiles_bits_drop_on_last_exit);
	suite_add_tcase(s, tc);
	tc = tcase_create("profile-kernel-alloc");
	tcase_add_test(tc, test_profiles_kernel_alloc_lowest_free);
	tcase_add_test(tc, test_profiles_kernel_alloc_eexist_before_einval);
	suite_add_tcase(s, tc);

	SRunner *runner = srunner_create(s);
	/* last: a profile it registers stays for the tests after it when
	 * Check does not fork (under Valgrind) */
	srunner_add_suite(runner, suite_profile_contract());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
