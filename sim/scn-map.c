/* Open addressing with linear probing (scn-map.h). */
#include <stdlib.h>

#include "scn-map.h"
#include "scn-mem.h"

static size_t slot_of(uint64_t key, size_t mask)
{
	/* a multiplicative hash spreads sequential pids and identities */
	return (size_t)((key * UINT64_C(0x9e3779b97f4a7c15)) >> 32) & mask;
}

void scn_map_free(struct scn_map *m)
{
	free(m->keys);
	free(m->values);
	*m = (struct scn_map)SCN_MAP_INIT;
}

static size_t find(const struct scn_map *m, uint64_t key)
{
	size_t i = slot_of(key, m->mask);

	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & m->mask;
	return i;
}

static void grow(struct scn_map *m)
{
	struct scn_map old = *m;
	size_t slots = old.keys ? (old.mask + 1) * 2 : 64;

	m->keys = scn_calloc(slots, sizeof(*m->keys));
	m->values = scn_realloc_array(NULL, slots, sizeof(*m->values));
	m->mask = slots - 1;
	for (size_t i = 0; old.keys && i <= old.mask; i++) {
		if (!old.keys[i])
			continue;
		size_t at = find(m, old.keys[i]);
		m->keys[at] = old.keys[i];
		m->values[at] = old.values[i];
	}
	free(old.keys);
	free(old.values);
}

static void put(struct scn_map *m, uint64_t key, uint32_t value, bool replace)
{
	if (!m->keys || (m->count + 1) * 2 > m->mask + 1)
		grow(m);
	size_t at = find(m, key);
	if (m->keys[at]) {
		if (replace)
			m->values[at] = value;
		return;
	}
	m->keys[at] = key;
	m->values[at] = value;
	m->count++;
}

void scn_map_set(struct scn_map *m, uint64_t key, uint32_t value)
{
	put(m, key, value, true);
}

void scn_map_add(struct scn_map *m, uint64_t key, uint32_t value)
{
	put(m, key, value, false);
}

void scn_map_remove(struct scn_map *m, uint64_t key)
{
	if (!m->keys)
		return;
	size_t hole = find(m, key);
	if (!m->keys[hole])
		return;
	m->keys[hole] = 0;
	m->count--;
	/* Shift back the entries after the hole that could not sit in their
	 * own slot, so that every probe sequence stays unbroken (no
	 * tombstones to sweep later). */
	for (size_t i = (hole + 1) & m->mask; m->keys[i]; i = (i + 1) & m->mask) {
		size_t home = slot_of(m->keys[i], m->mask);
		/* movable unless its home lies cyclically in (hole, i] */
		bool stays = hole <= i ? (home > hole && home <= i)
				       : (home > hole || home <= i);
		if (stays)
			continue;
		m->keys[hole] = m->keys[i];
		m->values[hole] = m->values[i];
		m->keys[i] = 0;
		hole = i;
	}
}

bool scn_map_get(const struct scn_map *m, uint64_t key, uint32_t *value)
{
	if (!m->keys)
		return false;
	size_t at = find(m, key);
	if (!m->keys[at])
		return false;
	*value = m->values[at];
	return true;
}
