/*
 * Audit records (docs/semantics.md section 8): every line the library logs.
 *
 * Where it sits: above the tree, the ID objects, the namespaces and the
 * rule book (whose profile says how chains and CONTAINER_OP print); the
 * operations that log call it.
 *
 * Every operation reserves the buffer space its records need before it
 * changes the world (rec_reserve()), so emitting a record never allocates
 * and a failed allocation can still leave the world unchanged.
 */
#ifndef CONTID_RECORD_H
#define CONTID_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "contid-id.h"
#include "contid-world.h"

/* Room any record line takes besides its chains (names are <= 255 bytes). */
#define REC_FIXED_BOUND 2048u

/* Bound on the printed length of @obj's chain (NULL: no ID: "-1", or
 * v8's 18446744073709551615). */
static inline size_t chain_len(const struct contid_obj *obj)
{
	return obj ? obj->chain_len : 20;
}
/* Formats @obj's chain in the profile's style into @buf like snprintf:
 * returns its length, writes at most @size bytes with the NUL. */
size_t chain_format(const struct contid_world *w, const struct contid_obj *obj,
		    char *buf, size_t size);

int rec_init(struct contid_world *w);
void rec_free(struct contid_world *w);
/* contid_world_clone()'s part: a buffer as large as @w's (its contents
 * live only during an operation). */
int rec_clone(struct contid_world *c, const struct contid_world *w);
/* contid_world_copy()'s part: *@buf gets a buffer as large as @src's when
 * @dst's is smaller (-ENOMEM), else NULL; rec_copy_commit() puts it in
 * place of @dst's, and rec_copy_abort() frees it instead. */
int rec_copy_prepare(char **buf, const struct contid_world *dst,
		     const struct contid_world *src);
void rec_copy_abort(char *buf);
void rec_copy_commit(struct contid_world *dst, const struct contid_world *src,
		     char *buf);
/*
 * The functions below are inline for a world with auditing off, which
 * logs nothing and takes no serial (an explorer's, all the time): they
 * then cost a test, not a call.  The *_line() functions do the rest.
 */
int rec_grow(struct contid_world *w, size_t bytes);
void rec_container_op_set_line(struct contid_world *w, const struct task *writer,
			       const struct task *target, uint64_t value,
			       bool success);
void rec_container_op_drop_line(struct contid_world *w, uint32_t tgid,
				const struct contid_obj *obj);
void rec_set_capcontid_line(struct contid_world *w, const struct task *target,
			    uint64_t value);
void rec_write_syscall_line(struct contid_world *w, const struct task *writer,
			    int ret, size_t len);
void rec_signal_line(struct contid_world *w, const struct task *sender,
		     pid_t target_pid, const struct task *target, int sig, int ret);

/* Makes room for an operation's records before anything is changed. */
static inline int rec_reserve(struct contid_world *w, size_t bytes)
{
	if (!w->audit || bytes <= w->recbuf_size)
		return 0;
	return rec_grow(w, bytes);
}

/* CONTAINER_OP op=set for a write of @value (as written) to @target. */
static inline void rec_container_op_set(struct contid_world *w,
					const struct task *writer,
					const struct task *target, uint64_t value,
					bool success)
{
	if (w->audit)
		rec_container_op_set_line(w, writer, target, value, success);
}

/* CONTAINER_OP op=drop for @obj, freed by the exit of process @tgid. */
static inline void rec_container_op_drop(struct contid_world *w, uint32_t tgid,
					 const struct contid_obj *obj)
{
	if (w->audit)
		rec_container_op_drop_line(w, tgid, obj);
}

/* SET_CAPCONTID for a write of @value to @target. */
static inline void rec_set_capcontid(struct contid_world *w,
				     const struct task *target, uint64_t value)
{
	if (w->audit)
		rec_set_capcontid_line(w, target, value);
}

/* CONTAINER_ID (when @writer holds an ID) then SYSCALL for a write of
 * @len bytes to a /proc file that returned @ret. */
static inline void rec_write_syscall(struct contid_world *w,
				     const struct task *writer, int ret,
				     size_t len)
{
	if (w->audit)
		rec_write_syscall_line(w, writer, ret, len);
}

/*
 * A kill(2) of signal @sig by @sender to pid @target_pid that returned
 * @ret (docs/semantics.md section 6a): the sender's audited syscall, then,
 * when @target (the task found, or NULL) exists, its CONTAINER_ID and its
 * OBJ_PID.  The space to reserve first is rec_signal_bound()'s.
 */
static inline void rec_signal(struct contid_world *w, const struct task *sender,
			      pid_t target_pid, const struct task *target,
			      int sig, int ret)
{
	if (w->audit)
		rec_signal_line(w, sender, target_pid, target, sig, ret);
}

static inline size_t rec_signal_bound(const struct task *sender,
				      const struct task *target)
{
	return 3 * REC_FIXED_BOUND + chain_len(sender->obj) +
	       (target ? chain_len(target->obj) : 0);
}

#endif
