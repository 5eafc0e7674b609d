/* Properties written by users (procsim explore --properties FILE). */
#ifndef EXPLORE_UPROPS_H
#define EXPLORE_UPROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scn-error.h"
#include "scn-mem.h"

struct contid_world;
struct xuprops;

typedef bool (*xuprops_lookup_fn)(void *data, const char *name, pid_t *pid,
				  uint64_t *identity);

int xuprops_load(const char *data, size_t len, xuprops_lookup_fn lookup,
		 void *lookup_data, const uint64_t *values, size_t nvalues,
		 struct xuprops **out, struct scn_error *err);
size_t xuprops_count(const struct xuprops *p);
const char *xuprops_name(const struct xuprops *p, size_t i);
int xuprops_eval(const struct xuprops *p, size_t i, const struct contid_world *w,
		 const char *(*name)(void *data, pid_t pid), void *name_data,
		 struct scn_str *why);
void xuprops_free(struct xuprops *p);

#endif
