/*
 * The invariants of docs/semantics.md section 10, checked by walking the
 * whole world.  This is the one place that scans everything: it is a test
 * aid, never called by an operation.
 *
 * Where it sits: above the tree, the ID objects, the namespaces and the
 * rule book, which it reads; nothing calls it but the API.
 *
 * The world is only read.  What the walk counts (the references found to
 * each namespace and object, the member tasks found for each list entry)
 * goes into a table of its own, freed before it returns; that memory is
 * not the world's, so it is taken from libc directly, outside failure
 * injection, like contid_world_dump()'s.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "contid-export.h"
#include "contid-id.h"
#include "contid-ns.h"
#include "contid-rules.h"
#include "contid-tree.h"
#include "contid-uthash.h"

/* ---------------------------------------------------------------- tally */

/* What the walk found for one namespace, object or list entry. */
struct count {
	const void *key;
	uint32_t refs;       /* namespace: 1 (live) + references found;
				object: tasks found; entry: member tasks found */
	uint32_t children;   /* object: nested objects found */
};

/* Open addressing, sized once for every live thing before the walk. */
struct tally {
	struct count *slots;
	size_t mask;
};

static int tally_init(struct tally *t, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	t->slots = calloc(cap, sizeof(*t->slots));
	t->mask = cap - 1;
	return t->slots ? 0 : -ENOMEM;
}

static struct count *tally_slot(const struct tally *t, const void *key)
{
	size_t i = cx_hash_key(&key, sizeof(key)) & t->mask;

	while (t->slots[i].key && t->slots[i].key != key)
		i = (i + 1) & t->mask;
	return &t->slots[i];
}

/* Only while filling: never more keys than tally_init() was told. */
static struct count *tally_add(struct tally *t, const void *key)
{
	struct count *c = tally_slot(t, key);

	c->key = key;
	return c;
}

/* The count of a thing tally_fill() added. */
static struct count *tally_of(const struct tally *t, const void *key)
{
	return tally_slot(t, key);
}

/* The count of a live thing, or NULL for anything else. */
static struct count *tally_find(const struct tally *t, const void *key)
{
	struct count *c = tally_slot(t, key);

	return c->key ? c : NULL;
}

/* -------------------------------------------------------------- checker */

struct checker {
	const struct contid_world *w;
	char *msg;
	size_t size;
	struct tally tally;
};

