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

#include "contid-world.h"

/* Room any record line takes besides its chains (names are <= 255 bytes). */
#define REC_FIXED_BOUND 2048u

/* Bound on the printed length of @obj's chain (NULL: no ID). */
size_t chain_len(const struct contid_obj *obj);

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
/* Makes room for an operation's records before anything is changed. */
int rec_reserve(struct contid_world *w, size_t bytes);

/* CONTAINER_OP op=set for a write of @value (as written) to @target. */
void rec_container_op_set(struct contid_world *w, const struct task *writer,
			  const struct task *target, uint64_t value, bool success);
/* CONTAINER_OP op=drop for @obj, freed by the exit of process @tgid. */
void rec_container_op_drop(struct contid_world *w, uint32_t tgid,
			   const struct contid_obj *obj);
/* SET_CAPCONTID for a write of @value to @target. */
void rec_set_capcontid(struct contid_world *w, const struct task *target,
		       uint64_t value);
/* CONTAINER_ID (when @writer holds an ID) then SYSCALL for a write of
 * @len bytes to a /proc file that returned @ret. */
void rec_write_syscall(struct contid_world *w, const struct task *writer,
		       int ret, size_t len);

#endif
