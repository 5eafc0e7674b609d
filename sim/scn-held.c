/* Output held back until a file is known to parse (scn-held.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "scn-held.h"
#include "scn-progress.h"

struct held_run {
	FILE *f;
	size_t len;
};

void scn_held_init(struct scn_held *h, bool holding)
{
	h->holding = holding;
	h->bytes = scn_str_new();
	h->last_run = 0;
}

void scn_held_free(struct scn_held *h)
{
	scn_str_free(h->bytes);
	h->bytes = NULL;
}

/* A progress line on the terminal must not run into what a stream shows. */
static void before_writing(FILE *f)
{
	if (f == stdout || f == stderr)
		scn_progress_interrupt();
}

void scn_held_write(struct scn_held *h, FILE *f, const char *data, size_t len)
{
	if (!h->holding) {
		before_writing(f);
		fwrite(data, 1, len, f);
		return;
	}
	struct held_run run;
	if (h->bytes->len) {
		memcpy(&run, h->bytes->str + h->last_run, sizeof(run));
		if (run.f == f) {
			run.len += len;
			memcpy(h->bytes->str + h->last_run, &run, sizeof(run));
			scn_str_append_len(h->bytes, data, len);
			return;
		}
	}
	run.f = f;
	run.len = len;
	h->last_run = h->bytes->len;
	scn_str_append_len(h->bytes, (const char *)&run, sizeof(run));
	scn_str_append_len(h->bytes, data, len);
}

void scn_held_printf(struct scn_held *h, FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!h->holding) {
		before_writing(f);
		vfprintf(f, fmt, ap);
	} else {
		char *text = scn_vasprintf(fmt, ap);
		scn_held_write(h, f, text, strlen(text));
		free(text);
	}
	va_end(ap);
}

void scn_held_release(struct scn_held *h)
{
	if (h->bytes->len)
		scn_progress_interrupt();
	for (size_t at = 0; at < h->bytes->len;) {
		struct held_run run;
		memcpy(&run, h->bytes->str + at, sizeof(run));
		at += sizeof(run);
		fwrite(h->bytes->str + at, 1, run.len, run.f);
		at += run.len;
	}
	scn_held_discard(h);
}

void scn_held_discard(struct scn_held *h)
{
	scn_str_truncate(h->bytes, 0);
	h->holding = false;
}
