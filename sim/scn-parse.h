/*
 * A pass over a scenario's bytes, statement by statement.  scn_next()
 * returns 1 with *stmt filled, 0 at the end, -1 on a syntax error (details
 * in the parser's error).  Statement memory lives until the next call.
 *
 * The pass is made under one profile, because guards, per-profile outcomes
 * and with them name bindings depend on it: @profile (a known name) for the
 * whole file, as `procsim --profile` or --compare give it, or NULL for the
 * file's own: v11 until a `profile` statement names another.
 */
#ifndef SCN_PARSE_H
#define SCN_PARSE_H

#include "scn-error.h"
#include "scn.h"

struct scn_names;
struct scn_parser;

struct scn_parser *scn_parser_new_for(const char *data, size_t len,
				      const char *profile);
/* A pass that continues from where @p is, independently of it. */
struct scn_parser *scn_parser_clone(const struct scn_parser *p);
void scn_parser_free(struct scn_parser *p);
int scn_next(struct scn_parser *p, struct scn_stmt *stmt);
/* The error of the last scn_next() that returned -1 (take it with
 * scn_error_move()). */
struct scn_error *scn_parser_error(struct scn_parser *p);
const struct scn_names *scn_parser_names(const struct scn_parser *p);
/* How far the pass has read, in bytes from the start of the data. */
size_t scn_parser_offset(const struct scn_parser *p);

#endif
