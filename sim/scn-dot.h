/* Graphviz output of final worlds (procsim --dot). */
#ifndef SCN_DOT_H
#define SCN_DOT_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct contid_world;
struct scn_dot;
struct scn_names;

struct scn_dot *scn_dot_begin(FILE *f);
void scn_dot_end(struct scn_dot *d);
/* Matches scn_run_options.final_world. */
void scn_dot_world(void *data, const char *path, const struct contid_world *w,
		   const struct scn_names *names, const pid_t *pids,
		   const bool *present);

#endif
