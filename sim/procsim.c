/*
 * procsim: replays scenario files against libcontid and reports every
 * expectation the rules break.  See procsim(1) and docs/scenarios.md.
 */
#include <contid.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn-dot.h"
#include "scn-run.h"

#ifndef PROCSIM_VERSION
#define PROCSIM_VERSION "unknown"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: procsim [OPTIONS] FILE...\n"
		"Replays each scenario FILE in a fresh world and checks its expectations.\n"
		"\n"
		"  --records FILE     write the raw audit log to FILE\n"
		"  --format FORMAT    text (a summary per file, the default) or json\n"
		"                     (one JSON object per statement on standard output)\n"
		"  --profile NAME     rule set for every file (known: %s)\n"
		"  --dot FILE         write a Graphviz graph of each final world to FILE\n"
		"  -h, --help         show this help\n"
		"  --version          show the version\n"
		"\n"
		"Exit status: 0 every expectation held, 1 some did not, 2 a file could\n"
		"not be read or parsed, or an option is wrong.\n",
		scn_profiles_text());
}

static FILE *open_output(const char *path, const char *what)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	if (!f)
		fprintf(stderr, "procsim: cannot write %s %s: %s\n", what, path,
			strerror(errno));
	return f;
}

static int close_output(FILE *f, const char *path)
{
	if (!f)
		return 0;
	int bad = ferror(f);
	if (f == stdout)
		bad |= fflush(f) != 0;
	else
		bad |= fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "procsim: error writing %s\n", path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_RECORDS = 256, OPT_FORMAT, OPT_PROFILE, OPT_DOT, OPT_VERSION };
	static const struct option options[] = {
		{ "records", required_argument, NULL, OPT_RECORDS },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "dot", required_argument, NULL, OPT_DOT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	const char *records_path = NULL, *dot_path = NULL;
	struct scn_run_options opts = { 0 };
	bool json = false;
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case OPT_RECORDS:
			records_path = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0) {
				json = true;
			} else if (strcmp(optarg, "text") != 0) {
				fprintf(stderr, "procsim: unknown format '%s' (text, json)\n",
					optarg);
				return 2;
			}
			break;
		case OPT_PROFILE:
			if (!scn_profile_known(optarg)) {
				fprintf(stderr, "procsim: unknown profile '%s' (known: %s)\n",
					optarg, scn_profiles_text());
				return 2;
			}
			opts.profile = optarg;
			break;
		case OPT_DOT:
			dot_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case OPT_VERSION:
			printf("procsim %s\n", PROCSIM_VERSION);
			return 0;
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

	if (records_path && !(opts.records = open_output(records_path, "records")))
		return 2;
	if (json)
		opts.json = stdout;
	struct scn_dot *dot = NULL;
	FILE *dot_file = NULL;
	if (dot_path) {
		if (!(dot_file = open_output(dot_path, "graph")))
			return 2;
		dot = scn_dot_begin(dot_file);
		opts.final_world = scn_dot_world;
		opts.final_world_data = dot;
	}

	int status = 0;
	unsigned passed = 0, failed = 0;
	for (int i = optind; i < argc; i++) {
		struct scn_run_result res;
		int s = scn_run_file(argv[i], &opts, &res);
		if (s > status)
			status = s;
		if (s == 0)
			passed++;
		else
			failed++;
		if (json)
			continue;
		if (s == 2)
			printf("%s: not run\n", argv[i]);
		else
			printf("%s: %u statements, %u expectations, %u failed\n", argv[i],
			       res.statements, res.expectations, res.failed);
	}
	if (!json)
		printf("%u passed, %u failed\n", passed, failed);

	if (dot)
		scn_dot_end(dot);
	if (close_output(dot_file, dot_path) < 0 ||
	    close_output(opts.records, records_path) < 0 ||
	    close_output(stdout, "standard output") < 0)
		status = 2;
	return status;
}
