/*
 * Fork, exit and reap (docs/semantics.md section 2): the operations that
 * begin and end tasks, and so touch every part of one: its place in the
 * tree, its namespaces, its ID and the records an exit logs.
 *
 * Where it sits: above the tree, the ID objects, the namespaces, the rule
 * book (whose profile says how an exit frees IDs), the records and the
 * signal state (an exit may end the daemon or let go of the pin).
 * Nothing calls it but the API.
 */
#include "contid-alloc.h"
#include "contid-export.h"
#include "contid-id.h"
#include "contid-ns.h"
#include "contid-record.h"
#include "contid-rules.h"
#include "contid-signal.h"
#include "contid-tree.h"

#define ALL_CLONE_FLAGS (CONTID_CLONE_THREAD | CONTID_CLONE_PARENT | \
			 CONTID_CLONE_NEWUSER | CONTID_CLONE_NEWNET)

/* ---------------------------------------------------------------- fork */

/* R-FORK-NS's checks, in its order (R-USERNS-NEW's come from contid_ns.c). */
static const struct refusal parent_not_running = {
	"ACTING-TASK", ESRCH, "the parent is not running", NULL };
static const struct refusal unknown_flag = {
	"R-FORK-NS", EINVAL, "a flag the library does not know", NULL };
static const struct refusal thread_newuser = {
	"R-FORK-NS", EINVAL, "a thread cannot have a user namespace of its own",
	NULL };
static const struct refusal sibling_of_init = {
	"R-FORK-NS", EINVAL, "init's process has no parent to share", NULL };
static const struct refusal newnet_no_admin = {
	"R-FORK-NS", EPERM,
	"the parent lacks CAP_SYS_ADMIN in its user namespace", NULL };
static const struct refusal no_free_pid = {
	"R-ID", EAGAIN, "every pid below pid_max is taken", NULL };
static const struct refusal task_limit = {
	"LIMIT-TASKS", EAGAIN,
	"the world holds as many tasks as its limit allows", NULL };

static int do_fork(struct contid_world *w, pid_t parent_pid, unsigned flags,
		   pid_t *child_pid)
{
	struct task *caller = running_task(w, parent_pid);
	if (!caller)
		return refuse(w, &parent_not_running);
	if (flags & ~ALL_CLONE_FLAGS)
		return refuse(w, &unknown_flag);
	if ((flags & CONTID_CLONE_THREAD) && (flags & CONTID_CLONE_NEWUSER))
		return refuse(w, &thread_newuser);
	if ((flags & CONTID_CLONE_PARENT) && caller->leader == w->init_slot)
		return refuse(w, &sibling_of_init);
	if (flags & CONTID_CLONE_NEWUSER) {
		const struct refusal *refusal = userns_may_create(caller);
		if (refusal)
			return refuse(w, refusal);
	} else if ((flags & CONTID_CLONE_NEWNET) &&
		   !ns_capable(caller, caller->userns, CONTID_CAP_SYS_ADMIN)) {
		/* with NEWUSER the child holds every capability in its new
		 * namespace, which then owns the new network namespace */
		return refuse(w, &newnet_no_admin);
	}
	uint32_t pid = tree_next_pid(w);
	if (!pid)
		return refuse(w, &no_free_pid);
	if (w->max_tasks && w->nr_tasks >= w->max_tasks)
		return refuse(w, &task_limit);

	/* Everything that can fail for memory happens before any change. */
	struct userns *new_userns = NULL;
	struct netns *new_netns = NULL;
	int r = tree_reserve(w, pid);
	if (r > 0) { /* the tasks moved */
		caller = running_task(w, parent_pid);
		r = 0;
	}
	if (r == 0 && (flags & CONTID_CLONE_NEWUSER)) {
		new_userns = userns_new(caller->userns, caller->uid);
		if (!new_userns)
			r = -ENOMEM;
	}
	if (r == 0 && (flags & CONTID_CLONE_NEWNET)) {
		new_netns = netns_new(new_userns ? new_userns : caller->userns);
		if (!new_netns)
			r = -ENOMEM;
		else if (caller->obj)
			r = idlist_prepare(w, &new_netns->ids, caller->obj);
	}
	if (r < 0) {
		cx_free(new_netns);
		cx_free(new_userns);
		return r;
	}

	struct task *child = tree_fork(w, pid, caller, flags);
	if (new_userns) {
		userns_link(w, new_userns);
		child->userns = new_userns;
		child->caps = CAPS_ALL;
	} else {
		child->userns = caller->userns;
		child->caps = caller->caps;
	}
	userns_get(child->userns);
	if (new_netns) {
		netns_link(w, new_netns);
		child->netns = new_netns;
	} else {
		child->netns = caller->netns;
	}
	netns_get(child->netns);
	if (caller->obj) {
		child->obj = caller->obj;
		obj_get(child->obj);
		idlist_hold(w, &child->netns->ids, child->obj);
	}
	*child_pid = (pid_t)pid;
	return 0;
}

