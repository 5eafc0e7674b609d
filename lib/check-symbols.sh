#!/bin/bash
# The symbol-leak test: three lists must be the same set of names,
#   - the functions lib/contid.h declares,
#   - the symbols the version script (lib/libcontid.sym) exports,
#   - the dynamic symbols the built libcontid.so defines (nm -D),
# so that no internal function leaks out of the shared library, no public
# one is missing from it, and the map names nothing that does not exist.
#
# Usage: check-symbols.sh HEADER MAP LIBRARY [NM]   (meson test runs it)
set -euo pipefail

header=${1:?usage: check-symbols.sh HEADER MAP LIBRARY [NM]}
map=${2:?usage: check-symbols.sh HEADER MAP LIBRARY [NM]}
lib=${3:?usage: check-symbols.sh HEADER MAP LIBRARY [NM]}
nm=${4:-nm}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-symbols.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Declarations start at the beginning of a line with their return type
# (doc comments start with "/*" or " *"); function pointer typedefs start
# with "typedef" and put a "(" before the name, so they do not match.
sed -n 's/^[A-Za-z_][A-Za-z0-9_ *]*[ *]\(contid_[a-z0-9_]*\)(.*/\1/p' \
	"$header" | LC_ALL=C sort -u >"$tmp/header"

# The names between "global:" and "local:" (or the node's closing brace,
# "} LIBCONTID_0.1;" in a node that inherits) of every version node.
sed -e 's|/\*.*\*/||' -e 's|^ *\*.*||' -e 's|/\*.*||' "$map" |
	awk '/global:/ { g = 1; next } /local:/ || /^ *}/ { g = 0; next }
	     g && /;/ { gsub(/[ \t;]/, ""); if ($0 != "") print }' |
	LC_ALL=C sort -u >"$tmp/map"

# Version nodes show as absolute symbols (type A): not functions.
"$nm" -D --defined-only "$lib" |
	awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' |
	LC_ALL=C sort -u >"$tmp/exported"

status=0
compare() {
	local a=$1 b=$2 only
	only=$(LC_ALL=C comm -23 "$tmp/$a" "$tmp/$b")
	if [ -n "$only" ]; then
		echo "check-symbols: in the $a list but not the $b list: $(tr '\n' ' ' <<<"$only")" >&2
		status=1
	fi
}
[ -s "$tmp/header" ] || { echo "check-symbols: no function found in $header" >&2; exit 1; }
compare header map
compare map header
compare map exported
compare exported map
compare header exported
compare exported header
[ $status -eq 0 ] && echo "check-symbols: $(wc -l <"$tmp/header") functions, header = map = exported"
exit $status
