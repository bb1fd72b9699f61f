#!/usr/bin/env bash
# Nightly NCCL tuning of one workload: tune (resuming an interrupted run), report against the previous good run,
# fail on a regression, keep the last KEEP run directories. Run it from cron, a systemd timer or sbatch (see
# tune-nightly.sbatch). Exit codes are ccl-agent's: 6 regression, 75 preempted (resume next time), 3 job failed,
# 9 the previous run of this workload still held its lock after WAIT_LOCK seconds.
set -euo pipefail
WORKLOAD=${WORKLOAD:?set WORKLOAD to the workload spec, e.g. workload/prod/llama3-70b.json}
ROOT=${ROOT:-artifacts/nightly/$(basename "$WORKLOAD" .json)}
MEMORY=${MEMORY:-memory/ccl-agent.db}
KEEP=${KEEP:-14}
REGRESSION_PCT=${REGRESSION_PCT:-3}
# Seconds to wait for the previous night's tune of this workload to finish before giving up with exit 9.
WAIT_LOCK=${WAIT_LOCK:-1800}
# CCL_AGENT may be a command with arguments ("dotnet /opt/ccl-agent/ccl-agent.dll"), so it is expanded unquoted.
CCL_AGENT=${CCL_AGENT:-ccl-agent}
# Extra tune options, e.g. "--max-steps 16" or, to try the script on a laptop, "--dry-run" with a workload/sim spec.
read -r -a tune_args <<< "${TUNE_ARGS:-}"
mkdir -p "$ROOT"

# An unfinished run (killed, preempted, lost node) is continued rather than started again.
last_unfinished=$(grep -lE '"status": "(running|preempted)"' "$ROOT"/*/run_context.json 2>/dev/null | sort | tail -1 || true)
resume=()
[ -n "$last_unfinished" ] && resume=(--resume "$(dirname "$last_unfinished")")

# The previous succeeded run is the baseline the report compares against.
baseline=$(grep -l '"status": "succeeded"' "$ROOT"/*/run_context.json 2>/dev/null | sort | tail -1 || true)

$CCL_AGENT tune --workload "$WORKLOAD" --memory "$MEMORY" --artifacts-root "$ROOT" --provider none --quiet --wait-lock "$WAIT_LOCK" "${tune_args[@]}" "${resume[@]}"
run=$(ls -td "$ROOT"/*/ | head -1)

if [ -n "$baseline" ]; then
  $CCL_AGENT report "$run" --compare "$(dirname "$baseline")" --fail-on-regression "$REGRESSION_PCT" --html "$run/postrun/nightly.html"
else
  $CCL_AGENT report "$run" --html "$run/postrun/nightly.html"
fi

# Keep the newest KEEP run directories; memory keeps what they taught.
ls -td "$ROOT"/*/ | tail -n +"$((KEEP + 1))" | xargs -r rm -rf
$CCL_AGENT memory prune --older-than 180d --memory "$MEMORY" >/dev/null
