/*
 * Fork, exit and reap (docs/semantics.md section 2): the operations that
 * begin and end tasks, and so touch every part of one: its place in the
 * tree, its namespaces, its ID and the records an exit logs.
 *
 * Where it sits: above the tree, the ID objects, the namespaces, the rule
 * book (whose profile says how an exit frees IDs) and the records.
 * Nothing calls it but the API.
 */
#include "contid-alloc.h"
#include "contid-export.h"
#include "contid-id.h"
#include "contid-ns.h"
#include "contid-record.h"
#include "contid-rules.h"
#include "contid-tree.h"

#define ALL_CLONE_FLAGS (CONTID_CLONE_THREAD | CONTID_CLONE_PARENT | \
			 CONTID_CLONE_NEWUSER | CONTID_CLONE_NEWNET)

/* ---------------------------------------------------------------- fork */

static int do_fork(struct contid_world *w, pid_t parent_pid, unsigned flags,
		   pid_t *child_pid)
{
	struct task *caller = running_task(w, parent_pid);
	if (!caller)
		return -ESRCH;
	if (flags & ~ALL_CLONE_FLAGS)
		return -EINVAL;
	if ((flags & CONTID_CLONE_THREAD) && (flags & CONTID_CLONE_NEWUSER))
		return -EINVAL;
	if ((flags & CONTID_CLONE_PARENT) && caller->leader == w->init_slot)
		return -EINVAL;
	if (flags & CONTID_CLONE_NEWUSER) {
		int r = userns_may_create(caller);
		if (r < 0)
			return r;
	} else if ((flags & CONTID_CLONE_NEWNET) &&
		   !ns_capable(caller, caller->userns, CONTID_CAP_SYS_ADMIN)) {
		/* with NEWUSER the child holds every capability in its new
		 * namespace, which then owns the new network namespace */
		return -EPERM;
	}
	uint32_t pid = tree_next_pid(w);
	if (!pid || (w->max_tasks && w->nr_tasks >= w->max_tasks))
		return -EAGAIN;

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

static int do_exit(struct contid_world *w, pid_t pid)
{
	struct task *t = running_task(w, pid);
	if (!t)
		return -ESRCH;
	struct task *proc = proc_of(w, t);
	if (t->leader == w->init_slot && proc->nr_running == 1)
		return -EPERM;
	if (t->obj) {
		/* each op=drop is written alone; the first freed object's
		 * chain is the longest of them */
		int r = rec_reserve(w, REC_FIXED_BOUND + chain_len(t->obj));
		if (r < 0)
			return r;
	}

	release_audit(w, t, proc->pid);
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

static int do_reap(struct contid_world *w, pid_t pid)
{
	struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	/* a non-leader thread is gone as soon as it exits, so it runs */
	if (t != proc_of(w, t) || t->state != TASK_ZOMBIE || t->nr_running > 0)
		return -ECHILD;
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
