/*
 * Scenario files: statements as the parser hands them to the runner.
 * The language is described in docs/scenarios.md.
 */
#ifndef SCN_H
#define SCN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "scn-mem.h"

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
	SCN_CHECK_CONTID,
	SCN_CHECK_CHAIN,
	SCN_CHECK_OWNER,
	SCN_CHECK_FREE,
	SCN_CHECK_PARENT,
	SCN_CHECK_USERS,
	SCN_CHECK_CAPCONTID,
	SCN_CHECK_LEVEL,
	SCN_CHECK_PPID,
	SCN_CHECK_RECORD,
};

enum scn_expect_kind {
	SCN_EXPECT_OK,
	SCN_EXPECT_ERRNO,
	SCN_EXPECT_ANY,
	SCN_EXPECT_VALUE,
	SCN_EXPECT_CHECK,   /* a check statement: the expectation is itself */
};

struct scn_expect {
	enum scn_expect_kind kind;
	int err;            /* positive errno for SCN_EXPECT_ERRNO */
	uint64_t value;     /* for SCN_EXPECT_VALUE */
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

struct scn_stmt {
	enum scn_verb verb;
	unsigned line;
	const char *text;        /* the line as written, without newline */
	size_t text_len;
	scn_binding task;        /* first task operand, or the new task of fork */
	scn_binding other;       /* second task operand */
	unsigned flags;          /* fork flags, namespace type, SCN_OWNER_NONE */
	uint64_t number;         /* uid, cap, N, VALUE of checks, config value */
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

/* A syntax or input error; the message is as long as it needs to be. */
struct scn_error {
	unsigned line;           /* 0: about the whole file */
	unsigned column;
	char *message;           /* owned; NULL: no error */
};

void scn_error_set(struct scn_error *e, unsigned line, unsigned column,
		   const char *fmt, ...) SCN_PRINTF(4, 5);
void scn_error_vset(struct scn_error *e, unsigned line, unsigned column,
		    const char *fmt, va_list ap) SCN_PRINTF(4, 0);
/* Appends to the message. */
void scn_error_appendf(struct scn_error *e, const char *fmt, ...)
	SCN_PRINTF(2, 3);
/* Frees the message; the error is empty again. */
void scn_error_clear(struct scn_error *e);
/* Hands @from's error to @to (whose own is freed); @from is left empty. */
void scn_error_move(struct scn_error *to, struct scn_error *from);
/* Prints "PATH:LINE:COLUMN: error: MESSAGE" (or "PATH: error: MESSAGE")
 * to standard error. */
void scn_print_error(const char *path, const struct scn_error *err);

/* Name bindings as a pass over the file sees them. */
struct scn_names;
struct scn_names *scn_names_new(void);
void scn_names_free(struct scn_names *names);
/* The name of a binding (for messages and $name). */
const char *scn_names_name(const struct scn_names *names, scn_binding b);
scn_binding scn_names_count(const struct scn_names *names);

/*
 * Profiles: whatever libcontid knows (contid_profile_names()), in its
 * order, the default first.  scn_profiles_text() is "v11, v6, ..." for
 * messages.  Guards and per-profile outcomes keep sets of profiles as bit
 * masks, so at most SCN_MAX_PROFILES are used.
 */
#define SCN_MAX_PROFILES 64
bool scn_profile_known(const char *name);
/* The index of @name (length @len) in contid_profile_names(), or -1. */
int scn_profile_index(const char *name, size_t len);
unsigned scn_profile_count(void);
const char *scn_profile_name(unsigned index);
const char *scn_profiles_text(void);

/*
 * A pass over a scenario's bytes, statement by statement.  scn_next()
 * returns 1 with *stmt filled, 0 at the end, -1 on a syntax error (details
 * in the parser's error).  Statement memory lives until the next call.
 *
 * The pass is made under one profile, because guards, per-profile outcomes
 * and with them name bindings depend on it: @profile (a known name) for the
 * whole file, as `procsim --profile` or --compare give it, or NULL for the
 * file's own: v11 until a `profile` statement names another.
 */
struct scn_parser;
struct scn_parser *scn_parser_new_for(const char *data, size_t len,
				      const char *profile);
/* A pass that continues from where @p is, independently of it. */
struct scn_parser *scn_parser_clone(const struct scn_parser *p);
void scn_parser_free(struct scn_parser *p);
int scn_next(struct scn_parser *p, struct scn_stmt *stmt);
/* The error of the last scn_next() that returned -1 (take it with
 * scn_error_move()). */
struct scn_error *scn_parser_error(struct scn_parser *p);
const struct scn_names *scn_parser_names(const struct scn_parser *p);

bool scn_verb_is_check(enum scn_verb verb);

#endif
