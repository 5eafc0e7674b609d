/*
 * The rule book (docs/semantics.md sections 4, 5 and 9): every rule that
 * can refuse a write to either /proc file, for every profile, and the
 * right to read them.
 *
 * Where it sits: above the tree, the ID objects and the namespaces, which
 * it reads; it changes nothing.  The /proc front end (contid_procfs.c)
 * asks it, the records read the profile's record format from it.
 */
#ifndef CONTID_RULES_H
#define CONTID_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "contid-id.h"
#include "contid-ns.h"
#include "contid-tree.h"
#include "contid-world.h"

struct write_ctx {
	struct contid_world *w;
	struct task *writer;
	struct task *target;
	uint64_t value;               /* as written; kernel-alloc: as handed out */
	struct contid_obj *existing;  /* the object the target would join */
	bool fresh;                   /* kernel-alloc: value was just handed out */
};

typedef int (*write_check_fn)(struct write_ctx *c);

/* How chains print: v11's "ID,^PARENT" or v8's "ID^PARENT" (no ID as
 * 18446744073709551615 there, -1 elsewhere). */
enum chain_style {
	CHAIN_COMMA_CARET,
	CHAIN_CARET_UNSET_NUMBER,
};

/* A rule set (docs/semantics.md section 9). */
struct profile {
	const char *name;
	const write_check_fn *checks;  /* in order, NULL-terminated */
	bool owned;            /* values have owners: a new one is the writer's */
	bool nest_parent;      /* a new ID's parent is the writer's ID */
	bool capcontid_grants; /* capcontid counts as the right to write/read */
	bool capcontid_unchecked_outside_init; /* v11-posted's slip */
	bool leak_parent;      /* v11-posted: a nested ID never frees its parent */
	bool drop_records;     /* op=drop when an exit frees an ID */
	bool op_task_fields;   /* v6: pid uid auid tty ses comm exe res */
	enum chain_style chain;
};

const struct profile *profile_default(void);
/* The profile called @name, or NULL. */
const struct profile *profile_find(const char *name);

/* R-SET-0: a released target (no record is logged for it): 0 or -errno. */
int rules_target_released(const struct task *target);
/*
 * The rules of an ID write, in the profile's order, then the ID limit:
 * 0 or the errno of the first refusal.  Sets c->existing (and, for
 * kernel-alloc, c->value and c->fresh) to what the write would hold.
 */
int rules_judge_write(struct write_ctx *c);
/* The rules of a capcontid write: 0 or the errno of the first refusal. */
int rules_judge_capcontid(const struct contid_world *w, const struct task *writer,
			  const struct task *target);
/* Reading either /proc file: may the (running) @reader? */
bool rules_may_read(const struct contid_world *w, const struct task *reader);

#endif
