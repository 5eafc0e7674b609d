/*
 * Breadth-first search over the worlds the operations in bounds reach.
 *
 * A stored state is the step that first reached it: the digest of its
 * worlds (one per profile), the state it came from and the operation.
 * With symmetry the digest is blind to how the live pids are numbered, so
 * that one state stands for every numbering of it the search reaches:
 * the state stored is the first one met, and the search goes on from its
 * world, whose pids the operations after it name.
 * The worlds themselves are not kept: a thread that expands a state
 * rebuilds it from its parent, which it keeps while it expands the
 * parent's children (they are stored next to each other), and the parent
 * from the start when it changes.  A rebuild costs a clone and a few
 * operations; keeping every world of a layer would cost kilobytes each.
 *
 * A layer is expanded by every thread at once, each taking chunks of
 * consecutive states and writing what it finds into the chunk: the new
 * digests it did not find among the stored states, and the first broken
 * property.  Only then, in one thread and in chunk order, are the new
 * states stored and duplicates dropped.  So the stored states, their
 * numbering and the counterexample (the first one in breadth-first order)
 * are the same whatever the number of threads.
 */
#include <contid.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "explore-search.h"
#include "explore-uprops.h"
#include "scn-mem.h"

/* A stored state: the state it came from and the operation.  Its digest
 * is in the table only. */
struct node {
	uint32_t parent;
	struct xop op;
};

/* A state a chunk found: its digest and its node. */
struct found {
	uint64_t d0, d1;
	struct node node;
};

/* A slot of the table: a stored digest, or (0, 0) for none (a digest
 * never is: digest_of() sees to it). */
struct slot {
	uint64_t d0, d1;
};

#define NO_NODE UINT32_MAX
#define CHUNK_STATES 32

/* What a chunk of the layer produced. */
struct chunk {
	struct found *found;      /* new digests, in the order found */
	size_t nfound, cap;
	uint64_t transitions;
	bool broken;              /* the first broken property below */
	int property;
	uint32_t state;           /* the state whose step broke it */
	struct xop op;            /* the step, when it was not the state */
	bool by_step;
};

struct search {
	const struct xsearch_config *cfg;
	struct contid_world *const *roots;
	struct node *nodes;
	size_t nnodes, nodes_cap;
	/* open addressing on the digests themselves, so that a look-up
	 * touches one place in memory, not a slot and then a node */
	struct slot *slots;
	size_t mask;
	void *map_base;           /* a large table's mapping (table_alloc()) */
	size_t map_len;
	/* the layer being expanded, its number (from 0), the digests of its
	 * states (of state n at n - lo), and those of the next one */
	uint32_t lo, hi;
	unsigned layer;
	struct slot *layer_digests, *next_digests;
	size_t layer_cap, next_cap;
	struct chunk *chunks;
	size_t nchunks;
	atomic_size_t next_chunk;
	atomic_size_t first_broken;  /* lowest chunk with a broken property */
	/* --verify: a state whose world, rebuilt from its path, has another
	 * digest than the one it was stored by (UINT32_MAX: none) */
	atomic_uint_fast32_t unverified;
	atomic_uint_fast64_t done_states;
	bool filter;              /* expand only this shard's states */
	/* no property looks at a state alone: a state reached needs its
	 * digest only, and is looked up at the end of its chunk */
	bool steps_only;
	/* one thread: a new state is stored as soon as it is found, in the
	 * order the chunks would store it (no list of what each chunk found,
	 * which can outgrow the table), until a limit says @full */
	bool direct;
	bool full;
	const char *limit;
};

/* ------------------------------------------------------------- the table */

/*
 * The table's memory: a look-up lands anywhere in it, and past a few
 * megabytes nearly every look-up would also miss the TLB.  So a large
 * table is mapped on its own, aligned to 2 MiB and offered to the kernel
 * for huge pages (transparent huge pages, "madvise" or "always"); the
 * kernel hands it out zeroed, page by page as it is touched.
 */
#define HUGE_PAGE ((size_t)2 << 20)

static struct slot *table_alloc(size_t n, void **base, size_t *len)
{
	size_t bytes = n * sizeof(struct slot);

