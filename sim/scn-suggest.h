/*
 * "Did you mean ...?": the known word closest to a misspelt one, as
 * compilers suggest, for verbs, checks, options, errno names, record
 * types, capabilities, profiles and task names.
 */
#ifndef SCN_SUGGEST_H
#define SCN_SUGGEST_H

#include <stddef.h>

/* A search for the closest of several candidates to @word. */
struct scn_suggest {
	const char *word;
	const char *best;        /* NULL: none close enough yet */
	size_t best_distance;
};

void scn_suggest_begin(struct scn_suggest *s, const char *word);
/* Considers @candidate (NUL-terminated; not copied: must outlive @s). */
void scn_suggest_add(struct scn_suggest *s, const char *candidate);
/*
 * The closest candidate if it is close enough to be a slip: edits (an
 * insertion, a deletion, a substitution, or two neighbours swapped),
 * ignoring case, at most 1 for words of up to 4 bytes, 2 up to 8, 3
 * beyond (a word that differs only in case is one).  NULL when none is.
 */
const char *scn_suggest_end(const struct scn_suggest *s);

#endif
