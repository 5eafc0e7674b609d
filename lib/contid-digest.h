/*
 * The digests (docs/semantics.md section 11): what the white-box tests
 * reach besides the API.
 *
 * Where it sits: above the tree, the ID objects, the namespaces and the
 * rule book, which it reads; nothing in the library calls it.
 */
#ifndef CONTID_DIGEST_H
#define CONTID_DIGEST_H

#include "contid-world.h"

/*
 * contid_world_digest_canonical() of @w (arguments already checked), and
 * the live pids in the order its walk took them, which @pids gets (room
 * for every live task): worlds with equal canonical digests are one
 * another renumbered by mapping the pids of these lists place by place.
 */
int digest_canonical_order(const struct contid_world *w, unsigned forks,
			   const uint64_t *values, size_t nvalues,
			   pid_t *pids, uint64_t digest[2]);

#endif
