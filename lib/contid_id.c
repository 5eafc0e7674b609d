/*
 * Audit container ID objects (docs/semantics.md section 6) and the ID lists
 * of network namespaces (section 7), and what can be asked about them.
 *
 * Where it sits: above the tree, below namespaces (a network namespace
 * embeds its list), the rule book, the records and every operation.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "contid-alloc.h"
#include "contid-export.h"
#include "contid-id.h"
#include "contid-tree.h"

/* ----------------------------------------------------------- objects */

struct contid_obj *obj_find(const struct contid_world *w, uint64_t value)
{
	struct contid_obj *obj = NULL;

	HASH_FIND(hh, w->objs, &value, sizeof(value), obj);
	return obj;
}

uint64_t obj_lowest_free(const struct contid_world *w)
{
	uint64_t v = w->alloc_hint;

	while (obj_find(w, v))
		v++;
	return v;
}

/* Printed length of a chain: the value, then ",^" and the parent's chain. */
static uint32_t chain_len_new(uint64_t value, const struct contid_obj *parent)
{
	uint64_t len = dec_digits(value) +
		       (parent ? 2 + (uint64_t)parent->chain_len : 0);

	/* a chain this long would need ~200 million nested objects; were it
	 * reached, records would be cut short rather than overflow */
	return len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
}

struct contid_obj *obj_new(struct contid_world *w, uint64_t value,
			   const struct task *owner, struct contid_obj *parent,
			   bool fresh)
{
	struct contid_obj *obj = cx_calloc(1, sizeof(*obj));
	if (!obj)
		return NULL;
	obj->value = value;
	if (owner) {
		const struct task *oproc = proc_of(w, owner);
		obj->owner_identity = owner->identity;
		obj->owner_slot = slot_of(w, owner);
		obj->owner_proc_identity = oproc->identity;
		obj->owner_proc_slot = slot_of(w, oproc);
	}
	obj->parent = parent;
	obj->chain_len = chain_len_new(obj->value, obj->parent);
	HASH_ADD(hh, w->objs, value, sizeof(obj->value), obj);
	if (!obj->hh.tbl) {
		cx_free(obj);
		return NULL;
	}
	if (obj->parent)
		obj->parent->child_refs++;
	if (fresh) /* every value below it was in use when scanned */
		w->alloc_hint = obj->value + 1;
	return obj;
}

static void obj_unlink(struct contid_world *w, struct contid_obj *obj)
{
	if (obj->value < w->alloc_hint)
		w->alloc_hint = obj->value ? obj->value : 1;
	HASH_DEL(w->objs, obj);
	cx_free(obj);
}

void obj_discard_new(struct contid_world *w, struct contid_obj *obj)
{
	if (obj->parent)
		obj->parent->child_refs--;
	obj_unlink(w, obj);
}

void obj_get(struct contid_obj *obj)
{
	obj->task_refs++;
}

uint32_t obj_held(const struct contid_obj *obj)
{
	return obj->task_refs + obj->child_refs + obj->leaked_refs;
}

uint32_t obj_refs(const struct contid_world *w, const struct contid_obj *obj)
{
	return obj_held(obj) + (w->pinned == obj);
}

struct contid_obj *obj_put_task(struct contid_obj *obj)
{
	obj->task_refs--;
	return obj_held(obj) == 0 ? obj : NULL;
}

struct contid_obj *obj_free(struct contid_world *w, struct contid_obj *obj,
			    bool leak_parent)
{
	struct contid_obj *parent = obj->parent;

	if (obj == w->pinned)
		return NULL; /* R-SIG-RELEASE: the pin keeps it, parent and all */
	obj_unlink(w, obj);
	if (!parent)
		return NULL;
	parent->child_refs--;
	if (leak_parent)
		parent->leaked_refs++;
	return obj_held(parent) == 0 ? parent : NULL;
}

bool obj_only_pinned(const struct contid_world *w, const struct contid_obj *obj)
{
	return obj == w->pinned && obj_held(obj) == 0;
}

