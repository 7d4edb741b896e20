#!/usr/bin/env bash
# Prints estimate_capacity.sh exactly as seed 004 gives it (the fenced block after its heading).
set -euo pipefail
seed="${1:-$(dirname "$0")/../../shared/seeds/004_0efb15a361133e66.txt}"
awk '/^\*\*`\/scripts\/estimate_capacity.sh`:\*\*/ { found = 1; next }
     found && /^```bash$/ { inside = 1; next }
     inside && /^```$/ { exit }
     inside { print }' "$seed"
