/*
 * User namespaces, capabilities and credentials (docs/semantics.md
 * section 3), network namespaces (section 7).
 *
 * Where it sits: above the tree and the ID objects (a network namespace
 * embeds the ID list of its member tasks; moving a task moves its ID).
 */
#ifndef CONTID_NS_H
#define CONTID_NS_H

#include <stdbool.h>
#include <stdint.h>

#include "contid-id.h"
#include "contid-world.h"

/* Beyond this the initial namespace is level 0: parent level > 32 fails. */
#define USERNS_MAX_PARENT_LEVEL 32

#define CAPS_ALL ((UINT64_C(1) << (CONTID_CAP_LAST_CAP + 1)) - 1)

struct userns {
	uint64_t id;                /* numbered when linked into the world */
	struct userns *parent;
	struct userns *next_live, *prev_live;
	uint32_t owner_uid;
	uint32_t level;
	uint32_t refs;      /* tasks + child namespaces + owned network namespaces */
};

struct netns {
	uint64_t id;
	struct userns *owner;
	struct id_list ids;          /* the IDs its member tasks hold */
	struct netns *next_live, *prev_live;
	uint32_t refs;               /* tasks */
};

/*
 * Creates the initial namespaces, which the world itself holds, and puts
 * init in them with every capability.
 */
int ns_init(struct contid_world *w);
/* Frees every namespace, touching no task. */
void ns_free_all(struct contid_world *w);
/*
 * contid_world_clone()'s part, after objs_clone(): copies @w's namespaces
 * into @c (same numbers, same order), with their ID lists, and points @c's
 * tasks at the copies.  On failure @c's namespaces can be freed as usual.
 */
int ns_clone(struct contid_world *c, const struct contid_world *w);

/*
 * contid_world_copy()'s part, in two steps.  ns_copy_prepare() allocates
 * the namespaces @dst lacks to hold as many as @src (-ENOMEM, with nothing
 * changed, when that fails; -E2BIG past COPY_FEW_NS of a kind: the copy
 * is then made as a clone).  ns_copy_commit(), after objs_copy_commit()
 * and unable to fail, makes @dst's namespaces copies of @src's (same
 * numbers, same order, their ID lists too, with the extra entries @oc
 * holds) and frees those left over; tree_copy_remap() then points the
 * tasks at the copies, with the maps.  ns_copy_abort() frees what was
 * allocated instead.
 */
#define COPY_FEW_NS COPY_MAP_SIZE

struct ns_copy {
	struct userns *users[COPY_FEW_NS];  /* the new ones */
	struct netns *nets[COPY_FEW_NS];
	size_t nusers, nnets;
	struct copy_map umap, nmap;  /* @src's namespaces, their copies */
};

int ns_copy_prepare(struct ns_copy *sc, const struct contid_world *dst,
		    const struct contid_world *src);
void ns_copy_abort(struct ns_copy *sc);
void ns_copy_commit(struct contid_world *dst, const struct contid_world *src,
		    struct ns_copy *sc, struct objs_copy *oc);

/* A namespace is made apart (it can fail), then linked into the world
 * (it cannot); an unlinked one is simply freed with cx_free(). */
struct userns *userns_new(struct userns *parent, uint32_t owner_uid);
void userns_link(struct contid_world *w, struct userns *ns);
void userns_get(struct userns *ns);
void userns_put(struct contid_world *w, struct userns *ns);
struct netns *netns_new(struct userns *owner);
void netns_link(struct contid_world *w, struct netns *ns);
void netns_get(struct netns *ns);
void netns_put(struct contid_world *w, struct netns *ns);

/* R-USERNS-NEW: may @t create a user namespace?  NULL, or the refusal
 * (ENOSPC, then EPERM). */
const struct refusal *userns_may_create(const struct task *t);
/* R-CAP: has @t capability @cap in namespace @ns? */
bool ns_capable(const struct task *t, const struct userns *ns, int cap);
/* capable(): @cap in the initial namespace. */
bool task_capable(const struct contid_world *w, const struct task *t, int cap);

#endif
