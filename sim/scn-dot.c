/*
 * Graphviz pictures of final worlds (procsim --dot), one cluster per
 * scenario file.  User namespaces are nested clusters (level and owner
 * uid), network namespaces fill colours; tasks are grouped by process and
 * show their uid, ID and capcontid; ID objects sit next to their first
 * holder, with dotted owner and dashed parent edges that do not pull them
 * up the tree.  A world of more than DOT_DETAIL_MAX tasks is drawn as a
 * summary instead: one node per ID in each user namespace, standing for
 * the tasks that hold it, so that the picture stays readable and its size
 * follows the number of IDs and namespaces, not of tasks.  Every pass is
 * linear in the size of the world (a million tasks take seconds).
 */
#include <contid.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "scn-dot.h"
#include "scn-map.h"
#include "scn-mem.h"
#include "scn-names.h"
#include "scn-nstrack.h"

#define NONE UINT32_MAX

struct scn_dot {
	FILE *f;
	unsigned files;
	size_t detail_max;       /* more tasks than this: a summary */
};

struct dot_task {
	pid_t pid, tgid, ppid;
	uint64_t id;            /* CONTID_UNSET: none */
	uint32_t uid, capcontid;
	uint32_t userns, netns;
	uint32_t id_index;      /* in struct world's ids, or NONE */
	uint32_t group;         /* the process (detail) or group (summary) */
	bool zombie;
};

struct dot_id {
	uint64_t value;
	uint32_t first;         /* the first task holding it, or NONE */
	uint32_t users;
	uint32_t group;         /* summary: the node that stands for it */
};

/* A process (detail) or a group of tasks (summary). */
struct dot_group {
	uint32_t userns;        /* its (first) task's */
	uint32_t id_index;      /* summary: the ID its tasks hold, or NONE */
	uint32_t first_task;    /* its first task */
	uint32_t ntasks, processes, zombies, capcontid;
	uint32_t uid, netns;
	unsigned min_level, max_level;
	bool uids_differ, netns_differ, userns_differ;
	uint32_t node;          /* summary: the node drawn for it */
	uint32_t folded;        /* summary: the node of this many folded IDs */
};

/* An index list per key 0..nkeys-1 (counting sort): members of key k are
 * items[start[k] .. start[k + 1]). */
struct buckets {
	uint32_t *start;
	uint32_t *items;
};

struct world {
	FILE *f;
	unsigned n;                     /* the file's number */
	const struct scn_final *fin;
	struct dot_task *tasks;
	size_t ntasks;
	uint32_t *task_of_pid;          /* by pid: index in tasks, or NONE */
	uint32_t *name_of_pid;          /* detail, by pid: the binding that
					 * names it, or NONE */
	size_t pids;                    /* entries in both: the last pid + 1 */
	struct dot_id *ids;
	size_t nids, ids_cap;
	struct scn_map id_of_value;     /* value + 1 -> index in ids */
	struct dot_group *groups;
	size_t ngroups, groups_cap;
	size_t nuserns;
	bool *userns_drawn;             /* has a task or an ID in its subtree */
	struct buckets userns_children; /* drawn namespaces by parent */
	struct buckets groups_in;       /* groups by user namespace */
	struct buckets ids_in;          /* detail: ID nodes by user namespace,
					 * key nuserns: outside every one */
	struct buckets members;         /* detail: tasks by process */
};

struct scn_dot *scn_dot_begin(FILE *f, size_t detail_max)
{
	struct scn_dot *d = scn_calloc(1, sizeof(*d));

