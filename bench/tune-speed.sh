#!/usr/bin/env bash
# Wall time, phase times and decision times of `tune --dry-run --provider none` for every shipped scenario (Release),
# as the table in docs/benchmarks.md "Speed of tune --dry-run". Usage: bash bench/tune-speed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/CclAgent.Cli -c Release -v quiet --nologo >/dev/null
out=$(mktemp -d)
printf "| scenario | wall (s) | offline (s) | online (s) | post-run (s) | decision p50 (ms) | slowest decision (ms) |\n|---|---:|---:|---:|---:|---:|---:|\n"
for spec in workload/sim/*.json; do
  name=$(basename "$spec" .json)
  start=$(date +%s.%N)
  dotnet src/CclAgent.Cli/bin/Release/net10.0/ccl-agent.dll tune --workload "$spec" --dry-run --provider none --quiet --artifacts-root "$out/a-$name" --memory "$out/m-$name.db" >/dev/null 2>&1
  end=$(date +%s.%N)
  run=$(ls -d "$out/a-$name"/*/)
  python3 - "$run" "$name" "$start" "$end" <<'PY'
import json,sys,datetime,statistics
run,name,start,end=sys.argv[1:5]
ev=[json.loads(l) for l in open(run+'trace/events.jsonl')]
ph={e['type']:e['duration_ms'] for e in ev if e['type'].startswith('phase.') and e['type'].endswith('.end')}
ts=lambda e: datetime.datetime.fromisoformat(e['ts']).timestamp()
steps=[e for e in ev if e['type'] in ('step.start','step.end')]
gaps=[]
for a,b in zip(steps,steps[1:]):
    if a['type']=='step.end' and b['type']=='step.start': gaps.append((ts(b)-ts(a))*1000)
print(f"| {name} | {float(end)-float(start):.2f} | {ph['phase.offline.end']/1000:.2f} | {ph['phase.online.end']/1000:.2f} | {ph['phase.postrun.end']/1000:.2f} | {statistics.median(gaps):.1f} | {max(gaps):.0f} |")
PY
done
