/*
 * User namespaces, capabilities and credentials (SEMANTICS.md section 3),
 * network namespaces and their ID lists (section 7).
 */
#include <stdlib.h>

#include "contid-private.h"

/* ------------------------------------------------------ user namespaces */

struct userns *userns_new(struct userns *parent, uint32_t owner_uid)
{
	struct userns *ns = cx_calloc(1, sizeof(*ns));

	if (!ns)
		return NULL;
	ns->parent = parent;
	ns->owner_uid = owner_uid;
	ns->level = parent ? parent->level + 1 : 0;
	return ns;
}

/* Makes a new namespace part of the world (cannot fail). */
void userns_link(struct contid_world *w, struct userns *ns)
{
	ns->id = ++w->next_ns_id;
	if (ns->parent)
		userns_get(ns->parent);
	ns->next_live = w->userns_live;
	if (w->userns_live)
		w->userns_live->prev_live = ns;
	w->userns_live = ns;
}

void userns_get(struct userns *ns)
{
	ns->refs++;
}

void userns_put(struct contid_world *w, struct userns *ns)
{
	while (ns && --ns->refs == 0) {
		struct userns *parent = ns->parent;
		if (ns->prev_live)
			ns->prev_live->next_live = ns->next_live;
		else
			w->userns_live = ns->next_live;
		if (ns->next_live)
			ns->next_live->prev_live = ns->prev_live;
		cx_free(ns);
		ns = parent;
	}
}

bool uid_mapped(const struct userns *ns, uint32_t uid)
{
	return ns->level == 0 || ns->owner_uid == uid;
}

int userns_may_create(const struct task *t)
{
	if (t->userns->level > USERNS_MAX_PARENT_LEVEL)
		return -ENOSPC;
	if (!uid_mapped(t->userns, t->uid))
		return -EPERM;
	return 0;
}

/* R-CAP, the walk of Linux's cap_capable(). */
bool ns_capable(const struct task *t, const struct userns *ns, int cap)
{
	for (;;) {
		if (ns == t->userns)
			return t->caps >> cap & 1;
		if (ns->level <= t->userns->level)
			return false;
		if (ns->parent == t->userns && ns->owner_uid == t->uid)
			return true;
		ns = ns->parent;
	}
}

bool task_capable(const struct contid_world *w, const struct task *t, int cap)
{
	return ns_capable(t, w->init_userns, cap);
}

/* --------------------------------------------------- network namespaces */

struct netns *netns_new(struct userns *owner)
{
	struct netns *ns = cx_calloc(1, sizeof(*ns));

	if (ns)
		ns->owner = owner;
	return ns;
}

void netns_link(struct contid_world *w, struct netns *ns)
{
	ns->id = ++w->next_ns_id;
	userns_get(ns->owner);
	ns->next_live = w->netns_live;
	if (w->netns_live)
		w->netns_live->prev_live = ns;
	w->netns_live = ns;
}

void netns_get(struct netns *ns)
{
	ns->refs++;
}

void netns_put(struct contid_world *w, struct netns *ns)
{
	if (!ns || --ns->refs > 0)
		return;
	if (ns->prev_live)
		ns->prev_live->next_live = ns->next_live;
	else
		w->netns_live = ns->next_live;
	if (ns->next_live)
		ns->next_live->prev_live = ns->prev_live;
	netns_free_entries(w, ns);
	userns_put(w, ns->owner);
	cx_free(ns);
}

struct netns_entry *netns_find(const struct contid_world *w, const struct netns *ns,
			       const struct contid_obj *obj)
{
	struct netns_extra *x = NULL;

	if (obj->home.ns == ns)
		return (struct netns_entry *)&obj->home;
	if (w->netns_extras) {
		const void *key[2] = { obj, ns };
		HASH_FIND(hh, w->netns_extras, key, NETNS_KEY_LEN, x);
	}
	return x ? &x->e : NULL;
}

