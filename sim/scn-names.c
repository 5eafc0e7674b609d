/*
 * Name bindings.  Every statement resolves one or two names, so this is a
 * hot path: a name, once seen, keeps one entry for the rest of the pass
 * (bound, or why it is not any more), found by an open-addressing table,
 * and a binding refers to its entry's copy of the name rather than its own.
 */
#include <stdlib.h>
#include <string.h>

#include "scn-mem.h"
#include "scn-names.h"
#include "scn-suggest.h"

/* Names are copied into blocks that never move, so entries can point at them. */
struct string_block {
	struct string_block *next;
	size_t used, size;
	char data[];
};

struct entry {
	const char *name;          /* in strings */
	uint32_t len;
	uint32_t hash;
	scn_binding b;             /* SCN_NO_BINDING: gone */
	unsigned gone_line;
	bool gone_exit;
	unsigned failed_fork_line; /* a fork of it expected to fail, if later
				    * than gone_line: why it is not bound */
};

struct binding {
	const char *name;          /* the entry's; kept after unbinding */
	uint32_t entry;
	bool thread;
};

struct scn_names {
	struct string_block *strings;
	struct entry *entries;
	size_t nentries, entries_cap;
	uint32_t *slots;           /* entry index + 1, or 0 */
	size_t mask;
	struct binding *bindings;
	size_t nbindings, bindings_cap;
	scn_binding *free_bindings;
	size_t nfree, free_cap;
};

/* A copy of @len bytes of @name, NUL-terminated, that lives as long as @n. */
static const char *store_name(struct scn_names *n, const char *name, size_t len)
{
	struct string_block *b = n->strings;

	if (!b || b->size - b->used < len + 1) {
		size_t size = SCN_MAX((size_t)4096, len + 1);
		b = scn_malloc(sizeof(*b) + size);
		b->next = n->strings;
		b->used = 0;
		b->size = size;
		n->strings = b;
	}
	char *copy = b->data + b->used;
	memcpy(copy, name, len);
	copy[len] = '\0';
	b->used += len + 1;
	return copy;
}

