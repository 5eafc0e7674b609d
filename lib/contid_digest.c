/*
 * The digest: a 128-bit fingerprint of what a world will answer from now
 * on (docs/semantics.md section 11, choice (o)), for an explorer that
 * must recognise a state it has seen before by another path; and the
 * symmetric digest, which also leaves out how the live pids are numbered
 * (choice (q)).
 *
 * Where it sits: above the tree, the ID objects, the namespaces and the
 * rule book, which it reads; nothing calls it but the API (and the
 * white-box tests, through contid-digest.h).
 *
 * What it reads is the canonical state: the settings, the tasks in pid
 * order with what each holds, the ID objects and the signal state.  What
 * it leaves out is what no later answer depends on: the audit clock (but
 * for whether it has started), event serials, task identities, namespace
 * numbers and the order of the live lists, slots, capacities and buffers,
 * the order of the ID table (contid_id_list()'s order is unspecified) and
 * of child lists, and which tasks share one copy of a name.  Where the
 * world keeps such a number as a link, the digest follows the link
 * instead: a namespace (and a task name) is numbered by when the walk
 * first meets it, an ID's owner is its pid while it exists (the identity
 * check of obj_owner_process()), else "gone", and so is the signalled
 * daemon thread.  The symmetric digest
 * puts each live pid's rank among the live pids where the plain one puts
 * the pid, and leaves out the last pid handed out; the orbit digest also
 * renames the values it is given in the order the walk meets them; the
 * canonical digest walks the tasks in an order that reads no pid (choice
 * (t)) and puts each one's place in it where the symmetric one puts the
 * rank.
 *
 * The walk feeds 64-bit words to the hash; small fields go in several to
 * a word (a pid or rank is below 2^22, a count below 2^32), each record
 * starting with a word that holds its tag and flags saying which of its
 * other words follow (a field that is nearly always 0, or small values in
 * one word instead of two), so that the words read back one way only.  Small worlds, the explorer's, need no
 * allocation and no sort: their few namespaces, names and IDs are looked
 * up in short arrays.  It is no cryptographic hash (four lanes of 64 bits
 * with multiply-fold rounds, finalized together, below), good against
 * accidental collisions only.
 */
#include <stdlib.h>
#include <string.h>

#include "contid-digest.h"
#include "contid-export.h"
#include "contid-id.h"
#include "contid-ns.h"
#include "contid-rules.h"
#include "contid-tree.h"

/*
 * The words go into a buffer and are hashed a block at a time, so that
 * the hash's state stays in registers: four lanes, two pairs of them
 * taking every other pair of words.  Each lane of a pair takes both words
 * of a pair per round, one as the lane's partner in a 128-bit product,
 * the other as its multiplier (the high and low halves of the product
 * folded together), with its own constants and pairing.  A block of the
 * buffer is a multiple of four words; the last one is padded, and the
 * count of words goes into the end, where the lanes are folded into two.
 */
#define BUF_WORDS 64

struct hash {
	uint64_t a, b, c, d;
	uint64_t nwords;
	size_t nbuf;                 /* size_t: no alias of a task's uint32_t fields */
	uint64_t buf[BUF_WORDS];
};

#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 u128;

static inline uint64_t fold_mul(uint64_t x, uint64_t y)
{
	u128 p = (u128)x * y;

	return (uint64_t)p ^ (uint64_t)(p >> 64);
}
#else
/* The same product from four 32-bit ones, where there is no 128-bit type. */
static inline uint64_t fold_mul(uint64_t x, uint64_t y)
{
	uint64_t xl = (uint32_t)x, xh = x >> 32, yl = (uint32_t)y, yh = y >> 32;
	uint64_t ll = xl * yl, lh = xl * yh, hl = xh * yl, hh = xh * yh;
	uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
	uint64_t lo = (mid << 32) | (uint32_t)ll;
	uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);

	return lo ^ hi;
}
#endif

/* murmur3's and splitmix64's finalizers: bijections that spread bits,
 * for the end. */
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

static void hash_init(struct hash *h, uint64_t seed)
{
	h->a = seed ^ UINT64_C(0x243f6a8885a308d3);
	h->b = seed ^ UINT64_C(0x13198a2e03707344);
	h->c = seed ^ UINT64_C(0xc0ac29b7c97c50dd);
	h->d = seed ^ UINT64_C(0x3f84d5b5b5470917);
	h->nwords = 0;
	h->nbuf = 0;
}

/* Hashes the buffer, which holds a multiple of four words. */
static void hash_block(struct hash *h)
{
	uint64_t a = h->a, b = h->b, c = h->c, d = h->d;

	for (size_t i = 0; i < h->nbuf; i += 4) {
		uint64_t x = h->buf[i], y = h->buf[i + 1];
		uint64_t u = h->buf[i + 2], v = h->buf[i + 3];
		a = fold_mul(a ^ x ^ UINT64_C(0xa4093822299f31d0),
			     y ^ UINT64_C(0x082efa98ec4e6c89));
		b = fold_mul(b ^ y ^ UINT64_C(0x452821e638d01377),
			     x ^ UINT64_C(0xbe5466cf34e90c6c));
		c = fold_mul(c ^ u ^ UINT64_C(0x9216d5d98979fb1b),
			     v ^ UINT64_C(0xd1310ba698dfb5ac));
		d = fold_mul(d ^ v ^ UINT64_C(0x2ffd72dbd01adfb7),
			     u ^ UINT64_C(0xb8e1afed6a267e96));
	}
	h->a = a;
	h->b = b;
	h->c = c;
	h->d = d;
	h->nwords += h->nbuf;
	h->nbuf = 0;
}

static inline void feed(struct hash *h, uint64_t x)
{
	h->buf[h->nbuf++] = x;
	if (h->nbuf == BUF_WORDS)
		hash_block(h);
}


