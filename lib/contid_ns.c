/*
 * User namespaces, capabilities and credentials (docs/semantics.md
 * section 3), network namespaces (section 7): their life, the operations
 * that change them (unshare, setns, setuid, drop-cap) and what can be
 * asked about them.
 *
 * Where it sits: above the tree and the ID objects; the rule book, the
 * records and fork build on it.
 */
#include <stdlib.h>

#include "contid-alloc.h"
#include "contid-export.h"
#include "contid-id.h"
#include "contid-ns.h"
#include "contid-tree.h"

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

static bool uid_mapped(const struct userns *ns, uint32_t uid)
{
	return ns->level == 0 || ns->owner_uid == uid;
}

static const struct refusal userns_too_deep = {
	"R-USERNS-NEW", ENOSPC, "user namespaces are nested 33 deep already",
	NULL };
static const struct refusal userns_uid_unmapped = {
	"R-USERNS-NEW", EPERM,
	"the task's uid is not mapped in its user namespace", NULL };

const struct refusal *userns_may_create(const struct task *t)
{
	if (t->userns->level > USERNS_MAX_PARENT_LEVEL)
		return &userns_too_deep;
	if (!uid_mapped(t->userns, t->uid))
		return &userns_uid_unmapped;
	return NULL;
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
	idlist_clear(w, &ns->ids);
	userns_put(w, ns->owner);
	cx_free(ns);
}

/* ------------------------------------------------------- world life */

int ns_init(struct contid_world *w)
{
	struct userns *userns = userns_new(NULL, 0);
	struct netns *netns = userns ? netns_new(userns) : NULL;

	if (!netns) {
		cx_free(userns);
		return -ENOMEM;
	}
	userns_link(w, userns);
	userns_get(userns);
	netns_link(w, netns);
	netns_get(netns);
	w->init_userns = userns;
	w->init_netns = netns;

	struct task *init = task_at(w, w->init_slot);
	init->caps = CAPS_ALL;
	init->userns = userns;
	init->netns = netns;
	userns_get(userns);
	netns_get(netns);
	return 0;
}

void ns_free_all(struct contid_world *w)
{
	while (w->netns_live) {
		struct netns *ns = w->netns_live;
		w->netns_live = ns->next_live;
		cx_free(ns);
	}
	while (w->userns_live) {
		struct userns *ns = w->userns_live;
		w->userns_live = ns->next_live;
		cx_free(ns);
	}
}

/* ------------------------------------------------------------- clone */

/* A namespace of the original and its copy. */
struct ns_pair {
	const void *from;
	void *to;
};

static int ns_pair_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct ns_pair *)a)->from;
	uintptr_t y = (uintptr_t)((const struct ns_pair *)b)->from;

	return (x > y) - (x < y);
}

/* The copy of @from, which the sorted @pairs must hold. */
static void *ns_copy_of(const struct ns_pair *pairs, size_t n, const void *from)
{
	size_t lo = 0, hi = n;

	while (lo + 1 < hi) {
		size_t mid = (lo + hi) / 2;
		if ((uintptr_t)pairs[mid].from <= (uintptr_t)from)
			lo = mid;
		else
			hi = mid;
	}
	return pairs[lo].to;
}

/* Copies the live lists of @w into @c, in order; @pairs gets both. */
static int ns_copy_lists(struct contid_world *c, const struct contid_world *w,
			 struct ns_pair *pairs, size_t *nu, size_t *nn)
{
	struct userns **utail = &c->userns_live, *uprev = NULL;
	struct netns **ntail = &c->netns_live, *nprev = NULL;

	for (const struct userns *ns = w->userns_live; ns; ns = ns->next_live) {
		struct userns *copy = cx_malloc(sizeof(*copy));
		if (!copy)
			return -ENOMEM;
		*copy = *ns;
		copy->next_live = NULL;
		copy->prev_live = uprev;
		*utail = uprev = copy;
		utail = &copy->next_live;
		pairs[(*nu)++] = (struct ns_pair){ ns, copy };
	}
	for (const struct netns *ns = w->netns_live; ns; ns = ns->next_live) {
		struct netns *copy = cx_malloc(sizeof(*copy));
		if (!copy)
			return -ENOMEM;
		*copy = *ns;
		copy->ids.front = NULL;
		copy->ids.nentries = 0;
		copy->next_live = NULL;
		copy->prev_live = nprev;
		*ntail = nprev = copy;
		ntail = &copy->next_live;
		pairs[*nu + (*nn)++] = (struct ns_pair){ ns, copy };
	}
	return 0;
}

