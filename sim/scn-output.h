/*
 * procsim's output streams and files.  Whatever state the standard
 * streams are in and however paths are spelt, no output ever lands in
 * another stream's file, in another output or in a scenario being read,
 * and no write error goes unreported.
 */
#ifndef SCN_OUTPUT_H
#define SCN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Opens each of the descriptors 0, 1 and 2 that is closed on /dev/null,
 * read-only, so that no file opened later takes its number and receives
 * what was meant for that stream, while writing to it still fails as it
 * would have.  Returns 0, or -errno when one cannot be opened.
 */
int scn_std_streams_open(void);

/* An output file named by an option (--records FILE, --dot FILE). */
struct scn_output {
	const char *option;       /* "--records", for messages */
	const char *path;         /* NULL: not asked for; "-": standard output */
	FILE *f;                  /* once opened */
	bool created;             /* the file did not exist before */
};

/*
 * Opens every output that was asked for, after checking that no two of
 * them are the same file, that none is one of the @ninputs scenario files
 * @inputs, and that none (and neither standard output nor standard error)
 * shares a file with another stream, whatever the spelling (the same
 * device and inode; character devices such as /dev/null may be shared).
 * Nothing is written, and no file is truncated, unless every check
 * passes.  Returns 0, or -1 with the reason printed on standard error.
 */
int scn_outputs_open(struct scn_output *outs, size_t nouts,
		     char *const *inputs, size_t ninputs);

/*
 * Flushes and closes @f (standard output is flushed only), reporting a
 * write error on standard error as "procsim: error writing WHAT: REASON".
 * Returns 0, or -1 after a write error.  NULL @f is a no-op.
 */
int scn_output_close(FILE *f, const char *what);

#endif
