#!/bin/bash
# Failure injection for procsim: runs it once per allocation, with that
# allocation failing (failmalloc.so), in each output mode, and checks that
# every run either
#   - ends exactly as a run where nothing fails (the allocation had a
#     fallback, as stdio's buffers do): same status, messages and output
#     files, or
#   - exits with status 2, its standard error holding only messages the
#     run without failures printed too, then one line that says memory ran
#     out ("FILE:LINE: error: out of memory", or a stream or output that
#     could not be written for lack of memory),
# and never dies by a signal, never exits 1 where the run without failures
# exited 0 (a broken expectation that was really a failed allocation).
#
# usage: run-oom.sh PROCSIM FAILMALLOC_SO SCENARIO COMPARE_SCENARIO
set -u

if [ $# -ne 4 ]; then
	echo "usage: $0 PROCSIM FAILMALLOC_SO SCENARIO COMPARE_SCENARIO" >&2
	exit 99
fi
procsim=$(realpath "$1")
shim=$(realpath "$2")
scenario=$(realpath "$3")
compare_scenario=$(realpath "$4")
export LC_ALL=C

work=$(mktemp -d "${TMPDIR:-/tmp}/procsim-oom.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99
cp "$scenario" s.scn
cp "$compare_scenario" c.scn

fail=0
total_runs=0

# check_mode NAME ARGS...: every allocation of `procsim ARGS` fails once.
check_mode() {
	local name=$1
	shift
	local calls n status ref_status

	rm -f out.* ref.*
	FAILMALLOC_REPORT=$work/calls LD_PRELOAD=$shim "$procsim" "$@" \
		>ref.stdout 2>ref.stderr
	ref_status=$?
	if [ "$ref_status" -gt 2 ] || ! [ -s calls ]; then
		echo "FAIL: $name: the run without failures exited $ref_status:" >&2
		cat ref.stderr >&2
		fail=1
		return
	fi
	for f in out.*; do [ -e "$f" ] && cp "$f" "ref.${f#out.}"; done
	calls=$(cat calls)
	if [ "$calls" -lt 20 ]; then
		echo "FAIL: $name: only $calls allocations counted" >&2
		fail=1
		return
	fi
	for ((n = 1; n <= calls; n++)); do
		rm -f out.*
		FAILMALLOC_NTH=$n LD_PRELOAD=$shim "$procsim" "$@" >stdout 2>stderr
		status=$?
		total_runs=$((total_runs + 1))
		if [ "$status" -eq "$ref_status" ] && cmp -s stdout ref.stdout &&
		   cmp -s stderr ref.stderr; then
			local same=true f
			for f in ref.*; do
				case $f in ref.stdout|ref.stderr) continue ;; esac
				cmp -s "$f" "out.${f#ref.}" || same=false
			done
			$same && continue
			echo "FAIL: $name: allocation $n failed, same status and" \
			     "messages but other output files" >&2
			fail=1
			continue
		fi
		if [ "$status" -ne 2 ]; then
			echo "FAIL: $name: allocation $n failed, exit status $status:" >&2
			head -n 5 stderr >&2
			fail=1
			continue
		fi
		# what came before the failure, then one line about it
		if ! tail -n 1 stderr |
		     grep -Eq '(error: out of memory|Cannot allocate memory)$' ||
		   ! head -n -1 stderr | grep -Fxv -f ref.stderr | cmp -s - /dev/null; then
			echo "FAIL: $name: allocation $n failed, unexpected messages:" >&2
			head -n 5 stderr >&2
			fail=1
		fi
	done
	echo "ok: $name: $calls allocations, each failed once"
}

check_mode text --records out.records --dot out.dot s.scn
check_mode json --format json --records out.records s.scn
check_mode compare --compare --records out.records c.scn
check_mode compare-json --compare --format json c.scn
check_mode bad-input s.scn missing.scn c.scn

echo "$total_runs runs"
exit $fail