	*base = NULL;
	*len = 0;
#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
	if (bytes >= 2 * HUGE_PAGE) {
		size_t map = bytes + HUGE_PAGE;
		void *p = mmap(NULL, map, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED) {
			uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
			madvise((void *)a, bytes, MADV_HUGEPAGE);
			*base = p;
			*len = map;
			return (struct slot *)a;
		}
	}
#endif
	return scn_calloc(n, sizeof(struct slot));
}

static void table_free(struct slot *slots, void *base, size_t len)
{
#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
	if (base) {
		munmap(base, len);
		return;
	}
#endif
	(void)base;
	(void)len;
	free(slots);
}

static bool table_has(const struct search *s, uint64_t d0, uint64_t d1)
{
	for (size_t i = (size_t)d0 & s->mask;; i = (i + 1) & s->mask) {
		const struct slot *t = &s->slots[i];
		if (t->d0 == d0 && t->d1 == d1)
			return true;
		if (!t->d0 && !t->d1)
			return false;
	}
}

static void table_put(struct slot *slots, size_t mask, uint64_t d0, uint64_t d1)
{
	size_t i = (size_t)d0 & mask;

	while (slots[i].d0 || slots[i].d1)
		i = (i + 1) & mask;
	slots[i].d0 = d0;
	slots[i].d1 = d1;
}

static void table_grow(struct search *s)
{
	size_t n = (s->mask + 1) * 2, len;
	void *base;
	struct slot *slots = table_alloc(n, &base, &len);

	/* the old slots are read in order, the new ones written anywhere:
	 * the new slot of the digest a few slots ahead is fetched meanwhile */
	for (size_t i = 0; i <= s->mask; i++) {
		if (i + 16 <= s->mask)
			__builtin_prefetch(&slots[s->slots[i + 16].d0 & (n - 1)], 1);
		if (s->slots[i].d0 || s->slots[i].d1)
			table_put(slots, n - 1, s->slots[i].d0, s->slots[i].d1);
	}
	table_free(s->slots, s->map_base, s->map_len);
	s->slots = slots;
	s->map_base = base;
	s->map_len = len;
	s->mask = n - 1;
}

/* Fetches the slots a look-up of @d0 starts with into the cache: its own
 * cache line and the next (linear probing goes on there; past the end of
 * the table, a prefetch is only a hint, and does not fault). */
static inline void prefetch_slots(const struct search *s, uint64_t d0)
{
	const struct slot *t = &s->slots[d0 & s->mask];

	__builtin_prefetch(t);
	__builtin_prefetch((const char *)t + 64);
}

/* Stores @f unless its digest is stored; true if it was new.  Its digest
 * is kept for the next layer, too. */
static bool store(struct search *s, const struct found *f)
{
	if (table_has(s, f->d0, f->d1))
		return false;
	SCN_RESERVE(s->nodes, s->nodes_cap, s->nnodes + 1);
	s->nodes[s->nnodes++] = f->node;
	size_t i = s->nnodes - 1 - s->hi;
	SCN_RESERVE(s->next_digests, s->next_cap, i + 1);
	s->next_digests[i] = (struct slot){ f->d0, f->d1 };
	if (s->nnodes * 4 > (s->mask + 1) * 3)
		table_grow(s);
	table_put(s->slots, s->mask, f->d0, f->d1);
	return true;
}

static uint64_t memory_of(const struct search *s)
{
	return (uint64_t)s->nodes_cap * sizeof(*s->nodes) +
	       (uint64_t)(s->mask + 1) * sizeof(*s->slots);
}

/* Stores @f unless a limit is reached (then the search is @full and
 * stores nothing more). */
static void store_within_limits(struct search *s, const struct found *f)
{
	const struct xsearch_config *cfg = s->cfg;

	if (s->full)
		return;
	if (cfg->max_states && s->nnodes >= cfg->max_states)
		s->limit = "--max-states";
	else if (cfg->max_memory && memory_of(s) >= cfg->max_memory)
		s->limit = "--max-memory";
	else {
		store(s, f);
		return;
	}
	s->full = true;
}

/* A state @c reached that is not among the stored ones, or was not when
 * it was looked up: stored at once, or kept for the store loop. */
static void chunk_keep(struct search *s, struct chunk *c, const struct found *f)
{
	if (s->direct) {
		store_within_limits(s, f);
		return;
	}
	SCN_RESERVE(c->found, c->cap, c->nfound + 1);
	c->found[c->nfound++] = *f;
}

/* ---------------------------------------------------------- the worlds */

