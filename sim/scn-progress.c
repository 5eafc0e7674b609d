/* A one-line progress report on a terminal (scn-progress.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "scn-progress.h"

#define DEFAULT_INTERVAL_NS UINT64_C(1000000000)
#define DEFAULT_WIDTH 80
#define LINE_MAX_BYTES 512

/* The report whose line is on the terminal, if any. */
static struct scn_progress *on_screen;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* CONTID_PROGRESS_INTERVAL_MS, for tests: decimal milliseconds, or -1. */
static int64_t interval_from_environment(void)
{
	const char *s = getenv("CONTID_PROGRESS_INTERVAL_MS");
	char *end;

	if (!s || !*s)
		return -1;
	unsigned long long ms = strtoull(s, &end, 10);
	if (*end || s[0] == '-' || ms > 3600000)
		return -1;
	return (int64_t)ms;
}

void scn_progress_start(struct scn_progress *p, FILE *f, bool quiet,
			uint32_t every)
{
	memset(p, 0, sizeof(*p));
	p->countdown = UINT32_MAX;
	if (quiet || !f || !isatty(fileno(f)))
		return;
	p->f = f;
	p->every = every ? every : SCN_PROGRESS_EVERY;
	p->interval_ns = DEFAULT_INTERVAL_NS;
	int64_t ms = interval_from_environment();
	if (ms >= 0) {
		p->interval_ns = (uint64_t)ms * 1000000u;
		p->every = 1;
	}
	/* a line longer than a row would wrap, and '\r' go back only one row */
	struct winsize ws;
	p->width = DEFAULT_WIDTH - 1;
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		p->width = (size_t)ws.ws_col - 1;
	if (p->width > LINE_MAX_BYTES - 1)
		p->width = LINE_MAX_BYTES - 1;
	p->countdown = p->every;
	p->start_ns = now_ns();
	p->next_ns = p->start_ns + p->interval_ns;
}

bool scn_progress_check(struct scn_progress *p)
{
	if (!p->f) {
		p->countdown = UINT32_MAX;
		return false;
	}
	p->countdown = p->every;
	return now_ns() >= p->next_ns;
}

/* Writes @text, then blanks over what is left of a longer line before. */
static void put_line(struct scn_progress *p, const char *text, size_t len)
{
	char line[1 + LINE_MAX_BYTES + LINE_MAX_BYTES];
	size_t n = 0;

	line[n++] = '\r';
	memcpy(line + n, text, len);
	n += len;
	for (size_t i = len; i < p->shown; i++)
		line[n++] = ' ';
	fwrite(line, 1, n, p->f);
	fflush(p->f);
	p->shown = len;
}

void scn_progress_show(struct scn_progress *p, const char *fmt, ...)
{
	char text[LINE_MAX_BYTES];
	va_list ap;

	if (!p->f)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1;
	if (len > p->width) {
		len = p->width;
		/* not in the middle of a UTF-8 sequence */
		while (len && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;
	}
	p->next_ns = now_ns() + p->interval_ns;
	if (!len) {
		scn_progress_clear(p);
		return;
	}
	/* another report's line goes first */
	if (on_screen && on_screen != p)
		scn_progress_clear(on_screen);
	put_line(p, text, len);
	on_screen = p;
}

void scn_progress_clear(struct scn_progress *p)
{
	if (!p->f || !p->shown)
		return;
	put_line(p, "", 0);
	fputc('\r', p->f);
	fflush(p->f);
	if (on_screen == p)
		on_screen = NULL;
}

void scn_progress_interrupt(void)
{
	if (on_screen)
		scn_progress_clear(on_screen);
}

void scn_progress_finish(struct scn_progress *p)
{
	scn_progress_clear(p);
	p->f = NULL;
	p->countdown = UINT32_MAX;
}

double scn_progress_elapsed(const struct scn_progress *p)
{
	if (!p->f)
		return 0;
	return (double)(now_ns() - p->start_ns) / 1e9;
}
