#!/bin/bash
# Compares the final worlds of seeded contid-bench runs between two builds
# (e.g. before and after a change to lib/): every profile, a few seeds,
# with and without a record callback.  With the callback the text of every
# record is compared as well.  Any difference is printed and the exit
# status is 1.
#
#   bench/digest-compare.sh BUILD_DIR_A BUILD_DIR_B [TASKS] [OPS]
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 BUILD_A BUILD_B [TASKS] [OPS]" >&2; exit 2; }
a=$1/bench/contid-bench
b=$2/bench/contid-bench
tasks=${3:-2000}
ops=${4:-200000}
status=0
runs=0

for profile in v11 v6 v8 v11-posted bits kernel-alloc; do
	for seed in 1 2 3; do
		for records in "" --records; do
			args=(--tasks "$tasks" --ops "$ops" --seed "$seed" --profile "$profile"
			      --pid-max 65536 --digest --json $records)
			da=$("$a" "${args[@]}" | grep -o '"[a-z_]*digest":"[0-9a-f]*"' | tr '\n' ' ')
			db=$("$b" "${args[@]}" | grep -o '"[a-z_]*digest":"[0-9a-f]*"' | tr '\n' ' ')
			runs=$((runs + 1))
			if [ "$da" != "$db" ]; then
				echo "DIFFERENT: $profile seed $seed $records: $da vs $db"
				status=1
			fi
		done
	done
done
echo "$runs runs compared: $([ $status -eq 0 ] && echo all equal || echo differences)"
exit $status