void obj_unpin(struct contid_world *w, bool leak_parent)
{
	struct contid_obj *obj = w->pinned;

	w->pinned = NULL;
	if (!obj || obj_held(obj) > 0)
		return;
	for (struct contid_obj *o = obj_free(w, obj, false); o;
	     o = obj_free(w, o, leak_parent))
		;
}

void obj_pin(struct contid_world *w, struct contid_obj *obj)
{
	w->pinned = obj;
}

const struct task *obj_owner_process(const struct contid_world *w,
				     const struct contid_obj *obj)
{
	if (!obj->owner_identity)
		return NULL; /* a shared value (v6, bits) has no owner */
	const struct task *p = task_at(w, obj->owner_proc_slot);
	return p->state != TASK_FREE && p->identity == obj->owner_proc_identity
	       ? p : NULL;
}

void objs_free_all(struct contid_world *w)
{
	struct contid_obj *obj, *tmp;

	HASH_ITER(hh, w->objs, obj, tmp) {
		HASH_DEL(w->objs, obj);
		cx_free(obj);
	}
}

int objs_clone(struct contid_world *c, const struct contid_world *w)
{
	const struct contid_obj *obj, *tmp;

	HASH_ITER(hh, w->objs, obj, tmp) {
		struct contid_obj *copy = cx_malloc(sizeof(*copy));
		if (!copy)
			return -ENOMEM;
		*copy = *obj;
		memset(&copy->hh, 0, sizeof(copy->hh));
		memset(&copy->home, 0, sizeof(copy->home));
		HASH_ADD(hh, c->objs, value, sizeof(copy->value), copy);
		if (!copy->hh.tbl) {
			cx_free(copy);
			return -ENOMEM;
		}
	}
	/* A parent is older than its children, but look it up all the same. */
	struct contid_obj *copy, *ctmp;
	HASH_ITER(hh, c->objs, copy, ctmp)
		if (copy->parent)
			copy->parent = obj_find(c, copy->parent->value);
	for (uint32_t slot = 1; slot <= c->slots_used; slot++) {
		struct task *t = task_at(c, slot);
		if (t->state != TASK_FREE && t->obj)
			t->obj = obj_find(c, t->obj->value);
	}
	if (w->pinned)
		c->pinned = obj_find(c, w->pinned->value);
	return 0;
}

/* ------------------------------------------------------------ ID lists */

struct netns_entry *idlist_find(const struct contid_world *w,
				const struct id_list *list, struct contid_obj *obj)
{
	struct netns_extra *x = NULL;

	if (obj->home.list == list)
		return &obj->home;
	if (w->netns_extras) {
		const void *key[2] = { obj, list };
		HASH_FIND(hh, w->netns_extras, key, NETNS_KEY_LEN, x);
	}
	return x ? &x->e : NULL;
}

/* Removes an entry whose count is 0 (it is not in the front list). */
static void entry_free(struct contid_world *w, struct id_list *list,
		       struct netns_entry *e)
{
	list->nentries--;
	if (e == &e->obj->home) {
		e->list = NULL;
		return;
	}
	struct netns_extra *x = (struct netns_extra *)e;
	HASH_DEL(w->netns_extras, x);
	cx_free(x);
}

void idlist_clear(struct contid_world *w, struct id_list *list)
{
	while (list->front) {
		struct netns_entry *e = list->front;
		list->front = e->front_next;
		e->count = 0;
		entry_free(w, list, e);
	}
}

void idlist_free_all_extras(struct contid_world *w)
{
	struct netns_extra *x, *tmp;

	HASH_ITER(hh, w->netns_extras, x, tmp) {
		HASH_DEL(w->netns_extras, x);
		cx_free(x);
	}
}

int idlist_prepare(struct contid_world *w, struct id_list *list,
		   struct contid_obj *obj)
{
	if (idlist_find(w, list, obj))
		return 0;

