#!/usr/bin/env bash
# Real-mode tuning on this machine (no GPU): each workload/local example whose launcher is here
# (mpirun, srun, sbatch) is tuned for real: real launcher, real processes of the simulator's nccl-tests
# stand-in, real parsing. Prints speedup over NCCL defaults, trials, microbenchmark runs and wall time
# per launcher, side by side in one run. Needs scripts/install-launchers.sh and scripts/slurm-up.sh
# (the README's test command runs both). Usage: bash bench/tune-local-real.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
dotnet build src/CclAgent.Cli -c Release -v quiet --nologo >/dev/null
printf "%-30s %8s %6s %10s %8s\n" workload speedup trials microbench wall_s
for spec in workload/local/mpirun-sim-nccl-tests.json workload/local/srun-sim-nccl-tests.json workload/local/sbatch-sim-nccl-tests.json; do
  start=$(date +%s.%N)
  json=$(dotnet src/CclAgent.Cli/bin/Release/net10.0/ccl-agent.dll tune --workload "$spec" --provider none --quiet --json \
    --artifacts-root "$out/artifacts" --memory "$out/memory-$(basename "$spec" .json).db")
  end=$(date +%s.%N)
  run=$(ls -td "$out"/artifacts/*/ | head -1)
  python3 - "$spec" "$json" "$run" "$start" "$end" <<'PY'
import json, os, sys
s = json.loads(sys.argv[2])
m = json.load(open(os.path.join(sys.argv[3], "offline", "microbenchmark.json")))
print(f"{os.path.basename(sys.argv[1])[:-5]:<30} {s['speedup']:8.3f} {s['trials']:6d} {m['runs']:10d} {float(sys.argv[5]) - float(sys.argv[4]):8.1f}")
PY
done
