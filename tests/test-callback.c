/*
 * What a record callback may do (lib/contid.h at
 * contid_world_set_record_callback(), docs/semantics.md choice n): every
 * function that can change its own world is refused with -EDEADLK and
 * leaves no trace, functions taking a const world work and see the
 * operation part-way, and other worlds may be used freely.  The "callback"
 * suite.
 *
 * Most tests run the same workload twice, once with the plain capturing
 * callback of test-helpers.c and once with a callback that also calls back
 * into the world, and compare the two runs line by line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-helpers.h"
#include "test-suites.h"

/* ------------------------------------------------------------ workload */

#define NSCRIPT 5
#define WORKLOAD_RECORDS 12

/*
 * build_nested() (ops 1-5: orch 2, c1 3 holding 100, engine 4 holding 100,
 * c2 5) and a spare child 6 of orch (op 6); 100's op=set and SYSCALL are
 * records 0 and 1.
 */
static void build(struct contid_world *w)
{
	build_nested(w);
	fork_expect(w, 2, 0, 6);                          /* op 6: spare */
}

/*
 * One operation of each kind that logs, records 2 to 11: op=set with
 * CONTAINER_ID and SYSCALL, SET_CAPCONTID and SYSCALL, CONTAINER_ID and
 * SYSCALL of an event, CONTAINER_ID and NETFILTER_PKT, op=drop.
 */
static void script(struct contid_world *w, int rets[NSCRIPT])
{
	rets[0] = contid_set(w, 4, 5, 200);               /* op 7, serial 2 */
	rets[1] = contid_set_capcontid(w, 2, 3, 5);       /* op 8, serial 3 */
	rets[2] = contid_event(w, 5);                     /* op 9, serial 4 */
	rets[3] = contid_packet(w, 5);                    /* op 10, serial 5 */
	rets[4] = contid_exit(w, 5);                      /* op 11, serial 6 */
}

static void assert_script_ok(const int rets[NSCRIPT])
{
	for (size_t i = 0; i < NSCRIPT; i++)
		ck_assert_msg(rets[i] == 0, "script step %zu returned %d", i,
			      rets[i]);
}

static void assert_same_records(const struct test_world *a,
				const struct test_world *b)
{
	ck_assert_uint_eq(a->nrecords, b->nrecords);
	for (size_t i = 0; i < a->nrecords; i++) {
		ck_assert_str_eq(a->records[i].line, b->records[i].line);
		ck_assert_int_eq(a->records[i].type, b->records[i].type);
	}
}

static void assert_same_dump(const struct contid_world *a,
			     const struct contid_world *b)
{
	char *da = NULL, *db = NULL;

	ck_assert_int_eq(contid_world_dump(a, &da), 0);
	ck_assert_int_eq(contid_world_dump(b, &db), 0);
	ck_assert_str_eq(da, db);
	free(da);
	free(db);
}

/* ------------------------------------- every function that may change */

static pid_t out_pid;
static uint64_t out_u64;
static uint32_t out_u32;

#define MUTATOR(fn, call)                                                   \
	static int fn(struct contid_world *w)                               \
	{                                                                   \
		return call;                                                \
	}

