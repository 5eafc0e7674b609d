/*
 * The scenario parser: one statement per line, names resolved as the file
 * is read (docs/scenarios.md).
 */
#include <contid.h>
#include <stdio.h>
#include <string.h>

#include "scn-lex.h"
#include "scn-names.h"

/* ------------------------------------------------------------ profiles */

unsigned scn_profile_count(void)
{
	const char *const *names = contid_profile_names();
	unsigned n = 0;

	while (names[n] && n < SCN_MAX_PROFILES)
		n++;
	return n;
}

const char *scn_profile_name(unsigned index)
{
	return index < scn_profile_count() ? contid_profile_names()[index] : NULL;
}

int scn_profile_index(const char *name, size_t len)
{
	unsigned n = scn_profile_count();

	for (unsigned i = 0; i < n; i++) {
		const char *known = contid_profile_names()[i];
		if (strlen(known) == len && memcmp(known, name, len) == 0)
			return (int)i;
	}
	return -1;
}

bool scn_profile_known(const char *name)
{
	return scn_profile_index(name, strlen(name)) >= 0;
}

const char *scn_profiles_text(void)
{
	static char text[1024];

	if (!text[0])
		for (unsigned i = 0; i < scn_profile_count(); i++)
			g_strlcat(text, i ? ", " : "", sizeof(text)),
			g_strlcat(text, scn_profile_name(i), sizeof(text));
	return text;
}

/* --------------------------------------------------------------- parser */

struct scn_parser {
	const char *data;
	size_t len;
	size_t pos;
	unsigned line;
	unsigned statements;
	unsigned operations;       /* statements that act on the world */
	struct scn_lexer lx;
	struct scn_error error;
	struct scn_names *names;
	unsigned profile;          /* index of the profile the pass is under */
	bool profile_fixed;        /* given by the caller: profile lines don't
				    * change it */
	/* one line's tokens, as the statement parsers consume them */
	size_t cur;
	struct scn_stmt *stmt;
};

struct scn_parser *scn_parser_new_for(const char *data, size_t len,
				      const char *profile)
{
	struct scn_parser *p = g_new0(struct scn_parser, 1);

	p->data = data;
	p->len = len;
	p->names = scn_names_new();
	p->lx.error = &p->error;
	scn_names_bind(p->names, "init", 4, false);
	if (profile) {
		int i = scn_profile_index(profile, strlen(profile));
		/* callers check names first; an unknown one keeps the default */
		p->profile = i < 0 ? 0 : (unsigned)i;
		p->profile_fixed = i >= 0;
	}
	return p;
}

struct scn_parser *scn_parser_new(const char *data, size_t len)
{
	return scn_parser_new_for(data, len, NULL);
}

struct scn_parser *scn_parser_clone(const struct scn_parser *p)
{
	struct scn_parser *c = g_new(struct scn_parser, 1);

	*c = *p;
	memset(&c->lx, 0, sizeof(c->lx));
	c->lx.error = &c->error;
	c->names = scn_names_clone(p->names);
	c->stmt = NULL;
	return c;
}

const char *scn_parser_profile(const struct scn_parser *p)
{
	return scn_profile_name(p->profile);
}

void scn_parser_free(struct scn_parser *p)
{
	if (!p)
		return;
	scn_lexer_clear(&p->lx);
	scn_names_free(p->names);
	g_free(p);
}

const struct scn_error *scn_parser_error(const struct scn_parser *p)
{
	return &p->error;
}

const struct scn_names *scn_parser_names(const struct scn_parser *p)
{
	return p->names;
}

unsigned scn_parser_statements(const struct scn_parser *p)
{
	return p->statements;
}

static int fail(struct scn_parser *p, unsigned column, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static int fail(struct scn_parser *p, unsigned column, const char *fmt, ...)
{
	va_list ap;

	p->error.line = p->line;
	p->error.column = column;
	va_start(ap, fmt);
	vsnprintf(p->error.message, sizeof(p->error.message), fmt, ap);
	va_end(ap);
	return -1;
}

static const struct scn_token *peek(struct scn_parser *p)
{
	return p->cur < p->lx.ntokens ? &p->lx.tokens[p->cur] : NULL;
}

/* The byte index just past token @t in the line as written (a quoted
 * token's decoded length is not its width on the line). */
static size_t token_end(struct scn_parser *p, const struct scn_token *t)
{
	const char *line = p->stmt->text;
	size_t i = t->column - 1;
	bool in_quote = false;
	while (i < p->stmt->text_len) {
		char c = line[i];
		if (in_quote) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_quote = false;
		} else if (c == '"') {
			in_quote = true;
		} else if (c == ' ' || c == '\t' || c == '#') {
			break;
		}
		i++;
	}
	return i;
}

