#!/usr/bin/env bash
# CTest fixture: a hermetic one-node Slurm cluster (Debian's slurm-wlm 22.05 and munge) for the Slurm executor's
# integration tests, or its teardown.
#   slurm_fixture.sh start|stop <state dir>
# Everything lives in <state dir>: its own munge key and munged socket, slurm.conf with free loopback ports
# (NodeAddr=127.0.0.1, one node named `hostname -s` with 2 CPUs, partition `debug`), state, spool, pid and log
# files. Nothing is written to /etc. Tests read <state dir>/env (SLURM_CONF=...); where the cluster cannot run (not
# root, or slurm-wlm/munge not installed) only <state dir>/unavailable is written, with the reason, and the tests
# skip with that message. `stop` ends every daemon this fixture started (by the pids it recorded).
set -euo pipefail
action=$1
state_dir=$(realpath -m "$2")  # absolute: slurm.conf and the daemons must not depend on a working directory

stop_daemons() {
  # Jobs first, while slurmctld still answers, so no slurmstepd or worker outlives the cluster.
  if [[ -f "$state_dir/slurmctld.pid" && -f "$state_dir/slurm.conf" ]]; then
    SLURM_CONF="$state_dir/slurm.conf" scancel --quiet --full --user=root 2>/dev/null || true
    for _ in $(seq 1 50); do
      [[ -z "$(SLURM_CONF="$state_dir/slurm.conf" squeue -h -t running,completing,suspended -o %i 2>/dev/null)" ]] && break
      sleep 0.1
    done
  fi
  # All three at once: each takes about 2 s to end gracefully.
  local pids=()
  for name in slurmd slurmctld munged; do
    local pid_file="$state_dir/$name.pid"
    [[ -f "$pid_file" ]] || continue
    pids+=("$(cat "$pid_file")")
    rm -f "$pid_file"
  done
  if ((${#pids[@]} > 0)); then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "${pids[@]}" 2>/dev/null || break; sleep 0.05; done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  fi
  # A step daemon left over (a job that ignored its cancel) inherited this cluster's SLURM_CONF from slurmd.
  for pid in $(pgrep -x slurmstepd || true); do
    if tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx "SLURM_CONF=$state_dir/slurm.conf"; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

if [[ "$action" == "stop" ]]; then
  stop_daemons
  exit 0
fi

unavailable() {
  echo "$1" > "$state_dir/unavailable"
  echo "slurm fixture: $1" >&2
  exit 0
}

[[ -d "$state_dir" ]] && stop_daemons
rm -rf "$state_dir"
mkdir -p "$state_dir"
if [[ $(id -u) -ne 0 ]]; then
  unavailable "the Slurm tests need root (slurmd runs jobs as their user; SlurmUser=root): run ctest as root"
fi
for program in munged slurmctld slurmd sbatch squeue; do
  if ! command -v "$program" >/dev/null && [[ ! -x "/usr/sbin/$program" ]]; then
    unavailable "$program is not installed: scripts/install-deps.sh --test installs slurm-wlm and munge"
  fi
done
export PATH="$PATH:/usr/sbin"

# Two distinct free ports in one call (Debian's python3: a version manager's shim can take seconds to start).
read -r ctld_port slurmd_port < <(/usr/bin/python3 -c '
import socket
sockets = [socket.socket() for _ in range(2)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in sockets])')

# munge: its own key (1 KiB of random bytes, owner munge, mode 400) and socket; munged runs as the munge user.
mkdir -p "$state_dir/munge" "$state_dir/ctld" "$state_dir/spool" "$state_dir/log"
chmod 755 "$state_dir"
head -c 1024 /dev/urandom > "$state_dir/munge/munge.key"
chown -R munge:munge "$state_dir/munge"
chmod 700 "$state_dir/munge"
chmod 400 "$state_dir/munge/munge.key"
socket="$state_dir/munge/munge.socket"
# --force: the state directory's ancestors (a build tree) need not pass munged's strict ownership checks.
runuser -u munge -- munged --force --key-file="$state_dir/munge/munge.key" --socket="$socket" \
  --pid-file="$state_dir/munge/munged.pid" --log-file="$state_dir/munge/munged.log" \
  --seed-file="$state_dir/munge/munged.seed"
for _ in $(seq 1 50); do [[ -s "$state_dir/munge/munged.pid" ]] && break; sleep 0.05; done
cp "$state_dir/munge/munged.pid" "$state_dir/munged.pid"

node=$(hostname -s)
cat > "$state_dir/slurm.conf" <<CONF
ClusterName=live2test
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
# cred_expire also sets how long a requeued job waits before it may start again (default 120 s; 5 s here, so the
# requeue test waits little).
AuthInfo=socket=$socket,cred_expire=5
StateSaveLocation=$state_dir/ctld
SlurmdSpoolDir=$state_dir/spool
SlurmctldPidFile=$state_dir/ctld/slurmctld.pid
SlurmdPidFile=$state_dir/spool/slurmd.pid
SlurmctldLogFile=$state_dir/log/slurmctld.log
SlurmdLogFile=$state_dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
MinJobAge=$([[ -n "${LIVE2_SLURM_MIN_JOB_AGE:-}" ]] && echo "$LIVE2_SLURM_MIN_JOB_AGE" || echo 30)
# Small in the ctest fixture (CMakeLists.txt), so a test dataset of a few runs is split into several arrays.
MaxArraySize=${LIVE2_SLURM_MAX_ARRAY_SIZE:-1001}
KillWait=5
SchedulerParameters=sched_interval=1,sched_min_interval=0
# RealMemory: jobs ask for memory (--mem); memory is not a consumable resource (CR_Core), but a node of the
# default 1 MB would refuse every request. 2 GB: below any machine this runs on (slurmd drains a node that has less).
NodeName=$node NodeAddr=127.0.0.1 CPUs=2 RealMemory=2048 State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=60 State=UP
CONF
echo "SLURM_CONF=$state_dir/slurm.conf" > "$state_dir/env"
export SLURM_CONF="$state_dir/slurm.conf"

setsid slurmctld -D -i -f "$SLURM_CONF" > "$state_dir/log/slurmctld.out" 2>&1 < /dev/null &
echo $! > "$state_dir/slurmctld.pid"
setsid slurmd -D -f "$SLURM_CONF" > "$state_dir/log/slurmd.out" 2>&1 < /dev/null &
echo $! > "$state_dir/slurmd.pid"

for _ in $(seq 1 300); do
  if [[ "$(sinfo -h -n "$node" -o %T 2>/dev/null)" == "idle" ]]; then
    echo "slurm fixture: node $node idle after ${SECONDS}s (SLURM_CONF=$SLURM_CONF)" >&2
    exit 0
  fi
  sleep 0.1
done
echo "slurm fixture: the cluster did not come up in 30 s; its logs:" >&2
tail -n 30 "$state_dir"/log/* "$state_dir/munge/munged.log" >&2 || true
stop_daemons
exit 1