MUTATOR(m_fork, contid_fork(w, 2, 0, &out_pid))
MUTATOR(m_fork_null_child, contid_fork(w, 2, 0, NULL))
MUTATOR(m_exit, contid_exit(w, 6))
MUTATOR(m_reap, contid_reap(w, 5))
MUTATOR(m_set_subreaper, contid_set_subreaper(w, 2))
MUTATOR(m_unshare, contid_unshare(w, 6, CONTID_NS_NET))
MUTATOR(m_setns, contid_setns(w, 6, CONTID_NS_NET, 3))
MUTATOR(m_setuid, contid_setuid(w, 6, 1000))
MUTATOR(m_drop_cap, contid_drop_cap(w, 6, CONTID_CAP_SETUID))
MUTATOR(m_write, contid_write(w, 2, 6, "300", 3))
MUTATOR(m_set, contid_set(w, 2, 6, 300))
MUTATOR(m_write_capcontid, contid_write_capcontid(w, 2, 3, "9", 1))
MUTATOR(m_set_capcontid, contid_set_capcontid(w, 2, 3, 9))
MUTATOR(m_get, contid_get(w, 2, 3, &out_u64))
MUTATOR(m_get_null_id, contid_get(w, 2, 3, NULL))
MUTATOR(m_get_capcontid, contid_get_capcontid(w, 2, 3, &out_u32))
MUTATOR(m_event, contid_event(w, 6))
MUTATOR(m_packet, contid_packet(w, 6))
MUTATOR(m_set_profile, contid_world_set_profile(w, "v11"))
MUTATOR(m_set_profile_null, contid_world_set_profile(w, NULL))
MUTATOR(m_set_limit, contid_world_set_limit(w, CONTID_LIMIT_TASKS, 1))
MUTATOR(m_set_audit, contid_world_set_audit(w, 0))
MUTATOR(m_set_record_callback, contid_world_set_record_callback(w, NULL, NULL))
MUTATOR(m_set_depth_limit, contid_world_set_depth_limit(w, 1))
MUTATOR(m_set_pid_max, contid_world_set_pid_max(w, 2))
MUTATOR(m_set_pid_max_bad, contid_world_set_pid_max(w, 0))
MUTATOR(m_task_set_name, contid_task_set_name(w, 2, "intruder"))
MUTATOR(m_task_set_name_null, contid_task_set_name(w, 2, NULL))
MUTATOR(m_world_copy, contid_world_copy(w, w))
MUTATOR(m_world_copy_null, contid_world_copy(w, NULL))
MUTATOR(m_set_auditd, contid_set_auditd(w, 2))
MUTATOR(m_signal, contid_signal(w, 3, 2, CONTID_SIG_TERM))
MUTATOR(m_signal_info_null_uid,
	contid_signal_info(w, 1, NULL, &out_pid, &(char *){ NULL }))

/* the reply's chain is the caller's to free */
static int m_signal_info(struct contid_world *w)
{
	char *chain = NULL;
	int r = contid_signal_info(w, 1, &out_u32, &out_pid, &chain);

	free(chain);
	return r;
}

/*
 * Every exported function taking a non-const world (contid_world_free()
 * aside), with arguments that are valid after the workload, and a few
 * with an invalid argument: from the callback, -EDEADLK comes before every
 * check but that of a NULL pointer argument, which is -EINVAL everywhere
 * (@in_callback).  @ret is what the call returns outside any callback,
 * after the workload.
 */
static const struct mutator {
	const char *name;
	int (*call)(struct contid_world *w);
	int ret;
	int in_callback;
} mutators[] = {
	{ "contid_fork", m_fork, 0, -EDEADLK },
	{ "contid_fork (NULL child)", m_fork_null_child, -EINVAL, -EINVAL },
	{ "contid_exit", m_exit, 0, -EDEADLK },
	{ "contid_reap", m_reap, 0, -EDEADLK },
	{ "contid_set_subreaper", m_set_subreaper, 0, -EDEADLK },
	{ "contid_unshare", m_unshare, 0, -EDEADLK },
	{ "contid_setns", m_setns, 0, -EDEADLK },
	{ "contid_setuid", m_setuid, 0, -EDEADLK },
	{ "contid_drop_cap", m_drop_cap, 0, -EDEADLK },
	{ "contid_write", m_write, 3, -EDEADLK },
	{ "contid_set", m_set, 0, -EDEADLK },
	{ "contid_write_capcontid", m_write_capcontid, 1, -EDEADLK },
	{ "contid_set_capcontid", m_set_capcontid, 0, -EDEADLK },
	{ "contid_get", m_get, 0, -EDEADLK },
	{ "contid_get (NULL id)", m_get_null_id, -EINVAL, -EINVAL },
	{ "contid_get_capcontid", m_get_capcontid, 0, -EDEADLK },
	{ "contid_event", m_event, 0, -EDEADLK },
	{ "contid_packet", m_packet, 0, -EDEADLK },
	{ "contid_world_set_profile", m_set_profile, 0, -EDEADLK },
	{ "contid_world_set_profile (NULL)", m_set_profile_null, -EINVAL, -EINVAL },
	{ "contid_world_set_limit", m_set_limit, 0, -EDEADLK },
	{ "contid_world_set_audit", m_set_audit, 0, -EDEADLK },
	{ "contid_world_set_record_callback", m_set_record_callback, 0, -EDEADLK },
	{ "contid_world_set_depth_limit", m_set_depth_limit, 0, -EDEADLK },
	{ "contid_world_set_pid_max", m_set_pid_max, 0, -EDEADLK },
	{ "contid_world_set_pid_max (0)", m_set_pid_max_bad, -EINVAL, -EDEADLK },
	{ "contid_task_set_name", m_task_set_name, 0, -EDEADLK },
	{ "contid_task_set_name (NULL)", m_task_set_name_null, -EINVAL, -EINVAL },
	{ "contid_world_copy (into itself)", m_world_copy, 0, -EDEADLK },
	{ "contid_world_copy (NULL)", m_world_copy_null, -EINVAL, -EINVAL },
	{ "contid_set_auditd", m_set_auditd, 0, -EDEADLK },
	{ "contid_signal", m_signal, 0, -EDEADLK },
	{ "contid_signal_info", m_signal_info, 0, -EDEADLK },
	{ "contid_signal_info (NULL uid)", m_signal_info_null_uid, -EINVAL, -EINVAL },
};
#define NMUTATORS (sizeof(mutators) / sizeof(mutators[0]))

