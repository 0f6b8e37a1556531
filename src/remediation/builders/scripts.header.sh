# shellcheck shell=sh
# The preamble of every planned script (forward, precondition, undo, input),
# printed once at the top of a plan and of a backout; scripts.functions.sh
# follows it. Parameter: DAEMON_WAIT_SECONDS, how long to wait for dockerd.
# Docker's CLI fails the same way (exit 1) for "no such network" and for
# "Cannot connect to the Docker daemon", so a guard like `if docker network
# inspect X` read a restarting dockerd as "X absent" and an undo exited 0
# without undoing. So: first wait, bounded, until the daemon answers; then
# every existence test goes through docker_object, which answers "absent" only
# when Docker says the object does not exist and ends the script on any other
# error (the daemon going away mid-script included). This comment block is not
# sent (scripts.ts strips a template's leading comments).
set -eu
# values are data: no pathname expansion of an unquoted expansion anywhere
set -f
# daemon_ready: dockerd answers and, on a manager, so does the swarm control plane (no leader yet right after a restart)
daemon_ready() {
  waiting_for="docker daemon not reachable"
  daemon_error=$(docker version --format '{{.Server.Version}}' 2>&1 >/dev/null) || return 1
  [ "$(docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" = true ] || return 0
  waiting_for="swarm manager not answering"
  daemon_error=$(docker node ls -q 2>&1 >/dev/null)
}
t0=$(date +%s)
until daemon_ready; do
  if [ $(( $(date +%s) - t0 )) -ge "$DAEMON_WAIT_SECONDS" ]; then echo "$waiting_for after $DAEMON_WAIT_SECONDS s: $daemon_error" >&2; exit 1; fi
  sleep 1
done
# docker_object KIND NAME FORMAT: 0 with $object set when it exists, 1 when Docker says it does not; any other failure ends the script
docker_object() {
  if object=$(docker "$1" inspect --format "$3" "$2" 2>&1); then return 0; fi
  case $object in
    *"No such $1"*|*"no such $1"*|*"$1 $2 not found"*) return 1 ;;
  esac
  echo "docker $1 inspect $2 failed: $object" >&2
  exit 1
}
# docker_list ARGS...: sets $listed to the output of docker ARGS; any failure ends the script (also inside an if or a loop condition)
docker_list() {
  listed=$(docker "$@") || { echo "docker $* failed" >&2; exit 1; }
}
