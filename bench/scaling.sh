#!/bin/bash
# Runs contid-bench at N = 10^3, 10^4, 10^5 and 10^6 live tasks and keeps,
# for each N, the median of REPEAT runs by operations per second as
# DIR/N.json (every run is kept as DIR/runs/N.R.json).
#
#   bench/scaling.sh BUILD_DIR OUT_DIR [OPS] [REPEAT] [extra contid-bench options]
#
# Then: bench/plot.sh docs/performance-scaling.svg OUT_DIR/*.json
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR OUT_DIR [OPS] [REPEAT] [OPTIONS...]" >&2; exit 2; }
bench=$1/bench/contid-bench
dir=$2
ops=${3:-10000000}
repeat=${4:-3}
shift $(( $# >= 4 ? 4 : $# ))
mkdir -p "$dir/runs"

for n in 1000 10000 100000 1000000; do
	for r in $(seq 1 "$repeat"); do
		"$bench" --tasks "$n" --ops "$ops" --json "$@" > "$dir/runs/$n.$r.json"
	done
	python3 - "$dir" "$n" "$repeat" <<'PY'
import json
import shutil
import sys

d, n, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
runs = ["%s/runs/%s.%d.json" % (d, n, r) for r in range(1, repeat + 1)]
runs.sort(key=lambda p: json.load(open(p))["ops_per_sec"])
median = runs[len(runs) // 2]
shutil.copy(median, "%s/%s.json" % (d, n))
r = json.load(open(median))
print("N=%-8s %10.0f ops/s %7.1f ns/op (library %6.1f) %6.1f bytes/task  [%s]" % (
    n, r["ops_per_sec"], r["ns_per_op"], r["lib_ns_per_op"], r["bytes_per_task"],
    ", ".join("%.0f" % json.load(open(p))["ops_per_sec"] for p in runs)))
PY
done
