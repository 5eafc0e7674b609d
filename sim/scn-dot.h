/* Graphviz output of final worlds (procsim --dot). */
#ifndef SCN_DOT_H
#define SCN_DOT_H

#include <stddef.h>
#include <stdio.h>

#include "scn-run.h"

/* By default, a world of more tasks than this is drawn as a summary: one
 * node per ID (and one for the tasks without one) in each user namespace,
 * the tasks it stands for counted in it (procsim --dot-full draws every
 * task whatever their number). */
#define SCN_DOT_DETAIL_MAX 60

struct scn_dot;

/* Starts a graph on @f; a world of more than @detail_max tasks is drawn
 * as a summary (SIZE_MAX: never, 0: always). */
struct scn_dot *scn_dot_begin(FILE *f, size_t detail_max);
void scn_dot_end(struct scn_dot *d);
/* Matches scn_run_options.final_world. */
void scn_dot_world(void *data, const struct scn_final *fin);

#endif
