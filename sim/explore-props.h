/*
 * The built-in properties procsim explore checks (docs/explore.md states
 * each one): the invariants of the library's checker on every state, and
 * the named properties, some about a state, some about a step.
 */
#ifndef EXPLORE_PROPS_H
#define EXPLORE_PROPS_H

#include <stdbool.h>
#include <sys/types.h>

#include "explore-ops.h"

struct contid_world;

enum xprop {
	XP_INVARIANTS,
	XP_PRIV,
	XP_CONTAIN,
	XP_OWNER,
	XP_FREE,
	XP_BUILTINS
};

const char *xprop_name(enum xprop p);
/* The built-in named @name (any case), or -1. */
int xprop_from_name(const char *name);

/* Names a pid in a detail; NULL: "pid N". */
typedef const char *(*xprop_name_fn)(void *data, pid_t pid);

/*
 * Whether the step from @pre to @post by @op (which succeeded) breaks
 * property @p, for the properties about steps (P-PRIV, P-CONTAIN,
 * P-OWNER); with @why, what broke it is appended there.
 */
bool xprop_step_breaks(enum xprop p, const struct contid_world *pre,
		       const struct contid_world *post, const struct xop *op,
		       xprop_name_fn name, void *name_data, struct scn_str *why);

/* Whether state @w breaks property @p (P-INVARIANTS, P-FREE). */
bool xprop_state_breaks(enum xprop p, const struct contid_world *w,
			xprop_name_fn name, void *name_data, struct scn_str *why);

static inline bool xprop_is_step(enum xprop p)
{
	return p == XP_PRIV || p == XP_CONTAIN || p == XP_OWNER;
}

#endif
