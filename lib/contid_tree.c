/*
 * The process tree: task slots, pids, fork, exit, reparenting and reaping
 * (SEMANTICS.md sections 1 and 2).
 *
 * Tasks live in fixed-size chunks addressed by a 32-bit slot, so the tree
 * links are 4 bytes each and a task never moves.  A pid maps to its slot
 * through a table indexed by pid; a bitmap beside it finds free pids a word
 * at a time.  Both grow on demand, so a small world stays small.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "contid-private.h"

#define PID_INITIAL_CAPACITY 1024u
#define ALL_CLONE_FLAGS (CONTID_CLONE_THREAD | CONTID_CLONE_PARENT | \
			 CONTID_CLONE_NEWUSER | CONTID_CLONE_NEWNET)

/* ------------------------------------------------------------- lookups */

struct task *task_by_pid(const struct contid_world *w, pid_t pid)
{
	if (pid <= 0 || (uint32_t)pid >= w->pid_capacity)
		return NULL;
	uint32_t slot = w->pid_slot[pid];
	return slot == NO_TASK ? NULL : task_at(w, slot);
}

struct task *running_task(const struct contid_world *w, pid_t pid)
{
	struct task *t = task_by_pid(w, pid);
	return t && t->state == TASK_RUNNING ? t : NULL;
}

uint32_t slot_of(const struct contid_world *w, const struct task *t)
{
	return w->pid_slot[t->pid];
}

/* Strict descent between processes, walking real parents from @a. */
bool proc_is_descendant(const struct contid_world *w, const struct task *a_leader,
			const struct task *b_leader)
{
	uint32_t b = slot_of(w, b_leader);

	for (uint32_t p = a_leader->parent; p != NO_TASK; p = task_at(w, p)->parent)
		if (p == b)
			return true;
	return false;
}

/* ---------------------------------------------------------------- pids */

/* Lowest pid in [from, to) that is free, or 0. */
static uint32_t pid_first_free(const struct contid_world *w, uint32_t from,
			       uint32_t to)
{
	while (from < to) {
		if (from >= w->pid_capacity)
			return from;
		uint32_t word = from / 64;
		uint64_t busy = w->pid_bitmap[word] | ((UINT64_C(1) << (from % 64)) - 1);
		if (busy != UINT64_MAX) {
			uint32_t pid = word * 64 + (uint32_t)__builtin_ctzll(~busy);
			return pid < to ? pid : 0;
		}
		from = (word + 1) * 64;
	}
	return 0;
}

/* The pid the next fork would take (Linux's cyclic allocation), or 0. */
static uint32_t pid_next(const struct contid_world *w)
{
	uint32_t start = w->last_pid + 1;
	uint32_t pid = 0;

	if (start < w->pid_max)
		pid = pid_first_free(w, start, w->pid_max);
	if (!pid)
		pid = pid_first_free(w, 2, start < w->pid_max ? start : w->pid_max);
	return pid;
}

