/*
 * Why an operation was refused (docs/semantics.md section 11, choice (p)):
 * contid_world_last_refusal() names the rule and gives its reason, for
 * every rule of every operation and of every profile, one table row each;
 * a success leaves none; a call that fails for memory, or is refused
 * before it starts, and settings and inspection leave it as it was.
 */
#include <limits.h>
#include <string.h>

#include "contid-alloc.h"
#include "contid-rules.h"
#include "test-helpers.h"
#include "test-suites.h"

static struct contid_world *world(const char *profile)
{
	struct contid_world *w;

	ck_assert_int_eq(contid_world_new(&w), 0);
	ck_assert_int_eq(contid_world_set_profile(w, profile), 0);
	return w;
}

/* ------------------------------------------- one refused call per rule */

/* Each sets up what its rule needs, then makes the call it refuses and
 * returns that call's result. */

/* ACTING-TASK: a task that is not running acts (pid 999 names no task,
 * and a zombie has stopped running) */
static int fork_from_nobody(struct contid_world *w)
{
	pid_t p;
	return contid_fork(w, 999, 0, &p);
}

static int exit_zombie(struct contid_world *w)
{
	return contid_exit(w, spawn_zombie(w, 1));
}

static int subreaper_nobody(struct contid_world *w)
{
	return contid_set_subreaper(w, 999);
}

static int unshare_nobody(struct contid_world *w)
{
	return contid_unshare(w, 999, CONTID_NS_NET);
}

static int setns_nobody(struct contid_world *w)
{
	return contid_setns(w, 999, CONTID_NS_NET, 1);
}

static int setuid_nobody(struct contid_world *w)
{
	return contid_setuid(w, 999, 1000);
}

static int drop_cap_nobody(struct contid_world *w)
{
	return contid_drop_cap(w, 999, CONTID_CAP_SETUID);
}

static int event_zombie(struct contid_world *w)
{
	return contid_event(w, spawn_zombie(w, 1));
}

static int packet_nobody(struct contid_world *w)
{
	return contid_packet(w, 999);
}

static int write_from_nobody(struct contid_world *w)
{
	return contid_set(w, 999, 1, 5);
}

static int capwrite_from_nobody(struct contid_world *w)
{
	return contid_set_capcontid(w, 999, 1, 1);
}

static int get_by_nobody(struct contid_world *w)
{
	uint64_t id;
	return contid_get(w, 999, 1, &id);
}

static int capget_by_nobody(struct contid_world *w)
{
	uint32_t v;
	return contid_get_capcontid(w, 999, 1, &v);
}

/* R-FORK-NS */
static int fork_unknown_flag(struct contid_world *w)
{
	pid_t p;
	return contid_fork(w, 1, 0x10, &p);
}

static int fork_thread_newuser(struct contid_world *w)
{
	pid_t p;
	return contid_fork(w, 1, CONTID_CLONE_THREAD | CONTID_CLONE_NEWUSER, &p);
}

static int fork_sibling_of_init(struct contid_world *w)
{
	pid_t p;
	return contid_fork(w, 1, CONTID_CLONE_PARENT, &p);
}

static int fork_newnet_no_admin(struct contid_world *w)
{
	pid_t t = fork_ok(w, 1, 0), p;
	drop_cap_ok(w, t, CONTID_CAP_SYS_ADMIN);
	return contid_fork(w, t, CONTID_CLONE_NEWNET, &p);
}

/* R-USERNS-NEW, through fork and unshare */
static int fork_newuser_too_deep(struct contid_world *w)
{
	pid_t p;
	return contid_fork(w, deep_task(w, 33), CONTID_CLONE_NEWUSER, &p);
}

static int unshare_user_too_deep(struct contid_world *w)
{
	return contid_unshare(w, deep_task(w, 33), CONTID_NS_USER);
}

static int fork_newuser_unmapped(struct contid_world *w)
{
	pid_t p;
	return contid_fork(w, unmapped_root(w, 1), CONTID_CLONE_NEWUSER, &p);
}

static int unshare_user_unmapped(struct contid_world *w)
{
	return contid_unshare(w, unmapped_root(w, 1), CONTID_NS_USER);
}

/* R-ID, and the task limit of choice (m) */
static int fork_no_free_pid(struct contid_world *w)
{
	pid_t p;
	ck_assert_int_eq(contid_world_set_pid_max(w, 2), 0);
	return contid_fork(w, 1, 0, &p);
}

static int fork_over_task_limit(struct contid_world *w)
{
	pid_t p;
	ck_assert_int_eq(contid_world_set_limit(w, CONTID_LIMIT_TASKS, 1), 0);
	return contid_fork(w, 1, 0, &p);
}

/* R-EXIT, R-REAP */
static int exit_init(struct contid_world *w)
{
	return contid_exit(w, 1);
}

static int reap_nobody(struct contid_world *w)
{
	return contid_reap(w, 999);
}

