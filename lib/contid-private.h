/*
 * Private declarations shared by the files of libcontid.  Nothing here is
 * installed or exported.
 */
#ifndef CONTID_PRIVATE_H
#define CONTID_PRIVATE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "contid.h"
#include "contid-uthash.h"

#define CONTID_EXPORT __attribute__((visibility("default")))

/* Task slots are addressed by 32-bit index; 0 is never a task. */
#define NO_TASK 0u
#define TASK_CHUNK_SHIFT 12
#define TASK_CHUNK_SIZE (1u << TASK_CHUNK_SHIFT)

/* Beyond this the initial namespace is level 0: parent level > 32 fails. */
#define USERNS_MAX_PARENT_LEVEL 32

#define CAPS_ALL ((UINT64_C(1) << (CONTID_CAP_LAST_CAP + 1)) - 1)

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

struct userns {
	uint64_t id;                /* numbered when linked into the world */
	struct userns *parent;
	struct userns *next_live, *prev_live;
	uint32_t owner_uid;
	uint32_t level;
	uint32_t refs;      /* tasks + child namespaces + owned network namespaces */
	uint32_t check_refs;
};

/*
 * One ID held in a network namespace (SEMANTICS.md section 7).  Every ID
 * object embeds one entry, its "home", used for the first namespace that
 * lists it (nearly always the only one), so that the common case needs no
 * lookup and no allocation; entries for further namespaces are allocated
 * as struct netns_extra and found through one hash for the whole world,
 * keyed by (object, namespace).
 */
struct netns_entry {
	struct contid_obj *obj;      /* obj and ns: the key of an extra entry */
	struct netns *ns;            /* NULL: an unused home entry */
	uint32_t count;
	uint32_t check_count;
	struct netns_entry *front_prev, *front_next;
};

#define NETNS_KEY_LEN (2 * sizeof(void *))
_Static_assert(offsetof(struct netns_entry, ns) ==
	       offsetof(struct netns_entry, obj) + sizeof(void *),
	       "the (obj, ns) key is contiguous");

struct netns_extra {
	struct netns_entry e;        /* first, so that an entry converts back */
	UT_hash_handle hh;           /* in the world's netns_extras */
};

struct netns {
	uint64_t id;
	struct userns *owner;
	struct netns_entry *front;   /* list, newest value first */
	struct netns *next_live, *prev_live;
	uint32_t refs;               /* tasks */
	uint32_t check_refs;
	uint32_t nentries;           /* entries, home or not, listed or prepared */
};

/* An audit container ID object. */
struct contid_obj {
	/* First what a fork, an exit or a read touches: one 64-byte span. */
	uint64_t value;              /* hash key */
	uint32_t task_refs;          /* tasks holding it */
	uint32_t child_refs;         /* nested objects naming it as parent */
	uint32_t leaked_refs;        /* v11-posted: freed children never let go */
	uint32_t chain_len;          /* chain_len(): fixed, as the parent is */
	struct netns_entry home;     /* see struct netns_entry */
	/* Then what writes and frees need. */
	struct contid_obj *parent;
	UT_hash_handle hh;
	uint64_t owner_identity;     /* the writer task that created it */
	uint64_t owner_proc_identity;/* identity of that task's process leader */
	uint32_t owner_slot;         /* slot of the owner task (check identity!) */
	uint32_t owner_proc_slot;
	uint32_t check_tasks, check_children;
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

/* How chains print: v11's "ID,^PARENT" or v8's "ID^PARENT" (no ID as
 * 18446744073709551615 there, -1 elsewhere). */
enum chain_style {
	CHAIN_COMMA_CARET,
	CHAIN_CARET_UNSET_NUMBER,
};

struct write_ctx {
	struct contid_world *w;
	struct task *writer;
	struct task *target;
	uint64_t value;               /* as written; kernel-alloc: as handed out */
	struct contid_obj *existing;  /* the object the target would join */
	bool fresh;                   /* kernel-alloc: value was just handed out */
};

typedef int (*write_check_fn)(struct write_ctx *c);

/* A rule set (SEMANTICS.md section 9). */
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
bool may_control(const struct contid_world *w, const struct task *t);

struct contid_world {
	const struct profile *profile;
	unsigned depth_limit;        /* v8 */
	uint64_t alloc_hint;         /* kernel-alloc: all of [1, hint) in use */
	/* tasks */
	struct task **chunks;
	uint32_t nchunks;
	uint32_t slots_used;         /* slots ever handed out, excluding 0 */
	uint32_t free_slots;         /* list through next_sibling */
	uint32_t nr_tasks;           /* not gone */
	unsigned long max_tasks;     /* 0: no limit */
	unsigned long max_ids;
	uint32_t init_slot;
	uint64_t next_identity;

