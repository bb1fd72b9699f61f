#!/usr/bin/env bash
# Wall time, phase times and decision times of `tune --dry-run --provider none` for every shipped scenario, as the table
# in docs/benchmarks.md "Speed of tune --dry-run". Two builds are timed side by side, scenario by scenario in one run:
# the plain Release build (what `dotnet build -c Release` makes) and the ReadyToRun publish of the same source (what
# `bash scripts/pack-tool.sh` installs). Usage: bash bench/tune-speed.sh
# BIN=<folder with ccl-agent.dll> replaces the plain build (e.g. a copy of an earlier one); R2R=0 skips ReadyToRun.
# User CPU is all of the process's threads (the agent and the background oracle); on a loaded machine it is the steadier
# figure.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [[ -z "${BIN:-}" ]]; then
  dotnet build src/CclAgent.Cli -c Release -v quiet --nologo >/dev/null
  BIN=src/CclAgent.Cli/bin/Release/net10.0
fi
builds=(plain)
if [[ "${R2R:-1}" != "0" ]]; then
  rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
  dotnet publish src/CclAgent.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
    -o "$out/r2r-bin" -v quiet --nologo >/dev/null
  builds+=(r2r)
fi
bin_of() { if [[ "$1" == plain ]]; then echo "$BIN"; else echo "$out/r2r-bin"; fi; }

printf "| scenario | build | wall (s) | user CPU (s) | offline (s) | online (s) | post-run (s) | decision p50 (ms) | slowest decision (ms) |\n"
printf "|---|---|---:|---:|---:|---:|---:|---:|---:|\n"
for spec in workload/sim/*.json; do
  name=$(basename "$spec" .json)
  for build in "${builds[@]}"; do
    key="$build-$name"
    /usr/bin/time -f "%e %U" -o "$out/time-$key" dotnet "$(bin_of "$build")/ccl-agent.dll" tune --workload "$spec" \
      --dry-run --provider none --quiet --artifacts-root "$out/a-$key" --memory "$out/m-$key.db" >/dev/null 2>&1
    run=$(ls -d "$out/a-$key"/*/)
    python3 - "$run" "$name" "$build" "$out/time-$key" <<'PY'
import json,sys,datetime,statistics
run,name,build,timing=sys.argv[1:5]
wall,user=map(float,open(timing).read().split()[-2:])
ev=[json.loads(l) for l in open(run+'trace/events.jsonl')]
ph={e['type']:e['duration_ms'] for e in ev if e['type'].startswith('phase.') and e['type'].endswith('.end')}
ts=lambda e: datetime.datetime.fromisoformat(e['ts']).timestamp()
steps=[e for e in ev if e['type'] in ('step.start','step.end')]
gaps=[]
for a,b in zip(steps,steps[1:]):
    if a['type']=='step.end' and b['type']=='step.start': gaps.append((ts(b)-ts(a))*1000)
print(f"| {name} | {build} | {wall:.2f} | {user:.2f} | {ph['phase.offline.end']/1000:.2f} | {ph['phase.online.end']/1000:.2f} | {ph['phase.postrun.end']/1000:.2f} | {statistics.median(gaps):.1f} | {max(gaps):.0f} |")
PY
  done
done
