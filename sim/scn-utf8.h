/*
 * UTF-8 as scenarios and procsim's outputs need it: every scenario line
 * must be well-formed UTF-8, and every JSON string procsim writes is.
 */
#ifndef SCN_UTF8_H
#define SCN_UTF8_H

#include <stddef.h>

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

#endif
