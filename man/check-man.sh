#!/bin/bash
# A manual page formats without a single warning, names the project's
# version, and covers what it documents: for procsim(1) every option that
# `procsim --help` and `procsim explore --help` list, for libcontid(3)
# every function the version script exports.  MANPAGE is the page as
# installed, made from man/*.in by configure_file.
#
# usage: check-man.sh procsim MANPAGE PROCSIM VERSION
#        check-man.sh libcontid MANPAGE MAP VERSION
set -u

if [ $# -ne 4 ] || { [ "$1" != procsim ] && [ "$1" != libcontid ]; }; then
	echo "usage: $0 procsim|libcontid MANPAGE PROCSIM|MAP VERSION" >&2
	exit 99
fi
kind=$1
page=$2
source=$3
version=$4
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

if [ "$kind" = procsim ]; then
	# every long option of --help and of explore --help is documented
	# (as \-\-name in roff)
	names=$({ "$source" --help; "$source" explore --help; } |
		grep -o -E -- '--[a-z][a-z-]*' | sort -u)
	[ -n "$names" ] || failed "procsim --help lists no options"
	for option in $names; do
		grep -q -F -- "$(printf '%s' "$option" | sed 's/-/\\-/g')" "$page" ||
			failed "option $option is not documented"
	done
	title=PROCSIM
	section=1
	what="documents $(echo $names)"
else
	# every exported function is named (the names of the version
	# script's global: lists; comments and node names are not functions)
	names=$(sed -e 's|/\*.*\*/||' -e 's|^ *\*.*||' -e 's|/\*.*||' "$source" |
		grep -o -E '^ *contid_[a-z0-9_]+;' | tr -d ' ;' | sort -u)
	[ -n "$names" ] || failed "no function found in $source"
	for fn in $names; do
		grep -q -E "(^|[^a-z0-9_])$fn([^a-z0-9_]|$)" "$page" ||
			failed "$fn is not named"
	done
	title=LIBCONTID
	section=3
	what="names $(echo "$names" | wc -l) functions"
fi

grep -q -E "^\.TH $title $section .*\"libcontid $version\"" "$page" ||
	failed ".TH does not name libcontid $version"

[ $fail -eq 0 ] && echo "ok: $(basename "$page") formats cleanly and $what"
exit $fail
