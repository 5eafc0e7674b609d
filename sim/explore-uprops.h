/*
 * Properties of the user's own for procsim explore (`--properties FILE`):
 * the file's language (docs/explore.md, "Properties of your own"), parsed
 * once, and each property evaluated on every state of the search.
 */
#ifndef EXPLORE_UPROPS_H
#define EXPLORE_UPROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scn-error.h"
#include "scn-mem.h"

struct contid_world;
struct xuprops;

/*
 * A task name of the start world (init, or a name the setup scenario
 * bound): its pid and identity (contid_task_identity); return false if
 * unknown.  Called while a file loads, never during evaluation; for a
 * misspelt name it is also asked about each name one edit away, to
 * suggest one.
 */
typedef bool (*xuprops_lookup_fn)(void *data, const char *name, pid_t *pid,
				  uint64_t *identity);

/*
 * Parses @data (@len bytes, data[len] == 0) read from a properties file.
 * Values quantified over are @values (the numeric --values of the search;
 * @values may be NULL when @nvalues is 0) plus, in each state, the values
 * of the live ID objects.  Returns 0 and stores the properties in *@out,
 * or -1 with @err set (line, column from 1, message as the scenario parser
 * words them; the caller prints it with scn_print_error()) and *@out
 * untouched.
 */
int xuprops_load(const char *data, size_t len, xuprops_lookup_fn lookup,
		 void *lookup_data, const uint64_t *values, size_t nvalues,
		 struct xuprops **out, struct scn_error *err);

/* How many properties the file defines, and the name of the @i-th, in
 * file order. */
size_t xuprops_count(const struct xuprops *p);
const char *xuprops_name(const struct xuprops *p, size_t i);

/*
 * Evaluates property @i (below xuprops_count(@p)) on @w: 0 when it holds,
 * 1 when it does not, with the first failing assignment described in @why
 * (replacing what it held; untouched when the property holds, and @why
 * may be NULL), e.g. "t=t3 v=1: check contid t 1 (got unset)"; @name
 * gives the scenario name of a pid (never NULL).  It reads @p and @w only,
 * so several threads may evaluate at once on different worlds (a world is
 * used by one thread at a time, lib/contid.h), and allocates nothing
 * unless a state has more than 64 tasks or values or a chain longer than
 * 1 KiB, or to describe a failure.
 */
int xuprops_eval(const struct xuprops *p, size_t i,
		 const struct contid_world *w,
		 const char *(*name)(void *data, pid_t pid), void *name_data,
		 struct scn_str *why);

/* Frees @p; NULL is ignored. */
void xuprops_free(struct xuprops *p);

#endif
