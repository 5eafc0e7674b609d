#!/bin/bash
# SPIN on bench/spin/contid.pml: breadth-first, full state storage, one core.
#
#   bench/spin/run.sh [--quick] [--depth N]... [--variant NAME]...
#                     [--hash N] [--memlim MB] [--keep DIR]
#
# For each variant and depth: generates pan.c (spin -a), compiles it
# (-DBFS -DSAFETY, no compression, no bitstate), runs it and prints one
# line: variant, depth, states stored, transitions, seconds (wall clock of
# the pan run alone, not of spin and gcc), CPU seconds (user + system: on a
# shared machine, the steadier figure), states per wall-clock second,
# memory (pan's "total actual memory usage", MiB), bytes per stored state
# (memory / states, for a run that stopped at no error),
# the state vector, errors, and for a run that found an error the trail,
# replayed with spin -t -p: its number of operations and the operations.
#
#   --quick        depth 6 only, pan compiled with -O0 (compiling with -O2
#                  takes longer than the runs): a smoke test of a few
#                  seconds, whose times are no figures
#   --depth N      a depth to run (repeatable; default 8 and 10)
#   --variant V    a variant to run (repeatable; default v11 and posted):
#                    v11                the rules of docs/semantics.md
#                    posted             -DPOSTED: capcontid writes from
#                                       outside the initial user namespace
#                                       skip the privilege check
#                    v11-posted         -DPOSTED -DPOSTED_LEAK: the whole
#                                       profile v11-posted
#                    pids               -DPIDS
#                    zombie-clear       -DZOMBIE_CLEAR
#                    no-noop            -DNO_NOOP
#                    init-fixed         -DINIT_FIXED
#                    posted-init-fixed  -DPOSTED -DINIT_FIXED
#                    posted-user        -DPOSTED -DINIT_FIXED -DPRIV_UID
#                  (contid.pml's header says what each switch does)
#   --hash N       pan -wN, a hash table of 2^N slots (default: by depth,
#                  about one slot per expected state)
#   --memlim MB    -DMEMLIM (default 16384)
#   --keep DIR     build and run in DIR and keep it (default: a temporary
#                  directory, removed at the end)
#
# Installs spin and gcc when they are missing and the script runs as root
# (apt-get, as scripts/dev.sh does); otherwise says what to install.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
model=$here/contid.pml

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
}

log() {
	echo "run.sh: $*" >&2
}

depths=()
variants=()
hash=
memlim=16384
opt=-O2
keep=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) depths=(6); opt=-O0 ;;
	--depth) [ $# -ge 2 ] || usage; depths+=("$2"); shift ;;
	--variant) [ $# -ge 2 ] || usage; variants+=("$2"); shift ;;
	--hash) [ $# -ge 2 ] || usage; hash=$2; shift ;;
	--memlim) [ $# -ge 2 ] || usage; memlim=$2; shift ;;
	--keep) [ $# -ge 2 ] || usage; keep=$2; shift ;;
	-h | --help) usage ;;
	*) usage ;;
	esac
	shift
done
[ ${#depths[@]} -gt 0 ] || depths=(8 10)
[ ${#variants[@]} -gt 0 ] || variants=(v11 posted)
for d in "${depths[@]}"; do
	# the step counter has 4 bits (PIDS: at most 14)
	if ! [[ $d =~ ^[0-9]+$ ]] || [ "$d" -lt 1 ] || [ "$d" -gt 14 ]; then
		log "depth must be 1 to 14: $d"
		exit 2
	fi
done

flags_of() {
	case $1 in
	v11) echo "" ;;
	posted) echo "-DPOSTED" ;;
	v11-posted) echo "-DPOSTED -DPOSTED_LEAK" ;;
	pids) echo "-DPIDS" ;;
	zombie-clear) echo "-DZOMBIE_CLEAR" ;;
	no-noop) echo "-DNO_NOOP" ;;
	init-fixed) echo "-DINIT_FIXED" ;;
	posted-init-fixed) echo "-DPOSTED -DINIT_FIXED" ;;
	posted-user) echo "-DPOSTED -DINIT_FIXED -DPRIV_UID" ;;
	*) return 1 ;;
	esac
}
for v in "${variants[@]}"; do
	flags_of "$v" >/dev/null || { log "unknown variant: $v"; exit 2; }
done

