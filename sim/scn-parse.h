/*
 * The parser's state and the helpers its parts share: scn-parse.c (lines
 * and verbs), scn-operands.c (operands) and scn-profiles.c (guards and
 * outcomes).  Private to those three files.
 */
#ifndef SCN_PARSE_H
#define SCN_PARSE_H

#include <string.h>

#include "scn-lex.h"

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

/* Sets the parser's error at @column of the current line; returns -1. */
int scn_fail(struct scn_parser *p, unsigned column, const char *fmt, ...)
	SCN_PRINTF(3, 4);

static inline const struct scn_token *scn_peek(struct scn_parser *p)
{
	return p->cur < p->lx.ntokens ? &p->lx.tokens[p->cur] : NULL;
}

/* The next token, or a "missing @what" error. */
const struct scn_token *scn_take(struct scn_parser *p, const char *what);
unsigned scn_end_column(struct scn_parser *p);

/* Inlined with a literal @word, the length test settles most mismatches. */
static inline bool scn_is_word(const struct scn_token *t, const char *word)
{
	size_t len = strlen(word);
	return !t->quoted && t->len == len && memcmp(t->text, word, len) == 0;
}

/* A decimal number at @column (@text is @len bytes, unquoted unless
 * @quoted) up to @max. */
int scn_parse_number_at(struct scn_parser *p, const char *text, size_t len,
			unsigned column, bool quoted, uint64_t max,
			const char *what, uint64_t *out);
int scn_parse_number(struct scn_parser *p, const struct scn_token *t,
		     uint64_t max, const char *what, uint64_t *out);
bool scn_valid_name(const char *s, size_t len);
int scn_check_name_syntax(struct scn_parser *p, const struct scn_token *t);
int scn_fail_unknown_task(struct scn_parser *p, unsigned column, const char *name);
/* A task operand: a name that is bound now. */
int scn_parse_task(struct scn_parser *p, const char *what, scn_binding *out);

/* scn-operands.c */
int scn_parse_written(struct scn_parser *p);
int scn_parse_nstype(struct scn_parser *p);
int scn_parse_cap(struct scn_parser *p);
int scn_parse_fork(struct scn_parser *p);
int scn_parse_check(struct scn_parser *p);
int scn_parse_config(struct scn_parser *p);

/* scn-profiles.c */
int scn_parse_guard(struct scn_parser *p, const struct scn_token *t);
int scn_parse_outcome(struct scn_parser *p);

#endif
