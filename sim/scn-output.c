/* Output streams and files (scn-output.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scn-output.h"
#include "scn-read.h"

int scn_std_streams_open(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* The lowest free number is @fd: those below it are open.
		 * Read-only, so that writing to a stream that was closed
		 * still fails (EBADF) and is reported, as it would have been. */
		int got = open("/dev/null", O_RDONLY);
		if (got < 0)
			return -errno;
		if (got != fd) {
			close(got);
			return -EBADF;
		}
	}
	return 0;
}

/* A file as the kernel knows it, whatever the path that named it. */
struct file_id {
	bool known;
	dev_t dev;
	ino_t ino;
};

static struct file_id id_of_stat(const struct stat *st)
{
	/* a terminal or /dev/null may take any number of writers */
	if (S_ISCHR(st->st_mode))
		return (struct file_id) { .known = false };
	return (struct file_id) { .known = true, .dev = st->st_dev, .ino = st->st_ino };
}

static struct file_id id_of_fd(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? id_of_stat(&st) : (struct file_id) { 0 };
}

static struct file_id id_of_path(const char *path)
{
	struct stat st;

	/* "-" is standard input, which may be a file an output would hit */
	if (strcmp(path, "-") == 0)
		return id_of_fd(STDIN_FILENO);
	return stat(path, &st) == 0 ? id_of_stat(&st) : (struct file_id) { 0 };
}

static bool same(struct file_id a, struct file_id b)
{
	return a.known && b.known && a.dev == b.dev && a.ino == b.ino;
}

static void discard(struct scn_output *outs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!outs[i].f || outs[i].f == stdout)
			continue;
		fclose(outs[i].f);
		outs[i].f = NULL;
		if (outs[i].created)
			unlink(outs[i].path);
	}
}

/* Opens @o without truncating it, so that a check that fails after it
 * has destroyed nothing. */
static int open_untruncated(struct scn_output *o, struct file_id *id)
{
	if (strcmp(o->path, "-") == 0) {
		o->f = stdout;
		*id = id_of_fd(STDOUT_FILENO);
		return 0;
	}
	struct stat st;
	o->created = stat(o->path, &st) < 0 && errno == ENOENT;
	int fd = open(o->path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		fprintf(stderr, "procsim: cannot write %s %s: %s\n", o->option,
			o->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*id = id_of_fd(fd);
	return 0;
}

int scn_outputs_open(struct scn_output *outs, size_t nouts,
		     char *const *inputs, size_t ninputs)
{
	struct file_id ids[8];
	struct file_id out_id = id_of_fd(STDOUT_FILENO);
	struct file_id err_id = id_of_fd(STDERR_FILENO);

	if (nouts > sizeof(ids) / sizeof(ids[0]))
		return -1;
	/* the shell opened standard output before procsim could look */
	for (size_t k = 0; k < ninputs; k++) {
		struct file_id in = id_of_path(inputs[k]);
		const char *stream = same(in, out_id) ? "standard output"
				   : same(in, err_id) ? "standard error" : NULL;
		if (stream) {
			fprintf(stderr, "procsim: %s is the scenario file %s\n",
				stream, scn_input_name(inputs[k]));
			return -1;
		}
	}
	for (size_t i = 0; i < nouts; i++) {
		ids[i] = (struct file_id) { 0 };
		if (!outs[i].path)
			continue;
		if (open_untruncated(&outs[i], &ids[i]) < 0) {
			discard(outs, i);
			return -1;
		}
	}
	for (size_t i = 0; i < nouts; i++) {
		if (!outs[i].path)
			continue;
		const char *clash = NULL, *clash_path = "";
		for (size_t j = 0; j < i && !clash; j++)
			if (outs[j].path && (same(ids[i], ids[j]) ||
					     (outs[i].f == stdout && outs[j].f == stdout))) {
				clash = outs[j].option;
				clash_path = outs[j].path;
			}
		for (size_t k = 0; k < ninputs && !clash; k++)
			if (same(ids[i], id_of_path(inputs[k]))) {
				clash = "the scenario file";
				clash_path = scn_input_name(inputs[k]);
			}
		if (!clash && outs[i].f != stdout && same(ids[i], out_id))
			clash = "standard output";
		/* standard output may share standard error's file (2>&1) */
		if (!clash && outs[i].f != stdout && same(ids[i], err_id))
			clash = "standard error";
		if (clash) {
			fprintf(stderr, "procsim: %s %s is the same file as %s%s%s\n",
				outs[i].option, outs[i].path, clash,
				*clash_path ? " " : "", clash_path);
			discard(outs, nouts);
			return -1;
		}
	}
	/* every check passed: now the old contents may go */
	for (size_t i = 0; i < nouts; i++) {
		if (!outs[i].f || outs[i].f == stdout)
			continue;
		struct stat st;
		if (fstat(fileno(outs[i].f), &st) == 0 && S_ISREG(st.st_mode) &&
		    ftruncate(fileno(outs[i].f), 0) < 0) {
			fprintf(stderr, "procsim: cannot write %s %s: %s\n",
				outs[i].option, outs[i].path, strerror(errno));
			discard(outs, nouts);
			return -1;
		}
	}
	return 0;
}

int scn_output_close(FILE *f, const char *what)
{
	if (!f)
		return 0;
	int bad = ferror(f);
	int e = 0;
	if (fflush(f) != 0) {
		bad = 1;
		e = errno;
	}
	if (f != stdout && f != stderr && fclose(f) != 0 && !e) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		if (e)
			fprintf(stderr, "procsim: error writing %s: %s\n", what,
				strerror(e));
		else
			fprintf(stderr, "procsim: error writing %s\n", what);
		return -1;
	}
	return 0;
}