static int reap_running(struct contid_world *w)
{
	return contid_reap(w, fork_ok(w, 1, 0));
}

static int reap_running_thread(struct contid_world *w)
{
	return contid_reap(w, fork_ok(w, fork_ok(w, 1, 0), CONTID_CLONE_THREAD));
}

static int reap_leader_of_threads(struct contid_world *w)
{
	pid_t leader = fork_ok(w, 1, 0);
	fork_ok(w, leader, CONTID_CLONE_THREAD);
	exit_ok(w, leader);
	return contid_reap(w, leader);
}

/* R-UNSHARE */
static int unshare_user_threaded(struct contid_world *w)
{
	pid_t leader = fork_ok(w, 1, 0);
	fork_ok(w, leader, CONTID_CLONE_THREAD);
	return contid_unshare(w, leader, CONTID_NS_USER);
}

static int unshare_bad_type(struct contid_world *w)
{
	return contid_unshare(w, 1, 0);
}

static int unshare_net_no_admin(struct contid_world *w)
{
	return contid_unshare(w, user_task(w, 1000), CONTID_NS_NET);
}

/* R-SETNS */
static int setns_other_zombie(struct contid_world *w)
{
	return contid_setns(w, 1, CONTID_NS_NET, spawn_zombie(w, 1));
}

static int setns_own_userns(struct contid_world *w)
{
	return contid_setns(w, fork_ok(w, 1, 0), CONTID_NS_USER, 1);
}

static int setns_user_threaded(struct contid_world *w)
{
	pid_t leader = fork_ok(w, 1, 0), other = fork_ok(w, 1, CONTID_CLONE_NEWUSER);
	fork_ok(w, leader, CONTID_CLONE_THREAD);
	return contid_setns(w, leader, CONTID_NS_USER, other);
}

/* uid 1000 has no say in a namespace uid 0 made below the initial one */
static int setns_user_no_admin(struct contid_world *w)
{
	pid_t other = fork_ok(w, 1, CONTID_CLONE_NEWUSER);
	return contid_setns(w, user_task(w, 1000), CONTID_NS_USER, other);
}

static int setns_bad_type(struct contid_world *w)
{
	return contid_setns(w, 1, 0, 1);
}

static int setns_net_no_admin_owner(struct contid_world *w)
{
	return contid_setns(w, user_task(w, 1000), CONTID_NS_NET, 1);
}

/* R-CAP: uid 0 owns the namespace its child made, so only its own
 * namespace, where it dropped CAP_SYS_ADMIN, says no */
static int setns_net_no_admin_own(struct contid_world *w)
{
	pid_t t = fork_ok(w, 1, 0);
	pid_t other = fork_ok(w, 1, CONTID_CLONE_NEWUSER | CONTID_CLONE_NEWNET);
	drop_cap_ok(w, t, CONTID_CAP_SYS_ADMIN);
	return contid_setns(w, t, CONTID_NS_NET, other);
}

/* R-SETUID, drop-cap */
static int setuid_invalid(struct contid_world *w)
{
	return contid_setuid(w, 1, UINT32_MAX);
}

static int setuid_unmapped(struct contid_world *w)
{
	return contid_setuid(w, fork_ok(w, 1, CONTID_CLONE_NEWUSER), 1000);
}

static int setuid_no_cap(struct contid_world *w)
{
	return contid_setuid(w, user_task(w, 1000), 2000);
}

static int drop_cap_unknown(struct contid_world *w)
{
	return contid_drop_cap(w, 1, CONTID_CAP_LAST_CAP + 1);
}

/* R-W-1, R-W-2, for both files */
static int write_no_target(struct contid_world *w)
{
	return contid_set(w, 1, 999, 5);
}

static int capwrite_no_target(struct contid_world *w)
{
	return contid_set_capcontid(w, 1, 999, 1);
}

static int write_too_long(struct contid_world *w)
{
	return contid_write(w, 1, 1, "5", (size_t)INT_MAX + 1);
}

static int write_null_buffer(struct contid_world *w)
{
	return contid_write(w, 1, 1, NULL, 1);
}

static int write_junk(struct contid_world *w)
{
	return write_str(w, 1, fork_ok(w, 1, 0), "5x");
}

static int write_above_u64(struct contid_world *w)
{
	return write_str(w, 1, fork_ok(w, 1, 0), "18446744073709551616");
}

static int capwrite_junk(struct contid_world *w)
{
	return capwrite_str(w, 1, fork_ok(w, 1, 0), "");
}

static int capwrite_above_u32(struct contid_world *w)
{
	return capwrite_str(w, 1, fork_ok(w, 1, 0), "4294967296");
}

/* R-SET-0 .. R-SET-6, the ID limit, v8's depth, for every profile */
static int set_released(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	exit_ok(w, c);
	return contid_set(w, o, c, 5);
}