static int pid_reserve(struct contid_world *w, uint32_t pid)
{
	if (pid < w->pid_capacity)
		return 0;

	uint32_t cap = w->pid_capacity ? w->pid_capacity : PID_INITIAL_CAPACITY;
	while (cap <= pid)
		cap *= 2;
	if (cap > CONTID_PID_MAX_LIMIT)
		cap = CONTID_PID_MAX_LIMIT;

	uint32_t *slots = cx_realloc(w->pid_slot, cap * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	w->pid_slot = slots;
	uint64_t *bits = cx_realloc(w->pid_bitmap, cap / 64 * sizeof(*bits));
	if (!bits)
		return -ENOMEM; /* the slot table is just larger than needed */
	w->pid_bitmap = bits;
	memset(slots + w->pid_capacity, 0,
	       (cap - w->pid_capacity) * sizeof(*slots));
	memset(bits + w->pid_capacity / 64, 0,
	       (cap - w->pid_capacity) / 64 * sizeof(*bits));
	w->pid_capacity = cap;
	return 0;
}

static void pid_attach(struct contid_world *w, uint32_t pid, uint32_t slot)
{
	w->pid_slot[pid] = slot;
	w->pid_bitmap[pid / 64] |= UINT64_C(1) << (pid % 64);
	w->last_pid = pid;
}

static void pid_detach(struct contid_world *w, uint32_t pid)
{
	w->pid_slot[pid] = NO_TASK;
	w->pid_bitmap[pid / 64] &= ~(UINT64_C(1) << (pid % 64));
}

/* --------------------------------------------------------------- slots */

/* Makes sure slot_take() will succeed. */
static int slot_reserve(struct contid_world *w)
{
	if (w->free_slots != NO_TASK ||
	    w->slots_used + 1 < w->nchunks * TASK_CHUNK_SIZE)
		return 0;
	if (w->nchunks >= UINT32_MAX / TASK_CHUNK_SIZE)
		return -ENOMEM;

	struct task **chunks = cx_realloc(w->chunks,
					  (w->nchunks + 1) * sizeof(*chunks));
	if (!chunks)
		return -ENOMEM;
	w->chunks = chunks;
	chunks[w->nchunks] = cx_calloc(TASK_CHUNK_SIZE, sizeof(struct task));
	if (!chunks[w->nchunks])
		return -ENOMEM;
	w->nchunks++;
	return 0;
}

static uint32_t slot_take(struct contid_world *w)
{
	uint32_t slot = w->free_slots;

	if (slot != NO_TASK)
		w->free_slots = task_at(w, slot)->next_sibling;
	else
		slot = ++w->slots_used;
	memset(task_at(w, slot), 0, sizeof(struct task));
	return slot;
}

static void name_put(struct contid_name *name)
{
	if (name && --name->refs == 0)
		cx_free(name);
}

/* Frees a task that is gone: its pid, namespaces, name and slot. */
static void task_destroy(struct contid_world *w, struct task *t)
{
	uint32_t slot = slot_of(w, t);

	pid_detach(w, t->pid);
	userns_put(w, t->userns);
	netns_put(w, t->netns);
	name_put(t->name);
	memset(t, 0, sizeof(*t));
	t->state = TASK_FREE;
	t->next_sibling = w->free_slots;
	w->free_slots = slot;
	w->nr_tasks--;
}

/* ------------------------------------------------------ child lists */

static void child_link(struct contid_world *w, uint32_t parent, uint32_t child)
{
	struct task *p = task_at(w, parent);
	struct task *c = task_at(w, child);

	c->parent = parent;
	c->prev_sibling = NO_TASK;
	c->next_sibling = p->first_child;
	if (p->first_child != NO_TASK)
		task_at(w, p->first_child)->prev_sibling = child;
	p->first_child = child;
}

static void child_unlink(struct contid_world *w, struct task *c)
{
	struct task *p = task_at(w, c->parent);

	if (c->prev_sibling != NO_TASK)
		task_at(w, c->prev_sibling)->next_sibling = c->next_sibling;
	else
		p->first_child = c->next_sibling;
	if (c->next_sibling != NO_TASK)
		task_at(w, c->next_sibling)->prev_sibling = c->prev_sibling;
	c->parent = c->next_sibling = c->prev_sibling = NO_TASK;
}

/* ---------------------------------------------------------------- init */

int tree_init(struct contid_world *w)
{
	static const char init_name[] = "init";

	w->pid_max = CONTID_PID_MAX_LIMIT;
	w->next_identity = 1;
	if (pid_reserve(w, PID_INITIAL_CAPACITY - 1) < 0 || slot_reserve(w) < 0)
		return -ENOMEM;

	struct contid_name *name = cx_malloc(sizeof(*name) + sizeof(init_name));
	if (!name)
		return -ENOMEM;
	name->refs = 1;
	name->len = sizeof(init_name) - 1;
	memcpy(name->text, init_name, sizeof(init_name));

	uint32_t slot = slot_take(w);
	struct task *init = task_at(w, slot);
	init->identity = w->next_identity++;
	init->caps = CAPS_ALL;
	init->userns = w->init_userns;
	init->netns = w->init_netns;
	userns_get(init->userns);
	netns_get(init->netns);
	init->name = name;
	init->pid = 1;
	init->leader = slot;
	init->nr_live = init->nr_running = 1;
	init->state = TASK_RUNNING;
	pid_attach(w, 1, slot);
	w->init_slot = slot;
	w->nr_tasks = 1;
	return 0;
}

void tree_free(struct contid_world *w)
{
	for (uint32_t c = 0; c < w->nchunks; c++)
		for (uint32_t i = 0; i < TASK_CHUNK_SIZE; i++)
			name_put(w->chunks[c][i].name);
	for (uint32_t c = 0; c < w->nchunks; c++)
		cx_free(w->chunks[c]);
	cx_free(w->chunks);
	cx_free(w->pid_slot);
	cx_free(w->pid_bitmap);
}

/* ---------------------------------------------------------------- fork */

static int do_fork(struct contid_world *w, pid_t parent_pid, unsigned flags,
		   pid_t *child_pid)
{
	struct task *caller = running_task(w, parent_pid);
	if (!caller)
		return -ESRCH;
	if (flags & ~ALL_CLONE_FLAGS)
		return -EINVAL;
	if ((flags & CONTID_CLONE_THREAD) && (flags & CONTID_CLONE_NEWUSER))
		return -EINVAL;
	if ((flags & CONTID_CLONE_PARENT) && caller->leader == w->init_slot)
		return -EINVAL;
	if (flags & CONTID_CLONE_NEWUSER) {
		int r = userns_may_create(caller);
		if (r < 0)
			return r;
	} else if ((flags & CONTID_CLONE_NEWNET) &&
		   !ns_capable(caller, caller->userns, CONTID_CAP_SYS_ADMIN)) {
		/* with NEWUSER the child holds every capability in its new
		 * namespace, which then owns the new network namespace */
		return -EPERM;
	}
	uint32_t pid = pid_next(w);
	if (!pid || (w->max_tasks && w->nr_tasks >= w->max_tasks))
		return -EAGAIN;

	/* Everything that can fail for memory happens before any change. */
	struct userns *new_userns = NULL;
	struct netns *new_netns = NULL;
	int r = pid_reserve(w, pid);
	if (r == 0)
		r = slot_reserve(w);
	if (r == 0 && (flags & CONTID_CLONE_NEWUSER)) {
		new_userns = userns_new(caller->userns, caller->uid);
		if (!new_userns)
			r = -ENOMEM;
	}
	if (r == 0 && (flags & CONTID_CLONE_NEWNET)) {
		new_netns = netns_new(new_userns ? new_userns : caller->userns);
		if (!new_netns)
			r = -ENOMEM;
		else if (caller->obj)
			r = netns_prepare(w, new_netns, caller->obj);
	}
	if (r < 0) {
		if (new_netns)
			netns_free_entries(w, new_netns);
		cx_free(new_netns);
		cx_free(new_userns);
		return r;
	}

	uint32_t slot = slot_take(w);
	struct task *child = task_at(w, slot);
	child->identity = w->next_identity++;
	child->pid = pid;
	child->uid = caller->uid;
	child->state = TASK_RUNNING;
	child->name = caller->name;
	child->name->refs++;
	if (new_userns) {
		userns_link(w, new_userns);
		child->userns = new_userns;
		child->caps = CAPS_ALL;
	} else {
		child->userns = caller->userns;
		child->caps = caller->caps;
	}
	userns_get(child->userns);
	if (new_netns) {
		netns_link(w, new_netns);
		child->netns = new_netns;
	} else {
		child->netns = caller->netns;
	}
	netns_get(child->netns);
	if (caller->obj) {
		child->obj = caller->obj;
		obj_get(child->obj);
		netns_hold(w, child->netns, child->obj);
	}

	struct task *proc = proc_of(w, caller);
	if (flags & CONTID_CLONE_THREAD) {
		child->leader = caller->leader;
		proc->nr_live++;
		proc->nr_running++;
	} else {
		child->leader = slot;
		child->nr_live = child->nr_running = 1;
		child_link(w, (flags & CONTID_CLONE_PARENT) ? proc->parent
							    : caller->leader,
			   slot);
	}
	pid_attach(w, pid, slot);
	w->nr_tasks++;
	*child_pid = (pid_t)pid;
	return 0;
}

CONTID_EXPORT int contid_fork(struct contid_world *w, pid_t parent,
			      unsigned flags, pid_t *child)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	if (!child)
		return -EINVAL;
	op_begin(w);
	return op_end(w, do_fork(w, parent, flags, child));
}

