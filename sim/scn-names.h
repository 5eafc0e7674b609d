/*
 * Name bindings as a pass over a file sees them: the parser makes and
 * resolves them, the runner and --dot name tasks with them.
 */
#ifndef SCN_NAMES_H
#define SCN_NAMES_H

#include "scn.h"

struct scn_names;

struct scn_names *scn_names_new(void);
void scn_names_free(struct scn_names *n);
/* A copy that changes independently of @n (for a cloned parser). */
struct scn_names *scn_names_clone(const struct scn_names *n);
/* The name of a binding (for messages and $name). */
const char *scn_names_name(const struct scn_names *n, scn_binding b);
scn_binding scn_names_count(const struct scn_names *n);
/* The binding @name (@len bytes) has now, or SCN_NO_BINDING. */
scn_binding scn_names_find(const struct scn_names *n, const char *name, size_t len);
scn_binding scn_names_bind(struct scn_names *n, const char *name, size_t len,
			   bool thread);
/* @line: where the name was let go, for messages about later uses. */
void scn_names_unbind(struct scn_names *n, scn_binding b, unsigned line, bool is_exit);
/* Whether an unbound @name was bound once: the line that let it go. */
bool scn_names_gone(const struct scn_names *n, const char *name, size_t len,
		    unsigned *line, bool *is_exit);
/* A fork of @name on @line is expected to fail: if the name is not bound,
 * that is why, which scn_names_fork_failed() tells later. */
void scn_names_failed_fork(struct scn_names *n, const char *name, size_t len,
			   unsigned line);
/* Whether @name is unbound because a fork of it was expected to fail
 * (after any reap or exit that let it go): the line of that fork. */
bool scn_names_fork_failed(const struct scn_names *n, const char *name, size_t len,
			   unsigned *line);
bool scn_names_is_thread(const struct scn_names *n, scn_binding b);
/* The bound name closest to @word, if close enough (scn-suggest.h). */
const char *scn_names_suggest(const struct scn_names *n, const char *word);

#endif
