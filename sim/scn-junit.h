/*
 * JUnit XML (procsim --junit FILE): a <testsuite> per scenario file, a
 * <testcase> per expectation, for the CI systems that read no TAP.
 */
#ifndef SCN_JUNIT_H
#define SCN_JUNIT_H

#include <stdio.h>

#include "scn-error.h"
#include "scn-mem.h"

struct scn_stmt;
struct scn_verdict;

/* One file's test cases, gathered until its counts are known. */
struct scn_junit_suite {
	struct scn_str *cases;
	unsigned tests, failures, skipped;
};

void scn_junit_begin(FILE *out);
void scn_junit_end(FILE *out);

void scn_junit_suite_init(struct scn_junit_suite *js);
void scn_junit_suite_free(struct scn_junit_suite *js);
/* Adds the test case of one statement (nothing for profile and config);
 * @got is what procsim's message says happened, the refusing rule
 * included. */
void scn_junit_case(struct scn_junit_suite *js, const char *path,
		    const struct scn_stmt *s, const struct scn_verdict *v,
		    const char *got, const char *profile);
/* The suite of a file that ran, as XML text appended to @out. */
void scn_junit_suite_text(const struct scn_junit_suite *js, struct scn_str *out,
			  const char *path, const char *profile);
/* The suite of a file that could not be read or parsed: one test case
 * with an <error>, written to @out. */
void scn_junit_error_suite(FILE *out, const char *path, const struct scn_error *err);

#endif
