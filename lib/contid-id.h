/*
 * Audit container ID objects (docs/semantics.md section 6) and the ID lists
 * of network namespaces (section 7).
 *
 * Where it sits: above the tree (an object remembers its owner task).  It
 * decides nothing: which object a write creates or joins is the rule
 * book's, when one is released is the caller's, and what the freeing of
 * one logs is the records'.
 */
#ifndef CONTID_ID_H
#define CONTID_ID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "contid-tree.h"
#include "contid-uthash.h"
#include "contid-world.h"

/*
 * One ID held in a network namespace.  Every ID object embeds one entry,
 * its "home", used for the first list that holds it (nearly always the
 * only one), so that the common case needs no lookup and no allocation;
 * entries for further lists are allocated as struct netns_extra and found
 * through one hash for the whole world, keyed by (object, list).
 */
struct netns_entry {
	struct contid_obj *obj;      /* obj and list: the key of an extra entry */
	struct id_list *list;        /* NULL: an unused home entry */
	uint32_t count;              /* member tasks holding obj */
	struct netns_entry *front_prev, *front_next;
};

#define NETNS_KEY_LEN (2 * sizeof(void *))
_Static_assert(offsetof(struct netns_entry, list) ==
	       offsetof(struct netns_entry, obj) + sizeof(void *),
	       "the (obj, list) key is contiguous");

struct netns_extra {
	struct netns_entry e;        /* first, so that an entry converts back */
	UT_hash_handle hh;           /* in the world's netns_extras */
};

/* The IDs a network namespace's member tasks hold: a value enters at the
 * front when its count goes from 0 to 1 and leaves when it drops to 0. */
struct id_list {
	struct netns_entry *front;   /* newest value first */
	uint32_t nentries;           /* entries, home or not, listed or prepared */
};

/* An audit container ID object. */
struct contid_obj {
	/* First what a fork, an exit or a read touches: one 64-byte span. */
	uint64_t value;              /* hash key */
	uint32_t task_refs;          /* tasks holding it */
	uint32_t child_refs;         /* nested objects naming it as parent */
	uint32_t leaked_refs;        /* v11-posted: freed children never let go */
	uint32_t chain_len;          /* bound on the printed chain: fixed, as the parent is */
	struct netns_entry home;     /* see struct netns_entry */
	/* Then what writes and frees need. */
	struct contid_obj *parent;
	UT_hash_handle hh;
	uint64_t owner_identity;     /* the writer task that created it */
	uint64_t owner_proc_identity;/* identity of that task's process leader */
	uint32_t owner_slot;         /* slot of the owner task (check identity!) */
	uint32_t owner_proc_slot;
};