static int set_unset(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	return contid_set(w, o, c, CONTID_UNSET);
}

static int set_no_right(struct contid_world *w)
{
	pid_t o = spawn_unprivileged(w, 1), c = fork_ok(w, o, 0);
	return contid_set(w, o, c, 5);
}

static int set_threaded(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	fork_ok(w, c, CONTID_CLONE_THREAD);
	return contid_set(w, o, c, 5);
}

static int set_children(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	fork_ok(w, c, 0);
	return contid_set(w, o, c, 5);
}

static int set_not_below(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, 1, 0);
	return contid_set(w, o, c, 5);
}

static int set_self(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0);
	return contid_set(w, o, o, 5);
}

static int set_again_same(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_set(w, o, c, 5), 0);
	return contid_set(w, o, c, 5);
}

/* 6 keeps only one of 5's bits: no extension under bits either */
static int set_again_other(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_set(w, o, c, 5), 0);
	return contid_set(w, o, c, 6);
}

static int set_not_owner(struct contid_world *w)
{
	pid_t o1 = fork_ok(w, 1, 0), c1 = fork_ok(w, o1, 0);
	pid_t o2 = fork_ok(w, 1, 0), c2 = fork_ok(w, o2, 0);
	ck_assert_int_eq(contid_set(w, o1, c1, 5), 0);
	return contid_set(w, o2, c2, 5);
}

/* R-SIG-RELEASE: 5 (@value, or kernel-alloc's 1, asked with 0) is kept
 * only by the signal pin: not even its owner may use it */
static int only_pinned(struct contid_world *w, uint64_t value)
{
	pid_t d = fork_ok(w, 1, 0), o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	pid_t c2 = fork_ok(w, o, 0);
	uint64_t id;
	ck_assert_int_eq(contid_set_auditd(w, d), 0);
	ck_assert_int_eq(contid_set(w, o, c, value), 0);
	ck_assert_int_eq(contid_task_contid(w, c, &id), 0);
	ck_assert_int_eq(contid_signal(w, c, d, CONTID_SIG_TERM), 0);
	exit_ok(w, c);
	return contid_set(w, o, c2, id);
}

static int set_only_pinned(struct contid_world *w)
{
	return only_pinned(w, 5);
}

static int ka_only_pinned(struct contid_world *w)
{
	return only_pinned(w, 0);
}

static int set_over_id_limit(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c1 = fork_ok(w, o, 0), c2 = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_world_set_limit(w, CONTID_LIMIT_IDS, 1), 0);
	ck_assert_int_eq(contid_set(w, o, c1, 5), 0);
	return contid_set(w, o, c2, 6);
}

static int set_too_deep(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), e = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_world_set_depth_limit(w, 1), 0);
	ck_assert_int_eq(contid_set(w, o, e, 5), 0);
	pid_t c = fork_ok(w, e, 0);
	return contid_set(w, e, c, 6);
}

/* kernel-alloc hands values out: 0 asks for one (1, here) */
static int ka_no_such_id(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	return contid_set(w, o, c, 5);
}

static int ka_again(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_set(w, o, c, 0), 0);
	return contid_set(w, o, c, 0);
}

static int ka_not_owner(struct contid_world *w)
{
	pid_t o1 = fork_ok(w, 1, 0), c1 = fork_ok(w, o1, 0);
	pid_t o2 = fork_ok(w, 1, 0), c2 = fork_ok(w, o2, 0);
	ck_assert_int_eq(contid_set(w, o1, c1, 0), 0);
	return contid_set(w, o2, c2, 1);
}

static int ka_over_id_limit(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c1 = fork_ok(w, o, 0), c2 = fork_ok(w, o, 0);
	ck_assert_int_eq(contid_world_set_limit(w, CONTID_LIMIT_IDS, 1), 0);
	ck_assert_int_eq(contid_set(w, o, c1, 0), 0);
	return contid_set(w, o, c2, 0);
}

/* section 6a: the audit daemon and signals */
static int auditd_nobody(struct contid_world *w)
{
	return contid_set_auditd(w, 999);
}

static int auditd_not_capable(struct contid_world *w)
{
	return contid_set_auditd(w, spawn_unprivileged(w, 1));
}

static int signal_from_nobody(struct contid_world *w)
{
	return contid_signal(w, 999, 1, CONTID_SIG_TERM);
}

static int signal_unknown(struct contid_world *w)
{
	return contid_signal(w, 1, 1, 3);
}

static int signal_no_target(struct contid_world *w)
{
	return contid_signal(w, 1, 999, CONTID_SIG_TERM);
}

static int signal_denied(struct contid_world *w)
{
	return contid_signal(w, user_task(w, 1000), 1, CONTID_SIG_TERM);
}

static int signal_info_by_nobody(struct contid_world *w)
{
	uint32_t uid;
	pid_t pid;
	char *chain;
	return contid_signal_info(w, 999, &uid, &pid, &chain);
}

