#!/usr/bin/env bash
# Builds ccl-agent's NCCL tuner plugin (native/nccl-tuner) and its C test harness (tests/nccl-tuner):
#   native/nccl-tuner/build/libnccl-tuner-ccl-agent.so   the plugin NCCL loads (NCCL_TUNER_PLUGIN)
#   native/nccl-tuner/build/tuner-harness                 the harness (dlopens a plugin .so)
#   native/nccl-tuner/build/asan/, build/tsan/            both again with -fsanitize=address,undefined / thread
# With --test it also runs the harness against each build and fails on any failure. Idempotent; installs gcc
# and libc6-dev with apt-get when there is no C compiler (root or passwordless sudo needed then).
set -euo pipefail
cd "$(dirname "$0")/.."

run_tests=false
case "${1:-}" in
  --test) run_tests=true ;;
  "") ;;
  *) echo "usage: $0 [--test]" >&2; exit 2 ;;
esac

src=native/nccl-tuner
tests=tests/nccl-tuner
out=$src/build
lib=libnccl-tuner-ccl-agent.so

ensure_compiler() {
  if command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1; then
    return 0
  fi
  bash scripts/apt-install.sh build-tuner-plugin gcc libc6-dev
}

ensure_compiler
cc=$(command -v cc || command -v gcc)
common=(-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -pthread)

# build DIR FLAGS...: the plugin and the harness into DIR with the given optimisation/sanitizer flags.
build() {
  local dir=$1
  shift
  mkdir -p "$dir"
  "$cc" "${common[@]}" "$@" -fPIC -fvisibility=hidden -shared -o "$dir/$lib" "$src"/*.c
  "$cc" "${common[@]}" "$@" -o "$dir/tuner-harness" "$tests"/*.c -ldl
}

build "$out" -O2
# Only the four ncclTunerPlugin_vN structs may be visible to NCCL.
exported=$(nm -D --defined-only "$out/$lib" | awk '$2 ~ /^[A-Za-z]$/ && $2 != "A" {print $3}' | sort | tr '\n' ' ')
if [ "$exported" != "ncclTunerPlugin_v2 ncclTunerPlugin_v3 ncclTunerPlugin_v4 ncclTunerPlugin_v5 " ]; then
  echo "build-tuner-plugin: $lib exports '$exported', want only ncclTunerPlugin_v2..v5" >&2
  exit 1
fi
san_flags=(-O1 -g -fno-omit-frame-pointer)
build "$out/asan" "${san_flags[@]}" -fsanitize=address,undefined -fno-sanitize-recover=undefined
build "$out/tsan" "${san_flags[@]}" -fsanitize=thread
echo "build-tuner-plugin: built $out/$lib (+ asan, tsan)"

if ! $run_tests; then
  exit 0
fi

failed=0
run_suite() {
  local name=$1
  shift
  echo "== tuner harness ($name)"
  if "$@"; then
    echo "== tuner harness ($name): passed"
  else
    echo "== tuner harness ($name): FAILED" >&2
    failed=1
  fi
}

run_suite plain "$out/tuner-harness" "$out/$lib"
run_suite asan env ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  HARNESS_SCALE=0.5 "$out/asan/tuner-harness" "$out/asan/$lib"

# TSan needs a narrow address layout: without ASLR (setarch -R) it starts even on kernels with high mmap entropy.
tsan_run=()
if command -v setarch >/dev/null 2>&1 && setarch "$(uname -m)" -R true 2>/dev/null; then
  tsan_run=(setarch "$(uname -m)" -R)
fi
probe=$("${tsan_run[@]}" "$out/tsan/tuner-harness" 2>&1 || true)
if [[ "$probe" == *usage:* ]]; then
  run_suite tsan "${tsan_run[@]}" env TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 HARNESS_SCALE=0.5 \
    "$out/tsan/tuner-harness" "$out/tsan/$lib"
else
  echo "SKIP tuner harness (tsan): ThreadSanitizer cannot start on this machine: $(echo "$probe" | head -n 2)"
fi

exit "$failed"
