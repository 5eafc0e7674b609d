/*
 * Tasks, pids and the process tree (docs/semantics.md sections 1 and 2).
 *
 * Where it sits: just above the world and allocation.  A task carries its
 * namespaces, capabilities and ID as fields, but this room only stores
 * them: what they mean belongs to contid_ns.c and contid_id.c, and the
 * operations that touch every part of a task (fork, exit, reap) to
 * contid_process.c.
 */
#ifndef CONTID_TREE_H
#define CONTID_TREE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "contid-world.h"

/* Task slots are addressed by 32-bit index; 0 is never a task.  The first
 * chunk starts with TASK_CHUNK_INITIAL slots and doubles up to a full
 * chunk (so a small world stays small) before a second one is added. */
#define NO_TASK 0u
#define TASK_CHUNK_SHIFT 12
#define TASK_CHUNK_SIZE (1u << TASK_CHUNK_SHIFT)
#define TASK_CHUNK_INITIAL 16u

enum task_state {
	TASK_FREE = 0,   /* slot unused (or task gone) */
	TASK_RUNNING,
	TASK_ZOMBIE,
};

struct contid_name {
	uint32_t refs;
	uint32_t len;
	char text[];
};

/*
 * A task.  Process-wide fields live in the thread-group leader, which stays
 * allocated (as a zombie if need be) for as long as its process exists.
 */
struct task {
	uint64_t identity;
	uint64_t caps;               /* effective set, valid in userns */
	struct contid_obj *obj;
	struct userns *userns;
	struct netns *netns;
	struct contid_name *name;
	uint32_t pid;
	uint32_t leader;             /* slot of the thread-group leader */
	uint32_t uid;
	uint32_t capcontid;
	/* process fields, meaningful in the leader only */
	uint32_t parent;             /* leader slot of the parent process */
	uint32_t first_child;        /* leader slots of child processes */
	uint32_t next_sibling;       /* also the free-slot list link */
	uint32_t prev_sibling;
	/* Counts and flags share two words (a task is then 88 bytes, not 96);
	 * a process has fewer than 2^22 tasks, as pids are below 2^22. */
	uint32_t nr_live : 24;       /* tasks of the process not gone */
	uint32_t state : 8;          /* enum task_state */
	uint32_t nr_running : 24;
	uint32_t subreaper : 1;
	uint32_t audit_released : 1; /* exited: writes get ENOPROTOOPT */
};

_Static_assert(CONTID_PID_MAX_LIMIT < (1u << 24), "thread counts fit 24 bits");

static inline struct task *task_at(const struct contid_world *w, uint32_t slot)
{
	return &w->chunks[slot >> TASK_CHUNK_SHIFT][slot & (TASK_CHUNK_SIZE - 1)];
}

static inline struct task *proc_of(const struct contid_world *w,
				   const struct task *t)
{
	return task_at(w, t->leader);
}

/*
 * An acting task that is not running (docs/semantics.md section 2): every
 * operation refuses with it but fork, the writes and the reads, whose
 * acting task has a name of its own (the parent, the writer, the reader).
 */
extern const struct refusal refusal_not_running;

/* Live (running or zombie) task with this pid, or NULL.  (Inline, as
 * every operation looks its tasks up.) */
static inline struct task *task_by_pid(const struct contid_world *w, pid_t pid)
{
	if (pid <= 0 || (uint32_t)pid >= w->pid_capacity)
		return NULL;
	uint32_t slot = w->pid_slot[pid];
	return slot == NO_TASK ? NULL : task_at(w, slot);
}

/* As task_by_pid() but only a running task. */
static inline struct task *running_task(const struct contid_world *w, pid_t pid)
{
	struct task *t = task_by_pid(w, pid);
	return t && t->state == TASK_RUNNING ? t : NULL;
}

