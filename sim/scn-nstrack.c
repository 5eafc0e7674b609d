/* Namespaces as a replay made them (scn-nstrack.h). */
#include <contid.h>
#include <stdlib.h>
#include <string.h>

#include "scn-mem.h"
#include "scn-nstrack.h"

void scn_nstrack_init(struct scn_nstrack *t)
{
	memset(t, 0, sizeof(*t));
	SCN_RESERVE(t->userns, t->userns_cap, 1);
	t->userns[0] = (struct scn_userns){ .parent = 0, .owner_uid = 0 };
	t->nuserns = 1;
	t->nnetns = 1;
}

void scn_nstrack_free(struct scn_nstrack *t)
{
	free(t->userns_of);
	free(t->netns_of);
	free(t->userns);
	memset(t, 0, sizeof(*t));
}

/* Makes room for @pid; a pid never seen is in the initial namespaces. */
static void reserve_pid(struct scn_nstrack *t, pid_t pid)
{
	size_t need = (size_t)pid + 1;

	if (need <= t->pids)
		return;
	size_t n = SCN_MAX(need, t->pids * 2);
	t->userns_of = scn_realloc_array(t->userns_of, n, sizeof(*t->userns_of));
	t->netns_of = scn_realloc_array(t->netns_of, n, sizeof(*t->netns_of));
	memset(t->userns_of + t->pids, 0, (n - t->pids) * sizeof(*t->userns_of));
	memset(t->netns_of + t->pids, 0, (n - t->pids) * sizeof(*t->netns_of));
	t->pids = n;
}

/* R-USERNS-NEW: one level below @parent, owned by the creator's uid. */
static uint32_t new_userns(struct scn_nstrack *t, uint32_t parent, uint32_t uid)
{
	SCN_RESERVE(t->userns, t->userns_cap, t->nuserns + 1);
	t->userns[t->nuserns] = (struct scn_userns){
		.parent = parent, .owner_uid = uid,
		.level = t->userns[parent].level + 1,
	};
	return (uint32_t)t->nuserns++;
}

uint32_t scn_nstrack_userns_of(const struct scn_nstrack *t, pid_t pid)
{
	return pid > 0 && (size_t)pid < t->pids ? t->userns_of[pid] : 0;
}

uint32_t scn_nstrack_netns_of(const struct scn_nstrack *t, pid_t pid)
{
	return pid > 0 && (size_t)pid < t->pids ? t->netns_of[pid] : 0;
}

void scn_nstrack_fork(struct scn_nstrack *t, pid_t caller, pid_t child,
		      unsigned flags, uint32_t uid)
{
	uint32_t userns = scn_nstrack_userns_of(t, caller);
	uint32_t netns = scn_nstrack_netns_of(t, caller);

	reserve_pid(t, child);
	if (flags & CONTID_CLONE_NEWUSER)
		userns = new_userns(t, userns, uid);
	if (flags & CONTID_CLONE_NEWNET)
		netns = t->nnetns++;
	/* a reused pid's old entry is simply overwritten */
	t->userns_of[child] = userns;
	t->netns_of[child] = netns;
}

void scn_nstrack_unshare(struct scn_nstrack *t, pid_t pid, int nstype,
			 uint32_t uid)
{
	reserve_pid(t, pid);
	if (nstype == CONTID_NS_USER)
		t->userns_of[pid] = new_userns(t, t->userns_of[pid], uid);
	else if (nstype == CONTID_NS_NET)
		t->netns_of[pid] = t->nnetns++;
}

void scn_nstrack_setns(struct scn_nstrack *t, pid_t pid, int nstype,
		       pid_t other)
{
	uint32_t userns = scn_nstrack_userns_of(t, other);
	uint32_t netns = scn_nstrack_netns_of(t, other);

	reserve_pid(t, pid);
	if (nstype == CONTID_NS_USER)
		t->userns_of[pid] = userns;
	else if (nstype == CONTID_NS_NET)
		t->netns_of[pid] = netns;
}
