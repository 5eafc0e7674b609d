/*
 * Audit records (docs/semantics.md section 8), formatted as raw log lines:
 * every line the library logs, the chains they print, and the two
 * operations whose only effect is their records (event and packet).
 *
 * Where it sits: above the tree, the ID objects, the namespaces and the
 * rule book; the /proc front end and exit call it.
 *
 * A line is built in the world's buffer (rec_start, rec_put..., rec_finish)
 * and handed to the callback; without a callback an operation still takes
 * its serial and reserves its buffer, so serials, the clock and failures
 * for memory do not depend on whether a callback is installed.
 */
#include <stdio.h>
#include <string.h>

#include "contid-alloc.h"
#include "contid-export.h"
#include "contid-id.h"
#include "contid-ns.h"
#include "contid-record.h"
#include "contid-rules.h"
#include "contid-tree.h"

#define RECBUF_INITIAL_SIZE 4096u
#define CLOCK_EPOCH_SECONDS UINT64_C(1700000000)
#define COMM_MAX 15

/* Whether record lines are formatted: auditing is on and a callback
 * receives them. */
static bool rec_wanted(const struct contid_world *w)
{
	return w->audit && w->record_fn;
}

/* Decimal digits of @v at the end of @end's buffer; returns where they begin. */
static char *u64_to_dec(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/* ------------------------------------------------------------ buffer */

int rec_init(struct contid_world *w)
{
	w->recbuf = cx_malloc(RECBUF_INITIAL_SIZE);
	if (!w->recbuf)
		return -ENOMEM;
	w->recbuf_size = RECBUF_INITIAL_SIZE;
	return 0;
}

void rec_free(struct contid_world *w)
{
	cx_free(w->recbuf);
}

int rec_clone(struct contid_world *c, const struct contid_world *w)
{
	c->recbuf = cx_malloc(w->recbuf_size);
	if (!c->recbuf)
		return -ENOMEM;
	c->recbuf_size = w->recbuf_size;
	c->reclen = 0;
	return 0;
}

int rec_copy_prepare(char **buf, const struct contid_world *dst,
		     const struct contid_world *src)
{
	*buf = NULL;
	if (dst->recbuf_size >= src->recbuf_size)
		return 0;
	*buf = cx_malloc(src->recbuf_size);
	return *buf ? 0 : -ENOMEM;
}

void rec_copy_abort(char *buf)
{
	cx_free(buf);
}

void rec_copy_commit(struct contid_world *dst, const struct contid_world *src,
		     char *buf)
{
	if (buf) {
		cx_free(dst->recbuf);
		dst->recbuf = buf;
		dst->recbuf_size = src->recbuf_size;
	}
	dst->reclen = 0;
}

int rec_grow(struct contid_world *w, size_t bytes)
{
	char *buf = cx_realloc(w->recbuf, bytes);
	if (!buf)
		return -ENOMEM;
	w->recbuf = buf;
	w->recbuf_size = bytes;
	return 0;
}

/*
 * Appends @n bytes to the record being built, keeping it NUL-terminated and
 * truncating as snprintf would (which cannot happen after rec_reserve).
 */
static void rec_put(struct contid_world *w, const char *s, size_t n)
{
	if (!rec_wanted(w) || w->reclen >= w->recbuf_size)
		return;
	size_t room = w->recbuf_size - w->reclen - 1;
	if (n > room)
		n = room;
	memcpy(w->recbuf + w->reclen, s, n);
	w->reclen += n;
	w->recbuf[w->reclen] = '\0';
}

#define REC_LIT(w, lit) rec_put((w), "" lit, sizeof(lit) - 1)

static void rec_put_u64(struct contid_world *w, uint64_t v)
{
	char buf[20], *end = buf + sizeof(buf);
	char *p = u64_to_dec(end, v);

	rec_put(w, p, (size_t)(end - p));
}

static void rec_put_int(struct contid_world *w, int v)
{
	char buf[21], *end = buf + sizeof(buf);
	uint64_t mag = v < 0 ? (uint64_t)-(int64_t)v : (uint64_t)v;
	char *p = u64_to_dec(end, mag);

	if (v < 0)
		*--p = '-';
	rec_put(w, p, (size_t)(end - p));
}

static void rec_start(struct contid_world *w, int type)
{
	if (!w->audit)
		return;
	if (!w->op_has_event) {
		w->serial++;
		w->op_has_event = true;
	}
	w->rectype = type;
	w->reclen = 0;
	if (!w->record_fn)
		return;
	/* "type=%s msg=audit(%llu.%03u:%llu): " */
	const char *name = contid_record_type_name(type);
	unsigned ms = (unsigned)(w->op_stamp % 1000);
	char frac[4] = { '.', (char)('0' + ms / 100), (char)('0' + ms / 10 % 10),
			 (char)('0' + ms % 10) };
	REC_LIT(w, "type=");
	rec_put(w, name, strlen(name));
	REC_LIT(w, " msg=audit(");
	rec_put_u64(w, CLOCK_EPOCH_SECONDS + w->op_stamp / 1000);
	rec_put(w, frac, sizeof(frac));
	REC_LIT(w, ":");
	rec_put_u64(w, w->serial);
	REC_LIT(w, "): ");
}

static void rec_finish(struct contid_world *w)
{
	if (!w->audit || !w->record_fn)
		return;
	w->in_record_fn = true;
	w->record_fn(w->record_data, w->rectype, w->recbuf, w->reclen);
	w->in_record_fn = false;
}

/* ------------------------------------------------------------ chains */

/* Puts @n bytes at @pos of a buffer of @size as snprintf would; returns
 * the position after them (which may be past the buffer). */
static size_t put_bounded(char *buf, size_t size, size_t pos, const char *s,
			  size_t n)
{
	if (pos + 1 < size) {
		size_t room = size - 1 - pos;
		memcpy(buf + pos, s, n < room ? n : room);
	}
	return pos + n;
}

size_t chain_format(const struct contid_world *w, const struct contid_obj *obj,
		    char *buf, size_t size)
{
	bool v8 = w->profile->chain == CHAIN_CARET_UNSET_NUMBER;
	size_t pos = 0;

	if (!obj) {
		const char *none = v8 ? "18446744073709551615" : "-1";
		pos = put_bounded(buf, size, 0, none, strlen(none));
	}
	for (const struct contid_obj *o = obj; o; o = o->parent) {
		size_t n = dec_digits(o->value);
		size_t sep = o == obj ? 0 : v8 ? 1 : 2;
		if (pos + sep + n < size) {
			/* the usual case: room for all of it, written in place */
			if (sep == 2)
				buf[pos++] = ',';
			if (sep)
				buf[pos++] = '^';
			u64_to_dec(buf + pos + n, o->value);
			pos += n;
			continue;
		}
		char digits_buf[20], *end = digits_buf + sizeof(digits_buf);
		char *p = u64_to_dec(end, o->value);
		if (sep)
			pos = put_bounded(buf, size, pos, v8 ? "^" : ",^", sep);
		pos = put_bounded(buf, size, pos, p, (size_t)(end - p));
	}
	if (size)
		buf[pos < size ? pos : size - 1] = '\0';
	return pos;
}

static void rec_add_chain(struct contid_world *w, const struct contid_obj *obj)
{
	if (!rec_wanted(w) || w->reclen >= w->recbuf_size)
		return;
	size_t room = w->recbuf_size - w->reclen;
	size_t n = chain_format(w, obj, w->recbuf + w->reclen, room);
	w->reclen += n < room ? n : room - 1;
}

/* ------------------------------------------------------------ fields */

static bool needs_hex(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c < 0x21 || c > 0x7e)
			return true;
	}
	return false;
}