static int signal_info_not_capable(struct contid_world *w)
{
	uint32_t uid;
	pid_t pid;
	char *chain;
	return contid_signal_info(w, spawn_unprivileged(w, 1), &uid, &pid, &chain);
}

/* capcontid (section 5) */
static int capset_released(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0);
	exit_ok(w, c);
	return contid_set_capcontid(w, o, c, 1);
}

static int capset_self(struct contid_world *w)
{
	pid_t o = fork_ok(w, 1, 0);
	return contid_set_capcontid(w, o, o, 1);
}

static int capset_no_right(struct contid_world *w)
{
	pid_t o = spawn_unprivileged(w, 1), c = fork_ok(w, o, 0);
	return contid_set_capcontid(w, o, c, 1);
}

/* reading */
static int get_no_target(struct contid_world *w)
{
	uint64_t id;
	return contid_get(w, 1, 999, &id);
}

static int capget_no_target(struct contid_world *w)
{
	uint32_t v;
	return contid_get_capcontid(w, 1, 999, &v);
}

static int get_no_right(struct contid_world *w)
{
	uint64_t id;
	return contid_get(w, spawn_unprivileged(w, 1), 1, &id);
}

static int capget_no_right(struct contid_world *w)
{
	uint32_t v;
	return contid_get_capcontid(w, spawn_unprivileged(w, 1), 1, &v);
}

#define NOT_RUNNING "the task is not running"
#define NOT_LEADER_ALONE "the task is not the leader of a single-threaded process"
#define BAD_NSTYPE "the namespace type is neither user nor net"
#define RELEASED "the target has exited"
#define UNSET "the value 2^64-1 means unset"
#define NO_RIGHT "the writer has no right to set IDs"
#define THREADED "the target is a thread or has other threads"
#define CHILDREN "the target has children"
#define NOT_BELOW "the target does not strictly descend from the writer"
#define NOT_NESTING "the target has an ID and the write does not nest"
#define NOT_OWNER "an ID with this value belongs to another task"
#define ID_LIMIT "the world holds as many IDs as its limit allows"
#define ONLY_PINNED "an ID with this value is kept alive only by the signal pin"

