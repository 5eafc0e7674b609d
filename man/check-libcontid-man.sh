#!/bin/bash
# libcontid(3) formats without a single warning, names every function the
# version script exports, and names the project's version.  MANPAGE is the
# page as installed, made from man/libcontid.3.in by configure_file.
#
# usage: check-libcontid-man.sh MANPAGE MAP VERSION
set -u

if [ $# -ne 3 ]; then
	echo "usage: $0 MANPAGE MAP VERSION" >&2
	exit 99
fi
page=$1
map=$2
version=$3
export LC_ALL=C.UTF-8

fail=0
failed() {
	echo "FAIL: $*" >&2
	fail=1
}

formatted=false
if command -v groff >/dev/null; then
	formatted=true
	warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
	status=$?
	[ $status -eq 0 ] || failed "groff exited with $status"
	[ -z "$warnings" ] || failed "groff warned: $warnings"
fi
if command -v man >/dev/null; then
	formatted=true
	warnings=$(MANWIDTH=80 man --warnings=w -l "$page" 2>&1 >/dev/null)
	status=$?
	[ $status -eq 0 ] || failed "man -l exited with $status"
	[ -z "$warnings" ] || failed "man -l warned: $warnings"
fi
if ! $formatted; then
	echo "SKIP: neither groff nor man is installed (Debian: groff-base, man-db)" >&2
	exit 77
fi

# every exported function is named (the names of the version script's
# global: lists; comments and node names are not functions)
functions=$(sed -e 's|/\*.*\*/||' -e 's|^ *\*.*||' -e 's|/\*.*||' "$map" |
	grep -o -E '^ *contid_[a-z0-9_]+;' | tr -d ' ;' | sort -u)
[ -n "$functions" ] || failed "no function found in $map"
for fn in $functions; do
	grep -q -E "(^|[^a-z0-9_])$fn([^a-z0-9_]|$)" "$page" ||
		failed "$fn is not named"
done

grep -q -E "^\.TH LIBCONTID 3 .*\"libcontid $version\"" "$page" ||
	failed ".TH does not name libcontid $version"

[ $fail -eq 0 ] && echo "ok: $(basename "$page") formats cleanly and names $(echo "$functions" | wc -l) functions"
exit $fail
