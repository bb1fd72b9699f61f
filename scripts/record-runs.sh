#!/usr/bin/env bash
# Re-records the replay corpus (tests/CclAgent.Cli.Tests/RecordedRuns/) after a change that alters tune's decisions on
# purpose: a dry-run of every shipped scenario, a warm run that used memory, a run with failed steps, a run stopped by
# SIGUSR1, an in-job run, a run advised by a loopback model server and a real mpirun run. Each run directory is stripped to what `ccl-agent replay` reads (docs/run-directory.md).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/CclAgent.Cli -c Debug -v quiet -nologo >/dev/null
cli=(dotnet src/CclAgent.Cli/bin/Debug/net10.0/ccl-agent.dll)
out=tests/CclAgent.Cli.Tests/RecordedRuns
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$out" && mkdir -p "$out"

keep() { # keep NAME RUN_ROOT: strip the one run directory under RUN_ROOT into the corpus as NAME
  local src dst
  src=$(ls -d "$2"/*/ | head -1)
  dst="$out/$1"
  mkdir -p "$dst/offline" "$dst/steps" "$dst/trace"
  cp "$src/run_context.json" "$src/config_snapshot.json" "$dst/"
  for f in replay.json microbenchmark.json plan.json memory_at_start.db crossrun_at_start.zip; do
    [ -f "$src/offline/$f" ] && cp "$src/offline/$f" "$dst/offline/"
  done
  # The model's prompt packs: replay answers each call from them.
  if ls "$src"/llm/call_*.json >/dev/null 2>&1; then
    mkdir -p "$dst/llm" && cp "$src"/llm/call_*.json "$dst/llm/"
  fi
  find "$src/steps" -maxdepth 1 -regextype posix-extended -regex '.*/step_([0-9]+|confirm)\.json' -exec cp {} "$dst/steps/" \;
  # Only the events replay names in a divergence.
  grep -E '"type":"(decision|phase\.offline\.start|resume|llm\.call)"' "$src/trace/events.jsonl" > "$dst/trace/events.jsonl" || true
}

tune() { "${cli[@]}" tune --provider none --quiet "$@" >/dev/null; }

for spec in workload/sim/*.json; do
  name=$(basename "$spec" .json)
  tune --workload "$spec" --dry-run --memory "$work/$name.db" --artifacts-root "$work/$name"
  keep "dry-$name" "$work/$name"
done

# Memory from an earlier run of the same workload: replay reads the memory as the run found it.
tune --workload workload/sim/autoccl-a40-4x8-llama3-8b.json --dry-run --memory "$work/autoccl-a40-4x8-llama3-8b.db" --artifacts-root "$work/warm"
keep warm-llama3-8b "$work/warm"

# Transient faults: steps that fail and are diagnosed.
printf '{"transient_fault_rate": 0.25}\n' > "$work/faults.json"
tune --workload workload/sim/l40s-1x8-pcie-ddp.json --dry-run --config "$work/faults.json" --seed 3 --memory "$work/faults.db" --artifacts-root "$work/faults"
keep faults-l40s "$work/faults"

# Stopped by SIGUSR1 after step 3: replay ends where the record does.
"${cli[@]}" tune --provider none --quiet --workload workload/sim/h100-1x8-nvswitch-tp8.json --dry-run --memory "$work/usr1.db" --artifacts-root "$work/usr1" >/dev/null 2>&1 &
pid=$!
until ls "$work"/usr1/*/steps/step_3.json >/dev/null 2>&1; do sleep 0.02; done
kill -USR1 "$pid"; wait "$pid" || true
keep preempted-h100 "$work/usr1"

# In-job: one simulated job retuned in place through the tuner plugin's table; restarts only for init-time knobs.
tune --workload workload/sim/autoccl-a40-4x8-llama3-8b.json --dry-run --in-job --memory "$work/injob.db" --artifacts-root "$work/injob"
keep injob-llama3-8b "$work/injob"

# Model advice from a loopback Ollama server (scripts/ollama-stub.py): replay answers its calls from the prompt packs.
python3 scripts/ollama-stub.py "$work/ollama.port" & stub=$!
until [ -s "$work/ollama.port" ]; do sleep 0.05; done
"${cli[@]}" tune --quiet --provider ollama --model llama3.1 --llm-endpoint "http://127.0.0.1:$(cat "$work/ollama.port")" \
  --workload workload/sim/l40s-1x8-pcie-ddp.json --dry-run --max-steps 8 --memory "$work/llm.db" --artifacts-root "$work/llm" >/dev/null
kill "$stub"
keep llm-ollama-l40s "$work/llm"

# A real job: mpirun -np 4 of the nccl-tests emulator (needs Open MPI: scripts/install-launchers.sh).
if command -v mpirun >/dev/null; then
  tune --workload workload/local/mpirun-sim-nccl-tests.json --memory "$work/mpi.db" --artifacts-root "$work/mpi"
  keep real-mpirun-nccl-tests "$work/mpi"
  # The same launcher in-job: one mpirun job retuned in place through ccl-agent's tuner plugin.
  bash scripts/build-tuner-plugin.sh >/dev/null
  tune --workload workload/local/mpirun-in-job-sim-train.json --in-job --memory "$work/mpi-injob.db" --artifacts-root "$work/mpi-injob"
  keep real-mpirun-in-job "$work/mpi-injob"
fi

du -sh "$out"
