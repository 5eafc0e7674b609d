/* The record types a scenario can check (scn-records.h). */
#include <contid.h>

#include "scn-records.h"

/* By index. */
static const int types[SCN_RECORD_TYPES] = {
	CONTID_RECORD_CONTAINER_OP,
	CONTID_RECORD_SET_CAPCONTID,
	CONTID_RECORD_SYSCALL,
	CONTID_RECORD_NETFILTER_PKT,
	CONTID_RECORD_CONTAINER_ID,
	CONTID_RECORD_OBJ_PID,
};

int scn_record_index(int type)
{
	for (int i = 0; i < SCN_RECORD_TYPES; i++)
		if (types[i] == type)
			return i;
	return -1;
}

int scn_record_type(unsigned index)
{
	return index < SCN_RECORD_TYPES ? types[index] : 0;
}