/* ------------------------------------------ every function that reads */

#define GETTER(fn, call)                                                    \
	static int fn(const struct contid_world *w)                         \
	{                                                                   \
		return call;                                                \
	}

static int g_chain(const struct contid_world *w)
{
	char buf[64];
	int n = contid_task_chain(w, 3, buf, sizeof(buf));

	return n < 0 ? n : 0;
}

static int g_netns_ids(const struct contid_world *w)
{
	uint64_t ids[8];
	int n = contid_task_netns_ids(w, 3, ids, 8);

	return n < 0 ? n : 0;
}

static int g_id_list(const struct contid_world *w)
{
	uint64_t values[8];
	int n = contid_id_list(w, values, 8);

	return n < 0 ? n : 0;
}

static int g_dump(const struct contid_world *w)
{
	char *text = NULL;
	int r = contid_world_dump(w, &text);

	free(text);
	return r;
}

static int out_int;
static unsigned out_unsigned;

GETTER(g_state, contid_task_state(w, 3, &out_int))
GETTER(g_identity, contid_task_identity(w, 3, &out_u64))
GETTER(g_tgid, contid_task_tgid(w, 3, &out_pid))
GETTER(g_ppid, contid_task_ppid(w, 3, &out_pid))
GETTER(g_uid, contid_task_uid(w, 3, &out_u32))
GETTER(g_userns_level, contid_task_userns_level(w, 3, &out_unsigned))
GETTER(g_has_cap, contid_task_has_cap(w, 3, CONTID_CAP_SETUID, &out_int))
GETTER(g_capable, contid_task_capable(w, 3, CONTID_CAP_SETUID, &out_int))
GETTER(g_subreaper, contid_task_subreaper(w, 3, &out_int))
GETTER(g_contid, contid_task_contid(w, 3, &out_u64))
GETTER(g_capcontid, contid_task_capcontid(w, 3, &out_u32))
GETTER(g_is_descendant, contid_task_is_descendant(w, 3, 2, &out_int))
GETTER(g_task_next, contid_task_next(w, 0, &out_pid))
GETTER(g_id_owner, contid_id_owner(w, 100, &out_u64, &out_pid))
GETTER(g_id_parent, contid_id_parent(w, 100, &out_u64))
GETTER(g_id_users, contid_id_users(w, 100, &out_unsigned))
GETTER(g_id_refs, contid_id_refs(w, 100, &out_unsigned))
GETTER(g_id_count, contid_id_count(w) > 0 ? 0 : -ENOENT)
GETTER(g_task_count, contid_task_count(w) > 0 ? 0 : -ENOENT)
GETTER(g_profile, contid_world_profile(w) ? 0 : -EINVAL)
/* nothing is pinned and no daemon registered in the workload */
GETTER(g_pinned, contid_pinned(w, &out_u64) == -ENOENT ? 0 : -EIO)
GETTER(g_auditd, contid_auditd(w, &out_pid) == -ENOENT ? 0 : -EIO)