static void hash_end(struct hash *h, uint64_t out[2])
{
	uint64_t n = h->nwords + h->nbuf;

	while (h->nbuf % 4)
		h->buf[h->nbuf++] = 0;
	hash_block(h);
	/* the two pairs of lanes into one, each half of it with another
	 * lane of the second pair, so that a swap of lanes shows */
	uint64_t a = h->a ^ fold_mul(h->c ^ UINT64_C(0x7b54a41dc25a59b5), n | 1);
	uint64_t b = h->b ^ fold_mul(h->d ^ UINT64_C(0x2f3f8c2e6e5a3a1d), n + 3);
	out[0] = mix_a(a ^ mix_b(b ^ n));
	out[1] = mix_b(b ^ mix_a(a + n + 1));
}

/* Bytes read as a little-endian number, whatever the CPU's order. */
static inline uint64_t load32(const char *s)
{
	uint32_t x;

	memcpy(&x, s, sizeof(x));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap32(x);
#endif
	return x;
}

static inline uint64_t load64(const char *s)
{
	uint64_t x;

	memcpy(&x, s, sizeof(x));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	return x;
}

/* Up to 8 bytes of @s as a word, the first in the low byte: two loads
 * that may overlap (their common bytes are the same, and land on the
 * same places), or three bytes for fewer than 4. */
static inline uint64_t text_word(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n == 8)
		return load64(s);
	if (n >= 4)
		return load32(s) | load32(s + n - 4) << (8 * (n - 4));
	if (n == 0)
		return 0;
	return (uint64_t)u[0] | (uint64_t)u[n / 2] << (8 * (n / 2)) |
	       (uint64_t)u[n - 1] << (8 * (n - 1));
}

/*
 * A text: with @head (whose low 48 bits are free), its length and its
 * first four bytes, then the rest eight bytes to a word.  (A length past
 * 16 bits, which no name has, goes in a word of its own.)
 */
static void feed_text(struct hash *h, uint64_t head, const char *s, size_t len)
{
	size_t first = len < 4 ? len : 4;

	if (len >= 0xffff) {
		feed(h, head | UINT64_C(0xffff) << 32);
		feed(h, len);
		first = 0;
	} else {
		feed(h, head | (uint64_t)len << 32 | text_word(s, first));
	}
	for (size_t i = first; i < len; i += 8)
		feed(h, text_word(s + i, len - i < 8 ? len - i : 8));
}

/*
 * Record tags, in the top four bits of a record's first word; the next
 * four hold flags that say which of the record's other words follow, so
 * that the words read back one way only.
 */
enum {
	TAG_WORLD = 1, TAG_USERNS, TAG_NETNS, TAG_TASK, TAG_NAME, TAG_IDS,
	TAG_ID, TAG_SIGNAL,
};

#define TAG(t) ((uint64_t)(t) << 60)
#define FLAG(n) ((uint64_t)1 << (56 + (n)))

/* Pids and ranks are below 2^22 (CONTID_PID_MAX_LIMIT). */
#define KEY_BITS 22
_Static_assert(CONTID_PID_MAX_LIMIT <= (1u << KEY_BITS), "pids fit 22 bits");

#define NO_LABEL UINT64_MAX

/*
 * Labels of the live namespaces of one kind, by when the walk first meets
 * each.  A small world's are found in the short array of those met so
 * far, in order; when more are met than it holds, the walk starts over
 * in the large way: every live namespace, sorted by address, with the
 * label each got (NO_LABEL until met), in scratch memory (not the
 * world's).
 */
#define FEW_NS 16

struct ns_labels {
	const void **ns;
	uint64_t *label;
	size_t n;                    /* met (small) or live (large) */
	uint64_t next;
	bool large;
	const void *last;            /* the last one looked up, and its label */
	uint64_t last_label;
	const void *few_ns[FEW_NS];
};

static void labels_init_small(struct ns_labels *l)
{
	l->ns = l->few_ns;
	l->label = NULL;
	l->n = 0;
	l->next = 0;
	l->large = false;
	l->last = NULL;
}

static int ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void *const *)a;
	uintptr_t y = (uintptr_t)*(const void *const *)b;

	return (x > y) - (x < y);
}

/* The large way, for the live namespaces listed from @first through
 * their next_live links at @next_offset. */
static int labels_init_large(struct ns_labels *l, const void *first,
			     size_t next_offset)
{
	size_t n = 0;

	for (const void *ns = first; ns;
	     ns = *(const void *const *)((const char *)ns + next_offset))
		n++;
	labels_init_small(l);
	l->large = true;
	l->ns = malloc((n ? n : 1) * sizeof(*l->ns));
	l->label = malloc((n ? n : 1) * sizeof(*l->label));
	if (!l->ns || !l->label)
		return -ENOMEM;
	for (const void *ns = first; ns;
	     ns = *(const void *const *)((const char *)ns + next_offset)) {
		l->label[l->n] = NO_LABEL;
		l->ns[l->n++] = ns;
	}
	qsort(l->ns, l->n, sizeof(*l->ns), ptr_cmp);
	return 0;
}

static void labels_free(struct ns_labels *l)
{
	if (!l->large)
		return; /* nothing was allocated */
	free(l->ns);
	free(l->label);
}

/* Task names get labels too, up to FEW_NAMES texts; past them the text
 * goes in at every task, whose label is then NAME_INLINE. */
#define FEW_NAMES 16
#define NAME_INLINE 127u

struct walk {
	struct hash d;
	const struct contid_world *w;
	const uint32_t *below;       /* symmetric: see key_of(), else NULL */
	/* canonical: the live tasks' slots in the order the walk takes
	 * them, and each such slot's place in it, from 1 (else NULL) */
	const uint32_t *tasks;
	const uint8_t *place;
	uint32_t ntasks;
	bool overflow;               /* a small label array ran out */
	struct ns_labels users, nets;
	/* the names met so far, by label (their texts differ) */
	const struct contid_name *names[FEW_NAMES];
	unsigned nnames;
	const struct contid_name *last_name;
	unsigned last_name_label;
	/* the orbit digest: the values treated alike, and for each the
	 * order in which the walk met it (from 1; 0 until met) */
	const uint64_t *values;
	size_t nvalues;
	size_t met;
	uint8_t order[CONTID_DIGEST_VALUES_MAX];
};

