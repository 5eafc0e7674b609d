/*
 * Tasks, pids and the process tree (docs/semantics.md sections 1 and 2):
 * slots, pid allocation, the child lists, descent and reparenting, task
 * names, and what can be asked about a task's place in the tree.
 *
 * Where it sits: above the world and allocation only; fork, exit and reap,
 * which also touch namespaces, IDs and records, build on this room from
 * contid_process.c.
 *
 * Tasks live in chunks addressed by a 32-bit slot, so the tree links are 4
 * bytes each.  The first chunk starts small and grows by realloc up to the
 * fixed chunk size, so a task can move only in tree_reserve(), while the
 * world is small; later chunks are allocated whole and never move.
 * (Slots, not pointers, are what the world keeps.)  A pid maps to its slot
 * through a table indexed by pid; a bitmap beside it finds free pids a word
 * at a time.  Both grow on demand, so a small world stays small.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "contid-alloc.h"
#include "contid-export.h"
#include "contid-tree.h"

#define PID_INITIAL_CAPACITY 64u /* a multiple of 64: the bitmap's words */

/* ------------------------------------------------------------- lookups */

const struct refusal refusal_not_running = {
	"ACTING-TASK", ESRCH, "the task is not running", NULL };

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

uint32_t tree_next_pid(const struct contid_world *w)
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

/* Slots the chunks hold (slot 0 included, never used). */
static uint32_t slot_capacity(const struct contid_world *w)
{
	return w->nchunks ? w->chunk0_size + (w->nchunks - 1) * TASK_CHUNK_SIZE : 0;
}

static uint32_t chunk_size(const struct contid_world *w, uint32_t c)
{
	return c ? TASK_CHUNK_SIZE : w->chunk0_size;
}

/* Adds a slot or more: the first chunk doubles (and returns 1: the tasks
 * moved), or a new chunk comes. */
static int slot_grow(struct contid_world *w)
{
	if (w->nchunks >= UINT32_MAX / TASK_CHUNK_SIZE)
		return -ENOMEM;

	if (w->nchunks == 1 && w->chunk0_size < TASK_CHUNK_SIZE) {
		uint32_t size = 2 * w->chunk0_size;
		struct task *chunk = cx_realloc(w->chunks[0], size * sizeof(*chunk));
		if (!chunk)
			return -ENOMEM;
		memset(chunk + w->chunk0_size, 0,
		       (size - w->chunk0_size) * sizeof(*chunk));
		w->chunks[0] = chunk;
		w->chunk0_size = size;
		return 1; /* the tasks moved */
	}
	uint32_t size = w->nchunks ? TASK_CHUNK_SIZE : TASK_CHUNK_INITIAL;
	struct task **chunks = cx_realloc(w->chunks,
					  (w->nchunks + 1) * sizeof(*chunks));
	if (!chunks)
		return -ENOMEM;
	w->chunks = chunks;
	chunks[w->nchunks] = cx_calloc(size, sizeof(struct task));
	if (!chunks[w->nchunks])
		return -ENOMEM;
	if (!w->nchunks)
		w->chunk0_size = size;
	w->nchunks++;
	return 0;
}

/* Makes sure slot_take() will succeed: 0, 1 when the tasks moved, or
 * -ENOMEM. */