/*
 * The functions taking a const world, each made to return 0 on success.
 * contid_world_check() is not here: part-way through an operation it may
 * find a broken invariant (test_callback_getters_see_operation_part_way).
 */
static const struct getter {
	const char *name;
	int (*call)(const struct contid_world *w);
} getters[] = {
	{ "contid_task_state", g_state },
	{ "contid_task_identity", g_identity },
	{ "contid_task_tgid", g_tgid },
	{ "contid_task_ppid", g_ppid },
	{ "contid_task_uid", g_uid },
	{ "contid_task_userns_level", g_userns_level },
	{ "contid_task_has_cap", g_has_cap },
	{ "contid_task_capable", g_capable },
	{ "contid_task_subreaper", g_subreaper },
	{ "contid_task_contid", g_contid },
	{ "contid_task_capcontid", g_capcontid },
	{ "contid_task_chain", g_chain },
	{ "contid_task_netns_ids", g_netns_ids },
	{ "contid_task_is_descendant", g_is_descendant },
	{ "contid_task_next", g_task_next },
	{ "contid_id_owner", g_id_owner },
	{ "contid_id_parent", g_id_parent },
	{ "contid_id_users", g_id_users },
	{ "contid_id_refs", g_id_refs },
	{ "contid_id_list", g_id_list },
	{ "contid_id_count", g_id_count },
	{ "contid_task_count", g_task_count },
	{ "contid_world_profile", g_profile },
	{ "contid_world_dump", g_dump },
	{ "contid_pinned", g_pinned },
	{ "contid_auditd", g_auditd },
};
#define NGETTERS (sizeof(getters) / sizeof(getters[0]))

/* ------------------------------------------- the re-entering callback */

/*
 * Captures each record like tw_capture(), then calls every mutator and
 * every getter on the same world and keeps what they returned; the
 * assertions come after the operation, outside the callback.
 */
struct reentry {
	struct test_world *tw;
	int mut[WORKLOAD_RECORDS][NMUTATORS];
	int get[WORKLOAD_RECORDS][NGETTERS];
};

static void reenter(void *userdata, int type, const char *line, size_t len)
{
	struct reentry *r = userdata;
	size_t n = r->tw->nrecords;

	tw_capture(r->tw, type, line, len);
	if (n >= WORKLOAD_RECORDS)
		return;
	for (size_t i = 0; i < NMUTATORS; i++)
		r->mut[n][i] = mutators[i].call(r->tw->w);
	for (size_t i = 0; i < NGETTERS; i++)
		r->get[n][i] = getters[i].call(r->tw->w);
}

/* A world that ran the workload under reenter(). */
static struct test_world *reentering_world(struct reentry *r)
{
	struct test_world *tw = tw_new();
	int rets[NSCRIPT];

	memset(r, 0, sizeof(*r));
	r->tw = tw;
	ck_assert_int_eq(contid_world_set_record_callback(tw->w, reenter, r), 0);
	build(tw->w);
	script(tw->w, rets);
	assert_script_ok(rets);
	ck_assert_uint_eq(tw->nrecords, WORKLOAD_RECORDS);
	return tw;
}

/* The same under tw_capture() alone: the run without re-entry. */
static struct test_world *plain_world(void)
{
	struct test_world *tw = tw_new();
	int rets[NSCRIPT];

	build(tw->w);
	script(tw->w, rets);
	assert_script_ok(rets);
	ck_assert_uint_eq(tw->nrecords, WORKLOAD_RECORDS);
	return tw;
}

/* ----------------------------------------------------------- the tests */

/* Every function that can change the world, at every record, -EDEADLK
 * (-EINVAL first for a NULL pointer argument). */