/* ---------------------------------------------------------------- exit */

/* Where the children of a dying process go: the nearest running subreaper
 * among its ancestors, else init. */
static uint32_t find_reaper(const struct contid_world *w, const struct task *proc)
{
	for (uint32_t p = proc->parent; p != NO_TASK; p = task_at(w, p)->parent) {
		const struct task *anc = task_at(w, p);
		if (p == w->init_slot)
			break;
		if (anc->subreaper && anc->nr_running > 0)
			return p;
	}
	return w->init_slot;
}

static void reparent_children(struct contid_world *w, struct task *proc)
{
	if (proc->first_child == NO_TASK)
		return; /* nothing to move: spare the walk up the ancestors */

	uint32_t reaper = find_reaper(w, proc);

	while (proc->first_child != NO_TASK) {
		uint32_t c = proc->first_child;
		child_unlink(w, task_at(w, c));
		child_link(w, reaper, c);
	}
}

static int do_exit(struct contid_world *w, pid_t pid)
{
	struct task *t = running_task(w, pid);
	if (!t)
		return -ESRCH;
	struct task *proc = proc_of(w, t);
	if (t->leader == w->init_slot && proc->nr_running == 1)
		return -EPERM;
	if (t->obj) {
		int r = rec_reserve(w, obj_drop_record_bound(w, t->obj));
		if (r < 0)
			return r;
	}

	task_release_audit(w, t, proc->pid);
	proc->nr_running--;
	if (t != proc) {
		proc->nr_live--;
		task_destroy(w, t);
	} else {
		t->state = TASK_ZOMBIE;
	}
	if (proc->nr_running == 0)
		reparent_children(w, proc);
	return 0;
}

