/*
 * The Check suites of test-contid, one per file and one concept per file;
 * test-main.c runs them all.  (test-alloc.c and test-profiles.c are
 * programs of their own, and so are the white-box tests of procsim's
 * parts, test-sim.c and test-explore-uprops.c, which link sim/.)
 */
#ifndef TEST_SUITES_H
#define TEST_SUITES_H

#include <check.h>

Suite *suite_fork(void);              /* test-fork.c: the world at start, R-FORK, R-FORK-NS */
Suite *suite_pids(void);              /* test-pids.c: the pid allocator, R-ID */
Suite *suite_exit(void);              /* test-exit.c: R-EXIT, R-REAP, R-ZOMBIE-CHILD, R-DESC */
Suite *suite_ns(void);                /* test-ns.c: R-USERNS-NEW, R-UNSHARE, R-SETNS */
Suite *suite_caps(void);              /* test-caps.c: R-CAP, R-SETUID, drop-cap */
Suite *suite_write(void);             /* test-write.c: R-W-1, R-W-2, the order, get */
Suite *suite_write_rules(void);       /* test-write-rules.c: R-SET-0 .. R-SET-7 */
Suite *suite_capcontid(void);         /* test-capcontid.c: capcontid */
Suite *suite_life(void);              /* test-life.c: R-LIFE */
Suite *suite_netns_lists(void);       /* test-netns-lists.c: network namespace ID lists */
Suite *suite_records(void);           /* test-records.c: CONTAINER_OP op=set */
Suite *suite_records_capcontid(void); /* test-records-capcontid.c: SET_CAPCONTID */
Suite *suite_records_drop(void);      /* test-records-drop.c: CONTAINER_OP op=drop */
Suite *suite_records_events(void);    /* test-records-events.c: event, packet */
Suite *suite_records_clock(void);     /* test-records-clock.c: clock, serials, audit off */
Suite *suite_records_names(void);     /* test-records-names.c: comm, exe, record types */
Suite *suite_callback(void);          /* test-callback.c: what a record callback may do */
Suite *suite_check(void);             /* test-check.c: the invariants hold */
Suite *suite_check_broken(void);      /* test-check-broken.c: each broken one is caught */
Suite *suite_api(void);               /* test-api.c: the API contracts of lib/contid.h */
Suite *suite_clone_digest(void);      /* test-clone-digest.c: clone and digest */
Suite *suite_refusals(void);          /* test-refusals.c: the rule behind each refusal */
Suite *suite_signal(void);            /* test-signal.c: R-SIG-*, the audit daemon and the pin */

/* test-profiles, beside its own suite (test-profiles.c) */
Suite *suite_profile_contract(void);  /* test-profile-contract.c: a profile is data */

#endif