static const struct refused {
	const char *profile;
	int (*call)(struct contid_world *w);
	int err;
	const char *rule, *reason;
} refused[] = {
	/* section 2: the acting task, in every operation */
	{ "v11", fork_from_nobody, ESRCH, "ACTING-TASK", "the parent is not running" },
	{ "v11", exit_zombie, ESRCH, "ACTING-TASK", NOT_RUNNING },
	{ "v11", subreaper_nobody, ESRCH, "ACTING-TASK", NOT_RUNNING },
	{ "v11", unshare_nobody, ESRCH, "ACTING-TASK", NOT_RUNNING },
	{ "v11", setns_nobody, ESRCH, "ACTING-TASK", NOT_RUNNING },
	{ "v11", setuid_nobody, ESRCH, "ACTING-TASK", NOT_RUNNING },
	{ "v11", drop_cap_nobody, ESRCH, "ACTING-TASK", NOT_RUNNING },
	{ "v11", event_zombie, ESRCH, "ACTING-TASK", NOT_RUNNING },
	{ "v11", packet_nobody, ESRCH, "ACTING-TASK", NOT_RUNNING },
	{ "v11", write_from_nobody, ESRCH, "ACTING-TASK", "the writer is not running" },
	{ "v11", capwrite_from_nobody, ESRCH, "ACTING-TASK", "the writer is not running" },
	{ "v11", get_by_nobody, ESRCH, "ACTING-TASK", "the reader is not running" },
	{ "v11", capget_by_nobody, ESRCH, "ACTING-TASK", "the reader is not running" },
	/* section 2: fork, exit, reap */
	{ "v11", fork_unknown_flag, EINVAL, "R-FORK-NS", "a flag the library does not know" },
	{ "v11", fork_thread_newuser, EINVAL, "R-FORK-NS",
	  "a thread cannot have a user namespace of its own" },
	{ "v11", fork_sibling_of_init, EINVAL, "R-FORK-NS",
	  "init's process has no parent to share" },
	{ "v11", fork_newnet_no_admin, EPERM, "R-FORK-NS",
	  "the parent lacks CAP_SYS_ADMIN in its user namespace" },
	{ "v11", fork_no_free_pid, EAGAIN, "R-ID", "every pid below pid_max is taken" },
	{ "v11", fork_over_task_limit, EAGAIN, "LIMIT-TASKS",
	  "the world holds as many tasks as its limit allows" },
	{ "v11", exit_init, EPERM, "R-EXIT",
	  "the task is the last running task of init's process" },
	{ "v11", reap_nobody, ESRCH, "R-REAP", "no task has this pid" },
	{ "v11", reap_running, ECHILD, "R-REAP", "the task is running" },
	{ "v11", reap_running_thread, ECHILD, "R-REAP", "the task is running" },
	{ "v11", reap_leader_of_threads, ECHILD, "R-REAP",
	  "the process still has running threads" },
	/* section 3 */
	{ "v11", fork_newuser_too_deep, ENOSPC, "R-USERNS-NEW",
	  "user namespaces are nested 33 deep already" },
	{ "v11", unshare_user_too_deep, ENOSPC, "R-USERNS-NEW",
	  "user namespaces are nested 33 deep already" },
	{ "v11", fork_newuser_unmapped, EPERM, "R-USERNS-NEW",
	  "the task's uid is not mapped in its user namespace" },
	{ "v11", unshare_user_unmapped, EPERM, "R-USERNS-NEW",
	  "the task's uid is not mapped in its user namespace" },
	{ "v11", unshare_user_threaded, EINVAL, "R-UNSHARE", NOT_LEADER_ALONE },
	{ "v11", unshare_bad_type, EINVAL, "R-UNSHARE", BAD_NSTYPE },
	{ "v11", unshare_net_no_admin, EPERM, "R-UNSHARE",
	  "the task lacks CAP_SYS_ADMIN in its user namespace" },
	{ "v11", setns_other_zombie, ESRCH, "R-SETNS",
	  "the task whose namespace would be joined is not running" },
	{ "v11", setns_own_userns, EINVAL, "R-SETNS",
	  "the task is in that user namespace already" },
	{ "v11", setns_user_threaded, EINVAL, "R-SETNS", NOT_LEADER_ALONE },
	{ "v11", setns_user_no_admin, EPERM, "R-SETNS",
	  "the task lacks CAP_SYS_ADMIN in the user namespace it would join" },
	{ "v11", setns_bad_type, EINVAL, "R-SETNS", BAD_NSTYPE },
	{ "v11", setns_net_no_admin_owner, EPERM, "R-SETNS",
	  "the task lacks CAP_SYS_ADMIN in the user namespace owning that "
	  "network namespace" },
	{ "v11", setns_net_no_admin_own, EPERM, "R-SETNS",
	  "the task lacks CAP_SYS_ADMIN in its own user namespace" },
	{ "v11", setuid_invalid, EINVAL, "R-SETUID", "4294967295 is not a valid uid" },
	{ "v11", setuid_unmapped, EINVAL, "R-SETUID",
	  "the uid is not mapped in the task's user namespace" },
	{ "v11", setuid_no_cap, EPERM, "R-SETUID",
	  "the task lacks CAP_SETUID in its user namespace" },
	{ "v11", drop_cap_unknown, EINVAL, "DROP-CAP", "no capability has this number" },
	/* section 4: the front end */
	{ "v11", write_no_target, ESRCH, "R-W-1", "the target pid names no task" },
	{ "v11", capwrite_no_target, ESRCH, "R-W-1", "the target pid names no task" },
	{ "v11", write_too_long, EOVERFLOW, "R-W-2", "the length is above INT_MAX" },
	{ "v11", write_null_buffer, EFAULT, "R-W-2", "the buffer is NULL" },
	{ "v11", write_junk, EINVAL, "R-W-2", "the buffer is not a decimal number" },
	{ "v11", write_above_u64, ERANGE, "R-W-2",
	  "the number is above 18446744073709551615" },
	{ "v11", capwrite_junk, EINVAL, "R-W-2", "the buffer is not a decimal number" },
	{ "v11", capwrite_above_u32, ERANGE, "R-W-2", "the number is above 4294967295" },
	/* section 4: the rules, v11's order */
	{ "v11", set_released, ENOPROTOOPT, "R-SET-0", RELEASED },
	{ "v11", set_unset, EINVAL, "R-SET-1", UNSET },
	{ "v11", set_no_right, EPERM, "R-SET-2", NO_RIGHT },
	{ "v11", set_threaded, EBUSY, "R-SET-3", THREADED },
	{ "v11", set_children, EBUSY, "R-SET-3", CHILDREN },
	{ "v11", set_not_below, EXDEV, "R-SET-4", NOT_BELOW },
	{ "v11", set_self, EXDEV, "R-SET-4", NOT_BELOW },
	{ "v11", set_again_other, EEXIST, "R-SET-5", NOT_NESTING },
	{ "v11", set_only_pinned, ENOTUNIQ, "R-SIG-RELEASE", ONLY_PINNED },
	{ "v11", set_not_owner, ENOTUNIQ, "R-SET-6", NOT_OWNER },
	{ "v11", set_over_id_limit, ENOSPC, "LIMIT-IDS", ID_LIMIT },
	/* section 4: reading; section 5: capcontid */
	{ "v11", get_no_target, ESRCH, "READ-TARGET", "the target pid names no task" },
	{ "v11", capget_no_target, ESRCH, "READ-TARGET", "the target pid names no task" },
	{ "v11", get_no_right, EPERM, "READ-PRIV", "the reader has no right to read IDs" },
	{ "v11", capget_no_right, EPERM, "READ-PRIV",
	  "the reader has no right to read capcontid" },
	{ "v11", capset_released, ENOPROTOOPT, "R-SET-0", RELEASED },
	{ "v11", capset_self, EXDEV, "CAPCONTID-DESC", NOT_BELOW },
	{ "v11", capset_no_right, EPERM, "CAPCONTID-PRIV",
	  "the writer has no right to set capcontid" },
	/* section 6a */
	{ "v11", auditd_nobody, ESRCH, "ACTING-TASK", NOT_RUNNING },
	{ "v11", auditd_not_capable, EPERM, "R-SIG-AUDITD",
	  "the task is not capable(CAP_AUDIT_CONTROL)" },
	{ "v11", signal_from_nobody, ESRCH, "ACTING-TASK", "the sender is not running" },
	{ "v11", signal_unknown, EINVAL, "R-SIG-SEND",
	  "a signal number the model does not know" },
	{ "v11", signal_no_target, ESRCH, "R-SIG-SEND", "no task has this pid" },
	{ "v11", signal_denied, EPERM, "R-SIG-SEND",
	  "another process, another uid, and no CAP_KILL over the target's "
	  "user namespace" },
	{ "v11", signal_info_by_nobody, ESRCH, "ACTING-TASK", "the reader is not running" },
	{ "v11", signal_info_not_capable, EPERM, "R-SIG-INFO",
	  "the reader is not capable(CAP_AUDIT_CONTROL)" },
	/* section 9: each profile's refusals, in its order */
	{ "v6", set_released, ENOPROTOOPT, "R-SET-0", RELEASED },
	{ "v6", set_unset, EINVAL, "R-SET-1", UNSET },
	{ "v6", set_no_right, EPERM, "R-SET-2", NO_RIGHT },
	{ "v6", set_children, EBUSY, "R-SET-3", CHILDREN },
	{ "v6", set_threaded, EALREADY, "R-SET-3", THREADED },
	{ "v8", set_released, ENOPROTOOPT, "R-SET-0", RELEASED },
	{ "v8", set_unset, EINVAL, "R-SET-1", UNSET },
	{ "v8", set_again_same, EADDRINUSE, "R-SET-5",
	  "the target already holds this value" },
	{ "v8", set_no_right, EPERM, "R-SET-2", NO_RIGHT },
	{ "v8", set_children, EBUSY, "R-SET-3", CHILDREN },
	{ "v8", set_threaded, EALREADY, "R-SET-3", THREADED },
	{ "v8", set_self, EBADSLT, "R-SET-4", "the target is the writer" },
	{ "v8", set_not_below, EXDEV, "R-SET-4", NOT_BELOW },
	{ "v8", set_again_other, ECHILD, "R-SET-5", "the target's ID belongs to the writer" },
	{ "v8", set_not_owner, ENOTUNIQ, "R-SET-6", NOT_OWNER },
	{ "v8", set_too_deep, EMLINK, "V8-DEPTH",
	  "a new ID would nest deeper than the depth limit" },
	{ "v11-posted", set_released, ENOPROTOOPT, "R-SET-0", RELEASED },
	{ "v11-posted", set_unset, EINVAL, "R-SET-1", UNSET },
	{ "v11-posted", set_no_right, EPERM, "R-SET-2", NO_RIGHT },
	{ "v11-posted", set_threaded, EBUSY, "R-SET-3", THREADED },
	{ "v11-posted", set_children, EBUSY, "R-SET-3", CHILDREN },
	{ "v11-posted", set_not_below, EXDEV, "R-SET-4", NOT_BELOW },
	{ "v11-posted", set_again_other, EEXIST, "R-SET-5", NOT_NESTING },
	{ "v11-posted", set_only_pinned, ENOTUNIQ, "R-SIG-RELEASE", ONLY_PINNED },
	{ "v11-posted", set_not_owner, ENOTUNIQ, "R-SET-6", NOT_OWNER },
	{ "bits", set_released, ENOPROTOOPT, "R-SET-0", RELEASED },
	{ "bits", set_unset, EINVAL, "R-SET-1", UNSET },
	{ "bits", set_no_right, EPERM, "R-SET-2", NO_RIGHT },
	{ "bits", set_threaded, EBUSY, "R-SET-3", THREADED },
	{ "bits", set_children, EBUSY, "R-SET-3", CHILDREN },
	{ "bits", set_not_below, EXDEV, "R-SET-4", NOT_BELOW },
	{ "bits", set_again_other, EEXIST, "R-SET-5",
	  "the value does not extend the target's bits" },
	{ "kernel-alloc", set_released, ENOPROTOOPT, "R-SET-0", RELEASED },
	{ "kernel-alloc", set_unset, EINVAL, "R-SET-1", UNSET },
	{ "kernel-alloc", set_no_right, EPERM, "R-SET-2", NO_RIGHT },
	{ "kernel-alloc", set_threaded, EBUSY, "R-SET-3", THREADED },
	{ "kernel-alloc", set_children, EBUSY, "R-SET-3", CHILDREN },
	{ "kernel-alloc", set_not_below, EXDEV, "R-SET-4", NOT_BELOW },
	{ "kernel-alloc", ka_again, EEXIST, "R-SET-5", NOT_NESTING },
	{ "kernel-alloc", ka_no_such_id, EINVAL, "R-SET-6",
	  "a value other than 0 must name an existing ID" },
	{ "kernel-alloc", ka_only_pinned, ENOTUNIQ, "R-SIG-RELEASE", ONLY_PINNED },
	{ "kernel-alloc", ka_not_owner, ENOTUNIQ, "R-SET-6", NOT_OWNER },
	{ "kernel-alloc", ka_over_id_limit, ENOSPC, "LIMIT-IDS", ID_LIMIT },
};

