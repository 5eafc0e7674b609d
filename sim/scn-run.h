/* Replaying a scenario file against a fresh world. */
#ifndef SCN_RUN_H
#define SCN_RUN_H

#include <stdio.h>

#include "scn.h"

struct contid_world;

struct scn_run_options {
	const char *profile;      /* --profile, overrides the file's; NULL: none */
	FILE *records;            /* --records: raw audit log, or NULL */
	FILE *json;               /* --format json: one object per statement */
	/* called with the final world of each file that ran (--dot) */
	void (*final_world)(void *data, const char *path,
			    const struct contid_world *w,
			    const struct scn_names *names,
			    const pid_t *pids, const bool *present);
	void *final_world_data;
	bool quiet;               /* no messages on stderr (fuzzing) */
};

struct scn_run_result {
	unsigned statements;
	unsigned expectations;
	unsigned failed;
};

/* Exit status for the file: 0 all held, 1 some did not, 2 unreadable/syntax. */
int scn_run_file(const char *path, const struct scn_run_options *opts,
		 struct scn_run_result *result);

/* As scn_run_file() on bytes already in memory (@data[len] must be 0). */
int scn_run_data(const char *path, const char *data, size_t len,
		 const struct scn_run_options *opts, struct scn_run_result *result);

/* Parses only (pass one); 0, or 2 with the error printed unless @quiet. */
int scn_check_file(const char *path, const char *data, size_t len, bool quiet);

#endif
