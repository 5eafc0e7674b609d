/*
 * The rule book (docs/semantics.md sections 4, 5 and 9): the write rules of
 * every profile, capcontid's rules, the ID limit and the right to read.
 *
 * Where it sits: above the tree, the ID objects and the namespaces, which
 * it reads; it changes nothing in the world.  The /proc front end
 * (contid_procfs.c) asks it what a write may do.
 *
 * A profile is one entry of profiles[] below (struct profile in
 * contid-rules.h): a resolve step, saying which object the target would
 * hold, then its refusals in order, then switches.  A refusal is a rule
 * ID, an errno, a one-line reason and a predicate that only reads; the
 * first that refuses decides, and the front end hands it to the operation
 * bracket (refuse(), contid-world.h), so that contid_world_last_refusal()
 * can tell which rule refused a write.
 *
 * Rule IDs that begin with R- are docs/semantics.md's; when a profile
 * refuses in its own way what a rule there covers (v8's EBADSLT for
 * R-SET-4), the refusal keeps that rule's ID.  The others name rules that
 * document gives no ID: CAPCONTID-* (section 5), LIMIT-IDS (its choice on
 * limits) and V8-DEPTH (docs/profiles.md, "How deep may IDs nest?"); its
 * choice (p) lists them with every other rule that refuses an operation.
 */
#include <string.h>
#include <threads.h>

#include "contid-export.h"
#include "contid-id.h"
#include "contid-ns.h"
#include "contid-rules.h"
#include "contid-tree.h"

/* -------------------------------------------------------------- facts */

/* R-SET-2 and reading: capable(CAP_AUDIT_CONTROL), or capcontid where the
 * profile counts it. */
static bool may_control(const struct contid_world *w, const struct task *t)
{
	return task_capable(w, t, CONTID_CAP_AUDIT_CONTROL) ||
	       (w->profile->capcontid_grants && t->capcontid != 0);
}

