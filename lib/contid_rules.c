/*
 * The rule book (docs/semantics.md sections 4, 5 and 9): the write rules of
 * every profile, capcontid's rules, the ID limit and the right to read.
 *
 * Where it sits: above the tree, the ID objects and the namespaces, which
 * it reads; it changes nothing in the world.  The /proc front end
 * (contid_procfs.c) asks it what a write may do.
 *
 * A profile is data: an ordered list of checks, each returning 0 or a
 * negative errno (the first refusal decides), plus a few switches for how a
 * written value maps to an ID object, what counts as the right to write,
 * and how records print.  docs/profiles.md shows how to add one.
 */
#include <string.h>

#include "contid-export.h"
#include "contid-id.h"
#include "contid-ns.h"
#include "contid-rules.h"
#include "contid-tree.h"

static bool may_control(const struct contid_world *w, const struct task *t)
{
	return task_capable(w, t, CONTID_CAP_AUDIT_CONTROL) ||
	       (w->profile->capcontid_grants && t->capcontid != 0);
}

static bool has_threads_or_is_one(const struct write_ctx *c)
{
	const struct task *proc = proc_of(c->w, c->target);
	return c->target != proc || proc->nr_live > 1;
}

static bool has_children(const struct write_ctx *c)
{
	return proc_of(c->w, c->target)->first_child != NO_TASK;
}

static bool strict_descendant_of_writer(const struct write_ctx *c)
{
	const struct task *tproc = proc_of(c->w, c->target);
	const struct task *wproc = proc_of(c->w, c->writer);
	return tproc != wproc && proc_is_descendant(c->w, tproc, wproc);
}

/* ------------------------------------------------------------- v11 */

/* R-SET-1 */
static int check_not_unset(struct write_ctx *c)
{
	return c->value == CONTID_UNSET ? -EINVAL : 0;
}

/* R-SET-2 (capcontid counts where the profile says so) */
static int check_privilege(struct write_ctx *c)
{
	return may_control(c->w, c->writer) ? 0 : -EPERM;
}

/* R-SET-3 */
static int check_not_busy(struct write_ctx *c)
{
	return has_threads_or_is_one(c) || has_children(c) ? -EBUSY : 0;
}

/* R-SET-4 */
static int check_descendant(struct write_ctx *c)
{
	return strict_descendant_of_writer(c) ? 0 : -EXDEV;
}

/* R-SET-5: changing an ID is allowed only to nest below it. */
static bool is_nesting(const struct contid_world *w, const struct task *writer,
		       const struct contid_obj *current)
{
	if (writer->identity == current->owner_identity)
		return false;
	const struct task *owner_proc = obj_owner_process(w, current);
	if (!owner_proc)
		return false;
	const struct task *wproc = proc_of(w, writer);
	return wproc == owner_proc || proc_is_descendant(w, wproc, owner_proc);
}

static int check_not_set(struct write_ctx *c)
{
	if (c->target->obj && !is_nesting(c->w, c->writer, c->target->obj))
		return -EEXIST;
	return 0;
}

/* R-SET-6: only the owner may inject into an existing ID. */
static int check_unique(struct write_ctx *c)
{
	c->existing = obj_find(c->w, c->value);
	if (c->existing && c->existing->owner_identity != c->writer->identity)
		return -ENOTUNIQ;
	return 0;
}

static const write_check_fn v11_checks[] = {
	check_not_unset, check_privilege, check_not_busy, check_descendant,
	check_not_set, check_unique, NULL,
};

/* -------------------------------------------------------------- v6 */

static int check_no_children(struct write_ctx *c)
{
	return has_children(c) ? -EBUSY : 0;
}

static int check_single_threaded(struct write_ctx *c)
{
	return has_threads_or_is_one(c) ? -EALREADY : 0;
}

/* Shared values: anyone may hold any value, so just find it. */
static int find_shared(struct write_ctx *c)
{
	c->existing = obj_find(c->w, c->value);
	return 0;
}

static const write_check_fn v6_checks[] = {
	check_not_unset, check_privilege, check_no_children,
	check_single_threaded, find_shared, NULL,
};

/* -------------------------------------------------------------- v8 */

static int check_not_same_value(struct write_ctx *c)
{
	return c->target->obj && c->target->obj->value == c->value ? -EADDRINUSE : 0;
}

static int check_not_self(struct write_ctx *c)
{
	return c->target == c->writer ? -EBADSLT : 0;
}

/* v8 lets anyone but the owner of the target's ID set it again. */
static int check_not_owner_reset(struct write_ctx *c)
{
	const struct contid_obj *cur = c->target->obj;
	return cur && cur->owner_identity == c->writer->identity ? -ECHILD : 0;
}

static unsigned chain_depth(const struct contid_obj *obj)
{
	unsigned depth = 0;

	for (; obj; obj = obj->parent)
		depth++;
	return depth;
}

/* A new ID nests below the writer's: its depth is the writer's plus one. */
static int check_depth_limit(struct write_ctx *c)
{
	unsigned limit = c->w->depth_limit;

	if (!c->existing && limit && chain_depth(c->writer->obj) >= limit)
		return -EMLINK;
	return 0;
}

