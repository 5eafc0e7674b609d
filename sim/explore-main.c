/*
 * procsim explore: the command line, the start world, the report and the
 * counterexample.  docs/explore.md is the user's side of this file.
 */
#include <contid.h>
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "explore.h"
#include "explore-ops.h"
#include "explore-props.h"
#include "explore-search.h"
#include "explore-uprops.h"
#include "scn-json.h"
#include "scn-map.h"
#include "scn-names.h"
#include "scn-operands.h"
#include "scn-output.h"
#include "scn-profiles.h"
#include "scn-read.h"
#include "scn-run.h"
#include "scn-suggest.h"

#define EXIT_HOLDS 0
#define EXIT_VIOLATED 1
#define EXIT_USAGE 2
#define EXIT_INCOMPLETE 3
#define EXIT_UNVERIFIED 4         /* --verify found a state rebuilt otherwise */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: procsim explore [OPTIONS] [SETUP.scn]\n"
		"Tries every sequence of operations within the bounds, breadth-first,\n"
		"from init alone or from the world SETUP.scn leaves, and checks the\n"
		"properties on every step; a violation is written as a scenario.\n"
		"\n"
		"Bounds:\n"
		"  --tasks N             at most N tasks not gone, init included (4)\n"
		"  --depth K             at most K operations after the setup (8)\n"
		"  --values LIST         values set-contid writes (1,2; numbers, unset,\n"
		"                        \"quoted\" buffers)\n"
		"  --capcontid-values LIST  values set-capcontid writes (1)\n"
		"  --uids LIST           uids setuid sets (0,1000)\n"
		"  --caps LIST           capabilities drop-cap drops (audit_control)\n"
		"  --signals LIST        signals the signal operation sends (term,kill)\n"
		"  --max-level L         user-namespace levels reached at most (2)\n"
		"  --ops LIST            operations tried (default: fork,fork-thread,\n"
		"                        fork-newuser,fork-newnet,exit,reap,unshare-user,\n"
		"                        setuid,drop-cap,set-contid,set-capcontid)\n"
		"Rules and properties:\n"
		"  --profile NAME        rule set (v11; known: %s)\n"
		"  --compare LIST|all    look for the shortest story after which these\n"
		"                        profiles answer differently\n"
		"  --property NAME       check only NAME (repeatable; default: all)\n"
		"  --properties FILE     properties of your own (docs/explore.md)\n"
		"Search:\n"
		"  --symmetry LEVEL      which states are one: any (the default: those\n"
		"                        that differ by any renumbering of their pids),\n"
		"                        order (by one that keeps the pids' order) or\n"
		"                        none; values written alike are one too\n"
		"  --no-symmetry         the same as --symmetry none\n"
		"  --verify              rebuild every state expanded from its steps and\n"
		"                        check that it is the state stored (slower; exit\n"
		"                        status 4 if not): a test of the search itself\n"
		"  --max-states N        stop, incomplete, after N stored states\n"
		"  --max-memory SIZE     stop, incomplete, past SIZE bytes of stored\n"
		"                        states (K, M, G suffixes)\n"
		"  -j, --threads N       search with N threads (default: every core)\n"
		"  --shard I/N           search only part I of N (from 1); see\n"
		"                        docs/explore.md for merging the verdicts\n"
		"Output:\n"
		"  -o, --output FILE     write the counterexample to FILE (default:\n"
		"                        standard output)\n"
		"  --format FORMAT       text (the default) or json (one object with\n"
		"                        the verdict, the figures and the counterexample)\n"
		"  -q, --quiet           no summary and no progress on standard error\n"
		"  -h, --help            show this help\n"
		"\n"
		"Exit status: 0 every property holds within the bounds (with --compare:\n"
		"the profiles never part ways), 1 a violation or a difference was found\n"
		"and written, 2 bad usage or a setup that does not hold, 3 a limit\n"
		"stopped the search before it was complete.\n",
		scn_profiles_text());
}

/* ------------------------------------------------------------ the options */

struct explore {
	struct xbounds bounds;
	unsigned depth;
	const char *profiles[XSEARCH_MAX_WORLDS];
	unsigned nprofiles;
	bool compare;
	bool props[XP_BUILTINS];
	bool any_property;            /* --property given */
	const char *properties_path;
	struct xuprops *uprops;
	bool *uprops_on;
	char **property_names;        /* --property arguments */
	size_t nproperty_names;
	uint64_t max_states, max_memory;
	bool no_symmetry;
	bool order_symmetry;          /* --symmetry order */
	bool verify;
	bool symmetry;                /* the search used it */
	bool task_symmetry;           /* ... blind to the pids' order too */
	uint64_t *sym_values;         /* values it treated alike, if any */
	size_t nsym_values;
	unsigned threads, shard, nshards;
	const char *output_path;
	bool json, quiet;
	const char *setup_path;
	char *bounds_text;            /* the bounds as options, for reports */

	/* the start: a world per profile, and the names the setup bound */
	struct contid_world *roots[XSEARCH_MAX_WORLDS];
	struct contid_world *all_roots[SCN_MAX_PROFILES]; /* every profile */
	struct start_name *names;
	size_t nnames;
	uint64_t start_identity;      /* the newest task of the start */
	char *setup_text;
	size_t setup_len;
	bool setup_given;             /* setup_text came from the caller */
};

struct start_name {
	char *name;
	pid_t pid;
	uint64_t identity;
};

static int fail(const char *fmt, ...) SCN_PRINTF(1, 2);

