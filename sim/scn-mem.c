/* Allocation that reports and exits instead of returning NULL (scn-mem.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn-mem.h"
#include "scn-progress.h"

static struct {
	const char *path;
	unsigned line;
} where;

void scn_mem_where(const char *path, unsigned line)
{
	where.path = path;
	where.line = line;
}

void scn_mem_where_line(unsigned line)
{
	where.line = line;
}

void scn_out_of_memory(void)
{
	/* no allocation from here on: fputs and fprintf of numbers need none
	 * on an unbuffered stderr */
	scn_progress_interrupt();
	if (where.path && where.line)
		fprintf(stderr, "%s:%u: error: out of memory\n", where.path,
			where.line);
	else if (where.path)
		fprintf(stderr, "%s: error: out of memory\n", where.path);
	else
		fputs("procsim: error: out of memory\n", stderr);
	exit(2);
}

static void *checked(void *p)
{
	if (!p)
		scn_out_of_memory();
	return p;
}

void *scn_malloc(size_t size)
{
	return checked(malloc(size ? size : 1));
}

void *scn_calloc(size_t n, size_t size)
{
	return checked(calloc(n ? n : 1, size ? size : 1));
}

void *scn_realloc_array(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		scn_out_of_memory();
	size_t bytes = n * size;
	return checked(realloc(p, bytes ? bytes : 1));
}

char *scn_strndup(const char *s, size_t n)
{
	if (n == SIZE_MAX)
		scn_out_of_memory();
	char *copy = scn_malloc(n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	return copy;
}

char *scn_strdup(const char *s)
{
	return scn_strndup(s, strlen(s));
}

char *scn_vasprintf(const char *fmt, va_list ap)
{
	struct scn_str *s = scn_str_new();
	scn_str_vappendf(s, fmt, ap);
	return scn_str_steal(s);
}

char *scn_asprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *text = scn_vasprintf(fmt, ap);
	va_end(ap);
	return text;
}

void scn_array_reserve(void **array, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			scn_out_of_memory();
		n *= 2;
	}
	*array = scn_realloc_array(*array, n, size);
	*cap = n;
}

/* ------------------------------------------------------------- strings */

struct scn_str *scn_str_new(void)
{
	struct scn_str *s = scn_malloc(sizeof(*s));

	s->cap = 32;
	s->str = scn_malloc(s->cap);
	s->str[0] = '\0';
	s->len = 0;
	return s;
}

void scn_str_free(struct scn_str *s)
{
	if (!s)
		return;
	free(s->str);
	free(s);
}

char *scn_str_steal(struct scn_str *s)
{
	char *str = s->str;
	free(s);
	return str;
}

void scn_str_reserve(struct scn_str *s, size_t extra)
{
	if (extra >= SIZE_MAX - s->len)
		scn_out_of_memory();
	SCN_RESERVE(s->str, s->cap, s->len + extra + 1);
}

void scn_str_truncate(struct scn_str *s, size_t len)
{
	if (len < s->len) {
		s->len = len;
		s->str[len] = '\0';
	}
}

void scn_str_append_len(struct scn_str *s, const char *text, size_t len)
{
	scn_str_reserve(s, len);
	memcpy(s->str + s->len, text, len);
	s->len += len;
	s->str[s->len] = '\0';
}

void scn_str_append(struct scn_str *s, const char *text)
{
	scn_str_append_len(s, text, strlen(text));
}

void scn_str_putc(struct scn_str *s, char c)
{
	scn_str_reserve(s, 1);
	s->str[s->len++] = c;
	s->str[s->len] = '\0';
}

void scn_str_assign(struct scn_str *s, const char *text)
{
	scn_str_truncate(s, 0);
	scn_str_append(s, text);
}

void scn_str_vappendf(struct scn_str *s, const char *fmt, va_list ap)
{
	va_list again;

	va_copy(again, ap);
	int n = vsnprintf(s->str + s->len, s->cap - s->len, fmt, ap);
	if (n < 0) {
		/* only an unrepresentable conversion fails: keep what is there */
		va_end(again);
		s->str[s->len] = '\0';
		return;
	}
	if ((size_t)n >= s->cap - s->len) {
		scn_str_reserve(s, (size_t)n);
		vsnprintf(s->str + s->len, s->cap - s->len, fmt, again);
	}
	va_end(again);
	s->len += (size_t)n;
}

void scn_str_appendf(struct scn_str *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_str_vappendf(s, fmt, ap);
	va_end(ap);
}

void scn_str_printf(struct scn_str *s, const char *fmt, ...)
{
	va_list ap;

	scn_str_truncate(s, 0);
	va_start(ap, fmt);
	scn_str_vappendf(s, fmt, ap);
	va_end(ap);
}
