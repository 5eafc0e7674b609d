/* Every test file contributes one Check suite; test-main.c runs them all. */
#ifndef TEST_SUITES_H
#define TEST_SUITES_H

#include <check.h>

Suite *suite_tree(void);     /* test-tree.c: R-FORK, R-EXIT, R-REAP, R-DESC, pids, R-ID */
Suite *suite_ns(void);       /* test-ns.c: R-USERNS-NEW, R-CAP, R-UNSHARE, R-SETNS, R-SETUID */
Suite *suite_write(void);    /* test-write.c: R-W-1, R-W-2, R-SET-0..7, get */
Suite *suite_life(void);     /* test-life.c: R-LIFE, capcontid, network namespace lists */
Suite *suite_records(void);  /* test-records.c: section 8 records */
Suite *suite_check(void);    /* test-check.c: section 10 invariants, API contracts */

#endif
