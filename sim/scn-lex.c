/*
 * Splitting scenario lines into tokens.
 */
#include <stdlib.h>
#include <string.h>

#include "scn-lex.h"
#include "scn-utf8.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int lex_fail(struct scn_lexer *lx, unsigned col, const char *fmt, ...)
	SCN_PRINTF(3, 4);

static int lex_fail(struct scn_lexer *lx, unsigned col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_error_vset(lx->error, lx->error->line, col, fmt, ap);
	va_end(ap);
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
			int hi = *i + 1 < len ? scn_ascii_hex(line[*i + 1]) : -1;
			int lo = *i + 2 < len ? scn_ascii_hex(line[*i + 2]) : -1;
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
		size_t bad = scn_utf8_check(line, len);
		if (bad < len)
			return lex_fail(lx, (unsigned)bad + 1, "invalid UTF-8");
	}

	if (lx->scratch_size < 2 * len + 2) {
		free(lx->scratch);
		lx->scratch_size = 2 * len + 2;
		lx->scratch = scn_malloc(lx->scratch_size);
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
		/* `=>EEXIST` is read as `=> EEXIST`: the arrow is a word of its
		 * own, and a missing blank after it is a slip, not a new word */
		if (line[i] == '=' && i + 2 < len && line[i + 1] == '>' &&
		    !is_blank(line[i + 2]) && line[i + 2] != '#') {
			*out++ = '=';
			*out++ = '>';
			*out++ = '\0';
			tok->len = 2;
			i += 2;
			continue;
		}
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
	free(lx->scratch);
	lx->scratch = NULL;
	lx->scratch_size = 0;
}
