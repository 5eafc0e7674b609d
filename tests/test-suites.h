/* One Check suite per area, built in the file named; test-main.c runs them all. */
#ifndef TEST_SUITES_H
#define TEST_SUITES_H

#include <check.h>

Suite *suite_tree(void);     /* test-tree.c: R-FORK, pids, R-ID (+ R-EXIT, R-REAP, R-DESC) */
Suite *suite_ns(void);       /* test-ns.c: R-USERNS-NEW, R-UNSHARE, R-SETNS (+ R-CAP, R-SETUID) */
Suite *suite_write(void);    /* test-write.c: R-W-1, R-W-2, order, get (+ R-SET-0..7) */
Suite *suite_life(void);     /* test-life.c: R-LIFE, network namespace lists (+ capcontid) */
Suite *suite_records(void);  /* test-records.c: section 8 records of ID writes (+ the rest) */
Suite *suite_callback(void); /* test-callback.c: what a record callback may do */
Suite *suite_check(void);    /* test-check.c: section 10 invariants (+ API contracts) */
Suite *suite_check_broken(void); /* test-check-broken.c: each broken invariant caught */

/*
 * A suite whose tests fill more than one file: its suite_*() function adds
 * the test cases of the other files through these.
 */
void add_tree_exit_tcases(Suite *s);       /* test-tree-exit.c: R-EXIT, R-REAP, R-DESC */
void add_ns_caps_tcases(Suite *s);         /* test-ns-caps.c: R-CAP, R-SETUID, drop-cap */
void add_write_rules_tcases(Suite *s);     /* test-write-rules.c: R-SET-0..7 */
void add_life_capcontid_tcases(Suite *s);  /* test-life-capcontid.c: capcontid */
void add_records_events_tcases(Suite *s);  /* test-records-events.c: drop, event, packet, ... */
void add_check_api_tcases(Suite *s);       /* test-check-api.c: API contracts */

#endif
