/*
 * Scenario files: statements as the parser hands them to the runner.
 * The language is described in docs/scenarios.md.
 */
#ifndef SCN_H
#define SCN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits, documented in docs/scenarios.md and procsim(1); the file size
 * limit is in scn-read.h. */
#define SCN_MAX_LINE_BYTES 65536
#define SCN_MAX_NAME_BYTES 64
#define SCN_MAX_RECORD_FIELDS 64

enum scn_verb {
	SCN_PROFILE,
	SCN_CONFIG_PID_MAX,
	SCN_CONFIG_DEPTH_LIMIT,
	SCN_CONFIG_AUDIT,
	SCN_FORK,
	SCN_EXIT,
	SCN_REAP,
	SCN_SUBREAPER,
	SCN_UNSHARE,
	SCN_SETNS,
	SCN_SETUID,
	SCN_DROP_CAP,
	SCN_SET_CONTID,
	SCN_GET_CONTID,
	SCN_SET_CAPCONTID,
	SCN_GET_CAPCONTID,
	SCN_EVENT,
	SCN_PACKET,
	SCN_AUDITD,
	SCN_SIGNAL,
	SCN_SIGNAL_INFO,
	SCN_CHECK_CONTID,
	SCN_CHECK_CHAIN,
	SCN_CHECK_OWNER,
	SCN_CHECK_FREE,
	SCN_CHECK_PARENT,
	SCN_CHECK_USERS,
	SCN_CHECK_CAPCONTID,
	SCN_CHECK_LEVEL,
	SCN_CHECK_PPID,
	SCN_CHECK_PID,
	SCN_CHECK_RECORD,
	SCN_CHECK_NO_RECORD,
	SCN_CHECK_PINNED,
};

/* Relies on the checks coming last in enum scn_verb. */
static inline bool scn_verb_is_check(enum scn_verb verb)
{
	return verb >= SCN_CHECK_CONTID;
}

enum scn_expect_kind {
	SCN_EXPECT_OK,
	SCN_EXPECT_ERRNO,
	SCN_EXPECT_ANY,
	SCN_EXPECT_VALUE,
	SCN_EXPECT_REPLY,   /* signal-info: "uid=U pid=P contid=CHAIN" */
	SCN_EXPECT_CHECK,   /* a check statement: the expectation is itself */
};

struct scn_expect {
	enum scn_expect_kind kind;
	int err;            /* positive errno for SCN_EXPECT_ERRNO */
	uint64_t value;     /* for SCN_EXPECT_VALUE */
	const char *reply;  /* for SCN_EXPECT_REPLY, in the statement's
			     * scratch, not NUL-terminated */
	size_t reply_len;
};

struct scn_field {
	const char *key;    /* NUL-terminated, in the statement's scratch */
	const char *value;  /* may contain $name references */
};

/*
 * A task operand: the index of a name binding.  Bindings are numbered the
 * same way on every pass over a file, so the runner can keep its own
 * table of what each binding refers to.
 */
typedef uint32_t scn_binding;
#define SCN_NO_BINDING UINT32_MAX

/* `check owner VALUE none`: the object has no owner (v6, bits). */
#define SCN_OWNER_NONE 1u
/* `check owner VALUE gone`: its owner task no longer exists. */
#define SCN_OWNER_GONE 2u

struct scn_stmt {
	enum scn_verb verb;
	unsigned line;
	const char *text;        /* the line as written, without newline */
	size_t text_len;
	scn_binding task;        /* first task operand, or the new task of fork */
	scn_binding other;       /* second task operand */
	unsigned flags;          /* fork flags, namespace type, SCN_OWNER_* */
	uint64_t number;         /* uid, cap, signal, N, VALUE of checks,
				  * config value */
	uint64_t number2;        /* check parent's PARENT, check users' N */
	const char *new_name;    /* fork: the name of the new task */
	const char *buf;         /* written buffer (set-contid, set-capcontid) */
	size_t buf_len;
	const char *profile;     /* profile NAME */
	int record_type;
	size_t nfields;
	struct scn_expect expect; /* under the parser's profile */
	bool unbinds;            /* a successful reap / thread exit unbinds task */
	bool guarded;            /* the line starts with an @guard */
	bool active;             /* runs under the parser's profile (no guard,
				  * or a guard that names it) */
	size_t label_len;        /* text without outcome, comment and trailing
				  * blanks: the statement as a matrix row shows it */
	/* last: the parser clears everything before it for each statement */
	struct scn_field fields[SCN_MAX_RECORD_FIELDS];
};

#endif