static bool strict_descendant_of_writer(const struct write_ctx *c)
{
	const struct task *tproc = proc_of(c->w, c->target);
	const struct task *wproc = proc_of(c->w, c->writer);
	return tproc != wproc && proc_is_descendant(c->w, tproc, wproc);
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

static unsigned chain_depth(const struct contid_obj *obj)
{
	unsigned depth = 0;

	for (; obj; obj = obj->parent)
		depth++;
	return depth;
}

/* ------------------------------------------------------------ resolve */

/* A value names at most one object: the target would join it. */
static void resolve_by_value(struct write_ctx *c)
{
	c->existing = obj_find(c->w, c->value);
	c->new_value = c->value;
}

/* kernel-alloc: 0 asks for a fresh value, the lowest free one >= 1 as idr
 * hands out; any other value can only name an existing ID. */
static void resolve_allocated(struct write_ctx *c)
{
	if (c->value != 0) {
		resolve_by_value(c);
		return;
	}
	c->existing = NULL;
	c->new_value = obj_lowest_free(c->w);
	c->fresh = true;
}

/* ---------------------------------------------------------- refusals */

static bool target_released(const struct write_ctx *c)
{
	return c->target->audit_released;
}

static bool value_is_unset(const struct write_ctx *c)
{
	return c->value == CONTID_UNSET;
}

static bool writer_lacks_right(const struct write_ctx *c)
{
	return !may_control(c->w, c->writer);
}

static bool target_is_threaded(const struct write_ctx *c)
{
	const struct task *proc = proc_of(c->w, c->target);
	return c->target != proc || proc->nr_live > 1;
}

static bool target_has_children(const struct write_ctx *c)
{
	return proc_of(c->w, c->target)->first_child != NO_TASK;
}

static bool target_not_below_writer(const struct write_ctx *c)
{
	return !strict_descendant_of_writer(c);
}

static bool target_is_set(const struct write_ctx *c)
{
	return c->target->obj && !is_nesting(c->w, c->writer, c->target->obj);
}

/* R-SIG-RELEASE: a value the signal pin alone keeps is nobody's to use,
 * its owner's included, until the pin lets go. */
static bool existing_only_pinned(const struct write_ctx *c)
{
	return c->existing && obj_only_pinned(c->w, c->existing);
}

static bool existing_owned_by_other(const struct write_ctx *c)
{
	return c->existing && c->existing->owner_identity != c->writer->identity;
}

static bool target_holds_value(const struct write_ctx *c)
{
	return c->target->obj && c->target->obj->value == c->value;
}

static bool target_is_writer(const struct write_ctx *c)
{
	return c->target == c->writer;
}

static bool target_id_is_writers(const struct write_ctx *c)
{
	const struct contid_obj *cur = c->target->obj;
	return cur && cur->owner_identity == c->writer->identity;
}

/* A new ID nests below the writer's: its depth is the writer's plus one. */
static bool new_id_too_deep(const struct write_ctx *c)
{
	unsigned limit = c->w->depth_limit;
	return !c->existing && limit && chain_depth(c->writer->obj) >= limit;
}

/* B may replace A only by extending it: every set bit of A kept, and new
 * bits only below A's lowest set bit (any B when there is no A). */
static bool value_does_not_extend(const struct write_ctx *c)
{
	if (!c->target->obj)
		return false;
	uint64_t a = c->target->obj->value, b = c->value;
	uint64_t below_lowest = a ? (a & -a) - 1 : UINT64_MAX;
	return (b & a) != a || (b & ~a & ~below_lowest);
}

static bool value_names_no_id(const struct write_ctx *c)
{
	return c->value != 0 && !c->existing;
}

static bool over_id_limit(const struct write_ctx *c)
{
	const struct contid_world *w = c->w;
	return !c->existing && w->max_ids && HASH_COUNT(w->objs) >= w->max_ids;
}

static bool capcontid_target_not_below_writer(const struct write_ctx *c)
{
	return c->target == c->writer ||
	       !proc_is_descendant(c->w, proc_of(c->w, c->target),
				   proc_of(c->w, c->writer));
}

static bool capcontid_writer_lacks_right(const struct write_ctx *c)
{
	const struct contid_world *w = c->w;
	return !may_control(w, c->writer) &&
	       !(w->profile->capcontid_unchecked_outside_init &&
		 c->writer->userns != w->init_userns);
}

static const struct refusal released = {
	"R-SET-0", ENOPROTOOPT, "the target has exited", target_released };
static const struct refusal unset = {
	"R-SET-1", EINVAL, "the value 2^64-1 means unset", value_is_unset };
static const struct refusal no_right = {
	"R-SET-2", EPERM, "the writer has no right to set IDs",
	writer_lacks_right };
static const struct refusal threaded = {
	"R-SET-3", EBUSY, "the target is a thread or has other threads",
	target_is_threaded };
static const struct refusal has_children = {
	"R-SET-3", EBUSY, "the target has children", target_has_children };
static const struct refusal not_below = {
	"R-SET-4", EXDEV, "the target does not strictly descend from the writer",
	target_not_below_writer };
static const struct refusal already_set = {
	"R-SET-5", EEXIST, "the target has an ID and the write does not nest",
	target_is_set };
static const struct refusal only_pinned = {
	"R-SIG-RELEASE", ENOTUNIQ,
	"an ID with this value is kept alive only by the signal pin",
	existing_only_pinned };
static const struct refusal not_owner = {
	"R-SET-6", ENOTUNIQ, "an ID with this value belongs to another task",
	existing_owned_by_other };

/* v6 and v8 */
static const struct refusal threaded_already = {
	"R-SET-3", EALREADY, "the target is a thread or has other threads",
	target_is_threaded };

/* v8 */
static const struct refusal v8_same_value = {
	"R-SET-5", EADDRINUSE, "the target already holds this value",
	target_holds_value };
static const struct refusal v8_self = {
	"R-SET-4", EBADSLT, "the target is the writer", target_is_writer };
static const struct refusal v8_owner_reset = {
	"R-SET-5", ECHILD, "the target's ID belongs to the writer",
	target_id_is_writers };
static const struct refusal v8_too_deep = {
	"V8-DEPTH", EMLINK, "a new ID would nest deeper than the depth limit",
	new_id_too_deep };

/* bits */
static const struct refusal bits_not_extension = {
	"R-SET-5", EEXIST, "the value does not extend the target's bits",
	value_does_not_extend };

/* kernel-alloc */
static const struct refusal kalloc_no_such_id = {
	"R-SET-6", EINVAL, "a value other than 0 must name an existing ID",
	value_names_no_id };

/* every profile, after its own refusals */
static const struct refusal id_limit = {
	"LIMIT-IDS", ENOSPC, "the world holds as many IDs as its limit allows",
	over_id_limit };

/* capcontid, whatever the profile (after R-SET-0) */
static const struct refusal capcontid_not_below = {
	"CAPCONTID-DESC", EXDEV,
	"the target does not strictly descend from the writer",
	capcontid_target_not_below_writer };
static const struct refusal capcontid_no_right = {
	"CAPCONTID-PRIV", EPERM, "the writer has no right to set capcontid",
	capcontid_writer_lacks_right };

/* ---------------------------------------------------------- profiles */

static const struct profile profiles[] = {
	{
		.name = "v11", /* the default: first */
		.resolve = resolve_by_value,
		.refusals = (const struct refusal *const[]){
			&unset, &no_right, &threaded, &has_children,
			&not_below, &already_set, &only_pinned, &not_owner,
			NULL },
		.owned = true, .nest_parent = true, .pin_signaller = true,
		.capcontid_grants = true,
		.drop_records = true, .chain = CHAIN_COMMA_CARET,
	},
	{
		/* shared values: anyone may hold any value */
		.name = "v6",
		.resolve = resolve_by_value,
		.refusals = (const struct refusal *const[]){
			&unset, &no_right, &has_children, &threaded_already,
			NULL },
		.op_task_fields = true, .chain = CHAIN_COMMA_CARET,
	},
	{
		.name = "v8",
		.resolve = resolve_by_value,
		.refusals = (const struct refusal *const[]){
			&unset, &v8_same_value, &no_right, &has_children,
			&threaded_already, &v8_self, &not_below, &v8_owner_reset,
			&not_owner, &v8_too_deep, NULL },
		.owned = true, .nest_parent = true, .drop_records = true,
		.chain = CHAIN_CARET_UNSET_NUMBER,
	},
	{
		.name = "v11-posted",
		.resolve = resolve_by_value,
		.refusals = (const struct refusal *const[]){
			&unset, &no_right, &threaded, &has_children,
			&not_below, &already_set, &only_pinned, &not_owner,
			NULL },
		.owned = true, .nest_parent = true, .leak_parent = true,
		.pin_signaller = true,
		.capcontid_grants = true,
		.capcontid_unchecked_outside_init = true,
		.drop_records = true, .chain = CHAIN_COMMA_CARET,
	},
	{
		/* values still live and die like v11's objects, so their
		 * freeing is logged; only owners and nesting parents go */
		.name = "bits",
		.resolve = resolve_by_value,
		.refusals = (const struct refusal *const[]){
			&unset, &no_right, &threaded, &has_children,
			&not_below, &bits_not_extension, NULL },
		.capcontid_grants = true, .drop_records = true,
		.chain = CHAIN_COMMA_CARET,
	},
	{
		.name = "kernel-alloc",
		.resolve = resolve_allocated,
		.refusals = (const struct refusal *const[]){
			&unset, &no_right, &threaded, &has_children,
			&not_below, &already_set, &kalloc_no_such_id,
			&only_pinned, &not_owner, NULL },
		.owned = true, .nest_parent = true, .pin_signaller = true,
		.capcontid_grants = true,
		.drop_records = true, .chain = CHAIN_COMMA_CARET,
	},
};

#define NPROFILES (sizeof(profiles) / sizeof(profiles[0]))
#define NREGISTERED 4

/* Profiles the tests add (profile_register()), after the table's. */
static const struct profile *registered[NREGISTERED];
static size_t nregistered;

/* The names contid_profile_names() returns: the table's, then the
 * registered ones, then NULL; filled once, from the table. */
static const char *names[NPROFILES + NREGISTERED + 1];
static once_flag names_once = ONCE_FLAG_INIT;

static void names_fill(void)
{
	for (size_t i = 0; i < NPROFILES; i++)
		names[i] = profiles[i].name;
}

CONTID_EXPORT const char *const *contid_profile_names(void)
{
	call_once(&names_once, names_fill);
	return names;
}

const struct profile *profile_default(void)
{
	return &profiles[0];
}

const struct profile *profile_find(const char *name)
{
	for (size_t i = 0; i < NPROFILES; i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	for (size_t i = 0; i < nregistered; i++)
		if (strcmp(registered[i]->name, name) == 0)
			return registered[i];
	return NULL;
}

int profile_register(const struct profile *p)
{
	if (!p || !p->name || !p->resolve || !p->refusals)
		return -EINVAL;
	if (profile_find(p->name))
		return -EEXIST;
	if (nregistered == NREGISTERED)
		return -ENOSPC;
	call_once(&names_once, names_fill);
	names[NPROFILES + nregistered] = p->name;
	registered[nregistered++] = p;
	return 0;
}

/* ----------------------------------------------------------- the book */

const struct refusal *rules_target_released(const struct write_ctx *c)
{
	return released.refuses(c) ? &released : NULL;
}

const struct refusal *rules_judge_write(struct write_ctx *c)
{
	const struct profile *p = c->w->profile;

	p->resolve(c);
	for (const struct refusal *const *r = p->refusals; *r; r++)
		if ((*r)->refuses(c))
			return *r;
	return id_limit.refuses(c) ? &id_limit : NULL;
}

const struct refusal *rules_judge_capcontid(const struct write_ctx *c)
{
	if (capcontid_not_below.refuses(c))
		return &capcontid_not_below;
	return capcontid_no_right.refuses(c) ? &capcontid_no_right : NULL;
}

bool rules_may_read(const struct contid_world *w, const struct task *reader)
{
	return may_control(w, reader);
}
