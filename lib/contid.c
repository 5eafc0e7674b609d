/*
 * The world: creation, configuration, the operation clock, and the
 * inspection functions that read state without acting on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contid-private.h"

#define RECBUF_INITIAL_SIZE 4096u

CONTID_EXPORT int contid_world_new(struct contid_world **ret)
{
	if (!ret)
		return -EINVAL;
	struct contid_world *w = cx_calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->audit = true;
	w->profile = profile_default();
	w->depth_limit = 4;
	w->alloc_hint = 1;
	w->init_userns = userns_new(NULL, 0);
	w->init_netns = w->init_userns ? netns_new(w->init_userns) : NULL;
	w->recbuf = cx_malloc(RECBUF_INITIAL_SIZE);
	if (!w->init_userns || !w->init_netns || !w->recbuf) {
		cx_free(w->init_userns);
		cx_free(w->init_netns);
		cx_free(w->recbuf);
		cx_free(w);
		return -ENOMEM;
	}
	w->recbuf_size = RECBUF_INITIAL_SIZE;
	/* the world itself holds the initial namespaces */
	userns_link(w, w->init_userns);
	userns_get(w->init_userns);
	netns_link(w, w->init_netns);
	netns_get(w->init_netns);
	if (tree_init(w) < 0) {
		contid_world_free(w);
		return -ENOMEM;
	}
	*ret = w;
	return 0;
}

CONTID_EXPORT void contid_world_free(struct contid_world *w)
{
	if (!w)
		return;
	tree_free(w);
	netns_free_all_extras(w);  /* home entries go with their objects */
	objs_free_all(w);
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
	cx_free(w->recbuf);
	cx_free(w);
}

CONTID_EXPORT int contid_world_set_limit(struct contid_world *w, int what,
				       unsigned long max)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	switch (what) {
	case CONTID_LIMIT_TASKS:
		w->max_tasks = max;
		return 0;
	case CONTID_LIMIT_IDS:
		w->max_ids = max;
		return 0;
	default:
		return -EINVAL;
	}
}

CONTID_EXPORT int contid_world_set_audit(struct contid_world *w, int enabled)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	w->audit = enabled != 0;
	return 0;
}

CONTID_EXPORT int contid_world_set_record_callback(struct contid_world *w,
						   contid_record_fn fn,
						   void *userdata)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	w->record_fn = fn;
	w->record_data = userdata;
	return 0;
}

void op_begin(struct contid_world *w)
{
	w->op_stamp = w->clock_ms;
	w->op_has_event = false;
}

int op_end(struct contid_world *w, int ret)
{
	if (ret != -ENOMEM)
		w->clock_ms++;
	return ret;
}

/* ---------------------------------------------------------- inspection */

static const struct task *lookup(const struct contid_world *w, pid_t pid)
{
	return w ? task_by_pid(w, pid) : NULL;
}

CONTID_EXPORT int contid_task_state(const struct contid_world *w, pid_t pid,
				    int *state)
{
	const struct task *t = lookup(w, pid);
	if (!t)
		return -ESRCH;
	if (!state)
		return -EINVAL;
	*state = t->state == TASK_RUNNING ? CONTID_TASK_RUNNING : CONTID_TASK_ZOMBIE;
	return 0;
}

CONTID_EXPORT int contid_task_identity(const struct contid_world *w, pid_t pid,
				       uint64_t *identity)
{
	const struct task *t = lookup(w, pid);
	if (!t)
		return -ESRCH;
	if (!identity)
		return -EINVAL;
	*identity = t->identity;
	return 0;
}

CONTID_EXPORT int contid_task_tgid(const struct contid_world *w, pid_t pid,
				   pid_t *tgid)
{
	const struct task *t = lookup(w, pid);
	if (!t)
		return -ESRCH;
	if (!tgid)
		return -EINVAL;
	*tgid = (pid_t)proc_of(w, t)->pid;
	return 0;
}

CONTID_EXPORT int contid_task_ppid(const struct contid_world *w, pid_t pid,
				   pid_t *ppid)
{
	const struct task *t = lookup(w, pid);
	if (!t)
		return -ESRCH;
	if (!ppid)
		return -EINVAL;
	const struct task *proc = proc_of(w, t);
	*ppid = proc->parent != NO_TASK ? (pid_t)task_at(w, proc->parent)->pid : 0;
	return 0;
}

CONTID_EXPORT int contid_task_uid(const struct contid_world *w, pid_t pid,
				  uint32_t *uid)
{
	const struct task *t = lookup(w, pid);
	if (!t)
		return -ESRCH;
	if (!uid)
		return -EINVAL;
	*uid = t->uid;
	return 0;
}

CONTID_EXPORT int contid_task_userns_level(const struct contid_world *w,
					   pid_t pid, unsigned *level)
{
	const struct task *t = lookup(w, pid);
	if (!t)
		return -ESRCH;
	if (!level)
		return -EINVAL;
	*level = t->userns->level;
	return 0;
}

CONTID_EXPORT int contid_task_has_cap(const struct contid_world *w, pid_t pid,
				      int cap, int *has)
{
	const struct task *t = lookup(w, pid);
	if (!t)
		return -ESRCH;
	if (!has || cap < 0 || cap > CONTID_CAP_LAST_CAP)
		return -EINVAL;
	*has = (int)(t->caps >> cap & 1);
	return 0;
}

