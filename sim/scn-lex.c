/*
 * Reading scenario files and splitting lines into tokens.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scn-lex.h"

int scn_read_file(const char *path, char **data, size_t *len,
		  struct scn_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	err->line = err->column = 0;
	if (fd < 0) {
		int e = errno;
		snprintf(err->message, sizeof(err->message), "cannot open: %s",
			 strerror(e));
		return -e;
	}
	int stat_error = fstat(fd, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
	if (stat_error) {
		snprintf(err->message, sizeof(err->message), "cannot read: %s",
			 strerror(stat_error));
		close(fd);
		return -stat_error;
	}

	/* Read in pieces, so pipes and files that grow are limited as well. */
	GByteArray *bytes = g_byte_array_sized_new(S_ISREG(st.st_mode) &&
						   (uint64_t)st.st_size < SCN_MAX_FILE_BYTES
						   ? (guint)st.st_size + 1 : 65536);
	guint8 chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			snprintf(err->message, sizeof(err->message),
				 "cannot read: %s", strerror(e));
			g_byte_array_free(bytes, TRUE);
			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		if ((uint64_t)bytes->len + (uint64_t)n > SCN_MAX_FILE_BYTES) {
			snprintf(err->message, sizeof(err->message),
				 "file larger than %llu bytes",
				 (unsigned long long)SCN_MAX_FILE_BYTES);
			g_byte_array_free(bytes, TRUE);
			close(fd);
			return -EFBIG;
		}
		g_byte_array_append(bytes, chunk, (guint)n);
	}
	close(fd);
	*len = bytes->len;
	g_byte_array_append(bytes, (const guint8 *)"", 1);
	*data = (char *)g_byte_array_free(bytes, FALSE);
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int lex_fail(struct scn_lexer *lx, unsigned col, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static int lex_fail(struct scn_lexer *lx, unsigned col, const char *fmt, ...)
{
	va_list ap;

	lx->error->column = col;
	va_start(ap, fmt);
	vsnprintf(lx->error->message, sizeof(lx->error->message), fmt, ap);
	va_end(ap);
	return -1;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes one quoted segment starting at line[*i] == '"'. */
static int lex_quoted(struct scn_lexer *lx, const char *line, size_t len,
		      size_t *i, char **out)
{
	unsigned open_col = (unsigned)*i + 1;

	for ((*i)++; *i < len; (*i)++) {
		char c = line[*i];
		if (c == '"') {
			(*i)++;
			return 0;
		}
		if (c != '\\') {
			*(*out)++ = c;
			continue;
		}
		unsigned esc_col = (unsigned)*i + 1;
		if (++*i >= len)
			break;
		switch (line[*i]) {
		case 'n': *(*out)++ = '\n'; break;
		case 't': *(*out)++ = '\t'; break;
		case '\\': *(*out)++ = '\\'; break;
		case '"': *(*out)++ = '"'; break;
		case 'x': {
			int hi = *i + 1 < len ? hex_digit(line[*i + 1]) : -1;
			int lo = *i + 2 < len ? hex_digit(line[*i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return lex_fail(lx, esc_col,
						"bad escape: \\x needs two hex digits");
			*(*out)++ = (char)(hi << 4 | lo);
			*i += 2;
			break;
		}
		default:
			return lex_fail(lx, esc_col, "bad escape '\\%c'", line[*i]);
		}
	}
	return lex_fail(lx, open_col, "unterminated quoted string");
}

int scn_lex_line(struct scn_lexer *lx, const char *line, size_t len)
{
	lx->ntokens = 0;
	if (len > SCN_MAX_LINE_BYTES)
		return lex_fail(lx, SCN_MAX_LINE_BYTES + 1,
				"line longer than %d bytes", SCN_MAX_LINE_BYTES);
	/* Lines are nearly always plain ASCII: one cheap look settles both
	 * checks, and only other lines pay for the full ones. */
	unsigned char any = 0, none = 1;
	for (size_t k = 0; k < len; k++) {
		any |= (unsigned char)line[k];
		none &= line[k] != '\0';
	}
	if (!none || any >= 0x80) {
		const char *nul = memchr(line, '\0', len);
		if (nul)
			return lex_fail(lx, (unsigned)(nul - line) + 1, "NUL byte");
		const gchar *bad;
		if (!g_utf8_validate(line, (gssize)len, &bad))
			return lex_fail(lx, (unsigned)(bad - line) + 1, "invalid UTF-8");
	}

	if (lx->scratch_size < 2 * len + 2) {
		g_free(lx->scratch);
		lx->scratch_size = 2 * len + 2;
		lx->scratch = g_malloc(lx->scratch_size);
	}
	char *out = lx->scratch;
	size_t i = 0;
	for (;;) {
		while (i < len && is_blank(line[i]))
			i++;
		if (i >= len || line[i] == '#')
			return 0;
		if (lx->ntokens == SCN_MAX_TOKENS)
			return lex_fail(lx, (unsigned)i + 1, "too many words on one line");
		struct scn_token *tok = &lx->tokens[lx->ntokens++];
		tok->column = (unsigned)i + 1;
		tok->text = out;
		tok->quoted = false;
		tok->whole_quoted = false;
		unsigned quoted_segments = 0;
		bool has_plain = false;
		while (i < len && !is_blank(line[i]) && line[i] != '#') {
			unsigned char c = (unsigned char)line[i];
			if (c == '"') {
				quoted_segments++;
				if (lex_quoted(lx, line, len, &i, &out) < 0)
					return -1;
				continue;
			}
			if (c < 0x20 || c == 0x7f)
				return lex_fail(lx, (unsigned)i + 1,
						"control character 0x%02X", c);
			has_plain = true;
			*out++ = (char)c;
			i++;
		}
		tok->len = (size_t)(out - tok->text);
		*out++ = '\0';
		tok->quoted = quoted_segments > 0;
		tok->whole_quoted = quoted_segments == 1 && !has_plain;
	}
}

void scn_lexer_clear(struct scn_lexer *lx)
{
	g_free(lx->scratch);
	lx->scratch = NULL;
	lx->scratch_size = 0;
}