/* Column just past the last token, for "missing ..." errors. */
static unsigned end_column(struct scn_parser *p)
{
	if (!p->lx.ntokens)
		return 1;
	return (unsigned)token_end(p, &p->lx.tokens[p->lx.ntokens - 1]) + 2;
}

static const struct scn_token *next(struct scn_parser *p, const char *what)
{
	const struct scn_token *t = peek(p);
	if (!t) {
		fail(p, end_column(p), "missing %s", what);
		return NULL;
	}
	p->cur++;
	return t;
}

/* Inlined with a literal @word, the length test settles most mismatches. */
static inline bool is_word(const struct scn_token *t, const char *word)
{
	size_t len = strlen(word);
	return !t->quoted && t->len == len && memcmp(t->text, word, len) == 0;
}

/* A decimal number at @column (@text is @len bytes, unquoted unless
 * @quoted) up to @max. */
static int parse_number_at(struct scn_parser *p, const char *text, size_t len,
			   unsigned column, bool quoted, uint64_t max,
			   const char *what, uint64_t *out)
{
	if (quoted || len == 0)
		return fail(p, column, "expected %s, got '%s'", what, text);
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c < '0' || c > '9')
			return fail(p, column, "expected %s, got '%s'", what, text);
		unsigned d = (unsigned)(c - '0');
		if (v > (max - d) / 10)
			return fail(p, column, "number %s out of range (at most %llu)",
				    text, (unsigned long long)max);
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int parse_number(struct scn_parser *p, const struct scn_token *t,
			uint64_t max, const char *what, uint64_t *out)
{
	return parse_number_at(p, t->text, t->len, t->column, t->quoted, max,
			       what, out);
}

