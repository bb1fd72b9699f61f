#!/usr/bin/env bash
# Generates a Kineto trace of N events (default 1,000,000: per iteration a ProfilerStep annotation, CPU ops,
# cudaLaunchKernel runtime calls with ac2g flow events, compute kernels on stream 7, a memcpy and NCCL all-reduce /
# all-gather kernels with their args on stream 20) and a ccl-agent trace/events.jsonl of 100,000 events, builds the
# CLI in Release and times `ccl-agent trace analyze --json` on each under /usr/bin/time, printing wall time, user
# time, peak RSS, MB/s and events/s. Targets (issue 18): 1M-event Kineto <= 10 s and <= 1 GB RSS; 100k events.jsonl <= 2 s.
# Usage: bash bench/trace-throughput.sh [kineto_events]
set -euo pipefail
cd "$(dirname "$0")/.."
events="${1:-1000000}"
out="bench/out/trace"
mkdir -p "$out"

gen_kineto() {
  python3 - "$1" "$2" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    f.write('{"schemaVersion": 1, "distributedInfo": {"backend": "nccl", "rank": 0, "world_size": 8}, "traceEvents": [\n')
    written, ts, step = 0, 0.0, 0
    first = True
    def put(e):
        global first, written
        if written >= n:
            return
        f.write(("" if first else ",\n") + json.dumps(e, separators=(",", ":")))
        first = False
        written += 1
    while written < n:
        step += 1
        put({"ph": "X", "cat": "user_annotation", "name": f"ProfilerStep#{step}", "pid": 1, "tid": 1, "ts": ts, "dur": 5000})
        for k in range(16):
            if written >= n:
                break
            t = ts + k * 300
            put({"ph": "X", "cat": "cpu_op", "name": "aten::mm", "pid": 1, "tid": 1, "ts": t, "dur": 20, "args": {"External id": written}})
            put({"ph": "X", "cat": "cuda_runtime", "name": "cudaLaunchKernel", "pid": 1, "tid": 1, "ts": t + 2, "dur": 5, "args": {"correlation": written}})
            put({"ph": "s", "cat": "ac2g", "name": "ac2g", "id": written, "pid": 1, "tid": 1, "ts": t + 2})
            put({"ph": "X", "cat": "kernel", "name": "ampere_sgemm_128x64_nn", "pid": 0, "tid": 7, "ts": t + 10, "dur": 250, "args": {"stream": 7, "correlation": written, "grid": [128, 1, 1], "block": [256, 1, 1]}})
            put({"ph": "f", "cat": "ac2g", "name": "ac2g", "id": written, "pid": 0, "tid": 7, "ts": t + 10, "bp": "e"})
            if k % 4 == 0:
                put({"ph": "X", "cat": "gpu_memcpy", "name": "Memcpy HtoD (Pageable -> Device)", "pid": 0, "tid": 8, "ts": t + 40, "dur": 15, "args": {"stream": 8}})
            if k % 2 == 0:
                put({"ph": "X", "cat": "kernel", "name": "ncclDevKernel_AllReduce_Sum_f32_RING_LL(ncclDevComm*, unsigned long, ncclWork*)", "pid": 0, "tid": 20, "ts": t + 100, "dur": 180,
                     "args": {"stream": 20, "Collective name": "allreduce", "In msg nelems": 1048576, "Out msg nelems": 1048576, "Group size": 8, "dtype": "Float", "Process Group Ranks": "[0, 1, 2, 3, 4, 5, 6, 7]"}})
            else:
                put({"ph": "X", "cat": "kernel", "name": "ncclDevKernel_AllGather_RING_LL(ncclDevComm*, unsigned long, ncclWork*)", "pid": 0, "tid": 20, "ts": t + 100, "dur": 90,
                     "args": {"stream": 20, "Collective name": "_allgather_base", "In msg nelems": 131072, "Out msg nelems": 1048576, "Group size": 8, "dtype": "BFloat16", "Process Group Ranks": "[0, 1, 2, 3, 4, 5, 6, 7]"}})
        ts += 5000
    f.write("\n]}\n")
PY
}

gen_events() {
  python3 - "$1" "$2" <<'PY'
import json, sys
from datetime import datetime, timedelta, timezone
n, path = int(sys.argv[1]), sys.argv[2]
t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
# As TraceWriter writes a tuning step: step.start, four tool.call/tool.result pairs, step.end (10 events, 5 ms apart).
def event(i, **kw):
    e = {"schema_version": 1, "ts": (t0 + timedelta(milliseconds=i * 5)).isoformat().replace("+00:00", "Z"), "run_id": "bench",
         "event_id": f"e{i}", "parent_id": None, "phase": "online", "step": i // 10, "actor": "runner", "type": "", "status": "ok",
         "duration_ms": None, "payload": None, "refs": None}
    e.update(kw)
    return e
with open(path, "w") as f:
    for i in range(n):
        k, first = i % 10, i - i % 10
        if k == 0:
            e = event(i, type="step.start", status="started", actor="loop")
        elif k == 9:
            e = event(i, type="step.end", parent_id=f"e{first}", duration_ms=45.0, actor="loop")
        elif k % 2 == 1:
            e = event(i, type="tool.call", parent_id=f"e{first}", status="started", refs=[f"tool:t{i}"])
        else:
            e = event(i, type="tool.result", parent_id=f"e{i - 1}", duration_ms=5.0, refs=[f"tool:t{i - 1}"])
        f.write(json.dumps(e, separators=(",", ":")) + "\n")
PY
}

dotnet build src/CclAgent.Cli -c Release -v quiet --nologo >/dev/null
dll=src/CclAgent.Cli/bin/Release/net10.0/ccl-agent.dll

kineto="$out/kineto-$events.json"
jsonl="$out/run/trace/events.jsonl"
[ -f "$kineto" ] || gen_kineto "$events" "$kineto"
mkdir -p "$out/run/trace"
gen_events 100000 "$jsonl"

echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
measure() { # label input count
  local label="$1" input="$2" count="$3" rc=0
  /usr/bin/time -f "%e s %U u %M KB" -o "$out/time-$label.txt" dotnet "$dll" trace analyze "$input" --json >"$out/analysis-$label.json" 2>"$out/err-$label.txt" || rc=$?
  python3 - "$label" "$input" "$count" "$(tail -1 "$out/time-$label.txt")" "$rc" "$(head -1 "$out/err-$label.txt")" <<'PY'
import os, sys
label, path, count, timing, rc, err = sys.argv[1:]
wall, _, user, _, rss, _ = timing.split()
size = os.path.getsize(path) / 1e6
w = float(wall)
print(f"{label:<8} {int(count):>9,} events  {size:7.1f} MB  wall {w:6.2f} s  user {float(user):6.2f} s  peak RSS {int(rss) / 1024:7.1f} MiB  "
      f"{size / w:7.1f} MB/s  {int(count) / w:>10,.0f} events/s  exit {rc}{'  ' + err if err else ''}")
PY
}
measure kineto "$kineto" "$events"
measure events "$jsonl" 100000
