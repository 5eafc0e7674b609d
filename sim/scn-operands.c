/*
 * The operands of each statement, after its verb: tasks, written values,
 * capabilities, fork options, the kinds of check and config.  Kept apart
 * from scn-parse.c, which reads lines and dispatches on the verb, since
 * this is the part that grows with the language.
 */
#include <contid.h>
#include <string.h>
#include <strings.h>

#include "scn-operands.h"
#include "scn-suggest.h"
#include "scn-records.h"
#include "scn-syntax.h"

/* VALUE written to a /proc file: a number (as typed), unset, or "bytes". */
int scn_parse_written(struct scn_parser *p)
{
	const struct scn_token *t = scn_take(p, "value");
	if (!t)
		return -1;
	if (t->whole_quoted) {
		p->stmt->buf = t->text;
		p->stmt->buf_len = t->len;
		return 0;
	}
	if (t->quoted)
		return scn_fail(p, t->column, "a written value is a number, unset, or one quoted string");
	if (scn_is_word(t, "unset")) {
		p->stmt->buf = "18446744073709551615";
		p->stmt->buf_len = strlen(p->stmt->buf);
		return 0;
	}
	/* Written exactly as typed, whatever its size: a number above the
	 * file's range is the kernel's ERANGE (R-W-2), not a syntax error. */
	if (t->len == 0 || strspn(t->text, "0123456789") != t->len)
		return scn_fail(p, t->column, "expected a number, unset or a quoted buffer, got '%s'",
				t->text);
	p->stmt->buf = t->text;
	p->stmt->buf_len = t->len;
	return 0;
}

/* An ID value in a check: a number or unset. */
static int parse_id_value(struct scn_parser *p, bool allow_unset, const char *unset_word)
{
	const struct scn_token *t = scn_take(p, "value");
	if (!t)
		return -1;
	if (allow_unset && scn_is_word(t, unset_word)) {
		p->stmt->number = CONTID_UNSET;
		return 0;
	}
	return scn_parse_number(p, t, UINT64_MAX, "a number", &p->stmt->number);
}

/* The word of @list (@n of them) closest to @word, if close enough. */
static const char *suggest_from(const char *word, const char *const *list, size_t n)
{
	struct scn_suggest s;

	scn_suggest_begin(&s, word);
	for (size_t i = 0; i < n; i++)
		scn_suggest_add(&s, list[i]);
	return scn_suggest_end(&s);
}

int scn_parse_nstype(struct scn_parser *p)
{
	const struct scn_token *t = scn_take(p, "namespace type (user or net)");
	if (!t)
		return -1;
	if (scn_is_word(t, "user"))
		p->stmt->flags = CONTID_NS_USER;
	else if (scn_is_word(t, "net"))
		p->stmt->flags = CONTID_NS_NET;
	else {
		static const char *const types[] = { "user", "net" };
		scn_fail(p, t->column, "unknown namespace type '%s' (user or net)", t->text);
		return scn_fail_hint(p, suggest_from(t->text, types, SCN_N_ELEMENTS(types)));
	}
	return 0;
}

static const char *const cap_names[CONTID_CAP_LAST_CAP + 1] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill",
	"setgid", "setuid", "setpcap", "linux_immutable", "net_bind_service",
	"net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner",
	"sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
	"sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time",
	"sys_tty_config", "mknod", "lease", "audit_write", "audit_control",
	"setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
	"block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
};

const char *scn_cap_name(int cap)
{
	return cap >= 0 && cap <= CONTID_CAP_LAST_CAP ? cap_names[cap] : NULL;
}

int scn_cap_lookup(const char *name)
{
	if (strncasecmp(name, "cap_", 4) == 0)
		name += 4;
	for (int i = 0; i <= CONTID_CAP_LAST_CAP; i++)
		if (strcasecmp(name, cap_names[i]) == 0)
			return i;
	return -1;
}

const char *scn_cap_suggest(const char *name)
{
	if (strncasecmp(name, "cap_", 4) == 0)
		name += 4;
	return suggest_from(name, cap_names, SCN_N_ELEMENTS(cap_names));
}

int scn_parse_cap(struct scn_parser *p)
{
	const struct scn_token *t = scn_take(p, "capability");
	if (!t)
		return -1;
	int cap = t->quoted ? -1 : scn_cap_lookup(t->text);
	if (cap >= 0) {
		p->stmt->number = (uint64_t)cap;
		return 0;
	}
	scn_fail(p, t->column, "unknown capability '%s'", t->text);
	return scn_fail_hint(p, scn_cap_suggest(t->text));
}

