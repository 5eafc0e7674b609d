/*
 * A map from non-zero 64-bit keys (pids, task identities) to 32-bit
 * values, for the passes that must find a task's name among a million.
 */
#ifndef SCN_MAP_H
#define SCN_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scn_map {
	uint64_t *keys;      /* 0: an empty slot */
	uint32_t *values;
	size_t mask;         /* slots - 1, or 0 before the first insertion */
	size_t count;
};

#define SCN_MAP_INIT { NULL, NULL, 0, 0 }

void scn_map_free(struct scn_map *m);
/* Maps @key (non-zero) to @value, replacing what it mapped to. */
void scn_map_set(struct scn_map *m, uint64_t key, uint32_t value);
/* Maps @key to @value unless it maps to something already. */
void scn_map_add(struct scn_map *m, uint64_t key, uint32_t value);
/* Forgets @key, if it maps to anything. */
void scn_map_remove(struct scn_map *m, uint64_t key);
/* What @key maps to, in *@value; false if nothing. */
bool scn_map_get(const struct scn_map *m, uint64_t key, uint32_t *value);

#endif
