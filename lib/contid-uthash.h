/*
 * uthash, configured for libcontid: allocations go through the library's
 * allocator, and running out of memory is reported instead of exiting.
 * After HASH_ADD*, an element whose hh.tbl is NULL was not added.
 */
#ifndef CONTID_UTHASH_H
#define CONTID_UTHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "contid-alloc.h"

/* Keys here are 8 bytes (u64 values or pointers): mix them, don't hash bytes. */
static inline unsigned cx_hash_key(const void *key, size_t len)
{
	uint64_t x = 0;

	if (len == sizeof(x)) {
		memcpy(&x, key, sizeof(x));
	} else {
		const unsigned char *p = key;
		x = UINT64_C(1469598103934665603);
		for (size_t i = 0; i < len; i++)
			x = (x ^ p[i]) * UINT64_C(1099511628211);
	}
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return (unsigned)x;
}

#define HASH_NONFATAL_OOM 1
#define uthash_malloc(sz) cx_malloc(sz)
#define uthash_free(ptr, sz) cx_free(ptr)
#define HASH_FUNCTION(keyptr, keylen, hashv) ((hashv) = cx_hash_key((keyptr), (keylen)))

#include <uthash.h>

#endif
