/*
 * procsim: replays scenario files against libcontid and reports every
 * expectation the rules break.  See procsim(1) and docs/scenarios.md.
 */
#include <contid.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn-compare.h"
#include "scn-dot.h"
#include "scn-junit.h"
#include "explore.h"
#include "scn-output.h"
#include "scn-profiles.h"
#include "scn-progress.h"
#include "scn-read.h"
#include "scn-run.h"

#ifndef PROCSIM_VERSION
#define PROCSIM_VERSION "unknown"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: procsim [OPTIONS] FILE...\n"
		"       procsim --compare [--format FORMAT] [--records FILE] [--profiles LIST]\n"
		"                         [--only-diff] [--width N] [--detail] FILE...\n"
		"       procsim explore [OPTIONS] [SETUP]   (see procsim explore --help)\n"
		"Replays each scenario FILE in a fresh world and checks its expectations.\n"
		"FILE - is standard input (named <stdin> in messages).\n"
		"\n"
		"  --records FILE        write the raw audit log to FILE\n"
		"  --format FORMAT       text (a summary per file, the default), json\n"
		"                        (JSON Lines: one object per statement) or tap\n"
		"                        (TAP 13: one test point per expectation)\n"
		"  --profile NAME        rule set for every file (known: %s)\n"
		"  --dot FILE            write a Graphviz graph of each final world to FILE\n"
		"                        (a summary of a world of more than %d tasks)\n"
		"  --dot-full            with --dot: draw every task of any world\n"
		"  --junit FILE          write JUnit XML to FILE: a testsuite per file, a\n"
		"                        testcase per expectation\n"
		"  --compare             replay each FILE under every profile and print the\n"
		"                        outcomes side by side (json: one object per file)\n"
		"  --profiles LIST       with --compare: only these profiles, in this order\n"
		"                        (a comma list, e.g. v11,v8)\n"
		"  --only-diff           with --compare: only the rows where the profiles\n"
		"                        differ (marked *)\n"
		"  --width N             with --compare: cut the statement column to N\n"
		"                        characters (default %u; 0: never)\n"
		"  --detail              with --compare: a refused cell names its rule\n"
		"  --max-file-size SIZE  refuse scenario files larger than SIZE bytes\n"
		"                        (K, M or G suffix: KiB, MiB, GiB; default 1G)\n"
		"  --fail-fast           stop each file at its first failed expectation\n"
		"  -q, --quiet           nothing on standard output but what --format json,\n"
		"                        --records -, --dot - or --junit - ask for, and no\n"
		"                        progress line: the exit status and standard error tell\n"
		"  -h, --help            show this help\n"
		"  --version             show the version\n"
		"\n"
		"When standard error is a terminal, a long run shows a progress line\n"
		"there once a second, erased when the run ends.\n"
		"\n"
		"Exit status: 0 every expectation held (under every profile with\n"
		"--compare), 1 some did not, 2 a file could not be read or parsed, an\n"
		"option is wrong, memory ran out or an output could not be written.\n",
		scn_profiles_text(), SCN_DOT_DETAIL_MAX, SCN_COMPARE_WIDTH);
}

/* --width: 0 (never cut), or 4 to 65536 columns, room for "..." and more. */
static int parse_width(const char *text, unsigned *out)
{
	unsigned long v = 0;
	const char *p = text;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9' && v <= 65536; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (*p || (v != 0 && v < 4) || v > 65536)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/*
 * --profiles LIST: profile names separated by commas, each known and named
 * once; @columns gets their indexes in that order.  Says what is wrong,
 * with a hint for a misspelt name, and returns -1.
 */
static int parse_profiles(const char *list, unsigned *columns, unsigned *n)
{
	uint64_t named = 0;
	const char *p = list;

	*n = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		if (len == 0) {
			fprintf(stderr, "procsim: missing profile name in --profiles '%s'\n",
				list);
			return -1;
		}
		int i = scn_profile_index(p, len);
		if (i < 0) {
			const char *hint = scn_profile_suggest(p, len);
			fprintf(stderr, "procsim: unknown profile '%.*s' in --profiles "
				"(known: %s)%s%s%s\n", (int)len, p, scn_profiles_text(),
				hint ? "; did you mean '" : "", hint ? hint : "",
				hint ? "'?" : "");
			return -1;
		}
		if (named & (UINT64_C(1) << i)) {
			fprintf(stderr, "procsim: profile '%.*s' named twice in --profiles\n",
				(int)len, p);
			return -1;
		}
		named |= UINT64_C(1) << i;
		columns[(*n)++] = (unsigned)i;
		p += len;
		if (!*p)
			return 0;
		p++; /* the comma */
	}
}

