#!/usr/bin/env bash
# Generates a large realistic log (training lines every step, NCCL INFO noise, one IB completion error 95 %
# of the way in, then the watchdog cascade) and runs `ccl-agent diagnose` on it, reporting wall time, peak
# resident memory and throughput. Usage: bash bench/diagnose-large-log.sh [size_mb, default 1024]
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

/usr/bin/time -f "%e %M" -o "$out/time.txt" \
  dotnet src/CclAgent.Cli/bin/Release/net10.0/ccl-agent.dll diagnose --log "$log" --json >"$out/report.json"
read -r seconds peak_kb <"$out/time.txt"
python3 - "$out/report.json" "$seconds" "$peak_kb" "$(stat -c %s "$log")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
seconds, peak_kb, size = float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
d = r["diagnosis"]
print(f"log           {size / 1048576:.0f} MiB, {r['sources'][0]['lines']} lines")
print(f"verdict       {d['category']} (confidence {d['confidence']}, role {d['role']}), evidence kept {len(r['evidence'])}")
print(f"wall time     {seconds:.1f} s  ({size / 1048576 / seconds:.0f} MiB/s)")
print(f"peak RSS      {peak_kb / 1024:.0f} MiB")
PY
