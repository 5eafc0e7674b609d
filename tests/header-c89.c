/*
 * contid.h promises to compile as C89: this file is built with -std=c89
 * -pedantic-errors (see tests/meson.build), without _GNU_SOURCE, and links
 * against the library so that a declaration drifting from the definition
 * shows up here too.
 */
#include <contid.h>

#include <stdio.h>
#include <string.h>

/* Compile-time checks: a negative array size breaks the build. */
typedef char unset_is_all_ones[(CONTID_UNSET == (uint64_t)-1) ? 1 : -1];
typedef char flags_are_distinct[((CONTID_CLONE_THREAD | CONTID_CLONE_PARENT |
				  CONTID_CLONE_NEWUSER | CONTID_CLONE_NEWNET) ==
				 0xfu) ? 1 : -1];

static void on_record(void *userdata, int type, const char *line, size_t len)
{
	(void)userdata;
	(void)type;
	(void)line;
	(void)len;
}

int main(void)
{
	struct contid_world *w = NULL;
	contid_record_fn fn = on_record;
	const char *name;
	int ret;

	ret = contid_world_new(&w);
	if (ret != 0) {
		fprintf(stderr, "contid_world_new: %d\n", ret);
		return 1;
	}
	ret = contid_world_set_record_callback(w, fn, NULL);
	contid_world_free(w);
	if (ret != 0) {
		fprintf(stderr, "contid_world_set_record_callback: %d\n", ret);
		return 1;
	}
	name = contid_record_type_name(CONTID_RECORD_CONTAINER_OP);
	if (name == NULL || strcmp(name, "CONTAINER_OP") != 0) {
		fprintf(stderr, "contid_record_type_name(1020): %s\n",
			name ? name : "(null)");
		return 1;
	}
	return 0;
}
