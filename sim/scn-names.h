/* Name bindings, as the parser makes and resolves them. */
#ifndef SCN_NAMES_H
#define SCN_NAMES_H

#include "scn.h"

/* The binding @name (@len bytes) has now, or SCN_NO_BINDING. */
scn_binding scn_names_find(const struct scn_names *n, const char *name, size_t len);
scn_binding scn_names_bind(struct scn_names *n, const char *name, size_t len,
			   bool thread);
/* @line: where the name was let go, for messages about later uses. */
void scn_names_unbind(struct scn_names *n, scn_binding b, unsigned line, bool is_exit);
/* Whether an unbound @name was bound once: the line that let it go. */
bool scn_names_gone(const struct scn_names *n, const char *name, size_t len,
		    unsigned *line, bool *is_exit);
bool scn_names_is_thread(const struct scn_names *n, scn_binding b);
struct scn_names *scn_names_clone(const struct scn_names *n);

#endif
