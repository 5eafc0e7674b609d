#!/bin/bash
# procsim(1) formats without a single warning, documents every option that
# `procsim --help` lists, and names the project's version.  MANPAGE is the
# page as installed, made from man/procsim.1.in by configure_file.
#
# usage: check-man.sh MANPAGE PROCSIM VERSION
set -u

if [ $# -ne 3 ]; then
	echo "usage: $0 MANPAGE PROCSIM VERSION" >&2
	exit 99
fi
page=$1
procsim=$2
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
	# --warnings=w makes man-db run groff with -ww as well
	warnings=$(MANWIDTH=80 man --warnings=w -l "$page" 2>&1 >/dev/null)
	status=$?
	[ $status -eq 0 ] || failed "man -l exited with $status"
	[ -z "$warnings" ] || failed "man -l warned: $warnings"
fi
if ! $formatted; then
	echo "SKIP: neither groff nor man is installed (Debian: groff-base, man-db)" >&2
	exit 77
fi

# every long option of --help and of explore --help is documented (as
# \-\-name in roff)
options=$({ "$procsim" --help; "$procsim" explore --help; } |
	grep -o -E -- '--[a-z][a-z-]*' | sort -u)
[ -n "$options" ] || failed "procsim --help lists no options"
for option in $options; do
	grep -q -F -- "$(printf '%s' "$option" | sed 's/-/\\-/g')" "$page" ||
		failed "option $option is not documented"
done

grep -q -E "^\.TH PROCSIM 1 .*\"libcontid $version\"" "$page" ||
	failed ".TH does not name libcontid $version"

[ $fail -eq 0 ] && echo "ok: $(basename "$page") formats cleanly and documents $(echo $options)"
exit $fail
