/*
 * A plain main() for the fuzz harnesses, used wherever libFuzzer is not:
 * gcc builds (meson test --suite fuzz replays the seed corpora), Valgrind
 * runs, reproducing a crash, and AFL++ (afl-clang-fast, input as a file
 * argument or on standard input).
 *
 *   fuzz-ops-replay FILE|DIR...   each FILE, and each regular file of each
 *                                 DIR (in name order), through the harness
 *   fuzz-ops-replay               standard input, once
 *
 * Exit status 0 when every input ran (a harness that finds a bug aborts),
 * 1 when an input could not be read.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs larger than this are refused rather than replayed. */
#define MAX_INPUT_BYTES (64u << 20)

static unsigned replayed;

static int run_stream(FILE *f, const char *name)
{
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap);

	if (!buf) {
		fprintf(stderr, "%s: out of memory\n", name);
		return -1;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= MAX_INPUT_BYTES) {
				fprintf(stderr, "%s: larger than %u bytes\n", name,
					MAX_INPUT_BYTES);
				free(buf);
				return -1;
			}
			uint8_t *bigger = realloc(buf, cap * 2);
			if (!bigger) {
				fprintf(stderr, "%s: out of memory\n", name);
				free(buf);
				return -1;
			}
			buf = bigger;
			cap *= 2;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: read error\n", name);
		free(buf);
		return -1;
	}
	/* exactly the input's bytes, so that ASan/Valgrind see any overread */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	replayed++;
	return 0;
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	int r = run_stream(f, path);
	fclose(f);
	return r;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	int status = 0;

	if (!d) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **bigger = realloc(names, (cap ? cap * 2 : 64) * sizeof(*names));
			if (!bigger) {
				status = -1;
				break;
			}
			names = bigger;
			cap = cap ? cap * 2 : 64;
		}
		size_t len = strlen(dir) + 1 + strlen(e->d_name) + 1;
		if (!(names[n] = malloc(len))) {
			status = -1;
			break;
		}
		snprintf(names[n++], len, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (status == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    run_file(names[i]) < 0)
			status = -1;
		free(names[i]);
	}
	free(names);
	return status;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		status = run_stream(stdin, "<stdin>");
	for (int i = 1; i < argc && status == 0; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			status = -1;
		} else {
			status = S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i]);
		}
	}
	fprintf(stderr, "%s: %u input%s replayed\n", argv[0], replayed,
		replayed == 1 ? "" : "s");
	return status == 0 ? 0 : 1;
}