/*
 * What stands for @v: itself, or in the orbit digest, when it is one of
 * the values treated alike, the value of that list whose place is the
 * order in which the walk met @v (the first met reads as values[0]).  So
 * the orbit digest of a world is the symmetric digest of the world with
 * its values renamed that way.
 */
static inline uint64_t value_of(struct walk *k, uint64_t v)
{
	for (size_t i = 0; i < k->nvalues; i++)
		if (k->values[i] == v) {
			if (!k->order[i])
				k->order[i] = (uint8_t)++k->met;
			return k->values[k->order[i] - 1];
		}
	return v;
}

/* An ID met: its value and its ancestors' are named in the order of the
 * chain, before anything of the chain goes into the digest. */
static inline void meet_chain(struct walk *k, const struct contid_obj *obj)
{
	for (; obj && k->nvalues; obj = obj->parent)
		value_of(k, obj->value);
}

/*
 * @ns's label, or NO_LABEL the first time it is met (the caller then
 * gives it the next label with labels_add()).
 */
static uint64_t labels_find(struct ns_labels *l, const void *ns, size_t *where)
{
	if (ns == l->last)
		return l->last_label;
	if (!l->large) {
		for (size_t i = 0; i < l->n; i++)
			if (l->ns[i] == ns) {
				l->last = ns;
				l->last_label = i;
				return i;
			}
		return NO_LABEL;
	}
	/* every namespace a task reaches is live, so it is in the array */
	size_t lo = 0, hi = l->n;
	while (lo + 1 < hi) {
		size_t mid = (lo + hi) / 2;
		if ((uintptr_t)l->ns[mid] <= (uintptr_t)ns)
			lo = mid;
		else
			hi = mid;
	}
	*where = lo;
	if (l->label[lo] != NO_LABEL) {
		l->last = ns;
		l->last_label = l->label[lo];
	}
	return l->label[lo];
}

static uint64_t labels_add(struct walk *k, struct ns_labels *l, const void *ns,
			   size_t where)
{
	uint64_t label = l->next++;

	if (l->large)
		l->label[where] = label;
	else if (l->n < FEW_NS)
		l->ns[l->n++] = ns;
	else
		k->overflow = true; /* start over the large way */
	l->last = ns;
	l->last_label = label;
	return label;
}

/* A user namespace's label; the first time, its parent's and then what
 * it is (parent, owner, level) go into the digest. */
static uint64_t meet_userns(struct walk *k, const struct userns *ns);

/* The label of the namespace looked up last, most tasks' own, without a
 * call; else the look-up. */
static inline uint64_t visit_userns(struct walk *k, const struct userns *ns)
{
	return ns == k->users.last ? k->users.last_label : meet_userns(k, ns);
}

static uint64_t meet_userns(struct walk *k, const struct userns *ns)
{
	size_t where = 0;
	uint64_t label = labels_find(&k->users, ns, &where);

	if (label != NO_LABEL)
		return label;
	/* the parent's label plus 1, 0 for none */
	uint64_t parent = ns->parent ? meet_userns(k, ns->parent) + 1 : 0;
	label = labels_add(k, &k->users, ns, where);
	if (ns->level < (1u << 8) && parent < (1u << 16)) {
		feed(&k->d, TAG(TAG_USERNS) | (uint64_t)ns->level << 48 |
			    parent << 32 | ns->owner_uid);
	} else {
		feed(&k->d, TAG(TAG_USERNS) | FLAG(0) | ns->level);
		feed(&k->d, parent);
		feed(&k->d, ns->owner_uid);
	}
	return label;
}

/* A network namespace's label; the first time, its owner's and then its
 * ID list, front first (contid_task_netns_ids() shows the order). */
static uint64_t meet_netns(struct walk *k, const struct netns *ns);

static inline uint64_t visit_netns(struct walk *k, const struct netns *ns)
{
	return ns == k->nets.last ? k->nets.last_label : meet_netns(k, ns);
}

static uint64_t meet_netns(struct walk *k, const struct netns *ns)
{
	size_t where = 0;
	uint64_t label = labels_find(&k->nets, ns, &where);

	if (label != NO_LABEL)
		return label;
	uint64_t owner = visit_userns(k, ns->owner);
	uint32_t listed = 0;
	label = labels_add(k, &k->nets, ns, where);
	for (const struct netns_entry *e = ns->ids.front; e; e = e->front_next)
		listed++;
	if (owner < (1u << 16) && listed < (1u << 16) &&
	    ns->ids.nentries < (1u << 24)) {
		feed(&k->d, TAG(TAG_NETNS) | owner << 40 | (uint64_t)listed << 24 |
			    ns->ids.nentries);
	} else {
		feed(&k->d, TAG(TAG_NETNS) | FLAG(0) | ns->ids.nentries);
		feed(&k->d, owner << 32 | listed);
	}
	for (const struct netns_entry *e = ns->ids.front; e; e = e->front_next) {
		meet_chain(k, e->obj);
		feed(&k->d, value_of(k, e->obj->value));
		feed(&k->d, e->count);
	}
	return label;
}

/* A task name's label: equal texts get one label, whether or not the
 * tasks share a copy.  The first time, the text goes into the digest;
 * past FEW_NAMES texts, it goes in at every task. */
