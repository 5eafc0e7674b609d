/*
 * procsim --compare: each file replayed in a fresh world under every
 * profile libcontid knows (or those --profiles picks), the outcomes side
 * by side.
 */
#ifndef SCN_COMPARE_H
#define SCN_COMPARE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The statement column of the text matrix, unless --width says otherwise. */
#define SCN_COMPARE_WIDTH 48

struct scn_progress;

struct scn_compare_options {
	FILE *out;                /* the matrix (text) or one JSON object per file */
	bool json;
	bool quiet;               /* text: no matrix and no "not run" line */
	FILE *records;            /* --records: every pass's records, or NULL */
	uint64_t max_file_bytes;  /* 0: SCN_DEFAULT_MAX_FILE_BYTES */
	/* --profiles: the columns, as indexes into contid_profile_names(), in
	 * their order; NULL: every profile, in the library's order */
	const unsigned *profiles;
	unsigned nprofiles;
	bool only_diff;           /* --only-diff: the rows marked '*' alone */
	bool detail;              /* --detail: a refused cell names its rule */
	unsigned width;           /* text: the statement column is cut to this
				   * many characters, "..." included; 0: never */
	struct scn_progress *progress; /* a line on the terminal, or NULL */
};

/* Exit status for the file: 0 every expectation held under every profile,
 * 1 some did not, 2 the file could not be read or parsed. */
int scn_compare_file(const char *path, const struct scn_compare_options *o);

#endif