static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("procsim explore: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

static int parse_count(const char *option, const char *text, uint64_t min,
		       uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = text;

	if (!*p)
		goto bad;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			goto bad;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (*p || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	fail("invalid %s '%s' (a number from %" PRIu64 " to %" PRIu64 ")", option,
	     text, min, max);
	return -1;
}

static int parse_profile(const char *name)
{
	if (scn_profile_known(name))
		return 0;
	const char *hint = scn_profile_suggest(name, strlen(name));
	fail("unknown profile '%s' (known: %s)%s%s%s", name, scn_profiles_text(),
	     hint ? "; did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
	return -1;
}

static int parse_compare(struct explore *x, const char *list)
{
	x->compare = true;
	x->nprofiles = 0;
	if (strcmp(list, "all") == 0) {
		for (unsigned i = 0; i < scn_profile_count() && i < XSEARCH_MAX_WORLDS; i++)
			x->profiles[x->nprofiles++] = scn_profile_name(i);
		return 0;
	}
	const char *p = list;
	while (*p) {
		size_t len = strcspn(p, ",");
		char *name = scn_strndup(p, len);
		int index = scn_profile_index(name, len);
		if (index < 0) {
			parse_profile(name);
			free(name);
			return -1;
		}
		free(name);
		for (unsigned i = 0; i < x->nprofiles; i++)
			if (x->profiles[i] == scn_profile_name((unsigned)index))
				return fail("--compare names %.*s twice", (int)len, p), -1;
		if (x->nprofiles == XSEARCH_MAX_WORLDS)
			return fail("--compare takes at most %d profiles",
				    XSEARCH_MAX_WORLDS), -1;
		x->profiles[x->nprofiles++] = scn_profile_name((unsigned)index);
		p += len;
		if (*p == ',')
			p++;
	}
	if (x->nprofiles < 2)
		return fail("--compare needs at least two profiles (P,Q or all)"), -1;
	return 0;
}

static int parse_shard(struct explore *x, const char *text)
{
	unsigned i, n;
	char end;

	if (sscanf(text, "%u/%u%c", &i, &n, &end) != 2 || n == 0 || n > 1000000 ||
	    i == 0 || i > n || strspn(text, "0123456789/") != strlen(text))
		return fail("invalid --shard '%s' (I/N with 1 <= I <= N, e.g. 2/8)",
			    text), -1;
	x->shard = i - 1;
	x->nshards = n;
	return 0;
}

static unsigned default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

static const bool default_ops[XOP_KINDS] = {
	[XOP_FORK] = true, [XOP_FORK_THREAD] = true, [XOP_FORK_NEWUSER] = true,
	[XOP_FORK_NEWNET] = true, [XOP_EXIT] = true, [XOP_REAP] = true,
	[XOP_UNSHARE_USER] = true, [XOP_SETUID] = true, [XOP_DROP_CAP] = true,
	[XOP_SET_CONTID] = true, [XOP_SET_CAPCONTID] = true,
};

static void bounds_append_list(struct scn_str *s, const char *option,
			       const struct xvalue *v, size_t n)
{
	scn_str_appendf(s, " %s ", option);
	for (size_t i = 0; i < n; i++)
		scn_str_appendf(s, "%s%s", i ? "," : "", v[i].text);
}

/* The bounds as the options that give them, for the report and the
 * counterexample's header. */
static char *bounds_text(const struct explore *x)
{
	const struct xbounds *b = &x->bounds;
	struct scn_str *s = scn_str_new();

	scn_str_appendf(s, "--tasks %u --depth %u", b->max_tasks, x->depth);
	bounds_append_list(s, "--values", b->values, b->nvalues);
	bounds_append_list(s, "--capcontid-values", b->capvalues, b->ncapvalues);
	scn_str_append(s, " --uids ");
	for (size_t i = 0; i < b->nuids; i++)
		scn_str_appendf(s, "%s%" PRIu32, i ? "," : "", b->uids[i]);
	scn_str_append(s, " --caps ");
	for (size_t i = 0; i < b->ncaps; i++)
		scn_str_appendf(s, "%s%s", i ? "," : "", scn_cap_name(b->caps[i]));
	/* only where signal is tried, so that other reports stay as they were */
	if (b->ops[XOP_SIGNAL]) {
		scn_str_append(s, " --signals ");
		for (size_t i = 0; i < b->nsignals; i++)
			scn_str_appendf(s, "%s%s", i ? "," : "",
					scn_signal_name(b->signals[i]));
	}
	scn_str_appendf(s, " --max-level %u --ops ", b->max_level);
	bool first = true;
	for (int k = 0; k < XOP_KINDS; k++)
		if (b->ops[k]) {
			scn_str_appendf(s, "%s%s", first ? "" : ",", xop_kind_name(k));
			first = false;
		}
	return scn_str_steal(s);
}

/* ----------------------------------------------------------- the start */

struct setup_capture {
	struct explore *x;
	struct contid_world *world;
	struct start_name *names;
	size_t nnames;
};

static void capture_world(void *data, const struct scn_final *f)
{
	struct setup_capture *c = data;
	const struct contid_world *w = f->w;
	const struct scn_names *names = f->names;
	const pid_t *pids = f->pids;
	const bool *present = f->present;
	size_t cap = 0;

	if (contid_world_clone(w, &c->world) < 0)
		scn_out_of_memory();
	for (scn_binding b = 0; b < scn_names_count(names); b++) {
		if (!present[b])
			continue;
		struct start_name n = { .pid = pids[b] };
		n.name = scn_strdup(b == 0 ? "init" : scn_names_name(names, b));
		contid_task_identity(w, n.pid, &n.identity);
		SCN_RESERVE(c->names, cap, c->nnames + 1);
		c->names[c->nnames++] = n;
	}
}

static void free_names(struct start_name *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i].name);
	free(names);
}

/* The world @profile starts from: init alone, or what the setup leaves. */
static int make_root(struct explore *x, const char *profile, bool must_hold,
		     struct contid_world **out, bool keep_names)
{
	struct contid_world *w;

	if (!x->setup_path) {
		if (contid_world_new(&w) < 0)
			scn_out_of_memory();
		contid_world_set_profile(w, profile);
		if (keep_names && !x->names) {
			x->names = scn_calloc(1, sizeof(*x->names));
			x->names[0].name = scn_strdup("init");
			x->names[0].pid = 1;
			contid_task_identity(w, 1, &x->names[0].identity);
			x->nnames = 1;
		}
	} else {
		struct setup_capture c = { .x = x };
		struct scn_run_options opts = {
			.profile = profile, .final_world = capture_world,
			.final_world_data = &c, .quiet = !must_hold,
			.max_file_bytes = SCN_DEFAULT_MAX_FILE_BYTES,
		};
		struct scn_run_result res;
		int status = scn_run_data(scn_input_name(x->setup_path), x->setup_text,
					  x->setup_len, &opts, &res);
		if (status != 0 || !c.world) {
			contid_world_free(c.world);
			free_names(c.names, c.nnames);
			if (!must_hold) {
				*out = NULL;
				return 0;
			}
			if (status == 2)
				return -1;
			fail("the setup %s does not hold under %s (%u failed "
			     "expectation%s)", scn_input_name(x->setup_path), profile,
			     res.failed, res.failed == 1 ? "" : "s");
			return -1;
		}
		w = c.world;
		if (keep_names && !x->names) {
			x->names = c.names;
			x->nnames = c.nnames;
		} else {
			free_names(c.names, c.nnames);
		}
	}
	/* records are no answer: the search does without them */
	contid_world_set_audit(w, 0);
	*out = w;
	return 0;
}

static int make_roots(struct explore *x)
{
	if (x->setup_path && !x->setup_given) {
		struct scn_error err = { 0 };
		if (scn_read_file(x->setup_path, 0, &x->setup_text, &x->setup_len,
				  &err) < 0) {
			scn_print_error(scn_input_name(x->setup_path), &err);
			scn_error_clear(&err);
			return -1;
		}
	}
	for (unsigned p = 0; p < x->nprofiles; p++)
		if (make_root(x, x->profiles[p], true, &x->roots[p], p == 0) < 0)
			return -1;
	/* the names must be the same tasks under every profile compared */
	for (unsigned p = 1; p < x->nprofiles; p++)
		for (size_t i = 0; i < x->nnames; i++) {
			uint64_t identity = 0;
			if (contid_task_identity(x->roots[p], x->names[i].pid, &identity) < 0 ||
			    identity != x->names[i].identity)
				return fail("the setup binds '%s' to another task under "
					    "%s than under %s", x->names[i].name,
					    x->profiles[p], x->profiles[0]), -1;
		}
	/* a counterexample of --compare says what every profile answers */
	if (x->compare)
		for (unsigned i = 0; i < scn_profile_count() && i < SCN_MAX_PROFILES; i++)
			make_root(x, scn_profile_name(i), false, &x->all_roots[i], false);
	return 0;
}

/* A task a counterexample can name: one the setup named, or one the
 * search made (every task made after the start has a name). */
static bool usable(void *data, const struct contid_world *w, pid_t pid)
{
	const struct explore *x = data;
	uint64_t identity = 0;

	(void)w;
	if (!x->setup_path)
		return true;
	contid_task_identity(w, pid, &identity);
	/* identities grow: a task newer than the start has a larger one */
	if (identity > x->start_identity)
		return true;
	for (size_t i = 0; i < x->nnames; i++)
		if (x->names[i].identity == identity)
			return true;
	return false;
}

/*
 * Whether states that differ only in their pid numbers may be one: a
 * renumbering keeps every answer (docs/semantics.md choice (p)), and the
 * built-in properties look at tasks, never at a pid's value; but a task
 * of the setup the search may not name must not pass for one it may (the
 * numbering is all that tells them apart then), and a property file may
 * name a task of the setup by its pid.
 */
static bool symmetry_sound(const struct explore *x)
{
	if (x->no_symmetry || x->properties_path)
		return false;
	for (unsigned p = 0; p < x->nprofiles; p++) {
		pid_t pid = 0;
		while (contid_task_next(x->roots[p], pid, &pid) == 0)
			if (!usable((void *)x, x->roots[p], pid))
				return false;
	}
	return true;
}

/*
 * The values a search may treat alike (docs/explore.md, "Symmetry"): the
 * plain numbers of --values, under pid symmetry, one profile whose rules
 * compare IDs only for equality, from init (a setup's values would have
 * to stay where they are), and no property file (it may name values).
 * None when a quoted buffer, which may spell one of them differently, is
 * written too, or when fewer than two are left.
 */
static void value_symmetry(struct explore *x)
{
	static const char *const alike[] = { "v6", "v8", "v11", "v11-posted" };
	bool profile_ok = false;

	if (!x->symmetry || x->nprofiles != 1 || x->setup_path)
		return;
	for (size_t i = 0; i < sizeof(alike) / sizeof(alike[0]); i++)
		profile_ok |= strcmp(x->profiles[0], alike[i]) == 0;
	if (!profile_ok)
		return;
	uint64_t *v = scn_calloc(x->bounds.nvalues, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < x->bounds.nvalues; i++) {
		const char *text = x->bounds.values[i].text;
		if (text[0] == '"')
			goto none;
		if (strcmp(text, "unset") == 0)
			continue;
		uint64_t value = strtoull(text, NULL, 10);
		bool seen = false;
		for (size_t j = 0; j < n; j++)
			seen |= v[j] == value;
		if (!seen && n < CONTID_DIGEST_VALUES_MAX)
			v[n++] = value;
	}
	if (n < 2)
		goto none;
	x->sym_values = v;
	x->nsym_values = n;
	return;
none:
	free(v);
}

/* ------------------------------------------------------ the counterexample */

/* Names of the tasks along a trail: the start's, then t<PID> for each new
 * task (t<PID>_<N> when the setup took that name). */
struct namer {
	const struct explore *x;
	struct start_name *live;
	size_t n, cap;
};

static const char *namer_name(void *data, pid_t pid)
{
	struct namer *nm = data;

	for (size_t i = nm->n; i-- > 0;)
		if (nm->live[i].pid == pid)
			return nm->live[i].name;
	return "?";
}

static bool name_taken(const struct namer *nm, const char *name)
{
	for (size_t i = 0; i < nm->x->nnames; i++)
		if (strcmp(nm->x->names[i].name, name) == 0)
			return true;
	for (size_t i = 0; i < nm->n; i++)
		if (strcmp(nm->live[i].name, name) == 0)
			return true;
	return false;
}

static const char *namer_add(struct namer *nm, pid_t pid)
{
	char *name = scn_asprintf("t%d", (int)pid);
	for (unsigned k = 2; name_taken(nm, name); k++) {
		free(name);
		name = scn_asprintf("t%d_%u", (int)pid, k);
	}
	SCN_RESERVE(nm->live, nm->cap, nm->n + 1);
	nm->live[nm->n++] = (struct start_name){ .name = name, .pid = pid };
	return name;
}

static void namer_remove(struct namer *nm, pid_t pid)
{
	for (size_t i = 0; i < nm->n; i++)
		if (nm->live[i].pid == pid) {
			free(nm->live[i].name);
			nm->live[i] = nm->live[--nm->n];
			return;
		}
}

static void namer_init(struct namer *nm, const struct explore *x)
{
	memset(nm, 0, sizeof(*nm));
	nm->x = x;
	for (size_t i = 0; i < x->nnames; i++) {
		SCN_RESERVE(nm->live, nm->cap, nm->n + 1);
		nm->live[nm->n] = x->names[i];
		nm->live[nm->n++].name = scn_strdup(x->names[i].name);
	}
}

static void namer_free(struct namer *nm)
{
	free_names(nm->live, nm->n);
}

static const char *property_name(const struct explore *x, int property)
{
	if (property == XPROP_DIFFERENCE)
		return "difference";
	if (property < XP_BUILTINS)
		return xprop_name(property);
	return xuprops_name(x->uprops, (size_t)(property - XP_BUILTINS));
}

/* The setup's lines, its profile lines turned into comments (the
 * counterexample's own comes first). */
static void append_setup(struct scn_str *out, const struct explore *x)
{
	const char *p = x->setup_text, *end = x->setup_text + x->setup_len;

	scn_str_appendf(out, "# the setup, %s:\n", scn_input_name(x->setup_path));
	if (p + 3 <= end && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t lead = strspn(p, " \t");
		if (lead < len && len - lead >= 8 && memcmp(p + lead, "profile", 7) == 0 &&
		    (p[lead + 7] == ' ' || p[lead + 7] == '\t'))
			scn_str_append(out, "# (setup) ");
		scn_str_append_len(out, p, len);
		scn_str_putc(out, '\n');
		p += len + (nl != NULL);
	}
	scn_str_append(out, "# the search:\n");
}

static void append_outcomes(struct scn_str *out, const struct explore *x,
			    enum xop_kind kind, const struct xoutcome *outc,
			    struct scn_str *const *reply, const bool *have)
{
	unsigned nall = scn_profile_count();
	int bare = scn_profile_index(x->profiles[0], strlen(x->profiles[0]));
	struct xoutcome b = outc[bare];

	scn_str_append(out, " => ");
	xop_outcome_text(out, kind, b, reply[bare]);
	if (!x->compare)
		return;
	for (unsigned i = 0; i < nall && i < SCN_MAX_PROFILES; i++) {
		if (!have[i] || (int)i == bare || xop_outcome_equal(kind, b, outc[i]))
			continue;
		scn_str_appendf(out, " %s:", scn_profile_name(i));
		xop_outcome_text(out, kind, outc[i], reply[i]);
	}
}

/*
 * The counterexample as a scenario: the setup, then every operation of
 * the trail with what it answered as the expectation, the broken property
 * said in comments.  Also writes the one-line detail into @detail.
 */
static char *counterexample(const struct explore *x, const struct xsearch_result *res,
			    struct scn_str *detail)
{
	struct scn_str *out = scn_str_new(), *body = scn_str_new();
	struct contid_world *w[SCN_MAX_PROFILES] = { NULL };
	bool have[SCN_MAX_PROFILES] = { false };
	struct xoutcome outc[SCN_MAX_PROFILES];
	struct scn_str *reply[SCN_MAX_PROFILES];  /* signal-info's */
	unsigned nall = scn_profile_count();
	struct namer nm;
	struct contid_world *pre = NULL;

	for (unsigned i = 0; i < SCN_MAX_PROFILES; i++)
		reply[i] = scn_str_new();
	namer_init(&nm, x);
	for (unsigned p = 0; p < x->nprofiles; p++) {
		int i = scn_profile_index(x->profiles[p], strlen(x->profiles[p]));
		if (contid_world_clone(x->roots[p], &w[i]) < 0)
			scn_out_of_memory();
		have[i] = true;
	}
	for (unsigned i = 0; x->compare && i < nall && i < SCN_MAX_PROFILES; i++)
		if (!have[i] && x->all_roots[i]) {
			if (contid_world_clone(x->all_roots[i], &w[i]) < 0)
				scn_out_of_memory();
			have[i] = true;
		}
	int first = scn_profile_index(x->profiles[0], strlen(x->profiles[0]));

	for (size_t t = 0; t < res->trail_len; t++) {
		const struct xop *op = &res->trail[t];
		bool last = t + 1 == res->trail_len;
		pid_t child = 0, first_child = 0;

		if (last) {
			contid_world_free(pre);
			if (contid_world_clone(w[first], &pre) < 0)
				scn_out_of_memory();
		}
		for (unsigned i = 0; i < nall && i < SCN_MAX_PROFILES; i++) {
			if (!have[i])
				continue;
			child = 0;
			scn_str_truncate(reply[i], 0);
			outc[i] = xop_apply_reply(w[i], &x->bounds, op, &child,
						  reply[i]);
			if ((int)i == first)
				first_child = child;
		}
		const char *new_name = NULL;
		if (xop_is_fork(op->kind))
			new_name = outc[first].err == 0 ? namer_add(&nm, first_child)
							: "t_failed";
		xop_text(body, &x->bounds, op, namer_name, &nm, new_name);
		append_outcomes(body, x, op->kind, outc, reply, have);
		if (last && res->property != XPROP_DIFFERENCE) {
			if (res->property < XP_BUILTINS && xprop_is_step(res->property))
				xprop_step_breaks(res->property, pre, w[first], op,
						  namer_name, &nm, detail);
		}
		if (last && res->property == XPROP_DIFFERENCE) {
			for (unsigned p = 0; p < x->nprofiles; p++) {
				int i = scn_profile_index(x->profiles[p],
							  strlen(x->profiles[p]));
				scn_str_appendf(detail, "%s%s: ", p ? ", " : "",
						x->profiles[p]);
				xop_outcome_text(detail, op->kind, outc[i], reply[i]);
			}
		}
		if (last)
			scn_str_appendf(body, "   # %s",
					res->property == XPROP_DIFFERENCE
					? "the profiles part ways here"
					: property_name(x, res->property));
		scn_str_putc(body, '\n');
		/* names follow the tasks: a reaped task's, an exited thread's
		 * name is free again, as procsim unbinds it */
		if (outc[first].err == 0 && op->kind == XOP_REAP)
			namer_remove(&nm, (pid_t)op->a);
		if (outc[first].err == 0 && op->kind == XOP_EXIT) {
			int state;
			if (contid_task_state(w[first], (pid_t)op->a, &state) < 0)
				namer_remove(&nm, (pid_t)op->a);
		}
	}
	/* a broken state: said of the last world */
	if (res->property >= 0 && !(res->property < XP_BUILTINS &&
				    xprop_is_step(res->property))) {
		if (res->property < XP_BUILTINS)
			xprop_state_breaks(res->property, w[first], namer_name, &nm,
					   detail);
		else
			xuprops_eval(x->uprops, (size_t)(res->property - XP_BUILTINS),
				     w[first], namer_name, &nm, detail);
	}

	if (res->property == XPROP_DIFFERENCE) {
		scn_str_append(out, "# procsim explore found this: ");
		for (unsigned p = 0; p < x->nprofiles; p++)
			scn_str_appendf(out, "%s%s", p == 0 ? "" :
					p + 1 == x->nprofiles ? " and " : ", ",
					x->profiles[p]);
		scn_str_appendf(out, " answer differently after %zu operation%s\n",
				res->trail_len, res->trail_len == 1 ? "" : "s");
		scn_str_appendf(out, "# the last step answers %s\n", detail->str);
	} else {
		scn_str_appendf(out, "# procsim explore found this: %s does not hold "
				"under %s\n",
				property_name(x, res->property), x->profiles[0]);
		scn_str_appendf(out, "# %s: %s\n", property_name(x, res->property),
				detail->str);
	}
	if (res->trail_len)
		scn_str_appendf(out, "# %zu operation%s after the start, found "
				"breadth-first: nothing shorter within the bounds "
				"does it\n", res->trail_len,
				res->trail_len == 1 ? "" : "s");
	else
		scn_str_append(out, "# the start itself\n");
	scn_str_appendf(out, "# bounds: %s\n", x->bounds_text);
	scn_str_appendf(out, "# replay: procsim %sFILE\n", x->compare ? "--compare " : "");
	scn_str_appendf(out, "profile %s\n", x->profiles[0]);
	if (x->setup_path)
		append_setup(out, x);
	scn_str_append_len(out, body->str, body->len);

	for (unsigned i = 0; i < SCN_MAX_PROFILES; i++) {
		contid_world_free(w[i]);
		scn_str_free(reply[i]);
	}
	contid_world_free(pre);
	namer_free(&nm);
	scn_str_free(body);
	return scn_str_steal(out);
}

/* ------------------------------------------------------------- reporting */

static void progress(void *data, const struct xsearch_stats *st)
{
	(void)data;
	double rate = st->seconds > 0 ? (double)st->states / st->seconds : 0;
	fprintf(stderr, "\rdepth %u, %" PRIu64 " states, %.0f states/s, frontier "
		"%" PRIu64 "/%" PRIu64 ", %.1f MiB\033[K", st->depth + 1, st->states,
		rate, st->frontier_done, st->frontier,
		(double)st->bytes / (1024.0 * 1024.0));
	fflush(stderr);
}

static void clear_progress(bool shown)
{
	if (shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

static const char *verdict_word(enum xverdict v)
{
	return v == XV_HOLDS ? "holds" : v == XV_VIOLATED ? "violated" : "incomplete";
}

static void checked_list(struct scn_str *s, const struct explore *x)
{
	bool first = true;

	for (int p = 0; p < XP_BUILTINS; p++)
		if (x->props[p]) {
			scn_str_appendf(s, "%s%s", first ? "" : ", ", xprop_name(p));
			first = false;
		}
	for (size_t i = 0; x->uprops && i < xuprops_count(x->uprops); i++)
		if (x->uprops_on[i]) {
			scn_str_appendf(s, "%s%s", first ? "" : ", ",
					xuprops_name(x->uprops, i));
			first = false;
		}
}

static void report_text(const struct explore *x, const struct xsearch_result *res,
			const char *where)
{
	const struct xsearch_stats *st = &res->stats;
	struct scn_str *s = scn_str_new();
	double rate = st->seconds > 0 ? (double)st->states / st->seconds : 0;

	scn_str_append(s, "procsim explore: ");
	for (unsigned p = 0; p < x->nprofiles; p++)
		scn_str_appendf(s, "%s%s", p ? "," : "", x->profiles[p]);
	scn_str_append(s, ": ");
	if (res->verdict == XV_VIOLATED && res->property == XPROP_DIFFERENCE)
		scn_str_appendf(s, "the profiles answer differently after %zu "
				"operation%s; the counterexample is in %s\n",
				res->trail_len, res->trail_len == 1 ? "" : "s", where);
	else if (res->verdict == XV_VIOLATED)
		scn_str_appendf(s, "%s violated after %zu operation%s; the "
				"counterexample is in %s\n",
				property_name(x, res->property), res->trail_len,
				res->trail_len == 1 ? "" : "s", where);
	else if (res->verdict == XV_HOLDS && x->compare)
		scn_str_appendf(s, "no difference within the bounds (depth %u "
				"searched to the end)\n", x->depth);
	else if (res->verdict == XV_HOLDS) {
		scn_str_append(s, "no violation of ");
		checked_list(s, x);
		scn_str_appendf(s, " within the bounds (%s)\n",
				st->depth < x->depth ? "every reachable state visited"
						     : "the last depth searched to the end");
	} else
		scn_str_appendf(s, "incomplete: %s reached at depth %u; no verdict\n",
				res->limit, st->depth);
	scn_str_appendf(s, "procsim explore: %" PRIu64 " states, %" PRIu64
			" transitions, depth %u, %.2f s, %.0f states/s, %.1f bytes/state, "
			"%u thread%s", st->states, st->transitions, st->depth,
			st->seconds, rate,
			st->states ? (double)st->bytes / (double)st->states : 0.0,
			x->threads, x->threads == 1 ? "" : "s");
	if (x->symmetry)
		scn_str_appendf(s, ", %s%s symmetry", x->task_symmetry ? "task" : "pid",
				x->nsym_values ? " and value" : "");
	if (x->nshards > 1)
		scn_str_appendf(s, ", shard %u/%u split at depth %u", x->shard + 1,
				x->nshards, res->split_depth);
	scn_str_append(s, "\n");
	fputs(s->str, stderr);
	scn_str_free(s);
}

static void report_json(const struct explore *x, const struct xsearch_result *res,
			const char *cex, const char *detail)
{
	const struct xsearch_stats *st = &res->stats;
	struct scn_str *s = scn_str_new();
	struct scn_json j;

	scn_json_init(&j, s);
	scn_json_begin_object(&j, NULL);
	scn_json_add_cstring(&j, "verdict", verdict_word(res->verdict));
	scn_json_begin_array(&j, "profiles");
	for (unsigned p = 0; p < x->nprofiles; p++)
		scn_json_add_cstring(&j, NULL, x->profiles[p]);
	scn_json_end_array(&j);
	scn_json_add_bool(&j, "compare", x->compare);
	scn_json_add_cstring(&j, "bounds", x->bounds_text);
	scn_json_begin_array(&j, "properties");
	for (int p = 0; p < XP_BUILTINS; p++)
		if (x->props[p])
			scn_json_add_cstring(&j, NULL, xprop_name(p));
	for (size_t i = 0; x->uprops && i < xuprops_count(x->uprops); i++)
		if (x->uprops_on[i])
			scn_json_add_cstring(&j, NULL, xuprops_name(x->uprops, i));
	scn_json_end_array(&j);
	if (res->verdict == XV_VIOLATED) {
		scn_json_add_cstring(&j, "property", property_name(x, res->property));
		scn_json_add_cstring(&j, "detail", detail);
		scn_json_add_uint(&j, "length", res->trail_len);
		scn_json_add_cstring(&j, "counterexample", cex);
	} else {
		scn_json_add_json(&j, "property", "null", 4);
		scn_json_add_json(&j, "counterexample", "null", 4);
	}
	if (res->verdict == XV_INCOMPLETE)
		scn_json_add_cstring(&j, "limit", res->limit);
	else
		scn_json_add_json(&j, "limit", "null", 4);
	scn_json_add_uint(&j, "states", st->states);
	scn_json_add_uint(&j, "transitions", st->transitions);
	scn_json_add_uint(&j, "depth", st->depth);
	char num[64];
	snprintf(num, sizeof(num), "%.6f", st->seconds);
	scn_json_add_json(&j, "seconds", num, strlen(num));
	snprintf(num, sizeof(num), "%.1f", st->seconds > 0 ?
		 (double)st->states / st->seconds : 0.0);
	scn_json_add_json(&j, "states_per_second", num, strlen(num));
	scn_json_add_uint(&j, "bytes", st->bytes);
	snprintf(num, sizeof(num), "%.1f", st->states ?
		 (double)st->bytes / (double)st->states : 0.0);
	scn_json_add_json(&j, "bytes_per_state", num, strlen(num));
	scn_json_add_uint(&j, "threads", x->threads);
	scn_json_add_bool(&j, "symmetry", x->symmetry);
	scn_json_add_bool(&j, "task_symmetry", x->task_symmetry);
	scn_json_add_bool(&j, "value_symmetry", x->nsym_values > 0);
	scn_json_add_uint(&j, "shard", x->shard + 1);
	scn_json_add_uint(&j, "shards", x->nshards);
	scn_json_add_uint(&j, "split_depth", res->split_depth);
	scn_json_end_object(&j);
	scn_str_putc(s, '\n');
	fwrite(s->str, 1, s->len, stdout);
	scn_str_free(s);
}

/* ----------------------------------------------------------------- main */

static bool lookup_start_name(void *data, const char *name, pid_t *pid,
			      uint64_t *identity)
{
	const struct explore *x = data;

	for (size_t i = 0; i < x->nnames; i++)
		if (strcmp(x->names[i].name, name) == 0) {
			*pid = x->names[i].pid;
			*identity = x->names[i].identity;
			return true;
		}
	return false;
}

/* The numbers among the written values, for the properties' "value". */
static size_t numeric_values(const struct xbounds *b, uint64_t *out)
{
	size_t n = 0;

	for (size_t i = 0; i < b->nvalues; i++) {
		const char *t = b->values[i].text;
		uint64_t v = 0;
		bool ok = *t != 0;
		for (; *t; t++) {
			if (*t < '0' || *t > '9' ||
			    v > (UINT64_MAX - (uint64_t)(*t - '0')) / 10) {
				ok = false;
				break;
			}
			v = v * 10 + (uint64_t)(*t - '0');
		}
		if (ok)
			out[n++] = v;
	}
	return n;
}

static int load_properties(struct explore *x)
{
	char *data = NULL;
	size_t len = 0;
	struct scn_error err = { 0 };
	const char *name = scn_input_name(x->properties_path);

	if (scn_read_file(x->properties_path, 0, &data, &len, &err) < 0) {
		scn_print_error(name, &err);
		scn_error_clear(&err);
		return -1;
	}
	uint64_t *values = scn_calloc(x->bounds.nvalues + 1, sizeof(*values));
	size_t nvalues = numeric_values(&x->bounds, values);
	int r = xuprops_load(data, len, lookup_start_name, x, values, nvalues,
			     &x->uprops, &err);
	free(values);
	if (r < 0)
		scn_print_error_source(name, &err, data, len);
	free(data);
	if (r < 0) {
		scn_error_clear(&err);
		return -1;
	}
	x->uprops_on = scn_calloc(xuprops_count(x->uprops) + 1, sizeof(bool));
	return 0;
}

/* --property: built-in names first, then the file's. */
static int select_properties(struct explore *x)
{
	size_t nuser = x->uprops ? xuprops_count(x->uprops) : 0;

	if (!x->any_property) {
		for (int p = 0; p < XP_BUILTINS; p++)
			x->props[p] = true;
		for (size_t i = 0; i < nuser; i++)
			x->uprops_on[i] = true;
		return 0;
	}
	for (size_t k = 0; k < x->nproperty_names; k++) {
		const char *name = x->property_names[k];
		int p = xprop_from_name(name);
		if (p >= 0) {
			x->props[p] = true;
			continue;
		}
		size_t i;
		for (i = 0; i < nuser; i++)
			if (strcmp(xuprops_name(x->uprops, i), name) == 0)
				break;
		if (i < nuser) {
			x->uprops_on[i] = true;
			continue;
		}
		struct scn_suggest sg;
		scn_suggest_begin(&sg, name);
		for (int q = 0; q < XP_BUILTINS; q++)
			scn_suggest_add(&sg, xprop_name(q));
		for (i = 0; i < nuser; i++)
			scn_suggest_add(&sg, xuprops_name(x->uprops, i));
		const char *hint = scn_suggest_end(&sg);
		return fail("unknown property '%s' (built in: P-INVARIANTS, P-PRIV, "
			    "P-CONTAIN, P-OWNER, P-FREE%s)%s%s%s", name,
			    nuser ? "; or one of --properties" : "",
			    hint ? "; did you mean '" : "", hint ? hint : "",
			    hint ? "'?" : ""), -1;
	}
	return 0;
}

static void explore_free(struct explore *x)
{
	xop_free_values(x->bounds.values, x->bounds.nvalues);
	xop_free_values(x->bounds.capvalues, x->bounds.ncapvalues);
	free(x->bounds.uids);
	free(x->bounds.caps);
	free(x->bounds.signals);
	for (unsigned p = 0; p < XSEARCH_MAX_WORLDS; p++)
		contid_world_free(x->roots[p]);
	for (unsigned p = 0; p < SCN_MAX_PROFILES; p++)
		contid_world_free(x->all_roots[p]);
	free_names(x->names, x->nnames);
	free(x->setup_text);
	free(x->sym_values);
	free(x->bounds_text);
	xuprops_free(x->uprops);
	free(x->uprops_on);
	for (size_t i = 0; i < x->nproperty_names; i++)
		free(x->property_names[i]);
	free(x->property_names);
}

static int list_option(int (*parse)(const char *, void *, size_t *, char **),
		       const char *option, const char *arg, void *out, size_t *n)
{
	char *msg = NULL;

	if (parse(arg, out, n, &msg) == 0)
		return 0;
	fail("%s: %s", option, msg);
	free(msg);
	return -1;
}

static int parse_values_list(const char *arg, void *out, size_t *n, char **msg)
{
	return xop_parse_values(arg, UINT64_MAX, out, n, msg);
}

static int parse_capvalues_list(const char *arg, void *out, size_t *n, char **msg)
{
	return xop_parse_values(arg, UINT32_MAX, out, n, msg);
}

static int parse_uids_list(const char *arg, void *out, size_t *n, char **msg)
{
	return xop_parse_uids(arg, out, n, msg);
}

static int parse_caps_list(const char *arg, void *out, size_t *n, char **msg)
{
	return xop_parse_caps(arg, out, n, msg);
}

static int parse_signals_list(const char *arg, void *out, size_t *n, char **msg)
{
	return xop_parse_signals(arg, out, n, msg);
}

static int parse_options(struct explore *x, int argc, char **argv)
{
	enum {
		OPT_TASKS = 256, OPT_DEPTH, OPT_VALUES, OPT_CAPVALUES, OPT_UIDS,
		OPT_OPS, OPT_CAPS, OPT_MAX_LEVEL, OPT_PROFILE, OPT_COMPARE,
		OPT_PROPERTY, OPT_PROPERTIES, OPT_MAX_STATES, OPT_MAX_MEMORY,
		OPT_SHARD, OPT_FORMAT, OPT_NO_SYMMETRY, OPT_SYMMETRY, OPT_VERIFY, OPT_SIGNALS,
	};
	static const struct option options[] = {
		{ "tasks", required_argument, NULL, OPT_TASKS },
		{ "depth", required_argument, NULL, OPT_DEPTH },
		{ "values", required_argument, NULL, OPT_VALUES },
		{ "capcontid-values", required_argument, NULL, OPT_CAPVALUES },
		{ "uids", required_argument, NULL, OPT_UIDS },
		{ "ops", required_argument, NULL, OPT_OPS },
		{ "caps", required_argument, NULL, OPT_CAPS },
		{ "signals", required_argument, NULL, OPT_SIGNALS },
		{ "max-level", required_argument, NULL, OPT_MAX_LEVEL },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "compare", required_argument, NULL, OPT_COMPARE },
		{ "property", required_argument, NULL, OPT_PROPERTY },
		{ "properties", required_argument, NULL, OPT_PROPERTIES },
		{ "max-states", required_argument, NULL, OPT_MAX_STATES },
		{ "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
		{ "no-symmetry", no_argument, NULL, OPT_NO_SYMMETRY },
		{ "symmetry", required_argument, NULL, OPT_SYMMETRY },
		{ "verify", no_argument, NULL, OPT_VERIFY },
		{ "threads", required_argument, NULL, 'j' },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_profile = false;
	size_t names_cap = 0;
	uint64_t v;
	int c;

	optind = 0;   /* 0: glibc starts afresh, also on a second call */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hqj:o:", options, NULL)) != -1) {
		switch (c) {
		case OPT_TASKS:
			if (parse_count("--tasks", optarg, 1, 1000000, &v) < 0)
				return -1;
			x->bounds.max_tasks = (unsigned)v;
			break;
		case OPT_DEPTH:
			if (parse_count("--depth", optarg, 0, 1000000, &v) < 0)
				return -1;
			x->depth = (unsigned)v;
			break;
		case OPT_MAX_LEVEL:
			if (parse_count("--max-level", optarg, 0, 1000, &v) < 0)
				return -1;
			x->bounds.max_level = (unsigned)v;
			break;
		case OPT_VALUES:
			xop_free_values(x->bounds.values, x->bounds.nvalues);
			x->bounds.values = NULL;
			x->bounds.nvalues = 0;
			if (list_option(parse_values_list, "--values", optarg,
					&x->bounds.values, &x->bounds.nvalues) < 0)
				return -1;
			break;
		case OPT_CAPVALUES:
			xop_free_values(x->bounds.capvalues, x->bounds.ncapvalues);
			x->bounds.capvalues = NULL;
			x->bounds.ncapvalues = 0;
			if (list_option(parse_capvalues_list, "--capcontid-values",
					optarg, &x->bounds.capvalues,
					&x->bounds.ncapvalues) < 0)
				return -1;
			break;
		case OPT_UIDS:
			free(x->bounds.uids);
			x->bounds.uids = NULL;
			x->bounds.nuids = 0;
			if (list_option(parse_uids_list, "--uids", optarg,
					&x->bounds.uids, &x->bounds.nuids) < 0)
				return -1;
			break;
		case OPT_CAPS:
			free(x->bounds.caps);
			x->bounds.caps = NULL;
			x->bounds.ncaps = 0;
			if (list_option(parse_caps_list, "--caps", optarg,
					&x->bounds.caps, &x->bounds.ncaps) < 0)
				return -1;
			break;
		case OPT_SIGNALS:
			free(x->bounds.signals);
			x->bounds.signals = NULL;
			x->bounds.nsignals = 0;
			if (list_option(parse_signals_list, "--signals", optarg,
					&x->bounds.signals, &x->bounds.nsignals) < 0)
				return -1;
			break;
		case OPT_OPS: {
			char *msg = NULL;
			if (xop_parse_ops(optarg, x->bounds.ops, &msg) < 0) {
				fail("%s", msg);
				free(msg);
				return -1;
			}
			break;
		}
		case OPT_PROFILE:
			if (parse_profile(optarg) < 0)
				return -1;
			x->profiles[0] = scn_profile_name((unsigned)
				scn_profile_index(optarg, strlen(optarg)));
			x->nprofiles = 1;
			have_profile = true;
			break;
		case OPT_COMPARE:
			if (parse_compare(x, optarg) < 0)
				return -1;
			break;
		case OPT_PROPERTY: {
			const char *p = optarg;
			while (*p) {
				size_t len = strcspn(p, ",");
				SCN_RESERVE(x->property_names, names_cap,
					    x->nproperty_names + 1);
				x->property_names[x->nproperty_names++] =
					scn_strndup(p, len);
				p += len + (p[len] == ',');
			}
			x->any_property = true;
			break;
		}
		case OPT_PROPERTIES:
			x->properties_path = optarg;
			break;
		case OPT_MAX_STATES:
			if (parse_count("--max-states", optarg, 1, UINT32_MAX - 1, &v) < 0)
				return -1;
			x->max_states = v;
			break;
		case OPT_MAX_MEMORY:
			if (scn_parse_size(optarg, &x->max_memory) < 0)
				return fail("invalid --max-memory '%s' (a number of bytes "
					    "from 1, with an optional K, M or G suffix)",
					    optarg), -1;
			break;
		case OPT_NO_SYMMETRY:
			x->no_symmetry = true;
			break;
		case OPT_VERIFY:
			x->verify = true;
			break;
		case OPT_SYMMETRY:
			x->no_symmetry = strcmp(optarg, "none") == 0;
			x->order_symmetry = strcmp(optarg, "order") == 0;
			if (!x->no_symmetry && !x->order_symmetry &&
			    strcmp(optarg, "any") != 0)
				return fail("unknown symmetry '%s' (any, order, none)",
					    optarg), -1;
			break;
		case 'j':
			if (parse_count("--threads", optarg, 1, 256, &v) < 0)
				return -1;
			x->threads = (unsigned)v;
			break;
		case OPT_SHARD:
			if (parse_shard(x, optarg) < 0)
				return -1;
			break;
		case 'o':
			x->output_path = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0)
				x->json = true;
			else if (strcmp(optarg, "text") == 0)
				x->json = false;
			else
				return fail("unknown format '%s' (text, json)", optarg), -1;
			break;
		case 'q':
			x->quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case ':':
			return fail("option '%s' needs an argument", argv[optind - 1]), -1;
		default:
			return fail("unknown option '%s' (procsim explore --help lists "
				    "them)", argv[optind - 1]), -1;
		}
	}
	if (have_profile && x->compare)
		return fail("--profile and --compare exclude each other"), -1;
	if (optind + 1 < argc)
		return fail("one setup file at most (got '%s' and '%s')",
			    argv[optind], argv[optind + 1]), -1;
	if (optind < argc)
		x->setup_path = argv[optind];
	return 0;
}

static void set_defaults(struct explore *x)
{
	char *msg = NULL;

	x->bounds.max_tasks = 4;
	x->bounds.max_level = 2;
	x->depth = 8;
	memcpy(x->bounds.ops, default_ops, sizeof(default_ops));
	xop_parse_values("1,2", UINT64_MAX, &x->bounds.values, &x->bounds.nvalues, &msg);
	xop_parse_values("1", UINT32_MAX, &x->bounds.capvalues,
			 &x->bounds.ncapvalues, &msg);
	xop_parse_uids("0,1000", &x->bounds.uids, &x->bounds.nuids, &msg);
	xop_parse_caps("audit_control", &x->bounds.caps, &x->bounds.ncaps, &msg);
	xop_parse_signals("term,kill", &x->bounds.signals, &x->bounds.nsignals, &msg);
	x->profiles[0] = scn_profile_name(0);
	x->nprofiles = 1;
	x->threads = default_threads();
	x->shard = 0;
	x->nshards = 1;
}

int explore_main(int argc, char **argv)
{
	return explore_run(argc, argv, NULL, 0, NULL);
}

int explore_run(int argc, char **argv, const char *setup, size_t setup_len,
		char **counterexample_out)
{
	struct explore x;
	struct scn_output outs[] = { { .option = "--output" } };
	int status = EXIT_USAGE;

	memset(&x, 0, sizeof(x));
	set_defaults(&x);
	int r = parse_options(&x, argc, argv);
	if (r == 0 && setup) {
		if (!x.setup_path)
			x.setup_path = "setup.scn";
		x.setup_text = scn_malloc(setup_len + 1);
		memcpy(x.setup_text, setup, setup_len);
		x.setup_text[setup_len] = '\0';
		x.setup_len = setup_len;
		x.setup_given = true;
	}
	if (r != 0) {
		explore_free(&x);
		return r > 0 ? (scn_output_close(stdout, "standard output") < 0 ? 2 : 0)
			     : EXIT_USAGE;
	}
	x.bounds_text = bounds_text(&x);

	char *inputs[2];
	size_t ninputs = 0;
	if (x.setup_path)
		inputs[ninputs++] = (char *)x.setup_path;
	if (x.properties_path)
		inputs[ninputs++] = (char *)x.properties_path;
	if (ninputs == 2 && strcmp(inputs[0], "-") == 0 && strcmp(inputs[1], "-") == 0) {
		fail("standard input ('-') can be read only once");
		goto out;
	}
	if (x.output_path && strcmp(x.output_path, "-") != 0)
		outs[0].path = x.output_path;
	if (scn_outputs_open(outs, 1, inputs, x.setup_given ? 0 : ninputs) < 0)
		goto out;
	if (make_roots(&x) < 0)
		goto out;
	for (size_t i = 0; i < x.nnames; i++)
		if (x.names[i].identity > x.start_identity)
			x.start_identity = x.names[i].identity;
	pid_t pid = 0;
	while (contid_task_next(x.roots[0], pid, &pid) == 0) {
		uint64_t identity = 0;
		contid_task_identity(x.roots[0], pid, &identity);
		if (identity > x.start_identity)
			x.start_identity = identity;
	}
	if (x.properties_path && load_properties(&x) < 0)
		goto out;
	if (select_properties(&x) < 0)
		goto out;

	bool show_progress = !x.quiet && isatty(STDERR_FILENO);
	struct xsearch_config cfg = {
		.bounds = &x.bounds, .depth = x.depth, .nworlds = x.nprofiles,
		.compare = x.compare, .uprops = x.uprops, .uprops_on = x.uprops_on,
		.symmetry = x.symmetry = symmetry_sound(&x),
		.verify = x.verify,
		.max_states = x.max_states, .max_memory = x.max_memory,
		.threads = x.threads, .shard = x.shard, .nshards = x.nshards,
		.usable = usable, .usable_data = &x,
		.progress = show_progress ? progress : NULL,
	};
	/* with several worlds, each would be put in its own order */
	cfg.task_symmetry = x.task_symmetry =
		x.symmetry && !x.order_symmetry && x.nprofiles == 1;
	value_symmetry(&x);
	cfg.values = x.sym_values;
	cfg.nvalues = x.nsym_values;
	memcpy(cfg.props, x.props, sizeof(cfg.props));
	if (x.compare)
		/* differences, and the invariants of every world */
		for (int p = 0; p < XP_BUILTINS; p++)
			cfg.props[p] = p == XP_INVARIANTS;
	struct xsearch_result res;
	xsearch_run(&cfg, x.roots, &res);
	clear_progress(show_progress);

	char *cex = NULL;
	struct scn_str *detail = scn_str_new();
	FILE *cex_out = outs[0].f ? outs[0].f : stdout;
	if (res.verdict == XV_VIOLATED) {
		cex = counterexample(&x, &res, detail);
		if (!x.json || outs[0].f)
			fputs(cex, cex_out);
	}
	if (x.json)
		report_json(&x, &res, cex, detail->str);
	if (!x.quiet)
		report_text(&x, &res, outs[0].path ? outs[0].path :
			    x.json ? "the JSON object" : "standard output");
	status = res.verdict == XV_HOLDS ? EXIT_HOLDS :
		 res.verdict == XV_VIOLATED ? EXIT_VIOLATED : EXIT_INCOMPLETE;
	if (res.unverified != UINT32_MAX) {
		fail("--verify: state %" PRIu32 ", rebuilt from the steps that "
		     "reached it, is not the state stored: the search is wrong, "
		     "whatever its verdict", res.unverified);
		status = EXIT_UNVERIFIED;
	}
	if (counterexample_out)
		*counterexample_out = cex;
	else
		free(cex);
	scn_str_free(detail);
	xsearch_result_free(&res);
out:
	if (outs[0].f && scn_output_close(outs[0].f, "--output") < 0)
		status = EXIT_USAGE;
	if (scn_output_close(stdout, "standard output") < 0)
		status = EXIT_USAGE;
	if (fflush(stderr) != 0)
		status = EXIT_USAGE;
	explore_free(&x);
	return status;
}
