#!/usr/bin/env bash
# CTest fixture: Debian's OpenSSH server on a free loopback port, as the "login node" of the Slurm executor's ssh
# mode, or its teardown.
#   sshd_fixture.sh start <state dir> <slurm.conf> | stop <state dir>
# Everything lives in <state dir>: sshd_config, a host key, a client key authorized for the current user,
# known_hosts with the host key (strict checking works), the pid file and log. Sessions get SLURM_CONF=<slurm.conf>
# (sshd's SetEnv), so the fixture cluster's commands answer over ssh. Tests read <state dir>/env; where sshd cannot
# run (not installed, not root) only <state dir>/unavailable is written, with the reason. The one thing outside the
# state dir is /run/sshd, the empty directory sshd requires for privilege separation.
set -euo pipefail
action=$1
state_dir=$(realpath -m "$2")

if [[ "$action" == "stop" ]]; then
  if [[ -f "$state_dir/sshd.pid" ]]; then
    kill "$(cat "$state_dir/sshd.pid")" 2>/dev/null || true
    rm -f "$state_dir/sshd.pid"
  fi
  exit 0
fi

slurm_conf=$3
rm -rf "$state_dir"
mkdir -p "$state_dir"
unavailable() {
  echo "$1" > "$state_dir/unavailable"
  echo "sshd fixture: $1" >&2
  exit 0
}
[[ $(id -u) -eq 0 ]] || unavailable "the ssh tests need root (sshd logs users in): run ctest as root"
for program in /usr/sbin/sshd /usr/bin/ssh /usr/bin/ssh-keygen; do
  [[ -x "$program" ]] || unavailable "$program is not installed: scripts/install-deps.sh --test installs openssh-server"
done
mkdir -p /run/sshd

ssh-keygen -q -t ed25519 -N '' -f "$state_dir/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$state_dir/client_key"
cp "$state_dir/client_key.pub" "$state_dir/authorized_keys"
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "[127.0.0.1]:$port $(cut -d' ' -f1-2 "$state_dir/host_key.pub")" > "$state_dir/known_hosts"
cat > "$state_dir/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $state_dir/host_key
PidFile $state_dir/sshd.pid
AuthorizedKeysFile $state_dir/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
SetEnv SLURM_CONF=$slurm_conf
CONF
/usr/sbin/sshd -f "$state_dir/sshd_config" -E "$state_dir/sshd.log"
for _ in $(seq 1 50); do
  if [[ -s "$state_dir/sshd.pid" ]] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    cat > "$state_dir/env" <<ENV
LIVE2_SLURM_SSH_HOST=$(id -un)@127.0.0.1
LIVE2_SLURM_SSH_PORT=$port
LIVE2_SLURM_SSH_KEY=$state_dir/client_key
LIVE2_SLURM_SSH_KNOWN_HOSTS=$state_dir/known_hosts
ENV
    exit 0
  fi
  sleep 0.1
done
echo "sshd fixture: sshd did not start; its log:" >&2
cat "$state_dir/sshd.log" >&2 || true
exit 1
