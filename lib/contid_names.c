/*
 * Names: errno names and record type names, as procsim and the records
 * print them.
 *
 * Where it sits: at the bottom, beside allocation; it calls nothing.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "contid.h"
#include "contid-export.h"

static const struct {
	int number;
	const char *name;
} errno_names[] = {
	{ EPERM, "EPERM" },           { ENOENT, "ENOENT" },
	{ ESRCH, "ESRCH" },           { EINTR, "EINTR" },
	{ EIO, "EIO" },               { E2BIG, "E2BIG" },
	{ EBADF, "EBADF" },           { ECHILD, "ECHILD" },
	{ EAGAIN, "EAGAIN" },         { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" },         { EFAULT, "EFAULT" },
	{ EBUSY, "EBUSY" },           { EEXIST, "EEXIST" },
	{ EXDEV, "EXDEV" },           { ENODEV, "ENODEV" },
	{ ENOTDIR, "ENOTDIR" },       { EISDIR, "EISDIR" },
	{ EINVAL, "EINVAL" },         { ENFILE, "ENFILE" },
	{ EMFILE, "EMFILE" },         { ENOSPC, "ENOSPC" },
	{ EROFS, "EROFS" },           { EMLINK, "EMLINK" },
	{ ERANGE, "ERANGE" },         { ENAMETOOLONG, "ENAMETOOLONG" },
	{ ENOSYS, "ENOSYS" },         { ENOTEMPTY, "ENOTEMPTY" },
	{ ELOOP, "ELOOP" },           { EBADSLT, "EBADSLT" },
	{ ENOTUNIQ, "ENOTUNIQ" },     { EOVERFLOW, "EOVERFLOW" },
	{ ENOPROTOOPT, "ENOPROTOOPT" }, { EADDRINUSE, "EADDRINUSE" },
	{ EALREADY, "EALREADY" },     { EUCLEAN, "EUCLEAN" },
	{ ENOBUFS, "ENOBUFS" },       { ETIMEDOUT, "ETIMEDOUT" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { EDEADLK, "EDEADLK" },
};

#ifndef CONTID_VERSION_STRING
#error "the build defines CONTID_VERSION_STRING (lib/meson.build)"
#endif

CONTID_EXPORT const char *contid_version(void)
{
	return CONTID_VERSION_STRING;
}

CONTID_EXPORT const char *contid_errno_name(int err)
{
	if (err == INT_MIN)
		return NULL;
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (errno_names[i].number == err)
			return errno_names[i].name;
	return NULL;
}

CONTID_EXPORT int contid_errno_from_name(const char *name)
{
	if (!name)
		return 0;
	/* any case, as capability names: "eperm" is a slip, not another name */
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (strcasecmp(errno_names[i].name, name) == 0)
			return errno_names[i].number;
	return 0;
}

CONTID_EXPORT const char *contid_record_type_name(int type)
{
	switch (type) {
	case CONTID_RECORD_CONTAINER_OP:
		return "CONTAINER_OP";
	case CONTID_RECORD_SET_CAPCONTID:
		return "SET_CAPCONTID";
	case CONTID_RECORD_SYSCALL:
		return "SYSCALL";
	case CONTID_RECORD_OBJ_PID:
		return "OBJ_PID";
	case CONTID_RECORD_NETFILTER_PKT:
		return "NETFILTER_PKT";
	case CONTID_RECORD_CONTAINER_ID:
		return "CONTAINER_ID";
	default:
		return NULL;
	}
}