static uint64_t mix(uint64_t x)
{
	x ^= x >> 31;
	x *= UINT64_C(0x7fb5d329728ea185);
	x ^= x >> 27;
	x *= UINT64_C(0x81dadef4bc2dd44d);
	x ^= x >> 33;
	return x;
}

/* One world's digest: when asked and sound, the canonical one (with task
 * symmetry) or the orbit one (of no values: the symmetric one), else the
 * plain one.  Those are refused (-ERANGE) only when a fork within @forks
 * forks could hand out a pid below a live one or a gone pid the world
 * remembers. */
static int world_digest(const struct xsearch_config *cfg,
			const struct contid_world *w, bool symmetric,
			unsigned forks, uint64_t d[2])
{
	int r = !symmetric ? contid_world_digest(w, d)
		: cfg->task_symmetry ? contid_world_digest_canonical(w, forks, cfg->values,
								     cfg->nvalues, d)
		: contid_world_digest_orbit(w, forks, cfg->values, cfg->nvalues, d);

	if (r == -ENOMEM)
		scn_out_of_memory();
	return r;
}

/*
 * The digest of a state: its world's, or all of its worlds' together.
 * With symmetry, @forks bounds the forks any search from the state can
 * still make (each operation forks at most once); the worlds of a state
 * all have the same live pids (they answered every step alike), and when
 * one of them refuses, they all get their plain digests.
 */
static void digest_of(const struct xsearch_config *cfg,
		      struct contid_world *const *w, unsigned forks,
		      uint64_t *d0, uint64_t *d1)
{
	bool symmetric = cfg->symmetry;
	uint64_t d[2];

	for (;;) {
		if (world_digest(cfg, w[0], symmetric, forks, d) < 0) {
			symmetric = false;
			continue;
		}
		*d0 = d[0];
		*d1 = d[1];
		unsigned p;
		for (p = 1; p < cfg->nworlds; p++) {
			if (world_digest(cfg, w[p], symmetric, forks, d) < 0)
				break;
			*d0 = mix(*d0 ^ d[0]) + p;
			*d1 = mix(*d1 + d[1]) ^ p;
		}
		if (p == cfg->nworlds)
			break;
		symmetric = false;
	}
	if (!*d0 && !*d1)
		*d1 = 1; /* (0, 0) marks an empty slot */
}

static struct contid_world *clone_world(const struct contid_world *w)
{
	struct contid_world *c;

	if (contid_world_clone(w, &c) < 0)
		scn_out_of_memory();
	return c;
}

/* *@dst becomes a copy of @src, in the memory it has when it has some. */
static void copy_world(struct contid_world **dst, const struct contid_world *src)
{
	if (!*dst)
		*dst = clone_world(src);
	else if (contid_world_copy(*dst, src) < 0)
		scn_out_of_memory();
}

struct worker {
	struct search *s;
	unsigned nworlds;
	struct contid_world *root[XSEARCH_MAX_WORLDS];
	uint32_t cached;          /* the state in cache[], or NO_NODE */
	struct contid_world *cache[XSEARCH_MAX_WORLDS];
	struct contid_world *cur[XSEARCH_MAX_WORLDS];
	struct contid_world *next[XSEARCH_MAX_WORLDS];
	/* the worlds of the last state reached, while its look-up waits */
	struct contid_world *held[XSEARCH_MAX_WORLDS];
	/* with steps_only, the states a chunk reached, to look up */
	struct found *later;
	size_t nlater, later_cap;
	struct xop *cands;
	size_t cands_cap;
	struct xoutcome out[XSEARCH_MAX_WORLDS];
	uint32_t *path;
	size_t path_cap;
};

static void free_worlds(struct contid_world **w, unsigned n)
{
	for (unsigned p = 0; p < n; p++) {
		contid_world_free(w[p]);
		w[p] = NULL;
	}
}

static void replay(struct worker *k, struct contid_world **w, const struct xop *op)
{
	pid_t child;

	for (unsigned p = 0; p < k->nworlds; p++)
		xop_apply(w[p], k->s->cfg->bounds, op, &child);
}

/* Makes cache[] the worlds of state @n, rebuilt from the start. */
static void rebuild_cache(struct worker *k, uint32_t n)
{
	const struct node *nodes = k->s->nodes;
	size_t len = 0;

	for (uint32_t m = n; m != 0; m = nodes[m].parent) {
		SCN_RESERVE(k->path, k->path_cap, len + 1);
		k->path[len++] = m;
	}
	for (unsigned p = 0; p < k->nworlds; p++)
		copy_world(&k->cache[p], k->root[p]);
	while (len)
		replay(k, k->cache, &nodes[k->path[--len]].op);
	k->cached = n;
}

