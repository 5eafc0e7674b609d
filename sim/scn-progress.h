/*
 * A one-line progress report for long runs, on a terminal only: at most
 * one line a second, written over in place and erased when the work ends
 * or before anything else is printed, so that what a program leaves on
 * the screen is what it would have printed without it.  A pipe, a file
 * or a quiet run get nothing, and the work pays a decrement per step.
 *
 * The caller counts steps (statements replayed, operations, states) and
 * asks scn_progress_due() at each one; the clock is read only every
 * @every steps, and only when a second has passed does the caller format
 * a line with scn_progress_show().
 *
 * One process has one terminal: while a line is shown, any code that
 * writes to standard output or standard error calls
 * scn_progress_interrupt() first (procsim's output paths do).
 *
 * For tests, the environment variable CONTID_PROGRESS_INTERVAL_MS sets
 * the interval in milliseconds instead of 1000, and has the clock read
 * at every step: with 0 a line is due at every step, whatever the
 * machine's speed.
 *
 * libc only: contid-bench compiles this file without the rest of sim/.
 */
#ifndef SCN_PROGRESS_H
#define SCN_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SCN_PROGRESS_EVERY 1024   /* steps between readings of the clock */

struct scn_progress {
	FILE *f;               /* NULL: off, every call is a no-op */
	uint32_t every;        /* steps between readings of the clock */
	uint32_t countdown;    /* steps until the next reading */
	uint64_t start_ns;     /* monotonic time at scn_progress_start() */
	uint64_t next_ns;      /* when the next line is due */
	uint64_t interval_ns;
	size_t shown;          /* bytes of the line on the terminal; 0: none */
	size_t width;          /* the longest line that fits on one row */
};

/*
 * Starts a report on @f (standard error, in practice): on when @f is a
 * terminal and @quiet is false, off otherwise.  The first line is due a
 * second from now.  @every: steps between readings of the clock (0:
 * SCN_PROGRESS_EVERY).
 */
void scn_progress_start(struct scn_progress *p, FILE *f, bool quiet,
			uint32_t every);

/* Reads the clock (called by scn_progress_due() every @every steps). */
bool scn_progress_check(struct scn_progress *p);

/* Counts a step; true when a line is due (then call scn_progress_show()). */
static inline bool scn_progress_due(struct scn_progress *p)
{
	if (--p->countdown)
		return false;
	return scn_progress_check(p);
}

/* Writes the line over the one shown (cut to the terminal's width); the
 * next one is due a second from now. */
void scn_progress_show(struct scn_progress *p, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* Erases the line, if one is shown; the report goes on. */
void scn_progress_clear(struct scn_progress *p);

/* Erases whatever line a report of this process has on the terminal. */
void scn_progress_interrupt(void);

/* Erases the line and turns the report off: call it before @p goes out
 * of scope. */
void scn_progress_finish(struct scn_progress *p);

/* Seconds since scn_progress_start() (0 when off). */
double scn_progress_elapsed(const struct scn_progress *p);

#endif