/* Decimal digits of @v. */
static inline size_t dec_digits(uint64_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* ---- objects */
struct contid_obj *obj_find(const struct contid_world *w, uint64_t value);
/* The lowest value >= 1 no object holds (what kernel-alloc hands out). */
uint64_t obj_lowest_free(const struct contid_world *w);
/*
 * R-SET-7: a new object of @value, held by nobody yet, owned by @owner
 * (NULL: a shared value without owner), nested below @parent (or NULL).
 * @fresh says the value was just handed out by obj_lowest_free().
 * NULL when memory runs out, the world unchanged.
 */
struct contid_obj *obj_new(struct contid_world *w, uint64_t value,
			   const struct task *owner, struct contid_obj *parent,
			   bool fresh);
/* Takes back an object obj_new() made that nobody came to hold. */
void obj_discard_new(struct contid_world *w, struct contid_obj *obj);
void obj_get(struct contid_obj *obj);
/* What holds @obj: tasks, nested objects, and v11-posted's leaked
 * references; the signal pin is not counted here. */
uint32_t obj_held(const struct contid_obj *obj);
/* Every reference to @obj, the signal pin included (contid_id_refs()). */
uint32_t obj_refs(const struct contid_world *w, const struct contid_obj *obj);
/*
 * Drops one task reference: returns @obj when nothing holds it any more,
 * else NULL.  An object so returned must be let go with obj_free():
 *
 *	for (o = obj_put_task(obj); o; o = obj_free(w, o, leak))
 *		...;
 *
 * The loop body sees every object that nothing holds any more, pinned or
 * not (an exit logs op=drop for each, R-SIG-RELEASE).
 */
struct contid_obj *obj_put_task(struct contid_obj *obj);
/*
 * Lets go of an object nothing holds: frees it and drops its nested
 * reference to its parent (with @leak_parent, v11-posted's, the parent
 * keeps it as leaked), and returns the parent when nothing holds it any
 * more, else NULL.  A pinned object is not freed (R-SIG-RELEASE): it
 * keeps its value, owner and parent until the pin lets go, and NULL is
 * returned.
 */
struct contid_obj *obj_free(struct contid_world *w, struct contid_obj *obj,
			    bool leak_parent);
/* Whether @obj is kept only by the signal pin: pinned, held by nothing. */
bool obj_only_pinned(const struct contid_world *w, const struct contid_obj *obj);
/*
 * R-SIG-RELEASE: the signal pin lets go of its object, if any.  An object
 * nothing else holds is then freed, silently, and so is each parent that
 * this leaves held by nothing.  The first parent is released properly
 * even under v11-posted (the posted code put it only on this path); from
 * there on @leak_parent says, as on the ordinary path.
 */
void obj_unpin(struct contid_world *w, bool leak_parent);
/* The pin takes @obj (NULL: nothing); nothing may be pinned before. */
void obj_pin(struct contid_world *w, struct contid_obj *obj);
/* The owner's process if it still exists, else NULL. */
const struct task *obj_owner_process(const struct contid_world *w,
				     const struct contid_obj *obj);
void objs_free_all(struct contid_world *w);
/*
 * contid_world_clone()'s part, after tree_clone(): copies @w's objects
 * into @c in @w's order (which contid_id_list() shows) and points @c's
 * tasks and its pin at the copies.  The copies are in no ID list yet:
 * idlist_clone() puts them there.  On failure @c's objects can be freed as usual.
 */
int objs_clone(struct contid_world *c, const struct contid_world *w);

/* ---- the ID list of a network namespace */
/* @obj's entry in @list, or NULL. */
struct netns_entry *idlist_find(const struct contid_world *w,
				const struct id_list *list, struct contid_obj *obj);
/*
 * Makes sure idlist_hold(@list, @obj) will not need memory: adds an
 * unlinked entry with count 0 when @obj is not listed yet.  It must be
 * the last step of an operation that can fail: nothing takes it back.
 */
int idlist_prepare(struct contid_world *w, struct id_list *list,
		   struct contid_obj *obj);
/* One more member task holds @obj: a new value enters at the front. */
void idlist_hold(struct contid_world *w, struct id_list *list,
		 struct contid_obj *obj);
/* One member task less holds @obj: at 0 its entry goes. */
void idlist_release(struct contid_world *w, struct id_list *list,
		    struct contid_obj *obj);
/* Removes every entry (none is left once the last member task is gone). */
void idlist_clear(struct contid_world *w, struct id_list *list);
/* Frees every allocated entry of the world, touching no object. */
void idlist_free_all_extras(struct contid_world *w);
/*
 * Makes @dst, an empty list of @c, hold what @src of @w holds, in the
 * same order, with the same entries home or allocated (so that later
 * operations need memory exactly when they would on @w).  objs_clone()
 * must have run.
 */
int idlist_clone(struct contid_world *c, struct id_list *dst,
		 const struct id_list *src);

/*
 * contid_world_copy()'s part, in steps.  objs_copy_prepare() gets the
 * objects @dst will hold: its own for the values @src has too, new ones
 * for the others, and the extra ID-list entries @src's lists need (-ENOMEM,
 * with nothing changed, when that fails).  When @src has more than
 * COPY_FEW_IDS objects, either world more than COPY_FEW_EXTRAS extra
 * entries, or a table of @dst's could grow, it is -E2BIG (the copy is then
 * made as a clone).  objs_copy_commit(), after tree_copy_commit() and
 * unable to fail, makes the objects copies of @src's, in @src's order,
 * points @dst's pin at the copy of @src's pinned one, and frees the
 * others (the tasks are pointed at the copies by tree_copy_remap(), with
 * the map); the ID lists are then made again with idlist_copy(), which
 * takes the extra entries prepared, and
 * objs_copy_finish() frees @dst's old extra entries.
 * objs_copy_abort() takes back what the prepare step made instead.
 */
#define COPY_FEW_IDS 8
#define COPY_FEW_EXTRAS 4

_Static_assert(COPY_FEW_IDS <= COPY_MAP_SIZE, "a copy's objects fit its map");

struct objs_copy {
	struct copy_map map;         /* @src's objects, their copies in @dst */
	size_t n;
	struct contid_obj *fresh[COPY_FEW_IDS]; /* for @src's other values */
	struct contid_obj *head;     /* when @dst has none: fresh[0]'s table */
	size_t nextras;
	struct netns_extra *extras[COPY_FEW_EXTRAS]; /* for @src's lists */
	struct netns_extra *anchor;  /* when @dst has none: keeps a table */
	size_t nold;
	struct netns_extra *old[COPY_FEW_EXTRAS]; /* @dst's, to free */
};

int objs_copy_prepare(struct objs_copy *oc, const struct contid_world *dst,
		      const struct contid_world *src);
void objs_copy_abort(struct objs_copy *oc);
void objs_copy_commit(struct contid_world *dst, const struct contid_world *src,
		      struct objs_copy *oc);
/* As idlist_clone(), with the extra entries from @oc when not NULL
 * (nothing is allocated then, and it returns 0). */
int idlist_copy(struct contid_world *c, struct id_list *dst,
		const struct id_list *src, struct objs_copy *oc);
void objs_copy_finish(struct contid_world *dst, struct objs_copy *oc);

#endif