int ns_clone(struct contid_world *c, const struct contid_world *w)
{
	size_t nu = 0, nn = 0, n = 0;

	for (const struct userns *ns = w->userns_live; ns; ns = ns->next_live)
		n++;
	for (const struct netns *ns = w->netns_live; ns; ns = ns->next_live)
		n++;
	/* small worlds have a few namespaces: no allocation for them */
	struct ns_pair few[16], *pairs = few;
	if (n > sizeof(few) / sizeof(few[0])) {
		pairs = cx_malloc(n * sizeof(*pairs));
		if (!pairs)
			return -ENOMEM;
	}
	int r = ns_copy_lists(c, w, pairs, &nu, &nn);
	if (r < 0)
		goto out;
	struct ns_pair *upairs = pairs, *npairs = pairs + nu;
	qsort(upairs, nu, sizeof(*pairs), ns_pair_cmp);
	qsort(npairs, nn, sizeof(*pairs), ns_pair_cmp);

	for (struct userns *ns = c->userns_live; ns; ns = ns->next_live)
		if (ns->parent)
			ns->parent = ns_copy_of(upairs, nu, ns->parent);
	for (struct netns *ns = c->netns_live; ns; ns = ns->next_live)
		ns->owner = ns_copy_of(upairs, nu, ns->owner);
	c->init_userns = ns_copy_of(upairs, nu, w->init_userns);
	c->init_netns = ns_copy_of(npairs, nn, w->init_netns);

	/* tasks mostly share their namespaces with the one before */
	const void *ufrom = NULL, *nfrom = NULL;
	struct userns *uto = NULL;
	struct netns *nto = NULL;
	for (uint32_t slot = 1; slot <= c->slots_used; slot++) {
		struct task *t = task_at(c, slot);
		if (t->state == TASK_FREE)
			continue;
		if (t->userns != ufrom) {
			ufrom = t->userns;
			uto = ns_copy_of(upairs, nu, ufrom);
		}
		if (t->netns != nfrom) {
			nfrom = t->netns;
			nto = ns_copy_of(npairs, nn, nfrom);
		}
		t->userns = uto;
		t->netns = nto;
	}

	const struct netns *from = w->netns_live;
	for (struct netns *ns = c->netns_live; ns && r == 0; ns = ns->next_live) {
		r = idlist_clone(c, &ns->ids, &from->ids);
		from = from->next_live;
	}
out:
	if (pairs != few)
		cx_free(pairs);
	return r;
}

/* ------------------------------------------------------------- copy */

void ns_copy_abort(struct ns_copy *sc)
{
	for (size_t i = 0; i < sc->nusers; i++)
		cx_free(sc->users[i]);
	for (size_t i = 0; i < sc->nnets; i++)
		cx_free(sc->nets[i]);
	sc->nusers = sc->nnets = 0;
}

int ns_copy_prepare(struct ns_copy *sc, const struct contid_world *dst,
		    const struct contid_world *src)
{
	size_t nu = 0, nn = 0;

	sc->nusers = sc->nnets = 0;
	for (const struct userns *ns = src->userns_live; ns; ns = ns->next_live)
		nu++;
	for (const struct netns *ns = src->netns_live; ns; ns = ns->next_live)
		nn++;
	if (nu > COPY_FEW_NS || nn > COPY_FEW_NS)
		return -E2BIG;
	for (const struct userns *ns = dst->userns_live; ns && nu; ns = ns->next_live)
		nu--;
	for (const struct netns *ns = dst->netns_live; ns && nn; ns = ns->next_live)
		nn--;
	while (sc->nusers < nu) {
		if (!(sc->users[sc->nusers] = cx_malloc(sizeof(struct userns))))
			goto nomem;
		sc->nusers++;
	}
	while (sc->nnets < nn) {
		if (!(sc->nets[sc->nnets] = cx_malloc(sizeof(struct netns))))
			goto nomem;
		sc->nnets++;
	}
	return 0;
nomem:
	ns_copy_abort(sc);
	return -ENOMEM;
}

void ns_copy_commit(struct contid_world *dst, const struct contid_world *src,
		    struct ns_copy *sc, struct objs_copy *oc)
{
	struct copy_map *um = &sc->umap, *nm = &sc->nmap;

