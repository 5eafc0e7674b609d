/*
 * Text procsim writes for machines: UTF-8 checks and JSON strings.  Every
 * JSON object procsim prints is built with scn_json_string(), so every
 * output is valid UTF-8 JSON whatever bytes a file name or buffer holds.
 */
#ifndef SCN_JSON_H
#define SCN_JSON_H

#include <stddef.h>

#include "scn-mem.h"

/*
 * The length of the well-formed UTF-8 sequence at @s (at most @len bytes
 * are looked at), or 0 if there is none: a stray continuation byte, an
 * overlong form, a surrogate, a code point above U+10FFFF or a cut-off
 * sequence.
 */
size_t scn_utf8_sequence(const unsigned char *s, size_t len);

/* The offset of the first byte of @s that is not well-formed UTF-8, or @len. */
size_t scn_utf8_check(const char *s, size_t len);

/* How many characters of well-formed UTF-8 @s are (for column widths). */
size_t scn_utf8_chars(const char *s);

/*
 * Appends @len bytes of @s to @out as a JSON string, quotes included.
 * Quote, backslash and control characters are escaped; each byte that is
 * not part of well-formed UTF-8 becomes U+FFFD, written "\ufffd", so the
 * result is always valid.
 */
void scn_json_string(struct scn_str *out, const char *s, size_t len);

/* scn_json_string() of a NUL-terminated @s, or null for NULL. */
void scn_json_cstring(struct scn_str *out, const char *s);

#endif