static const struct {
	const char *name;
	int sig;
} signals[] = {
	{ "hup", CONTID_SIG_HUP }, { "int", CONTID_SIG_INT },
	{ "kill", CONTID_SIG_KILL }, { "usr1", CONTID_SIG_USR1 },
	{ "usr2", CONTID_SIG_USR2 }, { "term", CONTID_SIG_TERM },
};

const char *scn_signal_name(int sig)
{
	for (size_t i = 0; i < SCN_N_ELEMENTS(signals); i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return NULL;
}

int scn_signal_lookup(const char *name)
{
	for (size_t i = 0; i < SCN_N_ELEMENTS(signals); i++)
		if (strcmp(name, signals[i].name) == 0)
			return signals[i].sig;
	return -1;
}

const char *scn_signal_suggest(const char *name)
{
	/* "SIGTERM" means "term": the C names of signals begin with SIG
	 * (the comparison ignores case) */
	const char *word = strncasecmp(name, "sig", 3) == 0 && name[3] ? name + 3
									 : name;
	struct scn_suggest s;

	scn_suggest_begin(&s, word);
	for (size_t i = 0; i < SCN_N_ELEMENTS(signals); i++)
		scn_suggest_add(&s, signals[i].name);
	return scn_suggest_end(&s);
}

int scn_parse_signal(struct scn_parser *p)
{
	const struct scn_token *t = scn_take(p, "signal (hup, int, kill, usr1, usr2 "
					     "or term)");
	if (!t)
		return -1;
	int sig = t->quoted ? -1 : scn_signal_lookup(t->text);
	if (sig >= 0) {
		p->stmt->number = (uint64_t)sig;
		return 0;
	}
	scn_fail(p, t->column, "unknown signal '%s' (hup, int, kill, usr1, usr2 or "
		 "term)", t->text);
	return scn_fail_hint(p, scn_signal_suggest(t->text));
}

/* $name references in an expected record value must name bound tasks. */
static int check_dollar_names(struct scn_parser *p, const struct scn_token *t,
			      const char *value)
{
	for (const char *s = strchr(value, '$'); s; s = strchr(s + 1, '$')) {
		size_t n = 0;
		while (s[1 + n] && (scn_ascii_isalnum(s[1 + n]) || s[1 + n] == '_' ||
				    s[1 + n] == '.' || s[1 + n] == '-'))
			n++;
		char name[SCN_MAX_NAME_BYTES + 1];
		/* the '$' itself, where the decoded text matches the line */
		unsigned column = t->quoted ? t->column
					    : t->column + (unsigned)(s - t->text);
		if (!scn_valid_name(s + 1, n))
			return scn_fail(p, column, "'$' must be followed by a task name");
		memcpy(name, s + 1, n);
		name[n] = '\0';
		if (p->stmt->active && scn_names_find(p->names, name, n) == SCN_NO_BINDING)
			return scn_fail_unknown_task(p, column, name);
	}
	return 0;
}

static int parse_record_type(struct scn_parser *p)
{
	const struct scn_token *t = scn_take(p, "record type");
	if (!t)
		return -1;
	/* by the names the records themselves carry */
	p->stmt->record_type = 0;
	for (unsigned i = 0; i < SCN_RECORD_TYPES; i++)
		if (scn_is_word(t, contid_record_type_name(scn_record_type(i))))
			p->stmt->record_type = scn_record_type(i);
	if (!p->stmt->record_type) {
		struct scn_suggest hint;
		scn_suggest_begin(&hint, t->text);
		for (unsigned i = 0; i < SCN_RECORD_TYPES; i++)
			scn_suggest_add(&hint, contid_record_type_name(scn_record_type(i)));
		scn_fail(p, t->column, "unknown record type '%s'", t->text);
		return scn_fail_hint(p, scn_suggest_end(&hint));
	}
	return 0;
}

static int parse_record_check(struct scn_parser *p)
{
	const struct scn_token *t;

	if (parse_record_type(p) < 0)
		return -1;

	p->stmt->nfields = 0;
	while ((t = scn_peek(p)) && !scn_is_word(t, "=>")) {
		p->cur++;
		char *eq = memchr(t->text, '=', t->len);
		if (!eq || eq == t->text)
			return scn_fail(p, t->column, "expected FIELD=VALUE, got '%s'", t->text);
		if (memchr(t->text, '\0', t->len))
			return scn_fail(p, t->column, "NUL byte in an expected field");
		if (p->stmt->nfields == SCN_MAX_RECORD_FIELDS)
			return scn_fail(p, t->column, "more than %d fields", SCN_MAX_RECORD_FIELDS);
		*eq = '\0'; /* the token lives in the lexer's scratch */
		struct scn_field *f = &p->stmt->fields[p->stmt->nfields++];
		f->key = t->text;
		f->value = eq + 1;
		if (check_dollar_names(p, t, f->value) < 0)
			return -1;
	}
	if (!p->stmt->nfields)
		return scn_fail(p, scn_end_column(p), "missing FIELD=VALUE");
	return 0;
}

int scn_parse_fork(struct scn_parser *p)
{
	const struct scn_token *name = scn_take(p, "new task name");
	if (!name || scn_check_name_syntax(p, name) < 0)
		return -1;
	const struct scn_token *from = scn_take(p, "'from'");
	if (!from)
		return -1;
	if (!scn_is_word(from, "from"))
		return scn_fail(p, from->column, "expected 'from', got '%s'", from->text);
	if (scn_parse_task(p, "parent task", &p->stmt->other) < 0)
		return -1;
	static const struct {
		const char *word;
		unsigned flag;
	} opts[] = {
		{ "thread", CONTID_CLONE_THREAD },
		{ "sibling", CONTID_CLONE_PARENT },
		{ "newuser", CONTID_CLONE_NEWUSER },
		{ "newnet", CONTID_CLONE_NEWNET },
	};
	const struct scn_token *t;
	while ((t = scn_peek(p)) && !scn_is_word(t, "=>")) {
		p->cur++;
		size_t i;
		for (i = 0; i < SCN_N_ELEMENTS(opts); i++)
			if (scn_is_word(t, opts[i].word))
				break;
		if (i == SCN_N_ELEMENTS(opts)) {
			struct scn_suggest hint;
			scn_suggest_begin(&hint, t->text);
			for (size_t k = 0; k < SCN_N_ELEMENTS(opts); k++)
				scn_suggest_add(&hint, opts[k].word);
			scn_fail(p, t->column,
				 "unknown fork option '%s' (thread, sibling, newuser, newnet)",
				 t->text);
			return scn_fail_hint(p, scn_suggest_end(&hint));
		}
		if (p->stmt->flags & opts[i].flag)
			return scn_fail(p, t->column, "fork option '%s' given twice", t->text);
		p->stmt->flags |= opts[i].flag;
	}
	if (p->stmt->active &&
	    scn_names_find(p->names, name->text, name->len) != SCN_NO_BINDING)
		return scn_fail(p, name->column, "task name '%s' is already bound", name->text);
	/* the binding is made once the outcome is known (only for ok) */
	p->stmt->new_name = name->text;
	return 0;
}

int scn_parse_check(struct scn_parser *p)
{
	struct scn_stmt *s = p->stmt;
	const struct scn_token *what = scn_take(p, "what to check");
	if (!what)
		return -1;

	if (scn_is_word(what, "contid")) {
		s->verb = SCN_CHECK_CONTID;
		return scn_parse_task(p, "task", &s->task) < 0 ? -1 : parse_id_value(p, true, "unset");
	}
	if (scn_is_word(what, "chain")) {
		s->verb = SCN_CHECK_CHAIN;
		if (scn_parse_task(p, "task", &s->task) < 0)
			return -1;
		const struct scn_token *t = scn_take(p, "chain");
		if (!t)
			return -1;
		if (t->quoted && !t->whole_quoted)
			return scn_fail(p, t->column, "a chain is one quoted string");
		s->buf = t->text;
		s->buf_len = t->len;
		return 0;
	}
	if (scn_is_word(what, "owner")) {
		s->verb = SCN_CHECK_OWNER;
		if (parse_id_value(p, false, NULL) < 0)
			return -1;
		/* `none`: a shared value (v6, bits) has no owner; `gone`: the
		 * owner was reaped (the object outlives it) */
		const struct scn_token *t = scn_peek(p);
		if (t && (scn_is_word(t, "none") || scn_is_word(t, "gone"))) {
			p->cur++;
			s->flags = scn_is_word(t, "none") ? SCN_OWNER_NONE : SCN_OWNER_GONE;
			return 0;
		}
		return scn_parse_task(p, "owner task", &s->task);
	}
	if (scn_is_word(what, "free")) {
		s->verb = SCN_CHECK_FREE;
		return parse_id_value(p, false, NULL);
	}
	if (scn_is_word(what, "parent")) {
		s->verb = SCN_CHECK_PARENT;
		if (parse_id_value(p, false, NULL) < 0)
			return -1;
		uint64_t value = s->number;
		if (parse_id_value(p, true, "none") < 0)
			return -1;
		s->number2 = s->number;
		s->number = value;
		return 0;
	}
	if (scn_is_word(what, "users")) {
		s->verb = SCN_CHECK_USERS;
		if (parse_id_value(p, false, NULL) < 0)
			return -1;
		uint64_t value = s->number;
		const struct scn_token *t = scn_take(p, "count");
		uint64_t n;
		if (!t || scn_parse_number(p, t, UINT32_MAX, "a count", &n) < 0)
			return -1;
		s->number = value;
		s->number2 = n;
		return 0;
	}
	if (scn_is_word(what, "capcontid") || scn_is_word(what, "level")) {
		s->verb = scn_is_word(what, "level") ? SCN_CHECK_LEVEL : SCN_CHECK_CAPCONTID;
		if (scn_parse_task(p, "task", &s->task) < 0)
			return -1;
		const struct scn_token *t = scn_take(p, "number");
		return t ? scn_parse_number(p, t, UINT32_MAX, "a number", &s->number) : -1;
	}
	if (scn_is_word(what, "ppid")) {
		s->verb = SCN_CHECK_PPID;
		return scn_parse_task(p, "task", &s->task) < 0 ? -1
			: scn_parse_task(p, "parent task", &s->other);
	}
	if (scn_is_word(what, "pid")) {
		s->verb = SCN_CHECK_PID;
		if (scn_parse_task(p, "task", &s->task) < 0)
			return -1;
		const struct scn_token *t = scn_take(p, "pid");
		/* Linux's PID_MAX_LIMIT: no pid can be larger */
		return t ? scn_parse_number(p, t, 4194304, "a pid", &s->number) : -1;
	}
	if (scn_is_word(what, "record")) {
		s->verb = SCN_CHECK_RECORD;
		return parse_record_check(p);
	}
	if (scn_is_word(what, "no-record")) {
		s->verb = SCN_CHECK_NO_RECORD;
		return parse_record_type(p);
	}
	if (scn_is_word(what, "pinned")) {
		/* the ID object the signal state pins (section 6a), or none */
		s->verb = SCN_CHECK_PINNED;
		const struct scn_token *t = scn_take(p, "value or none");
		if (!t)
			return -1;
		if (scn_is_word(t, "none")) {
			s->number = CONTID_UNSET;
			return 0;
		}
		if (scn_is_word(t, "unset"))
			return scn_fail(p, t->column, "'unset' is no ID's value: the pin "
					"holds an ID object or nothing (check pinned none)");
		return scn_parse_number(p, t, UINT64_MAX - 1, "a number or none",
					&s->number);
	}
	static const char *const checks[] = {
		"contid", "chain", "owner", "free", "parent", "users", "capcontid",
		"level", "ppid", "pid", "record", "no-record", "pinned",
	};
	scn_fail(p, what->column, "unknown check '%s' (contid, chain, owner, "
		 "free, parent, users, capcontid, level, ppid, pid, record, "
		 "no-record, pinned)", what->text);
	return scn_fail_hint(p, suggest_from(what->text, checks, SCN_N_ELEMENTS(checks)));
}

int scn_parse_config(struct scn_parser *p)
{
	struct scn_stmt *s = p->stmt;
	const struct scn_token *what = scn_take(p, "setting (pid-max, depth-limit, audit)");
	if (!what)
		return -1;
	if (scn_is_word(what, "audit")) {
		s->verb = SCN_CONFIG_AUDIT;
		const struct scn_token *t = scn_take(p, "on or off");
		if (!t)
			return -1;
		if (!scn_is_word(t, "on") && !scn_is_word(t, "off"))
			return scn_fail(p, t->column, "expected on or off, got '%s'", t->text);
		s->number = scn_is_word(t, "on");
		return 0;
	}
	if (p->operations)
		return scn_fail(p, what->column, "config %s must come before the first operation",
				what->text);
	const struct scn_token *t;
	if (scn_is_word(what, "pid-max")) {
		s->verb = SCN_CONFIG_PID_MAX;
		if (!(t = scn_take(p, "pid-max value")) ||
		    scn_parse_number(p, t, CONTID_PID_MAX_LIMIT, "a number", &s->number) < 0)
			return -1;
		if (s->number < 2 || s->number > CONTID_PID_MAX_LIMIT)
			return scn_fail(p, t->column, "pid-max must be 2 to %d", CONTID_PID_MAX_LIMIT);
		return 0;
	}
	if (scn_is_word(what, "depth-limit")) {
		s->verb = SCN_CONFIG_DEPTH_LIMIT;
		return (t = scn_take(p, "depth-limit value")) ?
			scn_parse_number(p, t, INT32_MAX, "a number", &s->number) : -1;
	}
	static const char *const settings[] = { "pid-max", "depth-limit", "audit" };
	scn_fail(p, what->column, "unknown setting '%s' (pid-max, depth-limit, audit)",
		 what->text);
	return scn_fail_hint(p, suggest_from(what->text, settings, SCN_N_ELEMENTS(settings)));
}