static unsigned visit_name(struct walk *k, const struct contid_name *name)
{
	if (name == k->last_name)
		return k->last_name_label;
	unsigned label = NAME_INLINE;
	for (unsigned i = 0; i < k->nnames; i++) {
		const struct contid_name *m = k->names[i];
		if (m == name || (m->len == name->len &&
				  memcmp(m->text, name->text, name->len) == 0)) {
			label = i;
			break;
		}
	}
	if (label == NAME_INLINE && k->nnames < FEW_NAMES) {
		label = k->nnames;
		k->names[k->nnames++] = name;
		feed_text(&k->d, TAG(TAG_NAME) | (uint64_t)label << 48, name->text,
			  name->len);
	}
	k->last_name = name;
	k->last_name_label = label;
	return label;
}

/* The bits set in @x, without the library call a compiler makes of
 * __builtin_popcountll() for a CPU it may not assume has the instruction. */
static inline uint64_t bits_set(uint64_t x)
{
	x -= (x >> 1) & UINT64_C(0x5555555555555555);
	x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
	x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
	return (x * UINT64_C(0x0101010101010101)) >> 56;
}

/*
 * What stands for the task in @slot: its pid, or in the symmetric digest
 * its rank among the live pids, counted in the bitmap: the live pids in
 * the words below its own (k->below[], summed once per digest) and in
 * its own word below it, plus 1; in the canonical digest, its place in
 * the walk's order.
 */
static inline uint64_t key_of(const struct walk *k, uint32_t slot)
{
	if (k->place)
		return k->place[slot];
	uint32_t pid = task_at(k->w, slot)->pid;

	if (!k->below)
		return pid;
	uint64_t word = k->w->pid_bitmap[pid / 64] &
			((UINT64_C(1) << (pid % 64)) - 1);
	return k->below[pid / 64] + bits_set(word) + 1;
}

/*
 * A task.  Its first word holds its key (pid or rank) and its process's
 * (a leader's parent's instead, or 0: the tgid is then its own key), its
 * state and flags and its name's label, and flags that say what follows
 * and what it leaves out: uid and capcontid unless both are 0; its
 * capabilities, with the labels of its namespaces when they are small;
 * its ID unless it has none; a leader's counts of live and running tasks
 * unless both are 1.  A name past the labelled ones follows at the end.
 */
#define TASK_B0 FLAG(0)          /* uid 0, capcontid 0 */
#define TASK_SMALL_NS FLAG(1)    /* namespace labels below 2^11, with caps */
#define TASK_NO_ID FLAG(2)
#define TASK_ONE_ONE FLAG(3)     /* a leader of one running task */

_Static_assert(CONTID_CAP_LAST_CAP < 41, "capabilities fit 41 bits");

static void digest_task(struct walk *k, uint32_t slot, uint64_t key)
{
	const struct contid_world *w = k->w;
	const struct task *t = task_at(w, slot);
	bool leader = t->leader == slot;
	const struct task *proc = leader ? t : task_at(w, t->leader);
	uint64_t userns = visit_userns(k, t->userns);
	uint64_t netns = visit_netns(k, t->netns);
	unsigned name = visit_name(k, t->name);
	uint64_t up = leader ? (proc->parent != NO_TASK ? key_of(k, proc->parent) : 0)
			     : key_of(k, t->leader);
	bool b0 = (t->uid | t->capcontid) == 0;
	bool small_ns = (userns | netns) < (1u << 11) &&
			t->caps < (UINT64_C(1) << 41);
	bool one_one = leader && proc->nr_live == 1 && proc->nr_running == 1;

	feed(&k->d, TAG(TAG_TASK) | (b0 ? TASK_B0 : 0) |
		    (small_ns ? TASK_SMALL_NS : 0) | (t->obj ? 0 : TASK_NO_ID) |
		    (one_one ? TASK_ONE_ONE : 0) | (uint64_t)name << 49 |
		    (uint64_t)(leader && proc->subreaper) << 48 |
		    (uint64_t)leader << 47 | (uint64_t)t->audit_released << 46 |
		    (uint64_t)t->state << 44 | up << KEY_BITS | key);
	if (!b0)
		feed(&k->d, (uint64_t)t->uid << 32 | t->capcontid);
	if (small_ns) {
		feed(&k->d, t->caps | userns << 41 | netns << 52);
	} else {
		feed(&k->d, t->caps);
		feed(&k->d, userns << 32 | (uint32_t)netns);
	}
	if (t->obj) {
		meet_chain(k, t->obj);
		feed(&k->d, value_of(k, t->obj->value));
	}
	if (leader && !one_one)
		feed(&k->d, (uint64_t)proc->nr_live << 32 | proc->nr_running);
	if (name == NAME_INLINE)
		feed_text(&k->d, 0, t->name->text, t->name->len);
}

/*
 * An ID: its owner task and the owner's process, by key while they exist
 * (as contid_id_owner() and obj_owner_process()), else 0, with flags for
 * what follows: its value, its parent's unless it has none, and its
 * counts and chain length, in one word when they are small.  Returns the
 * number of words.
 */
#define ID_NO_PARENT FLAG(0)
#define ID_SMALL FLAG(1)             /* counts and chain length below 2^16 */

static size_t id_words(struct walk *k, const struct contid_obj *obj,
		       uint64_t x[5])
{
	const struct contid_world *w = k->w;
	const struct task *owner = task_at(w, obj->owner_slot);
	const struct task *oproc = obj_owner_process(w, obj);
	bool owned = obj->owner_identity != 0;  /* shared values have none */
	uint64_t opid = owned && owner->state != TASK_FREE &&
			owner->identity == obj->owner_identity
			? key_of(k, obj->owner_slot) : 0;
	uint64_t ppid = oproc ? key_of(k, obj->owner_proc_slot) : 0;
	bool small = (obj->task_refs | obj->child_refs | obj->leaked_refs |
		      obj->chain_len) < (1u << 16);
	size_t n = 0;

	x[n++] = TAG(TAG_ID) | (obj->parent ? 0 : ID_NO_PARENT) |
		 (small ? ID_SMALL : 0) | (uint64_t)owned << 44 |
		 ppid << KEY_BITS | opid;
	x[n++] = value_of(k, obj->value);
	if (obj->parent)
		x[n++] = value_of(k, obj->parent->value);
	if (small) {
		x[n++] = (uint64_t)obj->task_refs | (uint64_t)obj->child_refs << 16 |
			 (uint64_t)obj->leaked_refs << 32 |
			 (uint64_t)obj->chain_len << 48;
	} else {
		x[n++] = (uint64_t)obj->task_refs << 32 | obj->child_refs;
		x[n++] = (uint64_t)obj->leaked_refs << 32 | obj->chain_len;
	}
	return n;
}

