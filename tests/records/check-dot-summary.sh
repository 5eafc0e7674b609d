#!/bin/bash
# procsim --dot on worlds of every size: up to 60 tasks every task is
# drawn, above that a summary (one node per ID and user namespace, the
# tasks it stands for counted in it), unless --dot-full asks for every
# task; and Graphviz accepts, without a warning, the graph of every
# scenario of the library, of a summary and of several files at once.
#
# usage: check-dot-summary.sh PROCSIM DOT SCENARIO...
set -u

if [ $# -lt 3 ]; then
	echo "usage: $0 PROCSIM DOT SCENARIO..." >&2
	exit 99
fi
procsim=$1
dot=$2
shift 2
export LC_ALL=C

work=$(mktemp -d "${TMPDIR:-/tmp}/dot-summary.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
fail=0
failed() {
	echo "FAIL: $*" >&2
	fail=1
}

accepted() {	# accepted GRAPH WHAT: dot reads it without a word
	if ! "$dot" -Tplain "$1" -o "$work/plain" 2>"$work/dot.err" ||
	   [ -s "$work/dot.err" ]; then
		failed "dot does not accept the graph of $2:"
		cat "$work/dot.err" >&2
	fi
}

draw() {	# draw OUT ARGS...: procsim --dot OUT ARGS, which must pass
	local out=$1
	shift
	if ! "$procsim" --quiet --dot "$out" "$@" 2>"$work/err"; then
		failed "procsim --dot $out $* failed:"
		cat "$work/err" >&2
	fi
}

task_nodes() { grep -c -E '^ *f[0-9]+_t[0-9]+ \[' "$1"; }
group_nodes() { grep -c -E '^ *f[0-9]+_g[0-9]+ \[' "$1"; }

# 60 tasks (init and 59 forks): every one drawn; 61: a summary
for n in 59 60; do
	awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) printf "fork t%d from init\n", i }' \
		>"$work/forks$n.scn"
	draw "$work/forks$n.dot" "$work/forks$n.scn"
	accepted "$work/forks$n.dot" "$n forks"
done
[ "$(task_nodes "$work/forks59.dot")" -eq 60 ] || failed "60 tasks not all drawn"
grep -q '(summary:' "$work/forks59.dot" && failed "60 tasks summed up"
[ "$(task_nodes "$work/forks60.dot")" -eq 0 ] || failed "61 tasks drawn one by one"
grep -q -F 'label="no ID\n61 tasks in 61 processes\nuid 0"' "$work/forks60.dot" ||
	failed "61 tasks not summed up in one node"
grep -q -F '(summary: 61 tasks, 0 IDs)' "$work/forks60.dot" ||
	failed "the file's label does not say it is a summary"

# 118 tasks: three rootless containers of 35 tasks each (a user and a
# network namespace, an ID delegated by capcontid, threads, a zombie),
# a nested ID in one of them and an ID no task holds any more
{
	echo "fork orch from init"
	echo "fork run from init"
	echo "set-contid init run 50"
	echo "fork inner from run"
	echo "set-contid run inner 51"
	echo "exit run"
	echo "reap run"
	for c in 0 1 2; do
		echo "fork eng$c from orch newuser newnet"
		echo "set-capcontid orch eng$c 1"
		echo "set-contid orch eng$c 10$c"
		echo "fork c$c from eng$c"
		echo "set-contid eng$c c$c 20$c"
		for i in $(seq 0 31); do
			if [ $((i % 4)) -eq 3 ]; then
				echo "fork c${c}_$i from c$c thread"
			else
				echo "fork c${c}_$i from c$c"
			fi
		done
		echo "exit c${c}_0"
		echo "exit c${c}_1"
	done
	echo "fork e from c0_2"
	echo "fork n from e"
	echo "set-capcontid eng0 e 1"
	echo "set-contid e n 300"
	echo "check users 50 0"
	echo "check parent 51 50"
} >"$work/big.scn"
draw "$work/big.dot" "$work/big.scn"
accepted "$work/big.dot" "a world of 118 tasks"
[ "$(task_nodes "$work/big.dot")" -eq 0 ] || failed "118 tasks drawn one by one"
grep -q -F '(summary: 107 tasks, 9 IDs)' "$work/big.dot" ||
	failed "summary label: $(grep -m1 'label=' "$work/big.dot")"
# groups, numbered as their first task's pid comes: g0 init and orch; g1
# inner (ID 51, its parent 50 held by no task now); per container its
# engine (g2 ID 100, g5, g8), the tasks of its ID (g3 ID 200, g6, g9) and
# its two zombies (g4, g7, g10); g11 the nested ID 300 of e's child n;
# g12 ID 50
[ "$(group_nodes "$work/big.dot")" -eq 13 ] ||
	failed "$(group_nodes "$work/big.dot") groups, not 13"
