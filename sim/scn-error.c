/* Errors about scenario input (scn.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn-error.h"

void scn_error_vset(struct scn_error *e, unsigned line, unsigned column,
		    const char *fmt, va_list ap)
{
	free(e->message);
	e->line = line;
	e->column = column;
	e->message = scn_vasprintf(fmt, ap);
}

void scn_error_set(struct scn_error *e, unsigned line, unsigned column,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_error_vset(e, line, column, fmt, ap);
	va_end(ap);
}

void scn_error_appendf(struct scn_error *e, const char *fmt, ...)
{
	struct scn_str *s = scn_str_new();
	va_list ap;

	scn_str_append(s, e->message ? e->message : "");
	va_start(ap, fmt);
	scn_str_vappendf(s, fmt, ap);
	va_end(ap);
	free(e->message);
	e->message = scn_str_steal(s);
}

void scn_error_clear(struct scn_error *e)
{
	free(e->message);
	e->message = NULL;
	e->line = e->column = 0;
}

void scn_error_move(struct scn_error *to, struct scn_error *from)
{
	if (to == from)
		return;
	free(to->message);
	*to = *from;
	from->message = NULL;
	from->line = from->column = 0;
}

void scn_print_error(const char *path, const struct scn_error *e)
{
	const char *message = e->message ? e->message : "unknown error";

	if (e->line)
		fprintf(stderr, "%s:%u:%u: error: %s\n", path, e->line, e->column,
			message);
	else
		fprintf(stderr, "%s: error: %s\n", path, message);
}