/*
 * The ID objects, as a set: a few in order of value; more each digested
 * alone, the results added up, so that the table's order does not count
 * and no memory is needed.
 */
#define FEW_IDS 16

static void digest_ids(struct walk *k)
{
	const struct contid_world *w = k->w;
	const struct contid_obj *obj, *tmp, *few[FEW_IDS];
	size_t n = HASH_COUNT(w->objs);
	uint64_t x[5];

	feed(&k->d, TAG(TAG_IDS) | n);
	if (k->nvalues) {
		/* every value the IDs hold gets its name before any of them
		 * goes in: the pinned chain's, then those no task reaches
		 * (parents a leak keeps alive), in the list's order */
		meet_chain(k, w->pinned);
		for (size_t i = 0; i < k->nvalues; i++)
			if (!k->order[i])
				meet_chain(k, obj_find(w, k->values[i]));
	}
	if (n <= FEW_IDS) {
		size_t m = 0;
		uint64_t key[FEW_IDS];
		HASH_ITER(hh, w->objs, obj, tmp) {
			size_t i = m++;
			uint64_t v = value_of(k, obj->value);
			for (; i > 0 && key[i - 1] > v; i--) {
				few[i] = few[i - 1];
				key[i] = key[i - 1];
			}
			few[i] = obj;
			key[i] = v;
		}
		for (size_t i = 0; i < m; i++) {
			size_t nx = id_words(k, few[i], x);
			for (size_t j = 0; j < nx; j++)
				feed(&k->d, x[j]);
		}
		return;
	}
	uint64_t sum_a = 0, sum_b = 0, one[2];
	HASH_ITER(hh, w->objs, obj, tmp) {
		struct hash h;
		hash_init(&h, TAG_ID);
		size_t nx = id_words(k, obj, x);
		for (size_t j = 0; j < nx; j++)
			feed(&h, x[j]);
		hash_end(&h, one);
		sum_a += one[0];
		sum_b += one[1];
	}
	feed(&k->d, sum_a);
	feed(&k->d, sum_b);
}

/* Whether @pid is live (a bit of the pid bitmap). */
static inline bool pid_live(const struct contid_world *w, uint32_t pid)
{
	return pid < w->pid_capacity && (w->pid_bitmap[pid / 64] >> (pid % 64) & 1);
}

/*
 * A pid the signal state only reports, in the symmetric digest: a live
 * one's rank (SIG_RANK), else how many live pids are below it.  Pids are
 * handed out above every live one while the symmetric digest is sound,
 * so a renumbering that keeps the order of the live pids extends to a
 * gone one by that count.
 */
#define SIG_RANK FLAG(3)

static uint64_t sym_pid(const struct walk *k, uint32_t pid, uint64_t *head)
{
	const struct contid_world *w = k->w;
	uint64_t below = 0;

	if (pid_live(w, pid)) {
		*head |= SIG_RANK;
		return key_of(k, w->pid_slot[pid]);
	}
	if (k->place)
		return 0; /* a gone pid, which no fork hands out again */
	if (pid / 64 < w->pid_capacity / 64)
		below = k->below[pid / 64] +
			bits_set(w->pid_bitmap[pid / 64] &
				 ((UINT64_C(1) << (pid % 64)) - 1));
	else
		for (uint32_t word = 0; word < w->pid_capacity / 64; word++)
			below += bits_set(w->pid_bitmap[word]);
	return below;
}

/*
 * The signal state (docs/semantics.md section 6a), in a word with flags
 * for what follows: the daemon's key; the pinned ID's value; the uid and
 * tgid a signal left (the daemon's question answers them) and, where the
 * profile pins nothing, the value; the key of the signalled daemon thread
 * while something is pinned and that thread runs, as only then can its
 * exit change anything.  The tgid is a number the reply prints: in the
 * symmetric digest, sym_pid()'s.
 */
#define SIG_DAEMON FLAG(0)
#define SIG_PINNED FLAG(1)
#define SIG_SENDER FLAG(2)
#define SIG_VALUE ((uint64_t)1 << 55)
#define SIG_TARGET ((uint64_t)1 << 54)

static void digest_signal(struct walk *k)
{
	const struct contid_world *w = k->w;
	const struct task *t = NULL;
	uint64_t head = TAG(TAG_SIGNAL), daemon = 0, target = 0, tgid = 0;

	if (w->auditd_slot != NO_TASK) {
		head |= SIG_DAEMON;
		daemon = key_of(k, w->auditd_slot);
	}
	if (w->pinned)
		head |= SIG_PINNED;
	if (w->sig_pid >= 0) {
		head |= SIG_SENDER;
		tgid = (uint32_t)w->sig_pid;
		if (k->below)
			tgid = sym_pid(k, (uint32_t)w->sig_pid, &head);
	}
	if (w->sig_value != CONTID_UNSET)
		head |= SIG_VALUE;
	if (w->pinned && w->sig_target_slot != NO_TASK)
		t = task_at(w, w->sig_target_slot);
	if (t && t->state == TASK_RUNNING && t->identity == w->sig_target_identity) {
		head |= SIG_TARGET;
		target = key_of(k, w->sig_target_slot);
	}
	feed(&k->d, head | target << KEY_BITS | daemon);
	if (w->pinned)
		feed(&k->d, value_of(k, w->pinned->value));
	if (head & SIG_SENDER)
		feed(&k->d, (uint64_t)w->sig_uid << 32 | tgid);
	if (head & SIG_VALUE)
		feed(&k->d, value_of(k, w->sig_value));
}

