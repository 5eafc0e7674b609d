#!/usr/bin/env bash
# Golden-output test for the scenario library.
#
#   run-golden.sh PROCSIM NAME.scn    replay one scenario and compare with NAME.expected
#   run-golden.sh --all PROCSIM       replay every *.scn at once, require "N passed, 0 failed"
#
# Both must be run from sim/scenarios (meson sets workdir) so that the file
# names procsim prints are the relative ones stored in the .expected files.
#
# NAME.expected is exactly what `procsim NAME.scn` prints: standard output,
# then standard error.  The exit status it implies is required as well: 2 if it
# reports a syntax error or an unreadable file, 1 if its summary counts a
# failed file, 0 otherwise (every shipped scenario passes, so 0).
# If NAME.records exists it is the hand-written raw audit log the scenario must
# produce, and `procsim --records` output is compared with it too.
set -u

die() { echo "run-golden.sh: $*" >&2; exit 2; }

tmp=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

if [ "${1-}" = "--all" ]; then
    [ $# -eq 2 ] || die "usage: run-golden.sh --all PROCSIM"
    procsim=$2
    shopt -s nullglob
    files=(*.scn)
    n=${#files[@]}
    [ "$n" -gt 0 ] || die "no scenario files in $(pwd)"
    "$procsim" "${files[@]}" >"$tmp/out" 2>"$tmp/err"
    status=$?
    last=$(tail -n 1 "$tmp/out")
    if [ "$last" != "$n passed, 0 failed" ] || [ "$status" -ne 0 ]; then
        echo "FAIL: expected '$n passed, 0 failed' and exit 0," \
             "got '$last' and exit $status" >&2
        cat "$tmp/err" >&2
        exit 1
    fi
    echo "$last"
    exit 0
fi

[ $# -eq 2 ] || die "usage: run-golden.sh PROCSIM NAME.scn | --all PROCSIM"
procsim=$1
scn=$2
base=${scn%.scn}
expected=$base.expected
[ -f "$scn" ] || die "no such scenario: $scn"
[ -f "$expected" ] || die "no golden file: $expected"

# The exit status the golden output implies.
if grep -Eq '^[^ ]+:[0-9]+:[0-9]+: error: |: not run$' "$expected"; then
    want=2
elif grep -Eq '^[0-9]+ passed, [1-9][0-9]* failed$' "$expected"; then
    want=1
else
    want=0
fi

args=()
if [ -f "$base.records" ]; then
    args=(--records "$tmp/records")
fi

"$procsim" "${args[@]}" "$scn" >"$tmp/out" 2>"$tmp/err"
status=$?
cat "$tmp/out" "$tmp/err" >"$tmp/combined"

fail=0
if ! cmp -s "$expected" "$tmp/combined"; then
    echo "FAIL: output of procsim $scn differs from $expected:" >&2
    diff -u "$expected" "$tmp/combined" >&2
    fail=1
fi
if [ "$status" -ne "$want" ]; then
    echo "FAIL: procsim $scn exited $status, expected $want" >&2
    fail=1
fi
if [ -f "$base.records" ]; then
    if ! cmp -s "$base.records" "$tmp/records"; then
        echo "FAIL: audit log of procsim $scn differs from $base.records:" >&2
        diff -u "$base.records" "$tmp/records" >&2
        fail=1
    fi
fi
[ "$fail" -eq 0 ] && echo "ok $scn"
exit "$fail"