START_TEST(test_callback_same_world_changes_refused_edeadlk)
{
	struct reentry r;
	struct test_world *tw = reentering_world(&r);

	for (size_t n = 0; n < WORKLOAD_RECORDS; n++)
		for (size_t i = 0; i < NMUTATORS; i++)
			ck_assert_msg(r.mut[n][i] == mutators[i].in_callback,
				      "%s from the callback of record %zu "
				      "returned %d, not %d",
				      mutators[i].name, n, r.mut[n][i],
				      mutators[i].in_callback);
	tw_free(tw);
}
END_TEST

/*
 * The refused calls change nothing: the records (serials, stamps, every
 * field) and the final world are those of a run without re-entry.
 */
START_TEST(test_callback_refused_calls_leave_records_and_world_unchanged)
{
	struct reentry r;
	struct test_world *tw = reentering_world(&r);
	struct test_world *ref = plain_world();

	assert_same_records(tw, ref);
	assert_same_dump(tw->w, ref->w);
	ck_assert_str_eq(contid_world_profile(tw->w), "v11");
	assert_invariants(tw->w);
	tw_free(ref);
	tw_free(tw);
}
END_TEST

/* Functions taking a const world work from the callback, at every record. */
START_TEST(test_callback_const_getters_work)
{
	struct reentry r;
	struct test_world *tw = reentering_world(&r);

	for (size_t n = 0; n < WORKLOAD_RECORDS; n++)
		for (size_t i = 0; i < NGETTERS; i++)
			ck_assert_msg(r.get[n][i] == 0,
				      "%s from the callback of record %zu "
				      "returned %d",
				      getters[i].name, n, r.get[n][i]);
	tw_free(tw);
}
END_TEST

/*
 * Once the callback has returned, each refused function works again and
 * does exactly what it does in a world that never saw re-entry; an event
 * takes the next serial.
 */
START_TEST(test_callback_world_accepts_changes_after_return)
{
	for (size_t i = 0; i < NMUTATORS; i++) {
		struct reentry r;
		struct test_world *tw = reentering_world(&r);
		struct test_world *ref = plain_world();

		tw_records_clear(tw);
		tw_records_clear(ref);
		int ret = mutators[i].call(tw->w);
		ck_assert_msg(ret == mutators[i].ret, "%s after the callback "
			      "returned %d, not %d", mutators[i].name, ret,
			      mutators[i].ret);
		ck_assert_int_eq(mutators[i].call(ref->w), ret);
		assert_same_records(tw, ref);
		assert_same_dump(tw->w, ref->w);
		tw_free(ref);
		tw_free(tw);
	}

	struct reentry r;
	struct test_world *tw = reentering_world(&r);
	struct exp_rec e[2];
	char f[512];

	tw_records_clear(tw);
	ck_assert_int_eq(contid_event(tw->w, 3), 0);      /* op 12, serial 7 */
	rec(&e[0], 1336, 12, 7, "record=1 contid=100");
	sc_event(f, sizeof(f), 2, 3, 0, "init", 1);
	rec(&e[1], 1300, 12, 7, f);
	expect(tw, e, 2);
	tw_free(tw);
}
END_TEST

/*
 * What the const functions see at a record: contid_task_contid() of c2,
 * contid_task_capcontid() of c1, contid_id_users() of 200 (-1: not
 * listed), the clock and serial of contid_world_dump(), and what
 * contid_world_check() returned.
 */
struct seen {
	int type;
	uint64_t contid5;
	uint32_t cap3;
	int users200;
	unsigned long long clock, serial;
	int check;
};

struct watch {
	struct test_world *tw;
	struct seen seen[WORKLOAD_RECORDS];
};

static void watch_world(void *userdata, int type, const char *line, size_t len)
{
	struct watch *wa = userdata;
	const struct contid_world *w = wa->tw->w;
	size_t n = wa->tw->nrecords;

	tw_capture(wa->tw, type, line, len);
	if (n >= WORKLOAD_RECORDS)
		return;

	struct seen *s = &wa->seen[n];
	unsigned users = 0;
	char *text = NULL;

	s->type = type;
	s->contid5 = 0;
	contid_task_contid(w, 5, &s->contid5);
	contid_task_capcontid(w, 3, &s->cap3);
	s->users200 = contid_id_users(w, 200, &users) == 0 ? (int)users : -1;
	if (contid_world_dump(w, &text) == 0 &&
	    sscanf(text, "world clock=%llu serial=%llu", &s->clock,
		   &s->serial) != 2)
		s->clock = s->serial = 0;
	free(text);
	s->check = contid_world_check(w, NULL, 0);
}