/* Like audit's untrusted strings: quoted, or hex when quoting cannot work. */
static void add_untrusted(struct contid_world *w, const char *prefix,
			  const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t plen = strlen(prefix);

	if (!needs_hex(prefix, plen) && !needs_hex(s, len)) {
		REC_LIT(w, "\"");
		rec_put(w, prefix, plen);
		rec_put(w, s, len);
		REC_LIT(w, "\"");
		return;
	}
	for (size_t i = 0; i < plen + len; i++) {
		unsigned char c = (unsigned char)(i < plen ? prefix[i] : s[i - plen]);
		char pair[2] = { hex[c >> 4], hex[c & 15] };
		rec_put(w, pair, 2);
	}
}

/* v6's extra CONTAINER_OP fields about the writer. */
static void rec_task_fields(struct contid_world *w, const struct task *t,
			    bool success)
{
	if (!rec_wanted(w))
		return;

	const struct task *proc = proc_of(w, t);
	const struct contid_name *name = t->name;

	REC_LIT(w, " pid=");
	rec_put_u64(w, proc->pid);
	REC_LIT(w, " uid=");
	rec_put_u64(w, t->uid);
	REC_LIT(w, " auid=4294967295 tty=(none) ses=4294967295 comm=");
	add_untrusted(w, "", name->text, name->len < COMM_MAX ? name->len : COMM_MAX);
	REC_LIT(w, " exe=");
	add_untrusted(w, "/usr/bin/", name->text, name->len);
	if (success)
		REC_LIT(w, " res=1");
	else
		REC_LIT(w, " res=0");
}

/* ------------------------------------------------------------- lines */