/* Makes cur[] the worlds of state @n. */
static void load_state(struct worker *k, uint32_t n)
{
	const struct node *node = &k->s->nodes[n];

	if (n == 0) {
		for (unsigned p = 0; p < k->nworlds; p++)
			copy_world(&k->cur[p], k->root[p]);
		return;
	}
	if (k->cached != node->parent)
		rebuild_cache(k, node->parent);
	for (unsigned p = 0; p < k->nworlds; p++)
		copy_world(&k->cur[p], k->cache[p]);
	replay(k, k->cur, &node->op);
}

/* next[] becomes a fresh copy of cur[]. */
static void reset_next(struct worker *k)
{
	for (unsigned p = 0; p < k->nworlds; p++)
		copy_world(&k->next[p], k->cur[p]);
}

/* ------------------------------------------------------------ properties */

int xsearch_state_breaks(const struct xsearch_config *cfg,
			 const struct contid_world *w)
{
	for (int p = 0; p < XP_BUILTINS; p++)
		if (cfg->props[p] && !xprop_is_step(p) &&
		    xprop_state_breaks(p, w, NULL, NULL, NULL))
			return p;
	if (cfg->uprops && cfg->uprops_on)
		for (size_t i = 0; i < xuprops_count(cfg->uprops); i++)
			if (cfg->uprops_on[i] &&
			    xuprops_eval(cfg->uprops, i, w, NULL, NULL, NULL) == 1)
				return XP_BUILTINS + (int)i;
	return -2;
}

static int step_breaks(const struct xsearch_config *cfg,
		       const struct contid_world *pre,
		       const struct contid_world *post, const struct xop *op)
{
	for (int p = 0; p < XP_BUILTINS; p++)
		if (cfg->props[p] && xprop_is_step(p) &&
		    xprop_step_breaks(p, pre, post, op, NULL, NULL, NULL))
			return p;
	return -2;
}

static void chunk_break(struct search *s, struct chunk *c, size_t index,
			int property, uint32_t state, const struct xop *op)
{
	c->broken = true;
	c->property = property;
	c->state = state;
	c->by_step = op != NULL;
	if (op)
		c->op = *op;
	size_t first = atomic_load(&s->first_broken);
	while (index < first &&
	       !atomic_compare_exchange_weak(&s->first_broken, &first, index))
		;
}

/* ------------------------------------------------------------- expanding */

/*
 * The look-up of a state reached (@f, its worlds in held[]): a new one is
 * tried on the state properties and kept in the chunk.  False once the
 * chunk broke.
 */
static bool resolve(struct worker *k, struct chunk *c, size_t index,
		    const struct found *f)
{
	struct search *s = k->s;
	const struct xsearch_config *cfg = s->cfg;
	int broken = -2;

	if (table_has(s, f->d0, f->d1))
		return true;
	for (unsigned p = 0; p < k->nworlds && broken == -2; p++)
		broken = xsearch_state_breaks(cfg, k->held[p]);
	if (broken != -2) {
		chunk_break(s, c, index, broken, f->node.parent, &f->node.op);
		return false;
	}
	chunk_keep(s, c, f);
	return true;
}

/*
 * Tries every operation on state @n; false once the chunk broke.  A state
 * reached is looked up in the table one step late: its digest's slot is
 * fetched from memory while the next operations run (its worlds wait in
 * held[]), so that the look-up seldom waits for memory.  The steps are
 * still judged in order: a state's look-up and state properties come
 * before the next step's properties.
 */
