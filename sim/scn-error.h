/* Errors about scenario input: where, and what, as procsim prints them. */
#ifndef SCN_ERROR_H
#define SCN_ERROR_H

#include <stdarg.h>

#include "scn-mem.h"

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

/*
 * The same, followed, when @e has a line and @data (@len bytes, the whole
 * input) holds it, by that line and a caret under the column, as gcc and
 * clang show them:
 *
 *     3 | frok a from init
 *       | ^
 */
void scn_print_error_source(const char *path, const struct scn_error *e,
			    const char *data, size_t len);

#endif
