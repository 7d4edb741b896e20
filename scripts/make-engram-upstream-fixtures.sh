#!/usr/bin/env bash
# Regenerates test/fixtures/engram-upstream-script.json by running upstream Engram's
# scripts/estimate_capacity.sh (the one with the 7th argument, workload_type) with bash and bc for
# each input below. The script is read from a local mirror of orchard9/engram at the pinned commit
# into a temporary file: it is not part of this repository.
# Usage: bash scripts/make-engram-upstream-fixtures.sh > test/fixtures/engram-upstream-script.json
#   ENGRAM_MIRROR=<path of a clone of orchard9/engram> to read it from elsewhere.
# Each case records the script's exit code, its printed report, what it wrote on stderr, and the
# full-precision bc values of its variables (a trailer appended after the script echoes them; the
# script itself is unchanged).
set -euo pipefail
. "$(dirname "$0")/script-fixture-lib.sh"
mirror="${ENGRAM_MIRROR:-/work/.mirror/orchard9+engram/repo}"
commit=be5818abe69984ad82292aeb1b4b3f85853130d5
path=scripts/estimate_capacity.sh
if ! git -C "$mirror" cat-file -e "$commit:$path" 2>/dev/null; then
  echo "make-engram-upstream-fixtures: no $path at $commit in '$mirror';" \
    "set ENGRAM_MIRROR to a clone of https://github.com/orchard9/engram that has that commit" >&2
  exit 1
fi
command -v bc > /dev/null || { echo "make-engram-upstream-fixtures: bc is missing (apt-get install bc)" >&2; exit 1; }
date="$(git -C "$mirror" show -s --format=%cs "$commit")"
script="$(mktemp)"
stderr_file="$(mktemp)"
trap 'rm -f "$script" "$stderr_file"' EXIT
git -C "$mirror" show "$commit:$path" > "$script"
cat >> "$script" <<'TRAILER'
for v in HOT_NODES WARM_NODES COLD_NODES TOTAL_EDGES HOT_EDGES HOT_MEMORY WARM_MEMORY COLD_MEMORY \
  ACTIVATION_POOL TOTAL_MEMORY SPREADING_CORES CONSOLIDATION_CORES API_CORES TOTAL_CORES \
  RECOMMENDED_CORES NUMA_CORES WARM_STORAGE COLD_STORAGE WAL_STORAGE SNAPSHOT_STORAGE TEMP_SPACE \
  TOTAL_STORAGE WRITE_IOPS READ_IOPS TOTAL_IOPS CLIENT_BANDWIDTH BACKUP_BANDWIDTH PEAK_BANDWIDTH \
  MEMORY_GB STORAGE_GB WRITE_RATIO READ_RATIO WAL_MULTIPLIER CPU_MULTIPLIER MEMORY_MULTIPLIER; do
  echo "RAW $v ${!v-}"
done
TRAILER

types=(write-heavy read-heavy analytical mixed batch "")
# expectedNodes activeRatio edgesPerNode opsPerSec retentionDays consolidationIntervalSec, each run
# with every workload type above ("batch" is unknown: the script treats it as mixed; "" passes no 7th argument)
inputs=(
  "1000000 0.1 50 5000 30 300"
  "50000000 0.1 50 5000 30 300"
  "100000000 0.15 75 10000 90 300"
  "50000000 0.05 30 20000 7 600"
  "500000 0.2 40 2000 14 300"
  "10000000 0.1 50 200000 30 300"
  "1000 0.1 50 5000 30 300"
  "1000 0.01 5 10 1 300"
)
# single runs: "<6 inputs> [workload type]"
singles=(
  # recommended cores exactly at the NUMA steps (nodes 0, mixed: 2 + 0.00066 x ops) and just above
  "0 0.1 50 0 30 300 mixed"
  "0 0.1 50 4000 30 300 mixed"
  "0 0.1 50 4546 30 300 mixed"
  "0 0.1 50 10000 30 300 mixed"
  "0 0.1 50 10607 30 300 mixed"
  "0 0.1 50 22000 30 300 mixed"
  "0 0.1 50 22728 30 300 mixed"
  "0 0.1 50 46000 30 300 mixed"
  "0 0.1 50 46970 30 300 mixed"
  "0 0.1 50 94000 30 300 mixed"
  "0 0.1 50 95455 30 300 mixed"
  "0 0.1 50 50000 30 300 mixed"
  # total cores 5/3, which bc keeps as 1.66666666666666666666: x 1.5 + 0.5 stays below 3
  "100000000 0.25 50 0 30 300 mixed"
  # active ratio above 0.25: warm is 3x hot regardless, cold goes negative
  "1000000 0.3 50 5000 30 300 mixed"
  "1000000 0.5 50 5000 30 300 write-heavy"
  "1000000 1 50 5000 30 300 analytical"
  # no operations; no nodes; very many nodes
  "1000000 0.1 50 0 30 300 read-heavy"
  "0 0.1 50 5000 30 300 analytical"
  "100000000000 0.1 50 5000 30 300 write-heavy"
  # IOPS below 1: bc prints .15 and .27, cut leaves empty strings, bash adds them as 0
  "1000 0.1 5 1 1 300 analytical"
  # a hot tier below one node, hot edges below one: cut leaves empty strings and bc fails on them
  "5 0.1 50 5000 30 300 mixed"
  "1000 0.0005 50 5000 30 300 read-heavy"
  "1000 0.001 0.5 100 30 300 mixed"
  # consolidation interval 0: bc divides by zero
  "1000000 0.1 50 5000 30 0 analytical"
  # ops/s not whole: printf %'d rejects it (the figures are unaffected)
  "1000000 0.1 50 2500.5 30 300 write-heavy"
)

runs=()
for i in "${inputs[@]}"; do
  for t in "${types[@]}"; do runs+=("$i${t:+ $t}"); done
done
runs+=("${singles[@]}")

echo "{"
echo "  \"command\": \"bash scripts/make-engram-upstream-fixtures.sh > test/fixtures/engram-upstream-script.json\","
echo "  \"upstream\": {\"repository\": \"orchard9/engram\", \"commit\": \"$commit\", \"date\": \"$date\", \"path\": \"$path\"},"
echo "  \"bc\": \"$(bc --version | head -1)\","
echo "  \"cases\": ["
first=1
for c in "${runs[@]}"; do
  read -r -a args <<< "$c"
  set +e
  out="$(LC_ALL=C bash "$script" "${args[@]}" 2>"$stderr_file")"
  rc=$?
  set -e
  [ $first -eq 1 ] || echo "    ,"
  first=0
  json_args="${args[0]}, ${args[1]}, ${args[2]}, ${args[3]}, ${args[4]}, ${args[5]}"
  [ "${#args[@]}" -eq 7 ] && json_args+=", \"${args[6]}\""
  # the temporary file's name, in bash's messages, as the script's own
  print_case "$json_args" "$rc" "$out" "$(sed "s|$script|estimate_capacity.sh|g" "$stderr_file")"
done
echo "  ]"
echo "}"
