/*
 * fuzz-write: the /proc write parser (R-W-2) against a reference written
 * here, independently and as plainly as possible, from what Linux's
 * kstrtou64_from_user() / kstrtou32_from_user() do in base 10:
 *
 *   - copy at most 66 (u64) or 34 (u32) bytes and add a NUL, so the input
 *     is read as a C string that ends at its first NUL byte;
 *   - an optional single '+', then at least one decimal digit (else EINVAL);
 *   - digits worth more than 2^64-1: ERANGE, whatever follows them;
 *   - then at most one '\n' and the end of the string (else EINVAL);
 *   - u32 only: a value above 2^32-1 is ERANGE (after the EINVAL checks).
 *
 * The input is the written buffer, whole.  The library's parse result is
 * observed without ambiguity:
 *   - writing to a zombie: parse errors come before ENOPROTOOPT (R-SET-0),
 *     so a buffer that parses shows as -ENOPROTOOPT;
 *   - a valid value other than 2^64-1 written to a childless child of init
 *     by init must succeed, return the length, and read back (contid_get)
 *     as the reference value; 2^64-1 must be EINVAL (R-SET-1);
 *   - the same for capcontid, read back with contid_get_capcontid.
 * Any difference aborts.
 */
#include <contid.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parsed {
	int err;          /* 0, EINVAL or ERANGE */
	uint64_t value;
};

static struct parsed reference(const uint8_t *data, size_t size, size_t copied,
			       int bits)
{
	static const char u64_max[] = "18446744073709551615";
	static const char u32_max[] = "4294967295";
	struct parsed res = { 0, 0 };
	char s[128];
	size_t n = size < copied ? size : copied;

	memcpy(s, data, n);
	s[n] = '\0';

	const char *p = s;
	if (*p == '+')
		p++;
	const char *first = p;
	while (*p >= '0' && *p <= '9')
		p++;
	const char *end = p;
	if (end == first) {
		res.err = EINVAL;
		return res;
	}
	/* compare digit strings: no arithmetic that could overflow */
	while (first < end - 1 && *first == '0')
		first++;
	size_t digits = (size_t)(end - first);
	if (digits > 20 || (digits == 20 && memcmp(first, u64_max, 20) > 0)) {
		res.err = ERANGE;
		return res;
	}
	if (*p == '\n')
		p++;
	if (*p != '\0') {
		res.err = EINVAL;
		return res;
	}
	if (bits == 32 && (digits > 10 || (digits == 10 && memcmp(first, u32_max, 10) > 0))) {
		res.err = ERANGE;
		return res;
	}
	for (const char *q = first; q < end; q++)
		res.value = res.value * 10 + (uint64_t)(*q - '0');
	return res;
}

static void print_input(const uint8_t *data, size_t size)
{
	fprintf(stderr, "%zu bytes \"", size);
	for (size_t i = 0; i < size && i < 80; i++)
		fprintf(stderr, data[i] >= 0x20 && data[i] < 0x7f && data[i] != '"' &&
			data[i] != '\\' ? "%c" : "\\x%02x", data[i]);
	fprintf(stderr, "\"%s", size > 80 ? "..." : "");
}

__attribute__((noreturn))
static void mismatch(const char *what, const uint8_t *data, size_t size, int got,
		     int want)
{
	fprintf(stderr, "fuzz-write: %s of ", what);
	print_input(data, size);
	fprintf(stderr, ": library %d, reference %d\n", got, want);
	abort();
}

__attribute__((noreturn))
static void read_back_mismatch(const char *what, const uint8_t *data, size_t size,
			       uint64_t wrote, uint64_t read)
{
	fprintf(stderr, "fuzz-write: %s: wrote ", what);
	print_input(data, size);
	fprintf(stderr, ", the reference value %" PRIu64 ", read back %" PRIu64 "\n",
		wrote, read);
	abort();
}

static pid_t fork_child(struct contid_world *w)
{
	pid_t child;

	if (contid_fork(w, 1, 0, &child) != 0)
		abort();
	return child;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct contid_world *w;
	const char *buf = (const char *)data;
	int r;

	if (size > INT32_MAX)
		return 0;
	if (contid_world_new(&w) != 0)
		abort();
	pid_t zombie = fork_child(w), fresh = fork_child(w);
	if (contid_exit(w, zombie) != 0)
		abort();

	struct parsed u64 = reference(data, size, 66, 64);
	struct parsed u32 = reference(data, size, 34, 32);

	/* parse errors first, then the released target */
	r = contid_write(w, 1, zombie, buf, size);
	if (r != (u64.err ? -u64.err : -ENOPROTOOPT))
		mismatch("contid write to a zombie", data, size, r,
			 u64.err ? -u64.err : -ENOPROTOOPT);
	r = contid_write_capcontid(w, 1, zombie, buf, size);
	if (r != (u32.err ? -u32.err : -ENOPROTOOPT))
		mismatch("capcontid write to a zombie", data, size, r,
			 u32.err ? -u32.err : -ENOPROTOOPT);

	if (!u64.err) {
		uint64_t got = 0;
		int want = u64.value == CONTID_UNSET ? -EINVAL : (int)size;
		r = contid_write(w, 1, fresh, buf, size);
		if (r != want)
			mismatch("contid write to a fresh child", data, size, r, want);
		if (r >= 0) {
			if (contid_get(w, 1, fresh, &got) != 0 || got != u64.value)
				read_back_mismatch("contid", data, size, u64.value, got);
		}
	}
	if (!u32.err) {
		uint32_t got = 0;
		r = contid_write_capcontid(w, 1, fresh, buf, size);
		if (r != (int)size)
			mismatch("capcontid write to a fresh child", data, size, r, (int)size);
		if (contid_get_capcontid(w, 1, fresh, &got) != 0 || got != u32.value)
			read_back_mismatch("capcontid", data, size, u32.value, got);
	}

	char msg[256];
	if (contid_world_check(w, msg, sizeof(msg)) != 0) {
		fprintf(stderr, "fuzz-write: broken invariant: %s\n", msg);
		abort();
	}
	contid_world_free(w);
	return 0;
}
