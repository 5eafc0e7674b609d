#!/bin/bash
# procsim --dot: replays a scenario with threads, a zombie
# and IDs nested three deep, renders the graph with `dot -Tpng`, and checks
# that the picture is a PNG and that the graph (as Graphviz itself reads
# it, through -Tplain) has what the scenario built.  (User namespaces,
# network namespaces and capcontid: check-dot-golden.sh; the summary of
# a large world: check-dot-summary.sh.)
#
# usage: check-dot.sh PROCSIM DOT SCENARIO
set -u

if [ $# -ne 3 ]; then
	echo "usage: $0 PROCSIM DOT SCENARIO" >&2
	exit 99
fi
procsim=$1
dot=$2
scenario=$3
export LC_ALL=C

work=$(mktemp -d "${TMPDIR:-/tmp}/dot.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
fail=0
failed() {
	echo "FAIL: $*" >&2
	fail=1
}

"$procsim" --dot "$work/world.dot" "$scenario" >"$work/summary"
status=$?
[ $status -eq 0 ] || failed "procsim exited with $status: $(cat "$work/summary")"
[ -s "$work/world.dot" ] || { echo "FAIL: no graph written" >&2; exit 1; }

"$dot" -Tpng "$work/world.dot" -o "$work/world.png" 2>"$work/dot.err"
status=$?
[ $status -eq 0 ] || failed "dot -Tpng exited with $status"
if [ -s "$work/dot.err" ]; then
	failed "dot -Tpng warned:"
	cat "$work/dot.err" >&2
fi
signature=$(head -c 8 "$work/world.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')
[ "$signature" = 89504e470d0a1a0a ] || failed "not a PNG (starts with '$signature')"
size=$(wc -c <"$work/world.png")
[ "$size" -gt 1000 ] || failed "PNG of only $size bytes"
echo "dot -Tpng: $size bytes"

# The graph as Graphviz reads it: "node NAME x y w h LABEL ..." and
# "edge TAIL HEAD n x1 y1 ... [LABEL xl yl] STYLE COLOR".
"$dot" -Tplain "$work/world.dot" -o "$work/world.plain" ||
	failed "dot -Tplain failed"
node_label() {	# the quoted label, quotes included
	sed -n "s/^node $1 [^\"]*\(\"[^\"]*\"\).*/\1/p" "$work/world.plain"
}
has_edge() {	# TAIL HEAD [LABEL]
	awk -v t="$1" -v h="$2" -v l="${3:-}" '
		$1 == "edge" && $2 == t && $3 == h {
			if (l == "") found = 1
			for (i = 4; i <= NF; i++) if ($i == l) found = 1
		}
		END { exit !found }' "$work/world.plain"
}

# the tasks and their processes (pids follow from the scenario's forks)
declare -A pid=([init]=1 [orchestrator]=2 [c1]=3 [engine]=4 [worker]=5
		[helper]=6 [c2]=7 [engine2]=8 [c3]=9 [job]=10)
for name in "${!pid[@]}"; do
	label=$(node_label "f0_t${pid[$name]}")
	case $label in
	"\"$name\\npid ${pid[$name]}"*) ;;
	*) failed "task $name: node f0_t${pid[$name]} has label '$label'" ;;
	esac
done
# uids and IDs in the task labels
for name in "${!pid[@]}"; do
	label=$(node_label "f0_t${pid[$name]}")
	[[ $label == *"\\npid ${pid[$name]}, uid 0"[\"\\]* ]] ||
		failed "task $name should show uid 0: $label"
done
for t in c1:100 engine:100 worker:100 helper:100 c2:200 engine2:200 c3:300; do
	label=$(node_label "f0_t${pid[${t%%:*}]}")
	[[ $label == *"\\nID ${t##*:}"[\"\\]* ]] || failed "task ${t%%:*} should show ID ${t##*:}: $label"
done
for t in init orchestrator job; do
	[[ $(node_label "f0_t${pid[$t]}") == *"\\nID "* ]] && failed "task $t shows an ID"
done
# the process tree: leaders hang from their parents' leaders
for e in init:orchestrator orchestrator:c1 c1:engine engine:c2 c2:engine2 \
	 engine2:c3 c3:job; do
	has_edge "f0_t${pid[${e%%:*}]}" "f0_t${pid[${e##*:}]}" ||
		failed "no process tree edge ${e%%:*} -> ${e##*:}"
done
# threads are drawn inside their process's cluster, with their leader;
# a process of one task has no cluster
cluster_of() {	# the process cluster a node is declared in, if any
	awk -v node="$1" '
		/subgraph cluster_f0_p[0-9]+ / { cur = $2 }
		/^ *}$/ { cur = "" }
		$1 == node && $2 ~ /^\[/ { print cur }' "$work/world.dot"
}
for task in engine worker helper; do
	[ "$(cluster_of "f0_t${pid[$task]}")" = cluster_f0_p4 ] ||
		failed "$task is not in process 4's cluster"
done
for task in init orchestrator c1 c2 engine2 c3 job; do
	[ -z "$(cluster_of "f0_t${pid[$task]}")" ] ||
		failed "$task, a process of one task, has a cluster"
done
grep -q 'subgraph cluster_f0_p' "$work/world.dot" &&
	[ "$(grep -c 'subgraph cluster_f0_p' "$work/world.dot")" -eq 1 ] ||
	failed "not exactly one process cluster"
# one user namespace (the initial one), one network namespace: white
[ "$(grep -c 'subgraph cluster_f0_u' "$work/world.dot")" -eq 1 ] ||
	failed "more than the initial user namespace"
grep -q 'cluster_f0_u0 {' "$work/world.dot" || failed "no initial user namespace"
grep -E '^ *f0_t[0-9]+ \[' "$work/world.dot" | grep -v -q 'fillcolor=white' &&
	failed "a task outside the initial network namespace"

# the zombie is marked
grep -F "f0_t${pid[job]} [" "$work/world.dot" | grep -q -F 'xlabel="zombie"' ||
	failed "job is not marked as a zombie"
grep -F "f0_t${pid[job]} [" "$work/world.dot" | grep -q -F 'style="filled,dashed"' ||
	failed "job is not dashed"
for t in c1 engine c3; do
	grep -F "f0_t${pid[$t]} [" "$work/world.dot" | grep -q zombie &&
		failed "$t is marked as a zombie"
done
# the ID objects: nodes, nesting parents, owners
for id in 100 200 300; do
	[[ $(node_label "f0_id$id") == "\"ID $id\\n"* ]] || failed "no node for ID $id"
done
has_edge f0_id200 f0_id100 parent || failed "no parent edge 200 -> 100"
has_edge f0_id300 f0_id200 parent || failed "no parent edge 300 -> 200"
has_edge f0_id100 f0_id200 parent && failed "parent edge 100 -> 200 the wrong way"
has_edge f0_id100 "f0_t${pid[orchestrator]}" owner || failed "ID 100 not owned by orchestrator"
has_edge f0_id200 "f0_t${pid[engine]}" owner || failed "ID 200 not owned by engine"
has_edge f0_id300 "f0_t${pid[engine2]}" owner || failed "ID 300 not owned by engine2"
# each ID is kept next to its first holder (an invisible edge ranks it
# below that task), and its owner and parent edges do not move it up
for t in c1:100 c2:200 c3:300; do
	has_edge "f0_t${pid[${t%%:*}]}" "f0_id${t##*:}" ||
		failed "ID ${t##*:} not placed below ${t%%:*}"
done
[ "$(grep -c 'label="owner", constraint=false' "$work/world.dot")" -eq 3 ] ||
	failed "owner edges that rank the IDs"
[ "$(grep -c 'label="parent", constraint=false' "$work/world.dot")" -eq 2 ] ||
	failed "parent edges that rank the IDs"

[ $fail -eq 0 ] && echo "ok: the graph renders and shows the world"
exit $fail