/* The next live pid from @pid on, or 0: the pid bitmap a word at a time. */
static inline uint32_t next_live_pid(const struct contid_world *w, uint32_t pid)
{
	while (pid < w->pid_capacity) {
		uint64_t word = w->pid_bitmap[pid / 64] >> (pid % 64);
		if (word)
			return pid + (uint32_t)__builtin_ctzll(word);
		pid = (pid | 63) + 1;
	}
	return 0;
}

/* The highest live pid (init's, 1, at least). */
static uint32_t max_live_pid(const struct contid_world *w)
{
	for (uint32_t word = w->pid_capacity / 64; word-- > 0;)
		if (w->pid_bitmap[word])
			return word * 64 + 63 - (uint32_t)__builtin_clzll(w->pid_bitmap[word]);
	return 0;
}

/*
 * One walk over the world, the small way or (@large) the large way.
 *
 * The settings first, in a word with flags for what follows: the task and
 * ID limits, in one word when both are below 2^32; pid_max and the last
 * pid (none in the symmetric digest); the profile's name.  Of the clock,
 * only whether it has started (the profile can be chosen until it has).
 */
#define WORLD_SYMMETRIC FLAG(0)
#define WORLD_STARTED FLAG(1)
#define WORLD_AUDIT FLAG(2)
#define WORLD_SMALL_LIMITS FLAG(3)
#define WORLD_CANONICAL ((uint64_t)1 << 55)  /* depth_limit is below 2^32 */

static int walk_world(struct walk *k, bool large)
{
	const struct contid_world *w = k->w;
	bool small = w->max_ids <= UINT32_MAX && w->max_tasks <= UINT32_MAX;
	int r = 0;

	hash_init(&k->d, 0);
	k->overflow = false;
	k->nnames = 0;
	k->last_name = NULL;
	k->met = 0;
	if (k->nvalues)
		memset(k->order, 0, k->nvalues);
	labels_init_small(&k->users);
	labels_init_small(&k->nets);
	if (large) {
		r = labels_init_large(&k->users, w->userns_live,
				      offsetof(struct userns, next_live));
		if (r == 0)
			r = labels_init_large(&k->nets, w->netns_live,
					      offsetof(struct netns, next_live));
		if (r < 0)
			return r;
	}

	feed(&k->d, TAG(TAG_WORLD) | (k->below ? WORLD_SYMMETRIC : 0) |
		    (k->place ? WORLD_CANONICAL : 0) |
		    (w->clock_ms > 0 ? WORLD_STARTED : 0) |
		    (w->audit ? WORLD_AUDIT : 0) | (small ? WORLD_SMALL_LIMITS : 0) |
		    w->depth_limit);
	if (small) {
		feed(&k->d, (uint64_t)w->max_ids << 32 | w->max_tasks);
	} else {
		feed(&k->d, w->max_ids);
		feed(&k->d, w->max_tasks);
	}
	feed(&k->d, (uint64_t)(k->below ? 0 : w->last_pid) << 32 | w->pid_max);
	feed_text(&k->d, 0, w->profile->name, strlen(w->profile->name));

	/* The initial user namespace is met first: the rules name it
	 * (capable()).  The initial network namespace is only held: when no
	 * task is in it, nothing can reach it, and it is left out. */
	visit_userns(k, w->init_userns);
	if (k->place) {
		for (uint32_t i = 0; i < k->ntasks; i++)
			digest_task(k, k->tasks[i], i + 1);
		digest_ids(k);
		digest_signal(k);
		return 0;
	}
	uint64_t rank = 0;
	for (uint32_t pid = next_live_pid(w, 1); pid; pid = next_live_pid(w, pid + 1))
		digest_task(k, w->pid_slot[pid], k->below ? ++rank : pid);
	digest_ids(k);
	digest_signal(k);
	return 0;
}

/*
 * The canonical order of a small world's live tasks: init first, the
 * others sorted by a key made of what each is and what its neighbours are
 * (its parent or leader, its children and threads, the owner of its ID),
 * none of which reads a pid, a label or a value treated alike.  Tasks with
 * equal keys are then taken in every order (while there are at most
 * CANON_TRIES orders in all), and the least digest is the world's: one
 * that does not depend on how the pids are numbered.  A world with more
 * ties, more live tasks or more slots gets the orbit digest.
 */
#define FEW_TASKS 32
#define FEW_SLOTS 64
#define CANON_TRIES 120

struct canon {
	uint32_t order[FEW_TASKS];     /* slots, in the walk's order */
	uint8_t place[FEW_SLOTS];      /* each live slot's place, from 1 */
	uint64_t key[FEW_TASKS];
	uint32_t n;
};

static bool value_listed(const uint64_t *values, size_t nvalues, uint64_t v)
{
	for (size_t i = 0; i < nvalues; i++)
		if (values[i] == v)
			return true;
	return false;
}

/* What the task in @slot is, without a pid, a label or (but for whether
 * it is one of them) a value treated alike: a key to sort by, which only
 * needs to tell tasks apart often (equal keys cost tries, never a wrong
 * digest), so three products do. */
