#!/bin/bash
# procsim --dot against a golden graph: the picture of a scenario's final
# world, byte for byte, as the golden file (worked out from the scenario:
# user namespaces nested as clusters with their level and owner uid,
# network namespaces as fill colours, each task's uid, ID and capcontid,
# the IDs next to their first holder), and accepted by Graphviz without
# a warning.
#
# usage: check-dot-golden.sh PROCSIM DOT SCENARIO GOLDEN
#
# procsim runs in the scenario's directory, so that the graph names the
# file as the golden does, without a path.
set -u

if [ $# -ne 4 ]; then
	echo "usage: $0 PROCSIM DOT SCENARIO GOLDEN" >&2
	exit 99
fi
procsim=$(realpath "$1")
dot=$2
scenario=$3
golden=$(realpath "$4")
export LC_ALL=C

work=$(mktemp -d "${TMPDIR:-/tmp}/dot-golden.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
fail=0

(cd "$(dirname "$scenario")" &&
	"$procsim" --quiet --dot - "$(basename "$scenario")") >"$work/world.dot" 2>"$work/err"
status=$?
if [ $status -ne 0 ] || [ -s "$work/err" ]; then
	echo "FAIL: procsim exited with $status:" >&2
	cat "$work/err" >&2
	fail=1
fi
if ! cmp -s "$golden" "$work/world.dot"; then
	echo "FAIL: the graph differs from $golden:" >&2
	diff -u "$golden" "$work/world.dot" >&2
	fail=1
fi
"$dot" -Tpng "$work/world.dot" -o "$work/world.png" 2>"$work/dot.err"
status=$?
if [ $status -ne 0 ] || [ -s "$work/dot.err" ]; then
	echo "FAIL: dot -Tpng exited with $status:" >&2
	cat "$work/dot.err" >&2
	fail=1
fi
[ $fail -eq 0 ] && echo "ok: $(basename "$scenario") draws as $(basename "$golden")"
exit $fail
