/*
 * The /proc front end (docs/semantics.md sections 4 and 5): writes and
 * reads of /proc/PID/audit_containerid and /proc/PID/audit_capcontainerid.
 * A write is parsed here, judged by the rule book, logged, then committed.
 *
 * Where it sits: above the rule book and the records, which it drives, and
 * everything below them.  Nothing calls it but the API.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "contid-export.h"
#include "contid-id.h"
#include "contid-ns.h"
#include "contid-record.h"
#include "contid-rules.h"
#include "contid-tree.h"

/* What a write is refused for before the rule book has its say: the
 * writer's own ESRCH (docs/semantics.md section 2), R-W-1 and R-W-2. */
static const struct refusal writer_not_running = {
	"ACTING-TASK", ESRCH, "the writer is not running", NULL };
static const struct refusal no_target = {
	"R-W-1", ESRCH, "the target pid names no task", NULL };
static const struct refusal too_long = {
	"R-W-2", EOVERFLOW, "the length is above INT_MAX", NULL };
static const struct refusal no_buffer = {
	"R-W-2", EFAULT, "the buffer is NULL", NULL };
static const struct refusal not_a_number = {
	"R-W-2", EINVAL, "the buffer is not a decimal number", NULL };
static const struct refusal above_u64 = {
	"R-W-2", ERANGE, "the number is above 18446744073709551615", NULL };
static const struct refusal above_u32 = {
	"R-W-2", ERANGE, "the number is above 4294967295", NULL };

/* How each file reads a write: kstrtou64_from_user copies at most 66
 * bytes, kstrtou32_from_user 34. */
struct proc_file {
	size_t window;
	uint64_t max;
	const struct refusal *too_big;
};

static const struct proc_file contid_file = { 66, UINT64_MAX, &above_u64 };
static const struct proc_file capcontid_file = { 34, UINT32_MAX, &above_u32 };

/*
 * R-W-2: kstrtou64/kstrtou32 on what the kernel copies: the first @window
 * bytes read as a C string, base 10, an optional '+', at most one trailing
 * '\n'.  Like Linux, digits are read as a u64 first (overflow: ERANGE,
 * before any junk), then junk is refused (EINVAL), then the value must fit
 * @max (kstrtou32's ERANGE comes after its EINVAL).
 */
static int parse_uint(const char *buf, size_t len, size_t window, uint64_t max,
		      uint64_t *out)
{
	size_t n = len < window ? len : window;
	/* a C string: it ends at a NUL (a loop, not memchr(): a written
	 * value is a few bytes, and a call costs more than the look) */
	for (size_t j = 0; j < n; j++)
		if (!buf[j]) {
			n = j;
			break;
		}

	size_t i = 0;
	if (i < n && buf[i] == '+')
		i++;
	size_t first_digit = i;
	uint64_t v = 0;
	bool overflow = false;
	for (; i < n && buf[i] >= '0' && buf[i] <= '9'; i++) {
		unsigned d = (unsigned)(buf[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			overflow = true;
		else
			v = v * 10 + d;
	}
	if (i == first_digit)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	if (i < n && buf[i] == '\n')
		i++;
	if (i < n)
		return -EINVAL;
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/*
 * What both /proc files do before their rules (R-W-1, R-W-2, and the
 * released target of R-SET-0): the writer runs, the target exists, the
 * buffer parses.  Nothing is logged for these.  Fills in @c, for the rule
 * book, and the tasks the write may change.
 */
static int write_front_end(struct contid_world *w, pid_t writer_pid,
			   pid_t target_pid, const char *buf, size_t len,
			   const struct proc_file *file, struct write_ctx *c,
			   struct task **writer, struct task **target)
{
	if (len > INT_MAX)
		return refuse(w, &too_long);
	if (!buf && len)
		return refuse(w, &no_buffer);
	c->w = w;
	c->writer = *writer = running_task(w, writer_pid);
	if (!*writer)
		return refuse(w, &writer_not_running);
	c->target = *target = task_by_pid(w, target_pid);
	if (!*target)
		return refuse(w, &no_target);
	int r = parse_uint(buf, len, file->window, file->max, &c->value);
	if (r < 0)
		return refuse(w, r == -ERANGE ? file->too_big : &not_a_number);
	const struct refusal *released = rules_target_released(c);
	return released ? refuse(w, released) : 0;
}

/* The target lets go of its old ID, silently: only an exit logs op=drop. */
static void release_old(struct contid_world *w, struct task *target,
			struct contid_obj *old)
{
	idlist_release(w, &target->netns->ids, old);
	for (struct contid_obj *o = obj_put_task(old); o;
	     o = obj_free(w, o, w->profile->leak_parent))
		;
}

/* R-SET-7: makes what the write will hold, when nothing refused it;
 * everything that can fail for memory happens here, before any change. */
static int prepare_commit(struct contid_world *w, const struct write_ctx *c,
			  struct task *writer, struct task *target,
			  struct contid_obj **obj)
{
	const struct profile *p = w->profile;

	*obj = c->existing;
	if (!*obj) {
		*obj = obj_new(w, c->new_value, p->owned ? writer : NULL,
			       p->nest_parent ? writer->obj : NULL, c->fresh);
		if (!*obj)
			return -ENOMEM;
	}
	int r = idlist_prepare(w, &target->netns->ids, *obj);
	if (r < 0 && !c->existing)
		obj_discard_new(w, *obj);
	return r;
}

static int do_write(struct contid_world *w, pid_t writer_pid, pid_t target_pid,
		    const char *buf, size_t len)
{
	struct write_ctx c = { 0 };
	struct task *writer, *target;
	int r = write_front_end(w, writer_pid, target_pid, buf, len,
				&contid_file, &c, &writer, &target);
	if (r < 0)
		return r;

	const struct refusal *refusal = rules_judge_write(&c);

	size_t need = 2 * REC_FIXED_BOUND + chain_len(target->obj) +
		      chain_len(writer->obj);
	r = rec_reserve(w, need);
	if (r < 0)
		return r;
	struct contid_obj *obj = NULL;
	if (!refusal) {
		r = prepare_commit(w, &c, writer, target, &obj);
		if (r < 0)
			return r;
	}

	/* kernel-alloc: a granted request logs the value handed out, so a log
	 * reader sees which ID the kernel chose; a refused one logs the 0 */
	rec_container_op_set(w, writer, target,
			     !refusal && c.fresh ? c.new_value : c.value, !refusal);

	if (!refusal) {
		struct contid_obj *old = target->obj;
		obj_get(obj);
		target->obj = obj;
		idlist_hold(w, &target->netns->ids, obj);
		if (old)
			release_old(w, target, old);
	}

	r = refusal ? refuse(w, refusal) : (int)len;
	rec_write_syscall(w, writer, r, len);
	return r;
}

CONTID_EXPORT int contid_write(struct contid_world *w, pid_t writer,
			       pid_t target, const char *buf, size_t len)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	return op_end(w, do_write(w, writer, target, buf, len));
}

CONTID_EXPORT int contid_set(struct contid_world *w, pid_t writer, pid_t target,
			     uint64_t id)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)id);
	int r = contid_write(w, writer, target, digits, (size_t)n);
	return r < 0 ? r : 0;
}

