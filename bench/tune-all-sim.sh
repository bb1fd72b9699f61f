#!/usr/bin/env bash
# Tunes every shipped simulated workload in dry-run with the default budget and prints, per workload,
# the speedup over NCCL defaults and best/oracle (the oracle's noise-free optimum over the noise-free
# time of the configuration the agent chose). Usage: bash bench/tune-all-sim.sh [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
seed="${1:-1}"
out="$(mktemp -d)"
dotnet build src/CclAgent.Cli -c Release -v quiet --nologo >/dev/null
printf "%-28s %8s %6s %9s %10s\n" workload speedup trials best/orc stop
for spec in workload/sim/*.json; do
  json=$(dotnet src/CclAgent.Cli/bin/Release/net10.0/ccl-agent.dll tune --workload "$spec" --dry-run --provider none --quiet --json \
    --seed "$seed" --artifacts-root "$out/artifacts" --memory "$out/memory-$(basename "$spec" .json).db")
  python3 - "$spec" "$json" <<'PY'
import json, os, sys
s = json.loads(sys.argv[2])
print(f"{os.path.basename(sys.argv[1])[:-5]:<28} {s['speedup']:8.3f} {s['trials']:6d} {s['oracle_fraction']:9.4f} {s['stop_reason']:>10}")
PY
done | tee "$out/table.txt"
python3 - "$out/table.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
print(f"mean best/oracle {sum(float(r[3]) for r in rows)/len(rows):.4f}, min speedup {min(float(r[1]) for r in rows):.3f}")
PY
