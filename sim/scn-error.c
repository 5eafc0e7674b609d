/* Errors about scenario input (scn.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn-error.h"
#include "scn-progress.h"
#include "scn-utf8.h"

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

	scn_progress_interrupt();

	if (e->line)
		fprintf(stderr, "%s:%u:%u: error: %s\n", path, e->line, e->column,
			message);
	else
		fprintf(stderr, "%s: error: %s\n", path, message);
}

/* Beyond this many bytes, a quoted source line is shown around the column. */
#define SOURCE_WINDOW 160

void scn_print_error_source(const char *path, const struct scn_error *e,
			    const char *data, size_t len)
{
	scn_print_error(path, e);
	if (!e->line || !data || !e->column)
		return;
	/* the line, as the lexer counts them (LF ends a line) */
	const char *p = data, *end = data + len;
	for (unsigned n = 1; n < e->line; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return;
		p = nl + 1;
	}
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t line_len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	if (line_len && p[line_len - 1] == '\r')
		line_len--;
	size_t col = e->column - 1;         /* bytes before the caret */
	size_t from = 0, to = line_len;
	if (line_len > SOURCE_WINDOW) {
		from = col > SOURCE_WINDOW / 2 ? col - SOURCE_WINDOW / 2 : 0;
		to = from + SOURCE_WINDOW < line_len ? from + SOURCE_WINDOW : line_len;
	}
	if (col > to)
		col = to;
	struct scn_str *text = scn_str_new(), *caret = scn_str_new();
	scn_str_appendf(text, "%5u | %s", e->line, from ? "..." : "");
	scn_str_append(caret, "      | ");
	if (from)
		scn_str_append(caret, "   ");
	/* what a terminal shows for each byte: well-formed UTF-8 as is, one
	 * column per character; any other byte that is no printable ASCII
	 * (the very bytes some errors are about) as '?' */
	for (size_t i = from; i < to;) {
		unsigned char c = (unsigned char)p[i];
		size_t n = 1;
		if (c == '\t') {
			scn_str_putc(text, '\t');
		} else if (c >= 0x80 && (n = scn_utf8_sequence((const unsigned char *)p + i,
							     to - i)) > 0 &&
			   /* not a C1 control (U+0080 to U+009F) either */
			   !(c == 0xc2 && (unsigned char)p[i + 1] < 0xa0)) {
			scn_str_append_len(text, p + i, n);
		} else {
			n = 1;
			scn_str_putc(text, c < 0x20 || c >= 0x7f ? '?' : (char)c);
		}
		if (i < col)
			scn_str_putc(caret, c == '\t' ? '\t' : ' ');
		i += n;
	}
	if (to < line_len)
		scn_str_append(text, "...");
	scn_str_putc(caret, '^');
	fprintf(stderr, "%s\n%s\n", text->str, caret->str);
	scn_str_free(text);
	scn_str_free(caret);
}