CONTID_EXPORT int contid_task_capable(const struct contid_world *w, pid_t pid,
				      int cap, int *capable)
{
	const struct task *t = lookup(w, pid);
	if (!t)
		return -ESRCH;
	if (!capable || cap < 0 || cap > CONTID_CAP_LAST_CAP)
		return -EINVAL;
	*capable = task_capable(w, t, cap);
	return 0;
}

CONTID_EXPORT int contid_task_subreaper(const struct contid_world *w, pid_t pid,
					int *is)
{
	const struct task *t = lookup(w, pid);
	if (!t)
		return -ESRCH;
	if (!is)
		return -EINVAL;
	*is = proc_of(w, t)->subreaper;
	return 0;
}

CONTID_EXPORT int contid_task_contid(const struct contid_world *w, pid_t pid,
				     uint64_t *id)
{
	const struct task *t = lookup(w, pid);
	if (!t)
		return -ESRCH;
	if (!id)
		return -EINVAL;
	*id = t->obj ? t->obj->value : CONTID_UNSET;
	return 0;
}

CONTID_EXPORT int contid_task_capcontid(const struct contid_world *w, pid_t pid,
					uint32_t *value)
{
	const struct task *t = lookup(w, pid);
	if (!t)
		return -ESRCH;
	if (!value)
		return -EINVAL;
	*value = t->capcontid;
	return 0;
}

CONTID_EXPORT int contid_task_chain(const struct contid_world *w, pid_t pid,
				    char *buf, size_t size)
{
	const struct task *t = lookup(w, pid);
	if (!t)
		return -ESRCH;
	if (!buf && size)
		return -EINVAL;

	size_t len = chain_format(w, t->obj, buf, size);
	if (len > INT32_MAX)
		return -EOVERFLOW;
	return (int)len;
}

CONTID_EXPORT int contid_task_netns_ids(const struct contid_world *w, pid_t pid,
					uint64_t *ids, size_t max)
{
	const struct task *t = lookup(w, pid);
	if (!t)
		return -ESRCH;
	if (!ids && max)
		return -EINVAL;
	int n = 0;
	for (const struct netns_entry *e = t->netns->front; e; e = e->front_next) {
		if ((size_t)n < max)
			ids[n] = e->obj->value;
		if (n == INT32_MAX)
			return -EOVERFLOW;
		n++;
	}
	return n;
}

CONTID_EXPORT int contid_task_is_descendant(const struct contid_world *w,
					    pid_t a, pid_t b, int *is)
{
	const struct task *ta = lookup(w, a);
	const struct task *tb = lookup(w, b);
	if (!ta || !tb)
		return -ESRCH;
	if (!is)
		return -EINVAL;
	const struct task *pa = proc_of(w, ta), *pb = proc_of(w, tb);
	*is = pa != pb && proc_is_descendant(w, pa, pb);
	return 0;
}

static const struct contid_obj *lookup_obj(const struct contid_world *w,
					   uint64_t value)
{
	return w ? obj_find(w, value) : NULL;
}

CONTID_EXPORT int contid_id_owner(const struct contid_world *w, uint64_t value,
				  uint64_t *owner_identity, pid_t *owner_pid)
{
	const struct contid_obj *obj = lookup_obj(w, value);
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
	const struct contid_obj *obj = lookup_obj(w, value);
	if (!obj)
		return -ENOENT;
	if (!parent)
		return -EINVAL;
	*parent = obj->parent ? obj->parent->value : CONTID_UNSET;
	return 0;
}

CONTID_EXPORT int contid_id_users(const struct contid_world *w, uint64_t value,
				  unsigned *users)
{
	const struct contid_obj *obj = lookup_obj(w, value);
	if (!obj)
		return -ENOENT;
	if (!users)
		return -EINVAL;
	*users = obj->task_refs;
	return 0;
}

CONTID_EXPORT int contid_id_refs(const struct contid_world *w, uint64_t value,
				 unsigned *refs)
{
	const struct contid_obj *obj = lookup_obj(w, value);
	if (!obj)
		return -ENOENT;
	if (!refs)
		return -EINVAL;
	*refs = obj_refs(obj);
	return 0;
}

CONTID_EXPORT size_t contid_id_count(const struct contid_world *w)
{
	return w ? HASH_COUNT(w->objs) : 0;
}

CONTID_EXPORT size_t contid_task_count(const struct contid_world *w)
{
	return w ? w->nr_tasks : 0;
}

CONTID_EXPORT int contid_task_next(const struct contid_world *w, pid_t after,
				   pid_t *next)
{
	if (!w || !next || after < 0)
		return -EINVAL;
	for (uint32_t pid = (uint32_t)after + 1; pid < w->pid_capacity; pid++) {
		uint64_t word = w->pid_bitmap[pid / 64] >> (pid % 64);
		if (!word) {
			pid |= 63; /* skip the rest of an empty word */
			continue;
		}
		pid += (uint32_t)__builtin_ctzll(word);
		*next = (pid_t)pid;
		return 0;
	}
	return -ENOENT;
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