static uint32_t hash_name(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct scn_names *names_alloc(size_t nslots)
{
	struct scn_names *n = scn_calloc(1, sizeof(*n));

	n->slots = scn_calloc(nslots, sizeof(*n->slots));
	n->mask = nslots - 1;
	return n;
}

struct scn_names *scn_names_new(void)
{
	return names_alloc(1024);
}

void scn_names_free(struct scn_names *n)
{
	if (!n)
		return;
	while (n->strings) {
		struct string_block *b = n->strings;
		n->strings = b->next;
		free(b);
	}
	free(n->entries);
	free(n->slots);
	free(n->bindings);
	free(n->free_bindings);
	free(n);
}

const char *scn_names_name(const struct scn_names *n, scn_binding b)
{
	return b < n->nbindings ? n->bindings[b].name : "?";
}

scn_binding scn_names_count(const struct scn_names *n)
{
	return (scn_binding)n->nbindings;
}

/* The slot that holds @name, or the empty one where it would go. */
static size_t find_slot(const struct scn_names *n, const char *name, size_t len,
			uint32_t hash)
{
	size_t i = hash & n->mask;

	for (;;) {
		uint32_t e = n->slots[i];
		if (!e)
			return i;
		const struct entry *en = &n->entries[e - 1];
		if (en->hash == hash && en->len == len && memcmp(en->name, name, len) == 0)
			return i;
		i = (i + 1) & n->mask;
	}
}

static struct entry *find_entry(const struct scn_names *n, const char *name, size_t len)
{
	uint32_t e = n->slots[find_slot(n, name, len, hash_name(name, len))];
	return e ? &n->entries[e - 1] : NULL;
}

scn_binding scn_names_find(const struct scn_names *n, const char *name, size_t len)
{
	const struct entry *en = find_entry(n, name, len);
	return en ? en->b : SCN_NO_BINDING;
}

bool scn_names_gone(const struct scn_names *n, const char *name, size_t len,
		    unsigned *line, bool *is_exit)
{
	const struct entry *en = find_entry(n, name, len);
	if (!en || en->b != SCN_NO_BINDING || !en->gone_line)
		return false;
	*line = en->gone_line;
	*is_exit = en->gone_exit;
	return true;
}

static void grow(struct scn_names *n)
{
	size_t size = (n->mask + 1) * 2;

	free(n->slots);
	n->slots = scn_calloc(size, sizeof(*n->slots));
	n->mask = size - 1;
	for (size_t i = 0; i < n->nentries; i++) {
		const struct entry *en = &n->entries[i];
		size_t s = en->hash & n->mask;
		while (n->slots[s])
			s = (s + 1) & n->mask;
		n->slots[s] = (uint32_t)i + 1;
	}
}

/* The entry of @name, made (unbound) if there is none; its index + 1. */
static uint32_t entry_for(struct scn_names *n, const char *name, size_t len)
{
	uint32_t hash = hash_name(name, len);
	size_t slot = find_slot(n, name, len, hash);

	uint32_t e = n->slots[slot];
	if (!e) {
		SCN_RESERVE(n->entries, n->entries_cap, n->nentries + 1);
		n->entries[n->nentries++] = (struct entry) {
			.name = store_name(n, name, len),
			.len = (uint32_t)len, .hash = hash, .b = SCN_NO_BINDING,
		};
		e = n->slots[slot] = (uint32_t)n->nentries;
		if (n->nentries * 2 > n->mask + 1)
			grow(n);
	}
	return e;
}

void scn_names_failed_fork(struct scn_names *n, const char *name, size_t len,
			   unsigned line)
{
	/* entry_for() may move the entries: index them after it */
	uint32_t e = entry_for(n, name, len);
	struct entry *en = &n->entries[e - 1];

	if (en->b == SCN_NO_BINDING)
		en->failed_fork_line = line;
}

bool scn_names_fork_failed(const struct scn_names *n, const char *name, size_t len,
			   unsigned *line)
{
	const struct entry *en = find_entry(n, name, len);
	if (!en || en->b != SCN_NO_BINDING || !en->failed_fork_line ||
	    en->failed_fork_line < en->gone_line)
		return false;
	*line = en->failed_fork_line;
	return true;
}

scn_binding scn_names_bind(struct scn_names *n, const char *name, size_t len,
			   bool thread)
{
	uint32_t e = entry_for(n, name, len);
	struct entry *en = &n->entries[e - 1];

	scn_binding b;
	if (n->nfree) {
		b = n->free_bindings[--n->nfree];
	} else {
		SCN_RESERVE(n->bindings, n->bindings_cap, n->nbindings + 1);
		b = (scn_binding)n->nbindings++;
	}
	struct binding *bd = &n->bindings[b];
	bd->name = en->name;
	bd->entry = e - 1;
	bd->thread = thread;
	en->b = b;
	return b;
}

void scn_names_unbind(struct scn_names *n, scn_binding b, unsigned line, bool is_exit)
{
	struct binding *bd = &n->bindings[b];
	struct entry *en = &n->entries[bd->entry];

	en->b = SCN_NO_BINDING;
	en->gone_line = line;
	en->gone_exit = is_exit;
	SCN_RESERVE(n->free_bindings, n->free_cap, n->nfree + 1);
	n->free_bindings[n->nfree++] = b;
}

bool scn_names_is_thread(const struct scn_names *n, scn_binding b)
{
	return n->bindings[b].thread;
}

struct scn_names *scn_names_clone(const struct scn_names *n)
{
	struct scn_names *c = names_alloc(n->mask + 1);

	/* the same slots, with names copied into the clone's own strings */
	memcpy(c->slots, n->slots, (n->mask + 1) * sizeof(*c->slots));
	SCN_RESERVE(c->entries, c->entries_cap, n->nentries);
	c->nentries = n->nentries;
	for (size_t i = 0; i < n->nentries; i++) {
		c->entries[i] = n->entries[i];
		c->entries[i].name = store_name(c, n->entries[i].name, n->entries[i].len);
	}
	SCN_RESERVE(c->bindings, c->bindings_cap, n->nbindings);
	c->nbindings = n->nbindings;
	for (size_t i = 0; i < n->nbindings; i++) {
		c->bindings[i] = n->bindings[i];
		if (c->bindings[i].name)
			c->bindings[i].name = c->entries[c->bindings[i].entry].name;
	}
	SCN_RESERVE(c->free_bindings, c->free_cap, n->nfree);
	c->nfree = n->nfree;
	if (n->nfree)
		memcpy(c->free_bindings, n->free_bindings, n->nfree * sizeof(*n->free_bindings));
	return c;
}

const char *scn_names_suggest(const struct scn_names *n, const char *word)
{
	struct scn_suggest s;

	scn_suggest_begin(&s, word);
	for (size_t i = 0; i < n->nentries; i++)
		if (n->entries[i].b != SCN_NO_BINDING)
			scn_suggest_add(&s, n->entries[i].name);
	return scn_suggest_end(&s);
}
