/*
 * Output held back while a file might still turn out not to parse, then
 * written in the order it came, so streams that share a descriptor
 * interleave as if written at once.
 */
#ifndef SCN_HELD_H
#define SCN_HELD_H

#include <stdbool.h>
#include <stdio.h>

#include "scn-mem.h"

struct scn_held {
	bool holding;          /* false: writes go straight to their streams */
	struct scn_str *bytes; /* runs: struct held_run, then its bytes */
	size_t last_run;       /* offset of the newest run's header */
};

void scn_held_init(struct scn_held *h, bool holding);
void scn_held_free(struct scn_held *h);
void scn_held_write(struct scn_held *h, FILE *f, const char *data, size_t len);
void scn_held_printf(struct scn_held *h, FILE *f, const char *fmt, ...)
	SCN_PRINTF(3, 4);
/* Writes what was held; from now on nothing is. */
void scn_held_release(struct scn_held *h);
/* Drops what was held; from now on nothing is. */
void scn_held_discard(struct scn_held *h);

static inline size_t scn_held_size(const struct scn_held *h)
{
	return h->bytes->len;
}

#endif
