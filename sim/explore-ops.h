/*
 * The operations procsim explore tries: which exist, how each is tried on
 * a world with given operands, and how it reads as a scenario statement.
 * docs/explore.md lists them.
 */
#ifndef EXPLORE_OPS_H
#define EXPLORE_OPS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scn-mem.h"

struct contid_world;

enum xop_kind {
	XOP_FORK,
	XOP_FORK_THREAD,
	XOP_FORK_SIBLING,
	XOP_FORK_NEWUSER,
	XOP_FORK_NEWNET,
	XOP_EXIT,
	XOP_REAP,
	XOP_SUBREAPER,
	XOP_UNSHARE_USER,
	XOP_UNSHARE_NET,
	XOP_SETNS_USER,
	XOP_SETNS_NET,
	XOP_SETUID,
	XOP_DROP_CAP,
	XOP_SET_CONTID,
	XOP_SET_CAPCONTID,
	XOP_GET_CONTID,
	XOP_GET_CAPCONTID,
	XOP_EVENT,
	XOP_PACKET,
	XOP_AUDITD,
	XOP_SIGNAL,
	XOP_SIGNAL_INFO,
	XOP_KINDS
};

/* The name --ops uses for @kind ("fork-thread", "set-contid", ...). */
const char *xop_kind_name(enum xop_kind kind);
/* The kind named @name, or -1; "unshare" and "setns" are not kinds but
 * groups, which xop_parse_list() expands. */
int xop_kind_from_name(const char *name, size_t len);

/* A value written to a /proc file: its bytes and how a scenario says it. */
struct xvalue {
	char *buf;
	size_t len;
	char *text;              /* a number, unset, or a quoted string */
};

/* What is tried: every operation of @ops with every operand in bounds. */
struct xbounds {
	unsigned max_tasks;      /* tasks not gone, init included */
	unsigned max_level;      /* user-namespace levels */
	bool ops[XOP_KINDS];
	struct xvalue *values;   /* set-contid */
	size_t nvalues;
	struct xvalue *capvalues; /* set-capcontid */
	size_t ncapvalues;
	uint32_t *uids;
	size_t nuids;
	int *caps;
	size_t ncaps;
	int *signals;            /* signal */
	size_t nsignals;
};

/* One operation with its operands: the pids of the acting task and of the
 * other one (target, namespace holder), and an index into the bounds'
 * list of values, capvalues, uids, caps or signals. */
struct xop {
	uint8_t kind;
	uint8_t arg;
	uint32_t a, b;
};

/* What an operation answered: 0 or -errno, and a read's value, or for
 * signal-info a hash of its reply (which tells two replies apart; the
 * text comes from xop_apply_reply()). */
struct xoutcome {
	int err;
	uint64_t value;
};

/* Whether @kind, answering @err, may have changed the world: a success
 * but of reads, events and packets, which only log; and a kill refused
 * for its permission, which was recorded first (R-SIG-SEND). */
static inline bool xop_changes(enum xop_kind kind, int err)
{
	if (kind == XOP_SIGNAL)
		return err == 0 || err == -EPERM;
	return err == 0 && kind != XOP_GET_CONTID && kind != XOP_GET_CAPCONTID &&
	       kind != XOP_EVENT && kind != XOP_PACKET;
}

static inline bool xop_is_fork(enum xop_kind kind)
{
	return kind <= XOP_FORK_NEWNET;
}

/*
 * Every operation to try on @w, in a fixed order, into *@out (grown as
 * needed, *@cap elements): pids in increasing order, each kind in enum
 * order.  Tasks for which @usable says false (tasks a counterexample could
 * not name) are left out.  Returns the number.
 */
size_t xop_candidates(const struct contid_world *w, const struct xbounds *b,
		      bool (*usable)(void *data, const struct contid_world *w,
				     pid_t pid),
		      void *usable_data, struct xop **out, size_t *cap);

/*
 * Whether @op, tried on @w, is known to leave it as it is whatever it
 * answers: a uid set to the one the task has ("succeeds without effect",
 * docs/semantics.md R-SETUID) or a capability dropped that the task does
 * not hold.  False when it may change something.
 */
bool xop_no_effect(const struct contid_world *w, const struct xbounds *b,
		   const struct xop *op);

/* Tries @op on @w; *@child gets a fork's new pid.  Returns the outcome. */
struct xoutcome xop_apply(struct contid_world *w, const struct xbounds *b,
			  const struct xop *op, pid_t *child);
/* As xop_apply(), and @reply gets signal-info's reply as a scenario
 * outcome writes it ("uid=0 pid=5 contid=4,^2"; empty for any other). */
struct xoutcome xop_apply_reply(struct contid_world *w, const struct xbounds *b,
				const struct xop *op, pid_t *child,
				struct scn_str *reply);

/* Appends @outcome as a scenario outcome word ("ok", "EPERM", "100",
 * "unset", a quoted reply of signal-info when @reply has one) to @s. */
void xop_outcome_text(struct scn_str *s, enum xop_kind kind,
		      struct xoutcome outcome, const struct scn_str *reply);

/* Whether two outcomes of @kind read the same. */
bool xop_outcome_equal(enum xop_kind kind, struct xoutcome x,
		       struct xoutcome y);

/*
 * Appends @op as a scenario statement, without outcome, to @s; @name
 * names a pid (@new_name: the new task of a fork).
 */
void xop_text(struct scn_str *s, const struct xbounds *b, const struct xop *op,
	      const char *(*name)(void *data, pid_t pid), void *name_data,
	      const char *new_name);

/*
 * Command-line lists.  Each returns 0, or -1 with a message (free() it)
 * in *@msg.
 */
int xop_parse_ops(const char *list, bool ops[XOP_KINDS], char **msg);
int xop_parse_values(const char *list, uint64_t max, struct xvalue **values,
		     size_t *n, char **msg);
int xop_parse_uids(const char *list, uint32_t **uids, size_t *n, char **msg);
int xop_parse_caps(const char *list, int **caps, size_t *n, char **msg);
int xop_parse_signals(const char *list, int **signals, size_t *n, char **msg);
void xop_free_values(struct xvalue *values, size_t n);

#endif