__attribute__((format(printf, 3, 4)))
static int broken(struct checker *c, const char *invariant, const char *fmt, ...)
{
	va_list ap;

	if (c->size) {
		int n = snprintf(c->msg, c->size, "%s: ", invariant);
		if (n >= 0 && (size_t)n < c->size) {
			va_start(ap, fmt);
			vsnprintf(c->msg + n, c->size - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return -EUCLEAN;
}

static bool obj_is_live(const struct contid_world *w, const struct contid_obj *obj)
{
	return obj_find(w, obj->value) == obj;
}

/* Every namespace, object and list entry of the world, counted at 0 (a
 * namespace at 1: it is live). */
static int tally_fill(struct checker *c)
{
	const struct contid_world *w = c->w;
	size_t n = 0;

	for (const struct userns *ns = w->userns_live; ns; ns = ns->next_live)
		n++;
	for (const struct netns *ns = w->netns_live; ns; ns = ns->next_live)
		n++;
	n += 2 * HASH_COUNT(w->objs) + HASH_COUNT(w->netns_extras);
	if (tally_init(&c->tally, n) < 0)
		return -ENOMEM;

	for (const struct userns *ns = w->userns_live; ns; ns = ns->next_live)
		tally_add(&c->tally, ns)->refs = 1;
	for (const struct netns *ns = w->netns_live; ns; ns = ns->next_live)
		tally_add(&c->tally, ns)->refs = 1;
	const struct contid_obj *obj, *otmp;
	HASH_ITER(hh, w->objs, obj, otmp) {
		tally_add(&c->tally, obj);
		tally_add(&c->tally, &obj->home);
	}
	const struct netns_extra *x, *xtmp;
	HASH_ITER(hh, w->netns_extras, x, xtmp)
		tally_add(&c->tally, &x->e);
	return 0;
}

static int check_namespaces_marked(struct checker *c)
{
	const struct contid_world *w = c->w;

	for (const struct userns *ns = w->userns_live; ns; ns = ns->next_live) {
		if (!ns->parent) {
			if (ns != w->init_userns || ns->level != 0)
				return broken(c, "INV-USERNS-LEVEL",
					      "a user namespace other than the initial one has no parent");
			tally_of(&c->tally, ns)->refs++; /* the world's own reference */
			continue;
		}
		struct count *parent = tally_find(&c->tally, ns->parent);
		if (!parent)
			return broken(c, "INV-TASK-LINKS", "a user namespace's parent is not live");
		if (ns->level != ns->parent->level + 1)
			return broken(c, "INV-USERNS-LEVEL",
				      "user namespace level %u below a level %u parent",
				      ns->level, ns->parent->level);
		parent->refs++;
	}
	for (const struct netns *ns = w->netns_live; ns; ns = ns->next_live) {
		struct count *owner = tally_find(&c->tally, ns->owner);
		if (!owner)
			return broken(c, "INV-TASK-LINKS",
				      "a network namespace's owner is not live");
		owner->refs++;
		if (ns == w->init_netns)
			tally_of(&c->tally, ns)->refs++;
	}
	return 0;
}

static int check_task(struct checker *c, uint32_t slot, const struct task *t)
{
	const struct contid_world *w = c->w;

	if (t->pid == 0 || t->pid >= w->pid_capacity || w->pid_slot[t->pid] != slot)
		return broken(c, "INV-TASK-LINKS", "task in slot %u has pid %u not mapped to it",
			      slot, t->pid);
	if (t->leader == NO_TASK || t->leader > w->slots_used)
		return broken(c, "INV-TASK-LINKS", "task %u has no process", t->pid);
	const struct task *proc = task_at(w, t->leader);
	if (proc->state == TASK_FREE || proc->leader != t->leader)
		return broken(c, "INV-TASK-LINKS", "the process of task %u is not live", t->pid);
	if (t == proc && slot != w->init_slot) {
		if (t->parent == NO_TASK || t->parent > w->slots_used)
			return broken(c, "INV-TASK-LINKS", "process %u has no parent", t->pid);
		const struct task *parent = task_at(w, t->parent);
		if (parent->state == TASK_FREE || parent->leader != t->parent ||
		    parent->nr_running == 0)
			return broken(c, "INV-TASK-LINKS",
				      "the parent of process %u is not a running process", t->pid);
	}
	struct count *userns = tally_find(&c->tally, t->userns);
	struct count *netns = tally_find(&c->tally, t->netns);
	if (!userns || !netns)
		return broken(c, "INV-TASK-LINKS", "a namespace of task %u is not live", t->pid);
	userns->refs++;
	netns->refs++;
	if (t->state == TASK_ZOMBIE && (t != proc || t->obj || t->capcontid))
		return broken(c, "INV-TASK-LINKS",
			      "zombie %u is not a leader without audit state", t->pid);
	if (t->obj) {
		if (!obj_is_live(w, t->obj))
			return broken(c, "INV-REACHABLE",
				      "task %u holds a freed ID object", t->pid);
		tally_of(&c->tally, t->obj)->refs++;
	}
	return 0;
}

/*
 * The back links also stop a list that loops: a task met twice would need
 * the same predecessor twice, and so back to the first, whose predecessor
 * is none.
 */
static int check_child_list(struct checker *c, uint32_t slot, const struct task *proc,
			    uint32_t *children)
{
	uint32_t prev = NO_TASK;

	for (uint32_t ch = proc->first_child; ch != NO_TASK;
	     ch = task_at(c->w, ch)->next_sibling) {
		const struct task *child = task_at(c->w, ch);
		if (child->state == TASK_FREE || child->parent != slot ||
		    child->prev_sibling != prev)
			return broken(c, "INV-TASK-LINKS",
				      "the child list of process %u is inconsistent", proc->pid);
		++*children;
		prev = ch;
	}
	return 0;
}

static int check_tasks(struct checker *c)
{
	const struct contid_world *w = c->w;
	uint32_t tasks = 0, processes = 0, children = 0;

	for (uint32_t slot = 1; slot <= w->slots_used; slot++) {
		const struct task *t = task_at(w, slot);
		if (t->state == TASK_FREE)
			continue;
		tasks++;
		int r = check_task(c, slot, t);
		if (r < 0)
			return r;
		if (t->leader == slot) {
			processes++;
			r = check_child_list(c, slot, t, &children);
			if (r < 0)
				return r;
		}
	}
	if (tasks != w->nr_tasks)
		return broken(c, "INV-TASK-LINKS", "%u tasks counted, %u recorded",
			      tasks, w->nr_tasks);
	if (children + 1 != processes)
		return broken(c, "INV-TASK-LINKS",
			      "%u processes but %u of them are someone's child",
			      processes, children);
	return 0;
}

static int check_objects(struct checker *c)
{
	const struct contid_world *w = c->w;
	const struct contid_obj *obj, *tmp;
	size_t count = HASH_COUNT(w->objs);

	HASH_ITER(hh, w->objs, obj, tmp) {
		size_t steps = 0;
		for (const struct contid_obj *p = obj->parent; p; p = p->parent) {
			if (++steps > count)
				return broken(c, "INV-ACYCLIC",
					      "the parent chain of %llu loops",
					      (unsigned long long)obj->value);
			if (!obj_is_live(w, p))
				return broken(c, "INV-REACHABLE",
					      "ID %llu names a freed parent",
					      (unsigned long long)obj->value);
		}
		if (obj->parent)
			tally_of(&c->tally, obj->parent)->children++;
	}
	HASH_ITER(hh, w->objs, obj, tmp) {
		if (obj_find(w, obj->value) != obj)
			return broken(c, "INV-UNIQUE", "two objects hold %llu",
				      (unsigned long long)obj->value);
		const struct count *found = tally_of(&c->tally, obj);
		if (found->refs != obj->task_refs || found->children != obj->child_refs)
			return broken(c, "INV-REFCOUNT",
				      "ID %llu counts %u task and %u nested references, "
				      "but %u tasks and %u objects refer to it",
				      (unsigned long long)obj->value, obj->task_refs,
				      obj->child_refs, found->refs, found->children);
		if (obj->leaked_refs && !w->profile->leak_parent)
			return broken(c, "INV-REFCOUNT",
				      "ID %llu keeps %u references of freed nested IDs",
				      (unsigned long long)obj->value, obj->leaked_refs);
		/* v11-posted's documented leak keeps an outer ID alive with
		 * nothing referring to it, and the signal pin any ID (section
		 * 6a); everywhere else that is a bug */
		if (obj->task_refs + obj->child_refs == 0 && !obj->leaked_refs &&
		    obj != w->pinned)
			return broken(c, "INV-REACHABLE", "ID %llu is referenced by nothing",
				      (unsigned long long)obj->value);
	}
	return 0;
}

/* Section 6a: the pin names a live object, where the profile pins at all;
 * the daemon is a process that runs. */
static int check_signal_state(struct checker *c)
{
	const struct contid_world *w = c->w;

	if (w->pinned && !obj_is_live(w, w->pinned))
		return broken(c, "INV-REACHABLE", "the signal pin holds a freed ID object");
	if (w->pinned && !w->profile->pin_signaller)
		return broken(c, "INV-REACHABLE", "ID %llu is pinned, but profile %s pins nothing",
			      (unsigned long long)w->pinned->value, w->profile->name);
	if (w->auditd_slot == NO_TASK)
		return 0;
	const struct task *d = w->auditd_slot <= w->slots_used
			       ? task_at(w, w->auditd_slot) : NULL;
	if (!d || d->state == TASK_FREE || d->leader != w->auditd_slot ||
	    d->nr_running == 0)
		return broken(c, "INV-TASK-LINKS", "the audit daemon is not a running process");
	return 0;
}

static int check_namespace_counts(struct checker *c)
{
	for (const struct userns *ns = c->w->userns_live; ns; ns = ns->next_live) {
		uint32_t found = tally_of(&c->tally, ns)->refs - 1;
		if (found != ns->refs)
			return broken(c, "INV-TASK-LINKS",
				      "a level %u user namespace counts %u references, has %u",
				      ns->level, ns->refs, found);
	}
	for (const struct netns *ns = c->w->netns_live; ns; ns = ns->next_live) {
		uint32_t found = tally_of(&c->tally, ns)->refs - 1;
		if (found != ns->refs)
			return broken(c, "INV-TASK-LINKS",
				      "a network namespace counts %u references, has %u",
				      ns->refs, found);
	}
	return 0;
}

static int check_netns_lists(struct checker *c)
{
	const struct contid_world *w = c->w;

	for (uint32_t slot = 1; slot <= w->slots_used; slot++) {
		const struct task *t = task_at(w, slot);
		if (t->state != TASK_RUNNING || !t->obj)
			continue;
		const struct netns_entry *e = idlist_find(w, &t->netns->ids, t->obj);
		if (!e)
			return broken(c, "INV-NETNS-LIST",
				      "task %u holds %llu, missing from its network namespace",
				      t->pid, (unsigned long long)t->obj->value);
		tally_of(&c->tally, e)->refs++;
	}
	size_t extras = 0;
	for (const struct netns *ns = w->netns_live; ns; ns = ns->next_live) {
		size_t listed = 0;
		for (const struct netns_entry *e = ns->ids.front; e; e = e->front_next) {
			if (++listed > ns->ids.nentries)
				return broken(c, "INV-NETNS-LIST", "a namespace list loops");
			if (e->list != &ns->ids)
				return broken(c, "INV-NETNS-LIST",
					      "a namespace lists another's entry");
			if (e != &e->obj->home)
				extras++;
			const struct count *found = tally_find(&c->tally, e);
			uint32_t members = found ? found->refs : 0;
			if (e->count == 0 || e->count != members)
				return broken(c, "INV-NETNS-LIST",
					      "ID %llu counted %u times, held by %u member tasks",
					      (unsigned long long)e->obj->value, e->count,
					      members);
			if (!obj_is_live(w, e->obj))
				return broken(c, "INV-REACHABLE",
					      "a network namespace lists a freed ID");
		}
		if (listed != ns->ids.nentries)
			return broken(c, "INV-NETNS-LIST",
				      "a network namespace indexes IDs it does not list");
	}
	if (extras != HASH_COUNT(w->netns_extras))
		return broken(c, "INV-NETNS-LIST",
			      "the world indexes %u further entries, its lists hold %zu",
			      (unsigned)HASH_COUNT(w->netns_extras), extras);
	return 0;
}

CONTID_EXPORT int contid_world_check(const struct contid_world *w, char *msg,
				     size_t size)
{
	struct checker c = { .w = w, .msg = msg, .size = size };

	if (!w || (!msg && size))
		return -EINVAL;
	if (c.size)
		msg[0] = '\0';
	int r = tally_fill(&c);
	if (r == 0)
		r = check_namespaces_marked(&c);
	if (r == 0)
		r = check_tasks(&c);
	if (r == 0)
		r = check_signal_state(&c);
	if (r == 0)
		r = check_objects(&c);
	if (r == 0)
		r = check_namespace_counts(&c);
	if (r == 0)
		r = check_netns_lists(&c);
	free(c.tally.slots);
	return r;
}
