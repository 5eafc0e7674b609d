/*
 * The digest: a 128-bit fingerprint of what a world will answer from now
 * on (docs/semantics.md section 11, choice (o)), for an explorer that
 * must recognise a state it has seen before by another path.
 *
 * Where it sits: above the tree, the ID objects, the namespaces and the
 * rule book, which it reads; nothing calls it but the API.
 *
 * What it reads is the canonical state: the settings, and the tasks in
 * pid order with what each holds.  What it leaves out is what no later
 * answer depends on: the audit clock (but for whether it has started),
 * event serials, task identities, namespace numbers and the order of the
 * live lists, slots, capacities and buffers, the order of the ID table
 * (contid_id_list()'s order is unspecified) and of child lists.  Where
 * the world keeps such a number as a link, the digest follows the link
 * instead: a namespace is numbered by when the walk first meets it, an
 * ID's owner is its pid while it exists (the identity check of
 * obj_owner_process()), else "gone".
 *
 * It is no cryptographic hash: two lanes of 64 bits, each word mixed in
 * with its own round and both finalized together, good against accidental
 * collisions only.
 */
#include <stdlib.h>
#include <string.h>

#include "contid-export.h"
#include "contid-id.h"
#include "contid-ns.h"
#include "contid-rules.h"
#include "contid-tree.h"

struct digest {
	uint64_t a, b;
};

/* murmur3's and splitmix64's finalizers: bijections that spread bits,
 * for the end; each word goes in with a cheaper multiply-rotate round,
 * each lane with its own constants (as xxHash's lanes). */
static uint64_t mix_a(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

static uint64_t mix_b(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

static uint64_t rotl(uint64_t x, unsigned r)
{
	return x << r | x >> (64 - r);
}

static void feed(struct digest *d, uint64_t x)
{
	d->a = rotl(d->a + x * UINT64_C(0xc2b2ae3d27d4eb4f), 31) *
	       UINT64_C(0x9e3779b185ebca87);
	d->b = rotl(d->b ^ (x * UINT64_C(0x165667b19e3779f9)), 27) *
	       UINT64_C(0x85ebca77c2b2ae63) + UINT64_C(0x27d4eb2f165667c5);
}

static void feed_bytes(struct digest *d, const char *s, size_t len)
{
	feed(d, len);
	for (size_t i = 0; i < len; i += 8) {
		uint64_t x = 0;
		memcpy(&x, s + i, len - i < 8 ? len - i : 8);
		feed(d, x);
	}
}

/* Section tags, so that no two sections can be read as each other. */
enum {
	TAG_WORLD = 0x57, TAG_USERNS, TAG_NETNS, TAG_TASK, TAG_PROC, TAG_IDS,
	TAG_ID,
};

#define NO_LABEL UINT64_MAX

/*
 * The live namespaces of one kind, sorted by address, with the label the
 * walk gave each (NO_LABEL until met).  Small worlds use the arrays in the
 * struct; larger ones an allocation (scratch memory, not the world's).
 */
#define FEW_NS 32

struct ns_labels {
	const void **ns;
	uint64_t *label;
	size_t n;
	uint64_t next;
	const void *few_ns[FEW_NS];
	uint64_t few_label[FEW_NS];
};

static int ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void *const *)a;
	uintptr_t y = (uintptr_t)*(const void *const *)b;

	return (x > y) - (x < y);
}

static int labels_init(struct ns_labels *l, size_t n)
{
	l->n = 0;
	l->next = 0;
	l->ns = l->few_ns;
	l->label = l->few_label;
	if (n > FEW_NS) {
		l->ns = malloc(n * sizeof(*l->ns));
		l->label = malloc(n * sizeof(*l->label));
		if (!l->ns || !l->label)
			return -ENOMEM;
	}
	return 0;
}

static void labels_free(struct ns_labels *l)
{
	if (l->ns != l->few_ns)
		free(l->ns);
	if (l->label != l->few_label)
		free(l->label);
}

static void labels_sort(struct ns_labels *l)
{
	qsort(l->ns, l->n, sizeof(*l->ns), ptr_cmp);
	for (size_t i = 0; i < l->n; i++)
		l->label[i] = NO_LABEL;
}

