#!/usr/bin/env bash
# Installs what the launcher integration tests need on a fresh Debian machine: Open MPI (mpirun),
# Slurm (slurmctld, slurmd, srun, sbatch) and munge (Slurm's authentication). Idempotent: does nothing
# when the programs are already there. Needs root (or passwordless sudo) the first time.
set -euo pipefail

missing=()
command -v mpirun >/dev/null 2>&1 || missing+=(openmpi-bin)
command -v slurmctld >/dev/null 2>&1 || missing+=(slurmctld)
command -v slurmd >/dev/null 2>&1 || missing+=(slurmd)
command -v srun >/dev/null 2>&1 || missing+=(slurm-client)
command -v munged >/dev/null 2>&1 || missing+=(munge)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    echo "install-launchers: need root to install ${missing[*]} (apt-get); run this script as root once" >&2
    exit 1
  fi
fi

echo "install-launchers: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# A mirror can fail for a moment: three tries before giving up.
for attempt in 1 2 3; do
  # slurm-wlm-basic-plugins comes with slurmctld/slurmd; openmpi-bin brings the runtime libraries.
  if $sudo apt-get update -qq >/dev/null &&
     $sudo apt-get install -y -qq --no-install-recommends openmpi-bin slurmctld slurmd slurm-client munge >/dev/null; then
    exit 0
  fi
  echo "install-launchers: apt-get failed (attempt $attempt of 3)" >&2
  sleep $((attempt * 10))
done
exit 1
