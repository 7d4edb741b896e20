#!/usr/bin/env bash
# Regenerates test/fixtures/engram-script.json by running the seed's estimate_capacity.sh (extracted
# byte for byte from seed 004) with bash and bc for each input below.
# Usage: bash scripts/make-engram-fixtures.sh > test/fixtures/engram-script.json
# Each case records the script's exit code, its printed report, and the full-precision bc values of
# its variables (a trailer appended after the script echoes them; the script itself is unchanged).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/script-fixture-lib.sh"
script="$(mktemp)"
trap 'rm -f "$script"' EXIT
"$here/extract-seed-script.sh" > "$script"
cat >> "$script" <<'TRAILER'
for v in HOT_NODES WARM_NODES COLD_NODES TOTAL_EDGES HOT_EDGES HOT_MEMORY WARM_MEMORY COLD_MEMORY \
  ACTIVATION_POOL RUNTIME_OVERHEAD TOTAL_MEMORY SPREADING_CORES CONSOLIDATION_CORES API_CORES \
  TOTAL_CORES WARM_STORAGE COLD_STORAGE WAL_STORAGE SNAPSHOT_STORAGE TOTAL_STORAGE; do
  echo "RAW $v ${!v}"
done
TRAILER

# expectedNodes activeRatio edgesPerNode opsPerSec retentionDays consolidationIntervalSec
cases=(
  "1000000 0.1 50 5000 30 300"
  "0 0.1 50 5000 30 300"
  "100000000000 0.1 50 5000 30 300"
  "5 0.1 50 5000 30 300"
  "1000000 0.5 50 5000 30 300"
  "1000000 1 50 5000 30 300"
  "1000000 0.1 50 0 30 300"
  "10000000 0.05 20 20000 7 600"
  "50000000 0.2 100 50000 90 60"
  "250000 0.25 10 1000 1 3600"
  "200000000 0.1 64 100000 14 120"
  "1000 0.01 5 10 0 300"
  "12345678 0.123 37 7777 45 900"
  "1000000000 0.02 50 200000 30 300"
  "3000000 0.08 200 30000 30 300"
  "500000000 0.1 10 5000 30 1"
  "2000000 0.1 0 5000 365 300"
  "1000000 0 50 5000 30 300"
)

echo "{"
echo "  \"command\": \"bash scripts/make-engram-fixtures.sh > test/fixtures/engram-script.json\","
echo "  \"bc\": \"$(bc --version | head -1)\","
echo "  \"cases\": ["
first=1
for c in "${cases[@]}"; do
  read -r n r e o d i <<< "$c"
  set +e
  out="$(LC_ALL=C bash "$script" "$n" "$r" "$e" "$o" "$d" "$i" 2>/tmp/engram-fixture-stderr)"
  rc=$?
  set -e
  [ $first -eq 1 ] || echo "    ,"
  first=0
  print_case "$n, $r, $e, $o, $d, $i" "$rc" "$out" "$(cat /tmp/engram-fixture-stderr)"
done
echo "  ]"
echo "}"
rm -f /tmp/engram-fixture-stderr
