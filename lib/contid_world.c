/*
 * World life and settings: creating, cloning, copying and freeing a
 * world, the contid_world_set_*() functions, and what the operation
 * bracket kept of the last operation (contid_world_last_refusal()).
 *
 * Where it sits: at the top.  Creating a world sets up every room in turn
 * and freeing one takes them all down, so this room calls nearly all the
 * others and nothing calls it (the operation bracket every room uses is
 * inline, in contid-world.h).
 */
#include "contid-alloc.h"
#include "contid-export.h"
#include "contid-id.h"
#include "contid-ns.h"
#include "contid-record.h"
#include "contid-rules.h"
#include "contid-signal.h"
#include "contid-tree.h"

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
	signal_init(w);
	if (tree_init(w) < 0 || ns_init(w) < 0 || rec_init(w) < 0) {
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
	idlist_free_all_extras(w);  /* home entries go with their objects */
	objs_free_all(w);
	ns_free_all(w);
	rec_free(w);
	cx_free(w);
}

CONTID_EXPORT int contid_world_clone(const struct contid_world *w,
				     struct contid_world **ret)
{
	if (!w || !ret)
		return -EINVAL;
	if (w->in_record_fn)
		return -EDEADLK; /* part-way through an operation */
	struct contid_world *c = cx_malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	/* Every setting, counter and position is copied as it is; what the
	 * world owns is copied by the room that owns it, below, and starts
	 * empty here, so that a clone that runs out of memory half-way can
	 * be freed like any world. */
	*c = *w;
	c->chunks = NULL;
	c->nchunks = c->chunk0_size = 0;
	c->pid_slot = NULL;
	c->pid_bitmap = NULL;
	c->pid_capacity = 0;
	c->objs = NULL;
	c->pinned = NULL;
	c->netns_extras = NULL;
	c->init_userns = NULL;
	c->init_netns = NULL;
	c->userns_live = NULL;
	c->netns_live = NULL;
	c->record_fn = NULL;
	c->record_data = NULL;
	c->recbuf = NULL;
	c->recbuf_size = 0;
	if (tree_clone(c, w) < 0 || objs_clone(c, w) < 0 || ns_clone(c, w) < 0 ||
	    rec_clone(c, w) < 0) {
		contid_world_free(c);
		return -ENOMEM;
	}
	*ret = c;
	return 0;
}

/* A copy made as a clone, which then trades places with @dst's contents. */
static int copy_by_clone(struct contid_world *dst, const struct contid_world *src)
{
	struct contid_world *c;
	int r = contid_world_clone(src, &c);

	if (r < 0)
		return r;
	struct contid_world old = *dst;
	*dst = *c;
	dst->record_fn = old.record_fn;
	dst->record_data = old.record_data;
	*c = old;
	contid_world_free(c);
	return 0;
}

CONTID_EXPORT int contid_world_copy(struct contid_world *dst,
				    const struct contid_world *src)
{
	struct name_copy nc;
	struct objs_copy oc;
	struct ns_copy sc;
	char *buf = NULL;

	if (!src)
		return -EINVAL;
	int r = world_may_change(dst);
	if (r < 0)
		return r;
	if (src->in_record_fn)
		return -EDEADLK; /* part-way through an operation */
	if (dst == src)
		return 0;
	/* Everything that can fail comes first, each room's part: memory,
	 * or a world too large for @dst's allocations to serve (-E2BIG),
	 * which is then copied as a clone. */
	r = tree_copy_prepare(&nc, dst, src);
	if (r == 0 && (r = objs_copy_prepare(&oc, dst, src)) < 0)
		tree_copy_abort(&nc);
	if (r == 0 && (r = ns_copy_prepare(&sc, dst, src)) < 0) {
		objs_copy_abort(&oc);
		tree_copy_abort(&nc);
	}
	if (r == 0 && (r = rec_copy_prepare(&buf, dst, src)) < 0) {
		ns_copy_abort(&sc);
		objs_copy_abort(&oc);
		tree_copy_abort(&nc);
	}
	if (r == -E2BIG)
		return copy_by_clone(dst, src);
	if (r < 0)
		return r;

	tree_copy_commit(dst, src, &nc);
	objs_copy_commit(dst, src, &oc);
	ns_copy_commit(dst, src, &sc, &oc);
	tree_copy_remap(dst, src, &nc, &oc.map, &sc.umap, &sc.nmap);
	objs_copy_finish(dst, &oc);
	rec_copy_commit(dst, src, buf);
	/* then every setting, counter and position, as a clone's; what the
	 * rooms made stays, and so does @dst's record callback */
	struct task **chunks = dst->chunks;
	uint32_t *pid_slot = dst->pid_slot;
	uint64_t *pid_bitmap = dst->pid_bitmap;
	struct contid_obj *objs = dst->objs, *pinned = dst->pinned;
	struct netns_extra *extras = dst->netns_extras;
	struct userns *init_userns = dst->init_userns, *userns_live = dst->userns_live;
	struct netns *init_netns = dst->init_netns, *netns_live = dst->netns_live;
	contid_record_fn record_fn = dst->record_fn;
	void *record_data = dst->record_data;
	char *recbuf = dst->recbuf;
	size_t recbuf_size = dst->recbuf_size;
	*dst = *src;
	dst->chunks = chunks;
	dst->pid_slot = pid_slot;
	dst->pid_bitmap = pid_bitmap;
	dst->objs = objs;
	dst->pinned = pinned;
	dst->netns_extras = extras;
	dst->init_userns = init_userns;
	dst->init_netns = init_netns;
	dst->userns_live = userns_live;
	dst->netns_live = netns_live;
	dst->record_fn = record_fn;
	dst->record_data = record_data;
	dst->recbuf = recbuf;
	dst->recbuf_size = recbuf_size;
	dst->reclen = 0;
	return 0;
}

CONTID_EXPORT int contid_world_set_profile(struct contid_world *w, const char *name)
{
	if (!name)
		return -EINVAL;
	int r = world_may_change(w);
	if (r < 0)
		return r;
	const struct profile *p = profile_find(name);
	if (!p)
		return -EINVAL;
	if (w->clock_ms > 0 && p != w->profile)
		return -EBUSY;
	w->profile = p;
	return 0;
}

CONTID_EXPORT const char *contid_world_profile(const struct contid_world *w)
{
	return w ? w->profile->name : NULL;
}

CONTID_EXPORT int contid_world_set_depth_limit(struct contid_world *w,
					       unsigned limit)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	w->depth_limit = limit;
	return 0;
}

CONTID_EXPORT int contid_world_set_pid_max(struct contid_world *w,
					   unsigned pid_max)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	if (pid_max < 2 || pid_max > CONTID_PID_MAX_LIMIT)
		return -EINVAL;
	w->pid_max = pid_max;
	return 0;
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

/* The refusal the bracket kept (op_end() in contid-world.h): choice (p). */
CONTID_EXPORT int contid_world_last_refusal(const struct contid_world *w,
					    const char **rule,
					    const char **reason)
{
	if (!w || !rule || !reason)
		return -EINVAL;
	if (!w->refusal)
		return -ENOENT;
	*rule = w->refusal->rule;
	*reason = w->refusal->reason;
	return 0;
}
