#!/usr/bin/env bash
# Planning time against the number of collectives in a workload: `tune --dry-run --max-steps 2` (the offline
# microbenchmark, the planner and the surrogate, then two steps) on copies of a shipped workload whose
# iteration.collectives repeats its entries, as a per-layer list does (layer_<i>, a few distinct shapes).
# Usage: bash bench/planning-scale.sh [counts...]   (default: 50 200 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(50 200 5000)
out="$(mktemp -d)"
dotnet build src/CclAgent.Cli -c Release -v quiet --nologo >/dev/null
printf "%-12s %10s %6s\n" collectives seconds exit
for n in "${counts[@]}"; do
  python3 - "$n" "$out/wl-$n.json" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
w = json.load(open("workload/sim/h100-2x8-ib400-fsdp.json"))
shapes = w["iteration"]["collectives"]
w["iteration"]["collectives"] = [dict(shapes[i % len(shapes)], name=f"layer_{i}", count=1) for i in range(n)]
json.dump(w, open(path, "w"))
PY
  start=$(date +%s.%N)
  set +e
  dotnet src/CclAgent.Cli/bin/Release/net10.0/ccl-agent.dll tune --workload "$out/wl-$n.json" --dry-run --max-steps 2 \
    --provider none --quiet --json --artifacts-root "$out/artifacts" --memory "$out/memory-$n.db" >/dev/null
  code=$?
  set -e
  end=$(date +%s.%N)
  printf "%-12s %10.2f %6d\n" "$n" "$(echo "$end - $start" | bc)" "$code"
done
rm -rf "$out"