static uint64_t task_alone(const struct contid_world *w, uint32_t slot,
			   const uint64_t *values, size_t nvalues)
{
	const struct task *t = task_at(w, slot);
	bool leader = t->leader == slot;
	uint64_t flags = (uint64_t)t->state | (uint64_t)leader << 8 |
			 (uint64_t)(leader && t->subreaper) << 9 |
			 (uint64_t)t->audit_released << 10 | (uint64_t)!!t->obj << 11 |
			 (uint64_t)t->userns->level << 12 |
			 (uint64_t)t->netns->ids.nentries << 32;
	uint64_t id = 0, counts = 0;

	if (t->obj)
		id = (value_listed(values, nvalues, t->obj->value) ? 0 : t->obj->value) ^
		     (uint64_t)t->obj->chain_len << 48;
	if (leader)
		counts = (uint64_t)t->nr_live << 32 | t->nr_running;
	return fold_mul(((uint64_t)t->uid << 32 | t->capcontid) ^ UINT64_C(0x243f6a8885a308d3),
			t->caps ^ UINT64_C(0x13198a2e03707344)) ^
	       fold_mul(flags ^ (uint64_t)t->userns->owner_uid << 20 ^ UINT64_C(0xa4093822299f31d0),
			text_word(t->name->text, t->name->len < 8 ? t->name->len : 8) ^
			(uint64_t)t->name->len << 56 ^ UINT64_C(0x082efa98ec4e6c89)) ^
	       fold_mul(id ^ UINT64_C(0x452821e638d01377), counts ^ UINT64_C(0xbe5466cf34e90c6c));
}

/* The live tasks sorted by key, init first and ties in pid order; false
 * when the world is too large for it. */
static bool canon_sort(const struct contid_world *w, const uint64_t *values,
		       size_t nvalues, struct canon *c)
{
	uint64_t alone[FEW_TASKS], *key = c->key;
	uint32_t n = 0;

	if (w->slots_used >= FEW_SLOTS)
		return false;
	/* (only live slots are looked up; the others read 0 all the same) */
	memset(c->place, 0, sizeof(c->place));
	for (uint32_t pid = next_live_pid(w, 1); pid; pid = next_live_pid(w, pid + 1)) {
		if (n == FEW_TASKS)
			return false;
		c->place[w->pid_slot[pid]] = (uint8_t)n;
		c->order[n++] = w->pid_slot[pid];
	}
	for (uint32_t i = 0; i < n; i++)
		key[i] = alone[i] = task_alone(w, c->order[i], values, nvalues);
	for (uint32_t i = 0; i < n; i++) {
		const struct task *t = task_at(w, c->order[i]);
		bool leader = t->leader == c->order[i];
		uint32_t up = leader ? t->parent : t->leader;
		if (up != NO_TASK) {
			/* what its parent (or leader) is, and to that one
			 * what it is: sums, which no order changes */
			uint32_t u = c->place[up];
			key[i] += fold_mul(alone[u] ^ UINT64_C(0x9e3779b97f4a7c15),
					   leader ? UINT64_C(0xbb67ae8584caa73b)
						  : UINT64_C(0x6a09e667f3bcc909));
			key[u] += fold_mul(alone[i] ^ UINT64_C(0x3c6ef372fe94f82b),
					   leader ? UINT64_C(0xa54ff53a5f1d36f1)
						  : UINT64_C(0x510e527fade682d1));
		}
		const struct contid_obj *obj = t->obj;
		if (obj && obj->owner_identity) {
			const struct task *o = task_at(w, obj->owner_slot);
			if (o->state != TASK_FREE && o->identity == obj->owner_identity)
				key[i] += fold_mul(alone[c->place[obj->owner_slot]] ^
						   UINT64_C(0x9b05688c2b3e6c1f),
						   UINT64_C(0x1f83d9abfb41bd6b));
		}
	}
	for (uint32_t i = 2; i < n; i++) {
		uint32_t slot = c->order[i];
		uint64_t k = key[i];
		uint32_t j = i;
		for (; j > 1 && key[j - 1] > k; j--) {
			c->order[j] = c->order[j - 1];
			key[j] = key[j - 1];
		}
		c->order[j] = slot;
		key[j] = k;
	}
	c->n = n;
	return true;
}

/* The next order of @a's @n slots, as C++'s next_permutation(): false
 * (and @a back in ascending order) after the last. */
static bool next_order(uint32_t *a, uint32_t n)
{
	uint32_t i = n, j = n;

	if (n < 2)
		return false;
	for (i = n - 1; i > 0 && a[i - 1] >= a[i]; i--)
		;
	if (i > 0) {
		while (a[j - 1] <= a[i - 1])
			j--;
		uint32_t t = a[i - 1];
		a[i - 1] = a[j - 1];
		a[j - 1] = t;
	}
	for (uint32_t lo = i, hi = n - 1; lo < hi; lo++, hi--) {
		uint32_t t = a[lo];
		a[lo] = a[hi];
		a[hi] = t;
	}
	return i > 0;
}

