/*
 * JUnit XML for procsim --junit.  There is no standard; this follows what
 * the common readers (Jenkins, GitLab, the Ant schema) share: <testsuites>
 * around one <testsuite name tests failures errors skipped> per file, a
 * <testcase classname name> per expectation, holding a <failure> or a
 * <skipped>, and an <error> for a file that did not run.
 */
#include <string.h>

#include "scn-junit.h"
#include "scn.h"
#include "scn-run.h"
#include "scn-utf8.h"

/* XML text: markup escaped, every character XML 1.0 allows kept, any
 * other (control characters, bytes that are not UTF-8) as U+FFFD. */
static void xml_text(struct scn_str *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		size_t n = 1;
		if (c >= 0x80) {
			n = scn_utf8_sequence((const unsigned char *)s + i, len - i);
			/* U+FFFE and U+FFFF are no XML characters either */
			if (n == 0 || (n == 3 && c == 0xef && (unsigned char)s[i + 1] == 0xbf &&
				       (unsigned char)s[i + 2] >= 0xbe)) {
				scn_str_append(out, "\xef\xbf\xbd");
				i += n ? n : 1;
				continue;
			}
			scn_str_append_len(out, s + i, n);
		} else if (c == '&') {
			scn_str_append(out, "&amp;");
		} else if (c == '<') {
			scn_str_append(out, "&lt;");
		} else if (c == '>') {
			scn_str_append(out, "&gt;");
		} else if (c == '"') {
			scn_str_append(out, "&quot;");
		} else if (c == '\'') {
			scn_str_append(out, "&apos;");
		} else if (c == '\t' || c == '\n') {
			scn_str_appendf(out, "&#%u;", c);
		} else if (c < 0x20 || c == 0x7f) {
			scn_str_append(out, "\xef\xbf\xbd");
		} else {
			scn_str_putc(out, (char)c);
		}
		i += n;
	}
}

static void xml_cstring(struct scn_str *out, const char *s)
{
	xml_text(out, s, strlen(s));
}

void scn_junit_begin(FILE *out)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<testsuites name=\"procsim\">\n", out);
}

void scn_junit_end(FILE *out)
{
	fputs("</testsuites>\n", out);
}

void scn_junit_suite_init(struct scn_junit_suite *js)
{
	memset(js, 0, sizeof(*js));
	js->cases = scn_str_new();
}

void scn_junit_suite_free(struct scn_junit_suite *js)
{
	scn_str_free(js->cases);
	js->cases = NULL;
}

void scn_junit_case(struct scn_junit_suite *js, const char *path,
		    const struct scn_stmt *s, const struct scn_verdict *v,
		    const char *got, const char *profile)
{
	struct scn_str *t = js->cases;

	if (!v->judged && v->ran)
		return;
	js->tests++;
	scn_str_append(t, "    <testcase classname=\"");
	xml_cstring(t, path);
	scn_str_appendf(t, "\" name=\"%u: ", s->line);
	xml_text(t, s->text, s->label_len);
	scn_str_append(t, "\"");
	if (!v->ran) {
		js->skipped++;
		scn_str_appendf(t, "><skipped message=\"not run under %s\"/></testcase>\n",
				profile);
	} else if (!v->ok) {
		js->failures++;
		scn_str_append(t, "><failure type=\"expectation\" message=\"expected ");
		xml_cstring(t, v->expected);
		scn_str_append(t, ", got ");
		xml_cstring(t, got);
		scn_str_append(t, "\">");
		xml_cstring(t, path);
		scn_str_appendf(t, ":%u: expected ", s->line);
		xml_cstring(t, v->expected);
		scn_str_append(t, ", got ");
		xml_cstring(t, got);
		scn_str_append(t, "</failure></testcase>\n");
	} else {
		scn_str_append(t, "/>\n");
	}
}

void scn_junit_suite_text(const struct scn_junit_suite *js, struct scn_str *out,
			  const char *path, const char *profile)
{
	scn_str_append(out, "  <testsuite name=\"");
	xml_cstring(out, path);
	scn_str_appendf(out, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" "
			"skipped=\"%u\">\n", js->tests, js->failures, js->skipped);
	scn_str_appendf(out, "    <properties><property name=\"profile\" "
			"value=\"%s\"/></properties>\n", profile);
	scn_str_append_len(out, js->cases->str, js->cases->len);
	scn_str_append(out, "  </testsuite>\n");
}

void scn_junit_error_suite(FILE *out, const char *path, const struct scn_error *err)
{
	struct scn_str *t = scn_str_new(), *where = scn_str_new();
	const char *message = err->message ? err->message : "unknown error";

	if (err->line)
		scn_str_appendf(where, ":%u:%u", err->line, err->column);
	scn_str_append(t, "  <testsuite name=\"");
	xml_cstring(t, path);
	scn_str_append(t, "\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n"
		       "    <testcase classname=\"");
	xml_cstring(t, path);
	scn_str_append(t, "\" name=\"not run\"><error type=\"");
	scn_str_append(t, err->line ? "syntax" : "input");
	scn_str_append(t, "\" message=\"");
	xml_cstring(t, message);
	scn_str_append(t, "\">");
	xml_cstring(t, path);
	xml_cstring(t, where->str);
	scn_str_append(t, ": error: ");
	xml_cstring(t, message);
	scn_str_append(t, "</error></testcase>\n  </testsuite>\n");
	fwrite(t->str, 1, t->len, out);
	scn_str_free(t);
	scn_str_free(where);
}