/*
 * The state lib/contid.h promises part-way through an operation: its serial
 * is taken, its clock tick is not; op=set and SET_CAPCONTID come before the
 * write takes effect (a new ID is listed, held by no task), CONTAINER_ID
 * and SYSCALL after it; op=drop while the exiting task's ID is released
 * (the task holds none, the freed object is still listed).  After a whole
 * change, contid_world_check() passes.
 */
START_TEST(test_callback_getters_see_operation_part_way)
{
	/* .check: 0 after a whole change; -1 part-way, where the checker
	 * "may report a broken invariant" and is not pinned down */
	static const struct seen want[] = {
		/* records 2..4: set 200 into c2 (op 7, serial 2) */
		{ 1020, 100, 0, 0, 6, 2, -1 },
		{ 1336, 200, 0, 1, 6, 2, 0 },
		{ 1300, 200, 0, 1, 6, 2, 0 },
		/* 5, 6: capcontid 5 into c1 (op 8, serial 3) */
		{ 1022, 200, 0, 1, 7, 3, -1 },
		{ 1300, 200, 5, 1, 7, 3, 0 },
		/* 7, 8: event of c2 (op 9, serial 4), nothing changes */
		{ 1336, 200, 5, 1, 8, 4, 0 },
		{ 1300, 200, 5, 1, 8, 4, 0 },
		/* 9, 10: packet (op 10, serial 5), nothing changes */
		{ 1336, 200, 5, 1, 9, 5, 0 },
		{ 1324, 200, 5, 1, 9, 5, 0 },
		/* 11: c2 exits (op 11, serial 6): 200 is dropped */
		{ 1020, CONTID_UNSET, 5, 0, 10, 6, -1 },
	};
	struct watch wa = { .tw = tw_new() };
	int rets[NSCRIPT];

	ck_assert_int_eq(contid_world_set_record_callback(wa.tw->w, watch_world,
							  &wa), 0);
	build(wa.tw->w);
	script(wa.tw->w, rets);
	assert_script_ok(rets);
	ck_assert_uint_eq(wa.tw->nrecords, WORKLOAD_RECORDS);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct seen *s = &wa.seen[2 + i], *x = &want[i];
		ck_assert_msg(s->type == x->type, "record %zu", 2 + i);
		ck_assert_msg(s->contid5 == x->contid5, "record %zu: c2 holds %llu",
			      2 + i, (unsigned long long)s->contid5);
		ck_assert_msg(s->cap3 == x->cap3, "record %zu", 2 + i);
		ck_assert_msg(s->users200 == x->users200, "record %zu: 200 users %d",
			      2 + i, s->users200);
		ck_assert_msg(s->clock == x->clock && s->serial == x->serial,
			      "record %zu: clock %llu serial %llu", 2 + i,
			      s->clock, s->serial);
		if (x->check == 0)
			ck_assert_msg(s->check == 0, "record %zu: check %d",
				      2 + i, s->check);
	}
	assert_no_object(wa.tw->w, 200);
	assert_invariants(wa.tw->w);
	tw_free(wa.tw);
}
END_TEST

/* --------------------------------------------------- other worlds */

/*
 * A's callback forks a task in world B and makes it audit an event; B's
 * callback captures B's records and tries to change both worlds.
 */
struct two_worlds {
	struct test_world *a, *b;
	int b_fork[WORKLOAD_RECORDS], b_event[WORKLOAD_RECORDS];
	pid_t b_child[WORKLOAD_RECORDS];
	int a_from_a[WORKLOAD_RECORDS];
	int a_from_b[WORKLOAD_RECORDS], b_from_b[WORKLOAD_RECORDS];
};

