/* Output held back until a file is known to parse (scn-held.h). */
#include <stdarg.h>
#include <string.h>

#include "scn-held.h"

struct held_run {
	FILE *f;
	size_t len;
};

void scn_held_init(struct scn_held *h, bool holding)
{
	h->holding = holding;
	h->bytes = g_byte_array_new();
	h->last_run = 0;
}

void scn_held_free(struct scn_held *h)
{
	g_byte_array_free(h->bytes, TRUE);
	h->bytes = NULL;
}

void scn_held_write(struct scn_held *h, FILE *f, const char *data, size_t len)
{
	if (!h->holding) {
		fwrite(data, 1, len, f);
		return;
	}
	struct held_run run;
	if (h->bytes->len) {
		memcpy(&run, h->bytes->data + h->last_run, sizeof(run));
		if (run.f == f) {
			run.len += len;
			memcpy(h->bytes->data + h->last_run, &run, sizeof(run));
			g_byte_array_append(h->bytes, (const guint8 *)data, (guint)len);
			return;
		}
	}
	run.f = f;
	run.len = len;
	h->last_run = h->bytes->len;
	g_byte_array_append(h->bytes, (const guint8 *)&run, sizeof(run));
	g_byte_array_append(h->bytes, (const guint8 *)data, (guint)len);
}

void scn_held_printf(struct scn_held *h, FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!h->holding) {
		vfprintf(f, fmt, ap);
	} else {
		char *text = g_strdup_vprintf(fmt, ap);
		scn_held_write(h, f, text, strlen(text));
		g_free(text);
	}
	va_end(ap);
}

void scn_held_release(struct scn_held *h)
{
	for (size_t at = 0; at < h->bytes->len;) {
		struct held_run run;
		memcpy(&run, h->bytes->data + at, sizeof(run));
		at += sizeof(run);
		fwrite(h->bytes->data + at, 1, run.len, run.f);
		at += run.len;
	}
	scn_held_discard(h);
}

void scn_held_discard(struct scn_held *h)
{
	g_byte_array_set_size(h->bytes, 0);
	h->holding = false;
}
