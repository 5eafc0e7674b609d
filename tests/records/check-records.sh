#!/bin/bash
# Records are real audit log lines.  Replays a scenario
# with procsim --records, then checks that
#   1. the log has every record type procsim writes (CONTAINER_OP set and
#      drop, SET_CAPCONTID, CONTAINER_ID, SYSCALL of writes, events and
#      signals, NETFILTER_PKT, OBJ_PID);
#   2. `ausearch -if LOG --raw` returns every record, and `ausearch -a N`
#      returns exactly the records of serial N, for every serial;
#   3. read-records (libauparse) reads every record with the type, serial,
#      time and the fields op, opid, contid, old-contid, capcontid,
#      old-capcontid, record, syscall, a0, a1, oauid, ouid, oses and ocomm
#      that the raw lines hold.
#
# usage: check-records.sh PROCSIM AUSEARCH READ_RECORDS SCENARIO
set -u

if [ $# -ne 4 ]; then
	echo "usage: $0 PROCSIM AUSEARCH READ_RECORDS SCENARIO" >&2
	exit 99
fi
procsim=$1
ausearch=$2
read_records=$3
scenario=$4
export LC_ALL=C TZ=UTC

work=$(mktemp -d "${TMPDIR:-/tmp}/records.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
fail=0
failed() {
	echo "FAIL: $*" >&2
	fail=1
}

# ausearch reads the log as any other input file; keep it private to the
# user running the test, as auditd keeps its logs.
log=$work/audit.log
if ! "$procsim" --records "$log" "$scenario" >"$work/summary"; then
	cat "$work/summary" >&2
	echo "FAIL: procsim did not replay $scenario cleanly" >&2
	exit 1
fi
chmod 600 "$log"
total=$(wc -l <"$log")
echo "procsim wrote $total records"

# 1. every kind of record is there
for want in 'type=CONTAINER_OP .* op=set ' 'type=CONTAINER_OP .* op=drop ' \
	    'type=SET_CAPCONTID ' 'type=CONTAINER_ID ' 'type=SYSCALL .* syscall=1 ' \
	    'type=SYSCALL .* syscall=257 ' 'type=NETFILTER_PKT .* record=1$' \
	    'type=NETFILTER_PKT .* proto=1$' 'success=no' \
	    'type=SYSCALL .* syscall=62 .* record=1$' 'type=CONTAINER_ID .* record=2 ' \
	    'type=OBJ_PID .* ocomm="[^"]*"$' 'type=OBJ_PID .* record=1$' \
	    'type=OBJ_PID .* record=2$'; do
	grep -q -- "$want" "$log" || failed "no record matches /$want/"
done
if grep -v -q -E '^type=[A-Z_]+ msg=audit\([0-9]+\.[0-9]{3}:[0-9]+\): [^ ]' "$log"; then
	failed "lines that are not raw audit records:"
	grep -v -E '^type=[A-Z_]+ msg=audit\([0-9]+\.[0-9]{3}:[0-9]+\): [^ ]' "$log" | head -n 5 >&2
fi

# 2. ausearch returns every record, and each serial's records
"$ausearch" -if "$log" --raw >"$work/ausearch" 2>"$work/ausearch.err"
status=$?
if [ $status -ne 0 ]; then
	failed "ausearch -if --raw exited with $status:"
	cat "$work/ausearch.err" >&2
fi
if ! cmp -s <(sort "$log") <(sort "$work/ausearch"); then
	failed "ausearch --raw did not return exactly the records written:"
	diff <(sort "$log") <(sort "$work/ausearch") | head -n 20 >&2
fi
serials=$(sed -E 's/^[^(]*\([0-9.]+:([0-9]+)\).*/\1/' "$log" | sort -n -u)
for serial in $serials; do
	"$ausearch" -if "$log" --raw -a "$serial" >"$work/one" 2>"$work/one.err"
	grep -F "msg=audit(" "$log" | grep -F ":$serial): " >"$work/want-one"
	if ! cmp -s <(sort "$work/want-one") <(sort "$work/one"); then
		failed "ausearch -a $serial did not return the records of serial $serial:"
		diff <(sort "$work/want-one") <(sort "$work/one") | head -n 10 >&2
		cat "$work/one.err" >&2
	fi
done
echo "ausearch: $(wc -l <"$work/ausearch") records, serials $(echo $serials | wc -w)"

# 3. libauparse reads the type, serial, time and fields written
awk '
BEGIN {
	n = split("op opid contid old-contid capcontid old-capcontid record " \
		  "syscall a0 a1 oauid ouid oses ocomm", w, " ")
	for (i = 1; i <= n; i++)
		wanted[w[i]] = 1
}
{
	type = $1; sub(/^type=/, "", type)
	stamp = $2; sub(/^msg=audit\(/, "", stamp); sub(/\):$/, "", stamp)
	split(stamp, ts, ":")
	line = "serial=" ts[2] " time=" ts[1] " type=" type
	for (i = 3; i <= NF; i++) {
		eq = index($i, "=")
		if (eq && (substr($i, 1, eq - 1) in wanted))
			line = line " " $i
	}
	print line
}' "$log" >"$work/want-auparse"
if ! "$read_records" "$log" >"$work/auparse" 2>"$work/auparse.err"; then
	failed "read-records failed:"
	cat "$work/auparse.err" >&2
fi
cat "$work/auparse.err"
if ! cmp -s "$work/want-auparse" "$work/auparse"; then
	failed "libauparse did not read what procsim wrote (raw lines, then auparse):"
	diff "$work/want-auparse" "$work/auparse" | head -n 20 >&2
fi
[ "$(wc -l <"$work/auparse")" -eq "$total" ] ||
	failed "libauparse read $(wc -l <"$work/auparse") records of $total"

[ $fail -eq 0 ] && echo "ok: every record read back by ausearch and libauparse"
exit $fail
