#!/usr/bin/env bash
# Wall time, phase times and decision times of `tune --dry-run --provider none` for every shipped scenario (Release),
# as the table in docs/benchmarks.md "Speed of tune --dry-run". Usage: bash bench/tune-speed.sh
# BIN=<folder with ccl-agent.dll> times that build instead (e.g. a copy of an earlier one, to compare side by side).
# User CPU is both of the process's threads (the agent and the background oracle); on a loaded machine it is the steadier figure.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${BIN:-}" ]]; then
  dotnet build src/CclAgent.Cli -c Release -v quiet --nologo >/dev/null
  BIN=src/CclAgent.Cli/bin/Release/net10.0
fi
out=$(mktemp -d)
printf "| scenario | wall (s) | user CPU (s) | offline (s) | online (s) | post-run (s) | decision p50 (ms) | slowest decision (ms) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
for spec in workload/sim/*.json; do
  name=$(basename "$spec" .json)
  /usr/bin/time -f "%e %U" -o "$out/time-$name" dotnet "$BIN/ccl-agent.dll" tune --workload "$spec" --dry-run --provider none --quiet --artifacts-root "$out/a-$name" --memory "$out/m-$name.db" >/dev/null 2>&1
  run=$(ls -d "$out/a-$name"/*/)
  python3 - "$run" "$name" "$out/time-$name" <<'PY'
import json,sys,datetime,statistics
run,name,timing=sys.argv[1:4]
wall,user=map(float,open(timing).read().split()[-2:])
ev=[json.loads(l) for l in open(run+'trace/events.jsonl')]
ph={e['type']:e['duration_ms'] for e in ev if e['type'].startswith('phase.') and e['type'].endswith('.end')}
ts=lambda e: datetime.datetime.fromisoformat(e['ts']).timestamp()
steps=[e for e in ev if e['type'] in ('step.start','step.end')]
gaps=[]
for a,b in zip(steps,steps[1:]):
    if a['type']=='step.end' and b['type']=='step.start': gaps.append((ts(b)-ts(a))*1000)
print(f"| {name} | {wall:.2f} | {user:.2f} | {ph['phase.offline.end']/1000:.2f} | {ph['phase.online.end']/1000:.2f} | {ph['phase.postrun.end']/1000:.2f} | {statistics.median(gaps):.1f} | {max(gaps):.0f} |")
PY
done