static bool valid_name(const char *s, size_t len)
{
	if (len == 0 || len > SCN_MAX_NAME_BYTES)
		return false;
	if (!(g_ascii_isalpha(s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!(g_ascii_isalnum(s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return false;
	return true;
}

static int check_name_syntax(struct scn_parser *p, const struct scn_token *t)
{
	if (t->quoted || !valid_name(t->text, t->len))
		return fail(p, t->column, "'%s' is not a task name", t->text);
	return 0;
}

static int fail_unknown_task(struct scn_parser *p, unsigned column, const char *name)
{
	unsigned line;
	bool is_exit;

	if (scn_names_gone(p->names, name, strlen(name), &line, &is_exit))
		return fail(p, column, "unknown task '%s' (%s on line %u)", name,
			    is_exit ? "exited" : "reaped", line);
	return fail(p, column, "unknown task '%s'", name);
}

/* A task operand: a name that is bound now. */
static int parse_task(struct scn_parser *p, const char *what, scn_binding *out)
{
	const struct scn_token *t = next(p, what);
	if (!t || check_name_syntax(p, t) < 0)
		return -1;
	/* a statement guarded out under this profile never runs, and the
	 * names it uses may be bound only under the profiles it is for */
	if (!p->stmt->active) {
		*out = SCN_NO_BINDING;
		return 0;
	}
	scn_binding b = scn_names_find(p->names, t->text, t->len);
	if (b == SCN_NO_BINDING)
		return fail_unknown_task(p, t->column, t->text);
	*out = b;
	return 0;
}

/* VALUE written to a /proc file: a number (as typed), unset, or "bytes". */
static int parse_written(struct scn_parser *p)
{
	const struct scn_token *t = next(p, "value");
	if (!t)
		return -1;
	if (t->whole_quoted) {
		p->stmt->buf = t->text;
		p->stmt->buf_len = t->len;
		return 0;
	}
	if (t->quoted)
		return fail(p, t->column, "a written value is a number, unset, or one quoted string");
	if (is_word(t, "unset")) {
		p->stmt->buf = "18446744073709551615";
		p->stmt->buf_len = strlen(p->stmt->buf);
		return 0;
	}
	/* Written exactly as typed, whatever its size: a number above the
	 * file's range is the kernel's ERANGE (R-W-2), not a syntax error. */
	if (t->len == 0 || strspn(t->text, "0123456789") != t->len)
		return fail(p, t->column, "expected a number, unset or a quoted buffer, got '%s'",
			    t->text);
	p->stmt->buf = t->text;
	p->stmt->buf_len = t->len;
	return 0;
}

/* An ID value in a check: a number or unset. */
static int parse_id_value(struct scn_parser *p, bool allow_unset, const char *unset_word)
{
	const struct scn_token *t = next(p, "value");
	if (!t)
		return -1;
	if (allow_unset && is_word(t, unset_word)) {
		p->stmt->number = CONTID_UNSET;
		return 0;
	}
	return parse_number(p, t, UINT64_MAX, "a number", &p->stmt->number);
}

static int parse_nstype(struct scn_parser *p)
{
	const struct scn_token *t = next(p, "namespace type (user or net)");
	if (!t)
		return -1;
	if (is_word(t, "user"))
		p->stmt->flags = CONTID_NS_USER;
	else if (is_word(t, "net"))
		p->stmt->flags = CONTID_NS_NET;
	else
		return fail(p, t->column, "unknown namespace type '%s' (user or net)", t->text);
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

static int parse_cap(struct scn_parser *p)
{
	const struct scn_token *t = next(p, "capability");
	if (!t)
		return -1;
	const char *name = t->text;
	if (g_ascii_strncasecmp(name, "cap_", 4) == 0)
		name += 4;
	for (int i = 0; i <= CONTID_CAP_LAST_CAP; i++)
		if (!t->quoted && g_ascii_strcasecmp(name, cap_names[i]) == 0) {
			p->stmt->number = (uint64_t)i;
			return 0;
		}
	return fail(p, t->column, "unknown capability '%s'", t->text);
}

static const struct {
	const char *name;
	int type;
} record_types[] = {
	{ "CONTAINER_OP", CONTID_RECORD_CONTAINER_OP },
	{ "CONTAINER_ID", CONTID_RECORD_CONTAINER_ID },
	{ "SET_CAPCONTID", CONTID_RECORD_SET_CAPCONTID },
	{ "SYSCALL", CONTID_RECORD_SYSCALL },
	{ "NETFILTER_PKT", CONTID_RECORD_NETFILTER_PKT },
};

/* $name references in an expected record value must name bound tasks. */
static int check_dollar_names(struct scn_parser *p, const struct scn_token *t,
			      const char *value)
{
	for (const char *s = strchr(value, '$'); s; s = strchr(s + 1, '$')) {
		size_t n = 0;
		while (s[1 + n] && (g_ascii_isalnum(s[1 + n]) || s[1 + n] == '_' ||
				    s[1 + n] == '.' || s[1 + n] == '-'))
			n++;
		char name[SCN_MAX_NAME_BYTES + 1];
		/* the '$' itself, where the decoded text matches the line */
		unsigned column = t->quoted ? t->column
					    : t->column + (unsigned)(s - t->text);
		if (!valid_name(s + 1, n))
			return fail(p, column, "'$' must be followed by a task name");
		memcpy(name, s + 1, n);
		name[n] = '\0';
		if (p->stmt->active && scn_names_find(p->names, name, n) == SCN_NO_BINDING)
			return fail_unknown_task(p, column, name);
	}
	return 0;
}

static int parse_record_check(struct scn_parser *p)
{
	const struct scn_token *t = next(p, "record type");
	if (!t)
		return -1;
	p->stmt->record_type = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(record_types); i++)
		if (is_word(t, record_types[i].name))
			p->stmt->record_type = record_types[i].type;
	if (!p->stmt->record_type)
		return fail(p, t->column, "unknown record type '%s'", t->text);

	p->stmt->nfields = 0;
	while ((t = peek(p)) && !is_word(t, "=>")) {
		p->cur++;
		char *eq = memchr(t->text, '=', t->len);
		if (!eq || eq == t->text)
			return fail(p, t->column, "expected FIELD=VALUE, got '%s'", t->text);
		if (memchr(t->text, '\0', t->len))
			return fail(p, t->column, "NUL byte in an expected field");
		if (p->stmt->nfields == SCN_MAX_RECORD_FIELDS)
			return fail(p, t->column, "more than %d fields", SCN_MAX_RECORD_FIELDS);
		*eq = '\0'; /* the token lives in the lexer's scratch */
		struct scn_field *f = &p->stmt->fields[p->stmt->nfields++];
		f->key = t->text;
		f->value = eq + 1;
		if (check_dollar_names(p, t, f->value) < 0)
			return -1;
	}
	if (!p->stmt->nfields)
		return fail(p, end_column(p), "missing FIELD=VALUE");
	return 0;
}

static int parse_fork(struct scn_parser *p)
{
	const struct scn_token *name = next(p, "new task name");
	if (!name || check_name_syntax(p, name) < 0)
		return -1;
	const struct scn_token *from = next(p, "'from'");
	if (!from)
		return -1;
	if (!is_word(from, "from"))
		return fail(p, from->column, "expected 'from', got '%s'", from->text);
	if (parse_task(p, "parent task", &p->stmt->other) < 0)
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
	while ((t = peek(p)) && !is_word(t, "=>")) {
		p->cur++;
		size_t i;
		for (i = 0; i < G_N_ELEMENTS(opts); i++)
			if (is_word(t, opts[i].word))
				break;
		if (i == G_N_ELEMENTS(opts))
			return fail(p, t->column,
				    "unknown fork option '%s' (thread, sibling, newuser, newnet)",
				    t->text);
		if (p->stmt->flags & opts[i].flag)
			return fail(p, t->column, "fork option '%s' given twice", t->text);
		p->stmt->flags |= opts[i].flag;
	}
	if (p->stmt->active &&
	    scn_names_find(p->names, name->text, name->len) != SCN_NO_BINDING)
		return fail(p, name->column, "task name '%s' is already bound", name->text);
	/* the binding is made once the outcome is known (only for ok) */
	p->stmt->new_name = name->text;
	return 0;
}

static int parse_check(struct scn_parser *p, const struct scn_token *verb)
{
	struct scn_stmt *s = p->stmt;
	const struct scn_token *what = next(p, "what to check");
	if (!what)
		return -1;

	if (is_word(what, "contid")) {
		s->verb = SCN_CHECK_CONTID;
		return parse_task(p, "task", &s->task) < 0 ? -1 : parse_id_value(p, true, "unset");
	}
	if (is_word(what, "chain")) {
		s->verb = SCN_CHECK_CHAIN;
		if (parse_task(p, "task", &s->task) < 0)
			return -1;
		const struct scn_token *t = next(p, "chain");
		if (!t)
			return -1;
		if (t->quoted && !t->whole_quoted)
			return fail(p, t->column, "a chain is one quoted string");
		s->buf = t->text;
		s->buf_len = t->len;
		return 0;
	}
	if (is_word(what, "owner")) {
		s->verb = SCN_CHECK_OWNER;
		if (parse_id_value(p, false, NULL) < 0)
			return -1;
		/* `none`: a shared value (v6, bits) has no owner */
		const struct scn_token *t = peek(p);
		if (t && is_word(t, "none")) {
			p->cur++;
			s->flags = SCN_OWNER_NONE;
			return 0;
		}
		return parse_task(p, "owner task", &s->task);
	}
	if (is_word(what, "free")) {
		s->verb = SCN_CHECK_FREE;
		return parse_id_value(p, false, NULL);
	}
	if (is_word(what, "parent")) {
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
	if (is_word(what, "users")) {
		s->verb = SCN_CHECK_USERS;
		if (parse_id_value(p, false, NULL) < 0)
			return -1;
		uint64_t value = s->number;
		const struct scn_token *t = next(p, "count");
		uint64_t n;
		if (!t || parse_number(p, t, UINT32_MAX, "a count", &n) < 0)
			return -1;
		s->number = value;
		s->number2 = n;
		return 0;
	}
	if (is_word(what, "capcontid") || is_word(what, "level")) {
		s->verb = is_word(what, "level") ? SCN_CHECK_LEVEL : SCN_CHECK_CAPCONTID;
		if (parse_task(p, "task", &s->task) < 0)
			return -1;
		const struct scn_token *t = next(p, "number");
		return t ? parse_number(p, t, UINT32_MAX, "a number", &s->number) : -1;
	}
	if (is_word(what, "ppid")) {
		s->verb = SCN_CHECK_PPID;
		return parse_task(p, "task", &s->task) < 0 ? -1
			: parse_task(p, "parent task", &s->other);
	}
	if (is_word(what, "record")) {
		s->verb = SCN_CHECK_RECORD;
		return parse_record_check(p);
	}
	(void)verb;
	return fail(p, what->column, "unknown check '%s'", what->text);
}

/* One outcome, @text at @column: ok, any, an errno name, or for get-* a
 * value. */
static int parse_one_outcome(struct scn_parser *p, const char *text, size_t len,
			     unsigned column, bool quoted, struct scn_expect *e)
{
	enum scn_verb verb = p->stmt->verb;
	bool is_get = verb == SCN_GET_CONTID || verb == SCN_GET_CAPCONTID;

	memset(e, 0, sizeof(*e));
	if (!quoted && strcmp(text, "ok") == 0) {
		e->kind = SCN_EXPECT_OK;
	} else if (!quoted && strcmp(text, "any") == 0) {
		e->kind = SCN_EXPECT_ANY;
	} else if (!quoted && text[0] == 'E') {
		e->kind = SCN_EXPECT_ERRNO;
		e->err = contid_errno_from_name(text);
		if (!e->err)
			return fail(p, column, "unknown errno name '%s'", text);
	} else if (verb == SCN_GET_CONTID && !quoted && strcmp(text, "unset") == 0) {
		e->kind = SCN_EXPECT_VALUE;
		e->value = CONTID_UNSET;
	} else if (is_get && !quoted && g_ascii_isdigit(text[0])) {
		e->kind = SCN_EXPECT_VALUE;
		if (parse_number_at(p, text, len, column, false,
				    verb == SCN_GET_CONTID ? UINT64_MAX : UINT32_MAX,
				    "a value", &e->value) < 0)
			return -1;
	} else {
		return fail(p, column, is_get
			    ? "expected ok, any, an errno name or a value, got '%s'"
			    : "expected ok, any or an errno name, got '%s'", text);
	}
	return 0;
}

/*
 * `=> OUTCOME...`: at most one bare outcome, for every profile not named,
 * and any number of PROFILE:OUTCOME words, each profile at most once, in
 * any order.  The statement keeps the one for the parser's profile; with
 * no bare outcome the others expect ok, as with no arrow at all.
 */
static int parse_outcome(struct scn_parser *p)
{
	struct scn_stmt *s = p->stmt;
	const struct scn_token *arrow = peek(p);

	if (scn_verb_is_check(s->verb)) {
		s->expect.kind = SCN_EXPECT_CHECK;
		if (arrow)
			return fail(p, arrow->column, is_word(arrow, "=>")
				    ? "a check takes no outcome"
				    : "unexpected '%s'", arrow->text);
		return 0;
	}
	s->expect.kind = SCN_EXPECT_OK;
	if (!arrow)
		return 0;
	if (!is_word(arrow, "=>"))
		return fail(p, arrow->column, "unexpected '%s'", arrow->text);
	p->cur++;
	if (!next(p, "outcome after '=>'"))
		return -1;
	p->cur--;

	struct scn_expect bare = { .kind = SCN_EXPECT_OK }, mine = bare, e;
	bool have_bare = false, have_mine = false;
	uint64_t named = 0;
	const struct scn_token *t;
	while ((t = peek(p))) {
		p->cur++;
		const char *colon = t->quoted ? NULL : strchr(t->text, ':');
		if (!colon) {
			if (have_bare) {
				/* a second outcome that would also be for every
				 * profile not named */
				struct scn_error saved = p->error;
				bool is_outcome = parse_one_outcome(p, t->text, t->len,
								    t->column, t->quoted,
								    &e) == 0;
				p->error = saved;
				return is_outcome
				       ? fail(p, t->column,
					      "second outcome '%s' for the other profiles "
					      "(name its profile: PROFILE:%s)", t->text, t->text)
				       : fail(p, t->column, "unexpected '%s' after the outcome",
					      t->text);
			}
			if (parse_one_outcome(p, t->text, t->len, t->column, t->quoted,
					      &bare) < 0)
				return -1;
			have_bare = true;
			continue;
		}
		size_t name_len = (size_t)(colon - t->text);
		int i = scn_profile_index(t->text, name_len);
		if (i < 0)
			return fail(p, t->column, "unknown profile '%.*s' in the outcome (known: %s)",
				    (int)name_len, t->text, scn_profiles_text());
		if (named & (UINT64_C(1) << i))
			return fail(p, t->column, "profile '%.*s' named twice in the outcome",
				    (int)name_len, t->text);
		named |= UINT64_C(1) << i;
		const char *text = colon + 1;
		unsigned column = t->column + (unsigned)name_len + 1;
		if (!*text)
			return fail(p, column, "missing outcome after '%s'", t->text);
		if (parse_one_outcome(p, text, t->len - name_len - 1, column, false, &e) < 0)
			return -1;
		if ((unsigned)i == p->profile) {
			mine = e;
			have_mine = true;
		}
	}
	s->expect = have_mine ? mine : bare;
	return 0;
}

#define VERB(word, verb) { word, sizeof(word) - 1, verb }
static const struct {
	const char *word;
	size_t len;
	enum scn_verb verb;
} verbs[] = {
	VERB("profile", SCN_PROFILE),
	VERB("config", SCN_CONFIG_PID_MAX),
	VERB("fork", SCN_FORK),
	VERB("exit", SCN_EXIT),
	VERB("reap", SCN_REAP),
	VERB("subreaper", SCN_SUBREAPER),
	VERB("unshare", SCN_UNSHARE),
	VERB("setns", SCN_SETNS),
	VERB("setuid", SCN_SETUID),
	VERB("drop-cap", SCN_DROP_CAP),
	VERB("set-contid", SCN_SET_CONTID),
	VERB("get-contid", SCN_GET_CONTID),
	VERB("set-capcontid", SCN_SET_CAPCONTID),
	VERB("get-capcontid", SCN_GET_CAPCONTID),
	VERB("event", SCN_EVENT),
	VERB("packet", SCN_PACKET),
	VERB("check", SCN_CHECK_CONTID),
};
#undef VERB

/* The index of @t in verbs[], or G_N_ELEMENTS(verbs); lengths and first
 * bytes rule out nearly every candidate without a call. */
static size_t find_verb(const struct scn_token *t)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(verbs); i++)
		if (t->len == verbs[i].len && t->text[0] == verbs[i].word[0] &&
		    !t->quoted && memcmp(t->text, verbs[i].word, t->len) == 0)
			break;
	return i;
}

static int parse_config(struct scn_parser *p)
{
	struct scn_stmt *s = p->stmt;
	const struct scn_token *what = next(p, "setting (pid-max, depth-limit, audit)");
	if (!what)
		return -1;
	if (is_word(what, "audit")) {
		s->verb = SCN_CONFIG_AUDIT;
		const struct scn_token *t = next(p, "on or off");
		if (!t)
			return -1;
		if (!is_word(t, "on") && !is_word(t, "off"))
			return fail(p, t->column, "expected on or off, got '%s'", t->text);
		s->number = is_word(t, "on");
		return 0;
	}
	if (p->operations)
		return fail(p, what->column, "config %s must come before the first operation",
			    what->text);
	const struct scn_token *t;
	if (is_word(what, "pid-max")) {
		s->verb = SCN_CONFIG_PID_MAX;
		if (!(t = next(p, "pid-max value")) ||
		    parse_number(p, t, CONTID_PID_MAX_LIMIT, "a number", &s->number) < 0)
			return -1;
		if (s->number < 2 || s->number > CONTID_PID_MAX_LIMIT)
			return fail(p, t->column, "pid-max must be 2 to %d", CONTID_PID_MAX_LIMIT);
		return 0;
	}
	if (is_word(what, "depth-limit")) {
		s->verb = SCN_CONFIG_DEPTH_LIMIT;
		return (t = next(p, "depth-limit value")) ?
			parse_number(p, t, INT32_MAX, "a number", &s->number) : -1;
	}
	return fail(p, what->column, "unknown setting '%s' (pid-max, depth-limit, audit)",
		    what->text);
}

/*
 * `@NAME,NAME...` or `@!NAME,...` before a statement: it is for those
 * profiles only (or for all but those).  Each name must be known, at most
 * once; errors point at the name.
 */
static int parse_guard(struct scn_parser *p, const struct scn_token *t)
{
	struct scn_stmt *s = p->stmt;
	const char *text = t->text + 1;
	bool negate = false;

	if (t->quoted)
		return fail(p, t->column, "a guard is @PROFILE,... without quotes");
	if (*text == '!') {
		negate = true;
		text++;
	}
	uint64_t named = 0;
	for (;;) {
		unsigned column = t->column + (unsigned)(text - t->text);
		size_t len = strcspn(text, ",");
		if (len == 0)
			return fail(p, column, "missing profile name after '%.*s'",
				    (int)(text - t->text), t->text);
		int i = scn_profile_index(text, len);
		if (i < 0)
			return fail(p, column, "unknown profile '%.*s' in the guard (known: %s)",
				    (int)len, text, scn_profiles_text());
		if (named & (UINT64_C(1) << i))
			return fail(p, column, "profile '%.*s' named twice in the guard",
				    (int)len, text);
		named |= UINT64_C(1) << i;
		text += len;
		if (!*text)
			break;
		text++; /* the comma */
	}
	s->guarded = true;
	s->active = ((named >> p->profile) & 1) != negate;
	return 0;
}

static int parse_statement(struct scn_parser *p)
{
	struct scn_stmt *s = p->stmt;
	const struct scn_token *verb = next(p, "statement");
	size_t i;

	if (!verb)
		return -1; /* cannot happen: blank lines are skipped */
	s->active = true;
	if (verb->text[0] == '@') {
		if (parse_guard(p, verb) < 0)
			return -1;
		if (!(verb = next(p, "statement after the guard")))
			return -1;
	}

	i = find_verb(verb);
	if (i == G_N_ELEMENTS(verbs))
		return fail(p, verb->column, "unknown statement '%s'", verb->text);
	s->verb = verbs[i].verb;

	int r;
	switch (s->verb) {
	case SCN_PROFILE: {
		const struct scn_token *t = next(p, "profile name");
		if (!t)
			return -1;
		if (p->operations)
			return fail(p, verb->column, "profile must come before the first operation");
		if (t->quoted || !scn_profile_known(t->text))
			return fail(p, t->column, "unknown profile '%s' (known: %s)", t->text,
				    scn_profiles_text());
		if (s->guarded)
			return fail(p, p->lx.tokens[0].column,
				    "a profile statement cannot be guarded");
		s->profile = t->text;
		if (!p->profile_fixed)
			p->profile = (unsigned)scn_profile_index(t->text, t->len);
		r = 0;
		break;
	}
	case SCN_CONFIG_PID_MAX:
		r = parse_config(p);
		break;
	case SCN_FORK:
		r = parse_fork(p);
		break;
	case SCN_EXIT:
	case SCN_REAP:
	case SCN_SUBREAPER:
	case SCN_EVENT:
	case SCN_PACKET:
		r = parse_task(p, "task", &s->task);
		break;
	case SCN_UNSHARE:
		r = parse_task(p, "task", &s->task);
		if (r == 0)
			r = parse_nstype(p);
		break;
	case SCN_SETNS:
		r = parse_task(p, "task", &s->task);
		if (r == 0)
			r = parse_nstype(p);
		if (r == 0)
			r = parse_task(p, "other task", &s->other);
		break;
	case SCN_SETUID: {
		r = parse_task(p, "task", &s->task);
		const struct scn_token *t = r == 0 ? next(p, "uid") : NULL;
		r = t ? parse_number(p, t, UINT32_MAX, "a uid", &s->number) : -1;
		break;
	}
	case SCN_DROP_CAP:
		r = parse_task(p, "task", &s->task);
		if (r == 0)
			r = parse_cap(p);
		break;
	case SCN_SET_CONTID:
	case SCN_SET_CAPCONTID:
		r = parse_task(p, "writer task", &s->other);
		if (r == 0)
			r = parse_task(p, "target task", &s->task);
		if (r == 0)
			r = parse_written(p);
		break;
	case SCN_GET_CONTID:
	case SCN_GET_CAPCONTID:
		r = parse_task(p, "reader task", &s->other);
		if (r == 0)
			r = parse_task(p, "target task", &s->task);
		break;
	case SCN_CHECK_CONTID:
		r = parse_check(p, verb);
		break;
	default:
		r = fail(p, verb->column, "unknown statement '%s'", verb->text);
	}
	if (r < 0)
		return -1;
	return parse_outcome(p);
}

/* Applies what a statement does to the names, as its expected outcome says. */
static void update_names(struct scn_parser *p)
{
	struct scn_stmt *s = p->stmt;
	bool ok = s->expect.kind == SCN_EXPECT_OK;

	if (!s->active)
		return; /* never runs under this profile: binds nothing */
	if (s->verb == SCN_FORK) {
		s->task = ok ? scn_names_bind(p->names, s->new_name, strlen(s->new_name),
					      s->flags & CONTID_CLONE_THREAD)
			     : SCN_NO_BINDING;
		return;
	}
	if (!ok)
		return;
	if (s->verb == SCN_REAP ||
	    (s->verb == SCN_EXIT &&
	     scn_names_is_thread(p->names, s->task))) {
		s->unbinds = true;
		scn_names_unbind(p->names, s->task, p->line, s->verb == SCN_EXIT);
	}
}

/* The statement without its outcome and comment, as a matrix row shows it. */
static void set_label(struct scn_parser *p)
{
	size_t last = p->lx.ntokens - 1;

	for (size_t i = 1; i < p->lx.ntokens; i++)
		if (is_word(&p->lx.tokens[i], "=>")) {
			last = i - 1;
			break;
		}
	p->stmt->label_len = token_end(p, &p->lx.tokens[last]);
}

int scn_next(struct scn_parser *p, struct scn_stmt *stmt)
{
	while (p->pos < p->len) {
		const char *line = p->data + p->pos;
		const char *nl = memchr(line, '\n', p->len - p->pos);
		size_t len = nl ? (size_t)(nl - line) : p->len - p->pos;
		p->pos += len + (nl ? 1 : 0);
		p->line++;
		if (len && line[len - 1] == '\r')
			len--;

		p->error.line = p->line;
		if (scn_lex_line(&p->lx, line, len) < 0)
			return -1;
		if (!p->lx.ntokens)
			continue;

		memset(stmt, 0, offsetof(struct scn_stmt, fields));
		stmt->line = p->line;
		stmt->text = line;
		stmt->text_len = len;
		stmt->task = stmt->other = SCN_NO_BINDING;
		p->stmt = stmt;
		p->cur = 0;
		if (parse_statement(p) < 0)
			return -1;
		update_names(p);
		set_label(p);
		p->statements++;
		if (!scn_verb_is_check(stmt->verb) && stmt->verb != SCN_PROFILE &&
		    stmt->verb != SCN_CONFIG_PID_MAX && stmt->verb != SCN_CONFIG_DEPTH_LIMIT &&
		    stmt->verb != SCN_CONFIG_AUDIT)
			p->operations++;
		return 1;
	}
	if (p->statements == 0) {
		p->error.line = p->line ? p->line : 1;
		p->error.column = 1;
		snprintf(p->error.message, sizeof(p->error.message),
			 p->len ? "no statement in the file" : "empty file");
		return -1;
	}
	return 0;
}

bool scn_verb_is_check(enum scn_verb verb)
{
	return verb >= SCN_CHECK_CONTID;
}

const char *scn_verb_text(enum scn_verb verb)
{
	static const char *const text[] = {
		[SCN_PROFILE] = "profile", [SCN_CONFIG_PID_MAX] = "config",
		[SCN_CONFIG_DEPTH_LIMIT] = "config", [SCN_CONFIG_AUDIT] = "config",
		[SCN_FORK] = "fork", [SCN_EXIT] = "exit", [SCN_REAP] = "reap",
		[SCN_SUBREAPER] = "subreaper", [SCN_UNSHARE] = "unshare",
		[SCN_SETNS] = "setns", [SCN_SETUID] = "setuid",
		[SCN_DROP_CAP] = "drop-cap", [SCN_SET_CONTID] = "set-contid",
		[SCN_GET_CONTID] = "get-contid", [SCN_SET_CAPCONTID] = "set-capcontid",
		[SCN_GET_CAPCONTID] = "get-capcontid", [SCN_EVENT] = "event",
		[SCN_PACKET] = "packet", [SCN_CHECK_CONTID] = "check",
		[SCN_CHECK_CHAIN] = "check", [SCN_CHECK_OWNER] = "check",
		[SCN_CHECK_FREE] = "check", [SCN_CHECK_PARENT] = "check",
		[SCN_CHECK_USERS] = "check", [SCN_CHECK_CAPCONTID] = "check",
		[SCN_CHECK_LEVEL] = "check", [SCN_CHECK_PPID] = "check",
		[SCN_CHECK_RECORD] = "check",
	};
	return text[verb];
}
