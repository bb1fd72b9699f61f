#!/usr/bin/env bash
# The project's test command: restores NuGet packages, builds with warnings as errors, runs every test project.
# Nothing else to install for these tests (the .NET 10 SDK is the only prerequisite).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test CclAgent.sln --nologo -v quiet --logger "console;verbosity=normal" 2>&1 | tee /tmp/ccl-agent-test.log | grep -E "^(Passed!|Failed!)|\[FAIL\]|error" || true
# Fail if any test project failed, and print the plain closing line CI reads.
passed=$(grep -Eo "Passed: +[0-9]+" /tmp/ccl-agent-test.log | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo "Failed: +[0-9]+" /tmp/ccl-agent-test.log | awk '{s+=$2} END {print s+0}')
echo "${passed:-0} passed, ${failed:-0} failed"
if grep -qE "^Failed!|error" /tmp/ccl-agent-test.log || [ "${passed:-0}" = 0 ]; then exit 1; fi