	/* @dst's namespaces, then the new ones, take @src's in turn */
	struct userns *upool = dst->userns_live, *uprev = NULL;
	um->n = 0;
	dst->userns_live = NULL;
	for (const struct userns *ns = src->userns_live; ns; ns = ns->next_live) {
		struct userns *copy = upool ? upool : sc->users[--sc->nusers];
		if (upool)
			upool = upool->next_live;
		*copy = *ns;
		copy->next_live = NULL;
		copy->prev_live = uprev;
		if (uprev)
			uprev->next_live = copy;
		else
			dst->userns_live = copy;
		uprev = copy;
		um->from[um->n] = ns;
		um->to[um->n++] = copy;
	}
	while (upool) {
		struct userns *next = upool->next_live;
		cx_free(upool);
		upool = next;
	}
	struct netns *npool = dst->netns_live, *nprev = NULL;
	nm->n = 0;
	dst->netns_live = NULL;
	for (const struct netns *ns = src->netns_live; ns; ns = ns->next_live) {
		struct netns *copy = npool ? npool : sc->nets[--sc->nnets];
		if (npool)
			npool = npool->next_live;
		*copy = *ns;
		copy->ids.front = NULL;
		copy->ids.nentries = 0;
		copy->next_live = NULL;
		copy->prev_live = nprev;
		if (nprev)
			nprev->next_live = copy;
		else
			dst->netns_live = copy;
		nprev = copy;
		nm->from[nm->n] = ns;
		nm->to[nm->n++] = copy;
	}
	while (npool) {
		struct netns *next = npool->next_live;
		cx_free(npool);
		npool = next;
	}

	for (struct userns *ns = dst->userns_live; ns; ns = ns->next_live)
		if (ns->parent)
			ns->parent = copy_map_to(um, ns->parent);
	for (struct netns *ns = dst->netns_live; ns; ns = ns->next_live)
		ns->owner = copy_map_to(um, ns->owner);
	dst->init_userns = copy_map_to(um, src->init_userns);
	dst->init_netns = copy_map_to(nm, src->init_netns);
	/* the extra entries were prepared: this allocates nothing */
	for (size_t i = 0; i < nm->n; i++)
		(void)idlist_copy(dst, &((struct netns *)nm->to[i])->ids,
				  &((const struct netns *)nm->from[i])->ids, oc);
}

/* Moves a running task to another network namespace (prepared). */
static void task_move_netns(struct contid_world *w, struct task *t,
			    struct netns *to)
{
	if (t->obj) {
		idlist_release(w, &t->netns->ids, t->obj);
		idlist_hold(w, &to->ids, t->obj);
	}
	netns_get(to);
	netns_put(w, t->netns);
	t->netns = to;
}

/* ------------------------------------------------------------ unshare */

static const struct refusal unshare_not_alone = {
	"R-UNSHARE", EINVAL,
	"the task is not the leader of a single-threaded process", NULL };
static const struct refusal unshare_bad_type = {
	"R-UNSHARE", EINVAL, "the namespace type is neither user nor net",
	NULL };
static const struct refusal unshare_net_no_admin = {
	"R-UNSHARE", EPERM,
	"the task lacks CAP_SYS_ADMIN in its user namespace", NULL };

static bool single_threaded_leader(const struct contid_world *w,
				   const struct task *t)
{
	const struct task *proc = proc_of(w, t);
	return t == proc && proc->nr_live == 1;
}