/* Removes an entry whose count is 0 (it is not in the front list). */
static void netns_entry_free(struct contid_world *w, struct netns *ns,
			     struct netns_entry *e)
{
	ns->nentries--;
	if (e == &e->obj->home) {
		e->ns = NULL;
		return;
	}
	struct netns_extra *x = (struct netns_extra *)e;
	HASH_DEL(w->netns_extras, x);
	cx_free(x);
}

void netns_free_entries(struct contid_world *w, struct netns *ns)
{
	while (ns->front) {
		struct netns_entry *e = ns->front;
		ns->front = e->front_next;
		e->count = 0;
		netns_entry_free(w, ns, e);
	}
}

void netns_free_all_extras(struct contid_world *w)
{
	struct netns_extra *x, *tmp;

	HASH_ITER(hh, w->netns_extras, x, tmp) {
		HASH_DEL(w->netns_extras, x);
		cx_free(x);
	}
}

/*
 * Makes sure netns_hold(@ns, @obj) will not need memory: adds an unlinked
 * entry with count 0 when @obj is not listed yet.  It must be the last step
 * of an operation that can fail: nothing takes the entry back.
 */
int netns_prepare(struct contid_world *w, struct netns *ns,
		  struct contid_obj *obj)
{
	if (netns_find(w, ns, obj))
		return 0;

	struct netns_entry *e = &obj->home;
	if (e->ns) {
		struct netns_extra *x = cx_calloc(1, sizeof(*x));
		if (!x)
			return -ENOMEM;
		x->e.obj = obj;
		x->e.ns = ns;
		HASH_ADD(hh, w->netns_extras, e.obj, NETNS_KEY_LEN, x);
		if (!x->hh.tbl) {
			cx_free(x);
			return -ENOMEM;
		}
		e = &x->e;
	} else {
		e->obj = obj;
		e->ns = ns;
		e->front_prev = e->front_next = NULL;
		e->count = 0;
	}
	ns->nentries++;
	return 0;
}

/* One more member task holds @obj: a new value enters at the front. */
void netns_hold(struct contid_world *w, struct netns *ns,
		struct contid_obj *obj)
{
	struct netns_entry *e = netns_find(w, ns, obj);

	if (!e)
		return; /* not prepared: a bug, but never a crash */
	if (e->count++ == 0) {
		e->front_prev = NULL;
		e->front_next = ns->front;
		if (ns->front)
			ns->front->front_prev = e;
		ns->front = e;
	}
}

void netns_release(struct contid_world *w, struct netns *ns,
		   struct contid_obj *obj)
{
	struct netns_entry *e = netns_find(w, ns, obj);

	if (!e || --e->count > 0)
		return;
	if (e->front_prev)
		e->front_prev->front_next = e->front_next;
	else
		ns->front = e->front_next;
	if (e->front_next)
		e->front_next->front_prev = e->front_prev;
	netns_entry_free(w, ns, e);
}

/* Moves a running task to another network namespace (prepared). */
static void task_move_netns(struct contid_world *w, struct task *t,
			    struct netns *to)
{
	if (t->obj) {
		netns_release(w, t->netns, t->obj);
		netns_hold(w, to, t->obj);
	}
	netns_get(to);
	netns_put(w, t->netns);
	t->netns = to;
}

/* ------------------------------------------------------------ unshare */

static bool single_threaded_leader(const struct contid_world *w,
				   const struct task *t)
{
	const struct task *proc = proc_of(w, t);
	return t == proc && proc->nr_live == 1;
}

static int enter_new_userns(struct contid_world *w, struct task *t)
{
	int r = userns_may_create(t);
	if (r < 0)
		return r;
	struct userns *ns = userns_new(t->userns, t->uid);
	if (!ns)
		return -ENOMEM;
	userns_link(w, ns);
	userns_get(ns);
	userns_put(w, t->userns);
	t->userns = ns;
	t->caps = CAPS_ALL;
	return 0;
}