	struct netns_entry *e = &obj->home;
	if (e->list) {
		struct netns_extra *x = cx_calloc(1, sizeof(*x));
		if (!x)
			return -ENOMEM;
		x->e.obj = obj;
		x->e.list = list;
		HASH_ADD(hh, w->netns_extras, e.obj, NETNS_KEY_LEN, x);
		if (!x->hh.tbl) {
			cx_free(x);
			return -ENOMEM;
		}
		e = &x->e;
	} else {
		e->obj = obj;
		e->list = list;
		e->front_prev = e->front_next = NULL;
		e->count = 0;
	}
	list->nentries++;
	return 0;
}

void idlist_hold(struct contid_world *w, struct id_list *list,
		 struct contid_obj *obj)
{
	struct netns_entry *e = idlist_find(w, list, obj);

	if (!e)
		return; /* not prepared: a bug, but never a crash */
	if (e->count++ == 0) {
		e->front_prev = NULL;
		e->front_next = list->front;
		if (list->front)
			list->front->front_prev = e;
		list->front = e;
	}
}

void idlist_release(struct contid_world *w, struct id_list *list,
		    struct contid_obj *obj)
{
	struct netns_entry *e = idlist_find(w, list, obj);

	if (!e || --e->count > 0)
		return;
	if (e->front_prev)
		e->front_prev->front_next = e->front_next;
	else
		list->front = e->front_next;
	if (e->front_next)
		e->front_next->front_prev = e->front_prev;
	entry_free(w, list, e);
}

int idlist_clone(struct contid_world *c, struct id_list *dst,
		 const struct id_list *src)
{
	return idlist_copy(c, dst, src, NULL);
}

/* ------------------------------------------------------------- copy */

/* Empty: the counts and pointers only (the arrays are read up to them). */
static void objs_copy_reset(struct objs_copy *oc)
{
	oc->map.n = oc->n = oc->nextras = oc->nold = 0;
	oc->head = NULL;
	oc->anchor = NULL;
}

void objs_copy_abort(struct objs_copy *oc)
{
	if (oc->head)
		HASH_DEL(oc->head, oc->fresh[0]); /* frees its table */
	for (size_t i = 0; i < oc->n; i++)
		cx_free(oc->fresh[i]);
	if (oc->anchor) {
		struct netns_extra *anchor = oc->anchor;
		HASH_DEL(oc->anchor, anchor);
		cx_free(anchor);
	}
	for (size_t i = 0; i < oc->nextras; i++)
		cx_free(oc->extras[i]);
	objs_copy_reset(oc);
}

int objs_copy_prepare(struct objs_copy *oc, const struct contid_world *dst,
		      const struct contid_world *src)
{
	const struct contid_obj *obj, *tmp;
	size_t missing = 0;
	size_t xs = HASH_COUNT(src->netns_extras), xd = HASH_COUNT(dst->netns_extras);

	objs_copy_reset(oc);
	if (HASH_COUNT(src->objs) > COPY_FEW_IDS || xs > COPY_FEW_EXTRAS ||
	    xd > COPY_FEW_EXTRAS)
		return -E2BIG;
	/* which object of @dst becomes the copy of each of @src's, in
	 * @src's order: its own of the same value, else a new one */
	HASH_ITER(hh, src->objs, obj, tmp) {
		oc->map.from[oc->map.n] = obj;
		oc->map.to[oc->map.n] = obj_find(dst, obj->value);
		missing += !oc->map.to[oc->map.n++];
	}
	struct netns_extra *x, *xtmp;
	HASH_ITER(hh, dst->netns_extras, x, xtmp)
		oc->old[oc->nold++] = x;
	/* A table holding fewer entries than a bucket may hold before the
	 * table grows takes them all without allocating.  The new objects
	 * join @dst's before its others leave; the new extra entries join
	 * its old ones, and an anchor when it has none, which keeps the
	 * table while the old ones leave. */
	if (HASH_COUNT(dst->objs) + missing >= HASH_BKT_CAPACITY_THRESH ||
	    xd + xs + 1 >= HASH_BKT_CAPACITY_THRESH)
		return -E2BIG;
	for (size_t i = 0; i < oc->map.n; i++) {
		if (oc->map.to[i])
			continue;
		struct contid_obj *o = cx_malloc(sizeof(*o));
		if (!o)
			goto nomem;
		o->value = ((const struct contid_obj *)oc->map.from[i])->value;
		oc->fresh[oc->n++] = o;
		oc->map.to[i] = o;
	}
	while (oc->nextras < xs) {
		if (!(oc->extras[oc->nextras] = cx_calloc(1, sizeof(*x))))
			goto nomem;
		oc->nextras++;
	}
	/* a world without objects has no table: make it now */
	if (oc->n && !dst->objs) {
		HASH_ADD(hh, oc->head, value, sizeof(oc->fresh[0]->value),
			 oc->fresh[0]);
		if (!oc->fresh[0]->hh.tbl)
			goto nomem;
	}
	if (xs && !xd) {
		/* its key, (NULL, NULL), is no entry's */
		struct netns_extra *anchor = cx_calloc(1, sizeof(*anchor));
		if (!anchor)
			goto nomem;
		HASH_ADD(hh, oc->anchor, e.obj, NETNS_KEY_LEN, anchor);
		if (!anchor->hh.tbl) {
			cx_free(anchor);
			goto nomem;
		}
	}
	return 0;
nomem:
	objs_copy_abort(oc);
	return -ENOMEM;
}

