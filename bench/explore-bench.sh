#!/bin/bash
# The explorer's benchmark (docs/explore.md, "Speed"): the bounded problem
# of the SPIN comparison, searched exhaustively on one core.
#
#   bench/explore-bench.sh PROCSIM [smoke|quick|full]
#
# quick: depth 8 under v11, and the v11-posted slip.  full adds depth 10
# and 5 tasks at depth 10.  smoke searches 5 deep, for the test suite.  One line per run: what was searched, the
# verdict, states, transitions, seconds, states/s, bytes per stored state
# and the peak resident memory of the process (GNU time's %M).
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 PROCSIM [quick|full]" >&2; exit 2; }
procsim=$1
mode=${2:-quick}
case $mode in smoke|quick|full) ;; *) echo "$0: smoke, quick or full, not '$mode'" >&2; exit 2;; esac
depth=8
[ "$mode" = smoke ] && depth=5

# The SPIN model's bounds: 4 tasks not gone, values 1..2, uids 0/1000,
# user-namespace levels 0..2, drop-cap of audit_control and setuid, and
# its eight operations.
bounds=(--values 1,2 --uids 0,1000 --max-level 2 --caps audit_control,setuid
	--ops fork,exit,reap,unshare-user,setuid,drop-cap,set-contid,set-capcontid
	--property P-PRIV --threads 1 --format json --quiet)

# run WHAT VERDICT OPTION...: a search, which must end in VERDICT.
run() {
	local what=$1 verdict=$2
	shift 2
	local out rss
	out=$(mktemp)
	# GNU time is no dependency: bash's own clock does without it
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$out.rss" "$procsim" explore "$@" >"$out" || true
		rss=$(tail -n 1 "$out.rss")
	else
		"$procsim" explore "$@" >"$out" || true
		rss=?
	fi
	python3 - "$what" "$out" "$rss" "$verdict" <<'PY'
import json, sys
what, path, rss, verdict = sys.argv[1:5]
d = json.load(open(path))
if d['verdict'] != verdict:
    sys.exit('%s: %s, not %s' % (what, d['verdict'], verdict))
extra = ' (%d operations)' % d['length'] if d['verdict'] == 'violated' else ''
print('%-34s %-9s%s states %d transitions %d %.2f s %.0f states/s '
      '%.1f bytes/state peak RSS %s KiB'
      % (what, d['verdict'], extra, d['states'], d['transitions'],
         float(d['seconds']), float(d['states_per_second']),
         float(d['bytes_per_state']), rss))
PY
	rm -f "$out" "$out.rss"
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo '?'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
run "v11 --tasks 4 --depth $depth" holds --profile v11 --tasks 4 --depth $depth "${bounds[@]}"
run "v11-posted --tasks 4 --depth $depth" violated --profile v11-posted --tasks 4 --depth $depth "${bounds[@]}"
if [ "$mode" = full ]; then
	run "v11 --tasks 4 --depth 10" holds --profile v11 --tasks 4 --depth 10 "${bounds[@]}"
	run "v11 --tasks 5 --depth 10" holds --profile v11 --tasks 5 --depth 10 "${bounds[@]}"
fi
