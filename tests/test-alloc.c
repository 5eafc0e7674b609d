/*
 * Failure injection: for every operation that allocates, the Nth
 * allocation is made to fail for N = 1, 2, ... until the operation
 * succeeds.  Each failure must be -ENOMEM with the world unchanged: the
 * invariants hold and the dump equals the one taken before.  Run under
 * Valgrind (meson test --setup=valgrind) this also proves no leak.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "contid.h"
#include "contid-alloc.h"
#include "test-helpers.h"

struct fixture {
	struct contid_world *w;
	pid_t orch, c1, c2, engine, inner, thread, other_ns, rootless, daemon;
};

/* Whether setup() registers an audit daemon that inner has signalled, so
 * that inner's ID (the deepest chain's) is pinned (section 6a). */
static int with_daemon;

/* A world with IDs, nesting, threads and namespaces, plus @extra_ids more
 * ID objects and a nesting chain @depth deep below orch's first container. */
static void setup(struct fixture *f, unsigned extra_ids, unsigned depth)
{
	memset(f, 0, sizeof(*f));
	ck_assert_int_eq(contid_world_new(&f->w), 0);
	struct contid_world *w = f->w;
	f->orch = fork_ok(w, 1, 0);
	f->c1 = fork_ok(w, f->orch, 0);
	ck_assert_int_eq(contid_set(w, f->orch, f->c1, 100), 0);
	f->engine = fork_ok(w, f->c1, 0);
	pid_t parent = f->engine;
	for (unsigned i = 0; i < depth; i++) {
		pid_t child = fork_ok(w, parent, 0);
		ck_assert_int_eq(contid_set(w, parent, child, 1000000 + i), 0);
		parent = child;
	}
	f->inner = fork_ok(w, parent, 0);
	f->c2 = fork_ok(w, f->orch, 0);
	f->thread = fork_ok(w, f->orch, CONTID_CLONE_THREAD);
	f->other_ns = fork_ok(w, f->orch, CONTID_CLONE_NEWNET);
	f->rootless = fork_ok(w, f->orch, CONTID_CLONE_NEWUSER);
	for (unsigned i = 0; i < extra_ids; i++) {
		pid_t t = fork_ok(w, f->orch, 0);
		ck_assert_int_eq(contid_set(w, f->orch, t, 5000 + i), 0);
	}
	if (with_daemon) {
		f->daemon = fork_ok(w, 1, 0);
		ck_assert_int_eq(contid_set_auditd(w, f->daemon), 0);
		ck_assert_int_eq(contid_signal(w, f->inner, f->daemon,
					       CONTID_SIG_TERM), 0);
	}
}

typedef int (*operation_fn)(struct fixture *f);

static int op_fork(struct fixture *f)
{
	pid_t child;
	return contid_fork(f->w, f->c1, 0, &child);
}

static int op_fork_newuser_newnet(struct fixture *f)
{
	pid_t child;
	return contid_fork(f->w, f->c1, CONTID_CLONE_NEWUSER | CONTID_CLONE_NEWNET,
			   &child);
}

static int op_fork_thread(struct fixture *f)
{
	pid_t child;
	return contid_fork(f->w, f->c1, CONTID_CLONE_THREAD, &child);
}

static int op_set_new(struct fixture *f)
{
	return contid_set(f->w, f->orch, f->c2, 200);
}

static int op_set_nested(struct fixture *f)
{
	return contid_set(f->w, f->engine, f->inner, 300);
}

static int op_inject_other_netns(struct fixture *f)
{
	return contid_set(f->w, f->orch, f->other_ns, 100);
}

static int op_write_buffer(struct fixture *f)
{
	int r = contid_write(f->w, f->orch, f->c2, "+42\n", 4);
	return r < 0 ? r : r == 4 ? 0 : -EIO;
}

static int op_unshare_net(struct fixture *f)
{
	return contid_unshare(f->w, f->c1, CONTID_NS_NET);
}

