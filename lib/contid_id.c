/*
 * Audit container ID objects and the /proc write and read rules
 * (SEMANTICS.md sections 4 to 6).
 *
 * The write path is data-driven: a profile is an ordered list of checks,
 * each returning 0 or a negative errno; the first refusal decides.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contid-private.h"

/* kstrtou64_from_user copies at most 66 bytes, kstrtou32_from_user 34. */
#define U64_WRITE_WINDOW 66
#define U32_WRITE_WINDOW 34

/* ----------------------------------------------------------- objects */

struct contid_obj *obj_find(const struct contid_world *w, uint64_t value)
{
	struct contid_obj *obj = NULL;

	HASH_FIND(hh, w->objs, &value, sizeof(value), obj);
	return obj;
}

void obj_get(struct contid_obj *obj)
{
	obj->task_refs++;
}

static void obj_unlink(struct contid_world *w, struct contid_obj *obj)
{
	if (obj->value < w->alloc_hint)
		w->alloc_hint = obj->value ? obj->value : 1;
	HASH_DEL(w->objs, obj);
	cx_free(obj);
}

/*
 * Drops a task's reference; objects whose count reaches zero are freed,
 * and so may their parents be.  With @exiting_tgid, each freed object is
 * logged as op=drop, innermost first, in the operation's event.
 */
void obj_put_task(struct contid_world *w, struct contid_obj *obj,
		  uint32_t exiting_tgid)
{
	obj->task_refs--;
	while (obj && obj_refs(obj) == 0) {
		struct contid_obj *parent = obj->parent;
		if (exiting_tgid && w->profile->drop_records) {
			rec_start(w, CONTID_RECORD_CONTAINER_OP);
			REC_LIT(w, "op=drop opid=");
			rec_put_u64(w, exiting_tgid);
			REC_LIT(w, " contid=-1 old-contid=");
			rec_add_chain(w, obj);
			rec_finish(w);
		}
		obj_unlink(w, obj);
		if (parent) {
			parent->child_refs--;
			if (w->profile->leak_parent)
				parent->leaked_refs++;
		}
		obj = parent;
	}
}

size_t obj_drop_record_bound(const struct contid_world *w,
			     const struct contid_obj *obj)
{
	(void)w;
	/* each record is written alone; the first freed object's chain is the
	 * longest of them */
	return REC_FIXED_BOUND + chain_len(obj);
}

void objs_free_all(struct contid_world *w)
{
	struct contid_obj *obj, *tmp;

	HASH_ITER(hh, w->objs, obj, tmp) {
		HASH_DEL(w->objs, obj);
		cx_free(obj);
	}
}

void task_release_audit(struct contid_world *w, struct task *t, uint32_t tgid)
{
	struct contid_obj *obj = t->obj;

	t->audit_released = 1;
	t->capcontid = 0;
	if (!obj)
		return;
	netns_release(w, t->netns, obj);
	t->obj = NULL;
	obj_put_task(w, obj, tgid);
}

const struct task *obj_owner_process(const struct contid_world *w,
				     const struct contid_obj *obj)
{
	if (!obj->owner_identity)
		return NULL; /* a shared value (v6, bits) has no owner */
	const struct task *p = task_at(w, obj->owner_proc_slot);
	return p->state != TASK_FREE && p->identity == obj->owner_proc_identity
	       ? p : NULL;
}

uint32_t obj_refs(const struct contid_obj *obj)
{
	return obj->task_refs + obj->child_refs + obj->leaked_refs;
}

/* ------------------------------------------------------------ parsing */

/*
 * kstrtou64/kstrtou32 on what the kernel copies: the first @window bytes
 * read as a C string, base 10, an optional '+', at most one trailing '\n'.
 * Like Linux, digits are read as a u64 first (overflow: ERANGE, before any
 * junk), then junk is refused (EINVAL), then the value must fit @max
 * (kstrtou32's ERANGE comes after its EINVAL).
 */
