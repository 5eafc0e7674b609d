/* Replaying a scenario file against a fresh world. */
#ifndef SCN_RUN_H
#define SCN_RUN_H

#include <stdio.h>
#include <sys/types.h>

#include "scn-error.h"
#include "scn.h"

struct contid_world;
struct scn_names;
struct scn_nstrack;
struct scn_progress;

/* What became of one statement, for scn_run_options.statement. */
struct scn_verdict {
	bool ran;                 /* false: guarded out under this profile */
	bool judged;              /* an expectation (not profile or config) */
	bool ok;                  /* the expectation held (true if not judged) */
	const char *expected;     /* as messages print them; NULL if not judged */
	const char *outcome;
	/* the rule that refused an operation and why, as the library names
	 * them (contid_world_last_refusal()); NULL when it was not refused */
	const char *rule;
	const char *reason;
};

/* The final world of a file that ran, for scn_run_options.final_world. */
struct scn_final {
	const char *path;
	const struct contid_world *w;
	const struct scn_names *names;
	const pid_t *pids;        /* by binding: the pid of the task it names */
	const bool *present;      /* by binding: it names a task that exists */
	const struct scn_nstrack *ns; /* each task's namespaces (scn-nstrack.h) */
};

struct scn_run_options {
	const char *profile;      /* --profile, overrides the file's; NULL: none */
	FILE *records;            /* --records: raw audit log, or NULL */
	FILE *json;               /* --format json: one object per statement */
	FILE *tap;                /* --format tap: one test point per
				   * expectation, numbered from *tap_count */
	unsigned *tap_count;      /* test points written so far (with tap) */
	FILE *junit;              /* --junit: a <testsuite> per file (the
				   * caller writes what is around them) */
	/* called with the final world of each file that ran (--dot); with
	 * it, the runner tracks the namespaces the replay makes */
	void (*final_world)(void *data, const struct scn_final *f);
	void *final_world_data;
	/* called after each statement of a file that runs (--compare) */
	void (*statement)(void *data, const struct scn_stmt *s,
			  const struct scn_verdict *v);
	void *statement_data;
	bool quiet;               /* no messages on stderr (fuzzing) */
	uint64_t max_file_bytes;  /* 0: SCN_DEFAULT_MAX_FILE_BYTES */
	bool fail_fast;           /* stop a file at its first failed expectation */
	bool no_failure_lines;    /* the statement callback reports broken
				   * expectations itself (--compare) */
	/* a line on the terminal while a long file runs, or NULL; with
	 * progress_what ("v8, pass 3 of 6") after the file's name */
	struct scn_progress *progress;
	const char *progress_what;
};

struct scn_run_result {
	unsigned statements;
	unsigned expectations;
	unsigned failed;
	unsigned skipped;         /* statements guarded out under the profile */
	const char *profile;      /* the profile the file ran under */
	unsigned stopped_line;    /* fail_fast stopped the replay after this
				   * line; 0: it ran to the end */
};

/* What a message says happened: "EBUSY (R-SET-3: the target has children)"
 * for a refused operation, else the outcome alone. */
void scn_outcome_text(struct scn_str *out, const struct scn_verdict *v);

/* Exit status for the file: 0 all held, 1 some did not, 2 unreadable/syntax.
 * @path "-" is standard input, named "<stdin>" in messages and outputs. */
int scn_run_file(const char *path, const struct scn_run_options *opts,
		 struct scn_run_result *result);

/* As scn_run_file() on bytes already in memory (@data[len] must be 0). */
int scn_run_data(const char *path, const char *data, size_t len,
		 const struct scn_run_options *opts, struct scn_run_result *result);

/* Parses only, under @profile (NULL: the file's own); 0, or -1 with the
 * error in @err (an empty one, or one to be cleared).  With @progress, a
 * long pass shows "PATH: WHAT: N%" (WHAT may be NULL). */
int scn_check_data(const char *data, size_t len, const char *profile,
		   struct scn_error *err, struct scn_progress *progress,
		   const char *path, const char *what);

#endif
