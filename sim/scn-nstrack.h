/*
 * Which user and network namespace each task is in, as a replay made
 * them, for pictures of the final world (procsim --dot).
 *
 * libcontid's public API says a task's user namespace level and the IDs
 * of its network namespace, but not which namespace it is: two sibling
 * namespaces of one level cannot be told apart through it.  procsim sees
 * every operation, though, and namespaces change only in three of them,
 * as Linux changes them (docs/semantics.md sections 3 and 7): a fork gives the
 * child its caller's namespaces, or new ones below them (CLONE_NEWUSER,
 * CLONE_NEWNET); unshare gives the task a new one; setns gives it
 * another task's.  A new user namespace is owned by its creator's uid,
 * one level below its creator's.  So the runner tells this table about
 * each of those operations that succeeded, and the table numbers the
 * namespaces in the order they were made (0: the initial ones).
 *
 * The library's own levels check it: the fuzz harness compares every
 * task's level here with contid_task_userns_level().
 */
#ifndef SCN_NSTRACK_H
#define SCN_NSTRACK_H

#include <stdint.h>
#include <sys/types.h>

struct scn_userns {
	uint32_t parent;     /* the namespace it was made in (0 for 0 itself) */
	uint32_t owner_uid;  /* the uid of the task that made it */
	unsigned level;      /* 0 for the initial namespace */
};

struct scn_nstrack {
	uint32_t *userns_of;        /* by pid */
	uint32_t *netns_of;         /* by pid */
	size_t pids;                /* entries in both */
	struct scn_userns *userns;  /* by number, 0 the initial one */
	size_t nuserns, userns_cap;
	uint32_t nnetns;            /* network namespaces made, the initial
				     * one included */
};

void scn_nstrack_init(struct scn_nstrack *t);
void scn_nstrack_free(struct scn_nstrack *t);

/* @caller forked @child with CONTID_CLONE_* @flags; @uid: the caller's. */
void scn_nstrack_fork(struct scn_nstrack *t, pid_t caller, pid_t child,
		      unsigned flags, uint32_t uid);
/* @pid unshared a namespace of CONTID_NS_* @nstype; @uid: its uid. */
void scn_nstrack_unshare(struct scn_nstrack *t, pid_t pid, int nstype,
			 uint32_t uid);
/* @pid joined the namespace of CONTID_NS_* @nstype that @other is in. */
void scn_nstrack_setns(struct scn_nstrack *t, pid_t pid, int nstype,
		       pid_t other);

/* The namespaces of the task at @pid (a pid the replay made, or 1). */
uint32_t scn_nstrack_userns_of(const struct scn_nstrack *t, pid_t pid);
uint32_t scn_nstrack_netns_of(const struct scn_nstrack *t, pid_t pid);

#endif
