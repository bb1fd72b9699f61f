#!/usr/bin/env bash
# Installs Debian packages for the project's scripts: apt-get as root, or through passwordless sudo, three tries
# (a mirror can fail for a moment). Usage: bash scripts/apt-install.sh <who> <package>...; <who> names the caller
# in messages. Exits non-zero when it cannot install.
set -euo pipefail
who="$1"
shift

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    echo "$who: need root to install $* (apt-get); run this script as root once" >&2
    exit 1
  fi
fi

echo "$who: installing $*" >&2
export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3; do
  if $sudo apt-get update -qq >/dev/null &&
     $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null; then
    exit 0
  fi
  echo "$who: apt-get failed (attempt $attempt of 3)" >&2
  sleep $((attempt * 10))
done
exit 1