#define NREFUSED (sizeof(refused) / sizeof(refused[0]))

/* The call fails with the row's errno, and the world names the row's rule
 * and reason; a successful operation after it leaves none. */
START_TEST(test_refusal_names_its_rule)
{
	const struct refused *row = &refused[_i];
	struct contid_world *w = world(row->profile);
	const char *rule = NULL, *reason = NULL;

	ck_assert_msg(row->call(w) == -row->err, "%s (%s) under %s: not %s",
		      row->rule, row->reason, row->profile,
		      contid_errno_name(row->err));
	ck_assert_msg(contid_world_last_refusal(w, &rule, &reason) == 0,
		      "%s under %s: no refusal kept", row->rule, row->profile);
	ck_assert_str_eq(rule, row->rule);
	ck_assert_str_eq(reason, row->reason);
	assert_invariants(w);

	ck_assert_int_eq(contid_event(w, 1), 0);
	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), -ENOENT);
	ck_assert_str_eq(rule, row->rule);        /* untouched */
	contid_world_free(w);
}
END_TEST

/* The table has a row for each refusal of each profile's list (the
 * predicates of lib/contid_rules.c), with its errno, rule and reason. */
START_TEST(test_refusal_table_covers_every_profile)
{
	for (const char *const *name = contid_profile_names(); *name; name++) {
		const struct profile *p = profile_find(*name);
		ck_assert_ptr_nonnull(p);
		for (const struct refusal *const *r = p->refusals; *r; r++) {
			size_t i = 0;
			while (i < NREFUSED &&
			       (strcmp(refused[i].profile, *name) != 0 ||
				refused[i].err != (*r)->err ||
				strcmp(refused[i].rule, (*r)->rule) != 0 ||
				strcmp(refused[i].reason, (*r)->reason) != 0))
				i++;
			ck_assert_msg(i < NREFUSED, "%s: %s %s (%s) has no row", *name,
				      (*r)->rule, contid_errno_name((*r)->err),
				      (*r)->reason);
		}
	}
}
END_TEST

