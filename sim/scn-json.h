/*
 * procsim's one JSON emitter: every JSON text procsim writes (--format
 * json, --compare --format json) is built here, so each is valid UTF-8
 * JSON whatever bytes a file name or buffer holds, and the punctuation
 * is written in one place.
 */
#ifndef SCN_JSON_H
#define SCN_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scn-mem.h"
#include "scn-utf8.h"

/*
 * Appends @len bytes of @s to @out as a JSON string, quotes included.
 * Quote, backslash and control characters are escaped; each byte that is
 * not part of well-formed UTF-8 becomes U+FFFD, written "\ufffd", so the
 * result is always valid.
 */
void scn_json_string(struct scn_str *out, const char *s, size_t len);

/* scn_json_string() of a NUL-terminated @s, or null for NULL. */
void scn_json_cstring(struct scn_str *out, const char *s);

/*
 * A JSON text being written into @out: objects and arrays with their
 * commas.  Each value goes in as the member @key of the innermost open
 * object, or with @key NULL as the next element of the innermost open
 * array (or as the whole text).  The caller may write out and empty @out
 * between values, to stream a long array without holding it.  Containers
 * keep their commas up to 64 deep (procsim's texts nest five deep).
 */
struct scn_json {
	struct scn_str *out;
	unsigned depth;          /* containers open */
	uint64_t has_items;      /* bit D-1: the one at depth D has a value */
};

void scn_json_init(struct scn_json *j, struct scn_str *out);
void scn_json_begin_object(struct scn_json *j, const char *key);
void scn_json_end_object(struct scn_json *j);
void scn_json_begin_array(struct scn_json *j, const char *key);
void scn_json_end_array(struct scn_json *j);
void scn_json_add_string(struct scn_json *j, const char *key, const char *s,
			 size_t len);
/* A string, or null for NULL. */
void scn_json_add_cstring(struct scn_json *j, const char *key, const char *s);
void scn_json_add_uint(struct scn_json *j, const char *key, uint64_t v);
void scn_json_add_bool(struct scn_json *j, const char *key, bool v);
/* @len bytes of a complete JSON value that another scn_json wrote. */
void scn_json_add_json(struct scn_json *j, const char *key, const char *json,
		       size_t len);

#endif
