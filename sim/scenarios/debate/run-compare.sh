#!/usr/bin/env bash
# Golden test for the debate scenarios (docs/profiles.md).
#
#   run-compare.sh PROCSIM NAME.scn
#       `procsim --compare NAME.scn` must print exactly NAME.compare
#       (standard output, then standard error) and exit with the status
#       its last line implies: 0 for "every expectation held under every
#       profile", 2 for "not run", 1 otherwise.
#   run-compare.sh --json PROCSIM NAME.scn...
#       `procsim --compare --format json` must print one JSON object per
#       file whose rows and cells say what the text matrix says, whose
#       statement column is cut to 48 characters (needs python3; SKIP
#       without it).
#   run-compare.sh --each-profile PROCSIM NAME.scn
#       plain `procsim NAME.scn` (the file's own profile) and
#       `procsim --profile P NAME.scn` for each profile P that
#       `procsim --help` lists must all pass.
#   run-compare.sh --doc DOC.md
#       every matrix pasted in DOC.md (a ``` block starting with
#       `$ procsim --compare NAME.scn`) is NAME.compare, except for lines
#       starting with "   ...   (" that stand for rows left out.
#
# Run from sim/scenarios/debate (meson sets workdir), so that the file
# names procsim prints are the relative ones in the golden files.
set -u

die() { echo "run-compare.sh: $*" >&2; exit 99; }

tmp=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

if [ "${1-}" = --json ]; then
    [ $# -ge 3 ] || die "usage: run-compare.sh --json PROCSIM NAME.scn..."
    procsim=$2
    shift 2
    command -v python3 >/dev/null || { echo "SKIP: no python3" >&2; exit 77; }
    "$procsim" --compare "$@" >"$tmp/text" 2>"$tmp/text.err"
    text_status=$?
    "$procsim" --compare --format json "$@" >"$tmp/json" 2>"$tmp/json.err"
    status=$?
    [ "$status" -eq "$text_status" ] ||
        { echo "FAIL: json exit $status, text exit $text_status" >&2; exit 1; }
    cmp -s "$tmp/text.err" "$tmp/json.err" ||
        { echo "FAIL: standard error differs between text and json" >&2; exit 1; }
    python3 - "$tmp/json" "$tmp/text" "$@" <<'PY' || exit 1
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
text = open(sys.argv[2]).read().split("\n\n")
files = sys.argv[3:]
assert len(objs) == len(files) == len(text), "one object per file"
for o, t, f in zip(objs, text, files):
    assert o["file"] == f, (o["file"], f)
    lines = t.strip("\n").split("\n")
    header = lines[1].split()
    assert header[2:] == o["profiles"], (header, o["profiles"])
    rows = lines[2:-2]
    assert lines[-2].startswith("   marks: "), (f, lines[-2])
    assert len(rows) == len(o["rows"]), (f, len(rows), len(o["rows"]))
    failed = {p: 0 for p in o["profiles"]}
    for line, row in zip(rows, o["rows"]):
        assert (line[0] == "*") == row["differ"], (f, line)
        assert line[3:].split()[0] == str(row["line"]), (f, line)
        shown = row["statement"]
        if len(shown) > 48:
            shown = shown[:45] + "..."
        assert shown in line, (f, line)
        assert [c["profile"] for c in row["cells"]] == o["profiles"]
        for c in row["cells"]:
            assert c["ran"] == (c["outcome"] is not None), (f, row["line"], c)
            if not c["ok"]:
                failed[c["profile"]] += 1
    assert failed == o["failed"], (f, failed, o["failed"])
    assert o["held"] == (sum(failed.values()) == 0), f
    assert o["held"] == lines[-1].endswith("every expectation held under every profile")
print("ok: %d files" % len(objs))
PY
    exit 0
fi

if [ "${1-}" = --each-profile ]; then
    [ $# -eq 3 ] || die "usage: run-compare.sh --each-profile PROCSIM NAME.scn"
    procsim=$2
    scn=$3
    # the profiles procsim knows, as its --help lists them
    known=$("$procsim" --help | sed -n 's/.*(known: \(.*\)).*/\1/p' | tr -d ,)
    [ -n "$known" ] || die "procsim --help lists no profiles"
    fail=0
    for profile in "" $known; do
        args=()
        [ -n "$profile" ] && args=(--profile "$profile")
        "$procsim" "${args[@]}" "$scn" >"$tmp/out" 2>"$tmp/err"
        status=$?
        if [ "$status" -ne 0 ] || [ "$(tail -n 1 "$tmp/out")" != "1 passed, 0 failed" ]; then
            echo "FAIL: procsim ${args[*]} $scn exited $status:" >&2
            cat "$tmp/out" "$tmp/err" >&2
            fail=1
        fi
    done
    [ "$fail" -eq 0 ] && echo "ok $scn: its own profile and each of" $known
    exit "$fail"
fi

if [ "${1-}" = --doc ]; then
    [ $# -eq 2 ] || die "usage: run-compare.sh --doc DOC.md"
    command -v python3 >/dev/null || { echo "SKIP: no python3" >&2; exit 77; }
    python3 - "$2" <<'PY' || exit 1
import re, sys
doc = open(sys.argv[1]).read()
blocks = re.findall(r"```\n\$ procsim --compare (\S+)\n(.*?)```", doc, re.S)
assert blocks, "no matrix in " + sys.argv[1]
for name, text in blocks:
    golden = open(name.replace(".scn", ".compare")).read().split("\n")
    pasted = text.split("\n")
    g = 0
    for i, line in enumerate(pasted):
        if line.startswith("   ...   ("):
            # an elision: skip golden lines up to the next pasted one
            while g < len(golden) and golden[g] != pasted[i + 1]:
                g += 1
            continue
        assert g < len(golden) and golden[g] == line, \
            "%s: the matrix of %s in the doc differs from its golden file at %r" % (
                sys.argv[1], name, line)
        g += 1
    assert g == len(golden), "%s: the matrix of %s is cut short" % (sys.argv[1], name)
print("ok: %d matrices match their golden files" % len(blocks))
PY
    exit 0
fi

[ $# -eq 2 ] || die "usage: run-compare.sh PROCSIM NAME.scn | --json PROCSIM NAME.scn... | --doc DOC.md"
procsim=$1
scn=$2
golden=${scn%.scn}.compare
[ -f "$scn" ] || die "no such scenario: $scn"
[ -f "$golden" ] || die "no golden file: $golden"

last=$(grep -v '^$' "$golden" | grep -E '^[^ *]' | tail -n 1)
case $last in
*": every expectation held under every profile") want=0 ;;
*": not run") want=2 ;;
*) want=1 ;;
esac

"$procsim" --compare "$scn" >"$tmp/out" 2>"$tmp/err"
status=$?
cat "$tmp/out" "$tmp/err" >"$tmp/combined"

fail=0
if ! cmp -s "$golden" "$tmp/combined"; then
    echo "FAIL: procsim --compare $scn differs from $golden:" >&2
    diff -u "$golden" "$tmp/combined" >&2
    fail=1
fi
if [ "$status" -ne "$want" ]; then
    echo "FAIL: procsim --compare $scn exited $status, expected $want" >&2
    fail=1
fi
[ "$fail" -eq 0 ] && echo "ok $scn"
exit "$fail"
