/*
 * Name bindings.  Every statement resolves one or two names, so this is a
 * hot path: a name, once seen, keeps one entry for the rest of the pass
 * (bound, or why it is not any more), found by an open-addressing table,
 * and a binding refers to its entry's copy of the name rather than its own.
 */
#include <string.h>

#include "scn-names.h"

struct entry {
	const char *name;          /* in strings */
	uint32_t len;
	uint32_t hash;
	scn_binding b;             /* SCN_NO_BINDING: gone */
	unsigned gone_line;
	bool gone_exit;
};

struct binding {
	const char *name;          /* the entry's; kept after unbinding */
	uint32_t entry;
	bool bound;
	bool thread;
};

struct scn_names {
	GStringChunk *strings;
	GArray *entries;           /* struct entry */
	uint32_t *slots;           /* entry index + 1, or 0 */
	size_t mask;
	GArray *bindings;          /* struct binding */
	GArray *free_bindings;     /* scn_binding */
};

static uint32_t hash_name(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct scn_names *names_alloc(size_t nslots)
{
	struct scn_names *n = g_new0(struct scn_names, 1);

	n->strings = g_string_chunk_new(4096);
	n->entries = g_array_new(FALSE, FALSE, sizeof(struct entry));
	n->slots = g_new0(uint32_t, nslots);
	n->mask = nslots - 1;
	n->bindings = g_array_new(FALSE, TRUE, sizeof(struct binding));
	n->free_bindings = g_array_new(FALSE, FALSE, sizeof(scn_binding));
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
	g_string_chunk_free(n->strings);
	g_array_free(n->entries, TRUE);
	g_free(n->slots);
	g_array_free(n->bindings, TRUE);
	g_array_free(n->free_bindings, TRUE);
	g_free(n);
}

const char *scn_names_name(const struct scn_names *n, scn_binding b)
{
	return b < n->bindings->len ? g_array_index(n->bindings, struct binding, b).name
				    : "?";
}

scn_binding scn_names_count(const struct scn_names *n)
{
	return n->bindings->len;
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
		const struct entry *en = &g_array_index(n->entries, struct entry, e - 1);
		if (en->hash == hash && en->len == len && memcmp(en->name, name, len) == 0)
			return i;
		i = (i + 1) & n->mask;
	}
}

static struct entry *find_entry(const struct scn_names *n, const char *name, size_t len)
{
	uint32_t e = n->slots[find_slot(n, name, len, hash_name(name, len))];
	return e ? &g_array_index(n->entries, struct entry, e - 1) : NULL;
}

scn_binding scn_names_find(const struct scn_names *n, const char *name, size_t len)
{
	const struct entry *en = find_entry(n, name, len);
	return en ? en->b : SCN_NO_BINDING;
}

scn_binding scn_names_lookup(const struct scn_names *n, const char *name)
{
	return scn_names_find(n, name, strlen(name));
}

bool scn_names_gone(const struct scn_names *n, const char *name, size_t len,
		    unsigned *line, bool *is_exit)
{
	const struct entry *en = find_entry(n, name, len);
	if (!en || en->b != SCN_NO_BINDING)
		return false;
	*line = en->gone_line;
	*is_exit = en->gone_exit;
	return true;
}

static void grow(struct scn_names *n)
{
	size_t size = (n->mask + 1) * 2;

	g_free(n->slots);
	n->slots = g_new0(uint32_t, size);
	n->mask = size - 1;
	for (guint i = 0; i < n->entries->len; i++) {
		const struct entry *en = &g_array_index(n->entries, struct entry, i);
		size_t s = en->hash & n->mask;
		while (n->slots[s])
			s = (s + 1) & n->mask;
		n->slots[s] = i + 1;
	}
}

scn_binding scn_names_bind(struct scn_names *n, const char *name, size_t len,
			   bool thread)
{
	uint32_t hash = hash_name(name, len);
	size_t slot = find_slot(n, name, len, hash);

	uint32_t e = n->slots[slot];
	if (!e) {
		struct entry en = {
			.name = g_string_chunk_insert_len(n->strings, name, (gssize)len),
			.len = (uint32_t)len, .hash = hash,
		};
		g_array_append_val(n->entries, en);
		e = n->slots[slot] = n->entries->len;
		if (n->entries->len * 2 > n->mask + 1)
			grow(n);
	}
	struct entry *en = &g_array_index(n->entries, struct entry, e - 1);

	scn_binding b;
	if (n->free_bindings->len) {
		b = g_array_index(n->free_bindings, scn_binding, n->free_bindings->len - 1);
		g_array_set_size(n->free_bindings, n->free_bindings->len - 1);
	} else {
		b = n->bindings->len;
		g_array_set_size(n->bindings, b + 1);
	}
	struct binding *bd = &g_array_index(n->bindings, struct binding, b);
	bd->name = en->name;
	bd->entry = e - 1;
	bd->bound = true;
	bd->thread = thread;
	en->b = b;
	return b;
}

void scn_names_unbind(struct scn_names *n, scn_binding b, unsigned line, bool is_exit)
{
	struct binding *bd = &g_array_index(n->bindings, struct binding, b);
	struct entry *en = &g_array_index(n->entries, struct entry, bd->entry);

	en->b = SCN_NO_BINDING;
	en->gone_line = line;
	en->gone_exit = is_exit;
	bd->bound = false;
	g_array_append_val(n->free_bindings, b);
}

bool scn_names_is_thread(const struct scn_names *n, scn_binding b)
{
	return g_array_index(n->bindings, struct binding, b).thread;
}

struct scn_names *scn_names_clone(const struct scn_names *n)
{
	struct scn_names *c = names_alloc(n->mask + 1);

	/* the same slots, with names copied into the clone's own strings */
	memcpy(c->slots, n->slots, (n->mask + 1) * sizeof(*c->slots));
	g_array_append_vals(c->entries, n->entries->data, n->entries->len);
	for (guint i = 0; i < c->entries->len; i++) {
		struct entry *en = &g_array_index(c->entries, struct entry, i);
		en->name = g_string_chunk_insert_len(c->strings, en->name, (gssize)en->len);
	}
	g_array_append_vals(c->bindings, n->bindings->data, n->bindings->len);
	for (guint i = 0; i < c->bindings->len; i++) {
		struct binding *bd = &g_array_index(c->bindings, struct binding, i);
		if (bd->name)
			bd->name = g_array_index(c->entries, struct entry, bd->entry).name;
	}
	g_array_append_vals(c->free_bindings, n->free_bindings->data,
			    n->free_bindings->len);
	return c;
}
