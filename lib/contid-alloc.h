/*
 * Allocation: every allocation a world makes goes through these, so that a
 * test can make any one of them fail (failure injection).  (The checker's
 * and the dump's scratch memory, which is not the world's, does not.)
 *
 * Where it sits: at the bottom, beside the world; it calls only libc.
 */
#ifndef CONTID_ALLOC_H
#define CONTID_ALLOC_H

#include <stddef.h>

void *cx_malloc(size_t size);
void *cx_calloc(size_t n, size_t size);
void *cx_realloc(void *p, size_t size);
void cx_free(void *p);

/*
 * Testing aid: makes the @n-th allocation attempted from now on, in this
 * thread, fail (1 = the very next one); 0 turns this off.  Every operation
 * must then fail with -ENOMEM and leave the world unchanged.
 */
void contid_debug_fail_allocation(unsigned long n);

/*
 * How many allocations are left before the injected failure, 0 when none
 * is pending (it happened, or none was asked for).
 */
unsigned long contid_debug_allocations_left(void);

#endif