	d->f = f;
	d->detail_max = detail_max;
	fprintf(f, "digraph procsim {\n"
		   "  rankdir=TB;\n"
		   "  fontname=\"Helvetica\";\n"
		   "  node [fontname=\"Helvetica\", fontsize=10];\n"
		   "  edge [fontname=\"Helvetica\", fontsize=9];\n");
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

/* ---------------------------------------------------------- colours */

/* Network namespaces: the initial one white, the others by number. */
static const char *const netns_colours[] = {
	"lightblue", "palegreen", "lightpink", "wheat", "thistle",
	"lightcyan", "khaki", "peachpuff",
};

static const char *netns_colour(uint32_t netns)
{
	if (netns == 0)
		return "white";
	return netns_colours[(netns - 1) % SCN_N_ELEMENTS(netns_colours)];
}

/* User namespaces: a darker grey one level down. */
static const char *userns_colour(unsigned level)
{
	static const char *const greys[] = {
		"white", "gray95", "gray90", "gray85", "gray80",
	};
	return greys[level < SCN_N_ELEMENTS(greys) ? level
						   : SCN_N_ELEMENTS(greys) - 1];
}

/* ---------------------------------------------------------- buckets */

static void buckets_fill(struct buckets *b, size_t nkeys, size_t nitems,
			 uint32_t (*key_of)(const struct world *, size_t),
			 const struct world *w)
{
	b->start = scn_calloc(nkeys + 2, sizeof(*b->start));
	b->items = scn_calloc(nitems ? nitems : 1, sizeof(*b->items));
	for (size_t i = 0; i < nitems; i++) {
		uint32_t k = key_of(w, i);
		if (k != NONE)
			b->start[k + 2]++;
	}
	for (size_t k = 0; k < nkeys; k++)
		b->start[k + 2] += b->start[k + 1];
	/* start[k + 1] is now where key k's next item goes */
	for (size_t i = 0; i < nitems; i++) {
		uint32_t k = key_of(w, i);
		if (k != NONE)
			b->items[b->start[k + 1]++] = (uint32_t)i;
	}
}

static void buckets_free(struct buckets *b)
{
	free(b->start);
	free(b->items);
}

#define FOR_EACH_IN(b, key, var) \
	for (uint32_t var##_at = (b)->start[key], var; \
	     var##_at < (b)->start[(key) + 1] && \
	     ((var = (b)->items[var##_at]), true); var##_at++)

/* ------------------------------------------------------- collecting */

static uint32_t task_index(const struct world *w, pid_t pid)
{
	return pid > 0 && (size_t)pid < w->pids ? w->task_of_pid[pid] : NONE;
}

static uint32_t id_index(struct world *w, uint64_t value, bool add)
{
	uint32_t i;

	if (scn_map_get(&w->id_of_value, value + 1, &i))
		return i;
	if (!add)
		return NONE;
	SCN_RESERVE(w->ids, w->ids_cap, w->nids + 1);
	w->ids[w->nids] = (struct dot_id){ .value = value, .first = NONE,
					   .group = NONE };
	scn_map_set(&w->id_of_value, value + 1, (uint32_t)w->nids);
	return (uint32_t)w->nids++;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Every task in pid order, and every ID: first those held, in the order
 * of their first holder, then the others (nested parents) by value. */
static void collect(struct world *w)
{
	const struct contid_world *cw = w->fin->w;
	pid_t pid = 0;

	w->tasks = scn_calloc(contid_task_count(cw) + 1, sizeof(*w->tasks));
	while (contid_task_next(cw, pid, &pid) == 0) {
		struct dot_task *t = &w->tasks[w->ntasks];
		int state = CONTID_TASK_RUNNING;
		*t = (struct dot_task){ .pid = pid, .tgid = pid, .id = CONTID_UNSET,
					.id_index = NONE, .group = NONE };
		contid_task_tgid(cw, pid, &t->tgid);
		contid_task_ppid(cw, pid, &t->ppid);
		contid_task_state(cw, pid, &state);
		contid_task_contid(cw, pid, &t->id);
		contid_task_uid(cw, pid, &t->uid);
		contid_task_capcontid(cw, pid, &t->capcontid);
		t->zombie = state == CONTID_TASK_ZOMBIE;
		t->userns = scn_nstrack_userns_of(w->fin->ns, pid);
		t->netns = scn_nstrack_netns_of(w->fin->ns, pid);
		if (t->id != CONTID_UNSET) {
			t->id_index = id_index(w, t->id, true);
			struct dot_id *id = &w->ids[t->id_index];
			if (id->first == NONE)
				id->first = (uint32_t)w->ntasks;
			id->users++;
		}
		w->ntasks++;
	}
	/* tasks come in pid order: the last one has the largest pid */
	w->pids = w->ntasks ? (size_t)w->tasks[w->ntasks - 1].pid + 1 : 1;
	w->task_of_pid = scn_realloc_array(NULL, w->pids, sizeof(*w->task_of_pid));
	memset(w->task_of_pid, 0xff, w->pids * sizeof(*w->task_of_pid));
	for (size_t i = 0; i < w->ntasks; i++)
		w->task_of_pid[w->tasks[i].pid] = (uint32_t)i;

	int count = contid_id_list(cw, NULL, 0);
	uint64_t *values = scn_calloc(count > 0 ? (size_t)count : 1, sizeof(*values));
	count = contid_id_list(cw, values, (size_t)(count > 0 ? count : 0));
	size_t rest = 0;
	for (int i = 0; i < count; i++)
		if (id_index(w, values[i], false) == NONE)
			values[rest++] = values[i];
	qsort(values, rest, sizeof(*values), cmp_u64);
	for (size_t i = 0; i < rest; i++)
		id_index(w, values[i], true);
	free(values);
}

static uint32_t userns_parent_key(const struct world *w, size_t u)
{
	const struct scn_nstrack *ns = w->fin->ns;

	return u > 0 && w->userns_drawn[u] ? ns->userns[u].parent : NONE;
}

static uint32_t group_userns_key(const struct world *w, size_t g)
{
	return w->groups[g].userns;
}

/* Marks the namespaces that hold something, and those above them. */
static void userns_tree(struct world *w)
{
	const struct scn_nstrack *ns = w->fin->ns;

	w->nuserns = ns->nuserns;
	w->userns_drawn = scn_calloc(w->nuserns, sizeof(*w->userns_drawn));
	w->userns_drawn[0] = true;
	for (size_t g = 0; g < w->ngroups; g++)
		w->userns_drawn[w->groups[g].userns] = true;
	/* a namespace is made after its parent: children have higher numbers */
	for (size_t u = w->nuserns - 1; u > 0; u--)
		if (w->userns_drawn[u])
			w->userns_drawn[ns->userns[u].parent] = true;
	buckets_fill(&w->userns_children, w->nuserns, w->nuserns,
		     userns_parent_key, w);
	buckets_fill(&w->groups_in, w->nuserns, w->ngroups, group_userns_key, w);
}

static uint32_t new_group(struct world *w, uint32_t userns, uint32_t id)
{
	SCN_RESERVE(w->groups, w->groups_cap, w->ngroups + 1);
	w->groups[w->ngroups] = (struct dot_group){ .userns = userns,
						    .id_index = id,
						    .first_task = NONE };
	return (uint32_t)w->ngroups++;
}

/* Adds task @i to group @g's figures. */
static void group_count(struct world *w, uint32_t g, uint32_t i)
{
	struct dot_group *grp = &w->groups[g];
	const struct dot_task *t = &w->tasks[i];

	if (!grp->ntasks++) {
		grp->uid = t->uid;
		grp->netns = t->netns;
		grp->first_task = i;
	}
	unsigned level = w->fin->ns->userns[t->userns].level;
	if (grp->ntasks == 1) {
		grp->userns = t->userns;
		grp->min_level = grp->max_level = level;
	}
	grp->uids_differ |= grp->uid != t->uid;
	grp->netns_differ |= grp->netns != t->netns;
	grp->userns_differ |= grp->userns != t->userns;
	grp->min_level = level < grp->min_level ? level : grp->min_level;
	grp->max_level = SCN_MAX(grp->max_level, level);
	grp->processes += t->pid == t->tgid;
	grp->zombies += t->zombie;
	grp->capcontid += t->capcontid != 0;
	w->tasks[i].group = g;
}

/* ------------------------------------------------------------ detail */

static uint32_t task_group_key(const struct world *w, size_t i)
{
	return w->tasks[i].group;
}

static uint32_t id_userns_key(const struct world *w, size_t i)
{
	const struct dot_id *id = &w->ids[i];
	pid_t owner = 0;

	if (id->first != NONE)
		return w->tasks[id->first].userns;
	contid_id_owner(w->fin->w, id->value, NULL, &owner);
	uint32_t t = task_index(w, owner);
	return t != NONE ? w->tasks[t].userns : (uint32_t)w->nuserns;
}

/* Processes: every task joins its leader's (the leader is listed first,
 * having the lowest pid of its process). */
static void detail_groups(struct world *w)
{
	struct scn_map process_of_tgid = SCN_MAP_INIT;

	for (uint32_t i = 0; i < w->ntasks; i++) {
		const struct dot_task *t = &w->tasks[i];
		uint32_t g;
		if (!scn_map_get(&process_of_tgid, (uint64_t)t->tgid, &g)) {
			g = new_group(w, t->userns, NONE);
			scn_map_set(&process_of_tgid, (uint64_t)t->tgid, g);
		}
		group_count(w, g, i);
	}
	scn_map_free(&process_of_tgid);
	buckets_fill(&w->members, w->ngroups, w->ntasks, task_group_key, w);
}

static void task_node(struct world *w, uint32_t i, const char *indent)
{
	const struct dot_task *t = &w->tasks[i];
	FILE *f = w->f;
	uint32_t b = w->name_of_pid[t->pid];
	const char *name = b != NONE ? scn_names_name(w->fin->names, b) : NULL;

	fprintf(f, "%sf%u_t%d [label=\"", indent, w->n, (int)t->pid);
	dot_text(f, name ? name : "(unnamed)");
	fprintf(f, "\\npid %d, uid %" PRIu32, (int)t->pid, t->uid);
	if (t->id != CONTID_UNSET)
		fprintf(f, "\\nID %" PRIu64, t->id);
	if (t->capcontid)
		fprintf(f, "\\ncapcontid %" PRIu32, t->capcontid);
	if (t->netns)
		fprintf(f, "\\nnetns %" PRIu32, t->netns);
	fprintf(f, "\", style=%s, fillcolor=%s",
		t->zombie ? "\"filled,dashed\"" : "filled", netns_colour(t->netns));
	if (t->capcontid)
		fprintf(f, ", peripheries=2");
	if (t->zombie)
		fprintf(f, ", color=gray40, fontcolor=gray40, xlabel=\"zombie\"");
	fprintf(f, "];\n");
}

static void id_node(struct world *w, uint32_t i, const char *indent)
{
	const struct dot_id *id = &w->ids[i];
	unsigned users = 0;

	contid_id_users(w->fin->w, id->value, &users);
	fprintf(w->f, "%sf%u_id%" PRIu64 " [shape=box, style=filled, "
		"fillcolor=lightyellow, label=\"ID %" PRIu64 "\\n%u user%s\"];\n",
		indent, w->n, id->value, id->value, users, users == 1 ? "" : "s");
}

static void userns_label(struct world *w, uint32_t u)
{
	const struct scn_userns *ns = &w->fin->ns->userns[u];

	if (u == 0)
		fprintf(w->f, "label=\"initial user namespace\"; ");
	else
		fprintf(w->f, "label=\"user namespace %" PRIu32 ": level %u, "
			"owner uid %" PRIu32 "\"; ", u, ns->level, ns->owner_uid);
	fprintf(w->f, "labeljust=l; style=filled; color=gray50; fillcolor=%s;\n",
		userns_colour(ns->level));
}

/* What a summary or detailed picture puts inside a user namespace. */
typedef void (*userns_content)(struct world *w, uint32_t u, const char *indent);

static void emit_userns(struct world *w, uint32_t u, unsigned depth,
			userns_content content)
{
	char indent[80];
	size_t width = SCN_MAX(4, 2 * (size_t)depth + 4);

	if (width >= sizeof(indent))
		width = sizeof(indent) - 1;
	memset(indent, ' ', width);
	indent[width] = '\0';
	fprintf(w->f, "%.*ssubgraph cluster_f%u_u%" PRIu32 " {\n%s", (int)width - 2,
		indent, w->n, u, indent);
	userns_label(w, u);
	content(w, u, indent);
	FOR_EACH_IN(&w->userns_children, u, child)
		emit_userns(w, child, depth + 1, content);
	fprintf(w->f, "%.*s}\n", (int)width - 2, indent);
}

/* A process of one task is that task; threads are framed with their
 * leader. */
static void detail_content(struct world *w, uint32_t u, const char *indent)
{
	FOR_EACH_IN(&w->groups_in, u, g) {
		const struct dot_group *grp = &w->groups[g];
		if (grp->ntasks == 1) {
			task_node(w, grp->first_task, indent);
			continue;
		}
		pid_t tgid = w->tasks[grp->first_task].tgid;
		fprintf(w->f, "%ssubgraph cluster_f%u_p%d { label=\"process %d\"; "
			"style=rounded; color=black;\n", indent, w->n, (int)tgid,
			(int)tgid);
		FOR_EACH_IN(&w->members, g, i) {
			fprintf(w->f, "%s  ", indent);
			task_node(w, i, "");
		}
		fprintf(w->f, "%s}\n", indent);
	}
	FOR_EACH_IN(&w->ids_in, u, i)
		id_node(w, i, indent);
}

static void detail(struct world *w)
{
	FILE *f = w->f;
	unsigned n = w->n;
	const struct scn_final *fin = w->fin;

	/* the first binding that names a pid: bindings are numbered in the
	 * order the file made them */
	w->name_of_pid = scn_realloc_array(NULL, w->pids, sizeof(*w->name_of_pid));
	memset(w->name_of_pid, 0xff, w->pids * sizeof(*w->name_of_pid));
	for (scn_binding b = 0; b < scn_names_count(fin->names); b++) {
		pid_t pid = fin->pids[b];
		if (fin->present[b] && pid > 0 && (size_t)pid < w->pids &&
		    w->name_of_pid[pid] == NONE)
			w->name_of_pid[pid] = b;
	}
	detail_groups(w);
	userns_tree(w);
	buckets_fill(&w->ids_in, w->nuserns + 1, w->nids, id_userns_key, w);
	emit_userns(w, 0, 1, detail_content);
	FOR_EACH_IN(&w->ids_in, (uint32_t)w->nuserns, i)
		id_node(w, i, "    ");

	/* the process tree: leaders hang from their parent's leader */
	for (size_t i = 0; i < w->ntasks; i++) {
		const struct dot_task *t = &w->tasks[i];
		if (t->pid == t->tgid && task_index(w, t->ppid) != NONE)
			fprintf(f, "    f%u_t%d -> f%u_t%d;\n", n, (int)t->ppid, n,
				(int)t->pid);
	}
	for (size_t i = 0; i < w->nids; i++) {
		const struct dot_id *id = &w->ids[i];
		uint64_t parent = CONTID_UNSET;
		pid_t owner = 0;
		contid_id_parent(w->fin->w, id->value, &parent);
		contid_id_owner(w->fin->w, id->value, NULL, &owner);
		/* next to its first holder: a rank below it */
		if (id->first != NONE)
			fprintf(f, "    f%u_t%d -> f%u_id%" PRIu64 " [style=invis];\n",
				n, (int)w->tasks[id->first].pid, n, id->value);
		if (parent != CONTID_UNSET)
			fprintf(f, "    f%u_id%" PRIu64 " -> f%u_id%" PRIu64
				" [style=dashed, label=\"parent\", constraint=false];\n",
				n, id->value, n, parent);
		if (owner && task_index(w, owner) != NONE)
			fprintf(f, "    f%u_id%" PRIu64 " -> f%u_t%d [style=dotted, "
				"label=\"owner\", constraint=false];\n", n, id->value, n,
				(int)owner);
	}
}

/* ----------------------------------------------------------- summary */

/*
 * A summary has at most this many nodes, so that its picture stays
 * readable: the tasks are grouped by user namespace and ID (in the
 * namespaces' clusters) while that makes few enough groups, else by ID
 * alone, and then the IDs with the fewest tasks share one node.
 */
#define SUMMARY_MAX_NODES 40
/* Children of one node per rank, at most. */
#define STAGGER 6

/* The key of a task's group: its ID (or none), and its user namespace. */
static uint64_t group_key(uint32_t userns, uint32_t id, bool by_userns)
{
	uint64_t k = id == NONE ? 0 : (uint64_t)id + 1;

	return by_userns ? ((uint64_t)userns + 1) << 32 | k : k + 1;
}

/* One group per ID (or no ID), in each user namespace @by_userns; an ID
 * no task holds (a nested ID's parent) gets a group of its own. */
static void summary_groups(struct world *w, bool by_userns)
{
	struct scn_map group_of = SCN_MAP_INIT;

	w->ngroups = 0;
	for (uint32_t i = 0; i < w->nids; i++)
		w->ids[i].group = NONE;
	for (uint32_t i = 0; i < w->ntasks; i++) {
		const struct dot_task *t = &w->tasks[i];
		uint64_t key = group_key(t->userns, t->id_index, by_userns);
		uint32_t g;
		if (!scn_map_get(&group_of, key, &g)) {
			g = new_group(w, by_userns ? t->userns : 0, t->id_index);
			scn_map_set(&group_of, key, g);
			if (t->id_index != NONE && w->ids[t->id_index].group == NONE)
				w->ids[t->id_index].group = g;
		}
		group_count(w, g, i);
	}
	scn_map_free(&group_of);
	for (uint32_t i = 0; i < w->nids; i++) {
		if (w->ids[i].group != NONE)
			continue;
		pid_t owner = 0;
		contid_id_owner(w->fin->w, w->ids[i].value, NULL, &owner);
		uint32_t t = task_index(w, owner);
		uint32_t userns = by_userns && t != NONE ? w->tasks[t].userns : 0;
		w->ids[i].group = new_group(w, userns, i);
	}
	for (uint32_t g = 0; g < w->ngroups; g++)
		w->groups[g].node = g;
}

/* Adds @src's figures to @dst's (the node for the folded IDs). */
static void group_merge(struct dot_group *dst, const struct dot_group *src)
{
	if (!src->ntasks)
		return;
	if (!dst->ntasks) {
		dst->uid = src->uid;
		dst->netns = src->netns;
		dst->userns = src->userns;
		dst->min_level = src->min_level;
		dst->max_level = src->max_level;
	}
	dst->uids_differ |= src->uids_differ || dst->uid != src->uid;
	dst->netns_differ |= src->netns_differ || dst->netns != src->netns;
	dst->userns_differ |= src->userns_differ || dst->userns != src->userns;
	dst->min_level = src->min_level < dst->min_level ? src->min_level
							 : dst->min_level;
	dst->max_level = SCN_MAX(dst->max_level, src->max_level);
	dst->ntasks += src->ntasks;
	dst->processes += src->processes;
	dst->zombies += src->zombies;
	dst->capcontid += src->capcontid;
}

/*
 * Keeps the group of the tasks without an ID and the SUMMARY_MAX_NODES - 2
 * groups with the most tasks (the first ones, on a tie); the others are
 * drawn as one node.  A histogram of the group sizes finds the cut in
 * linear time.
 */
static void fold_groups(struct world *w)
{
	size_t budget = SUMMARY_MAX_NODES - 2, kept = 0;
	uint32_t largest = 0;

	if (w->ngroups <= SUMMARY_MAX_NODES)
		return;
	for (size_t g = 0; g < w->ngroups; g++)
		if (w->groups[g].id_index != NONE)
			largest = SCN_MAX(largest, w->groups[g].ntasks);
	size_t *count = scn_calloc((size_t)largest + 1, sizeof(*count));
	for (size_t g = 0; g < w->ngroups; g++)
		if (w->groups[g].id_index != NONE)
			count[w->groups[g].ntasks]++;
	/* keep every group larger than @cut, and some of size @cut */
	int64_t cut = largest;
	for (; cut >= 0 && kept + count[cut] <= budget; cut--)
		kept += count[cut];
	free(count);
	size_t ties = budget - kept;
	uint32_t fold = new_group(w, 0, NONE);
	struct dot_group *f = &w->groups[fold];
	f->node = fold;
	for (uint32_t g = 0; g < fold; g++) {
		struct dot_group *grp = &w->groups[g];
		if (grp->id_index == NONE || (int64_t)grp->ntasks > cut)
			continue;
		if ((int64_t)grp->ntasks == cut && ties) {
			ties--;
			continue;
		}
		grp->node = fold;
		group_merge(f, grp);
		f->folded++;
	}
}

static void group_node(struct world *w, uint32_t g, const char *indent,
		       bool by_userns)
{
	const struct dot_group *grp = &w->groups[g];
	const struct scn_nstrack *ns = w->fin->ns;
	FILE *f = w->f;

	fprintf(f, "%sf%u_g%" PRIu32 " [shape=box, style=\"filled,rounded\", label=\"",
		indent, w->n, g);
	if (grp->folded)
		fprintf(f, "%" PRIu32 " more IDs\\n", grp->folded);
	else if (grp->id_index != NONE)
		fprintf(f, "ID %" PRIu64 "\\n", w->ids[grp->id_index].value);
	else
		fprintf(f, "no ID\\n");
	if (!grp->ntasks) {
		fprintf(f, "held by no task\", fillcolor=lightyellow];\n");
		return;
	}
	fprintf(f, "%" PRIu32 " task%s in %" PRIu32 " process%s", grp->ntasks,
		grp->ntasks == 1 ? "" : "s", grp->processes,
		grp->processes == 1 ? "" : "es");
	if (grp->zombies)
		fprintf(f, "\\n%" PRIu32 " zombie%s", grp->zombies,
			grp->zombies == 1 ? "" : "s");
	if (grp->uids_differ)
		fprintf(f, "\\nseveral uids");
	else
		fprintf(f, "\\nuid %" PRIu32, grp->uid);
	if (grp->capcontid)
		fprintf(f, "\\n%" PRIu32 " with capcontid", grp->capcontid);
	/* without the clusters, the label says where the tasks are */
	if (!by_userns && grp->userns_differ && grp->min_level != grp->max_level)
		fprintf(f, "\\nuser namespaces of levels %u to %u", grp->min_level,
			grp->max_level);
	else if (!by_userns && grp->userns_differ)
		fprintf(f, "\\nuser namespaces of level %u", grp->min_level);
	else if (!by_userns && grp->userns)
		fprintf(f, "\\nuser namespace %" PRIu32 ", level %u", grp->userns,
			ns->userns[grp->userns].level);
	if (grp->netns_differ)
		fprintf(f, "\\nseveral netns");
	else if (grp->netns)
		fprintf(f, "\\nnetns %" PRIu32, grp->netns);
	fprintf(f, "\", fillcolor=%s%s];\n",
		grp->netns_differ ? "white" : netns_colour(grp->netns),
		grp->capcontid ? ", peripheries=2" : "");
}

static void summary_content(struct world *w, uint32_t u, const char *indent)
{
	FOR_EACH_IN(&w->groups_in, u, g)
		group_node(w, g, indent, true);
}

/* Distinct edges between nodes, in the order first seen. */
struct edge_set {
	struct scn_map index;    /* (from + 1) << 32 | (to + 1) -> edge */
	uint64_t *keys;
	uint32_t *counts;
	size_t n, cap;
};

static void edge_add(struct edge_set *e, uint32_t from, uint32_t to)
{
	uint64_t key = ((uint64_t)from + 1) << 32 | ((uint64_t)to + 1);
	uint32_t k;

	if (from == to)
		return;
	if (scn_map_get(&e->index, key, &k)) {
		e->counts[k]++;
		return;
	}
	size_t cap = e->cap;
	SCN_RESERVE(e->keys, e->cap, e->n + 1);
	if (e->cap != cap || !e->counts)
		e->counts = scn_realloc_array(e->counts, e->cap, sizeof(*e->counts));
	e->keys[e->n] = key;
	e->counts[e->n] = 1;
	scn_map_set(&e->index, key, (uint32_t)e->n++);
}

static void edge_set_free(struct edge_set *e)
{
	scn_map_free(&e->index);
	free(e->keys);
	free(e->counts);
}

#define EDGE_FROM(key) ((uint32_t)((key) >> 32) - 1)
#define EDGE_TO(key) ((uint32_t)((key) & UINT32_MAX) - 1)

static void summary(struct world *w)
{
	FILE *f = w->f;
	unsigned n = w->n;
	struct edge_set tree = { .index = SCN_MAP_INIT };
	struct edge_set parents = { .index = SCN_MAP_INIT };
	struct edge_set owners = { .index = SCN_MAP_INIT };

	summary_groups(w, true);
	bool by_userns = w->ngroups <= SUMMARY_MAX_NODES;
	if (!by_userns) {
		summary_groups(w, false);
		fold_groups(w);
	}
	userns_tree(w);
	if (by_userns) {
		emit_userns(w, 0, 1, summary_content);
	} else {
		for (uint32_t g = 0; g < w->ngroups; g++)
			if (w->groups[g].node == g)
				group_node(w, g, "    ", false);
	}

	/* the process tree between nodes, each pair once with its count */
	for (size_t i = 0; i < w->ntasks; i++) {
		const struct dot_task *t = &w->tasks[i];
		uint32_t p = task_index(w, t->ppid);
		if (t->pid == t->tgid && p != NONE)
			edge_add(&tree, w->groups[w->tasks[p].group].node,
				 w->groups[t->group].node);
	}
	for (size_t i = 0; i < w->nids; i++) {
		const struct dot_id *id = &w->ids[i];
		uint64_t parent = CONTID_UNSET;
		pid_t owner = 0;
		contid_id_parent(w->fin->w, id->value, &parent);
		contid_id_owner(w->fin->w, id->value, NULL, &owner);
		uint32_t pi = parent != CONTID_UNSET ? id_index(w, parent, false) : NONE;
		uint32_t ot = task_index(w, owner);
		uint32_t node = w->groups[id->group].node;
		if (pi != NONE)
			edge_add(&parents, node, w->groups[w->ids[pi].group].node);
		if (ot != NONE)
			edge_add(&owners, node, w->groups[w->tasks[ot].group].node);
	}

	/* a node with many children spreads them over ranks of at most
	 * STAGGER each, so that the picture is not one long row */
	uint32_t *out = scn_calloc(w->ngroups, sizeof(*out));
	uint32_t *seen = scn_calloc(w->ngroups, sizeof(*seen));
	for (size_t k = 0; k < tree.n; k++)
		out[EDGE_FROM(tree.keys[k])]++;
	for (size_t k = 0; k < tree.n; k++) {
		uint32_t from = EDGE_FROM(tree.keys[k]);
		fprintf(f, "    f%u_g%" PRIu32 " -> f%u_g%" PRIu32, n, from, n,
			EDGE_TO(tree.keys[k]));
		uint32_t ranks = (out[from] + STAGGER - 1) / STAGGER;
		unsigned minlen = 1 + seen[from]++ % ranks;
		if (tree.counts[k] > 1 && minlen > 1)
			fprintf(f, " [label=\"%" PRIu32 " processes\", minlen=%u]",
				tree.counts[k], minlen);
		else if (tree.counts[k] > 1)
			fprintf(f, " [label=\"%" PRIu32 " processes\"]", tree.counts[k]);
		else if (minlen > 1)
			fprintf(f, " [minlen=%u]", minlen);
		fprintf(f, ";\n");
	}
	free(out);
	free(seen);
	for (size_t k = 0; k < parents.n; k++)
		fprintf(f, "    f%u_g%" PRIu32 " -> f%u_g%" PRIu32
			" [style=dashed, label=\"parent\", constraint=false];\n",
			n, EDGE_FROM(parents.keys[k]), n, EDGE_TO(parents.keys[k]));
	for (size_t k = 0; k < owners.n; k++) {
		uint32_t from = EDGE_FROM(owners.keys[k]), to = EDGE_TO(owners.keys[k]);
		uint32_t ignored;
		/* most IDs are owned by the tasks that started their holders:
		 * the tree edge says that already */
		if (scn_map_get(&tree.index, ((uint64_t)to + 1) << 32 | ((uint64_t)from + 1),
				&ignored))
			continue;
		fprintf(f, "    f%u_g%" PRIu32 " -> f%u_g%" PRIu32
			" [style=dotted, label=\"owner\", constraint=false];\n",
			n, from, n, to);
	}
	edge_set_free(&tree);
	edge_set_free(&parents);
	edge_set_free(&owners);
}

/* ------------------------------------------------------------ a file */

void scn_dot_world(void *data, const struct scn_final *fin)
{
	struct scn_dot *d = data;
	struct world w = {
		.f = d->f, .n = d->files++, .fin = fin,
		.id_of_value = SCN_MAP_INIT,
	};

	collect(&w);
	bool full = w.ntasks <= d->detail_max;
	fprintf(w.f, "  subgraph cluster_file%u {\n    label=\"", w.n);
	dot_text(w.f, fin->path);
	if (!full)
		fprintf(w.f, " (summary: %zu tasks, %zu IDs)", w.ntasks, w.nids);
	fprintf(w.f, "\";\n");
	if (full)
		detail(&w);
	else
		summary(&w);
	fprintf(w.f, "  }\n");

	free(w.tasks);
	free(w.ids);
	free(w.groups);
	free(w.userns_drawn);
	free(w.task_of_pid);
	free(w.name_of_pid);
	scn_map_free(&w.id_of_value);
	buckets_free(&w.userns_children);
	buckets_free(&w.groups_in);
	buckets_free(&w.ids_in);
	buckets_free(&w.members);
}
