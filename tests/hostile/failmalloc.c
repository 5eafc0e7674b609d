/*
 * An LD_PRELOAD module that makes one chosen allocation of a program fail,
 * for tests that run procsim (or any program) with every allocation
 * failing in turn.
 *
 *   FAILMALLOC_NTH=N      the Nth call to malloc, calloc or realloc (from
 *                         1, counted from when this module is loaded)
 *                         returns NULL with errno ENOMEM; the others work
 *   FAILMALLOC_REPORT=F   at exit, write how many calls there were to F
 *
 * It wraps glibc's own allocator entry points, so it needs no dlsym()
 * (which itself allocates) and no allocation of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

static unsigned long calls, nth;
static const char *report;

__attribute__((constructor)) static void failmalloc_init(void)
{
	const char *n = getenv("FAILMALLOC_NTH");

	nth = n ? strtoul(n, NULL, 10) : 0;
	report = getenv("FAILMALLOC_REPORT");
	calls = 0;
}

__attribute__((destructor)) static void failmalloc_report(void)
{
	char text[32];

	if (!report)
		return;
	int fd = open(report, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	int len = snprintf(text, sizeof(text), "%lu\n", calls);
	if (len > 0 && write(fd, text, (size_t)len) < 0)
		len = 0;
	close(fd);
}

static int fail_now(void)
{
	if (++calls != nth)
		return 0;
	errno = ENOMEM;
	return 1;
}

void *malloc(size_t size)
{
	return fail_now() ? NULL : __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	return fail_now() ? NULL : __libc_realloc(p, size);
}
