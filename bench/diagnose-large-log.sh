#!/usr/bin/env bash
# Generates a large realistic log (training lines every step, NCCL INFO noise, one IB completion error 95 %
# of the way in, then the watchdog cascade) and runs `ccl-agent diagnose` on it, reporting wall time, peak
# resident memory and throughput. Usage: bash bench/diagnose-large-log.sh [size_mb, default 1024]
# RUNS=n repeats the timed run n times (the shared VM is noisy; every run is printed, then the fastest).
# BASELINE_DLL=/path/to/an/older/ccl-agent.dll times that build too, alternating with this one on the same log, so a
# before/after comparison sees the same file and the same machine load.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-1024}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
log="$out/train.log"
dotnet build src/CclAgent.Cli -c Release -v quiet --nologo >/dev/null

python3 - "$log" "$size_mb" <<'PY'
import sys
path, size = sys.argv[1], int(sys.argv[2]) * 1024 * 1024
ib = ("mycl-g2:353236:353423 [6] transport/net_ib.cc:2244 NCCL WARN NET/IB: Got completion from peer 192.168.3.5<53908> "
      "with status=12 opcode=129 len=1048576 vendor err 129 (Recv) localGid ::ffff:192.168.6.3 remoteGids::ffff:192.168.6.5 hca mlx5_10")
wd = ("[rank0]:[E321 02:07:08.408271257 ProcessGroupNCCL.cpp:607] [Rank 0] Watchdog caught collective operation timeout: "
      "WorkNCCL(SeqNum=1580, OpType=ALLREDUCE, NumelIn=466119168, NumelOut=466119168, Timeout(ms)=600000) ran for 600060 milliseconds before timing out.")
written, line, faulted = 0, 0, False
with open(path, "w", buffering=1 << 22) as f:
    while written < size:
        line += 1
        if line % 10 == 0:
            text = f"node7:3312:3390 [{line % 8}] NCCL INFO Channel {line % 32:02d}/0 : 3[3] -> 11[3] [send] via NET/IB/0/GDRDMA"
        else:
            text = (f"[2024-05-01 10:{line // 60 % 60:02d}:{line % 60:02d}] step {line} | loss: {2.5 - (line % 1000) * 0.0001:.4f} | "
                    f"grad_norm: {1.0 + (line % 7) * 0.03:.2f} | lr: 3.0e-04 | tokens/s: 51234")
        if not faulted and written > size * 95 // 100:
            text, faulted = ib + "\n" + wd, True
        f.write(text + "\n")
        written += len(text) + 1
print(f"generated {written / 1048576:.0f} MiB, {line} lines", file=sys.stderr)
PY

runs="${RUNS:-1}"
time_one() { # label dll
  /usr/bin/time -f "%e %M" -o "$out/time.txt" dotnet "$2" diagnose --log "$log" --json >"$out/report-$1.json"
  read -r seconds peak_kb <"$out/time.txt"
  echo "$1 $seconds $peak_kb" >>"$out/times.txt"
  echo "run $1: ${seconds} s, peak RSS $((peak_kb / 1024)) MiB" >&2
}
for ((i = 1; i <= runs; i++)); do
  if [[ -n "${BASELINE_DLL:-}" ]]; then time_one baseline "$BASELINE_DLL"; fi
  time_one current src/CclAgent.Cli/bin/Release/net10.0/ccl-agent.dll
done

python3 - "$out" "$(stat -c %s "$log")" <<'PY'
import json, sys
out, size = sys.argv[1], int(sys.argv[2])
times = {}
for line in open(f"{out}/times.txt"):
    label, seconds, peak_kb = line.split()
    times.setdefault(label, []).append((float(seconds), int(peak_kb)))
for label in sorted(times, reverse=True):
    r = json.load(open(f"{out}/report-{label}.json"))
    d = r["diagnosis"]
    seconds = min(t for t, _ in times[label])
    peak_kb = max(m for _, m in times[label])
    print(f"[{label}]")
    print(f"log           {size / 1048576:.0f} MiB, {r['sources'][0]['lines']} lines")
    print(f"verdict       {d['category']} (confidence {d['confidence']}, role {d['role']}), evidence kept {len(r['evidence'])}")
    print(f"wall time     {seconds:.1f} s fastest of {len(times[label])}  ({size / 1048576 / seconds:.0f} MiB/s, {seconds * 1024 * 1048576 / size:.1f} s/GiB)")
    print(f"peak RSS      {peak_kb / 1024:.0f} MiB")
PY
