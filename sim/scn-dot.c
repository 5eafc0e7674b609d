/*
 * Graphviz pictures of final worlds: the process tree (threads grouped,
 * zombies marked) with each task's ID, and the ID objects with their owner
 * and nesting parent.  One cluster per scenario file.
 */
#include <contid.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "scn-dot.h"
#include "scn-map.h"
#include "scn-mem.h"
#include "scn-names.h"

struct scn_dot {
	FILE *f;
	unsigned files;
};

struct scn_dot *scn_dot_begin(FILE *f)
{
	struct scn_dot *d = scn_calloc(1, sizeof(*d));

	d->f = f;
	fprintf(f, "digraph procsim {\n"
		   "  rankdir=TB;\n"
		   "  node [fontname=\"Helvetica\", fontsize=10];\n");
	return d;
}

void scn_dot_end(struct scn_dot *d)
{
	fprintf(d->f, "}\n");
	free(d);
}

/* A label-safe copy: names are [A-Za-z0-9_.-], paths may be anything. */
static void dot_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* Which binding names each pid: the first one, as bindings are numbered. */
static void map_names(struct scn_map *by_pid, const struct scn_names *names,
		      const pid_t *pids, const bool *present)
{
	for (scn_binding b = 0; b < scn_names_count(names); b++)
		if (present[b] && pids[b] > 0)
			scn_map_add(by_pid, (uint64_t)pids[b], b);
}

void scn_dot_world(void *data, const char *path, const struct contid_world *w,
		   const struct scn_names *names, const pid_t *pids,
		   const bool *present)
{
	struct scn_dot *d = data;
	FILE *f = d->f;
	unsigned n = d->files++;
	pid_t pid = 0;
	struct scn_map by_pid = SCN_MAP_INIT;

	map_names(&by_pid, names, pids, present);
	fprintf(f, "  subgraph cluster_file%u {\n    label=\"", n);
	dot_text(f, path);
	fprintf(f, "\";\n");

	/* tasks, grouped by process */
	while (contid_task_next(w, pid, &pid) == 0) {
		pid_t tgid = pid, ppid = 0;
		int state = CONTID_TASK_RUNNING;
		uint64_t id = CONTID_UNSET;
		contid_task_tgid(w, pid, &tgid);
		contid_task_ppid(w, pid, &ppid);
		contid_task_state(w, pid, &state);
		contid_task_contid(w, pid, &id);
		uint32_t b;
		const char *name = scn_map_get(&by_pid, (uint64_t)pid, &b)
				   ? scn_names_name(names, b) : NULL;

		fprintf(f, "    subgraph cluster_f%u_p%d { label=\"process %d\"; style=%s;\n",
			n, (int)tgid, (int)tgid, "rounded");
		fprintf(f, "      f%u_t%d [shape=ellipse, label=\"", n, (int)pid);
		dot_text(f, name ? name : "(unnamed)");
		fprintf(f, "\\npid %d", (int)pid);
		if (id != CONTID_UNSET)
			fprintf(f, "\\nID %" PRIu64, id);
		fprintf(f, "\"%s];\n    }\n",
			state == CONTID_TASK_ZOMBIE ? ", style=dashed, color=gray40, "
						      "fontcolor=gray40, xlabel=\"zombie\""
						    : "");
		if (pid == tgid && ppid > 0)
			fprintf(f, "    f%u_t%d -> f%u_t%d;\n", n, (int)ppid, n, (int)pid);
	}

	/* ID objects */
	int count = contid_id_list(w, NULL, 0);
	uint64_t *values = scn_calloc(count > 0 ? (size_t)count : 1, sizeof(*values));
	count = contid_id_list(w, values, (size_t)(count > 0 ? count : 0));
	for (int i = 0; i < count; i++) {
		uint64_t parent = CONTID_UNSET;
		pid_t owner = 0;
		unsigned users = 0;
		contid_id_parent(w, values[i], &parent);
		contid_id_owner(w, values[i], NULL, &owner);
		contid_id_users(w, values[i], &users);
		fprintf(f, "    f%u_id%" PRIu64 " [shape=box, style=filled, fillcolor=lightyellow, "
			"label=\"ID %" PRIu64 "\\n%u user%s\"];\n", n, values[i], values[i], users,
			users == 1 ? "" : "s");
		if (parent != CONTID_UNSET)
			fprintf(f, "    f%u_id%" PRIu64 " -> f%u_id%" PRIu64
				" [style=dashed, label=\"parent\"];\n", n, values[i], n, parent);
		if (owner)
			fprintf(f, "    f%u_id%" PRIu64 " -> f%u_t%d [style=dotted, label=\"owner\"];\n",
				n, values[i], n, (int)owner);
	}
	free(values);
	scn_map_free(&by_pid);
	fprintf(f, "  }\n");
}