static bool expand(struct worker *k, struct chunk *c, size_t index, uint32_t n)
{
	struct search *s = k->s;
	const struct xsearch_config *cfg = s->cfg;
	unsigned nw = k->nworlds;
	struct found f;
	bool pending = false;
	const struct slot *self = &s->layer_digests[n - s->lo];

	load_state(k, n);
	if (cfg->verify) {
		uint64_t d0, d1;
		digest_of(cfg, k->cur, cfg->depth - s->layer, &d0, &d1);
		if (d0 != self->d0 || d1 != self->d1)
			atomic_store(&s->unverified, n);
	}
	size_t ncands = xop_candidates(k->cur[0], cfg->bounds, cfg->usable,
				       cfg->usable_data, &k->cands, &k->cands_cap);
	reset_next(k);
	for (size_t i = 0; i < ncands; i++) {
		const struct xop *op = &k->cands[i];
		bool changed = false, differ = false;
		pid_t child;

		for (unsigned p = 0; p < nw; p++) {
			k->out[p] = xop_apply(k->next[p], cfg->bounds, op, &child);
			changed |= xop_changes(op->kind, k->out[p].err);
			if (p && !xop_outcome_equal(op->kind, k->out[0], k->out[p]))
				differ = true;
		}
		c->transitions++;
		if (cfg->compare && differ) {
			if (pending && !resolve(k, c, index, &f))
				return false;
			chunk_break(s, c, index, XPROP_DIFFERENCE, n, op);
			return false;
		}
		/* a refused operation, a read, an event, one known to have
		 * no effect: the worlds are as they were (but for the clock),
		 * and next[] serves again */
		for (unsigned p = 0; p < nw && changed; p++)
			changed = !xop_no_effect(k->cur[p], cfg->bounds, op);
		if (!changed)
			continue;
		if (pending && !resolve(k, c, index, &f))
			return false;
		pending = false;
		int broken = cfg->compare ? -2 : step_breaks(cfg, k->cur[0], k->next[0], op);
		if (broken != -2) {
			chunk_break(s, c, index, broken, n, op);
			return false;
		}
		f = (struct found){ .node = { .parent = n, .op = *op } };
		digest_of(cfg, k->next, cfg->depth - s->layer - 1, &f.d0, &f.d1);
		/* an operation that changed nothing the digest sees (a uid set
		 * to itself, a capability dropped twice) leads back to the
		 * state: stored, and next[] serves again.  (Equal symmetric
		 * digests mean equal pids here: no single operation both
		 * adds and removes a task.  But equal orbit or canonical
		 * ones may mean the state with its values or tasks swapped
		 * (a value replaced by another that was free), where the
		 * next steps would meet other values or tasks than in the
		 * stored state: next[] starts over.) */
		if (f.d0 == self->d0 && f.d1 == self->d1) {
			if (cfg->task_symmetry || cfg->nvalues)
				reset_next(k);
			continue;
		}
		prefetch_slots(s, f.d0);
		if (s->steps_only) {
			/* looked up at the end of the chunk, long after its
			 * slot was fetched; next[] starts over at once */
			SCN_RESERVE(k->later, k->later_cap, k->nlater + 1);
			k->later[k->nlater++] = f;
			reset_next(k);
			continue;
		}
		/* held[] is free: a fresh copy of the state, for the next step */
		for (unsigned p = 0; p < nw; p++)
			copy_world(&k->held[p], k->cur[p]);
		pending = true;
		for (unsigned p = 0; p < nw; p++) {
			struct contid_world *w = k->held[p];
			k->held[p] = k->next[p];
			k->next[p] = w;
		}
	}
	return !pending || resolve(k, c, index, &f);
}

static void expand_chunk(struct worker *k, size_t index)
{
	struct search *s = k->s;
	const struct xsearch_config *cfg = s->cfg;
	struct chunk *c = &s->chunks[index];
	uint32_t lo = s->lo + (uint32_t)(index * CHUNK_STATES);
	uint32_t hi = lo + CHUNK_STATES < s->hi ? lo + CHUNK_STATES : s->hi;

	k->nlater = 0;
	for (uint32_t n = lo; n < hi; n++) {
		if (s->filter && (n - s->lo) % cfg->nshards != cfg->shard)
			continue;
		if (!expand(k, c, index, n))
			return; /* broken: what it found is not stored */
		atomic_fetch_add(&s->done_states, 1);
	}
	for (size_t i = 0; i < k->nlater; i++)
		if (s->direct || !table_has(s, k->later[i].d0, k->later[i].d1))
			chunk_keep(s, c, &k->later[i]);
}

static void *work(void *data)
{
	struct worker *k = data;
	struct search *s = k->s;

	for (;;) {
		size_t index = atomic_fetch_add(&s->next_chunk, 1);
		if (index >= s->nchunks)
			break;
		/* a chunk after one that broke cannot hold the first break */
		if (index > atomic_load(&s->first_broken))
			continue;
		expand_chunk(k, index);
	}
	return NULL;
}