static int enter_new_userns(struct contid_world *w, struct task *t)
{
	const struct refusal *refusal = userns_may_create(t);
	if (refusal)
		return refuse(w, refusal);
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
		int r = idlist_prepare(w, &to->ids, t->obj);
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
		return refuse(w, &refusal_not_running);
	if (nstype == CONTID_NS_USER) {
		if (!single_threaded_leader(w, t))
			return refuse(w, &unshare_not_alone);
		return enter_new_userns(w, t);
	}
	if (nstype != CONTID_NS_NET)
		return refuse(w, &unshare_bad_type);
	if (!ns_capable(t, t->userns, CONTID_CAP_SYS_ADMIN))
		return refuse(w, &unshare_net_no_admin);
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

static const struct refusal setns_other_not_running = {
	"R-SETNS", ESRCH,
	"the task whose namespace would be joined is not running", NULL };
static const struct refusal setns_same_userns = {
	"R-SETNS", EINVAL, "the task is in that user namespace already", NULL };
static const struct refusal setns_not_alone = {
	"R-SETNS", EINVAL,
	"the task is not the leader of a single-threaded process", NULL };
static const struct refusal setns_user_no_admin = {
	"R-SETNS", EPERM,
	"the task lacks CAP_SYS_ADMIN in the user namespace it would join",
	NULL };
static const struct refusal setns_bad_type = {
	"R-SETNS", EINVAL, "the namespace type is neither user nor net", NULL };
static const struct refusal setns_net_no_admin_owner = {
	"R-SETNS", EPERM,
	"the task lacks CAP_SYS_ADMIN in the user namespace owning that "
	"network namespace", NULL };
static const struct refusal setns_net_no_admin_own = {
	"R-SETNS", EPERM,
	"the task lacks CAP_SYS_ADMIN in its own user namespace", NULL };

static int do_setns(struct contid_world *w, pid_t pid, int nstype, pid_t other_pid)
{
	struct task *t = running_task(w, pid);
	if (!t)
		return refuse(w, &refusal_not_running);
	struct task *other = running_task(w, other_pid);
	if (!other)
		return refuse(w, &setns_other_not_running);
	if (nstype == CONTID_NS_USER) {
		struct userns *to = other->userns;
		if (to == t->userns)
			return refuse(w, &setns_same_userns);
		if (!single_threaded_leader(w, t))
			return refuse(w, &setns_not_alone);
		if (!ns_capable(t, to, CONTID_CAP_SYS_ADMIN))
			return refuse(w, &setns_user_no_admin);
		userns_get(to);
		userns_put(w, t->userns);
		t->userns = to;
		t->caps = CAPS_ALL;
		return 0;
	}
	if (nstype != CONTID_NS_NET)
		return refuse(w, &setns_bad_type);
	struct netns *to = other->netns;
	/* Linux checks the capabilities even for the namespace it is in */
	if (!ns_capable(t, to->owner, CONTID_CAP_SYS_ADMIN))
		return refuse(w, &setns_net_no_admin_owner);
	if (!ns_capable(t, t->userns, CONTID_CAP_SYS_ADMIN))
		return refuse(w, &setns_net_no_admin_own);
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

static const struct refusal setuid_invalid = {
	"R-SETUID", EINVAL, "4294967295 is not a valid uid", NULL };
static const struct refusal setuid_unmapped = {
	"R-SETUID", EINVAL,
	"the uid is not mapped in the task's user namespace", NULL };
static const struct refusal setuid_no_cap = {
	"R-SETUID", EPERM, "the task lacks CAP_SETUID in its user namespace",
	NULL };
static const struct refusal drop_cap_unknown = {
	"DROP-CAP", EINVAL, "no capability has this number", NULL };

static int do_setuid(struct contid_world *w, pid_t pid, uint32_t uid)
{
	struct task *t = running_task(w, pid);
	if (!t)
		return refuse(w, &refusal_not_running);
	if (uid == UINT32_MAX)
		return refuse(w, &setuid_invalid);
	if (!uid_mapped(t->userns, uid))
		return refuse(w, &setuid_unmapped);
	if (uid == t->uid)
		return 0;
	if (!ns_capable(t, t->userns, CONTID_CAP_SETUID))
		return refuse(w, &setuid_no_cap);
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
		return op_end(w, refuse(w, &refusal_not_running));
	if (cap < 0 || cap > CONTID_CAP_LAST_CAP)
		return op_end(w, refuse(w, &drop_cap_unknown));
	t->caps &= ~(UINT64_C(1) << cap);
	return op_end(w, 0);
}

/* ---------------------------------------------------------- inspection */

CONTID_EXPORT int contid_task_userns_level(const struct contid_world *w,
					   pid_t pid, unsigned *level)
{
	if (!w || !level)
		return -EINVAL;
	const struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	*level = t->userns->level;
	return 0;
}

CONTID_EXPORT int contid_task_has_cap(const struct contid_world *w, pid_t pid,
				      int cap, int *has)
{
	if (!w || !has)
		return -EINVAL;
	const struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	if (cap < 0 || cap > CONTID_CAP_LAST_CAP)
		return -EINVAL;
	*has = (int)(t->caps >> cap & 1);
	return 0;
}

CONTID_EXPORT int contid_task_capable(const struct contid_world *w, pid_t pid,
				      int cap, int *capable)
{
	if (!w || !capable)
		return -EINVAL;
	const struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	if (cap < 0 || cap > CONTID_CAP_LAST_CAP)
		return -EINVAL;
	*capable = task_capable(w, t, cap);
	return 0;
}

CONTID_EXPORT int contid_task_netns_ids(const struct contid_world *w, pid_t pid,
					uint64_t *ids, size_t max)
{
	if (!w || (!ids && max))
		return -EINVAL;
	const struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	int n = 0;
	for (const struct netns_entry *e = t->netns->ids.front; e; e = e->front_next) {
		if ((size_t)n < max)
			ids[n] = e->obj->value;
		if (n == INT32_MAX)
			return -EOVERFLOW;
		n++;
	}
	return n;
}