for want in \
	'label="no ID\n2 tasks in 2 processes\nuid 0", fillcolor=white]' \
	'label="ID 51\n1 task in 1 process\nuid 0", fillcolor=white]' \
	'label="ID 50\nheld by no task", fillcolor=lightyellow]' \
	'label="ID 100\n1 task in 1 process\nuid 0\n1 with capcontid\nnetns 1", fillcolor=lightblue, peripheries=2]' \
	'label="ID 200\n32 tasks in 24 processes\nuid 0\n1 with capcontid\nnetns 1", fillcolor=lightblue, peripheries=2]' \
	'label="ID 300\n1 task in 1 process\nuid 0\nnetns 1", fillcolor=lightblue]' \
	'label="ID 201\n31 tasks in 23 processes\nuid 0\nnetns 2", fillcolor=palegreen]' \
	'label="no ID\n2 tasks in 2 processes\n2 zombies\nuid 0\nnetns 3", fillcolor=lightpink]'; do
	grep -q -F "$want" "$work/big.dot" || failed "no group with $want"
done
[ "$(grep -c 'subgraph cluster_f0_u' "$work/big.dot")" -eq 4 ] ||
	failed "not four user namespaces"
grep -q -F 'label="user namespace 3: level 1, owner uid 0"' "$work/big.dot" ||
	failed "no label for user namespace 3"
# the tree between groups, each pair once; owners and parents
for e in 'f0_g0 -> f0_g1' 'f0_g0 -> f0_g2' 'f0_g2 -> f0_g3' 'f0_g3 -> f0_g11' \
	 'f0_g3 -> f0_g4 \[label="2 processes"\]' \
	 'f0_g9 -> f0_g10 \[label="2 processes"\]' \
	 'f0_g3 -> f0_g2 \[style=dashed, label="parent", constraint=false\]' \
	 'f0_g1 -> f0_g12 \[style=dashed, label="parent", constraint=false\]' \
	 'f0_g12 -> f0_g0 \[style=dotted, label="owner", constraint=false\]'; do
	grep -q -E "^ *$e;" "$work/big.dot" || failed "no edge $e"
done
# orch owns ID 100 and started its holder, e owns ID 300 and started its
# holder: the tree edges say so, without an owner edge
for e in 'f0_g2 -> f0_g0' 'f0_g11 -> f0_g3'; do
	grep -q -E "^ *$e \[style=dotted" "$work/big.dot" && failed "an owner edge along the tree: $e"
done
draw "$work/big-full.dot" --dot-full "$work/big.scn"
accepted "$work/big-full.dot" "a world of 118 tasks, in full"
[ "$(task_nodes "$work/big-full.dot")" -eq 107 ] || failed "--dot-full: not 107 tasks"
grep -q '(summary:' "$work/big-full.dot" && failed "--dot-full summed up"

# 92 tasks, 45 IDs in the initial user namespace: more groups than a
# summary draws (40), by namespace and by ID alike; container i holds
# ID 1000+i with i % 3 + 1 tasks, so the 15 groups of 3 and the 15 of 2
# are kept with the first 8 of 1 (in pid order: IDs 1000 to 1021), the
# last 7 of 1 (IDs 1024 to 1042) share a node
{
	echo "fork orch from init"
	for i in $(seq 0 44); do
		echo "fork k$i from orch"
		echo "set-contid orch k$i $((1000 + i))"
		for j in $(seq 1 $((i % 3))); do
			echo "fork k${i}_$j from k$i"
		done
	done
} >"$work/many.scn"
draw "$work/many.dot" "$work/many.scn"
accepted "$work/many.dot" "a world of 45 IDs"
grep -q -F '(summary: 92 tasks, 45 IDs)' "$work/many.dot" ||
	failed "many IDs: $(grep -m1 'label=' "$work/many.dot")"
[ "$(group_nodes "$work/many.dot")" -eq 40 ] ||
	failed "$(group_nodes "$work/many.dot") nodes for 45 IDs, not 40"
grep -q 'subgraph cluster_f0_u' "$work/many.dot" &&
	failed "user namespace clusters in a summary by ID"
grep -q -F 'label="7 more IDs\n7 tasks in 7 processes\nuid 0", fillcolor=white]' \
	"$work/many.dot" || failed "no node for the 7 IDs with fewest tasks"
for id in 1000 1001 1002 1021 1022 1043 1044; do
	grep -q -F "label=\"ID $id\n" "$work/many.dot" || failed "no node for ID $id"
done
for id in 1024 1027 1039 1042; do
	grep -q -F "label=\"ID $id\n" "$work/many.dot" && failed "ID $id has a node"
done
grep -q -E '^ *f0_g0 -> f0_g[0-9]+ \[label="7 processes", minlen=[0-9]\];' \
	"$work/many.dot" || failed "no edge to the folded IDs"
# 39 children of orch's node over 7 ranks; orch owns every ID, which the
# tree edges say already
[ "$(grep -c -E '^ *f0_g0 -> ' "$work/many.dot")" -eq 39 ] || failed "not 39 tree edges"
[ "$(grep -c -E 'minlen=7\]' "$work/many.dot")" -eq 5 ] || failed "not 5 children on rank 7"
grep -q 'label="owner"' "$work/many.dot" && failed "owner edges along the tree"

# every scenario of the library, and several files in one graph
for scn in "$@"; do
	draw "$work/one.dot" "$scn"
	accepted "$work/one.dot" "$scn"
done
draw "$work/all.dot" "$@" "$work/big.scn" "$work/many.scn" "$work/forks59.scn"
accepted "$work/all.dot" "every scenario at once"

[ $fail -eq 0 ] && echo "ok: $# scenarios, a summary and a full picture accepted by dot"
exit $fail
