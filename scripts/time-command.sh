#!/usr/bin/env bash
# Times a command over repeated runs, for where hyperfine is not installed: prints the runs, then min, median and max in ms.
#
#   scripts/time-command.sh 20 artifacts/aot-smoke/native/Sandboxing.Cli lint tests/Sandboxing.Cli.Tests/Fixtures/manifests/cronjob.yaml
#
# The first argument is the number of timed runs; one warm-up run (page cache) comes first and is not counted. Output and the
# exit code of the command are ignored.
set -euo pipefail
runs=$1
shift
"$@" > /dev/null 2>&1 || true
times=()
for ((i = 0; i < runs; i++)); do
  start=$(date +%s%N)
  "$@" > /dev/null 2>&1 || true
  end=$(date +%s%N)
  times+=($(((end - start) / 1000)))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
count=${#sorted[@]}
if ((count % 2 == 1)); then
  median=${sorted[$((count / 2))]}
else
  median=$(((sorted[count / 2 - 1] + sorted[count / 2]) / 2))
fi
echo "runs (ms): $(for t in "${times[@]}"; do printf '%s ' "$(ms "$t")"; done)"
echo "min $(ms "${sorted[0]}") ms, median $(ms "$median") ms, max $(ms "${sorted[$((count - 1))]}") ms over $count runs: $*"