static const write_check_fn v8_checks[] = {
	check_not_unset, check_not_same_value, check_privilege,
	check_no_children, check_single_threaded, check_not_self,
	check_descendant, check_not_owner_reset, check_unique,
	check_depth_limit, NULL,
};

/* ------------------------------------------------------------ bits */

/* B may replace A only by extending it: every set bit of A kept, and new
 * bits only below A's lowest set bit (any B when there is no A). */
static int check_bits_extend(struct write_ctx *c)
{
	if (!c->target->obj)
		return 0;
	uint64_t a = c->target->obj->value, b = c->value;
	uint64_t below_lowest = a ? (a & -a) - 1 : UINT64_MAX;
	if ((b & a) != a || (b & ~a & ~below_lowest))
		return -EEXIST;
	return 0;
}

static const write_check_fn bits_checks[] = {
	check_not_unset, check_privilege, check_not_busy, check_descendant,
	check_bits_extend, find_shared, NULL,
};

/* ---------------------------------------------------- kernel-alloc */

/* 0 asks for a fresh value, the lowest free one >= 1 as idr hands out;
 * other values must name an existing ID, which only its owner may join. */
static int check_allocated_value(struct write_ctx *c)
{
	if (c->value == 0) {
		c->value = obj_lowest_free(c->w);
		c->existing = NULL;
		c->fresh = true;
		return 0;
	}
	c->existing = obj_find(c->w, c->value);
	if (!c->existing)
		return -EINVAL;
	return c->existing->owner_identity != c->writer->identity ? -ENOTUNIQ : 0;
}

static const write_check_fn kernel_alloc_checks[] = {
	check_not_unset, check_privilege, check_not_busy, check_descendant,
	check_not_set, check_allocated_value, NULL,
};

/* --------------------------------------------------------- profiles */

static const struct profile profiles[] = {
	{
		.name = "v11", .checks = v11_checks, .owned = true,
		.nest_parent = true, .capcontid_grants = true,
		.drop_records = true, .chain = CHAIN_COMMA_CARET,
	},
	{
		.name = "v6", .checks = v6_checks,
		.op_task_fields = true, .chain = CHAIN_COMMA_CARET,
	},
	{
		.name = "v8", .checks = v8_checks, .owned = true,
		.nest_parent = true, .drop_records = true,
		.chain = CHAIN_CARET_UNSET_NUMBER,
	},
	{
		.name = "v11-posted", .checks = v11_checks, .owned = true,
		.nest_parent = true, .capcontid_grants = true,
		.capcontid_unchecked_outside_init = true, .leak_parent = true,
		.drop_records = true, .chain = CHAIN_COMMA_CARET,
	},
	{
		/* values still live and die like v11's objects, so their
		 * freeing is logged; only owners and nesting parents go */
		.name = "bits", .checks = bits_checks, .capcontid_grants = true,
		.drop_records = true, .chain = CHAIN_COMMA_CARET,
	},
	{
		.name = "kernel-alloc", .checks = kernel_alloc_checks, .owned = true,
		.nest_parent = true, .capcontid_grants = true,
		.drop_records = true, .chain = CHAIN_COMMA_CARET,
	},
};

#define NPROFILES (sizeof(profiles) / sizeof(profiles[0]))

const struct profile *profile_default(void)
{
	return &profiles[0];
}

/* In the order of profiles[] (a test compares the two). */
static const char *const profile_names[] = {
	"v11", "v6", "v8", "v11-posted", "bits", "kernel-alloc", NULL,
};
_Static_assert(sizeof(profile_names) / sizeof(profile_names[0]) == NPROFILES + 1,
	       "every profile has a name in profile_names[]");

CONTID_EXPORT const char *const *contid_profile_names(void)
{
	return profile_names;
}

const struct profile *profile_find(const char *name)
{
	for (size_t i = 0; i < NPROFILES; i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

/* ----------------------------------------------------------- the book */

int rules_target_released(const struct task *target)
{
	return target->audit_released ? -ENOPROTOOPT : 0;
}

int rules_judge_write(struct write_ctx *c)
{
	const struct contid_world *w = c->w;
	int refusal = 0;

	for (const write_check_fn *check = w->profile->checks; *check && !refusal;
	     check++)
		refusal = (*check)(c);
	/* docs/semantics.md choice m: the ID limit, after every rule */
	if (!refusal && !c->existing && w->max_ids &&
	    HASH_COUNT(w->objs) >= w->max_ids)
		refusal = -ENOSPC;
	return refusal;
}

/* docs/semantics.md section 5 */
int rules_judge_capcontid(const struct contid_world *w, const struct task *writer,
			  const struct task *target)
{
	if (target == writer ||
	    !proc_is_descendant(w, proc_of(w, target), proc_of(w, writer)))
		return -EXDEV;
	if (!may_control(w, writer) &&
	    !(w->profile->capcontid_unchecked_outside_init &&
	      writer->userns != w->init_userns))
		return -EPERM;
	return 0;
}

bool rules_may_read(const struct contid_world *w, const struct task *reader)
{
	return may_control(w, reader);
}
