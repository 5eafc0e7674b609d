/*
 * What depends on the profile a pass is under: the profiles libcontid
 * knows, `@guards` and per-profile outcomes.  Apart from scn-parse.c
 * because this is where one line means different things under different
 * profiles; the rest of the parser reads every line the same way.
 */
#include <contid.h>
#include <stdio.h>
#include <string.h>

#include "scn-profiles.h"
#include "scn-suggest.h"
#include "scn-syntax.h"

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

const char *scn_profile_suggest(const char *word, size_t len)
{
	char copy[65];
	struct scn_suggest s;

	if (len >= sizeof(copy))
		return NULL;
	memcpy(copy, word, len);
	copy[len] = '\0';
	scn_suggest_begin(&s, copy);
	for (unsigned i = 0; i < scn_profile_count(); i++)
		scn_suggest_add(&s, scn_profile_name(i));
	return scn_suggest_end(&s);
}

const char *scn_profiles_text(void)
{
	static char text[1024];
	size_t len = 0;

	if (!text[0])
		for (unsigned i = 0; i < scn_profile_count() && len < sizeof(text); i++) {
			int n = snprintf(text + len, sizeof(text) - len, "%s%s",
					 i ? ", " : "", scn_profile_name(i));
			len += n > 0 ? (size_t)n : 0;
		}
	return text;
}

/* Digits at *@i of @s (@len bytes), as a number is printed: no leading
 * zero, at most @max; moves *@i past them. */