void objs_copy_commit(struct contid_world *dst, const struct contid_world *src,
		      struct objs_copy *oc)
{
	struct contid_obj *o, *otmp, *prev = NULL;

	if (oc->head)
		dst->objs = oc->head;    /* fresh[0] is in it already */
	if (oc->anchor)
		dst->netns_extras = oc->anchor;
	for (size_t i = 0; i < oc->n; i++)
		if (oc->fresh[i] != oc->head)
			HASH_ADD(hh, dst->objs, value, sizeof(oc->fresh[i]->value),
				 oc->fresh[i]);
	/* the others of @dst go */
	HASH_ITER(hh, dst->objs, o, otmp) {
		size_t i = 0;
		while (i < oc->map.n && oc->map.to[i] != o)
			i++;
		if (i == oc->map.n) {
			HASH_DEL(dst->objs, o);
			cx_free(o);
		}
	}
	/* each copy takes its original's fields and place in @src's order,
	 * which contid_id_list() shows: the table's list of all its objects
	 * is relinked (its buckets stay as they are) */
	for (size_t i = 0; i < oc->map.n; i++) {
		o = oc->map.to[i];
		UT_hash_handle hh = o->hh;
		*o = *(const struct contid_obj *)oc->map.from[i];
		o->hh = hh;
		memset(&o->home, 0, sizeof(o->home));
		if (o->parent)
			o->parent = copy_map_to(&oc->map, o->parent);
		o->hh.prev = prev;
		o->hh.next = NULL;
		if (prev)
			prev->hh.next = o;
		else
			dst->objs = o;
		prev = o;
	}
	if (prev)
		prev->hh.tbl->tail = &prev->hh;
	dst->pinned = src->pinned ? copy_map_to(&oc->map, src->pinned) : NULL;
	oc->n = 0;
	oc->head = NULL;
}

int idlist_copy(struct contid_world *c, struct id_list *dst,
		const struct id_list *src, struct objs_copy *oc)
{
	struct netns_entry *last = NULL;

	for (const struct netns_entry *e = src->front; e; e = e->front_next) {
		struct contid_obj *obj = oc ? copy_map_to(&oc->map, e->obj)
					    : obj_find(c, e->obj->value);
		struct netns_entry *copy = &obj->home;
		if (e != &e->obj->home) {
			struct netns_extra *x;
			if (oc) {
				x = oc->extras[--oc->nextras];
			} else if (!(x = cx_calloc(1, sizeof(*x)))) {
				return -ENOMEM;
			}
			x->e.obj = obj;
			x->e.list = dst;
			HASH_ADD(hh, c->netns_extras, e.obj, NETNS_KEY_LEN, x);
			if (!x->hh.tbl) {
				cx_free(x);
				return -ENOMEM;
			}
			copy = &x->e;
		}
		copy->obj = obj;
		copy->list = dst;
		copy->count = e->count;
		copy->front_prev = last;
		copy->front_next = NULL;
		if (last)
			last->front_next = copy;
		else
			dst->front = copy;
		last = copy;
		dst->nentries++;
	}
	return 0;
}