static int op_unshare_user(struct fixture *f)
{
	return contid_unshare(f->w, f->c2, CONTID_NS_USER);
}

static int op_setns_net(struct fixture *f)
{
	return contid_setns(f->w, f->c1, CONTID_NS_NET, f->other_ns);
}

static int op_exit_with_drops(struct fixture *f)
{
	return contid_exit(f->w, f->inner) < 0 ? -1 : contid_exit(f->w, f->c1);
}

static int op_exit_last_of_chain(struct fixture *f)
{
	/* the innermost holder of the deepest chain: frees nothing yet, but
	 * the record buffer must fit the chain */
	return contid_exit(f->w, f->inner);
}

static int op_packet(struct fixture *f)
{
	return contid_packet(f->w, f->c1);
}

static int op_event(struct fixture *f)
{
	return contid_event(f->w, f->inner);
}

static int op_capcontid(struct fixture *f)
{
	return contid_set_capcontid(f->w, f->orch, f->c2, 1);
}

static int op_set_name(struct fixture *f)
{
	return contid_task_set_name(f->w, f->c2, "a-longer-task-name");
}

/* section 6a: a kill(2) logs the sender's and the target's chains */
static int op_signal(struct fixture *f)
{
	return contid_signal(f->w, f->inner, f->c1, CONTID_SIG_TERM);
}

/* ... and one that is recorded replaces the pin (with_daemon) */
static int op_signal_recorded(struct fixture *f)
{
	return contid_signal(f->w, f->c1, f->daemon, CONTID_SIG_HUP);
}

/* the reply's chain is allocated, before the pin lets go (with_daemon) */
static int op_signal_info(struct fixture *f)
{
	uint32_t uid = 7;
	pid_t pid = 7;
	char *chain = NULL;
	int r = contid_signal_info(f->w, 1, &uid, &pid, &chain);

	if (r < 0)
		ck_assert(uid == 7 && pid == 7 && chain == NULL);
	free(chain);
	return r;
}

static const struct {
	const char *name;
	operation_fn op;
} operations[] = {
	{ "fork", op_fork },
	{ "fork-newuser-newnet", op_fork_newuser_newnet },
	{ "fork-thread", op_fork_thread },
	{ "set-new", op_set_new },
	{ "set-nested", op_set_nested },
	{ "inject-other-netns", op_inject_other_netns },
	{ "write-buffer", op_write_buffer },
	{ "unshare-net", op_unshare_net },
	{ "unshare-user", op_unshare_user },
	{ "setns-net", op_setns_net },
	{ "exit-with-drops", op_exit_with_drops },
	{ "exit-last-of-chain", op_exit_last_of_chain },
	{ "packet", op_packet },
	{ "event", op_event },
	{ "capcontid", op_capcontid },
	{ "set-name", op_set_name },
	{ "signal", op_signal },
};

/* The operations whose world has a daemon and a pin. */
static const struct {
	const char *name;
	operation_fn op;
} pinned_operations[] = {
	{ "signal-recorded", op_signal_recorded },
	{ "signal-info", op_signal_info },
	{ "exit-pinned-holder", op_exit_last_of_chain },
	{ "set-new", op_set_new },
};

/* Fails allocation 1, 2, ... of @op until it succeeds; returns how many
 * failures were injected. */
static unsigned inject_until_success(operation_fn op, unsigned extra_ids,
				     unsigned depth, const char *name)
{
	for (unsigned long n = 1;; n++) {
		struct fixture f;
		char *before, *after;

		setup(&f, extra_ids, depth);
		ck_assert_int_eq(contid_world_dump(f.w, &before), 0);
		contid_debug_fail_allocation(n);
		int r = op(&f);
		unsigned long left = contid_debug_allocations_left();
		contid_debug_fail_allocation(0);
		if (left > 0) {
			/* fewer than n allocations: nothing was injected */
			ck_assert_msg(r >= 0, "%s: failed with %d without injection", name, r);
			assert_invariants(f.w);
			free(before);
			contid_world_free(f.w);
			return (unsigned)(n - 1);
		}
		ck_assert_msg(r == -ENOMEM, "%s: allocation %lu failed, returned %d",
			      name, n, r);
		assert_invariants(f.w);
		ck_assert_int_eq(contid_world_dump(f.w, &after), 0);
		ck_assert_msg(strcmp(before, after) == 0,
			      "%s: allocation %lu failed and changed the world:\n%s\n---\n%s",
			      name, n, before, after);
		free(before);
		free(after);
		contid_world_free(f.w);
		ck_assert_uint_lt(n, 1000);
	}
}

