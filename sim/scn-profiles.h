/*
 * What depends on the profile a pass is under: the profiles libcontid
 * knows, and the parser's `@guards` and per-profile outcomes.
 */
#ifndef SCN_PROFILES_H
#define SCN_PROFILES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Profiles: whatever libcontid knows (contid_profile_names()), in its
 * order, the default first.  scn_profiles_text() is "v11, v6, ..." for
 * messages.  Guards and per-profile outcomes keep sets of profiles as bit
 * masks, so at most SCN_MAX_PROFILES are used.
 */
#define SCN_MAX_PROFILES 64
bool scn_profile_known(const char *name);
/* The index of @name (length @len) in contid_profile_names(), or -1. */
int scn_profile_index(const char *name, size_t len);
unsigned scn_profile_count(void);
const char *scn_profile_name(unsigned index);
/* The profile name closest to @len bytes of @word, if close enough. */
const char *scn_profile_suggest(const char *word, size_t len);
const char *scn_profiles_text(void);

/* For scn-parse.c: the guard @t that starts a statement, and its
 * `=> OUTCOME...` (or the end of a check). */
struct scn_parser;
struct scn_token;
int scn_parse_guard(struct scn_parser *p, const struct scn_token *t);
int scn_parse_outcome(struct scn_parser *p);

#endif
