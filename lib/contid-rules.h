/*
 * The rule book (docs/semantics.md sections 4, 5 and 9): every rule that
 * can refuse a write to either /proc file, for every profile, the ID
 * limit, and the right to read the files.
 *
 * Where it sits: above the tree, the ID objects and the namespaces, which
 * it reads; it changes nothing in the world.  The /proc front end
 * (contid_procfs.c) asks it what a write may do; the records and exit read
 * the profile's switches.
 */
#ifndef CONTID_RULES_H
#define CONTID_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "contid-world.h"

/* A write being judged: what the rules look at, and what resolve found. */
struct write_ctx {
	const struct contid_world *w;
	const struct task *writer;
	const struct task *target;
	uint64_t value;               /* as written */
	/* Set by the profile's resolve step, read by its refusals: */
	struct contid_obj *existing;  /* the object the target would join */
	uint64_t new_value;           /* else the value a new object holds */
	bool fresh;                   /* new_value was just handed out */
};

/* How chains print: v11's "ID,^PARENT" or v8's "ID^PARENT" (no ID as
 * 18446744073709551615 there, -1 elsewhere). */
enum chain_style {
	CHAIN_COMMA_CARET,
	CHAIN_CARET_UNSET_NUMBER,
};

/*
 * A rule set (docs/semantics.md section 9): data only, one entry of the
 * table in contid_rules.c.  docs/profiles.md says how to add one.
 */
struct profile {
	const char *name;
	/*
	 * Mandatory, run before any refusal: which existing object the
	 * target would join (c->existing), or else the value of the new one
	 * (c->new_value, c->fresh).  It must not refuse: refusing is for the
	 * list below, which sees what it found.
	 */
	void (*resolve)(struct write_ctx *c);
	/* The refusals, in the profile's order, NULL-terminated: the first
	 * that refuses decides.  (The ID limit comes after all of them.) */
	const struct refusal *const *refusals;
	/* Ownership and nesting of a new object. */
	bool owned;            /* it belongs to the writer task */
	bool nest_parent;      /* its parent is the writer's ID */
	bool leak_parent;      /* v11-posted: a nested ID never frees its parent */
	/* The audit daemon's signal state (docs/semantics.md section 6a). */
	bool pin_signaller;    /* a recorded signal pins the sender's ID (v11);
				* else only its value is kept (v6, v8, bits) */
	/* The right to write and read. */
	bool capcontid_grants; /* capcontid counts as the right */
	bool capcontid_unchecked_outside_init; /* v11-posted's slip */
	/* Record format. */
	bool drop_records;     /* op=drop when an exit frees an ID */
	bool op_task_fields;   /* v6: pid uid auid tty ses comm exe res */
	enum chain_style chain;
};

const struct profile *profile_default(void);
/* The profile called @name, or NULL. */
const struct profile *profile_find(const char *name);
/*
 * Adds @p to the profiles contid_profile_names() lists and
 * contid_world_set_profile() accepts, for the tests: a profile that is
 * not in the table, exercised as if it were.  Not thread-safe; @p must
 * outlive every world using it.  -EINVAL without a name, a resolve step
 * or a refusal list, -EEXIST for a name in use, -ENOSPC when full.
 */
int profile_register(const struct profile *p);

/* R-SET-0, for both files: a released target, refused before any record. */
const struct refusal *rules_target_released(const struct write_ctx *c);
/*
 * An ID write: the profile's resolve step, then its refusals, then the ID
 * limit.  Returns the first refusal that refuses, or NULL.
 */
const struct refusal *rules_judge_write(struct write_ctx *c);
/* A capcontid write (docs/semantics.md section 5): its refusal, or NULL. */
const struct refusal *rules_judge_capcontid(const struct write_ctx *c);
/* Reading either /proc file: may the (running) @reader? */
bool rules_may_read(const struct contid_world *w, const struct task *reader);

#endif
