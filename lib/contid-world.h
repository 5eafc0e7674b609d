/*
 * The world and the operation bracket.
 *
 * Where it sits: this header is the floor every room of lib/ stands on.  It
 * holds only data and inline functions, so including it adds no call from
 * one file to another.  contid_world.c, which creates and frees worlds and
 * holds the settings and clones worlds, is the top room: it assembles all
 * the others.
 *
 * The rooms, lowest first; each .c calls only rooms listed above it:
 *
 *   contid_alloc.c    allocation and failure injection
 *   contid_names.c    errno and record type names
 *   contid_tree.c     tasks, pids and the process tree
 *   contid_id.c       ID objects and the ID lists of network namespaces
 *   contid_ns.c       namespaces, capabilities and credentials
 *   contid_rules.c    the rule book: every profile, capcontid, the ID limit
 *   contid_record.c   records: every line the library logs
 *   contid_procfs.c   the /proc files: parse a write, judge it, commit it
 *   contid_signal.c   the audit daemon, kill(2) and the signal pin
 *   contid_process.c  fork, exit and reap
 *   contid_check.c    the invariant checker
 *   contid_dump.c     the canonical dump
 *   contid_digest.c   the digest: a fingerprint of the canonical state
 *   contid_world.c    world life (new, clone, free) and settings
 *
 * Each room keeps its private declarations in the header of the same name
 * (contid-tree.h for contid_tree.c, ...) and includes only the headers of
 * the rooms it uses.
 */
#ifndef CONTID_WORLD_H
#define CONTID_WORLD_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "contid.h"

struct task;
struct userns;
struct netns;
struct contid_obj;
struct netns_extra;
struct profile;
struct write_ctx;

/*
 * One way an operation can be refused: the rule that refuses it, the
 * errno and a one-line reason, which contid_world_last_refusal() hands
 * out (docs/semantics.md section 11, choice (p)).  Each room defines the
 * refusals of the operations it implements, next to them, as static data;
 * the rule book's write refusals carry the predicate that decides too.
 */
struct refusal {
	const char *rule;    /* its rule ID, e.g. "R-SET-3" */
	int err;             /* the errno it refuses with (positive) */
	const char *reason;  /* one line, e.g. "the target has children" */
	/* the rule book's: does it refuse this write?  (NULL elsewhere) */
	bool (*refuses)(const struct write_ctx *c);
};

/*
 * Each part belongs to the room named above it; the others only read it,
 * but for the settings, which contid_world.c writes when asked, and the
 * running operation's event, which the records take (op_has_event).
 */
struct contid_world {
	/* contid_tree.c: tasks and pids */
	struct task **chunks;
	uint32_t nchunks;
	uint32_t slots_used;         /* slots ever handed out, excluding 0 */
	uint32_t free_slots;         /* list through next_sibling */
	uint32_t nr_tasks;           /* not gone */
	unsigned long max_tasks;     /* 0: no limit */
	uint32_t init_slot;
	uint32_t chunk0_size;        /* slots in chunks[0]: grows to a full chunk */
	uint64_t next_identity;
	uint32_t *pid_slot;          /* pid -> slot, NO_TASK when free */
	uint64_t *pid_bitmap;        /* bit set: pid in use */
	uint32_t pid_capacity;       /* entries allocated in pid_slot */
	uint32_t pid_max;
	uint32_t last_pid;

	/* contid_id.c: ID objects */
	struct contid_obj *objs;     /* uthash head, by value */
	struct netns_extra *netns_extras; /* uthash head, by (object, list) */
	uint64_t alloc_hint;         /* kernel-alloc: all of [1, hint) in use */
	struct contid_obj *pinned;   /* the object the signal state keeps
				      * alive (R-SIG-RELEASE), or NULL */

	/* contid_ns.c: namespaces */
	struct userns *init_userns;
	struct netns *init_netns;
	struct userns *userns_live;
	struct netns *netns_live;
	uint64_t next_ns_id;

	/* settings of the rule book (contid_rules.c) */
	const struct profile *profile;
	unsigned depth_limit;        /* v8 */
	unsigned long max_ids;       /* 0: no limit */

	/* contid_signal.c: the audit daemon and who last signalled it
	 * (docs/semantics.md section 6a) */
	uint32_t auditd_slot;        /* the daemon's process leader, NO_TASK */
	uint32_t sig_target_slot;    /* the remembered daemon thread ... */
	uint64_t sig_target_identity;/* ... while its slot holds this task */
	uint32_t sig_uid;            /* UINT32_MAX before a recorded signal */
	int32_t sig_pid;             /* -1 before a recorded signal */
	uint64_t sig_value;          /* profiles that pin nothing: the
				      * sender's value, CONTID_UNSET: none */

	/* contid_record.c: records */
	bool audit;
	uint64_t serial;             /* last event serial */
	contid_record_fn record_fn;
	void *record_data;
	bool in_record_fn;           /* record_fn is running: see world_may_change */
	char *recbuf;
	size_t recbuf_size;
	size_t reclen;
	int rectype;

	/* the operation bracket, below */
	uint64_t clock_ms;           /* operations so far */
	uint64_t op_stamp;           /* timestamp of the running operation */
	bool op_has_event;           /* the running operation took a serial */
	const struct refusal *op_refusal; /* what refused the running one */
	const struct refusal *refusal;    /* what refused the last operation
					   * that ended, NULL when it did not
					   * fail (or none ran yet) */
};

/*
 * The first check of every exported function that may change @w, after
 * its other pointer arguments (every function refuses a NULL one with
 * -EINVAL before anything else): a NULL world is -EINVAL, and while @w's
 * record callback runs, -EDEADLK.  An operation started from the callback
 * would take the serial of the one being logged and overwrite the record
 * buffer the callback was handed; a setter would change the rules or the
 * logging half-way through that operation.  So both are refused whole,
 * before any rule is checked.
 */
static inline int world_may_change(const struct contid_world *w)
{
	if (!w)
		return -EINVAL;
	return w->in_record_fn ? -EDEADLK : 0;
}

/* Starts an operation: stamps it with the clock. */
static inline void op_begin(struct contid_world *w)
{
	w->op_stamp = w->clock_ms;
	w->op_has_event = false;
	w->op_refusal = NULL;
}

/*
 * The running operation is refused by @r: returns its negated errno, and
 * keeps @r for op_end().  Every failure of an operation but -ENOMEM goes
 * through here, so that whoever asks learns which rule refused it.
 */
static inline int refuse(struct contid_world *w, const struct refusal *r)
{
	w->op_refusal = r;
	return -r->err;
}

/*
 * Ends it: the clock moves on and the refusal (or none, on success)
 * becomes the last one, unless the operation failed for memory, which
 * leaves the world exactly as it was (choice (a)) and is no rule's answer.
 */
static inline int op_end(struct contid_world *w, int ret)
{
	if (ret != -ENOMEM) {
		w->clock_ms++;
		w->refusal = ret < 0 ? w->op_refusal : NULL;
	}
	return ret;
}

#endif