void objs_copy_finish(struct contid_world *dst, struct objs_copy *oc)
{
	/* the new entries are in: the old ones and the anchor can go */
	for (size_t i = 0; i < oc->nold; i++) {
		HASH_DEL(dst->netns_extras, oc->old[i]);
		cx_free(oc->old[i]);
	}
	if (oc->anchor) {
		struct netns_extra *anchor = oc->anchor;
		HASH_DEL(dst->netns_extras, anchor);
		cx_free(anchor);
	}
	objs_copy_reset(oc);
}

/* ---------------------------------------------------------- inspection */

CONTID_EXPORT int contid_task_contid(const struct contid_world *w, pid_t pid,
				     uint64_t *id)
{
	if (!w || !id)
		return -EINVAL;
	const struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	*id = t->obj ? t->obj->value : CONTID_UNSET;
	return 0;
}

CONTID_EXPORT int contid_id_owner(const struct contid_world *w, uint64_t value,
				  uint64_t *owner_identity, pid_t *owner_pid)
{
	if (!w)
		return -EINVAL;
	const struct contid_obj *obj = obj_find(w, value);
	if (!obj)
		return -ENOENT;
	const struct task *owner = task_at(w, obj->owner_slot);
	bool exists = owner->state != TASK_FREE &&
		      owner->identity == obj->owner_identity;
	if (owner_identity)
		*owner_identity = obj->owner_identity;
	if (owner_pid)
		*owner_pid = exists ? (pid_t)owner->pid : 0;
	return 0;
}

CONTID_EXPORT int contid_id_parent(const struct contid_world *w, uint64_t value,
				   uint64_t *parent)
{
	if (!w || !parent)
		return -EINVAL;
	const struct contid_obj *obj = obj_find(w, value);
	if (!obj)
		return -ENOENT;
	*parent = obj->parent ? obj->parent->value : CONTID_UNSET;
	return 0;
}

CONTID_EXPORT int contid_id_users(const struct contid_world *w, uint64_t value,
				  unsigned *users)
{
	if (!w || !users)
		return -EINVAL;
	const struct contid_obj *obj = obj_find(w, value);
	if (!obj)
		return -ENOENT;
	*users = obj->task_refs;
	return 0;
}

CONTID_EXPORT int contid_id_refs(const struct contid_world *w, uint64_t value,
				 unsigned *refs)
{
	if (!w || !refs)
		return -EINVAL;
	const struct contid_obj *obj = obj_find(w, value);
	if (!obj)
		return -ENOENT;
	*refs = obj_refs(w, obj);
	return 0;
}

CONTID_EXPORT int contid_pinned(const struct contid_world *w, uint64_t *value)
{
	if (!w || !value)
		return -EINVAL;
	if (!w->pinned)
		return -ENOENT;
	*value = w->pinned->value;
	return 0;
}

CONTID_EXPORT size_t contid_id_count(const struct contid_world *w)
{
	return w ? HASH_COUNT(w->objs) : 0;
}

CONTID_EXPORT int contid_id_list(const struct contid_world *w, uint64_t *values,
				 size_t max)
{
	const struct contid_obj *obj, *tmp;
	size_t n = 0;

	if (!w || (!values && max))
		return -EINVAL;
	HASH_ITER(hh, w->objs, obj, tmp) {
		if (n < max)
			values[n] = obj->value;
		n++;
	}
	return n > INT32_MAX ? -EOVERFLOW : (int)n;
}
