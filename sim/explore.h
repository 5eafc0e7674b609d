/* procsim explore: exhaustive search of every small world (docs/explore.md). */
#ifndef EXPLORE_H
#define EXPLORE_H

#include <stddef.h>

/* Runs `procsim explore`; @argv[0] is "explore".  Returns the exit status. */
int explore_main(int argc, char **argv);

/*
 * The same, with the setup's text given as @setup (@setup_len bytes; NULL:
 * read SETUP from the command line as usual), and, when
 * @counterexample_out is not NULL, the counterexample handed back there
 * (NULL when none; free() it).  For the fuzzer, which has no files.
 */
int explore_run(int argc, char **argv, const char *setup, size_t setup_len,
		char **counterexample_out);

#endif