/* Where @ns is in @l: every namespace a task reaches is live. */
static size_t labels_find(const struct ns_labels *l, const void *ns)
{
	size_t lo = 0, hi = l->n;

	while (lo + 1 < hi) {
		size_t mid = (lo + hi) / 2;
		if ((uintptr_t)l->ns[mid] <= (uintptr_t)ns)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

struct walk {
	struct digest d;
	struct ns_labels users, nets;
};

/* A user namespace's label; the first time, its parent's and then what
 * it is (owner, level) go into the digest. */
static uint64_t visit_userns(struct walk *k, const struct userns *ns)
{
	size_t i = labels_find(&k->users, ns);

	if (k->users.label[i] != NO_LABEL)
		return k->users.label[i];
	uint64_t parent = ns->parent ? visit_userns(k, ns->parent) : NO_LABEL;
	uint64_t label = k->users.next++;
	k->users.label[i] = label;
	feed(&k->d, TAG_USERNS);
	feed(&k->d, label);
	feed(&k->d, parent);
	feed(&k->d, ns->owner_uid);
	feed(&k->d, ns->level);
	return label;
}

/* A network namespace's label; the first time, its owner's and then its
 * ID list, front first (contid_task_netns_ids() shows the order). */
static uint64_t visit_netns(struct walk *k, const struct netns *ns)
{
	size_t i = labels_find(&k->nets, ns);

	if (k->nets.label[i] != NO_LABEL)
		return k->nets.label[i];
	uint64_t owner = visit_userns(k, ns->owner);
	uint64_t label = k->nets.next++;
	k->nets.label[i] = label;
	feed(&k->d, TAG_NETNS);
	feed(&k->d, label);
	feed(&k->d, owner);
	feed(&k->d, ns->ids.nentries);
	for (const struct netns_entry *e = ns->ids.front; e; e = e->front_next) {
		feed(&k->d, e->obj->value);
		feed(&k->d, e->count);
	}
	return label;
}

static void digest_task(struct walk *k, const struct contid_world *w,
			const struct task *t)
{
	const struct task *proc = proc_of(w, t);

	/* Small fields go in two to a word (pids, uids, labels and counts
	 * fit 32 bits), so that a task costs 9 rounds, not 20. */
	uint64_t userns = visit_userns(k, t->userns);
	uint64_t netns = visit_netns(k, t->netns);

	feed(&k->d, (uint64_t)TAG_TASK << 16 | (uint64_t)t->state << 8 |
		    t->audit_released);
	feed(&k->d, (uint64_t)t->pid << 32 | proc->pid);
	feed(&k->d, (uint64_t)t->uid << 32 | t->capcontid);
	feed(&k->d, t->caps);
	feed(&k->d, userns << 32 | (uint32_t)netns);
	feed(&k->d, t->obj ? t->obj->value : CONTID_UNSET);
	feed_bytes(&k->d, t->name->text, t->name->len);
	if (t == proc) {
		/* the children are known from their parent field */
		uint64_t ppid = proc->parent != NO_TASK
				? task_at(w, proc->parent)->pid : 0;
		feed(&k->d, (uint64_t)TAG_PROC << 40 | ppid << 8 | proc->subreaper);
		feed(&k->d, (uint64_t)proc->nr_live << 32 | proc->nr_running);
	}
}

/* An ID's owner task, by pid while it exists (as contid_id_owner()). */
static uint64_t owner_task_pid(const struct contid_world *w,
			       const struct contid_obj *obj)
{
	const struct task *owner = task_at(w, obj->owner_slot);

	return owner->state != TASK_FREE && owner->identity == obj->owner_identity
	       ? owner->pid : 0;
}

/*
 * The ID objects, as a set: each is digested alone and the results are
 * added up, so that the table's order does not count.
 */
static void digest_ids(struct walk *k, const struct contid_world *w)
{
	const struct contid_obj *obj, *tmp;
	uint64_t sum_a = 0, sum_b = 0, n = 0;

	HASH_ITER(hh, w->objs, obj, tmp) {
		struct digest one = { TAG_ID, TAG_ID };
		const struct task *oproc = obj_owner_process(w, obj);

		feed(&one, obj->value);
		feed(&one, obj->owner_identity != 0);  /* shared values have none */
		feed(&one, obj->owner_identity ? owner_task_pid(w, obj) : 0);
		feed(&one, oproc ? oproc->pid : 0);
		feed(&one, obj->parent ? obj->parent->value : CONTID_UNSET);
		feed(&one, obj->task_refs);
		feed(&one, obj->child_refs);
		feed(&one, obj->leaked_refs);
		feed(&one, obj->chain_len);
		sum_a += mix_a(one.a ^ mix_b(one.b));
		sum_b += mix_b(one.b ^ mix_a(one.a + 1));
		n++;
	}
	feed(&k->d, TAG_IDS);
	feed(&k->d, n);
	feed(&k->d, sum_a);
	feed(&k->d, sum_b);
}

CONTID_EXPORT int contid_world_digest(const struct contid_world *w,
				      uint64_t digest[2])
{
	struct walk k;
	size_t nu = 0, nn = 0;

	if (!w || !digest)
		return -EINVAL;
	for (const struct userns *ns = w->userns_live; ns; ns = ns->next_live)
		nu++;
	for (const struct netns *ns = w->netns_live; ns; ns = ns->next_live)
		nn++;
	int r = labels_init(&k.users, nu);
	int r2 = labels_init(&k.nets, nn); /* both, so that both can be freed */
	if (r < 0 || r2 < 0) {
		r = -ENOMEM;
		goto out;
	}
	k.d.a = k.d.b = 0;
	for (const struct userns *ns = w->userns_live; ns; ns = ns->next_live)
		k.users.ns[k.users.n++] = ns;
	for (const struct netns *ns = w->netns_live; ns; ns = ns->next_live)
		k.nets.ns[k.nets.n++] = ns;
	labels_sort(&k.users);
	labels_sort(&k.nets);

	/* The settings; of the clock, only whether it has started (the
	 * profile can be chosen until it has). */
	feed(&k.d, TAG_WORLD);
	feed_bytes(&k.d, w->profile->name, strlen(w->profile->name));
	feed(&k.d, w->clock_ms > 0);
	feed(&k.d, w->audit);
	feed(&k.d, w->depth_limit);
	feed(&k.d, w->max_ids);
	feed(&k.d, w->max_tasks);
	feed(&k.d, w->pid_max);
	feed(&k.d, w->last_pid);
	feed(&k.d, w->nr_tasks);

	/* The initial user namespace is met first: the rules name it
	 * (capable()).  The initial network namespace is only held: when no
	 * task is in it, nothing can reach it, and it is left out. */
	visit_userns(&k, w->init_userns);
	pid_t pid = 0;
	while (contid_task_next(w, pid, &pid) == 0)
		digest_task(&k, w, task_by_pid(w, pid));
	digest_ids(&k, w);

	digest[0] = mix_a(k.d.a ^ mix_b(k.d.b));
	digest[1] = mix_b(k.d.b ^ mix_a(k.d.a + 1));
out:
	labels_free(&k.users);
	labels_free(&k.nets);
	return r;
}