/* Reading (docs/semantics.md sections 4 and 5), which no rule ID names. */
static const struct refusal reader_not_running = {
	"ACTING-TASK", ESRCH, "the reader is not running", NULL };
static const struct refusal read_no_target = {
	"READ-TARGET", ESRCH, "the target pid names no task", NULL };
static const struct refusal read_ids_no_right = {
	"READ-PRIV", EPERM, "the reader has no right to read IDs", NULL };
static const struct refusal read_capcontid_no_right = {
	"READ-PRIV", EPERM, "the reader has no right to read capcontid", NULL };

/* Reading either /proc file: the target may be a zombie, the reader runs. */
static int read_access(struct contid_world *w, pid_t reader_pid,
		       pid_t target_pid, const struct refusal *no_right,
		       struct task **target)
{
	struct task *reader = running_task(w, reader_pid);
	if (!reader)
		return refuse(w, &reader_not_running);
	*target = task_by_pid(w, target_pid);
	if (!*target)
		return refuse(w, &read_no_target);
	return rules_may_read(w, reader) ? 0 : refuse(w, no_right);
}

CONTID_EXPORT int contid_get(struct contid_world *w, pid_t reader, pid_t target,
			     uint64_t *id)
{
	struct task *t;
	if (!id)
		return -EINVAL;
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	r = read_access(w, reader, target, &read_ids_no_right, &t);
	if (r == 0)
		*id = t->obj ? t->obj->value : CONTID_UNSET;
	return op_end(w, r);
}

/* ---------------------------------------------------------- capcontid */

static int do_write_capcontid(struct contid_world *w, pid_t writer_pid,
			      pid_t target_pid, const char *buf, size_t len)
{
	struct write_ctx c = { 0 };
	struct task *writer, *target;
	int r = write_front_end(w, writer_pid, target_pid, buf, len,
				&capcontid_file, &c, &writer, &target);
	if (r < 0)
		return r;

	const struct refusal *refusal = rules_judge_capcontid(&c);

	r = rec_reserve(w, 2 * REC_FIXED_BOUND + chain_len(writer->obj));
	if (r < 0)
		return r;
	rec_set_capcontid(w, target, c.value);
	if (!refusal)
		target->capcontid = (uint32_t)c.value;

	r = refusal ? refuse(w, refusal) : (int)len;
	rec_write_syscall(w, writer, r, len);
	return r;
}

CONTID_EXPORT int contid_write_capcontid(struct contid_world *w, pid_t writer,
					 pid_t target, const char *buf, size_t len)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	return op_end(w, do_write_capcontid(w, writer, target, buf, len));
}

CONTID_EXPORT int contid_set_capcontid(struct contid_world *w, pid_t writer,
				       pid_t target, uint32_t value)
{
	char digits[16];
	int n = snprintf(digits, sizeof(digits), "%u", value);
	int r = contid_write_capcontid(w, writer, target, digits, (size_t)n);
	return r < 0 ? r : 0;
}

CONTID_EXPORT int contid_get_capcontid(struct contid_world *w, pid_t reader,
				       pid_t target, uint32_t *value)
{
	struct task *t;
	if (!value)
		return -EINVAL;
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	r = read_access(w, reader, target, &read_capcontid_no_right, &t);
	if (r == 0)
		*value = t->capcontid;
	return op_end(w, r);
}
