#!/bin/bash
# procsim used as a hostile user would: closed standard streams, outputs
# that collide with each other or with the input, full disks, bytes that
# are not UTF-8, scarce memory, worlds of a million tasks.  One case per
# run:
#
#   run-hostile.sh PROCSIM CASE
#
# Each case checks the exit status, the messages and that no file received
# what was meant for another.  The bad inputs that are only a file and its
# message are in tests/bad-scenarios.
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 PROCSIM CASE" >&2
	exit 99
fi
procsim=$(realpath "$1")
case_name=$2
export LC_ALL=C

work=$(mktemp -d "${TMPDIR:-/tmp}/procsim-hostile.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99

fail=0
check() {	# check DESCRIPTION COMMAND...: the command must succeed
	local what=$1
	shift
	if ! "$@"; then
		echo "FAIL: $what" >&2
		fail=1
	fi
}

status_is() {	# status_is WANT GOT
	if [ "$1" -ne "$2" ]; then
		echo "FAIL: exit status $2, expected $1" >&2
		echo "standard error was:" >&2
		head -c 2000 stderr >&2
		fail=1
	fi
}

same_text() {	# same_text FILE TEXT: FILE holds exactly TEXT and a newline
	if [ "$(cat "$1")" != "$2" ] || [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" != '\n' ]; then
		echo "FAIL: $1 is not what was expected; expected, then got:" >&2
		printf '%s\n--\n' "$2" >&2
		head -c 2000 "$1" >&2
		fail=1
	fi
}

printf 'fork a from init\nset-contid init a 5\n' >good.scn
printf 'fork a from init\nfork b from nobody\n' >wrong.scn
printf 'fork a from init\nset-contid init a 5 => EPERM\n' >fails.scn
good_records='type=CONTAINER_OP msg=audit(1700000000.001:1): op=set opid=2 contid=5 old-contid=-1
type=SYSCALL msg=audit(1700000000.001:1): arch=c000003e syscall=1 success=yes exit=1 a0=3 a1=0 a2=1 a3=0 items=0 ppid=0 pid=1 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="init" exe="/usr/bin/init" key=(null)'

# A world of N tasks forked from init.
forks() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "fork t%d from init\n", i }'
}

case $case_name in
stderr-closed)
	# fd 2 closed: the records file must not take its number and receive
	# the diagnostics
	"$procsim" --records r.log wrong.scn >stdout 2>&-
	status_is 2 $?
	check "r.log is empty" test -f r.log -a ! -s r.log
	same_text stdout "wrong.scn: not run
0 passed, 1 failed" ;;
stdout-closed)
	# fd 1 closed: the JSON must not land in the records file, and the
	# lost output is an error
	"$procsim" --format json --records r.log good.scn >&- 2>stderr
	status_is 2 $?
	same_text r.log "$good_records"
	same_text stderr "procsim: error writing standard output: Bad file descriptor" ;;
stdin-dash)
	# '-' is standard input, named <stdin>, readable once
	"$procsim" --records r.log - <good.scn >stdout 2>stderr
	status_is 0 $?
	same_text stdout "<stdin>: 2 statements, 2 expectations, 0 failed
1 passed, 0 failed"
	same_text r.log "$good_records"
	printf 'fork a from init\nfork b from c\n' | "$procsim" - >stdout 2>stderr
	status_is 2 $?
	same_text stderr "<stdin>:2:13: error: unknown task 'c'; did you mean 'a'?
    2 | fork b from c
      |             ^"
	"$procsim" --format json - <good.scn >stdout 2>stderr
	status_is 0 $?
	check "JSON names <stdin>" grep -q '^{"file":"<stdin>","profile":"v11","line":1,' stdout
	"$procsim" --compare - <fails.scn >stdout 2>stderr
	status_is 1 $?
	check "--compare names <stdin>" grep -qx '<stdin>: expectations failed under v11 (1), v6 (1), v8 (1), v11-posted (1), bits (1), kernel-alloc (1)' stdout
	"$procsim" - good.scn - <good.scn >stdout 2>stderr
	status_is 2 $?
	same_text stderr "procsim: standard input ('-') can be read only once"
	# an output on the file standard input reads is refused
	"$procsim" --records good.scn - <good.scn >stdout 2>stderr
	status_is 2 $?
	same_text stderr "procsim: --records good.scn is the same file as the scenario file <stdin>"
	check "good.scn unchanged" grep -qx 'set-contid init a 5' good.scn ;;
stdin-closed)
	"$procsim" --records r.log good.scn <&- >stdout 2>stderr
	status_is 0 $?
	same_text r.log "$good_records" ;;
same-output-twice)
	printf 'keep\n' >x
	"$procsim" --records x --dot ./x good.scn >stdout 2>stderr
	status_is 2 $?
	same_text stderr "procsim: --dot ./x is the same file as --records x"
	same_text x keep
	check "nothing on standard output" test ! -s stdout
	# a file that does not exist yet is not left behind
	"$procsim" --records new --dot new good.scn >stdout 2>stderr
	status_is 2 $?
	same_text stderr "procsim: --dot new is the same file as --records new"
	check "no file 'new' left" test ! -e new
	# standard output twice
	"$procsim" --records - --dot - good.scn 2>stderr | cat >stdout
	status_is 2 "${PIPESTATUS[0]}"
	same_text stderr "procsim: --records and --dot both write to standard output; give one of them a FILE" ;;