void rec_container_op_set_line(struct contid_world *w, const struct task *writer,
			       const struct task *target, uint64_t value,
			       bool success)
{
	rec_start(w, CONTID_RECORD_CONTAINER_OP);
	if (!rec_wanted(w))
		return; /* the serial only: nobody reads the line */
	REC_LIT(w, "op=set opid=");
	rec_put_u64(w, proc_of(w, target)->pid);
	REC_LIT(w, " contid=");
	rec_put_u64(w, value);
	REC_LIT(w, " old-contid=");
	rec_add_chain(w, target->obj);
	if (w->profile->op_task_fields)
		rec_task_fields(w, writer, success);
	rec_finish(w);
}

void rec_container_op_drop_line(struct contid_world *w, uint32_t tgid,
				const struct contid_obj *obj)
{
	if (!w->profile->drop_records)
		return;
	rec_start(w, CONTID_RECORD_CONTAINER_OP);
	if (!rec_wanted(w))
		return;
	REC_LIT(w, "op=drop opid=");
	rec_put_u64(w, tgid);
	/* no ID now: "-1", or v8's 18446744073709551615, as everywhere */
	REC_LIT(w, " contid=");
	rec_add_chain(w, NULL);
	REC_LIT(w, " old-contid=");
	rec_add_chain(w, obj);
	rec_finish(w);
}

void rec_set_capcontid_line(struct contid_world *w, const struct task *target,
			    uint64_t value)
{
	rec_start(w, CONTID_RECORD_SET_CAPCONTID);
	if (!rec_wanted(w))
		return;
	REC_LIT(w, "opid=");
	rec_put_u64(w, proc_of(w, target)->pid);
	REC_LIT(w, " capcontid=");
	rec_put_u64(w, value);
	REC_LIT(w, " old-capcontid=");
	rec_put_u64(w, target->capcontid);
	rec_finish(w);
}

/* The CONTAINER_ID record numbered @n in its event (record=N). */
static void rec_container_id_n(struct contid_world *w, unsigned n,
			       const struct contid_obj *obj)
{
	rec_start(w, CONTID_RECORD_CONTAINER_ID);
	REC_LIT(w, "record=");
	rec_put_u64(w, n);
	REC_LIT(w, " contid=");
	rec_add_chain(w, obj);
	rec_finish(w);
}

static void rec_container_id(struct contid_world *w, const struct contid_obj *obj)
{
	rec_container_id_n(w, 1, obj);
}

