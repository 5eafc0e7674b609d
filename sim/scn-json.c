/* JSON strings and texts (scn-json.h). */
#include <inttypes.h>
#include <string.h>

#include "scn-json.h"

void scn_json_string(struct scn_str *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	static const char hex[] = "0123456789abcdef";

	scn_str_reserve(out, len + 2);
	scn_str_putc(out, '"');
	for (size_t i = 0; i < len;) {
		/* most bytes need no escape: copy them a run at a time */
		size_t run = i;
		while (run < len && u[run] >= 0x20 && u[run] < 0x80 &&
		       u[run] != '"' && u[run] != '\\')
			run++;
		if (run > i) {
			scn_str_append_len(out, s + i, run - i);
			i = run;
			continue;
		}
		unsigned char c = u[i];
		if (c >= 0x80) {
			size_t n = scn_utf8_sequence(u + i, len - i);
			if (n) {
				scn_str_append_len(out, s + i, n);
				i += n;
			} else {
				scn_str_append(out, "\\ufffd");
				i++;
			}
			continue;
		}
		i++;
		if (c == '"' || c == '\\') {
			scn_str_putc(out, '\\');
			scn_str_putc(out, (char)c);
		} else if (c == '\n') {
			scn_str_append(out, "\\n");
		} else if (c == '\t') {
			scn_str_append(out, "\\t");
		} else if (c < 0x20) {
			char esc[] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			scn_str_append_len(out, esc, sizeof(esc));
		}
	}
	scn_str_putc(out, '"');
}

void scn_json_cstring(struct scn_str *out, const char *s)
{
	if (s)
		scn_json_string(out, s, strlen(s));
	else
		scn_str_append(out, "null");
}

void scn_json_init(struct scn_json *j, struct scn_str *out)
{
	j->out = out;
	j->depth = 0;
	j->has_items = 0;
}

static uint64_t depth_bit(unsigned depth)
{
	return depth && depth <= 64 ? UINT64_C(1) << (depth - 1) : 0;
}

/* The comma and key before a value. */
static void value_prefix(struct scn_json *j, const char *key)
{
	uint64_t bit = depth_bit(j->depth);

	if (j->has_items & bit)
		scn_str_putc(j->out, ',');
	j->has_items |= bit;
	if (key) {
		scn_json_cstring(j->out, key);
		scn_str_putc(j->out, ':');
	}
}

static void open_container(struct scn_json *j, const char *key, char bracket)
{
	value_prefix(j, key);
	scn_str_putc(j->out, bracket);
	j->depth++;
	j->has_items &= ~depth_bit(j->depth);
}

static void close_container(struct scn_json *j, char bracket)
{
	if (j->depth)
		j->depth--;
	scn_str_putc(j->out, bracket);
}

void scn_json_begin_object(struct scn_json *j, const char *key)
{
	open_container(j, key, '{');
}

void scn_json_end_object(struct scn_json *j)
{
	close_container(j, '}');
}

void scn_json_begin_array(struct scn_json *j, const char *key)
{
	open_container(j, key, '[');
}

void scn_json_end_array(struct scn_json *j)
{
	close_container(j, ']');
}

void scn_json_add_string(struct scn_json *j, const char *key, const char *s,
			 size_t len)
{
	value_prefix(j, key);
	scn_json_string(j->out, s, len);
}

void scn_json_add_cstring(struct scn_json *j, const char *key, const char *s)
{
	value_prefix(j, key);
	scn_json_cstring(j->out, s);
}

void scn_json_add_uint(struct scn_json *j, const char *key, uint64_t v)
{
	value_prefix(j, key);
	scn_str_appendf(j->out, "%" PRIu64, v);
}

void scn_json_add_bool(struct scn_json *j, const char *key, bool v)
{
	value_prefix(j, key);
	scn_str_append(j->out, v ? "true" : "false");
}

void scn_json_add_json(struct scn_json *j, const char *key, const char *json,
		       size_t len)
{
	value_prefix(j, key);
	scn_str_append_len(j->out, json, len);
}
