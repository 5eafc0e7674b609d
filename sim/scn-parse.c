/*
 * The scenario parser: one statement per line, names resolved as the file
 * is read (docs/scenarios.md).  This file reads lines and dispatches on
 * the verb; the operands of each verb are in scn-operands.c, what depends
 * on the profile (guards, per-profile outcomes) in scn-profiles.c, and
 * what all three use (words, errors, numbers, task names) in scn-syntax.c.
 */
#include <contid.h>
#include <stdlib.h>
#include <string.h>

#include "scn-operands.h"
#include "scn-parse.h"
#include "scn-suggest.h"
#include "scn-profiles.h"
#include "scn-syntax.h"

struct scn_parser *scn_parser_new_for(const char *data, size_t len,
				      const char *profile)
{
	struct scn_parser *p = scn_calloc(1, sizeof(*p));

	p->data = data;
	p->len = len;
	/* A UTF-8 byte order mark, as some editors write, is not part of the
	 * first line: columns count from after it, as the editor shows them. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		p->pos = 3;
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

struct scn_parser *scn_parser_clone(const struct scn_parser *p)
{
	struct scn_parser *c = scn_malloc(sizeof(*c));

	*c = *p;
	memset(&c->lx, 0, sizeof(c->lx));
	c->lx.error = &c->error;
	c->error.message = NULL;
	c->names = scn_names_clone(p->names);
	c->stmt = NULL;
	return c;
}

void scn_parser_free(struct scn_parser *p)
{
	if (!p)
		return;
	scn_lexer_clear(&p->lx);
	scn_names_free(p->names);
	scn_error_clear(&p->error);
	free(p);
}

struct scn_error *scn_parser_error(struct scn_parser *p)
{
	return &p->error;
}

const struct scn_names *scn_parser_names(const struct scn_parser *p)
{
	return p->names;
}

size_t scn_parser_offset(const struct scn_parser *p)
{
	return p->pos;
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
	VERB("auditd", SCN_AUDITD),
	VERB("signal", SCN_SIGNAL),
	VERB("signal-info", SCN_SIGNAL_INFO),
	VERB("check", SCN_CHECK_CONTID),
};
#undef VERB

/* The index of @t in verbs[], or SCN_N_ELEMENTS(verbs); lengths and first
 * bytes rule out nearly every candidate without a call. */
static size_t find_verb(const struct scn_token *t)
{
	size_t i;

	for (i = 0; i < SCN_N_ELEMENTS(verbs); i++)
		if (t->len == verbs[i].len && t->text[0] == verbs[i].word[0] &&
		    !t->quoted && memcmp(t->text, verbs[i].word, t->len) == 0)
			break;
	return i;
}

static int parse_statement(struct scn_parser *p)
{
	struct scn_stmt *s = p->stmt;
	const struct scn_token *verb = scn_take(p, "statement");
	size_t i;

	if (!verb)
		return -1; /* cannot happen: blank lines are skipped */
	s->active = true;
	if (verb->text[0] == '@') {
		if (scn_parse_guard(p, verb) < 0)
			return -1;
		if (!(verb = scn_take(p, "statement after the guard")))
			return -1;
	}

	i = find_verb(verb);
	if (i == SCN_N_ELEMENTS(verbs)) {
		struct scn_suggest hint;
		scn_suggest_begin(&hint, verb->text);
		for (size_t k = 0; k < SCN_N_ELEMENTS(verbs); k++)
			scn_suggest_add(&hint, verbs[k].word);
		scn_fail(p, verb->column, "unknown statement '%s'", verb->text);
		return scn_fail_hint(p, scn_suggest_end(&hint));
	}
	s->verb = verbs[i].verb;

	int r;
	switch (s->verb) {
	case SCN_PROFILE: {
		const struct scn_token *t = scn_take(p, "profile name");
		if (!t)
			return -1;
		if (p->operations)
			return scn_fail(p, verb->column, "profile must come before the first operation");
		if (t->quoted || !scn_profile_known(t->text)) {
			scn_fail(p, t->column, "unknown profile '%s' (known: %s)", t->text,
				 scn_profiles_text());
			return scn_fail_hint(p, scn_profile_suggest(t->text, t->len));
		}
		if (s->guarded)
			return scn_fail(p, p->lx.tokens[0].column,
					"a profile statement cannot be guarded");
		s->profile = t->text;
		if (!p->profile_fixed)
			p->profile = (unsigned)scn_profile_index(t->text, t->len);
		r = 0;
		break;
	}
	case SCN_CONFIG_PID_MAX:
		r = scn_parse_config(p);
		break;
	case SCN_FORK:
		r = scn_parse_fork(p);
		break;
	case SCN_EXIT:
	case SCN_REAP:
	case SCN_SUBREAPER:
	case SCN_EVENT:
	case SCN_PACKET:
	case SCN_AUDITD:
		r = scn_parse_task(p, "task", &s->task);
		break;
	case SCN_SIGNAL:
		r = scn_parse_task(p, "sender task", &s->other);
		if (r == 0)
			r = scn_parse_task(p, "target task", &s->task);
		if (r == 0)
			r = scn_parse_signal(p);
		break;
	case SCN_SIGNAL_INFO:
		r = scn_parse_task(p, "reader task", &s->task);
		break;
	case SCN_UNSHARE:
		r = scn_parse_task(p, "task", &s->task);
		if (r == 0)
			r = scn_parse_nstype(p);
		break;
	case SCN_SETNS:
		r = scn_parse_task(p, "task", &s->task);
		if (r == 0)
			r = scn_parse_nstype(p);
		if (r == 0)
			r = scn_parse_task(p, "other task", &s->other);
		break;
	case SCN_SETUID: {
		r = scn_parse_task(p, "task", &s->task);
		const struct scn_token *t = r == 0 ? scn_take(p, "uid") : NULL;
		r = t ? scn_parse_number(p, t, UINT32_MAX, "a uid", &s->number) : -1;
		break;
	}
	case SCN_DROP_CAP:
		r = scn_parse_task(p, "task", &s->task);
		if (r == 0)
			r = scn_parse_cap(p);
		break;
	case SCN_SET_CONTID:
	case SCN_SET_CAPCONTID:
		r = scn_parse_task(p, "writer task", &s->other);
		if (r == 0)
			r = scn_parse_task(p, "target task", &s->task);
		if (r == 0)
			r = scn_parse_written(p);
		break;
	case SCN_GET_CONTID:
	case SCN_GET_CAPCONTID:
		r = scn_parse_task(p, "reader task", &s->other);
		if (r == 0)
			r = scn_parse_task(p, "target task", &s->task);
		break;
	case SCN_CHECK_CONTID:
		r = scn_parse_check(p);
		break;
	default:
		r = scn_fail(p, verb->column, "unknown statement '%s'", verb->text);
	}
	if (r < 0)
		return -1;
	return scn_parse_outcome(p);
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
		if (!ok)
			scn_names_failed_fork(p->names, s->new_name,
					      strlen(s->new_name), p->line);
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
		if (scn_is_word(&p->lx.tokens[i], "=>")) {
			last = i - 1;
			break;
		}
	p->stmt->label_len = scn_token_end(p, &p->lx.tokens[last]);
}

int scn_next(struct scn_parser *p, struct scn_stmt *stmt)
{
	const char *line;
	size_t len;
	int got;

	while ((got = scn_next_line(p, &line, &len)) > 0) {

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
	if (got < 0)
		return -1;
	if (p->statements == 0) {
		scn_error_set(&p->error, p->line ? p->line : 1, 1, "%s",
			      p->len ? "no statement in the file" : "empty file");
		return -1;
	}
	return 0;
}
