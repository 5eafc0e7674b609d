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

/* The record callback tw_new() installs: @userdata is the test_world. */
void tw_capture(void *userdata, int type, const char *line, size_t len);
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

/*
 * The world of the running test, for suites whose tests open their own.
 * close_world() frees it; register it as a checked teardown, which Check
 * runs even when an assertion failed (with CK_FORK=no, under Valgrind, a
 * failing test must not also leak).
 */
struct test_world *open_world(void);
void close_world(void);
/* A test case named @name, added to @s, with close_world() as teardown. */
TCase *world_tcase(Suite *s, const char *name);
/* The same with @setup, which opens the world, as the checked setup. */
TCase *fixture_tcase(Suite *s, void (*setup)(void), const char *name);

/* ------------------------------------------------ tasks that must work */

/* A new process, child of @parent. */
pid_t spawn(struct contid_world *w, pid_t parent);
/* A new thread in @leader's thread group. */
pid_t spawn_thread(struct contid_world *w, pid_t leader);
/* A child of @parent that is not capable(CAP_AUDIT_CONTROL). */
pid_t spawn_unprivileged(struct contid_world *w, pid_t parent);
/* A child of @parent forked with @flags that exited: a zombie. */
pid_t fork_zombie(struct contid_world *w, pid_t parent, unsigned flags);
/* A child of @parent that exited and was not reaped. */
pid_t spawn_zombie(struct contid_world *w, pid_t parent);
/* A new child of init with uid @uid (R-SETUID: leaving 0 empties caps). */
pid_t user_task(struct contid_world *w, uint32_t uid);
/* A child of init that unshared its user namespace @levels times. */
pid_t deep_task(struct contid_world *w, unsigned levels);
/*
 * A uid-0 task that joined the namespace of a uid-1000 task @levels deep:
 * "root that joined a namespace made by uid 1000" (R-USERNS-NEW).  Its uid
 * 0 is not mapped there.
 */
pid_t unmapped_root(struct contid_world *w, unsigned levels);
/* Exit, then reap, that must succeed; both keep every invariant. */
void exit_ok(struct contid_world *w, pid_t pid);
void reap_ok(struct contid_world *w, pid_t pid);
void drop_cap_ok(struct contid_world *w, pid_t pid, int cap);
void setcap_ok(struct contid_world *w, pid_t writer, pid_t target,
	       uint32_t value);
/* contid_write / contid_write_capcontid of the C string @s. */
int write_str(struct contid_world *w, pid_t writer, pid_t target,
	      const char *s);
int capwrite_str(struct contid_world *w, pid_t writer, pid_t target,
		 const char *s);

/* The highest pid of a task that is not gone. */
pid_t highest_pid(struct contid_world *w);
/* Makes every number below pid_max taken (forks from init fill holes). */
void fill_pid_space(struct contid_world *w);

/* ------------------------------------------- task queries that must work */

pid_t ppid_of(struct contid_world *w, pid_t pid);
pid_t tgid_of(struct contid_world *w, pid_t pid);
/* 1 if @a is a strict descendant of @b (R-DESC), else 0. */
int is_desc(struct contid_world *w, pid_t a, pid_t b);

/* CONTID_TASK_RUNNING / CONTID_TASK_ZOMBIE, or the negative errno. */
int state_of(struct contid_world *w, pid_t pid);
uint32_t uid_of(struct contid_world *w, pid_t pid);
unsigned level_of(struct contid_world *w, pid_t pid);
int has_cap(struct contid_world *w, pid_t pid, int cap);
int capable_of(struct contid_world *w, pid_t pid, int cap);
uint64_t identity_of(struct contid_world *w, pid_t pid);
uint32_t capcontid_of(struct contid_world *w, pid_t pid);
/* The number of capabilities, 0 .. CONTID_CAP_LAST_CAP. */
#define NCAPS (CONTID_CAP_LAST_CAP + 1)
/* Every capability 0..40 in @pid's own namespace is @has. */
void assert_all_caps(struct contid_world *w, pid_t pid, int has);
/* capable(cap) is @is for every capability. */
void assert_capable_all(struct contid_world *w, pid_t pid, int is);
/* The chain of @pid's ID must read exactly @want. */
void assert_chain(struct contid_world *w, pid_t pid, const char *want);
/* The network namespace list of @pid must be exactly @want, front first. */
void assert_netns(struct contid_world *w, pid_t pid, const uint64_t *want,
		  size_t n);
#define ASSERT_NETNS(w, pid, ...)                                         \
	assert_netns((w), (pid), (const uint64_t[]){ __VA_ARGS__ },       \
		     sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t))
#define ASSERT_NETNS_EMPTY(w, pid) assert_netns((w), (pid), NULL, 0)

/* --------------------------------------------- ID objects that must exist */

unsigned users_of(struct contid_world *w, uint64_t value);
unsigned refs_of(struct contid_world *w, uint64_t value);

/* users and refs of a live object in one line */
#define ASSERT_COUNTS(w, value, users, refs)                        \
	do {                                                        \
		ck_assert_uint_eq(users_of((w), (value)), (users)); \
		ck_assert_uint_eq(refs_of((w), (value)), (refs));   \
	} while (0)
uint64_t parent_of(struct contid_world *w, uint64_t value);
pid_t owner_pid_of(struct contid_world *w, uint64_t value);
uint64_t owner_identity_of(struct contid_world *w, uint64_t value);
/* No ID object holds @value. */
void assert_no_object(struct contid_world *w, uint64_t value);

/* ------------------------------ expected records (test-records*.c) */
/* The conventions these rely on are listed at the top of test-records.c. */

struct exp_rec {
	int type;
	char line[1024];
};

/* The record type names, written out here (not taken from the library). */
const char *type_text(int type);
/* "type=NAME msg=audit(SEC.MSEC:SERIAL): FIELDS" for operation number @op. */
void rec(struct exp_rec *e, int type, unsigned op, unsigned serial,
	 const char *fields);
/*
 * The SYSCALL fields of a write to a /proc file (section 8 table):
 * syscall=1, success=yes/no, exit=<bytes or -errno>, a2=<bytes in
 * lowercase hex>, ppid/pid the writer's parent tgid and tgid, U its uid,
 * and " record=1" when a CONTAINER_ID precedes it.
 */
void sc_write(char *f, size_t size, int ok, int ret, size_t len,
	      int ppid, int pid, unsigned uid, const char *name, int record1);
/* The SYSCALL fields of an `event` (syscall=257, open of fd 3). */
void sc_event(char *f, size_t size, int ppid, int pid, unsigned uid,
	      const char *name, int record1);
/* The SYSCALL fields of a `signal` (syscall=62, kill(2)) that returned
 * @ret, to pid @target (a0, a pid as an unsigned long) with @sig (a1). */
void sc_kill(char *f, size_t size, int ret, unsigned long long target, int sig,
	     int ppid, int pid, unsigned uid, const char *name, int record1);
/* The records captured since the last clear are exactly @e[0..n). */
void expect(const struct test_world *tw, const struct exp_rec *e, size_t n);
void expect_none(const struct test_world *tw);
/* Fork that must succeed and give the child pid @expected. */
pid_t fork_expect(struct contid_world *w, pid_t parent, unsigned flags,
		  pid_t expected);
/*
 * "when the acting task holds an ID, its CONTAINER_ID comes before its
 * SYSCALL, and that SYSCALL ends with ` record=1`".  engine (4) holds 100
 * (inherited from c1) and nests 200 into c2 (5).
 */
void build_nested(struct contid_world *w);

#endif
