/*
 * procsim's memory: allocations that never return NULL, and growable
 * strings.  A scenario's size decides how much procsim allocates, so an
 * allocation can fail on any input large enough; when one does, procsim
 * says so, naming the file and line it was replaying, and exits with
 * status 2 (scn_out_of_memory()).  Nothing in sim/ aborts.
 */
#ifndef SCN_MEM_H
#define SCN_MEM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__)
#define SCN_NORETURN __attribute__((noreturn))
#define SCN_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define SCN_NORETURN
#define SCN_PRINTF(fmt, args)
#endif

/* Locale-independent ASCII classes (as the scenario language defines them). */
static inline bool scn_ascii_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool scn_ascii_isalpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool scn_ascii_isalnum(char c)
{
	return scn_ascii_isalpha(c) || scn_ascii_isdigit(c);
}

/* The value of hex digit @c, or -1. */
static inline int scn_ascii_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#define SCN_MAX(a, b) ((a) > (b) ? (a) : (b))
#define SCN_N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/*
 * What an out-of-memory message names: the file being read or replayed
 * (NULL: none) and the line (0: none).  The strings must outlive the
 * setting.
 */
void scn_mem_where(const char *path, unsigned line);
void scn_mem_where_line(unsigned line);

/* Prints "FILE:LINE: error: out of memory" (as much as is known) on
 * standard error and exits with status 2. */
SCN_NORETURN void scn_out_of_memory(void);

void *scn_malloc(size_t size);
void *scn_calloc(size_t n, size_t size);
/* realloc() of @n elements of @size bytes; the product may not overflow. */
void *scn_realloc_array(void *p, size_t n, size_t size);
char *scn_strndup(const char *s, size_t n);
char *scn_strdup(const char *s);
char *scn_vasprintf(const char *fmt, va_list ap) SCN_PRINTF(1, 0);
char *scn_asprintf(const char *fmt, ...) SCN_PRINTF(1, 2);

/*
 * Makes room in *@array (elements of @size bytes, *@cap of them) for at
 * least @need elements, growing geometrically.
 */
void scn_array_reserve(void **array, size_t *cap, size_t need, size_t size);

#define SCN_RESERVE(array, cap, need) \
	scn_array_reserve((void **)&(array), &(cap), (need), sizeof(*(array)))

/* A growable string; str is always NUL-terminated (it may hold NULs). */
struct scn_str {
	char *str;
	size_t len;
	size_t cap;     /* bytes allocated at str */
};

struct scn_str *scn_str_new(void);
void scn_str_free(struct scn_str *s);
/* Frees @s but hands its bytes to the caller (free() them). */
char *scn_str_steal(struct scn_str *s);
void scn_str_reserve(struct scn_str *s, size_t extra);
void scn_str_truncate(struct scn_str *s, size_t len);
void scn_str_append_len(struct scn_str *s, const char *text, size_t len);
void scn_str_append(struct scn_str *s, const char *text);
void scn_str_putc(struct scn_str *s, char c);
void scn_str_assign(struct scn_str *s, const char *text);
void scn_str_vappendf(struct scn_str *s, const char *fmt, va_list ap)
	SCN_PRINTF(2, 0);
void scn_str_appendf(struct scn_str *s, const char *fmt, ...) SCN_PRINTF(2, 3);
void scn_str_printf(struct scn_str *s, const char *fmt, ...) SCN_PRINTF(2, 3);

#endif
