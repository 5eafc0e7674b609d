#!/bin/bash
# Runs one bad-input case of procsim and checks that
#   - procsim exits with status 2,
#   - standard error is exactly NAME.err,
#   - standard output is exactly NAME.out, or when there is none, procsim's
#     summary for a file that did not run ("NAME.scn: not run" and
#     "0 passed, 1 failed"),
#   - nothing of the file ran: the --records log stays empty,
#   - with --valgrind, that procsim ran under Memcheck with no error and no
#     unfreed block of any kind.
#
# usage: run-bad.sh [--valgrind VALGRIND SUPPRESSIONS] PROCSIM CASEDIR NAME
#
# The input is CASEDIR/NAME.scn, or, for the cases that cannot live in the
# source tree as plain text, made here (see make_input).  NAME.args, when
# present, holds extra options for procsim, one per line.  procsim runs in
# a scratch directory and is given the relative path NAME.scn, so messages
# read "NAME.scn:LINE:COLUMN: error: ..." wherever the tree lives.
set -u

use_valgrind=false
valgrind=
suppressions=
if [ "${1:-}" = --valgrind ]; then
	use_valgrind=true
	valgrind=$2
	suppressions=$3
	shift 3
fi
if [ $# -ne 3 ]; then
	echo "usage: $0 [--valgrind VALGRIND SUPPRESSIONS] PROCSIM CASEDIR NAME" >&2
	exit 99
fi
procsim=$1
casedir=$2
name=$3
# procsim runs in a scratch directory: make the paths absolute
case $procsim in /*) ;; *) procsim=$PWD/$procsim ;; esac
case $casedir in /*) ;; *) casedir=$PWD/$casedir ;; esac

if $use_valgrind && ! [ -x "$valgrind" ]; then
	echo "SKIP: valgrind not found" >&2
	exit 77
fi

export LC_ALL=C

work=$(mktemp -d "${TMPDIR:-/tmp}/bad-scn.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

# Deterministic bytes from a small linear congruential generator, so the
# expected error never changes.
garbage() {
	local x=12345 i byte out=
	for ((i = 0; i < $1; i++)); do
		x=$(((x * 1103515245 + 12345) & 0x7fffffff))
		printf -v byte '\\x%02x' $(((x >> 16) & 255))
		out+=$byte
	done
	printf "$out"
}

# The inputs that are generated rather than kept as files.
make_input() {
	local f=$work/$name.scn

	case $name in
	binary-garbage)
		garbage 4096 >"$f" ;;
	nul-byte)
		# a valid first line, then a NUL inside the second
		printf 'fork c1 from init\nset-contid init c1 100\nfork c2\0 from init\n' >"$f" ;;
	long-line)
		# a 1 MiB line (of valid words) after a valid one
		{
			printf 'fork c1 from init\nfork c2 from init'
			head -c $((1024 * 1024)) /dev/zero | tr '\0' ' '
			printf 'newnet\n'
		} >"$f" ;;
	control-char)
		# an escape sequence pasted from a terminal
		printf 'fork c1 from init\nfork c2\033[0m from init\n' >"$f" ;;
	crlf-line-endings)
		# CR LF endings: the CR is not part of the last word
		printf 'fork c1 from init\r\nfork c2 from c9\r\n' >"$f" ;;
	invalid-utf8)
		# Latin-1 in a comment: the whole line must be UTF-8
		printf 'fork c1 from init\nfork c2 from init # caf\351\n' >"$f" ;;
	endless-zero)
		# a device that never ends, and never sends a newline
		ln -s /dev/zero "$f" ;;
	huge-file)
		# 4 GiB and a byte, sparse: refused before it is read
		truncate -s 4294967297 "$f" ;;
	missing-file)
		;;	# nothing: the path does not exist
	directory)
		mkdir "$f" ;;
	*)
		echo "no input for case '$name' in $casedir" >&2
		exit 99 ;;
	esac
}

if [ -f "$casedir/$name.scn" ]; then
	cp "$casedir/$name.scn" "$work/$name.scn"
else
	make_input
fi
if ! [ -f "$casedir/$name.err" ]; then
	echo "missing $casedir/$name.err" >&2
	exit 99
fi

args=()
if [ -f "$casedir/$name.args" ]; then
	mapfile -t args <"$casedir/$name.args"
fi

if [ -f "$casedir/$name.out" ]; then
	cp "$casedir/$name.out" "$work/expected.out"
else
	printf '%s.scn: not run\n0 passed, 1 failed\n' "$name" >"$work/expected.out"
fi

cmd=("$procsim" --records records.log "${args[@]}" "$name.scn")
if $use_valgrind; then
	cmd=("$valgrind" -q --error-exitcode=99 --leak-check=full
	     --show-leak-kinds=all --errors-for-leak-kinds=all
	     --suppressions="$suppressions" --log-file=valgrind.log "${cmd[@]}")
fi

(cd "$work" && "${cmd[@]}" >stdout 2>stderr </dev/null)
status=$?

fail=0
if [ $status -ne 2 ]; then
	echo "FAIL: exit status $status, expected 2" >&2
	fail=1
fi
if ! cmp -s "$casedir/$name.err" "$work/stderr"; then
	echo "FAIL: standard error differs (expected, then got):" >&2
	cat "$casedir/$name.err" >&2
	echo "--" >&2
	head -c 4096 "$work/stderr" >&2
	fail=1
fi
if ! cmp -s "$work/expected.out" "$work/stdout"; then
	echo "FAIL: standard output differs (expected, then got):" >&2
	cat "$work/expected.out" >&2
	echo "--" >&2
	head -c 4096 "$work/stdout" >&2
	fail=1
fi
if [ -s "$work/records.log" ]; then
	echo "FAIL: records were written, so part of the file ran:" >&2
	head -n 5 "$work/records.log" >&2
	fail=1
fi
if $use_valgrind && [ -s "$work/valgrind.log" ]; then
	echo "FAIL: valgrind reported:" >&2
	cat "$work/valgrind.log" >&2
	fail=1
fi
[ $fail -eq 0 ] && echo "ok: $name"
exit $fail
