/*
 * Allocation and failure injection.  The injection functions are internal:
 * only programs linked with the internal archive (libcontid_internal_dep)
 * can call them, the installed library does not export them.
 *
 * Where it sits: the bottom room; it calls only libc.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "contid-alloc.h"

/* Allocations left before one fails (contid_debug_fail_allocation()). */
static _Thread_local unsigned long fail_countdown;

static bool injected_failure(void)
{
	return fail_countdown && --fail_countdown == 0;
}

void contid_debug_fail_allocation(unsigned long n)
{
	fail_countdown = n;
}

unsigned long contid_debug_allocations_left(void)
{
	return fail_countdown;
}

void *cx_malloc(size_t size)
{
	return injected_failure() ? NULL : malloc(size);
}

void *cx_calloc(size_t n, size_t size)
{
	return injected_failure() ? NULL : calloc(n, size);
}

void *cx_realloc(void *p, size_t size)
{
	return injected_failure() ? NULL : realloc(p, size);
}

void cx_free(void *p)
{
	free(p);
}
