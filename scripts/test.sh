#!/usr/bin/env bash
# The project's test command: installs and starts what the launcher integration tests need (Open MPI,
# a single-node Slurm cluster with munge), restores NuGet packages, builds with warnings as errors and
# runs every test project in the solution. Prerequisites: the .NET 10 SDK, and root (or passwordless sudo)
# the first time, for apt-get and the Slurm daemons.
set -uo pipefail
cd "$(dirname "$0")/.."
log="${TMPDIR:-/tmp}/ccl-agent-test.log"

bash scripts/install-launchers.sh || exit 1
bash scripts/install-chromium.sh || exit 1
bash scripts/slurm-up.sh || exit 1
bash scripts/build-tuner-plugin.sh --test || exit 1

dotnet test CclAgent.sln --nologo --logger "console;verbosity=normal" >"$log" 2>&1
status=$?

# Show what matters: build errors, failing tests (with their message and the first lines of the stack, so a
# failure on CI can be read without the full log) and each project's totals.
awk '
  /^[[:space:]]+Failed [A-Za-z]/ { print; detail = 24; next }
  detail > 0 { print; detail--; next }
  /: error |Test Run (Successful|Failed)|^[[:space:]]+(Total tests|Passed|Failed):/ { print }
' "$log" || true
passed=$(grep -E "^\s+Passed: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E "^\s+Failed: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}')
echo "${passed} passed, ${failed} failed"

if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  echo "tests failed (full log: $log)" >&2
  exit 1
fi

# The .NET tool package (README, "Install"): packed from the build just tested, installed into a scratch folder and run.
bash scripts/pack-tool.sh --no-build || exit 1
