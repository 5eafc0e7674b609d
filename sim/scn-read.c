/* Bounded reading of scenario input (scn-read.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scn-mem.h"
#include "scn-read.h"
#include "scn-utf8.h"
#include "scn.h"

#define CHUNK ((size_t)1 << 16)

struct reader {
	char *buf;
	size_t len, cap;
	size_t line_start;     /* where the line being read begins */
	size_t checked;        /* bytes before this are known to be text */
	bool bad_line;         /* a complete line with a byte no scenario may
				* hold has been read */
};

static int fail(struct scn_error *err, int e, const char *fmt, ...)
	SCN_PRINTF(3, 4);

static int fail(struct scn_error *err, int e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_error_vset(err, 0, 0, fmt, ap);
	va_end(ap);
	return -e;
}

/* Looks at the lines completed by the last read. */
static void scan(struct reader *r)
{
	const char *nl = r->len > r->checked
		? memrchr(r->buf + r->checked, '\n', r->len - r->checked) : NULL;

	if (nl) {
		size_t upto = (size_t)(nl - r->buf) + 1;
		const char *from = r->buf + r->checked;
		size_t n = upto - r->checked;
		if (memchr(from, '\0', n) || scn_utf8_check(from, n) != n)
			r->bad_line = true;
		r->checked = upto;
		r->line_start = upto;
	}
}

/* Standard input stays open: it is procsim's, not the file's. */
static void release(int fd, bool is_stdin)
{
	if (!is_stdin)
		close(fd);
}

const char *scn_input_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int scn_read_file(const char *path, uint64_t max_bytes, char **data,
		  size_t *len, struct scn_error *err)
{
	struct reader r = { 0 };
	struct stat st;
	if (!max_bytes)
		max_bytes = SCN_DEFAULT_MAX_FILE_BYTES;
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fail(err, errno, "cannot open: %s", strerror(errno));
	int e = fstat(fd, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
	if (e) {
		release(fd, is_stdin);
		return fail(err, e, "cannot read: %s", strerror(e));
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_bytes) {
		release(fd, is_stdin);
		return fail(err, EFBIG, "file larger than %" PRIu64 " bytes (%" PRIu64
			    " bytes; see --max-file-size)", max_bytes,
			    (uint64_t)st.st_size);
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0)
		SCN_RESERVE(r.buf, r.cap, (size_t)st.st_size + 1);

	/* Read in pieces, so that pipes, devices and files that grow are
	 * held to the same limits. */
	for (;;) {
		if (r.bad_line || r.len - r.line_start > SCN_MAX_LINE_BYTES + 1)
			break;
		SCN_RESERVE(r.buf, r.cap, r.len + CHUNK + 1);
		ssize_t n = read(fd, r.buf + r.len, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			free(r.buf);
			release(fd, is_stdin);
			return fail(err, e, "cannot read: %s", strerror(e));
		}
		if (n == 0)
			break;
		if ((uint64_t)r.len + (uint64_t)n > max_bytes) {
			free(r.buf);
			release(fd, is_stdin);
			return fail(err, EFBIG, "file larger than %" PRIu64
				    " bytes (see --max-file-size)", max_bytes);
		}
		r.len += (size_t)n;
		scan(&r);
	}
	release(fd, is_stdin);
	SCN_RESERVE(r.buf, r.cap, r.len + 1);
	r.buf[r.len] = '\0';
	*data = r.buf;
	*len = r.len;
	return 0;
}

/* SIZE: decimal bytes, or with a K, M or G suffix (powers of 1024). */
int scn_parse_size(const char *text, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = text;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	unsigned shift = 0;
	switch (*p) {
	case '\0': break;
	case 'K': case 'k': shift = 10; p++; break;
	case 'M': case 'm': shift = 20; p++; break;
	case 'G': case 'g': shift = 30; p++; break;
	default: return -1;
	}
	if (*p || v == 0 || v > (UINT64_MAX >> shift))
		return -1;
	*out = v << shift;
	return 0;
}
