/*
 * The parser's state and what its three files share: taking words,
 * errors at a column, numbers and task names.  scn-parse.c (lines and
 * verbs) calls scn-operands.c (operands) and scn-profiles.c (guards and
 * outcomes); all three use this file, so that neither of the other two
 * needs anything of scn-parse.c and the parser's files depend in one
 * direction.  Private to those files.
 */
#ifndef SCN_SYNTAX_H
#define SCN_SYNTAX_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "scn-error.h"
#include "scn-lex.h"
#include "scn-names.h"

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

/* After scn_fail(): appends "; did you mean 'SUGGESTION'?" when
 * @suggestion is not NULL (see scn-suggest.h); returns -1. */
int scn_fail_hint(struct scn_parser *p, const char *suggestion);

static inline const struct scn_token *scn_peek(struct scn_parser *p)
{
	return p->cur < p->lx.ntokens ? &p->lx.tokens[p->cur] : NULL;
}

/* The next token, or a "missing @what" error. */
const struct scn_token *scn_take(struct scn_parser *p, const char *what);
/* The byte index just past token @t in the line as written (a quoted
 * token's decoded length is not its width on the line). */
size_t scn_token_end(const struct scn_parser *p, const struct scn_token *t);
/* Column just past the last token, for "missing ..." errors. */
unsigned scn_end_column(const struct scn_parser *p);

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

/*
 * Reads and lexes the next line that holds a word (blank and comment
 * lines are skipped): 1 with the line (without its CR LF) in *@line and
 * *@len, 0 at the end, -1 on a lexical error (in p->error).
 */
int scn_next_line(struct scn_parser *p, const char **line, size_t *len);

#endif
