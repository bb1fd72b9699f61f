#!/usr/bin/env bash
# Memory must never cost trials: for every ordered pair (A, B) of shipped scenarios, A (seed 1) runs into a
# fresh memory, then B runs with that memory and B runs cold; memory-matrix.md lists the oracle fraction at
# trials 1, 2, 4, 8, 16 and flags every pair where warm < cold - 0.5 %. See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/bench-memory-matrix}"
dotnet run --project src/CclAgent.Cli -c Release -- bench --scenarios workload/sim --budget 16 --memory-matrix --out "$out"