/* --help and --version: what they print must arrive, too. */
static int finish_info(void)
{
	return scn_output_close(stdout, "standard output") < 0 ? 2 : 0;
}

/* The exit status after a run, with every stream's write errors counted. */
static int finish(int status, struct scn_output *outs, size_t nouts)
{
	for (size_t i = 0; i < nouts; i++) {
		if (!outs[i].f || outs[i].f == stdout)
			continue;
		char what[512];
		snprintf(what, sizeof(what), "%s %s", outs[i].option, outs[i].path);
		if (scn_output_close(outs[i].f, what) < 0)
			status = 2;
	}
	if (scn_output_close(stdout, "standard output") < 0)
		status = 2;
	/* nowhere left to say it, but the status still tells */
	if (fflush(stderr) != 0 || ferror(stderr))
		status = 2;
	return status;
}

static int run_compare(char *const *files, int nfiles,
		       const struct scn_compare_options *co)
{
	int status = 0;

	for (int i = 0; i < nfiles; i++) {
		if (i > 0 && !co->json && !co->quiet)
			fputc('\n', co->out);
		int s = scn_compare_file(files[i], co);
		status = SCN_MAX(status, s);
	}
	return status;
}

static const char *plural(unsigned n)
{
	return n == 1 ? "" : "s";
}

/*
 * Replays every file.  With opts->tap (TAP version 13) each expectation is
 * a test point, a file that cannot be read or parsed one failed point of
 * its own, and the plan comes last, when the count is known; otherwise
 * a summary line per file and a total, unless JSON or --quiet.
 */
static int run_files(char *const *files, int nfiles, struct scn_run_options *opts,
		     bool quiet, FILE *dot_file, bool dot_full, FILE *summary)
{
	struct scn_dot *dot = NULL;
	int status = 0;
	unsigned passed = 0, failed = 0, points = 0;

	if (dot_file) {
		dot = scn_dot_begin(dot_file, dot_full ? SIZE_MAX : SCN_DOT_DETAIL_MAX);
		opts->final_world = scn_dot_world;
		opts->final_world_data = dot;
	}
	if (opts->tap) {
		opts->tap_count = &points;
		printf("TAP version 13\n");
	}
	if (opts->junit)
		scn_junit_begin(opts->junit);
	for (int i = 0; i < nfiles; i++) {
		struct scn_run_result res;
		int s = scn_run_file(files[i], opts, &res);
		if (opts->progress)
			scn_progress_clear(opts->progress);
		status = SCN_MAX(status, s);
		if (s == 0)
			passed++;
		else
			failed++;
		if (opts->tap && s == 2)
			printf("not ok %u - %s: not run (it could not be read or "
			       "parsed: see standard error)\n", ++points,
			       scn_input_name(files[i]));
		if (opts->json || opts->tap || quiet)
			continue;
		const char *name = scn_input_name(files[i]);
		if (s == 2)
			fprintf(summary, "%s: not run\n", name);
		else if (res.skipped)
			fprintf(summary, "%s: %u statement%s (%u not run under %s), %u "
			       "expectation%s, %u failed", name, res.statements,
			       plural(res.statements), res.skipped, res.profile,
			       res.expectations, plural(res.expectations), res.failed);
		else
			fprintf(summary, "%s: %u statement%s, %u expectation%s, %u failed",
			       name, res.statements, plural(res.statements),
			       res.expectations, plural(res.expectations), res.failed);
		if (s != 2 && res.stopped_line)
			fprintf(summary, ", stopped after line %u (--fail-fast)",
				res.stopped_line);
		if (s != 2)
			fputc('\n', summary);
	}
	if (opts->tap)
		printf("1..%u\n", points);
	else if (!opts->json && !quiet)
		fprintf(summary, "%u passed, %u failed\n", passed, failed);
	if (opts->junit)
		scn_junit_end(opts->junit);
	if (dot)
		scn_dot_end(dot);
	return status;
}