static void worker_init(struct worker *k, struct search *s)
{
	memset(k, 0, sizeof(*k));
	k->s = s;
	k->nworlds = s->cfg->nworlds;
	k->cached = NO_NODE;
	for (unsigned p = 0; p < k->nworlds; p++)
		k->root[p] = clone_world(s->roots[p]);
}

static void worker_free(struct worker *k)
{
	free_worlds(k->root, k->nworlds);
	free_worlds(k->cache, k->nworlds);
	free_worlds(k->cur, k->nworlds);
	free_worlds(k->next, k->nworlds);
	free_worlds(k->held, k->nworlds);
	free(k->later);
	free(k->cands);
	free(k->path);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct runner {
	struct search *s;
	struct worker *workers;
	pthread_t *threads;
	unsigned nthreads;
	double start, last_progress;
	struct xsearch_stats *stats;
};

static void report_progress(struct runner *r)
{
	const struct xsearch_config *cfg = r->s->cfg;
	double t = now();

	if (!cfg->progress || t - r->last_progress < 1.0)
		return;
	r->last_progress = t;
	r->stats->states = r->s->nnodes;
	r->stats->frontier = r->s->hi - r->s->lo;
	r->stats->frontier_done = atomic_load(&r->s->done_states);
	r->stats->bytes = memory_of(r->s);
	r->stats->seconds = t - r->start;
	cfg->progress(cfg->progress_data, r->stats);
}

/* Expands states [lo, hi) of the layer with every thread. */
static void expand_layer(struct runner *r)
{
	struct search *s = r->s;

	s->nchunks = (s->hi - s->lo + CHUNK_STATES - 1) / CHUNK_STATES;
	s->chunks = scn_calloc(s->nchunks ? s->nchunks : 1, sizeof(*s->chunks));
	atomic_store(&s->next_chunk, 0);
	atomic_store(&s->first_broken, SIZE_MAX);
	atomic_store(&s->done_states, 0);
	unsigned started = 0;
	for (unsigned t = 1; t < r->nthreads; t++) {
		if (pthread_create(&r->threads[t], NULL, work, &r->workers[t]) != 0)
			break;
		started = t;
	}
	/* this thread works too, and tells the progress between chunks */
	struct worker *k = &r->workers[0];
	for (;;) {
		size_t index = atomic_fetch_add(&s->next_chunk, 1);
		if (index >= s->nchunks)
			break;
		if (index > atomic_load(&s->first_broken))
			continue;
		expand_chunk(k, index);
		report_progress(r);
	}
	for (unsigned t = 1; t <= started; t++)
		pthread_join(r->threads[t], NULL);
}

static void free_chunks(struct search *s)
{
	for (size_t i = 0; i < s->nchunks; i++)
		free(s->chunks[i].found);
	free(s->chunks);
	s->chunks = NULL;
	s->nchunks = 0;
}

/* The operations from the start to state @n, then @last if not NULL. */
static void make_trail(const struct search *s, uint32_t n, const struct xop *last,
		       struct xsearch_result *res)
{
	size_t len = 0;

	for (uint32_t m = n; m != 0; m = s->nodes[m].parent)
		len++;
	res->trail_len = len + (last != NULL);
	res->trail = scn_calloc(res->trail_len ? res->trail_len : 1,
				sizeof(*res->trail));
	if (last)
		res->trail[len] = *last;
	for (uint32_t m = n; m != 0; m = s->nodes[m].parent)
		res->trail[--len] = s->nodes[m].op;
}

/* The digests of the states just stored become those of the layer to
 * expand. */
static void swap_layers(struct search *s)
{
	struct slot *d = s->layer_digests;
	size_t cap = s->layer_cap;

	s->layer_digests = s->next_digests;
	s->layer_cap = s->next_cap;
	s->next_digests = d;
	s->next_cap = cap;
}

/* The layer to split among shards: the first with enough states for each
 * shard to get several, or the last one expanded. */
static bool split_here(const struct xsearch_config *cfg, uint32_t layer_size,
		       unsigned d)
{
	return layer_size >= 8u * cfg->nshards || d + 1 == cfg->depth;
}

int xsearch_run(const struct xsearch_config *cfg,
		struct contid_world *const *roots, struct xsearch_result *res)
{
	struct search s = { .cfg = cfg, .roots = roots, .steps_only = true,
			    .direct = cfg->threads <= 1 };
	struct runner r = { .s = &s, .stats = &res->stats };

	memset(res, 0, sizeof(*res));
	r.start = r.last_progress = now();
	for (int p = 0; p < XP_BUILTINS; p++)
		if (cfg->props[p] && !xprop_is_step(p))
			s.steps_only = false;
	if (cfg->uprops && cfg->uprops_on)
		for (size_t i = 0; i < xuprops_count(cfg->uprops); i++)
			if (cfg->uprops_on[i])
				s.steps_only = false;
	atomic_store(&s.unverified, UINT32_MAX);
	s.mask = 1023;
	s.slots = table_alloc(s.mask + 1, &s.map_base, &s.map_len);

	struct found root = { .node = { .parent = NO_NODE } };
	digest_of(cfg, roots, cfg->depth, &root.d0, &root.d1);
	store(&s, &root);
	swap_layers(&s);
	res->verdict = XV_HOLDS;
	for (unsigned p = 0; p < cfg->nworlds; p++) {
		int broken = xsearch_state_breaks(cfg, roots[p]);
		if (broken != -2) {
			res->verdict = XV_VIOLATED;
			res->property = broken;
			make_trail(&s, 0, NULL, res);
			goto out;
		}
	}

	r.nthreads = cfg->threads ? cfg->threads : 1;
	r.workers = scn_calloc(r.nthreads, sizeof(*r.workers));
	r.threads = scn_calloc(r.nthreads, sizeof(*r.threads));
	for (unsigned t = 0; t < r.nthreads; t++)
		worker_init(&r.workers[t], &s);

	bool split = cfg->nshards <= 1;
	s.lo = 0;
	s.hi = 1;
	for (unsigned d = 0; d < cfg->depth && s.lo < s.hi; d++) {
		s.filter = false;
		if (!split && split_here(cfg, s.hi - s.lo, d)) {
			/* from here on this shard expands only every nshards-th
			 * state of the layer and what those reach; the others
			 * stay stored, for the other shards to expand */
			split = true;
			s.filter = true;
			res->split_depth = d;
		}
		s.layer = d;
		expand_layer(&r);
		size_t first = atomic_load(&s.first_broken);
		/* chunks past the first break may or may not have run, as the
		 * threads went: they are not counted, so that the figures do
		 * not depend on the threads either */
		for (size_t i = 0; i < s.nchunks && i <= first; i++)
			res->stats.transitions += s.chunks[i].transitions;
		if (first != SIZE_MAX) {
			struct chunk *c = &s.chunks[first];
			/* what this layer stored is not counted, as with
			 * threads, where it would not have been stored */
			s.nnodes = s.hi;
			res->verdict = XV_VIOLATED;
			res->property = c->property;
			make_trail(&s, c->state, &c->op, res);
			res->stats.depth = d + 1;
			free_chunks(&s);
			break;
		}
		for (size_t i = 0; i < s.nchunks && !s.full; i++)
			for (size_t j = 0; j < s.chunks[i].nfound && !s.full; j++) {
				/* the slot of a state a few ahead is fetched
				 * meanwhile (when the chunk has one) */
				if (j + 8 < s.chunks[i].nfound)
					prefetch_slots(&s, s.chunks[i].found[j + 8].d0);
				store_within_limits(&s, &s.chunks[i].found[j]);
			}
		free_chunks(&s);
		if (s.full) {
			res->limit = s.limit;
			res->verdict = XV_INCOMPLETE;
			break;
		}
		res->stats.depth = d + 1;
		swap_layers(&s);
		s.lo = s.hi;
		s.hi = (uint32_t)s.nnodes;
		report_progress(&r);
	}
	for (unsigned t = 0; t < r.nthreads; t++)
		worker_free(&r.workers[t]);
	free(r.workers);
	free(r.threads);
out:
	res->unverified = (uint32_t)atomic_load(&s.unverified);
	res->stats.states = s.nnodes;
	res->stats.bytes = memory_of(&s);
	res->stats.seconds = now() - r.start;
	res->stats.frontier = 0;
	free(s.nodes);
	table_free(s.slots, s.map_base, s.map_len);
	free(s.layer_digests);
	free(s.next_digests);
	return 0;
}

void xsearch_result_free(struct xsearch_result *res)
{
	free(res->trail);
	res->trail = NULL;
}