/* CONTAINER_ID (when @t holds an ID) then SYSCALL, @args being "a0=.. a3=..". */
static void rec_syscall(struct contid_world *w, const struct task *t,
			int syscall, int exit_code, const char *args)
{
	if (!rec_wanted(w)) {
		rec_start(w, CONTID_RECORD_SYSCALL); /* the serial only */
		return;
	}

	const struct task *proc = proc_of(w, t);
	uint32_t ppid = proc->parent != NO_TASK ? task_at(w, proc->parent)->pid : 0;
	const struct contid_name *name = t->name;

	if (t->obj)
		rec_container_id(w, t->obj);
	rec_start(w, CONTID_RECORD_SYSCALL);
	REC_LIT(w, "arch=c000003e syscall=");
	rec_put_int(w, syscall);
	if (exit_code >= 0)
		REC_LIT(w, " success=yes exit=");
	else
		REC_LIT(w, " success=no exit=");
	rec_put_int(w, exit_code);
	REC_LIT(w, " ");
	rec_put(w, args, strlen(args));
	REC_LIT(w, " items=0 ppid=");
	rec_put_u64(w, ppid);
	REC_LIT(w, " pid=");
	rec_put_u64(w, proc->pid);
	REC_LIT(w, " auid=4294967295 uid=");
	rec_put_u64(w, t->uid);
	REC_LIT(w, " gid=0 euid=");
	rec_put_u64(w, t->uid);
	REC_LIT(w, " suid=");
	rec_put_u64(w, t->uid);
	REC_LIT(w, " fsuid=");
	rec_put_u64(w, t->uid);
	REC_LIT(w, " egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=");
	add_untrusted(w, "", name->text, name->len < COMM_MAX ? name->len : COMM_MAX);
	REC_LIT(w, " exe=");
	add_untrusted(w, "/usr/bin/", name->text, name->len);
	if (t->obj)
		REC_LIT(w, " key=(null) record=1");
	else
		REC_LIT(w, " key=(null)");
	rec_finish(w);
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

void rec_write_syscall_line(struct contid_world *w, const struct task *writer,
			    int ret, size_t len)
{
	char args[64];

	if (!rec_wanted(w)) {
		rec_start(w, CONTID_RECORD_SYSCALL); /* the serial only */
		return;
	}
	format_write_args(w, args, sizeof(args), len);
	rec_syscall(w, writer, 1, ret, args);
}

/* Lowercase hex of @v, as audit prints syscall arguments, at the end of
 * @end's buffer (16 digits at most); returns where they begin. */
static char *u64_to_hex(char *end, uint64_t v)
{
	do {
		*--end = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	return end;
}

/* OBJ_PID: the target of a signal, as the kernel names it (the audit
 * fields of a task the model does not keep print as unset: -1). */
static void rec_obj_pid(struct contid_world *w, const struct task *target,
			unsigned record)
{
	const struct contid_name *name = target->name;

	rec_start(w, CONTID_RECORD_OBJ_PID);
	REC_LIT(w, "opid=");
	rec_put_u64(w, proc_of(w, target)->pid);
	REC_LIT(w, " oauid=-1 ouid=");
	rec_put_u64(w, target->uid);
	REC_LIT(w, " oses=-1 ocomm=");
	add_untrusted(w, "", name->text, name->len < COMM_MAX ? name->len : COMM_MAX);
	if (record) {
		REC_LIT(w, " record=");
		rec_put_u64(w, record);
	}
	rec_finish(w);
}

void rec_signal_line(struct contid_world *w, const struct task *sender,
		     pid_t target_pid, const struct task *target, int sig,
		     int ret)
{
	/* "a0=%llx a1=%x a2=0 a3=0": a pid as the kernel's unsigned long */
	char args[64], hex[16], *end = hex + sizeof(hex), *p;
	size_t n = 0;

	if (!rec_wanted(w)) {
		rec_start(w, CONTID_RECORD_SYSCALL); /* the serial only */
		return;
	}
	memcpy(args, "a0=", 3);
	n = 3;
	p = u64_to_hex(end, (uint64_t)(int64_t)target_pid);
	memcpy(args + n, p, (size_t)(end - p));
	n += (size_t)(end - p);
	memcpy(args + n, " a1=", 4);
	n += 4;
	p = u64_to_hex(end, (uint64_t)(unsigned)sig);
	memcpy(args + n, p, (size_t)(end - p));
	n += (size_t)(end - p);
	memcpy(args + n, " a2=0 a3=0", sizeof(" a2=0 a3=0"));
	rec_syscall(w, sender, 62, ret, args);
	if (!target)
		return;
	/* the event's CONTAINER_ID records are numbered from 1: the
	 * sender's, if it holds an ID, then the target's */
	unsigned record = 0;
	if (target->obj) {
		record = sender->obj ? 2 : 1;
		rec_container_id_n(w, record, target->obj);
	}
	rec_obj_pid(w, target, record);
}

/* A packet's CONTAINER_ID lists every chain of the namespace's list. */
static size_t rec_packet_bound(const struct id_list *list)
{
	size_t bytes = REC_FIXED_BOUND;

	for (const struct netns_entry *e = list->front; e; e = e->front_next)
		bytes += chain_len(e->obj) + 1;
	return bytes;
}

static void rec_packet(struct contid_world *w, const struct id_list *list)
{
	if (!rec_wanted(w)) {
		rec_start(w, CONTID_RECORD_NETFILTER_PKT); /* the serial only */
		return;
	}
	if (list->front) {
		rec_start(w, CONTID_RECORD_CONTAINER_ID);
		REC_LIT(w, "record=1 contid=");
		for (const struct netns_entry *e = list->front; e; e = e->front_next) {
			if (e != list->front)
				REC_LIT(w, ",");
			rec_add_chain(w, e->obj);
		}
		rec_finish(w);
	}
	rec_start(w, CONTID_RECORD_NETFILTER_PKT);
	if (list->front)
		REC_LIT(w, "mark=0x0 saddr=127.0.0.1 daddr=127.0.0.1 proto=1 record=1");
	else
		REC_LIT(w, "mark=0x0 saddr=127.0.0.1 daddr=127.0.0.1 proto=1");
	rec_finish(w);
}

/* -------------------------------------------------------- operations */

CONTID_EXPORT int contid_event(struct contid_world *w, pid_t pid)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	struct task *t = running_task(w, pid);
	if (!t)
		return op_end(w, refuse(w, &refusal_not_running));
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
		return op_end(w, refuse(w, &refusal_not_running));
	r = rec_reserve(w, rec_packet_bound(&t->netns->ids));
	if (r == 0)
		rec_packet(w, &t->netns->ids);
	return op_end(w, r);
}

/* ---------------------------------------------------------- inspection */

CONTID_EXPORT int contid_task_chain(const struct contid_world *w, pid_t pid,
				    char *buf, size_t size)
{
	if (!w || (!buf && size))
		return -EINVAL;
	const struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;

	size_t len = chain_format(w, t->obj, buf, size);
	if (len > INT32_MAX)
		return -EOVERFLOW;
	return (int)len;
}