# About one hash slot per state the v11 model stores at that depth.
hash_of() {
	if [ -n "$hash" ]; then
		echo "$hash"
		return
	fi
	case $1 in
	1 | 2 | 3 | 4 | 5 | 6) echo 17 ;;
	7) echo 19 ;;
	8) echo 21 ;;
	9) echo 23 ;;
	10) echo 25 ;;
	*) echo 27 ;;
	esac
}

install_missing() {
	local missing=()

	command -v spin >/dev/null || missing+=(spin)
	command -v gcc >/dev/null || missing+=(gcc)
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		log "missing and not root: install ${missing[*]} (apt-get install ${missing[*]})"
		exit 1
	fi
	log "installing missing packages: ${missing[*]}"
	apt-get update
	DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
}

install_missing

if [ -n "$keep" ]; then
	mkdir -p "$keep"
	work=$(cd "$keep" && pwd)
else
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
fi

cflags="$opt -DBFS -DSAFETY -DVECTORSZ=256 -DMEMLIM=$memlim"
commit=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(spin -V | head -1); $(gcc --version | head -1)"
echo "# gcc $cflags; pan -m1000 -wN"
printf '%-18s %5s %10s %11s %8s %8s %10s %9s %11s %6s %6s  %s\n' \
	variant depth states transitions seconds cpu_s states/s memory_MB \
	bytes/state vector errors trail

# field TEXT COLUMN FILE: the COLUMN'th word of the first line holding TEXT
field() {
	awk -v text="$1" -v col="$2" 'index($0, text) { print $col; exit }' "$3"
}

run_one() {
	local variant=$1 depth=$2 flags dir w
	flags=$(flags_of "$variant")
	dir=$work/$variant-$depth
	w=$(hash_of "$depth")
	mkdir -p "$dir"
	cp "$model" "$dir/contid.pml"
	(
		cd "$dir"
		rm -f contid.pml.trail
		# shellcheck disable=SC2086 # $flags is a list of words
		spin $flags -DDEPTH="$depth" -a contid.pml >spin.log 2>&1 ||
			{ cat spin.log >&2; exit 1; }
		# shellcheck disable=SC2086
		gcc $cflags -o pan pan.c 2>gcc.log ||
			{ cat gcc.log >&2; exit 1; }
		TIMEFORMAT='%3R %3U %3S'
		{ time ./pan -m1000 -w"$w" >pan.out 2>&1; } 2>time.txt || true
		local states trans secs cpu mem vec errors rate bps trail=-
		states=$(field 'states, stored' 1 pan.out)
		trans=$(field 'transitions (=' 1 pan.out | awk '{ printf "%.0f", $1 }')
		mem=$(field 'total actual memory usage' 1 pan.out)
		vec=$(field 'State-vector' 2 pan.out)
		errors=$(awk '/errors:/ { print $NF; exit }' pan.out)
		secs=$(tail -1 time.txt | awk '{ print $1 }')
		cpu=$(tail -1 time.txt | awk '{ printf "%.3f", $2 + $3 }')
		if [ -z "$states" ] || [ -z "$errors" ]; then
			log "$variant depth $depth: pan did not finish; its output:"
			cat pan.out >&2
			exit 1
		fi
		rate=$(awk -v n="$states" -v s="$secs" \
			'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }')
		# a run that stopped at an error has not stored its state space
		bps=$(awk -v m="$mem" -v n="$states" -v e="$errors" \
			'BEGIN { if (e == 0) printf "%.1f", m * 1048576 / n; else print "-" }')
		if [ -f contid.pml.trail ]; then
			# shellcheck disable=SC2086
			spin $flags -DDEPTH="$depth" -t -p contid.pml >replay.txt 2>&1 || true
			trail="$(grep -c '^ *OP ' replay.txt || true) ops: $(grep '^ *OP ' replay.txt |
				sed 's/^ *OP //' | paste -sd ';' | sed 's/;/; /g')"
		fi
		printf '%-18s %5s %10s %11s %8s %8s %10s %9s %11s %6s %6s  %s\n' \
			"$variant" "$depth" "$states" "$trans" "$secs" "$cpu" "$rate" \
			"$mem" "$bps" "$vec" "$errors" "$trail"
	)
}

# One run at a time: the figures are for one core.
for depth in "${depths[@]}"; do
	for variant in "${variants[@]}"; do
		run_one "$variant" "$depth"
	done
done
