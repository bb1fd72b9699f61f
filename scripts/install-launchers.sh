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

# slurm-wlm-basic-plugins comes with slurmctld/slurmd; openmpi-bin brings the runtime libraries.
exec bash "$(dirname "$0")/apt-install.sh" install-launchers openmpi-bin slurmctld slurmd slurm-client munge
