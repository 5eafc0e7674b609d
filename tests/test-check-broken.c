/*
 * contid_world_check() catches each broken invariant of docs/semantics.md
 * section 10: one world is built, then each row of the table corrupts it
 * through the library's private structures in one way, and the check must
 * name the invariant and the way it broke.  There is one row per message
 * the checker can give (the first test counts them in lib/contid_check.c),
 * so every path that reports a broken invariant runs.
 *
 * The corruptions touch only links the world's freeing does not follow, or
 * add to the hash tables it empties, so the world is freed as usual.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contid-id.h"
#include "contid-ns.h"
#include "contid-rules.h"
#include "contid-tree.h"
#include "contid-world.h"
#include "test-helpers.h"
#include "test-suites.h"

/* ------------------------------------------------------------ the world */

static struct {
	struct contid_world *w;
	pid_t b, p;          /* p (a low slot) is the child of b (a higher one) */
	pid_t o, c, e, c2;   /* o set 100 on c; e, below c, nests 200 on c2 */
	pid_t t;             /* a thread of o */
	pid_t z;             /* a zombie */
	pid_t u;             /* in a user namespace of its own */
	pid_t n, n2, n3;     /* in a network namespace N: 300 (n), 100 (n2) and
				400 (n3, set there: its entry is the object's own) */
} fx;

/* Things no world holds, for links that point outside the world. */
static struct userns stray_userns;
static struct netns stray_netns;
static struct contid_obj stray_obj = { .value = 12345 };

static void fixture_build(void)
{
	struct contid_world *w;

	ck_assert_int_eq(contid_world_new(&w), 0);
	fx.w = w;
	/* reaping a frees the lowest slot, which p, forked after b, takes */
	pid_t a = fork_ok(w, 1, 0);
	fx.b = fork_ok(w, 1, 0);
	exit_ok(w, a);
	reap_ok(w, a);
	fx.p = fork_ok(w, fx.b, 0);

	fx.o = fork_ok(w, 1, 0);
	fx.c = fork_ok(w, fx.o, 0);
	set_ok(w, fx.o, fx.c, 100);
	fx.e = fork_ok(w, fx.c, 0);
	fx.c2 = fork_ok(w, fx.e, 0);
	set_ok(w, fx.e, fx.c2, 200);
	fx.t = fork_ok(w, fx.o, CONTID_CLONE_THREAD);
	fx.z = spawn_zombie(w, 1);
	fx.u = deep_task(w, 1);
	fx.n = fork_ok(w, fx.o, 0);
	set_ok(w, fx.o, fx.n, 300);
	ck_assert_int_eq(contid_unshare(w, fx.n, CONTID_NS_NET), 0);
	fx.n2 = fork_ok(w, fx.o, 0);
	set_ok(w, fx.o, fx.n2, 100);
	ck_assert_int_eq(contid_setns(w, fx.n2, CONTID_NS_NET, fx.n), 0);
	fx.n3 = fork_ok(w, fx.n, 0);
	set_ok(w, fx.n, fx.n3, 400);          /* n nests 400 below 300 */
	assert_invariants(w);
}

static void fixture_free(void)
{
	contid_world_free(fx.w);
	fx.w = NULL;
}

static struct task *T(pid_t pid)
{
	struct task *t = task_by_pid(fx.w, pid);

	ck_assert_ptr_nonnull(t);
	return t;
}

static uint32_t S(pid_t pid)
{
	return slot_of(fx.w, T(pid));
}

static struct contid_obj *O(uint64_t value)
{
	struct contid_obj *obj = obj_find(fx.w, value);

	ck_assert_ptr_nonnull(obj);
	return obj;
}

/* N, the network namespace of n and n2. */
static struct netns *N(void)
{
	return T(fx.n)->netns;
}

/* ------------------------------------------------------ the corruptions */

