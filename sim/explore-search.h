/*
 * The search of procsim explore: breadth-first over every world the
 * operations in bounds reach, each world stored as the step that first
 * reached it (its digest, its parent, the operation), so that a stored
 * state costs bytes, not a world.
 */
#ifndef EXPLORE_SEARCH_H
#define EXPLORE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "explore-ops.h"
#include "explore-props.h"

struct contid_world;
struct xuprops;

/* At most this many profiles are compared at once. */
#define XSEARCH_MAX_WORLDS 16

/* The "property" a --compare difference breaks. */
#define XPROP_DIFFERENCE (-1)

struct xsearch_stats {
	uint64_t states;          /* stored: distinct worlds reached */
	uint64_t transitions;     /* operations tried */
	unsigned depth;           /* layers finished */
	uint64_t frontier;        /* states of the layer being expanded */
	uint64_t frontier_done;   /* of which expanded */
	uint64_t bytes;           /* memory of the stored states */
	double seconds;
};

struct xsearch_config {
	const struct xbounds *bounds;
	unsigned depth;
	unsigned nworlds;         /* one per profile */
	bool compare;             /* look for outcomes that differ */
	bool props[XP_BUILTINS];  /* built-ins to check */
	const struct xuprops *uprops;
	const bool *uprops_on;    /* which of uprops (NULL: none) */
	/* states that differ only in the numbering of their live pids are
	 * one (contid_world_digest_symmetric()): for a search whose tasks are
	 * all usable and whose properties never name a pid's value */
	bool symmetry;
	/* with symmetry, for a search of one world: states that differ by any
	 * renumbering of their live pids are one
	 * (contid_world_digest_canonical()) */
	bool task_symmetry;
	/* with symmetry, and @nvalues above 0: states that differ only in
	 * which of these values they use are one too
	 * (contid_world_digest_orbit()): for a search of one world (with
	 * several, each would be renamed its own way) that treats them alike
	 * (docs/explore.md says when) */
	const uint64_t *values;
	size_t nvalues;
	/* rebuild every state expanded from its path and check that it has
	 * the digest it was stored by (a test of the search itself) */
	bool verify;
	uint64_t max_states;      /* 0: no limit */
	uint64_t max_memory;      /* bytes; 0: no limit */
	unsigned threads;         /* at least 1 */
	unsigned shard, nshards;  /* this process's part: shard of nshards */
	/* tasks an operation may name; called from every thread */
	bool (*usable)(void *data, const struct contid_world *w, pid_t pid);
	void *usable_data;
	/* called about once a second from the searching thread */
	void (*progress)(void *data, const struct xsearch_stats *st);
	void *progress_data;
};

enum xverdict {
	XV_HOLDS,                 /* the bounded space keeps every property */
	XV_VIOLATED,              /* a counterexample is in the result */
	XV_INCOMPLETE,            /* a limit stopped the search */
};

struct xsearch_result {
	enum xverdict verdict;
	const char *limit;        /* XV_INCOMPLETE: "--max-states", ... */
	struct xsearch_stats stats;
	unsigned split_depth;     /* with shards: the layer that was split */
	/* with cfg->verify: a state that failed the check, else UINT32_MAX */
	uint32_t unverified;
	/* XV_VIOLATED: the property (an enum xprop, XP_BUILTINS + i for the
	 * user property i, or XPROP_DIFFERENCE) and the operations from the
	 * start that lead to it, the breaking one last */
	int property;
	struct xop *trail;
	size_t trail_len;
};

/*
 * Searches from @roots (cfg->nworlds worlds, left unchanged).  Returns
 * 0 with @res filled (free it with xsearch_result_free()).
 */
int xsearch_run(const struct xsearch_config *cfg,
		struct contid_world *const *roots, struct xsearch_result *res);
void xsearch_result_free(struct xsearch_result *res);

/* Tries the state properties of @cfg on @w; the first that breaks, or -2
 * when none does (the property numbering of struct xsearch_result). */
int xsearch_state_breaks(const struct xsearch_config *cfg,
			 const struct contid_world *w);

#endif
