#!/usr/bin/env bash
# Generates an MMEngine-format training log of N lines (default 1,000,000: train lines with lr, eta, time,
# memory, grad_norm, loss and sub-losses; a validation result every 2,000 lines; tqdm-style progress noise and
# warnings as unknown lines; one NaN loss), builds the CLI in Release and times `ccl-agent watch --once`
# under /usr/bin/time, printing wall time, user CPU time, lines/s, peak RSS and the 1-minute load average. Also runs
# a 100,000-line log so that peak memory at two sizes can be compared. With BASELINE_DLL=path/to/ccl-agent.dll (another build, e.g. of an older
# commit in a second worktree) the two builds run alternately three times on the big log, which is how the
# before/after pair in docs/benchmarks.md was measured on a noisy machine (PAIRS=n for n pairs instead of 3; each pair
# line ends with a hash of the whole event stream, equal when the two builds behave identically).
# Usage: bash bench/watch-throughput.sh [lines]
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-1000000}"
out="bench/out/watch"
mkdir -p "$out"

generate() {
  python3 - "$1" "$2" <<'PY'
import math, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
random.seed(7)
with open(path, "w") as f:
    step = 0
    for i in range(1, n + 1):
        if i % 2000 == 0:
            f.write(f"04/21 22:00:00 - mmengine - INFO - Epoch(val) [{i // 2000}][500/500]    coco/bbox_mAP: {0.2 + 0.2 * (1 - math.exp(-i / n * 5)):.4f}  coco/bbox_mAP_50: 0.5000  data_time: 0.0010  time: 0.0500\n")
            continue
        if i % 97 == 0:
            f.write(" 45%|####5     | 450/1000 [01:40<02:02,  4.49it/s]\n")
            continue
        if i % 1009 == 0:
            f.write("04/21 21:10:00 - mmengine - WARNING - The model and loaded state dict do not match exactly\n")
            continue
        step += 10
        loss = 0.4 + 3.0 * math.exp(-step / (n * 2.0)) + random.gauss(0, 0.02)
        if i == n // 2:
            loss = float("nan")
        lr = 0.01 * min(1.0, step / 5000) * 0.5 * (1 + math.cos(math.pi * step / (n * 10)))
        f.write(f"04/21 21:03:53 - mmengine - INFO - Epoch(train)  [{step // 10000 + 1}][{step % 10000:5d}/10000]  base_lr: 1.0000e-02 lr: {lr:.4e}  eta: 1 day, 2:03:04  time: {0.25 + random.gauss(0, 0.004):.4f}  data_time: 0.0100  memory: 9182  grad_norm: {1.0 + random.random():.4f}  loss: {loss:.4f}  loss_cls: {loss * 0.6:.4f}  loss_bbox: {loss * 0.4:.4f}\n")
PY
}

dotnet build src/CclAgent.Cli -c Release -v quiet --nologo >/dev/null
dll=src/CclAgent.Cli/bin/Release/net10.0/ccl-agent.dll

for n in 100000 "$lines"; do
  log="$out/train-$n.log"
  [ -f "$log" ] || generate "$n" "$log"
  size=$(du -m "$log" | cut -f1)
  /usr/bin/time -v dotnet "$dll" watch --log "$log" --once --json >"$out/events-$n.jsonl" 2>"$out/time-$n.txt"
  wall=$(grep "Elapsed (wall clock)" "$out/time-$n.txt" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$out/time-$n.txt" | awk '{print $NF}')
  user=$(grep "User time (seconds)" "$out/time-$n.txt" | awk '{print $NF}')
  events=$(wc -l <"$out/events-$n.jsonl")
  python3 - "$n" "$size" "$wall" "$rss" "$events" "$out/events-$n.jsonl" "$user" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import json, sys
n, size, wall, rss, events, path, user, load = sys.argv[1:]
parts = [float(p) for p in wall.split(":")]
seconds = parts[-1] + (parts[-2] * 60 if len(parts) > 1 else 0) + (parts[-3] * 3600 if len(parts) > 2 else 0)
summary = json.loads(open(path).read().splitlines()[-1])
print(f"{int(n):>9,} lines  {size:>4} MiB  wall {seconds:6.2f} s  user {float(user):5.2f} s  {int(n) / seconds:>9,.0f} lines/s  "
      f"peak RSS {int(rss) / 1024:6.1f} MiB  {events} events  records {summary['records']:,}  unknown {summary['unknown_lines']:,}  "
      f"final {summary['final_phase']}  load {load}")
PY
done

if [ -n "${BASELINE_DLL:-}" ]; then
  log="$out/train-$lines.log"
  for i in $(seq "${PAIRS:-3}"); do
    for build in "$BASELINE_DLL" "$dll"; do
      /usr/bin/time -f "%e s wall  %U s user  %M KB" dotnet "$build" watch --log "$log" --once --json 2>"$out/pair.txt" >"$out/pair.jsonl" || true
      printf '%-60s %s  load %s  events %s\n' "$build" "$(tail -1 "$out/pair.txt")" "$(cut -d' ' -f1 /proc/loadavg)" "$(sha256sum <"$out/pair.jsonl" | cut -c1-12)"
    done
  done
fi
