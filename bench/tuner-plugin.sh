#!/usr/bin/env bash
# Measures ccl-agent's NCCL tuner plugin: getCollInfo median/p99 over 10^6 calls on a 1,000-row table (decision
# log off and on, the rate-limited reload check included) and the time to reload a 1,000-row table.
# Targets (issue 13): getCollInfo <= 1 us median, reload <= 5 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-tuner-plugin.sh >/dev/null
native/nccl-tuner/build/tuner-harness --bench native/nccl-tuner/build/libnccl-tuner-ccl-agent.so
