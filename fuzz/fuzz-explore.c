/*
 * fuzz-explore: the input is a setup scenario for procsim explore, after
 * one byte that picks the rules: a profile, or (high bit set) --compare
 * all; with bit 6 set the audit daemon's operations (auditd, signal,
 * signal-info) are tried too, besides the default ones.  The search runs
 * at tiny bounds (3 tasks, 2 operations, one thread), as
 * `procsim explore --tasks 3 --depth 2 SETUP` would.
 *
 * A setup that does not parse or hold is an ordinary outcome (status 2).
 * What must never happen: a crash, a leak, a hang, undefined behaviour,
 * another status than 0, 1 or 2, or a counterexample that does not
 * replay: every counterexample is replayed by procsim's runner, under its
 * own profile line or, for --compare, under every profile, and each of
 * its expectations must hold.
 */
#include <contid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "scn-profiles.h"
#include "scn-run.h"

static void replay(const char *cex, const char *profile)
{
	struct scn_run_options opts = { .profile = profile, .quiet = true };
	struct scn_run_result res;

	if (scn_run_data("counterexample.scn", cex, strlen(cex), &opts, &res) != 0) {
		fprintf(stderr, "fuzz-explore: the counterexample does not replay "
			"under %s:\n%s", profile ? profile : "its profile", cex);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	bool compare = data[0] & 0x80;
	bool daemon = data[0] & 0x40;
	const char *profile = scn_profile_name((data[0] & 0x3f) % scn_profile_count());
	char *argv[] = {
		"explore", "--tasks", "3", "--depth", "2", "--threads", "1",
		"--quiet", "--output", "/dev/null",
		compare ? "--compare" : "--profile", compare ? "all" : (char *)profile,
		"--ops", "fork,fork-thread,fork-newuser,fork-newnet,exit,reap,"
			 "unshare-user,setuid,drop-cap,set-contid,set-capcontid,"
			 "auditd,signal,signal-info",
		NULL,
	};
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - (daemon ? 1 : 3);
	char *cex = NULL;

	int status = explore_run(argc, argv, (const char *)data + 1, size - 1, &cex);
	if (status < 0 || status > 2 || (status == 1) != (cex != NULL)) {
		fprintf(stderr, "fuzz-explore: status %d, counterexample %s\n",
			status, cex ? "given" : "none");
		abort();
	}
	if (cex && compare)
		for (unsigned i = 0; i < scn_profile_count(); i++)
			replay(cex, scn_profile_name(i));
	else if (cex)
		replay(cex, NULL);
	free(cex);
	return 0;
}
