#!/usr/bin/env bash
# Configures and starts a single-node Slurm cluster on this machine (munged, slurmctld, slurmd) for the
# launcher integration tests: one partition "debug" holding this host, with the CPU count raised to 8 so
# that `srun -n 4` fits on a 2-core CI machine. Idempotent: returns at once when the node already answers.
# Writes /etc/slurm/slurm.conf (only when it is absent or was written by this script). Needs root.
set -euo pipefail

marker="# written by ccl-agent scripts/slurm-up.sh"
conf=/etc/slurm/slurm.conf
node="$(hostname -s)"

if sinfo -h -n "$node" -o "%T" 2>/dev/null | grep -qE "^(idle|mixed|allocated)"; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "slurm-up: need root to start munged, slurmctld and slurmd" >&2
  exit 1
fi

if [ -f "$conf" ] && ! grep -qF "$marker" "$conf"; then
  echo "slurm-up: $conf exists and was not written by this script; not touching it" >&2
  exit 1
fi

mem_mb=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
cat >"$conf" <<CONF
$marker
ClusterName=ccl-agent-ci
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
InactiveLimit=0
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 CPUs=8 RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE
CONF

# munge: a key is created by the package; make one if it is missing.
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
chmod 0700 /etc/munge && chmod 0400 /etc/munge/munge.key
pgrep -x munged >/dev/null || runuser -u munge -- /usr/sbin/munged
pgrep -x slurmctld >/dev/null || /usr/sbin/slurmctld
pgrep -x slurmd >/dev/null || /usr/sbin/slurmd

for _ in $(seq 1 60); do
  state=$(sinfo -h -n "$node" -o "%T" 2>/dev/null || true)
  case "$state" in
    idle*|mixed*|allocated*) exit 0 ;;
    down*|drain*) scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 1
done
echo "slurm-up: node $node did not become idle within 60 s (state: ${state:-none}); see /var/log/slurm/" >&2
exit 1