/* ----------------------------------------------- when it is kept, or not */

START_TEST(test_refusal_none_before_any_operation)
{
	struct contid_world *w = world("v11");
	const char *rule = "x", *reason = "y";

	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), -ENOENT);
	ck_assert_str_eq(rule, "x");
	ck_assert_str_eq(reason, "y");
	contid_world_free(w);
}
END_TEST

/* Every operation replaces it: with its own refusal, or with none. */
START_TEST(test_refusal_replaced_by_each_operation)
{
	struct contid_world *w = world("v11");
	const char *rule, *reason;
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0), x = fork_ok(w, 1, 0);
	uint64_t id;

	ck_assert_int_eq(contid_set(w, o, x, 5), -EXDEV);
	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), 0);
	ck_assert_str_eq(rule, "R-SET-4");
	ck_assert_int_eq(contid_exit(w, 1), -EPERM);
	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), 0);
	ck_assert_str_eq(rule, "R-EXIT");
	ck_assert_int_eq(contid_get(w, o, c, &id), 0);   /* a read succeeds */
	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), -ENOENT);
	ck_assert_int_eq(write_str(w, o, c, "5x"), -EINVAL);
	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), 0);
	ck_assert_str_eq(rule, "R-W-2");
	ck_assert_int_eq(contid_set(w, o, c, 5), 0);
	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), -ENOENT);
	contid_world_free(w);
}
END_TEST

/* Settings, naming, inspection, clones, and calls refused before they
 * start (a NULL pointer) leave it as it was; a clone has it too. */
