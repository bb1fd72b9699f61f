#!/usr/bin/env bash
# Packs ccl-agent as a .NET tool (artifacts/package/ccl-agent.0.1.<commits>.nupkg) and proves the package installs and
# runs: it is installed into a scratch --tool-path from that folder and asked for its version and help.
#   bash scripts/pack-tool.sh              # Release, ReadyToRun for this machine's runtime (linux-x64, ...), for installing
#   bash scripts/pack-tool.sh --no-build   # pack the Debug build the tests just made (scripts/test.sh), any runtime
# ReadyToRun precompiles the assemblies, so a short command does not spend its first seconds in the JIT's unoptimised
# tier: `tune --dry-run` needs about 0.7x the CPU time of the plain build (docs/benchmarks.md, bench/tune-speed.sh).
# The package is then specific to that runtime identifier; pack on the kind of machine it will be installed on.
# Then: dotnet tool install --global --add-source artifacts/package ccl-agent
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--no-build" ]; then
  pack=(--no-build -c Debug)
else
  rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
  [ -n "$rid" ] || { echo "pack-tool: 'dotnet --info' names no runtime identifier (RID)" >&2; exit 1; }
  pack=(-c Release -r "$rid" -p:PublishReadyToRun=true)
fi

rm -rf artifacts/package
dotnet pack src/CclAgent.Cli "${pack[@]}" --nologo -v quiet >/dev/null
package=$(ls artifacts/package/ccl-agent.*.nupkg)
version=$(basename "$package" .nupkg | sed 's/^ccl-agent\.//')

tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
dotnet tool install ccl-agent --tool-path "$tools" --add-source artifacts/package --version "$version" >/dev/null
installed=$("$tools/ccl-agent" --version)
"$tools/ccl-agent" --help | grep -q "tune" || { echo "pack-tool: the installed ccl-agent does not list its verbs" >&2; exit 1; }
case "$installed" in
  "$version"*) ;;
  *) echo "pack-tool: the installed tool says version '$installed', the package is $version" >&2; exit 1 ;;
esac
echo "pack-tool: $package installs and runs (ccl-agent $installed)"