static void b_callback(void *userdata, int type, const char *line, size_t len)
{
	struct two_worlds *t = userdata;
	size_t n = t->b->nrecords;

	tw_capture(t->b, type, line, len);
	if (n >= WORKLOAD_RECORDS)
		return;
	t->a_from_b[n] = contid_event(t->a->w, 1);
	t->b_from_b[n] = contid_event(t->b->w, 1);
}

static void a_callback(void *userdata, int type, const char *line, size_t len)
{
	struct two_worlds *t = userdata;
	size_t n = t->a->nrecords;

	tw_capture(t->a, type, line, len);
	if (n >= WORKLOAD_RECORDS)
		return;
	t->b_fork[n] = contid_fork(t->b->w, 1, 0, &t->b_child[n]);
	t->b_event[n] = contid_event(t->b->w, t->b_child[n]);
	t->a_from_a[n] = contid_event(t->a->w, 1);
}

static void two_worlds_run(struct two_worlds *t)
{
	int rets[NSCRIPT];

	memset(t, 0, sizeof(*t));
	t->a = tw_new();
	t->b = tw_new();
	ck_assert_int_eq(contid_world_set_record_callback(t->a->w, a_callback,
							  t), 0);
	ck_assert_int_eq(contid_world_set_record_callback(t->b->w, b_callback,
							  t), 0);
	build(t->a->w);
	script(t->a->w, rets);
	assert_script_ok(rets);
	ck_assert_uint_eq(t->a->nrecords, WORKLOAD_RECORDS);
}

/*
 * A callback may change another world: B's forks and events succeed with
 * B's own clock and serials, while A's records are those of a run without
 * the callback doing anything.
 */
START_TEST(test_callback_may_change_other_world)
{
	struct two_worlds t;
	struct test_world *ref = plain_world();
	struct exp_rec e[WORKLOAD_RECORDS];
	char f[512];

	two_worlds_run(&t);
	assert_same_records(t.a, ref);
	for (unsigned n = 0; n < WORKLOAD_RECORDS; n++) {
		ck_assert_int_eq(t.b_fork[n], 0);
		ck_assert_int_eq(t.b_child[n], (pid_t)n + 2);
		ck_assert_int_eq(t.b_event[n], 0);
		/* B's ops 2n+1 (fork) and 2n+2 (event, serial n+1) */
		sc_event(f, sizeof(f), 1, (int)n + 2, 0, "init", 0);
		rec(&e[n], 1300, 2 * n + 2, n + 1, f);
	}
	expect(t.b, e, WORKLOAD_RECORDS);
	assert_invariants(t.b->w);
	tw_free(ref);
	tw_free(t.b);
	tw_free(t.a);
}
END_TEST

/*
 * Running inside A's callback, B's callback finds both worlds busy: A is
 * still in its callback, B in its own.
 */
START_TEST(test_callback_nested_in_other_world_both_refused)
{
	struct two_worlds t;
	struct test_world *ref = plain_world();

	two_worlds_run(&t);
	for (size_t n = 0; n < WORKLOAD_RECORDS; n++) {
		ck_assert_int_eq(t.a_from_a[n], -EDEADLK);
		ck_assert_int_eq(t.a_from_b[n], -EDEADLK);
		ck_assert_int_eq(t.b_from_b[n], -EDEADLK);
	}
	assert_same_records(t.a, ref);
	tw_free(ref);
	tw_free(t.b);
	tw_free(t.a);
}
END_TEST

Suite *suite_callback(void)
{
	Suite *s = suite_create("callback");
	TCase *tc;

	tc = tcase_create("callback-same-world");
	tcase_add_test(tc, test_callback_same_world_changes_refused_edeadlk);
	tcase_add_test(tc, test_callback_refused_calls_leave_records_and_world_unchanged);
	tcase_add_test(tc, test_callback_const_getters_work);
	tcase_add_test(tc, test_callback_world_accepts_changes_after_return);
	tcase_add_test(tc, test_callback_getters_see_operation_part_way);
	suite_add_tcase(s, tc);

	tc = tcase_create("callback-other-world");
	tcase_add_test(tc, test_callback_may_change_other_world);
	tcase_add_test(tc, test_callback_nested_in_other_world_both_refused);
	suite_add_tcase(s, tc);
	return s;
}