CONTID_EXPORT int contid_exit(struct contid_world *w, pid_t pid)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	return op_end(w, do_exit(w, pid));
}

/* ---------------------------------------------------------------- reap */

static int do_reap(struct contid_world *w, pid_t pid)
{
	struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	/* a non-leader thread is gone as soon as it exits, so it runs */
	if (t != proc_of(w, t) || t->state != TASK_ZOMBIE || t->nr_running > 0)
		return -ECHILD;
	child_unlink(w, t);
	t->nr_live = 0;
	task_destroy(w, t);
	return 0;
}

CONTID_EXPORT int contid_reap(struct contid_world *w, pid_t pid)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	return op_end(w, do_reap(w, pid));
}

CONTID_EXPORT int contid_set_subreaper(struct contid_world *w, pid_t pid)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	struct task *t = running_task(w, pid);
	if (!t)
		return op_end(w, -ESRCH);
	proc_of(w, t)->subreaper = 1;
	return op_end(w, 0);
}

CONTID_EXPORT int contid_world_set_pid_max(struct contid_world *w,
					   unsigned pid_max)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	if (pid_max < 2 || pid_max > CONTID_PID_MAX_LIMIT)
		return -EINVAL;
	w->pid_max = pid_max;
	return 0;
}

CONTID_EXPORT int contid_task_set_name(struct contid_world *w, pid_t pid,
				       const char *text)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	if (!text)
		return -EINVAL;
	size_t len = strnlen(text, 256);
	if (len == 0 || len > 255)
		return -EINVAL;
	struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	struct contid_name *name = cx_malloc(sizeof(*name) + len + 1);
	if (!name)
		return -ENOMEM;
	name->refs = 1;
	name->len = (uint32_t)len;
	memcpy(name->text, text, len + 1);
	name_put(t->name);
	t->name = name;
	return 0;
}
