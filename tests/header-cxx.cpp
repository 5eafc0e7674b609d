/*
 * contid.h promises to compile as C++: this file is built as C++98 and as
 * C++17 with -pedantic-errors (see tests/meson.build) and links against the
 * C library, which fails if the extern "C" block is missing.
 */
#include <contid.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

/* Compile-time checks: a negative array size breaks the build. */
typedef char unset_is_all_ones[(CONTID_UNSET == static_cast<uint64_t>(-1)) ? 1 : -1];

/* A callback with C language linkage, as the typedef asks for. */
extern "C" {
static void on_record(void *userdata, int type, const char *line, size_t len)
{
	(void)userdata;
	(void)type;
	(void)line;
	(void)len;
}
}

int main()
{
	struct contid_world *w = NULL;
	contid_record_fn fn = on_record;
	int ret;

	ret = contid_world_new(&w);
	if (ret != 0) {
		std::fprintf(stderr, "contid_world_new: %d\n", ret);
		return 1;
	}
	ret = contid_world_set_record_callback(w, fn, NULL);
	contid_world_free(w);
	if (ret != 0) {
		std::fprintf(stderr, "contid_world_set_record_callback: %d\n", ret);
		return 1;
	}
	const char *name = contid_errno_name(-EPERM);
	if (name == NULL || std::strcmp(name, "EPERM") != 0) {
		std::fprintf(stderr, "contid_errno_name(-EPERM): %s\n",
			     name ? name : "(null)");
		return 1;
	}
	return 0;
}
