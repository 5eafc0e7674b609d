/*
 * Reading scenario input with bounded time and memory, whatever the path
 * names: a file too large, a device that never ends (/dev/zero), a pipe
 * that keeps sending, a line that never ends.
 */
#ifndef SCN_READ_H
#define SCN_READ_H

#include <stddef.h>
#include <stdint.h>

#include "scn-error.h"

/* The default for scn_read_file()'s @max_bytes (procsim --max-file-size). */
#define SCN_DEFAULT_MAX_FILE_BYTES (UINT64_C(1) << 30)

/* How messages and outputs name the input @path: "<stdin>" for "-". */
const char *scn_input_name(const char *path);

/*
 * Reads the file at @path ("-": standard input, which is left open) into *@data (NUL-terminated, *@len bytes before
 * the NUL; free() it).  More than @max_bytes (0: the default) is an error.  Reading stops
 * early, after the line, once a line holds a byte no scenario may hold (a
 * NUL, or bytes that are not UTF-8) or grows past SCN_MAX_LINE_BYTES: the
 * parser is bound to report an error at or before that line, the same it
 * would report for the whole file, so nothing after it is needed.
 *
 * Returns 0, or -errno with a message in @err (line 0) for a path that
 * cannot be opened or read, a directory, or an oversized file.
 */
int scn_read_file(const char *path, uint64_t max_bytes, char **data,
		  size_t *len, struct scn_error *err);

/* A size as options give it: decimal bytes from 1, or with a K, M or G
 * suffix (powers of 1024).  Returns 0, or -1 when @text is none. */
int scn_parse_size(const char *text, uint64_t *out);

#endif
