/* What the parser's files share (scn-syntax.h). */
#include <stdarg.h>
#include <string.h>

#include "scn-syntax.h"

int scn_fail(struct scn_parser *p, unsigned column, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_error_vset(&p->error, p->line, column, fmt, ap);
	va_end(ap);
	return -1;
}

size_t scn_token_end(const struct scn_parser *p, const struct scn_token *t)
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

unsigned scn_end_column(const struct scn_parser *p)
{
	if (!p->lx.ntokens)
		return 1;
	return (unsigned)scn_token_end(p, &p->lx.tokens[p->lx.ntokens - 1]) + 2;
}

const struct scn_token *scn_take(struct scn_parser *p, const char *what)
{
	const struct scn_token *t = scn_peek(p);
	if (!t) {
		scn_fail(p, scn_end_column(p), "missing %s", what);
		return NULL;
	}
	p->cur++;
	return t;
}

int scn_parse_number_at(struct scn_parser *p, const char *text, size_t len,
			   unsigned column, bool quoted, uint64_t max,
			   const char *what, uint64_t *out)
{
	if (quoted || len == 0)
		return scn_fail(p, column, "expected %s, got '%s'", what, text);
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c < '0' || c > '9')
			return scn_fail(p, column, "expected %s, got '%s'", what, text);
		unsigned d = (unsigned)(c - '0');
		if (v > (max - d) / 10)
			return scn_fail(p, column, "number %s out of range (at most %llu)",
					text, (unsigned long long)max);
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int scn_parse_number(struct scn_parser *p, const struct scn_token *t,
			uint64_t max, const char *what, uint64_t *out)
{
	return scn_parse_number_at(p, t->text, t->len, t->column, t->quoted, max,
				   what, out);
}

bool scn_valid_name(const char *s, size_t len)
{
	if (len == 0 || len > SCN_MAX_NAME_BYTES)
		return false;
	if (!(scn_ascii_isalpha(s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!(scn_ascii_isalnum(s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return false;
	return true;
}

int scn_check_name_syntax(struct scn_parser *p, const struct scn_token *t)
{
	if (t->quoted || !scn_valid_name(t->text, t->len))
		return scn_fail(p, t->column, "'%s' is not a task name", t->text);
	return 0;
}

int scn_fail_hint(struct scn_parser *p, const char *suggestion)
{
	if (suggestion)
		scn_error_appendf(&p->error, "; did you mean '%s'?", suggestion);
	return -1;
}

int scn_fail_unknown_task(struct scn_parser *p, unsigned column, const char *name)
{
	unsigned line;
	bool is_exit;

	if (scn_names_fork_failed(p->names, name, strlen(name), &line))
		return scn_fail(p, column, "unknown task '%s' (its fork on line %u "
				"is expected to fail, so it binds no name)", name, line);
	if (scn_names_gone(p->names, name, strlen(name), &line, &is_exit))
		return scn_fail(p, column, "unknown task '%s' (%s on line %u)", name,
				is_exit ? "exited" : "reaped", line);
	scn_fail(p, column, "unknown task '%s'", name);
	return scn_fail_hint(p, scn_names_suggest(p->names, name));
}

int scn_parse_task(struct scn_parser *p, const char *what, scn_binding *out)
{
	const struct scn_token *t = scn_take(p, what);
	if (!t || scn_check_name_syntax(p, t) < 0)
		return -1;
	/* a statement guarded out under this profile never runs, and the
	 * names it uses may be bound only under the profiles it is for */
	if (!p->stmt->active) {
		*out = SCN_NO_BINDING;
		return 0;
	}
	scn_binding b = scn_names_find(p->names, t->text, t->len);
	if (b == SCN_NO_BINDING)
		return scn_fail_unknown_task(p, t->column, t->text);
	*out = b;
	return 0;
}

int scn_next_line(struct scn_parser *p, const char **line, size_t *len)
{
	while (p->pos < p->len) {
		const char *l = p->data + p->pos;
		const char *nl = memchr(l, '\n', p->len - p->pos);
		size_t n = nl ? (size_t)(nl - l) : p->len - p->pos;
		p->pos += n + (nl ? 1 : 0);
		p->line++;
		if (n && l[n - 1] == '\r')
			n--;

		p->error.line = p->line;
		if (scn_lex_line(&p->lx, l, n) < 0)
			return -1;
		if (!p->lx.ntokens)
			continue;
		*line = l;
		*len = n;
		return 1;
	}
	return 0;
}
