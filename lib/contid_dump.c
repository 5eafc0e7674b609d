/*
 * A canonical text dump of a world: what the failure-injection tests
 * compare before and after an operation that ran out of memory.
 *
 * Where it sits: above the tree, the ID objects and the namespaces, which
 * it reads; nothing calls it but the API.
 */
#include <stdio.h>
#include <stdlib.h>

#include "contid-export.h"
#include "contid-id.h"
#include "contid-ns.h"
#include "contid-tree.h"

static void dump_chain(FILE *f, const struct contid_obj *obj)
{
	if (!obj) {
		fputs("-1", f);
		return;
	}
	fprintf(f, "%llu", (unsigned long long)obj->value);
	for (obj = obj->parent; obj; obj = obj->parent)
		fprintf(f, ",^%llu", (unsigned long long)obj->value);
}

static void dump_task(FILE *f, const struct contid_world *w, const struct task *t)
{
	const struct task *proc = proc_of(w, t);

	fprintf(f, "task pid=%u identity=%llu tgid=%u ppid=%u state=%s uid=%u "
		   "caps=%llx userns=%llu netns=%llu contid=",
		t->pid, (unsigned long long)t->identity, proc->pid,
		proc->parent != NO_TASK ? task_at(w, proc->parent)->pid : 0,
		t->state == TASK_RUNNING ? "running" : "zombie", t->uid,
		(unsigned long long)t->caps, (unsigned long long)t->userns->id,
		(unsigned long long)t->netns->id);
	dump_chain(f, t->obj);
	fprintf(f, " capcontid=%u released=%u name=%s", t->capcontid,
		t->audit_released, t->name->text);
	if (t == proc) {
		fprintf(f, " subreaper=%u live=%u running=%u children=", proc->subreaper,
			proc->nr_live, proc->nr_running);
		for (uint32_t c = proc->first_child; c != NO_TASK;
		     c = task_at(w, c)->next_sibling)
			fprintf(f, "%s%u", c == proc->first_child ? "" : ",",
				task_at(w, c)->pid);
	}
	fputc('\n', f);
}

/* Section 6a: the daemon and who last signalled it. */
static void dump_signal(FILE *f, const struct contid_world *w)
{
	fputs("signal auditd=", f);
	if (w->auditd_slot != NO_TASK)
		fprintf(f, "%u", task_at(w, w->auditd_slot)->pid);
	else
		fputs("none", f);
	fputs(" pinned=", f);
	if (w->pinned)
		fprintf(f, "%llu", (unsigned long long)w->pinned->value);
	else
		fputs("none", f);
	fprintf(f, " uid=%u pid=%d value=", w->sig_uid, (int)w->sig_pid);
	if (w->sig_value != CONTID_UNSET)
		fprintf(f, "%llu", (unsigned long long)w->sig_value);
	else
		fputs("none", f);
	fputs(" target=", f);
	const struct task *t = w->sig_target_slot != NO_TASK
			       ? task_at(w, w->sig_target_slot) : NULL;
	if (t && t->state != TASK_FREE && t->identity == w->sig_target_identity)
		fprintf(f, "%u identity=%llu\n", t->pid,
			(unsigned long long)t->identity);
	else
		fputs("none\n", f);
}

CONTID_EXPORT int contid_world_dump(const struct contid_world *w, char **text)
{
	char *buf = NULL;
	size_t len = 0;

	if (!w || !text)
		return -EINVAL;
	/* open_memstream allocates with malloc, outside failure injection */
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;

	fprintf(f, "world clock=%llu serial=%llu audit=%d pid_max=%u last_pid=%u "
		   "tasks=%u\n",
		(unsigned long long)w->clock_ms, (unsigned long long)w->serial,
		w->audit, w->pid_max, w->last_pid, w->nr_tasks);
	for (const struct userns *ns = w->userns_live; ns; ns = ns->next_live)
		fprintf(f, "userns id=%llu parent=%llu level=%u owner=%u refs=%u\n",
			(unsigned long long)ns->id,
			(unsigned long long)(ns->parent ? ns->parent->id : 0),
			ns->level, ns->owner_uid, ns->refs);
	for (const struct netns *ns = w->netns_live; ns; ns = ns->next_live) {
		fprintf(f, "netns id=%llu owner=%llu refs=%u ids=",
			(unsigned long long)ns->id, (unsigned long long)ns->owner->id,
			ns->refs);
		for (const struct netns_entry *e = ns->ids.front; e; e = e->front_next)
			fprintf(f, "%s%llu:%u", e == ns->ids.front ? "" : ",",
				(unsigned long long)e->obj->value, e->count);
		fputc('\n', f);
	}
	pid_t pid = 0;
	while (contid_task_next(w, pid, &pid) == 0) {
		const struct task *t = task_by_pid(w, pid);
		if (t) /* every pid contid_task_next() gives is live */
			dump_task(f, w, t);
	}
	const struct contid_obj *obj, *tmp;
	HASH_ITER(hh, w->objs, obj, tmp) {
		fprintf(f, "id value=%llu owner=%llu parent=",
			(unsigned long long)obj->value,
			(unsigned long long)obj->owner_identity);
		if (obj->parent)
			fprintf(f, "%llu", (unsigned long long)obj->parent->value);
		else
			fputs("none", f);
		fprintf(f, " tasks=%u nested=%u\n", obj->task_refs, obj->child_refs);
	}
	dump_signal(f, w);

	if (ferror(f)) {
		fclose(f);
		free(buf);
		return -ENOMEM;
	}
	if (fclose(f) != 0) {
		free(buf);
		return -ENOMEM;
	}
	*text = buf;
	return 0;
}