static inline uint32_t slot_of(const struct contid_world *w, const struct task *t)
{
	return w->pid_slot[t->pid];
}
/* R-DESC: strict descent between processes, walking real parents from @a. */
bool proc_is_descendant(const struct contid_world *w, const struct task *a_leader,
			const struct task *b_leader);

/* Sets up the pid table and init (pid 1, named "init", no namespace yet). */
int tree_init(struct contid_world *w);
void tree_free(struct contid_world *w);
/*
 * contid_world_clone()'s part: copies @w's slots, pid table and names into
 * @c, which has none yet, slot for slot.  The namespaces and ID each task
 * points to are left pointing into @w, for the rooms that own them to
 * remap; tree_free() never follows them, so @c can be freed at any step.
 */
int tree_clone(struct contid_world *c, const struct contid_world *w);

/*
 * A few pointers of one world and what stands for each in another (a
 * copy of it: contid_world_copy()), looked at one by one.
 */
#define COPY_MAP_SIZE 16

struct copy_map {
	size_t n;
	const void *from[COPY_MAP_SIZE];
	void *to[COPY_MAP_SIZE];
};

/* What stands for @from, which @m must hold. */
static inline void *copy_map_to(const struct copy_map *m, const void *from)
{
	size_t i = 0;

	while (i + 1 < m->n && m->from[i] != from)
		i++;
	return m->to[i];
}

/*
 * contid_world_copy()'s part, in steps.  tree_copy_prepare() checks that
 * @dst's task chunks and pid table are laid out as @src's (else -E2BIG:
 * the copy is then made as a clone) and gets the task names @dst will
 * hold: a name of @dst with the same text serves again, else a new one is
 * allocated (-ENOMEM, with nothing changed, when that fails).
 * tree_copy_commit(), which cannot fail, lets @dst's names go but those
 * that serve again and copies the slots and pids of @src into @dst; the
 * names, namespaces and ID each task points to are then @src's, until
 * tree_copy_remap() points them at @dst's, by the maps the rooms that own
 * them made.  tree_copy_abort() takes the prepared names back instead.
 */
#define COPY_FEW_NAMES COPY_MAP_SIZE

struct name_copy {
	struct copy_map map;
	bool fresh[COPY_FEW_NAMES];  /* allocated by the prepare step */
};

int tree_copy_prepare(struct name_copy *nc, struct contid_world *dst,
		      const struct contid_world *src);
void tree_copy_abort(struct name_copy *nc);
void tree_copy_commit(struct contid_world *dst, const struct contid_world *src,
		      struct name_copy *nc);
void tree_copy_remap(struct contid_world *dst, const struct contid_world *src,
		     struct name_copy *nc, const struct copy_map *objs,
		     const struct copy_map *users, const struct copy_map *nets);

/* The pid the next fork would take (Linux's cyclic allocation), or 0. */
uint32_t tree_next_pid(const struct contid_world *w);
/*
 * Makes sure tree_fork(@pid) will not need memory: 0, or -ENOMEM.  It
 * returns 1 when it moved every task (the first chunk grows by realloc):
 * look them up again then.
 */
int tree_reserve(struct contid_world *w, uint32_t pid);
/*
 * Adds the task @caller's fork makes with pid @pid (reserved), placed in
 * the tree as CONTID_CLONE_THREAD and CONTID_CLONE_PARENT in @flags say,
 * with the caller's uid and name; its namespaces, capabilities and ID are
 * left for the caller to fill in.
 */
struct task *tree_fork(struct contid_world *w, uint32_t pid,
		       const struct task *caller, unsigned flags);
/*
 * When the last running task of @proc has exited: its children go to the
 * nearest running subreaper among its ancestors, else to init.
 */
void tree_reparent_children(struct contid_world *w, struct task *proc);
/*
 * Removes a task that is gone: its pid, name and slot.  A process leader
 * is also taken out of its parent's children (a reaped zombie).  Its
 * namespaces must have been let go already.
 */
void tree_task_gone(struct contid_world *w, struct task *t);

#endif