static inline int slot_reserve(struct contid_world *w)
{
	if (w->free_slots != NO_TASK || w->slots_used + 1 < slot_capacity(w))
		return 0;
	return slot_grow(w);
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

int tree_reserve(struct contid_world *w, uint32_t pid)
{
	int r = pid_reserve(w, pid);
	return r < 0 ? r : slot_reserve(w);
}

/* ---------------------------------------------------------------- names */

static struct contid_name *name_new(const char *text, size_t len)
{
	struct contid_name *name = cx_malloc(sizeof(*name) + len + 1);

	if (!name)
		return NULL;
	name->refs = 1;
	name->len = (uint32_t)len;
	memcpy(name->text, text, len);
	name->text[len] = '\0';
	return name;
}

static void name_put(struct contid_name *name)
{
	if (name && --name->refs == 0)
		cx_free(name);
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

	struct contid_name *name = name_new(init_name, sizeof(init_name) - 1);
	if (!name)
		return -ENOMEM;

	uint32_t slot = slot_take(w);
	struct task *init = task_at(w, slot);
	init->identity = w->next_identity++;
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
		for (uint32_t i = 0; i < chunk_size(w, c); i++)
			name_put(w->chunks[c][i].name);
	for (uint32_t c = 0; c < w->nchunks; c++)
		cx_free(w->chunks[c]);
	cx_free(w->chunks);
	cx_free(w->pid_slot);
	cx_free(w->pid_bitmap);
}

/* Gives every used slot of @c its own copy of its name, sharing a copy
 * among the tasks that shared one (as forks mostly do, neighbours). */
static int names_clone(struct contid_world *c)
{
	struct contid_name *from = NULL, *to = NULL;

	for (uint32_t slot = 1; slot <= c->slots_used; slot++) {
		struct task *t = task_at(c, slot);
		if (!t->name)
			continue;
		if (t->name != from) {
			struct contid_name *copy = name_new(t->name->text,
							    t->name->len);
			if (!copy) {
				/* the rest still point into the original */
				for (; slot <= c->slots_used; slot++)
					task_at(c, slot)->name = NULL;
				return -ENOMEM;
			}
			from = t->name;
			to = copy;
		} else {
			to->refs++;
		}
		t->name = to;
	}
	return 0;
}

int tree_clone(struct contid_world *c, const struct contid_world *w)
{
	c->pid_slot = cx_malloc(w->pid_capacity * sizeof(*c->pid_slot));
	if (!c->pid_slot)
		return -ENOMEM;
	c->pid_bitmap = cx_malloc(w->pid_capacity / 64 * sizeof(*c->pid_bitmap));
	if (!c->pid_bitmap)
		return -ENOMEM;
	memcpy(c->pid_slot, w->pid_slot, w->pid_capacity * sizeof(*c->pid_slot));
	memcpy(c->pid_bitmap, w->pid_bitmap,
	       w->pid_capacity / 64 * sizeof(*c->pid_bitmap));
	c->pid_capacity = w->pid_capacity;

	c->chunks = cx_malloc(w->nchunks * sizeof(*c->chunks));
	if (!c->chunks)
		return -ENOMEM;
	c->chunk0_size = w->chunk0_size;
	for (uint32_t i = 0; i < w->nchunks; i++) {
		size_t bytes = chunk_size(w, i) * sizeof(struct task);
		c->chunks[i] = cx_malloc(bytes);
		if (!c->chunks[i]) {
			/* the names copied so far are @w's, not @c's */
			for (uint32_t slot = 1; slot < slot_capacity(c); slot++)
				task_at(c, slot)->name = NULL;
			return -ENOMEM;
		}
		memcpy(c->chunks[i], w->chunks[i], bytes);
		c->nchunks = i + 1;
	}
	return names_clone(c);
}

/* ------------------------------------------------------------- copy */

void tree_copy_abort(struct name_copy *nc)
{
	for (size_t i = 0; i < nc->map.n; i++)
		if (nc->fresh[i])
			name_put(nc->map.to[i]);
	nc->map.n = 0;
}

/* A name of @dst with the text of @name, or NULL. */
static struct contid_name *name_like(struct contid_world *dst,
				     const struct contid_name *name)
{
	const struct contid_name *prev = NULL;

	for (uint32_t slot = 1; slot <= dst->slots_used; slot++) {
		struct contid_name *m = task_at(dst, slot)->name;
		if (!m || m == prev)
			continue;
		if (m->len == name->len && memcmp(m->text, name->text, m->len) == 0)
			return m;
		prev = m;
	}
	return NULL;
}

int tree_copy_prepare(struct name_copy *nc, struct contid_world *dst,
		      const struct contid_world *src)
{
	const struct contid_name *prev = NULL;

	nc->map.n = 0;
	if (dst->nchunks != src->nchunks || dst->chunk0_size != src->chunk0_size ||
	    dst->pid_capacity != src->pid_capacity)
		return -E2BIG;
	for (uint32_t slot = 1; slot <= src->slots_used; slot++) {
		const struct contid_name *name = task_at(src, slot)->name;
		size_t i = 0;
		if (!name || name == prev)
			continue;
		prev = name;
		while (i < nc->map.n && nc->map.from[i] != name)
			i++;
		if (i < nc->map.n)
			continue;
		if (i == COPY_FEW_NAMES) {
			tree_copy_abort(nc);
			return -E2BIG;
		}
		struct contid_name *to = name_like(dst, name);
		nc->fresh[i] = !to;
		if (!to && !(to = name_new(name->text, name->len))) {
			tree_copy_abort(nc);
			return -ENOMEM;
		}
		nc->map.from[i] = name;
		nc->map.to[i] = to;
		nc->map.n++;
	}
	return 0;
}

void tree_copy_commit(struct contid_world *dst, const struct contid_world *src,
		      struct name_copy *nc)
{
	/* @dst's names go, but those that serve again, which are pinned
	 * meanwhile and then counted anew (by tree_copy_remap()) */
	for (size_t i = 0; i < nc->map.n; i++)
		if (!nc->fresh[i])
			((struct contid_name *)nc->map.to[i])->refs++;
	for (uint32_t slot = 1; slot <= dst->slots_used; slot++)
		name_put(task_at(dst, slot)->name);
	for (size_t i = 0; i < nc->map.n; i++)
		((struct contid_name *)nc->map.to[i])->refs = 0;

	/* the slots @src has used, then zeros over those only @dst used */
	for (uint32_t c = 0; c < src->nchunks; c++) {
		int64_t lo = (int64_t)c << TASK_CHUNK_SHIFT;
		int64_t size = chunk_size(src, c);
		int64_t ncopy = (int64_t)src->slots_used + 1 - lo;
		int64_t nzero = (int64_t)dst->slots_used + 1 - lo;
		ncopy = ncopy < 0 ? 0 : ncopy > size ? size : ncopy;
		nzero = nzero < ncopy ? ncopy : nzero > size ? size : nzero;
		memcpy(dst->chunks[c], src->chunks[c],
		       (size_t)ncopy * sizeof(struct task));
		if (nzero > ncopy)
			memset(dst->chunks[c] + ncopy, 0,
			       (size_t)(nzero - ncopy) * sizeof(struct task));
	}
	/* the pid table; its bitmap a word at a time (a small world's is
	 * one word: no call) */
	memcpy(dst->pid_slot, src->pid_slot,
	       src->pid_capacity * sizeof(*dst->pid_slot));
	for (uint32_t i = 0; i < src->pid_capacity / 64; i++)
		dst->pid_bitmap[i] = src->pid_bitmap[i];
}

void tree_copy_remap(struct contid_world *dst, const struct contid_world *src,
		     struct name_copy *nc, const struct copy_map *objs,
		     const struct copy_map *users, const struct copy_map *nets)
{
	/* neighbours mostly share their name, namespaces and ID */
	const void *nfrom = NULL, *ofrom = NULL, *ufrom = NULL, *tfrom = NULL;
	void *nto = NULL, *oto = NULL, *uto = NULL, *tto = NULL;

	for (uint32_t slot = 1; slot <= src->slots_used; slot++) {
		struct task *t = task_at(dst, slot);
		if (t->state == TASK_FREE)
			continue;
		if (t->name != nfrom) {
			nfrom = t->name;
			nto = copy_map_to(&nc->map, nfrom);
		}
		t->name = nto;
		t->name->refs++;
		if (t->obj && t->obj != ofrom) {
			ofrom = t->obj;
			oto = copy_map_to(objs, ofrom);
		}
		if (t->obj)
			t->obj = oto;
		if (t->userns != ufrom) {
			ufrom = t->userns;
			uto = copy_map_to(users, ufrom);
		}
		t->userns = uto;
		if (t->netns != tfrom) {
			tfrom = t->netns;
			tto = copy_map_to(nets, tfrom);
		}
		t->netns = tto;
	}
	nc->map.n = 0;
}

/* ------------------------------------------------- fork, exit, reap */

struct task *tree_fork(struct contid_world *w, uint32_t pid,
		       const struct task *caller, unsigned flags)
{
	uint32_t slot = slot_take(w);
	struct task *child = task_at(w, slot);
	struct task *proc = proc_of(w, caller);

	child->identity = w->next_identity++;
	child->pid = pid;
	child->uid = caller->uid;
	child->state = TASK_RUNNING;
	child->name = caller->name;
	child->name->refs++;
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
	return child;
}

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

void tree_reparent_children(struct contid_world *w, struct task *proc)
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

void tree_task_gone(struct contid_world *w, struct task *t)
{
	uint32_t slot = slot_of(w, t);

	if (t->leader == slot)
		child_unlink(w, t);
	pid_detach(w, t->pid);
	name_put(t->name);
	memset(t, 0, sizeof(*t));
	t->state = TASK_FREE;
	t->next_sibling = w->free_slots;
	w->free_slots = slot;
	w->nr_tasks--;
}

CONTID_EXPORT int contid_set_subreaper(struct contid_world *w, pid_t pid)
{
	int r = world_may_change(w);
	if (r < 0)
		return r;
	op_begin(w);
	struct task *t = running_task(w, pid);
	if (!t)
		return op_end(w, refuse(w, &refusal_not_running));
	proc_of(w, t)->subreaper = 1;
	return op_end(w, 0);
}

CONTID_EXPORT int contid_task_set_name(struct contid_world *w, pid_t pid,
				       const char *text)
{
	if (!text)
		return -EINVAL;
	int r = world_may_change(w);
	if (r < 0)
		return r;
	size_t len = strnlen(text, 256);
	if (len == 0 || len > 255)
		return -EINVAL;
	struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	struct contid_name *name = name_new(text, len);
	if (!name)
		return -ENOMEM;
	name_put(t->name);
	t->name = name;
	return 0;
}

/* ---------------------------------------------------------- inspection */

CONTID_EXPORT int contid_task_state(const struct contid_world *w, pid_t pid,
				    int *state)
{
	if (!w || !state)
		return -EINVAL;
	const struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	*state = t->state == TASK_RUNNING ? CONTID_TASK_RUNNING : CONTID_TASK_ZOMBIE;
	return 0;
}

CONTID_EXPORT int contid_task_identity(const struct contid_world *w, pid_t pid,
				       uint64_t *identity)
{
	if (!w || !identity)
		return -EINVAL;
	const struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	*identity = t->identity;
	return 0;
}

CONTID_EXPORT int contid_task_tgid(const struct contid_world *w, pid_t pid,
				   pid_t *tgid)
{
	if (!w || !tgid)
		return -EINVAL;
	const struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	*tgid = (pid_t)proc_of(w, t)->pid;
	return 0;
}

CONTID_EXPORT int contid_task_ppid(const struct contid_world *w, pid_t pid,
				   pid_t *ppid)
{
	if (!w || !ppid)
		return -EINVAL;
	const struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	const struct task *proc = proc_of(w, t);
	*ppid = proc->parent != NO_TASK ? (pid_t)task_at(w, proc->parent)->pid : 0;
	return 0;
}

CONTID_EXPORT int contid_task_uid(const struct contid_world *w, pid_t pid,
				  uint32_t *uid)
{
	if (!w || !uid)
		return -EINVAL;
	const struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	*uid = t->uid;
	return 0;
}

CONTID_EXPORT int contid_task_subreaper(const struct contid_world *w, pid_t pid,
					int *is)
{
	if (!w || !is)
		return -EINVAL;
	const struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	*is = proc_of(w, t)->subreaper;
	return 0;
}

CONTID_EXPORT int contid_task_capcontid(const struct contid_world *w, pid_t pid,
					uint32_t *value)
{
	if (!w || !value)
		return -EINVAL;
	const struct task *t = task_by_pid(w, pid);
	if (!t)
		return -ESRCH;
	*value = t->capcontid;
	return 0;
}

CONTID_EXPORT int contid_task_is_descendant(const struct contid_world *w,
					    pid_t a, pid_t b, int *is)
{
	if (!w || !is)
		return -EINVAL;
	const struct task *ta = task_by_pid(w, a);
	const struct task *tb = task_by_pid(w, b);
	if (!ta || !tb)
		return -ESRCH;
	const struct task *pa = proc_of(w, ta), *pb = proc_of(w, tb);
	*is = pa != pb && proc_is_descendant(w, pa, pb);
	return 0;
}

CONTID_EXPORT size_t contid_task_count(const struct contid_world *w)
{
	return w ? w->nr_tasks : 0;
}

CONTID_EXPORT int contid_task_next(const struct contid_world *w, pid_t after,
				   pid_t *next)
{
	if (!w || !next || after < 0)
		return -EINVAL;
	for (uint32_t pid = (uint32_t)after + 1; pid < w->pid_capacity; pid++) {
		uint64_t word = w->pid_bitmap[pid / 64] >> (pid % 64);
		if (!word) {
			pid |= 63; /* skip the rest of an empty word */
			continue;
		}
		pid += (uint32_t)__builtin_ctzll(word);
		*next = (pid_t)pid;
		return 0;
	}
	return -ENOENT;
}
