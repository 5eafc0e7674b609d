/* Tokens of one scenario line. */
#ifndef SCN_LEX_H
#define SCN_LEX_H

#include "scn-error.h"
#include "scn.h"

#define SCN_MAX_TOKENS (SCN_MAX_RECORD_FIELDS + 8)

struct scn_token {
	const char *text;   /* decoded, NUL-terminated (may hold NULs if quoted) */
	size_t len;
	unsigned column;    /* 1-based byte column where the token starts */
	bool quoted;        /* has a quoted part */
	bool whole_quoted;  /* is exactly one quoted string */
};

struct scn_lexer {
	struct scn_token tokens[SCN_MAX_TOKENS];
	size_t ntokens;
	char *scratch;
	size_t scratch_size;
	struct scn_error *error;  /* where errors go (line set by the caller) */
};

/* Splits @line (without its newline) into tokens; -1 on a lexical error. */
int scn_lex_line(struct scn_lexer *lx, const char *line, size_t len);
void scn_lexer_clear(struct scn_lexer *lx);

#endif