output-is-input)
	cp good.scn v.scn
	ln v.scn hard.scn
	ln -s v.scn soft.scn
	for spelling in v.scn ./v.scn "$work/v.scn" hard.scn soft.scn; do
		"$procsim" --records "$spelling" v.scn >stdout 2>stderr
		status_is 2 $?
		same_text stderr "procsim: --records $spelling is the same file as the scenario file v.scn"
		check "v.scn unchanged ($spelling)" cmp -s good.scn v.scn
	done
	"$procsim" --dot v.scn good.scn v.scn >stdout 2>stderr
	status_is 2 $?
	same_text stderr "procsim: --dot v.scn is the same file as the scenario file v.scn"
	check "v.scn unchanged (second input)" cmp -s good.scn v.scn ;;
output-is-stream)
	# the summary would be written into the records, or the other way round
	"$procsim" --records r.log good.scn >r.log 2>stderr
	status_is 2 $?
	same_text stderr "procsim: --records r.log is the same file as standard output"
	"$procsim" --records e.log fails.scn >stdout 2>e.log
	status_is 2 $?
	check "e.log holds only the message" grep -qx "procsim: --records e.log is the same file as standard error" e.log
	# the shell already emptied it: say so rather than report an empty file
	cp good.scn v.scn
	"$procsim" v.scn >v.scn 2>stderr
	status_is 2 $?
	same_text stderr "procsim: standard output is the scenario file v.scn"
	# standard output and standard error may share a file (2>&1), and
	# character devices any number of writers
	"$procsim" --records /dev/null --dot /dev/null fails.scn >both 2>&1
	status_is 1 $?
	same_text both "fails.scn:2: expected EPERM, got ok
fails.scn: 2 statements, 2 expectations, 1 failed
0 passed, 1 failed" ;;
full-disk)
	for opt in --help --version; do
		"$procsim" $opt >/dev/full 2>stderr
		status_is 2 $?
		same_text stderr "procsim: error writing standard output: No space left on device"
	done
	"$procsim" good.scn >/dev/full 2>stderr
	status_is 2 $?
	same_text stderr "procsim: error writing standard output: No space left on device"
	"$procsim" --records /dev/full good.scn >stdout 2>stderr
	status_is 2 $?
	same_text stderr "procsim: error writing --records /dev/full: No space left on device"
	"$procsim" --dot /dev/full good.scn >stdout 2>stderr
	status_is 2 $?
	same_text stderr "procsim: error writing --dot /dev/full: No space left on device"
	"$procsim" --compare good.scn >/dev/full 2>stderr
	status_is 2 $?
	tail -n 1 stderr >last
	same_text last "procsim: error writing standard output: No space left on device"
	# a failed expectation whose message cannot be written still fails
	"$procsim" fails.scn >stdout 2>/dev/full
	status_is 2 $? ;;
json-bytes)
	# a file name and a checked buffer that are not UTF-8: every line must
	# still be valid JSON, each bad byte U+FFFD
	name=$(printf 'b\377.scn')
	printf 'fork a from init\ncheck chain a "\\xff\\xc3"\n' >"$name"
	"$procsim" --format json "$name" >out.json 2>stderr
	status_is 1 $?
	check "JSON lines are valid UTF-8 JSON with U+FFFD" python3 -c '
import json, sys
raw = open("out.json", "rb").read()
raw.decode("utf-8")             # strict: raises on any invalid byte
lines = [json.loads(l) for l in raw.decode("utf-8").splitlines()]
assert len(lines) == 2, lines
assert all(l["file"] == "b\ufffd.scn" for l in lines), lines
assert lines[1]["expected"] == "\ufffd\ufffd", lines[1]
'
	"$procsim" --compare --format json "$name" >out.json 2>stderr
	status_is 1 $?
	check "--compare JSON is valid UTF-8 JSON" python3 -c '
import json
obj = json.loads(open("out.json", "rb").read().decode("utf-8"))
assert obj["file"] == "b\ufffd.scn", obj["file"]
' ;;
endless-pipe)
	# a pipe that never stops sending valid lines ends at the size limit
	mkfifo endless.scn
	yes '# a comment, forever' >endless.scn 2>/dev/null &
	timeout 60 "$procsim" --max-file-size 1M endless.scn >stdout 2>stderr
	status_is 2 $?
	kill %1 2>/dev/null
	same_text stderr "endless.scn: error: file larger than 1048576 bytes (see --max-file-size)" ;;
low-memory)
	# 10^6 forks under a 64 MiB address space: the world cannot grow, and
	# procsim must say so, naming the file and line, in every mode
	forks 1000000 >big.scn
	for mode in "" "--format json" "--dot out.dot" "--compare"; do
		(ulimit -v 65536; exec "$procsim" $mode big.scn) >stdout 2>stderr
		status_is 2 $?
		check "out of memory message ($mode)" grep -Eqx 'big\.scn(:[0-9]+)?: error: out of memory' stderr
		check "one message ($mode)" test "$(wc -l <stderr)" -eq 1
	done ;;
dot-million)
	# one pass per task: 10^6 tasks must not take quadratic time (meson's
	# timeout for this test is far above what a linear pass needs), as a
	# summary (the default for a world this large) and in full
	forks 1000000 >big.scn
	"$procsim" --dot out.dot big.scn >stdout 2>stderr
	status_is 0 $?
	check "summed up" grep -q 'label="no ID\\n1000001 tasks in 1000001 processes' out.dot
	check "no task drawn" test "$(grep -c '_t[0-9]* \[' out.dot)" -eq 0
	"$procsim" --dot-full --dot out.dot big.scn >stdout 2>stderr
	status_is 0 $?
	check "every task drawn" test "$(grep -c '^ *f0_t[0-9]* \[label=' out.dot)" -eq 1000001
	check "named" grep -q 'label="t999999\\npid 1000001, uid 0"' out.dot ;;
*)
	echo "unknown case '$case_name'" >&2
	exit 99 ;;
esac
[ $fail -eq 0 ] && echo "ok: $case_name"
exit $fail