CONTID_EXPORT int contid_fork(struct contid_world *w, pid_t parent,
			      unsigned flags, pid_t *child)
{
	if (!child)
		return -EINVAL;
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	return op_end(w, do_fork(w, parent, flags, child));
}

/* ---------------------------------------------------------------- exit */

/*
 * R-EXIT: a task's audit state goes when it exits.  The IDs this frees are
 * logged as op=drop, innermost first, while each is still listed.
 */
static void release_audit(struct contid_world *w, struct task *t, uint32_t tgid)
{
	struct contid_obj *obj = t->obj;

	t->audit_released = 1;
	t->capcontid = 0;
	if (!obj)
		return;
	idlist_release(w, &t->netns->ids, obj);
	t->obj = NULL;
	for (struct contid_obj *o = obj_put_task(obj); o;
	     o = obj_free(w, o, w->profile->leak_parent))
		rec_container_op_drop(w, tgid, o);
}

/* A task is gone: it lets go of its namespaces, then of its slot. */
static void task_gone(struct contid_world *w, struct task *t)
{
	userns_put(w, t->userns);
	netns_put(w, t->netns);
	tree_task_gone(w, t);
}

static const struct refusal last_of_init = {
	"R-EXIT", EPERM, "the task is the last running task of init's process",
	NULL };

static int do_exit(struct contid_world *w, pid_t pid)
{
	struct task *t = running_task(w, pid);
	if (!t)
		return refuse(w, &refusal_not_running);
	struct task *proc = proc_of(w, t);
	if (t->leader == w->init_slot && proc->nr_running == 1)
		return refuse(w, &last_of_init);
	if (t->obj) {
		/* each op=drop is written alone; the first freed object's
		 * chain is the longest of them */
		int r = rec_reserve(w, REC_FIXED_BOUND + chain_len(t->obj));
		if (r < 0)
			return r;
	}

	release_audit(w, t, proc->pid);
	/* then the pin, when the daemon thread that was signalled exits */
	signal_task_exits(w, t);
	proc->nr_running--;
	if (t != proc) {
		proc->nr_live--;
		task_gone(w, t);
	} else {
		t->state = TASK_ZOMBIE;
	}
	if (proc->nr_running == 0)
		tree_reparent_children(w, proc);
	return 0;
}

CONTID_EXPORT int contid_exit(struct contid_world *w, pid_t pid)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	return op_end(w, do_exit(w, pid));
}

/* ---------------------------------------------------------------- reap */

static const struct refusal reap_no_task = {
	"R-REAP", ESRCH, "no task has this pid", NULL };
static const struct refusal reap_running = {
	"R-REAP", ECHILD, "the task is running", NULL };
static const struct refusal reap_threads_run = {
	"R-REAP", ECHILD, "the process still has running threads", NULL };

static int do_reap(struct contid_world *w, pid_t pid)
{
	struct task *t = task_by_pid(w, pid);
	if (!t)
		return refuse(w, &reap_no_task);
	/* a non-leader thread is gone as soon as it exits, so it runs */
	if (t != proc_of(w, t) || t->state != TASK_ZOMBIE)
		return refuse(w, &reap_running);
	if (t->nr_running > 0)
		return refuse(w, &reap_threads_run);
	task_gone(w, t);
	return 0;
}

CONTID_EXPORT int contid_reap(struct contid_world *w, pid_t pid)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	return op_end(w, do_reap(w, pid));
}