static void userns_without_parent(void) { T(fx.u)->userns->parent = NULL; }
static void userns_parent_stray(void) { T(fx.u)->userns->parent = &stray_userns; }
static void userns_level_wrong(void) { T(fx.u)->userns->level = 5; }
static void netns_owner_stray(void) { N()->owner = &stray_userns; }
static void pid_not_mapped(void) { T(fx.c)->pid = 4000; }
static void no_leader(void) { T(fx.c)->leader = NO_TASK; }
/* its "process" is a thread, which leads nothing */
static void leader_is_thread(void) { T(fx.c)->leader = S(fx.t); }
static void process_without_parent(void) { T(fx.p)->parent = NO_TASK; }
static void parent_not_running(void) { T(fx.o)->nr_running = 0; }
static void netns_stray(void) { T(fx.c)->netns = &stray_netns; }
static void zombie_with_capcontid(void) { T(fx.z)->capcontid = 1; }
static void task_holds_stray_id(void) { T(fx.c)->obj = &stray_obj; }
static void child_list_back_link(void) { T(fx.c2)->prev_sibling = S(fx.c); }
static void task_count_wrong(void) { fx.w->nr_tasks++; }
static void children_unlisted(void) { T(fx.o)->first_child = NO_TASK; }
static void parent_chain_loops(void) { O(100)->parent = O(200); }
static void parent_stray(void) { O(200)->parent = &stray_obj; }

/* a second object of 100, which lookups do not find (the first is added
 * again after it, so that it comes first); the world's freeing empties
 * the table */
static void value_twice(void)
{
	struct contid_obj *first = O(100);
	struct contid_obj *twin = calloc(1, sizeof(*twin));

	ck_assert_ptr_nonnull(twin);
	twin->value = 100;
	HASH_ADD(hh, fx.w->objs, value, sizeof(twin->value), twin);
	ck_assert_ptr_nonnull(twin->hh.tbl);
	HASH_DEL(fx.w->objs, first);
	HASH_ADD(hh, fx.w->objs, value, sizeof(first->value), first);
	ck_assert_ptr_eq(O(100), first);
}

static void task_refs_wrong(void) { O(100)->task_refs++; }
static void leaked_refs_outside_v11_posted(void) { O(100)->leaked_refs = 1; }

static void id_unreferenced(void)
{
	ck_assert_ptr_nonnull(obj_new(fx.w, 777, NULL, NULL, false));
}

static void userns_refs_wrong(void) { T(fx.u)->userns->refs++; }
static void netns_refs_wrong(void) { N()->refs++; }
static void entry_lost(void) { O(100)->home.list = NULL; }
static void list_loops(void) { N()->ids.front->front_next = N()->ids.front; }
static void list_holds_another(void) { N()->ids.front = &O(200)->home; }
static void entry_count_wrong(void) { O(100)->home.count++; }
static void entry_of_stray_id(void) { O(400)->home.obj = &stray_obj; }
static void list_size_wrong(void) { N()->ids.nentries++; }

/* section 6a: the pin and the daemon */
static void pin_stray(void) { fx.w->pinned = &stray_obj; }

static void pin_outside_pinning_profile(void)
{
	fx.w->profile = profile_find("v6");
	fx.w->pinned = O(100);
}

static void daemon_not_running(void) { fx.w->auditd_slot = S(fx.z); }

/* an entry for (200, N) that N does not list */
static void entry_unlisted(void)
{
	struct netns_extra *x = calloc(1, sizeof(*x));

	ck_assert_ptr_nonnull(x);
	x->e.obj = O(200);
	x->e.list = &N()->ids;
	HASH_ADD(hh, fx.w->netns_extras, e.obj, NETNS_KEY_LEN, x);
	ck_assert_ptr_nonnull(x->hh.tbl);
}