	/* pids */
	uint32_t *pid_slot;          /* pid -> slot, NO_TASK when free */
	uint64_t *pid_bitmap;        /* bit set: pid in use */
	uint32_t pid_capacity;       /* entries allocated in pid_slot */
	uint32_t pid_max;
	uint32_t last_pid;

	/* namespaces and IDs */
	struct userns *init_userns;
	struct netns *init_netns;
	struct userns *userns_live;
	struct netns *netns_live;
	struct contid_obj *objs;     /* uthash head, by value */
	struct netns_extra *netns_extras; /* uthash head, by (obj, ns) */
	uint64_t next_ns_id;

	/* audit */
	bool audit;
	uint64_t clock_ms;           /* operations so far */
	uint64_t serial;             /* last event serial */
	uint64_t op_stamp;           /* timestamp of the running operation */
	bool op_has_event;           /* the running operation took a serial */
	contid_record_fn record_fn;
	void *record_data;
	bool in_record_fn;           /* record_fn is running: see world_may_change */
	char *recbuf;
	size_t recbuf_size;
	size_t reclen;
	int rectype;
};

/*
 * The first check of every exported function that may change @w: a NULL
 * world is -EINVAL, and while @w's record callback runs, -EDEADLK.  An
 * operation started from the callback would take the serial of the one
 * being logged and overwrite the record buffer the callback was handed; a
 * setter would change the rules or the logging half-way through that
 * operation.  So both are refused whole, before any other check.
 */
static inline int world_may_change(const struct contid_world *w)
{
	if (!w)
		return -EINVAL;
	return w->in_record_fn ? -EDEADLK : 0;
}

/* ---- allocation (every allocation of the library goes through these) */
void *cx_malloc(size_t size);
void *cx_calloc(size_t n, size_t size);
void *cx_realloc(void *p, size_t size);
void cx_free(void *p);

/* ---- tasks and pids (contid_tree.c) */
static inline struct task *task_at(const struct contid_world *w, uint32_t slot)
{
	return &w->chunks[slot >> TASK_CHUNK_SHIFT][slot & (TASK_CHUNK_SIZE - 1)];
}

static inline struct task *proc_of(const struct contid_world *w,
				   const struct task *t)
{
	return task_at(w, t->leader);
}

/* Live (running or zombie) task with this pid, or NULL. */
struct task *task_by_pid(const struct contid_world *w, pid_t pid);
/* As task_by_pid() but only a running task. */
struct task *running_task(const struct contid_world *w, pid_t pid);
uint32_t slot_of(const struct contid_world *w, const struct task *t);
bool proc_is_descendant(const struct contid_world *w, const struct task *a_leader,
			const struct task *b_leader);
int tree_init(struct contid_world *w);
void tree_free(struct contid_world *w);

/* ---- namespaces and credentials (contid_ns.c) */
struct userns *userns_new(struct userns *parent, uint32_t owner_uid);
void userns_get(struct userns *ns);
void userns_put(struct contid_world *w, struct userns *ns);
void userns_link(struct contid_world *w, struct userns *ns);
struct netns *netns_new(struct userns *owner);
void netns_link(struct contid_world *w, struct netns *ns);
void netns_get(struct netns *ns);
void netns_put(struct contid_world *w, struct netns *ns);
bool ns_capable(const struct task *t, const struct userns *ns, int cap);
bool task_capable(const struct contid_world *w, const struct task *t, int cap);
bool uid_mapped(const struct userns *ns, uint32_t uid);
int userns_may_create(const struct task *t);
/* Network namespace ID lists. */
int netns_prepare(struct contid_world *w, struct netns *ns,
		  struct contid_obj *obj);
void netns_hold(struct contid_world *w, struct netns *ns,
		struct contid_obj *obj);
void netns_release(struct contid_world *w, struct netns *ns,
		   struct contid_obj *obj);
/* @obj's entry in @ns, or NULL. */
struct netns_entry *netns_find(const struct contid_world *w, const struct netns *ns,
			       const struct contid_obj *obj);
/* Removes @ns's entries (none is left once its last member task is gone). */
void netns_free_entries(struct contid_world *w, struct netns *ns);
/* Frees every allocated entry of the world, touching no object. */
void netns_free_all_extras(struct contid_world *w);

/* ---- ID objects (contid_id.c) */
struct contid_obj *obj_find(const struct contid_world *w, uint64_t value);
/* The owner's process if it still exists, else NULL. */
const struct task *obj_owner_process(const struct contid_world *w,
				     const struct contid_obj *obj);
uint32_t obj_refs(const struct contid_obj *obj);
void obj_get(struct contid_obj *obj);
/* Drops one task reference; @exiting_tgid > 0 logs op=drop records. */
void obj_put_task(struct contid_world *w, struct contid_obj *obj,
		  uint32_t exiting_tgid);
/* Whether dropping a task reference of @obj would free anything. */
size_t obj_drop_record_bound(const struct contid_world *w,
			     const struct contid_obj *obj);
void objs_free_all(struct contid_world *w);
/* Releases a task's audit state at exit. */
void task_release_audit(struct contid_world *w, struct task *t, uint32_t tgid);

/* ---- records (contid_record.c) */
/*
 * Whether record lines are formatted: auditing is on and a callback
 * receives them.  Without a callback an operation still takes its serial
 * and reserves its buffer, so serials, the clock and failures for memory
 * do not depend on whether a callback is installed.
 */
static inline bool rec_wanted(const struct contid_world *w)
{
	return w->audit && w->record_fn;
}
/* Room any record line takes besides its chains (names are <= 255 bytes). */
#define REC_FIXED_BOUND 2048u
/* Bound on the printed length of @obj's chain (kept in the object). */
size_t chain_len(const struct contid_obj *obj);
/* The same for a new object of @value nested below @parent. */
uint32_t chain_len_new(uint64_t value, const struct contid_obj *parent);
/* Makes room for an operation's records before anything is changed. */
int rec_reserve(struct contid_world *w, size_t bytes);
/* A record line is built in the world's buffer: start, add, finish. */
void rec_start(struct contid_world *w, int type);
/*
 * Appends @n bytes to the record being built, keeping it NUL-terminated and
 * truncating as snprintf would (which cannot happen after rec_reserve).
 */
static inline void rec_put(struct contid_world *w, const char *s, size_t n)
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
void rec_put_u64(struct contid_world *w, uint64_t v);
void rec_put_int(struct contid_world *w, int v);
void rec_add_chain(struct contid_world *w, const struct contid_obj *obj);
/* Formats a chain in the profile's style like snprintf; returns its length. */
size_t chain_format(const struct contid_world *w, const struct contid_obj *obj,
		    char *buf, size_t size);
/* v6's extra CONTAINER_OP fields about the writer. */
void rec_task_fields(struct contid_world *w, const struct task *t, bool success);
void rec_finish(struct contid_world *w);
/* CONTAINER_ID (when @t holds an ID) then SYSCALL, @args being "a0=.. a3=..". */
void rec_syscall(struct contid_world *w, const struct task *t, int syscall,
		 int exit_code, const char *args);
size_t rec_packet_bound(const struct netns *ns);
void rec_packet(struct contid_world *w, const struct netns *ns);

/* ---- operation framing (contid.c) */
/* Starts an operation: stamps it with the clock. */
void op_begin(struct contid_world *w);
/* Ends it: the clock moves on unless the operation failed for memory. */
int op_end(struct contid_world *w, int ret);

#endif