static int enter_netns(struct contid_world *w, struct task *t, struct netns *to)
{
	if (t->obj) {
		int r = netns_prepare(w, to, t->obj);
		if (r < 0)
			return r;
	}
	task_move_netns(w, t, to);
	return 0;
}

static int do_unshare(struct contid_world *w, pid_t pid, int nstype)
{
	struct task *t = running_task(w, pid);
	if (!t)
		return -ESRCH;
	if (nstype == CONTID_NS_USER) {
		if (!single_threaded_leader(w, t))
			return -EINVAL;
		return enter_new_userns(w, t);
	}
	if (nstype != CONTID_NS_NET)
		return -EINVAL;
	if (!ns_capable(t, t->userns, CONTID_CAP_SYS_ADMIN))
		return -EPERM;
	struct netns *ns = netns_new(t->userns);
	if (!ns)
		return -ENOMEM;
	int r = enter_netns(w, t, ns);
	if (r < 0) {
		cx_free(ns);
		return r;
	}
	netns_link(w, ns);
	return 0;
}

CONTID_EXPORT int contid_unshare(struct contid_world *w, pid_t pid, int nstype)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	return op_end(w, do_unshare(w, pid, nstype));
}

/* -------------------------------------------------------------- setns */

static int do_setns(struct contid_world *w, pid_t pid, int nstype, pid_t other_pid)
{
	struct task *t = running_task(w, pid);
	if (!t)
		return -ESRCH;
	struct task *other = running_task(w, other_pid);
	if (!other)
		return -ESRCH;
	if (nstype == CONTID_NS_USER) {
		struct userns *to = other->userns;
		if (to == t->userns || !single_threaded_leader(w, t))
			return -EINVAL;
		if (!ns_capable(t, to, CONTID_CAP_SYS_ADMIN))
			return -EPERM;
		userns_get(to);
		userns_put(w, t->userns);
		t->userns = to;
		t->caps = CAPS_ALL;
		return 0;
	}
	if (nstype != CONTID_NS_NET)
		return -EINVAL;
	struct netns *to = other->netns;
	/* Linux checks the capabilities even for the namespace it is in */
	if (!ns_capable(t, to->owner, CONTID_CAP_SYS_ADMIN) ||
	    !ns_capable(t, t->userns, CONTID_CAP_SYS_ADMIN))
		return -EPERM;
	if (to == t->netns)
		return 0;
	return enter_netns(w, t, to);
}

CONTID_EXPORT int contid_setns(struct contid_world *w, pid_t pid, int nstype,
			       pid_t other)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	return op_end(w, do_setns(w, pid, nstype, other));
}

/* -------------------------------------------------------- credentials */

static int do_setuid(struct contid_world *w, pid_t pid, uint32_t uid)
{
	struct task *t = running_task(w, pid);
	if (!t)
		return -ESRCH;
	if (uid == UINT32_MAX || !uid_mapped(t->userns, uid))
		return -EINVAL;
	if (uid == t->uid)
		return 0;
	if (!ns_capable(t, t->userns, CONTID_CAP_SETUID))
		return -EPERM;
	if (t->uid == 0 && uid_mapped(t->userns, 0))
		t->caps = 0;
	t->uid = uid;
	return 0;
}

CONTID_EXPORT int contid_setuid(struct contid_world *w, pid_t pid, uint32_t uid)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	return op_end(w, do_setuid(w, pid, uid));
}

CONTID_EXPORT int contid_drop_cap(struct contid_world *w, pid_t pid, int cap)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	struct task *t = running_task(w, pid);
	if (!t)
		return op_end(w, -ESRCH);
	if (cap < 0 || cap > CONTID_CAP_LAST_CAP)
		return op_end(w, -EINVAL);
	t->caps &= ~(UINT64_C(1) << cap);
	return op_end(w, 0);
}
