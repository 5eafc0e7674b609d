/*
 * The C half of the record callback: libcontid calls contid_go_record()
 * with the cgo.Handle of the world's Go receiver as its userdata, and
 * contid_go_record() hands the record to the exported Go function
 * contidGoRecord().  (A Go function cannot be given to C as a function
 * pointer of another signature, and the file that holds a //export may
 * define no C function in its preamble: hence this file.)
 */
#include <stdint.h>

#include <contid.h>

#include "_cgo_export.h"

int contid_go_set_record_callback(struct contid_world *w, uintptr_t handle,
				  int on);

static void contid_go_record(void *userdata, int type, const char *line,
			     size_t len)
{
	/* The record's line is only read, and only during the call. */
	contidGoRecord((uintptr_t)userdata, type, (char *)line, len);
}

int contid_go_set_record_callback(struct contid_world *w, uintptr_t handle,
				  int on)
{
	return contid_world_set_record_callback(w,
						on ? contid_go_record : NULL,
						(void *)handle);
}
