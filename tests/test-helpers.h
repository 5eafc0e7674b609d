/* Shared fixtures for the Check suites: a world, record capture, shorthands. */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "contid.h"

#define TEST_MAX_RECORDS 256

struct captured_record {
	int type;
	char *line;
};

/* A world plus every record it emitted since the last records_clear(). */
struct test_world {
	struct contid_world *w;
	struct captured_record records[TEST_MAX_RECORDS];
	size_t nrecords;
};

/* Creates a v11 world with record capture on; asserts success. */
struct test_world *tw_new(void);
void tw_free(struct test_world *tw);
void tw_records_clear(struct test_world *tw);
/* The most recent captured record of @type, or NULL. */
const char *tw_last_record(const struct test_world *tw, int type);

/* Fork that must succeed; returns the child's pid. */
pid_t fork_ok(struct contid_world *w, pid_t parent, unsigned flags);
/* Set that must succeed. */
void set_ok(struct contid_world *w, pid_t writer, pid_t target, uint64_t id);
/* The task's own ID through the inspection API (CONTID_UNSET if none). */
uint64_t contid_of(struct contid_world *w, pid_t pid);
/* The invariant checker must report no broken invariant. */
void assert_invariants(const struct contid_world *w);

#endif
