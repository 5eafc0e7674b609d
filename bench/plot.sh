#!/bin/bash
# Draws the scaling plot of docs/performance.md from contid-bench --json
# reports (one per population size):
#
#   bench/plot.sh OUT.svg|OUT.png REPORT.json...
#
# Left: nanoseconds per operation by kind, and overall (wall clock, and the
# part spent inside the library), against the number of live tasks.
# Right: bytes of resident memory per live task, and operations per second.
# Needs gnuplot (Debian package gnuplot-nox) and python3:
# `scripts/dev.sh plot OUT REPORT.json...` installs them when they are
# missing and runs this script.
set -euo pipefail

usage() {
	echo "usage: $0 OUT.svg|OUT.png REPORT.json..." >&2
	exit 2
}
[ $# -ge 2 ] || usage
case $1 in
*.svg | *.png) ;;
*) echo "$0: '$1' ends in neither .svg nor .png" >&2; usage ;;
esac
for report in "${@:2}"; do
	[ -r "$report" ] || { echo "$0: cannot read report '$report'" >&2; exit 2; }
done
command -v gnuplot >/dev/null || {
	echo "$0: gnuplot not found (scripts/dev.sh plot installs it: apt-get install gnuplot-nox)" >&2
	exit 1
}
out=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" "$@" <<'PY'
import json
import sys

tmp = sys.argv[1]
rows = sorted((json.load(open(p)) for p in sys.argv[2:]), key=lambda r: r["tasks"])
kinds = list(rows[0]["kinds"])
with open(tmp + "/kinds.dat", "w") as f:
    f.write("tasks all(wall) all(library) " + " ".join(kinds) + "\n")
    for r in rows:
        f.write("%d %.1f %.1f %s\n" % (
            r["tasks"], r["ns_per_op"], r["lib_ns_per_op"],
            " ".join("%.1f" % r["kinds"][k]["ns_per_op"] for k in kinds)))
with open(tmp + "/mem.dat", "w") as f:
    f.write("tasks bytes_per_task mops\n")
    for r in rows:
        f.write("%d %.1f %.3f\n" % (r["tasks"], r["bytes_per_task"],
                                   r["ops_per_sec"] / 1e6))
with open(tmp + "/ncols", "w") as f:
    f.write(str(3 + len(kinds)))
with open(tmp + "/title", "w") as f:
    r = rows[0]
    f.write("contid-bench, profile %s, %d operations per size, records %s" % (
        r["profile"], r["ops"],
        "formatted for a callback" if r["records_callback"] else "without a callback"))
PY

case $out in
*.png) terminal='pngcairo size 1200,560 font "sans,10" background "white"' ;;
*) terminal='svg size 1200,560 dynamic font "sans,11" background "white"' ;;
esac
cat > "$tmp/plot.gp" <<GP
set terminal $terminal
set output "$out"
set multiplot layout 1,2 title "$(cat "$tmp/title")"
set logscale xy 10
set xrange [500:2000000]
set xlabel "live tasks"
set format x "10^{%L}"
set grid
set key outside bottom center horizontal maxrows 4 font ",9"
set ylabel "ns per operation"
plot "$tmp/kinds.dat" using 1:2 with linespoints lw 3 lc rgb "black" title columnheader(2), \\
     "$tmp/kinds.dat" using 1:3 with linespoints lw 3 dt 2 lc rgb "black" title columnheader(3), \\
     for [i=4:$(cat "$tmp/ncols")] "$tmp/kinds.dat" using 1:i with linespoints \\
	lw 1 title columnheader(i)
set ylabel "bytes of RSS per live task (log scale)"
set y2label "million operations per second"
set ytics nomirror
set y2tics
set y2range [0:*]
plot "$tmp/mem.dat" using 1:2 axes x1y1 with linespoints lw 2 \\
	title "bytes per live task (peak RSS growth / N)", \\
     "$tmp/mem.dat" using 1:3 axes x1y2 with linespoints lw 2 \\
	title "million ops/s (wall clock)"
unset multiplot
GP
gnuplot "$tmp/plot.gp"
echo "wrote $out"
