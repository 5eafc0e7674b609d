#!/bin/bash
# bench/plot.sh and scripts/dev.sh's plot and bench modes, without
# gnuplot: their argument errors (status 2, the usage, before anything is
# installed, built or run), plot.sh's message when gnuplot is missing
# (status 1, naming scripts/dev.sh plot), and with a stand-in gnuplot that
# keeps what it is given, the data and the script plot.sh makes from two
# contid-bench --json reports.
#
# usage: check-plot.sh PLOT_SH DEV_SH CONTID_BENCH
set -u

if [ $# -ne 3 ]; then
	echo "usage: $0 PLOT_SH DEV_SH CONTID_BENCH" >&2
	exit 99
fi
plot=$(realpath "$1")
dev=$(realpath "$2")
bench=$(realpath "$3")
export LC_ALL=C

work=$(mktemp -d "${TMPDIR:-/tmp}/check-plot.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99
fail=0
failed() {
	echo "FAIL: $*" >&2
	fail=1
}

# expect STATUS PATTERN COMMAND...: the exit status, and standard error
# matching the extended regular expression
expect() {
	local want=$1 pattern=$2
	shift 2
	"$@" >out 2>err
	local got=$?
	[ "$got" -eq "$want" ] || failed "$* exited $got, not $want: $(cat err)"
	grep -Eq -- "$pattern" err || failed "$*: no /$pattern/ in: $(cat err)"
	[ -s out ] && failed "$* printed on standard output: $(cat out)"
}

"$bench" --tasks 100 --ops 2000 --pid-max 4096 --json >r100.json ||
	failed "contid-bench --tasks 100"
"$bench" --tasks 300 --ops 2000 --pid-max 4096 --json >r300.json ||
	failed "contid-bench --tasks 300"

expect 2 '^usage: .*plot.sh OUT.svg\|OUT.png REPORT.json' bash "$plot"
expect 2 '^usage: ' bash "$plot" out.svg
expect 2 "'out.pdf' ends in neither .svg nor .png" bash "$plot" out.pdf r100.json
expect 2 "cannot read report 'missing.json'" bash "$plot" out.svg r100.json missing.json
mkdir empty
expect 1 'gnuplot not found \(scripts/dev.sh plot installs it' \
	env PATH="$work/empty" /bin/bash "$plot" out.svg r100.json
[ -e out.svg ] && failed "an output without gnuplot"

# dev.sh checks its arguments before it installs or builds anything
for args in "" "nonsense" "run extra" "plot" "plot out.svg" "bench 0" \
	    "bench 10 x" "bench 1 2 3"; do
	# shellcheck disable=SC2086
	expect 2 '^usage: .*dev.sh run\|test' bash "$dev" $args
done

# a stand-in gnuplot: keeps the script and the data it reads, writes OUT
mkdir bin kept
cat >bin/gnuplot <<'GP'
#!/bin/bash
cp "$1" "$KEEP/plot.gp" && cp "$(dirname "$1")"/*.dat "$KEEP/" &&
	sed -n 's/^set output "\(.*\)"$/\1/p' "$1" | xargs touch
GP
chmod +x bin/gnuplot
for out in out.svg out.png; do
	rm -f kept/*
	KEEP=$work/kept PATH="$work/bin:$PATH" bash "$plot" "$out" r300.json r100.json \
		>stdout 2>stderr ||
		failed "plot.sh $out failed: $(cat stderr)"
	[ "$(cat stdout)" = "wrote $out" ] || failed "plot.sh $out said: $(cat stdout)"
	[ -e "$out" ] || failed "no $out"
	case $out in
	*.svg) grep -q '^set terminal svg ' kept/plot.gp || failed "not an svg terminal" ;;
	*.png) grep -q '^set terminal pngcairo ' kept/plot.gp || failed "not a png terminal" ;;
	esac
	# one row per report, by size; the kinds as columns
	[ "$(awk 'NR > 1 { print $1 }' kept/kinds.dat | tr '\n' ' ')" = "100 300 " ] ||
		failed "kinds.dat rows: $(cat kept/kinds.dat)"
	head -n 1 kept/kinds.dat | grep -q '^tasks all(wall) all(library) fork ' ||
		failed "kinds.dat header: $(head -n 1 kept/kinds.dat)"
	[ "$(awk 'NR > 1 { print $1 }' kept/mem.dat | tr '\n' ' ')" = "100 300 " ] ||
		failed "mem.dat rows: $(cat kept/mem.dat)"
	grep -q 'set multiplot layout 1,2 title "contid-bench, profile v11, 2000 operations per size' \
		kept/plot.gp || failed "the title: $(grep multiplot kept/plot.gp)"
done

[ $fail -eq 0 ] && echo "ok: plot.sh and dev.sh's argument errors, a plot drawn by a stand-in gnuplot"
exit $fail