static int ascending(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* The digest of @w; the symmetric one when @below is not NULL (the live
 * pids below each word of the pid bitmap, key_of()), with its tasks in
 * the order of @canon when that is not NULL. */
static int digest_world(const struct contid_world *w, const uint32_t *below,
			const struct canon *canon, const uint64_t *values,
			size_t nvalues, uint64_t digest[2])
{
	struct walk k;  /* walk_world() sets it all up: no 600 bytes of zeros */

	k.w = w;
	k.below = below;
	k.tasks = canon ? canon->order : NULL;
	k.place = canon ? canon->place : NULL;
	k.ntasks = canon ? canon->n : 0;
	k.values = values;
	k.nvalues = nvalues;
	int r = walk_world(&k, false);

	if (r == 0 && k.overflow) {
		labels_free(&k.users);
		labels_free(&k.nets);
		r = walk_world(&k, true);
	}
	if (r == 0)
		hash_end(&k.d, digest);
	labels_free(&k.users);
	labels_free(&k.nets);
	return r;
}

CONTID_EXPORT int contid_world_digest(const struct contid_world *w,
				      uint64_t digest[2])
{
	if (!w || !digest)
		return -EINVAL;
	return digest_world(w, NULL, NULL, NULL, 0, digest);
}

/* The counts of a small pid table (up to 1024 pids) fit here. */
#define FEW_WORDS 16

/*
 * Whether the next @forks forks leave the pids the symmetric digests
 * stand for as they are: renumbering keeps the answers only while every
 * pid handed out is above every live one: the next @forks pids are
 * last_pid + 1, + 2, ..., when no live pid is above last_pid (no wrap has
 * left one there) and they all come before pid_max (no wrap to come); and
 * the gone pid a signal left for the daemon's question is not among them.
 */
static int check_forks(const struct contid_world *w, unsigned forks)
{
	if (!forks)
		return 0;
	uint32_t room = w->last_pid + 1 < w->pid_max ? w->pid_max - 1 - w->last_pid : 0;
	if (forks > room || max_live_pid(w) > w->last_pid ||
	    (w->sig_pid >= 0 && (uint32_t)w->sig_pid > w->last_pid))
		return -ERANGE;
	return 0;
}

/*
 * The symmetric digest (with @values, the orbit one); with @canonical,
 * the canonical one, whose walk takes the tasks in the order that gives
 * the least digest, put in @pids (when not NULL; @npids live pids).
 */
static int digest_symmetric(const struct contid_world *w, unsigned forks,
			    const uint64_t *values, size_t nvalues,
			    bool canonical, pid_t *pids, uint64_t digest[2])
{
	uint32_t few[FEW_WORDS] = { 0 }, *below = few, n = 0;
	int r = check_forks(w, forks);
	if (r < 0)
		return r;
	size_t words = w->pid_capacity / 64;
	if (words > FEW_WORDS && !(below = malloc(words * sizeof(*below))))
		return -ENOMEM;
	for (size_t i = 0; i < words; i++) {
		below[i] = n;
		n += (uint32_t)bits_set(w->pid_bitmap[i]);
	}
	struct canon c, best;

	best.n = 0;
	if (!canonical || !canon_sort(w, values, nvalues, &c)) {
		r = digest_world(w, below, NULL, values, nvalues, digest);
		if (r == 0 && pids)
			for (uint32_t pid = next_live_pid(w, 1), i = 0; pid;
			     pid = next_live_pid(w, pid + 1))
				pids[i++] = (pid_t)pid;
		goto out;
	}
	/* the runs of equal keys, and how many orders they make */
	uint32_t run_lo[FEW_TASKS], run_len[FEW_TASKS], nruns = 0, tries = 1;
	for (uint32_t i = 1; i < c.n;) {
		uint32_t j = i + 1;
		while (j < c.n && c.key[j] == c.key[i])
			j++;
		if (j - i > 1) {
			run_lo[nruns] = i;
			run_len[nruns++] = j - i;
			for (uint32_t f = 2; f <= j - i && tries <= CANON_TRIES; f++)
				tries *= f;
		}
		i = j;
	}
	if (tries > CANON_TRIES)
		nruns = 0; /* ties stay in pid order */
	for (uint32_t g = 0; g < nruns; g++)
		qsort(c.order + run_lo[g], run_len[g], sizeof(*c.order), ascending);
	bool first = true;
	uint64_t least[2] = { 0, 0 };
	for (;;) {
		uint64_t d[2];
		for (uint32_t i = 0; i < c.n; i++)
			c.place[c.order[i]] = (uint8_t)(i + 1);
		r = digest_world(w, below, &c, values, nvalues, d);
		if (r < 0)
			goto out;
		if (first || d[0] < least[0] || (d[0] == least[0] && d[1] < least[1])) {
			least[0] = d[0];
			least[1] = d[1];
			if (pids)
				best = c;
			first = false;
		}
		/* the next order: the runs as the digits of a counter */
		uint32_t g = 0;
		while (g < nruns && !next_order(c.order + run_lo[g], run_len[g]))
			g++;
		if (g == nruns)
			break;
	}
	digest[0] = least[0];
	digest[1] = least[1];
	if (pids)
		for (uint32_t i = 0; i < best.n; i++)
			pids[i] = (pid_t)task_at(w, best.order[i])->pid;
out:
	if (below != few)
		free(below);
	return r;
}

CONTID_EXPORT int contid_world_digest_symmetric(const struct contid_world *w,
						unsigned forks,
						uint64_t digest[2])
{
	if (!w || !digest)
		return -EINVAL;
	return digest_symmetric(w, forks, NULL, 0, false, NULL, digest);
}

/* The values a caller treats alike: none twice, none CONTID_UNSET. */
static bool values_ok(const uint64_t *values, size_t nvalues)
{
	if ((nvalues && !values) || nvalues > CONTID_DIGEST_VALUES_MAX)
		return false;
	for (size_t i = 0; i < nvalues; i++) {
		if (values[i] == CONTID_UNSET)
			return false;
		for (size_t j = 0; j < i; j++)
			if (values[j] == values[i])
				return false;
	}
	return true;
}

CONTID_EXPORT int contid_world_digest_orbit(const struct contid_world *w,
					    unsigned forks,
					    const uint64_t *values,
					    size_t nvalues, uint64_t digest[2])
{
	if (!w || !digest || !values_ok(values, nvalues))
		return -EINVAL;
	return digest_symmetric(w, forks, values, nvalues, false, NULL, digest);
}

int digest_canonical_order(const struct contid_world *w, unsigned forks,
			   const uint64_t *values, size_t nvalues,
			   pid_t *pids, uint64_t digest[2])
{
	return digest_symmetric(w, forks, values, nvalues, true, pids, digest);
}

CONTID_EXPORT int contid_world_digest_canonical(const struct contid_world *w,
						unsigned forks,
						const uint64_t *values,
						size_t nvalues,
						uint64_t digest[2])
{
	if (!w || !digest || !values_ok(values, nvalues))
		return -EINVAL;
	return digest_symmetric(w, forks, values, nvalues, true, NULL, digest);
}