static bool reply_number(const char *s, size_t len, size_t *i, uint64_t max)
{
	size_t start = *i;
	uint64_t v = 0;

	while (*i < len && scn_ascii_isdigit(s[*i])) {
		unsigned d = (unsigned)(s[*i] - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
		++*i;
	}
	return *i > start && (*i - start == 1 || s[start] != '0');
}

static bool reply_word(const char *s, size_t len, size_t *i, const char *word)
{
	size_t n = strlen(word);

	if (len - *i < n || memcmp(s + *i, word, n) != 0)
		return false;
	*i += n;
	return true;
}

/* signal-info's reply as procsim prints it: "uid=U pid=P contid=CHAIN",
 * U a uid, P -1 or a pid, CHAIN empty or ID(,^PARENT)* (the values of
 * the profiles that pin nothing are chains of one). */
static bool valid_reply(const char *s, size_t len)
{
	size_t i = 0;

	if (!reply_word(s, len, &i, "uid=") || !reply_number(s, len, &i, UINT32_MAX) ||
	    !reply_word(s, len, &i, " pid="))
		return false;
	if (!reply_word(s, len, &i, "-1") &&
	    !reply_number(s, len, &i, CONTID_PID_MAX_LIMIT))
		return false;
	if (!reply_word(s, len, &i, " contid="))
		return false;
	if (i == len)
		return true;
	for (;;) {
		if (!reply_number(s, len, &i, UINT64_MAX - 1))
			return false;
		if (i == len)
			return true;
		if (!reply_word(s, len, &i, ",^"))
			return false;
	}
}

/* One outcome, @text at @column: ok, any, an errno name, for get-* a
 * value, for signal-info a quoted reply. */
static int parse_one_outcome(struct scn_parser *p, const char *text, size_t len,
			     unsigned column, bool quoted, struct scn_expect *e)
{
	enum scn_verb verb = p->stmt->verb;
	bool is_get = verb == SCN_GET_CONTID || verb == SCN_GET_CAPCONTID;
	bool is_info = verb == SCN_SIGNAL_INFO;

	memset(e, 0, sizeof(*e));
	if (is_info && quoted) {
		if (memchr(text, '\0', len) || !valid_reply(text, len))
			return scn_fail(p, column, "a reply is \"uid=U pid=P contid=CHAIN\" "
					"(e.g. \"uid=0 pid=5 contid=4,^2,^1\"), got \"%.*s\"",
					(int)len, text);
		e->kind = SCN_EXPECT_REPLY;
		e->reply = text;
		e->reply_len = len;
	} else if (!quoted && strcmp(text, "ok") == 0) {
		e->kind = SCN_EXPECT_OK;
	} else if (!quoted && strcmp(text, "any") == 0) {
		e->kind = SCN_EXPECT_ANY;
	} else if (!quoted && (text[0] == 'E' || text[0] == 'e')) {
		/* errno names in any case, as the library reads them */
		e->kind = SCN_EXPECT_ERRNO;
		e->err = contid_errno_from_name(text);
		if (!e->err) {
			struct scn_suggest hint;
			scn_suggest_begin(&hint, text);
			/* every name the library knows, smallest number first */
			for (int n = 1; n < 4096; n++)
				if (contid_errno_name(n))
					scn_suggest_add(&hint, contid_errno_name(n));
			scn_fail(p, column, "unknown errno name '%s'", text);
			return scn_fail_hint(p, scn_suggest_end(&hint));
		}
	} else if (verb == SCN_GET_CONTID && !quoted && strcmp(text, "unset") == 0) {
		e->kind = SCN_EXPECT_VALUE;
		e->value = CONTID_UNSET;
	} else if (is_get && !quoted && scn_ascii_isdigit(text[0])) {
		e->kind = SCN_EXPECT_VALUE;
		if (scn_parse_number_at(p, text, len, column, false,
					verb == SCN_GET_CONTID ? UINT64_MAX : UINT32_MAX,
					"a value", &e->value) < 0)
			return -1;
	} else {
		return scn_fail(p, column, is_get
				? "expected ok, any, an errno name or a value, got '%s'"
				: is_info
				? "expected ok, any, an errno name or a quoted reply "
				  "\"uid=U pid=P contid=CHAIN\", got '%s'"
				: "expected ok, any or an errno name, got '%s'", text);
	}
	return 0;
}

/*
 * PROFILE:"..." (a per-profile reply): the plain PROFILE and a colon,
 * then one quoted string up to the end of the token.  Read from the line
 * as written, as the token is decoded; stores PROFILE's length.
 */
static bool profile_then_quoted(const struct scn_parser *p,
				const struct scn_token *t, size_t *name_len)
{
	const char *raw = p->stmt->text + t->column - 1;
	size_t end = scn_token_end(p, t) - (t->column - 1);
	const char *q = memchr(raw, '"', end);

	if (!q || q == raw || q[-1] != ':')
		return false;
	size_t i = (size_t)(q - raw) + 1;
	while (i < end && raw[i] != '"')
		i += raw[i] == '\\' ? 2 : 1;
	if (i + 1 != end)
		return false;
	*name_len = (size_t)(q - raw) - 1;
	return memchr(raw, ':', *name_len) == NULL;
}

/*
 * `=> OUTCOME...`: at most one bare outcome, for every profile not named,
 * and any number of PROFILE:OUTCOME words, each profile at most once, in
 * any order.  The statement keeps the one for the parser's profile; with
 * no bare outcome the others expect ok, as with no arrow at all.
 */
int scn_parse_outcome(struct scn_parser *p)
{
	struct scn_stmt *s = p->stmt;
	const struct scn_token *arrow = scn_peek(p);

	if (scn_verb_is_check(s->verb)) {
		s->expect.kind = SCN_EXPECT_CHECK;
		if (arrow)
			return scn_fail(p, arrow->column, scn_is_word(arrow, "=>")
					? "a check takes no outcome"
					: "unexpected '%s'", arrow->text);
		return 0;
	}
	s->expect.kind = SCN_EXPECT_OK;
	if (!arrow)
		return 0;
	if (!scn_is_word(arrow, "=>"))
		return scn_fail(p, arrow->column, "unexpected '%s'", arrow->text);
	p->cur++;
	if (!scn_take(p, "outcome after '=>'"))
		return -1;
	p->cur--;

	struct scn_expect bare = { .kind = SCN_EXPECT_OK }, mine = bare, e;
	bool have_bare = false, have_mine = false;
	uint64_t named = 0;
	const struct scn_token *t;
	while ((t = scn_peek(p))) {
		p->cur++;
		size_t quoted_at = 0;
		bool per_profile_quoted = t->quoted && !t->whole_quoted &&
					  profile_then_quoted(p, t, &quoted_at);
		const char *colon = per_profile_quoted ? t->text + quoted_at
				    : t->quoted ? NULL : strchr(t->text, ':');
		if (!colon) {
			if (have_bare) {
				/* a second outcome that would also be for every
				 * profile not named */
				struct scn_error saved = p->error;
				p->error.message = NULL;
				bool is_outcome = parse_one_outcome(p, t->text, t->len,
								    t->column, t->quoted,
								    &e) == 0;
				scn_error_clear(&p->error);
				p->error = saved;
				return is_outcome
				       ? scn_fail(p, t->column,
						  "second outcome '%s' for the other profiles "
						  "(name its profile: PROFILE:%s)", t->text, t->text)
				       : scn_fail(p, t->column, "unexpected '%s' after the outcome",
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
		if (i < 0) {
			scn_fail(p, t->column, "unknown profile '%.*s' in the outcome (known: %s)",
				 (int)name_len, t->text, scn_profiles_text());
			return scn_fail_hint(p, scn_profile_suggest(t->text, name_len));
		}
		if (named & (UINT64_C(1) << i))
			return scn_fail(p, t->column, "profile '%.*s' named twice in the outcome",
					(int)name_len, t->text);
		named |= UINT64_C(1) << i;
		const char *text = colon + 1;
		unsigned column = t->column + (unsigned)name_len + 1;
		if (!*text && !per_profile_quoted)
			return scn_fail(p, column, "missing outcome after '%s'", t->text);
		if (parse_one_outcome(p, text, t->len - name_len - 1, column,
				      per_profile_quoted, &e) < 0)
			return -1;
		if ((unsigned)i == p->profile) {
			mine = e;
			have_mine = true;
		}
	}
	s->expect = have_mine ? mine : bare;
	return 0;
}

/*
 * `@NAME,NAME...` or `@!NAME,...` before a statement: it is for those
 * profiles only (or for all but those).  Each name must be known, at most
 * once; errors point at the name.
 */
int scn_parse_guard(struct scn_parser *p, const struct scn_token *t)
{
	struct scn_stmt *s = p->stmt;
	const char *text = t->text + 1;
	bool negate = false;

	if (t->quoted)
		return scn_fail(p, t->column, "a guard is @PROFILE,... without quotes");
	if (*text == '!') {
		negate = true;
		text++;
	}
	uint64_t named = 0;
	for (;;) {
		unsigned column = t->column + (unsigned)(text - t->text);
		size_t len = strcspn(text, ",");
		if (len == 0)
			return scn_fail(p, column, "missing profile name after '%.*s'",
					(int)(text - t->text), t->text);
		int i = scn_profile_index(text, len);
		if (i < 0) {
			scn_fail(p, column, "unknown profile '%.*s' in the guard (known: %s)",
				 (int)len, text, scn_profiles_text());
			return scn_fail_hint(p, scn_profile_suggest(text, len));
		}
		if (named & (UINT64_C(1) << i))
			return scn_fail(p, column, "profile '%.*s' named twice in the guard",
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
