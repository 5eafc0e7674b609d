/*
 * What scn-generate's checks (scn-generate-checks.c) share with the
 * generator that drives the world (scn-generate.c): its state, the random
 * stream and the statement output.
 */
#ifndef SCN_GENERATE_H
#define SCN_GENERATE_H

#include <contid.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "scn-records.h"

#define NORCH 4
#define MAX_NEST_DEPTH 5

/* ------------------------------------------------------------- state */

enum where { W_NONE, W_RUNNING, W_ZOMBIE, W_WAITING, W_FIXED };

struct meta {
	uint32_t name;     /* name number: "t<name>"; 0 = unnamed */
	uint32_t pos;      /* index in its pool */
	uint32_t link;     /* threads: leader pid; leaders: live threads */
	uint8_t where;
	uint8_t thread;
	uint8_t depth;     /* nesting depth of its ID, roughly */
};

struct pool {
	uint32_t *pids;
	uint32_t n, cap;
};

struct generator {
	struct contid_world *w;
	FILE *out;
	struct meta *meta;         /* by pid */
	uint32_t pid_limit;
	struct pool running, zombies;
	pid_t orch[NORCH];
	uint32_t *free_names;      /* name numbers to bind again */
	uint32_t nfree_names, next_name;
	uint64_t next_value;
	uint64_t statements, limit;
	uint32_t target;
	char *last[SCN_RECORD_TYPES];  /* newest record of each type */
	size_t last_size[SCN_RECORD_TYPES];
};

extern struct generator g;

uint32_t below(uint32_t n);
/* The name of a live task, for the file. */
const char *name_of(pid_t pid, char buf[16]);
/* Any task the file can name: mostly running ones. */
pid_t pick_any(void);
void begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* scn-generate-checks.c: one check statement, of the world as it is */
void act_check(void);

#endif