static const struct corruption {
	const char *invariant;
	const char *says;        /* the fixed part of the message */
	void (*corrupt)(void);
} corruptions[] = {
	{ "INV-USERNS-LEVEL", "other than the initial one has no parent",
	  userns_without_parent },
	{ "INV-TASK-LINKS", "a user namespace's parent is not live",
	  userns_parent_stray },
	{ "INV-USERNS-LEVEL", "user namespace level 5 below a level 0 parent",
	  userns_level_wrong },
	{ "INV-TASK-LINKS", "a network namespace's owner is not live",
	  netns_owner_stray },
	{ "INV-TASK-LINKS", "has pid 4000 not mapped to it", pid_not_mapped },
	{ "INV-TASK-LINKS", "has no process", no_leader },
	{ "INV-TASK-LINKS", "is not live", leader_is_thread },
	{ "INV-TASK-LINKS", "has no parent", process_without_parent },
	{ "INV-TASK-LINKS", "is not a running process", parent_not_running },
	{ "INV-TASK-LINKS", "a namespace of task", netns_stray },
	{ "INV-TASK-LINKS", "is not a leader without audit state",
	  zombie_with_capcontid },
	{ "INV-REACHABLE", "holds a freed ID object", task_holds_stray_id },
	{ "INV-TASK-LINKS", "is inconsistent", child_list_back_link },
	{ "INV-TASK-LINKS", "tasks counted,", task_count_wrong },
	{ "INV-TASK-LINKS", "of them are someone's child", children_unlisted },
	{ "INV-ACYCLIC", "loops", parent_chain_loops },
	{ "INV-REACHABLE", "names a freed parent", parent_stray },
	{ "INV-UNIQUE", "two objects hold 100", value_twice },
	{ "INV-REFCOUNT", "ID 100 counts 4 task and 1 nested references, "
	  "but 3 tasks and 1 objects refer to it", task_refs_wrong },
	{ "INV-REFCOUNT", "ID 100 keeps 1 references of freed nested IDs",
	  leaked_refs_outside_v11_posted },
	{ "INV-REACHABLE", "ID 777 is referenced by nothing", id_unreferenced },
	{ "INV-REACHABLE", "the signal pin holds a freed", pin_stray },
	{ "INV-REACHABLE", "ID 100 is pinned, but profile v6 pins nothing",
	  pin_outside_pinning_profile },
	{ "INV-TASK-LINKS", "the audit daemon is not", daemon_not_running },
	{ "INV-TASK-LINKS", "a level 1 user namespace counts", userns_refs_wrong },
	{ "INV-TASK-LINKS", "a network namespace counts 4 references, has 3",
	  netns_refs_wrong },
	{ "INV-NETNS-LIST", "missing from its network namespace", entry_lost },
	{ "INV-NETNS-LIST", "a namespace list loops", list_loops },
	{ "INV-NETNS-LIST", "a namespace lists another's entry",
	  list_holds_another },
	{ "INV-NETNS-LIST", "ID 100 counted 3 times, held by 2 member tasks",
	  entry_count_wrong },
	{ "INV-REACHABLE", "a network namespace lists a freed ID",
	  entry_of_stray_id },
	{ "INV-NETNS-LIST", "a network namespace indexes IDs it does not list",
	  list_size_wrong },
	{ "INV-NETNS-LIST", "the world indexes 3 further entries, its lists hold 2",
	  entry_unlisted },
};

#define NCORRUPTIONS (sizeof(corruptions) / sizeof(corruptions[0]))

START_TEST(test_check_broken_each_invariant)
{
	const struct corruption *k = &corruptions[_i];
	char msg[512] = "";
	size_t n = strlen(k->invariant);

	fixture_build();
	k->corrupt();
	int r = contid_world_check(fx.w, msg, sizeof(msg));
	ck_assert_msg(r == -EUCLEAN, "%s (%s): not caught, %d", k->invariant,
		      k->says, r);
	ck_assert_msg(strncmp(msg, k->invariant, n) == 0 && msg[n] == ':' &&
		      strstr(msg, k->says) != NULL,
		      "expected %s: ...%s..., got \"%s\"", k->invariant, k->says, msg);
}
END_TEST

/* The table has a row for every report in the checker, and each row's
 * words are those of one report only. */
START_TEST(test_check_broken_one_row_per_message)
{
	FILE *f = fopen(CONTID_CHECK_SOURCE, "r");
	char line[512];
	size_t reports = 0;

	ck_assert_msg(f != NULL, "cannot open %s", CONTID_CHECK_SOURCE);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "return broken(c, \"INV-"))
			reports++;
	fclose(f);
	ck_assert_uint_eq(reports, NCORRUPTIONS);

	for (size_t i = 0; i < NCORRUPTIONS; i++)
		for (size_t j = 0; j < NCORRUPTIONS; j++)
			ck_assert_msg(i == j ||
				      strcmp(corruptions[i].says, corruptions[j].says) != 0,
				      "rows %zu and %zu expect the same words", i, j);
}
END_TEST

Suite *suite_check_broken(void)
{
	Suite *s = suite_create("check-broken");
	TCase *tc = tcase_create("broken-invariants");

	tcase_add_checked_fixture(tc, NULL, fixture_free);
	tcase_add_loop_test(tc, test_check_broken_each_invariant, 0,
			    (int)NCORRUPTIONS);
	tcase_add_test(tc, test_check_broken_one_row_per_message);
	suite_add_tcase(s, tc);
	return s;
}
