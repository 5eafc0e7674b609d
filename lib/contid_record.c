/*
 * Audit records (SEMANTICS.md section 8), formatted as raw log lines.
 *
 * Every operation reserves the buffer space its records need before it
 * changes the world, so emitting a record never allocates and a failed
 * allocation can still leave the world unchanged.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "contid-private.h"

#define CLOCK_EPOCH_SECONDS UINT64_C(1700000000)
#define COMM_MAX 15

static size_t digits(uint64_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

size_t chain_len(const struct contid_obj *obj)
{
	size_t len = 0;

	if (!obj)
		return 20; /* "-1", or v8's 18446744073709551615 */
	for (; obj; obj = obj->parent)
		len += digits(obj->value) + (len ? 2 : 0);
	return len;
}

int rec_reserve(struct contid_world *w, size_t bytes)
{
	if (!w->audit || bytes <= w->recbuf_size)
		return 0;
	char *buf = cx_realloc(w->recbuf, bytes);
	if (!buf)
		return -ENOMEM;
	w->recbuf = buf;
	w->recbuf_size = bytes;
	return 0;
}

void rec_addf(struct contid_world *w, const char *fmt, ...)
{
	va_list ap;

	if (!rec_wanted(w) || w->reclen >= w->recbuf_size)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(w->recbuf + w->reclen, w->recbuf_size - w->reclen, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->reclen += (size_t)n;
	if (w->reclen >= w->recbuf_size) /* cannot happen after rec_reserve */
		w->reclen = w->recbuf_size - 1;
}

void rec_start(struct contid_world *w, int type)
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
	rec_addf(w, "type=%s msg=audit(%llu.%03u:%llu): ",
		 contid_record_type_name(type),
		 (unsigned long long)(CLOCK_EPOCH_SECONDS + w->op_stamp / 1000),
		 (unsigned)(w->op_stamp % 1000), (unsigned long long)w->serial);
}

void rec_finish(struct contid_world *w)
{
	if (w->audit && w->record_fn)
		w->record_fn(w->record_data, w->rectype, w->recbuf, w->reclen);
}

size_t chain_format(const struct contid_world *w, const struct contid_obj *obj,
		    char *buf, size_t size)
{
	bool v8 = w->profile->chain == CHAIN_CARET_UNSET_NUMBER;
	size_t pos = 0;
	int n;

	if (!obj)
		return (size_t)snprintf(buf, size, v8 ? "18446744073709551615" : "-1");
	for (const struct contid_obj *o = obj; o; o = o->parent) {
		n = snprintf(pos < size ? buf + pos : NULL, pos < size ? size - pos : 0,
			     o == obj ? "%llu" : v8 ? "^%llu" : ",^%llu",
			     (unsigned long long)o->value);
		pos += (size_t)n;
	}
	return pos;
}

void rec_add_chain(struct contid_world *w, const struct contid_obj *obj)
{
	if (!rec_wanted(w) || w->reclen >= w->recbuf_size)
		return;
	size_t room = w->recbuf_size - w->reclen;
	size_t n = chain_format(w, obj, w->recbuf + w->reclen, room);
	w->reclen += n < room ? n : room - 1;
}


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
	size_t plen = strlen(prefix);

	if (!needs_hex(prefix, plen) && !needs_hex(s, len)) {
		rec_addf(w, "\"%s%.*s\"", prefix, (int)len, s);
		return;
	}
	for (size_t i = 0; i < plen; i++)
		rec_addf(w, "%02X", (unsigned char)prefix[i]);
	for (size_t i = 0; i < len; i++)
		rec_addf(w, "%02X", (unsigned char)s[i]);
}

static void rec_container_id(struct contid_world *w, const struct contid_obj *obj)
{
	rec_start(w, CONTID_RECORD_CONTAINER_ID);
	rec_addf(w, "record=1 contid=");
	rec_add_chain(w, obj);
	rec_finish(w);
}

void rec_syscall(struct contid_world *w, const struct task *t, int syscall,
		 int exit_code, const char *args)
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
	rec_addf(w, "arch=c000003e syscall=%d success=%s exit=%d %s items=0 "
		 "ppid=%u pid=%u auid=4294967295 uid=%u gid=0 euid=%u suid=%u "
		 "fsuid=%u egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=",
		 syscall, exit_code >= 0 ? "yes" : "no", exit_code, args, ppid,
		 proc->pid, t->uid, t->uid, t->uid, t->uid);
	add_untrusted(w, "", name->text, name->len < COMM_MAX ? name->len : COMM_MAX);
	rec_addf(w, " exe=");
	add_untrusted(w, "/usr/bin/", name->text, name->len);
	rec_addf(w, " key=(null)%s", t->obj ? " record=1" : "");
	rec_finish(w);
}

size_t rec_packet_bound(const struct netns *ns)
{
	size_t bytes = REC_FIXED_BOUND;

	for (const struct netns_entry *e = ns->front; e; e = e->front_next)
		bytes += chain_len(e->obj) + 1;
	return bytes;
}

void rec_packet(struct contid_world *w, const struct netns *ns)
{
	if (!rec_wanted(w)) {
		rec_start(w, CONTID_RECORD_NETFILTER_PKT); /* the serial only */
		return;
	}
	if (ns->front) {
		rec_start(w, CONTID_RECORD_CONTAINER_ID);
		rec_addf(w, "record=1 contid=");
		for (const struct netns_entry *e = ns->front; e; e = e->front_next) {
			if (e != ns->front)
				rec_addf(w, ",");
			rec_add_chain(w, e->obj);
		}
		rec_finish(w);
	}
	rec_start(w, CONTID_RECORD_NETFILTER_PKT);
	rec_addf(w, "mark=0x0 saddr=127.0.0.1 daddr=127.0.0.1 proto=1%s",
		 ns->front ? " record=1" : "");
	rec_finish(w);
}

void rec_task_fields(struct contid_world *w, const struct task *t, bool success)
{
	if (!rec_wanted(w))
		return;

	const struct task *proc = proc_of(w, t);
	const struct contid_name *name = t->name;

	rec_addf(w, " pid=%u uid=%u auid=4294967295 tty=(none) ses=4294967295 comm=",
		 proc->pid, t->uid);
	add_untrusted(w, "", name->text, name->len < COMM_MAX ? name->len : COMM_MAX);
	rec_addf(w, " exe=");
	add_untrusted(w, "/usr/bin/", name->text, name->len);
	rec_addf(w, " res=%d", success ? 1 : 0);
}