int main(int argc, char **argv)
{
	enum {
		OPT_RECORDS = 256, OPT_FORMAT, OPT_PROFILE, OPT_DOT, OPT_COMPARE,
		OPT_VERSION, OPT_MAX_FILE_SIZE, OPT_FAIL_FAST, OPT_JUNIT, OPT_PROFILES,
		OPT_ONLY_DIFF, OPT_WIDTH, OPT_DETAIL, OPT_DOT_FULL,
	};
	bool quiet = false;
	static const struct option options[] = {
		{ "records", required_argument, NULL, OPT_RECORDS },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "dot", required_argument, NULL, OPT_DOT },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "dot-full", no_argument, NULL, OPT_DOT_FULL },
		{ "compare", no_argument, NULL, OPT_COMPARE },
		{ "profiles", required_argument, NULL, OPT_PROFILES },
		{ "only-diff", no_argument, NULL, OPT_ONLY_DIFF },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "detail", no_argument, NULL, OPT_DETAIL },
		{ "max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "fail-fast", no_argument, NULL, OPT_FAIL_FAST },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct scn_output outs[] = {
		{ .option = "--records" },
		{ .option = "--dot" },
		{ .option = "--junit" },
	};
	struct scn_output *records = &outs[0], *dot = &outs[1], *junit = &outs[2];
	struct scn_run_options opts = { .max_file_bytes = SCN_DEFAULT_MAX_FILE_BYTES };
	struct scn_compare_options co = { .out = stdout, .width = SCN_COMPARE_WIDTH };
	unsigned columns[SCN_MAX_PROFILES];
	/* the options of --compare alone, for the message when it is missing */
	const char *compare_only = NULL;
	bool json = false, tap = false, compare = false, dot_full = false;
	int c;

	/* before anything is opened: a closed standard stream must not lend
	 * its number to an output file */
	if (scn_std_streams_open() < 0)
		return 2;
	if (argc > 1 && strcmp(argv[1], "explore") == 0)
		return explore_main(argc - 1, argv + 1);

	while ((c = getopt_long(argc, argv, "hq", options, NULL)) != -1) {
		switch (c) {
		case 'q':
			quiet = true;
			break;
		case OPT_FAIL_FAST:
			opts.fail_fast = true;
			break;
		case OPT_RECORDS:
			records->path = optarg;
			break;
		case OPT_FORMAT:
			json = strcmp(optarg, "json") == 0;
			tap = strcmp(optarg, "tap") == 0;
			if (!json && !tap && strcmp(optarg, "text") != 0) {
				fprintf(stderr, "procsim: unknown format '%s' (text, json, tap)\n",
					optarg);
				return 2;
			}
			break;
		case OPT_PROFILE:
			if (!scn_profile_known(optarg)) {
				const char *hint = scn_profile_suggest(optarg, strlen(optarg));
				fprintf(stderr, "procsim: unknown profile '%s' (known: %s)%s%s%s\n",
					optarg, scn_profiles_text(), hint ? "; did you mean '" : "",
					hint ? hint : "", hint ? "'?" : "");
				return 2;
			}
			opts.profile = optarg;
			break;
		case OPT_DOT:
			dot->path = optarg;
			break;
		case OPT_JUNIT:
			junit->path = optarg;
			break;
		case OPT_DOT_FULL:
			dot_full = true;
			break;
		case OPT_COMPARE:
			compare = true;
			break;
		case OPT_PROFILES:
			if (parse_profiles(optarg, columns, &co.nprofiles) < 0)
				return 2;
			co.profiles = columns;
			compare_only = "--profiles";
			break;
		case OPT_ONLY_DIFF:
			co.only_diff = true;
			compare_only = "--only-diff";
			break;
		case OPT_WIDTH:
			if (parse_width(optarg, &co.width) < 0) {
				fprintf(stderr, "procsim: invalid --width '%s' (a number "
					"of columns from 4 to 65536, or 0 for no limit)\n",
					optarg);
				return 2;
			}
			compare_only = "--width";
			break;
		case OPT_DETAIL:
			co.detail = true;
			compare_only = "--detail";
			break;
		case OPT_MAX_FILE_SIZE:
			if (scn_parse_size(optarg, &opts.max_file_bytes) < 0) {
				fprintf(stderr, "procsim: invalid --max-file-size '%s' (a "
					"number of bytes from 1, with an optional K, M or G "
					"suffix)\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return finish_info();
		case OPT_VERSION:
			printf("procsim %s (libcontid %s)\n", PROCSIM_VERSION,
			       contid_version());
			return finish_info();
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "procsim: no scenario file given\n");
		usage(stderr);
		return 2;
	}
	if (dot_full && !dot->path) {
		fprintf(stderr, "procsim: --dot-full goes with --dot\n");
		return 2;
	}
	if (compare && (opts.profile || dot->path)) {
		fprintf(stderr, "procsim: --compare takes no --profile or --dot "
			"(--profiles LIST picks the profiles it compares)\n");
		return 2;
	}
	if (!compare && compare_only) {
		fprintf(stderr, "procsim: %s works only with --compare\n", compare_only);
		return 2;
	}
	if (compare && tap) {
		fprintf(stderr, "procsim: --compare prints text or json, not tap\n");
		return 2;
	}
	if (compare && opts.fail_fast) {
		/* every profile's pass must see every statement, for the rows */
		fprintf(stderr, "procsim: --compare replays whole files and takes no "
			"--fail-fast\n");
		return 2;
	}

	if (compare && junit->path) {
		fprintf(stderr, "procsim: --compare prints text or json, not --junit\n");
		return 2;
	}
	/* Standard output carries one thing: what an option sends there, or
	 * else the summary (which then goes to standard error). */
	const char *to_stdout[4];
	size_t nstdout = 0;
	if (json)
		to_stdout[nstdout++] = "--format json";
	if (tap)
		to_stdout[nstdout++] = "--format tap";
	for (size_t i = 0; i < SCN_N_ELEMENTS(outs); i++)
		if (outs[i].path && strcmp(outs[i].path, "-") == 0)
			to_stdout[nstdout++] = outs[i].option;
	if (nstdout > 1) {
		fprintf(stderr, "procsim: %s and %s both write to standard output; "
			"give one of them a FILE\n", to_stdout[0], to_stdout[1]);
		return 2;
	}
	FILE *summary = nstdout ? stderr : stdout;

	char *const *files = argv + optind;
	int nfiles = argc - optind;
	int dashes = 0;
	for (int i = 0; i < nfiles; i++)
		dashes += strcmp(files[i], "-") == 0;
	if (dashes > 1) {
		fprintf(stderr, "procsim: standard input ('-') can be read only once\n");
		return 2;
	}
	if (scn_outputs_open(outs, SCN_N_ELEMENTS(outs), files, (size_t)nfiles) < 0)
		return 2;
	opts.records = records->f;
	opts.junit = junit->f;

	/* a line a second on a terminal while a long file runs */
	struct scn_progress progress;
	scn_progress_start(&progress, stderr, quiet, 0);
	opts.progress = &progress;

	int status;
	if (compare) {
		co.json = json;
		co.quiet = quiet;
		co.records = records->f;
		co.max_file_bytes = opts.max_file_bytes;
		co.progress = &progress;
		/* the matrix (or its JSON) is the summary of --compare */
		co.out = json || !records->path || strcmp(records->path, "-") != 0
			 ? stdout : stderr;
		status = run_compare(files, nfiles, &co);
	} else {
		opts.json = json ? stdout : NULL;
		opts.tap = tap ? stdout : NULL;
		status = run_files(files, nfiles, &opts, quiet, dot->f, dot_full, summary);
	}
	scn_progress_finish(&progress);
	return finish(status, outs, SCN_N_ELEMENTS(outs));
}