static int parse_uint(const char *buf, size_t len, size_t window, uint64_t max,
		      uint64_t *out)
{
	size_t n = len < window ? len : window;
	const char *end = n ? memchr(buf, '\0', n) : NULL;
	if (end)
		n = (size_t)(end - buf);

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

/* R-SET-7: a new object, not yet held by anyone. */
static struct contid_obj *obj_create(struct write_ctx *c)
{
	struct contid_obj *obj = cx_calloc(1, sizeof(*obj));
	if (!obj)
		return NULL;
	const struct profile *prof = c->w->profile;
	obj->value = c->value;
	if (prof->owned) {
		const struct task *wproc = proc_of(c->w, c->writer);
		obj->owner_identity = c->writer->identity;
		obj->owner_slot = slot_of(c->w, c->writer);
		obj->owner_proc_identity = wproc->identity;
		obj->owner_proc_slot = slot_of(c->w, wproc);
	}
	if (prof->nest_parent)
		obj->parent = c->writer->obj;
	obj->chain_len = chain_len_new(obj->value, obj->parent);
	HASH_ADD(hh, c->w->objs, value, sizeof(obj->value), obj);
	if (!obj->hh.tbl) {
		cx_free(obj);
		return NULL;
	}
	if (obj->parent)
		obj->parent->child_refs++;
	if (c->fresh) /* every value below it was in use when scanned */
		c->w->alloc_hint = obj->value + 1;
	return obj;
}

static void obj_discard_new(struct contid_world *w, struct contid_obj *obj)
{
	if (obj->parent)
		obj->parent->child_refs--;
	obj_unlink(w, obj);
}

/* "a0=3 a1=0 a2=%zx a3=0" (@size must hold it: 64 bytes do). */
static void format_write_args(const struct contid_world *w, char *args,
			      size_t size, size_t len)
{
	static const char head[] = "a0=3 a1=0 a2=", tail[] = " a3=0";
	char hex[2 * sizeof(size_t)], *p = hex + sizeof(hex);

	if (!rec_wanted(w) || size < sizeof(head) + sizeof(hex) + sizeof(tail)) {
		args[0] = '\0'; /* not printed */
		return;
	}
	do {
		*--p = "0123456789abcdef"[len & 15];
		len >>= 4;
	} while (len);
	size_t n = (size_t)(hex + sizeof(hex) - p);
	memcpy(args, head, sizeof(head) - 1);
	memcpy(args + sizeof(head) - 1, p, n);
	memcpy(args + sizeof(head) - 1 + n, tail, sizeof(tail));
}

/*
 * What both /proc files do before their rules (R-W-1, R-W-2, and the
 * released target): the writer runs, the target exists, the buffer parses.
 */
static int write_front_end(struct contid_world *w, pid_t writer_pid,
			   pid_t target_pid, const char *buf, size_t len,
			   size_t window, uint64_t max, struct task **writer,
			   struct task **target, uint64_t *value)
{
	if (len > INT_MAX)
		return -EOVERFLOW;
	if (!buf && len)
		return -EFAULT;
	*writer = running_task(w, writer_pid);
	if (!*writer)
		return -ESRCH;
	*target = task_by_pid(w, target_pid);
	if (!*target)
		return -ESRCH;
	int r = parse_uint(buf, len, window, max, value);
	if (r < 0)
		return r;
	return (*target)->audit_released ? -ENOPROTOOPT : 0;
}

static int do_write(struct contid_world *w, pid_t writer_pid, pid_t target_pid,
		    const char *buf, size_t len)
{
	struct task *writer, *target;
	uint64_t value;
	int r = write_front_end(w, writer_pid, target_pid, buf, len,
				U64_WRITE_WINDOW, UINT64_MAX, &writer, &target,
				&value);
	if (r < 0)
		return r;

	struct write_ctx c = { .w = w, .writer = writer, .target = target,
			       .value = value };
	int refusal = 0;
	for (const write_check_fn *check = w->profile->checks; *check && !refusal;
	     check++)
		refusal = (*check)(&c);

	if (!refusal && !c.existing && w->max_ids && HASH_COUNT(w->objs) >= w->max_ids)
		refusal = -ENOSPC;

	size_t need = 2 * REC_FIXED_BOUND + chain_len(target->obj) +
		      chain_len(writer->obj);
	r = rec_reserve(w, need);
	if (r < 0)
		return r;

	struct contid_obj *obj = c.existing;
	if (!refusal) {
		if (!obj && !(obj = obj_create(&c)))
			return -ENOMEM;
		r = netns_prepare(w, target->netns, obj);
		if (r < 0) {
			if (!c.existing)
				obj_discard_new(w, obj);
			return r;
		}
	}

	rec_start(w, CONTID_RECORD_CONTAINER_OP);
	REC_LIT(w, "op=set opid=");
	rec_put_u64(w, proc_of(w, target)->pid);
	REC_LIT(w, " contid=");
	rec_put_u64(w, value); /* as written: kernel-alloc's 0, not what it hands out */
	REC_LIT(w, " old-contid=");
	rec_add_chain(w, target->obj);
	if (w->profile->op_task_fields)
		rec_task_fields(w, writer, !refusal);
	rec_finish(w);

	if (!refusal) {
		struct contid_obj *old = target->obj;
		obj_get(obj);
		target->obj = obj;
		netns_hold(w, target->netns, obj);
		if (old) {
			netns_release(w, target->netns, old);
			obj_put_task(w, old, 0);
		}
	}

	char args[64];
	format_write_args(w, args, sizeof(args), len);
	rec_syscall(w, writer, 1, refusal ? refusal : (int)len, args);
	return refusal ? refusal : (int)len;
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

/* Reading either /proc file: the target may be a zombie, the reader runs. */
static int read_access(struct contid_world *w, pid_t reader_pid,
		       pid_t target_pid, struct task **target)
{
	struct task *reader = running_task(w, reader_pid);
	if (!reader)
		return -ESRCH;
	*target = task_by_pid(w, target_pid);
	if (!*target)
		return -ESRCH;
	return may_control(w, reader) ? 0 : -EPERM;
}

CONTID_EXPORT int contid_get(struct contid_world *w, pid_t reader, pid_t target,
			     uint64_t *id)
{
	struct task *t;
	int r = world_may_change(w);
	if (r < 0)
		return r;
	if (!id)
		return -EINVAL;
	op_begin(w);
	r = read_access(w, reader, target, &t);
	if (r == 0)
		*id = t->obj ? t->obj->value : CONTID_UNSET;
	return op_end(w, r);
}

/* ---------------------------------------------------------- capcontid */

static int do_write_capcontid(struct contid_world *w, pid_t writer_pid,
			      pid_t target_pid, const char *buf, size_t len)
{
	struct task *writer, *target;
	uint64_t value;
	int r = write_front_end(w, writer_pid, target_pid, buf, len,
				U32_WRITE_WINDOW, UINT32_MAX, &writer, &target,
				&value);
	if (r < 0)
		return r;

	int refusal = 0;
	if (target == writer ||
	    !proc_is_descendant(w, proc_of(w, target), proc_of(w, writer)))
		refusal = -EXDEV;
	else if (!may_control(w, writer) &&
		 !(w->profile->capcontid_unchecked_outside_init &&
		   writer->userns != w->init_userns))
		refusal = -EPERM;

	r = rec_reserve(w, 2 * REC_FIXED_BOUND + chain_len(writer->obj));
	if (r < 0)
		return r;
	rec_start(w, CONTID_RECORD_SET_CAPCONTID);
	REC_LIT(w, "opid=");
	rec_put_u64(w, proc_of(w, target)->pid);
	REC_LIT(w, " capcontid=");
	rec_put_u64(w, value);
	REC_LIT(w, " old-capcontid=");
	rec_put_u64(w, target->capcontid);
	rec_finish(w);
	if (!refusal)
		target->capcontid = (uint32_t)value;

	char args[64];
	format_write_args(w, args, sizeof(args), len);
	rec_syscall(w, writer, 1, refusal ? refusal : (int)len, args);
	return refusal ? refusal : (int)len;
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
	int r = world_may_change(w);
	if (r < 0)
		return r;
	if (!value)
		return -EINVAL;
	op_begin(w);
	r = read_access(w, reader, target, &t);
	if (r == 0)
		*value = t->capcontid;
	return op_end(w, r);
}

/* ------------------------------------------------- events and packets */

CONTID_EXPORT int contid_event(struct contid_world *w, pid_t pid)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	struct task *t = running_task(w, pid);
	if (!t)
		return op_end(w, -ESRCH);
	r = rec_reserve(w, 2 * REC_FIXED_BOUND + chain_len(t->obj));
	if (r == 0)
		rec_syscall(w, t, 257, 3, "a0=ffffff9c a1=0 a2=0 a3=0");
	return op_end(w, r);
}

CONTID_EXPORT int contid_packet(struct contid_world *w, pid_t pid)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	struct task *t = running_task(w, pid);
	if (!t)
		return op_end(w, -ESRCH);
	r = rec_reserve(w, rec_packet_bound(t->netns));
	if (r == 0)
		rec_packet(w, t->netns);
	return op_end(w, r);
}
