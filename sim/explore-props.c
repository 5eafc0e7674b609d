/*
 * The built-in properties of procsim explore, as docs/explore.md states
 * them.  The step properties look at the world before and after one
 * successful operation: checked on every step of a breadth-first search,
 * the first step that breaks one is found, and before it every earlier
 * step kept it, which is what lets a property about a whole history
 * ("never later") be judged one step at a time.
 */
#include <contid.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "explore-props.h"

static const char *const names[XP_BUILTINS] = {
	[XP_INVARIANTS] = "P-INVARIANTS",
	[XP_PRIV] = "P-PRIV",
	[XP_CONTAIN] = "P-CONTAIN",
	[XP_OWNER] = "P-OWNER",
	[XP_FREE] = "P-FREE",
};

const char *xprop_name(enum xprop p)
{
	return p < XP_BUILTINS ? names[p] : NULL;
}

int xprop_from_name(const char *name)
{
	for (int p = 0; p < XP_BUILTINS; p++)
		if (strcasecmp(name, names[p]) == 0)
			return p;
	return -1;
}

static const char *pid_name(xprop_name_fn name, void *data, pid_t pid,
			    char buf[32])
{
	if (name)
		return name(data, pid);
	snprintf(buf, 32, "pid %d", (int)pid);
	return buf;
}

static uint64_t contid_of(const struct contid_world *w, pid_t pid)
{
	uint64_t id = CONTID_UNSET;

	contid_task_contid(w, pid, &id);
	return id;
}

/* P-PRIV: the writer was capable(CAP_AUDIT_CONTROL) or held capcontid.
 * Checked at the first step that breaks it, a capcontid the writer holds
 * was granted by a writer that kept the property, so "granted by such a
 * writer" needs no history. */
static bool priv_breaks(const struct contid_world *pre, const struct xop *op,
			xprop_name_fn name, void *data, struct scn_str *why)
{
	int capable = 0;
	uint32_t capcontid = 0;
	pid_t writer = (pid_t)op->a;
	char buf[32];

	if (op->kind != XOP_SET_CONTID && op->kind != XOP_SET_CAPCONTID)
		return false;
	contid_task_capable(pre, writer, CONTID_CAP_AUDIT_CONTROL, &capable);
	contid_task_capcontid(pre, writer, &capcontid);
	if (capable || capcontid)
		return false;
	if (why)
		scn_str_appendf(why, "%s wrote %s of %s, being neither capable"
				"(CAP_AUDIT_CONTROL) nor granted capcontid",
				pid_name(name, data, writer, buf),
				op->kind == XOP_SET_CONTID ? "the audit container ID"
							   : "capcontid",
				name ? name(data, (pid_t)op->b) : "its target");
	return true;
}

/* Whether @inner is @outer or nested under it: on its parent chain, or,
 * under bits, which has no parents, an extension of its bits. */
static bool nested_in(const struct contid_world *w, uint64_t inner,
		      uint64_t outer)
{
	if (strcmp(contid_world_profile(w), "bits") == 0)
		return (inner & outer) == outer;
	for (unsigned hops = 0; inner != CONTID_UNSET && hops < 1000000; hops++) {
		if (inner == outer)
			return true;
		if (contid_id_parent(w, inner, &inner) < 0)
			return false;
	}
	return false;
}

/* P-CONTAIN: a task that had ID A holds A or an ID nested under A. */
static bool contain_breaks(const struct contid_world *pre,
			   const struct contid_world *post, const struct xop *op,
			   xprop_name_fn name, void *data, struct scn_str *why)
{
	char buf[32];

	if (op->kind != XOP_SET_CONTID)
		return false;
	pid_t target = (pid_t)op->b;
	uint64_t before = contid_of(pre, target), after = contid_of(post, target);
	if (before == CONTID_UNSET || after == before || nested_in(post, after, before))
		return false;
	if (why)
		scn_str_appendf(why, "%s had ID %" PRIu64 " and now holds %" PRIu64
				", which is not nested under it",
				pid_name(name, data, target, buf), before, after);
	return true;
}

/* P-OWNER: a value in use goes to another task only by its owner's write. */
static bool owner_breaks(const struct contid_world *pre,
			 const struct contid_world *post, const struct xop *op,
			 xprop_name_fn name, void *data, struct scn_str *why)
{
	uint64_t owner = 0, writer_identity = 0;
	char buf[32], buf2[32];

	if (op->kind != XOP_SET_CONTID)
		return false;
	pid_t writer = (pid_t)op->a, target = (pid_t)op->b;
	uint64_t before = contid_of(pre, target), after = contid_of(post, target);
	if (after == before || after == CONTID_UNSET)
		return false;
	if (contid_id_owner(pre, after, &owner, NULL) < 0)
		return false;                   /* not in use: a new ID */
	contid_task_identity(pre, writer, &writer_identity);
	if (owner && owner == writer_identity)
		return false;
	if (why)
		scn_str_appendf(why, "%s gave %s the value %" PRIu64 ", in use and "
				"%s", pid_name(name, data, writer, buf),
				pid_name(name, data, target, buf2), after,
				owner ? "owned by another task" : "owned by nobody");
	return true;
}

bool xprop_step_breaks(enum xprop p, const struct contid_world *pre,
		       const struct contid_world *post, const struct xop *op,
		       xprop_name_fn name, void *name_data, struct scn_str *why)
{
	switch (p) {
	case XP_PRIV: return priv_breaks(pre, op, name, name_data, why);
	case XP_CONTAIN: return contain_breaks(pre, post, op, name, name_data, why);
	case XP_OWNER: return owner_breaks(pre, post, op, name, name_data, why);
	default: return false;
	}
}

#define FEW_IDS 64

/* P-FREE: every live ID is held by a task, is the parent of a live ID,
 * or is pinned by the signal state (docs/semantics.md section 6a: the
 * audit daemon has not asked who signalled it yet). */
static bool free_breaks(const struct contid_world *w, struct scn_str *why)
{
	uint64_t few[FEW_IDS], *ids = few, pinned = CONTID_UNSET;
	size_t n = contid_id_count(w);

	if (n == 0)
		return false;
	if (n > FEW_IDS)
		ids = scn_calloc(n, sizeof(*ids));
	n = (size_t)contid_id_list(w, ids, n);
	bool broken = false;
	for (size_t i = 0; i < n && !broken; i++) {
		unsigned users = 0;
		contid_id_users(w, ids[i], &users);
		if (users)
			continue;
		if (pinned == CONTID_UNSET)
			contid_pinned(w, &pinned);
		if (ids[i] == pinned)
			continue;
		bool parent = false;
		for (size_t j = 0; j < n && !parent; j++) {
			uint64_t up = CONTID_UNSET;
			parent = contid_id_parent(w, ids[j], &up) == 0 && up == ids[i];
		}
		if (parent)
			continue;
		broken = true;
		if (why)
			scn_str_appendf(why, "ID %" PRIu64 " is held by no task, is "
					"the parent of no ID and is not pinned, yet it is "
					"not free", ids[i]);
	}
	if (ids != few)
		free(ids);
	return broken;
}

bool xprop_state_breaks(enum xprop p, const struct contid_world *w,
			xprop_name_fn name, void *name_data, struct scn_str *why)
{
	(void)name;
	(void)name_data;
	if (p == XP_FREE)
		return free_breaks(w, why);
	if (p != XP_INVARIANTS)
		return false;
	char msg[512];
	if (contid_world_check(w, msg, sizeof(msg)) == 0)
		return false;
	if (why)
		scn_str_appendf(why, "the library's invariant checker: %s", msg);
	return true;
}
