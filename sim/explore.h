/* procsim explore: exhaustive search of every small world (docs/explore.md). */
#ifndef EXPLORE_H
#define EXPLORE_H

/* Runs `procsim explore`; @argv[0] is "explore".  Returns the exit status. */
int explore_main(int argc, char **argv);

#endif