START_TEST(test_refusal_kept_by_what_is_no_operation)
{
	struct contid_world *w = world("v11"), *copy;
	const char *rule, *reason;
	char msg[128];
	pid_t p;

	ck_assert_int_eq(contid_exit(w, 1), -EPERM);
	ck_assert_int_eq(contid_world_set_audit(w, 0), 0);
	ck_assert_int_eq(contid_world_set_limit(w, CONTID_LIMIT_IDS, 9), 0);
	ck_assert_int_eq(contid_world_set_pid_max(w, 1), -EINVAL);
	ck_assert_int_eq(contid_task_set_name(w, 999, "x"), -ESRCH);
	ck_assert_int_eq(contid_task_state(w, 999, &(int){ 0 }), -ESRCH);
	ck_assert_int_eq(contid_world_check(w, msg, sizeof(msg)), 0);
	ck_assert_int_eq(contid_fork(w, 1, 0, NULL), -EINVAL);
	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), 0);
	ck_assert_str_eq(rule, "R-EXIT");
	ck_assert_int_eq(contid_world_clone(w, &copy), 0);
	ck_assert_int_eq(contid_world_last_refusal(copy, &rule, &reason), 0);
	ck_assert_str_eq(rule, "R-EXIT");
	ck_assert_int_eq(contid_fork(copy, 1, 0, &p), 0);
	ck_assert_int_eq(contid_world_last_refusal(copy, &rule, &reason), -ENOENT);
	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), 0);
	contid_world_free(copy);
	contid_world_free(w);
}
END_TEST

/* -ENOMEM is the machine's answer, not a rule's: the call leaves the world
 * as it was, its last refusal included (choice (a) says so of the clock). */
START_TEST(test_refusal_kept_by_enomem)
{
	struct contid_world *w = world("v11");
	const char *rule, *reason;
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0), x = fork_ok(w, 1, 0), p;

	ck_assert_int_eq(contid_set(w, o, x, 5), -EXDEV);
	contid_debug_fail_allocation(1);
	ck_assert_int_eq(contid_set(w, o, c, 5), -ENOMEM);
	contid_debug_fail_allocation(0);
	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), 0);
	ck_assert_str_eq(rule, "R-SET-4");

	ck_assert_int_eq(contid_fork(w, o, 0, &p), 0);
	contid_debug_fail_allocation(1);
	ck_assert_int_eq(contid_unshare(w, o, CONTID_NS_NET), -ENOMEM);
	contid_debug_fail_allocation(0);
	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), -ENOENT);
	contid_world_free(w);
}
END_TEST

/* From a record callback the operation being logged has not ended: the
 * callback sees the refusal of the one before, and an operation it tries
 * (-EDEADLK) changes nothing. */
struct peek {
	struct contid_world *w;
	const char *rule;
	int fork_ret;
};

static void peek_record(void *data, int type, const char *line, size_t len)
{
	struct peek *pk = data;
	const char *reason;
	pid_t p;

	(void)type, (void)line, (void)len;
	if (contid_world_last_refusal(pk->w, &pk->rule, &reason) < 0)
		pk->rule = "none";
	pk->fork_ret = contid_fork(pk->w, 1, 0, &p);
}

START_TEST(test_refusal_from_a_record_callback)
{
	struct contid_world *w = world("v11");
	struct peek pk = { .w = w };
	const char *rule, *reason;
	pid_t o = fork_ok(w, 1, 0), c = fork_ok(w, o, 0), x = fork_ok(w, 1, 0);

	ck_assert_int_eq(contid_exit(w, 1), -EPERM);
	ck_assert_int_eq(contid_world_set_record_callback(w, peek_record, &pk), 0);
	ck_assert_int_eq(contid_set(w, o, x, 5), -EXDEV);   /* logs */
	ck_assert_str_eq(pk.rule, "R-EXIT");
	ck_assert_int_eq(pk.fork_ret, -EDEADLK);
	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), 0);
	ck_assert_str_eq(rule, "R-SET-4");
	ck_assert_int_eq(contid_set(w, o, c, 5), 0);
	ck_assert_str_eq(pk.rule, "R-SET-4");
	ck_assert_int_eq(contid_world_last_refusal(w, &rule, &reason), -ENOENT);
	contid_world_free(w);
}
END_TEST

Suite *suite_refusals(void)
{
	Suite *s = suite_create("refusals");
	TCase *tc = tcase_create("refusals");

	tcase_add_loop_test(tc, test_refusal_names_its_rule, 0, (int)NREFUSED);
	tcase_add_test(tc, test_refusal_table_covers_every_profile);
	tcase_add_test(tc, test_refusal_none_before_any_operation);
	tcase_add_test(tc, test_refusal_replaced_by_each_operation);
	tcase_add_test(tc, test_refusal_kept_by_what_is_no_operation);
	tcase_add_test(tc, test_refusal_kept_by_enomem);
	tcase_add_test(tc, test_refusal_from_a_record_callback);
	suite_add_tcase(s, tc);
	return s;
}