START_TEST(test_alloc_each_operation)
{
	/* _i indexes the operation table */
	inject_until_success(operations[_i].op, 0, 0, operations[_i].name);
}
END_TEST

START_TEST(test_alloc_each_pinned_operation)
{
	with_daemon = 1;
	inject_until_success(pinned_operations[_i].op, 0, 0,
			     pinned_operations[_i].name);
	inject_until_success(pinned_operations[_i].op, 0, 250,
			     pinned_operations[_i].name);
	with_daemon = 0;
}
END_TEST

START_TEST(test_alloc_operations_reach_allocations)
{
	/* a fresh world has room for a few tasks, so these must allocate:
	 * otherwise this test proves nothing for them */
	ck_assert_uint_gt(inject_until_success(op_set_new, 0, 0, "set-new"), 0);
	ck_assert_uint_gt(inject_until_success(op_fork_newuser_newnet, 0, 0,
					       "fork-newuser-newnet"), 0);
	ck_assert_uint_gt(inject_until_success(op_unshare_net, 0, 0, "unshare-net"), 0);
	ck_assert_uint_gt(inject_until_success(op_set_name, 0, 0, "set-name"), 0);
	with_daemon = 1;
	ck_assert_uint_gt(inject_until_success(op_signal_info, 0, 0, "signal-info"), 0);
	with_daemon = 0;
}
END_TEST

START_TEST(test_alloc_hash_growth)
{
	/* with 0..96 other IDs, some new ID lands on a uthash expansion */
	for (unsigned extra = 0; extra <= 96; extra += 4)
		inject_until_success(op_set_new, extra, 0, "set-new with many IDs");
}
END_TEST

START_TEST(test_alloc_task_chunk_growth)
{
	/* with 0..72 other tasks, some fork lands on the growth of the first
	 * task chunk (16, 32, 64 slots) or of the pid table (64 pids), which
	 * moves every task: the forking caller is found again after it */
	for (unsigned extra = 0; extra <= 72; extra++) {
		inject_until_success(op_fork, extra, 0, "fork with many tasks");
		inject_until_success(op_fork_thread, extra, 0,
				     "fork-thread with many tasks");
		inject_until_success(op_fork_newuser_newnet, extra, 0,
				     "fork-newuser-newnet with many tasks");
	}
}
END_TEST

START_TEST(test_alloc_deep_chain_records)
{
	/* a 250-deep chain prints longer than the initial record buffer */
	inject_until_success(op_exit_last_of_chain, 0, 250, "exit below a deep chain");
	inject_until_success(op_event, 0, 250, "event below a deep chain");
	inject_until_success(op_packet, 0, 250, "packet with deep chains");
	inject_until_success(op_signal, 0, 250, "signal below a deep chain");
}
END_TEST

START_TEST(test_alloc_world_new)
{
	for (unsigned long n = 1;; n++) {
		struct contid_world *w = (struct contid_world *)&n; /* sentinel */
		contid_debug_fail_allocation(n);
		int r = contid_world_new(&w);
		unsigned long left = contid_debug_allocations_left();
		contid_debug_fail_allocation(0);
		if (left > 0) {
			ck_assert_int_eq(r, 0);
			contid_world_free(w);
			break;
		}
		ck_assert_int_eq(r, -ENOMEM);
		ck_assert_ptr_eq(w, (struct contid_world *)&n); /* untouched */
	}
}
END_TEST

/* ---------------------------------------------------------- limits */

static char last_syscall[1024];

static void keep_syscall(void *data, int type, const char *line, size_t len)
{
	(void)data;
	if (type == CONTID_RECORD_SYSCALL && len < sizeof(last_syscall))
		memcpy(last_syscall, line, len + 1);
}

START_TEST(test_limit_tasks_eagain)
{
	struct contid_world *w;
	pid_t a, b, c;

	ck_assert_int_eq(contid_world_new(&w), 0);
	ck_assert_int_eq(contid_world_set_limit(w, CONTID_LIMIT_TASKS, 3), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &a), 0);
	ck_assert_int_eq(contid_fork(w, a, CONTID_CLONE_THREAD, &b), 0);
	c = -1;
	ck_assert_int_eq(contid_fork(w, 1, 0, &c), -EAGAIN);  /* 3 tasks live */
	ck_assert_int_eq(c, -1);
	/* a thread that exits is gone at once: room again */
	ck_assert_int_eq(contid_exit(w, b), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &c), 0);
	/* a zombie still counts until it is reaped */
	ck_assert_int_eq(contid_exit(w, c), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &b), -EAGAIN);
	ck_assert_int_eq(contid_reap(w, c), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &b), 0);
	/* 0 lifts the limit */
	ck_assert_int_eq(contid_world_set_limit(w, CONTID_LIMIT_TASKS, 0), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &c), 0);
	ck_assert_int_eq(contid_world_set_limit(w, 3, 1), -EINVAL);
	ck_assert_int_eq(contid_world_set_limit(NULL, CONTID_LIMIT_IDS, 1), -EINVAL);
	assert_invariants(w);
	contid_world_free(w);
}
END_TEST

START_TEST(test_limit_ids_enospc)
{
	struct contid_world *w;
	pid_t o, t[4];

	ck_assert_int_eq(contid_world_new(&w), 0);
	ck_assert_int_eq(contid_world_set_record_callback(w, keep_syscall, NULL), 0);
	ck_assert_int_eq(contid_world_set_limit(w, CONTID_LIMIT_IDS, 2), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, &o), 0);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(contid_fork(w, o, 0, &t[i]), 0);
	ck_assert_int_eq(contid_set(w, o, t[0], 10), 0);
	ck_assert_int_eq(contid_set(w, o, t[1], 11), 0);
	/* a third object is refused, as a failed write that is logged */
	ck_assert_int_eq(contid_set(w, o, t[2], 12), -ENOSPC);
	ck_assert_ptr_nonnull(strstr(last_syscall, " success=no exit=-28 "));
	ck_assert_uint_eq(contid_id_count(w), 2);
	/* joining an existing object creates nothing */
	ck_assert_int_eq(contid_set(w, o, t[2], 10), 0);
	/* once one is freed, a new one fits again */
	ck_assert_int_eq(contid_exit(w, t[1]), 0);
	ck_assert_int_eq(contid_set(w, o, t[3], 12), 0);
	assert_invariants(w);
	contid_world_free(w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("failure-injection");
	TCase *tc = tcase_create("alloc-each-operation");
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_alloc_each_operation, 0,
			    (int)(sizeof(operations) / sizeof(operations[0])));
	tcase_add_loop_test(tc, test_alloc_each_pinned_operation, 0,
			    (int)(sizeof(pinned_operations) /
				  sizeof(pinned_operations[0])));
	tcase_add_test(tc, test_alloc_operations_reach_allocations);
	suite_add_tcase(s, tc);
	tc = tcase_create("alloc-growth");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_alloc_hash_growth);
	tcase_add_test(tc, test_alloc_task_chunk_growth);
	tcase_add_test(tc, test_alloc_deep_chain_records);
	tcase_add_test(tc, test_alloc_world_new);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, test_limit_tasks_eagain);
	tcase_add_test(tc, test_limit_ids_enospc);
	suite_add_tcase(s, tc);

	SRunner *runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
