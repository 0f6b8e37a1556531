#!/usr/bin/env bash
# Captures the probe fixtures (test/fixtures/probe/<scenario>.{stdout,stderr,rc})
# from REAL Docker 20.10 daemons: builds small swarms in network namespaces
# (prefix swc-, subnet 10.77.201.0/24, overlay pool 10.77.202.0/24), runs
# src/probe/probe.sh inside each node's namespace, and tears everything down
# on exit (also on failure). Needs root, dockerd, busybox-static, iproute2.
#
#   sudo scripts/capture-probe-fixtures.sh            # all scenarios
#
# Only touches what it creates: namespaces swc-*, links swc-*, /tmp/swc-capture.
set -euo pipefail

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
REPO=$(cd "$(dirname "$0")/.." && pwd)
PROBE="$REPO/src/probe/probe.sh"
OUT="$REPO/test/fixtures/probe"
RAW="$REPO/test/fixtures/docker"
WORK=/tmp/swc-capture
BRIDGE=swc-br0
NET=10.77.201
POOL=10.77.202.0/24
DOCKER=/usr/bin/docker
IMAGE=local/busybox:1

declare -A NODE_IP=([m1]=$NET.11 [m2]=$NET.12 [w1]=$NET.21 [w2]=$NET.22 [b1]=$NET.31 [s1]=$NET.41)
STARTED_NODES=()

log() { printf '[capture] %s\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || { echo "capture-probe-fixtures: must run as root" >&2; exit 3; }
[ -x /usr/sbin/dockerd ] || { echo "capture-probe-fixtures: /usr/sbin/dockerd missing" >&2; exit 3; }
[ -e "$WORK" ] && { echo "capture-probe-fixtures: $WORK exists (previous run?); remove it first" >&2; exit 3; }

dk() { # dk NODE ARGS...: docker CLI against that node's daemon
  local node=$1; shift
  DOCKER_HOST="unix://$WORK/$node/sock" HOME="$WORK/home" "$DOCKER" "$@"
}

stop_dockerd() {
  local node=$1 pidfile="$WORK/$1/dockerd.pid" pid
  [ -s "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

# Leftover containerd shims of our daemons are recognised by our work path.
kill_our_shims() {
  local pid
  for pid in $(pgrep -f "containerd-shim.*$WORK/" || true); do
    grep -q "$WORK/" "/proc/$pid/cmdline" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  done
}

cleanup() {
  local rc=$? node
  set +e
  log "tearing down"
  for node in "${STARTED_NODES[@]}"; do stop_dockerd "$node" & done
  wait
  kill_our_shims
  awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
  for node in "${!NODE_IP[@]}"; do
    ip netns del "swc-$node" 2>/dev/null
    ip link del "swc-$node-h" 2>/dev/null
  done
  ip link del "$BRIDGE" 2>/dev/null
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

# in_node NODE CMD...: runs CMD in NODE's network namespace and in a UTS
# namespace of its own named like an EC2 host (ip-10-77-201-11), so nodes and
# probe records carry distinct hostnames as on a real fleet.
in_node() {
  local node=$1; shift
  local ip=${NODE_IP[$node]}
  nsenter --net="/var/run/netns/swc-$node" unshare --uts -- \
    sh -c 'hostname "$0" && exec "$@"' "ip-${ip//./-}" "$@"
}

start_dockerd() {
  local node=$1 dir="$WORK/$1"
  mkdir -p "$dir/root" "$dir/exec"
  in_node "$node" /usr/sbin/dockerd \
    --data-root "$dir/root" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
    -H "unix://$dir/sock" --storage-driver vfs --iptables=false --ip6tables=false --bridge=none \
    >>"$dir/dockerd.log" 2>&1 &
  for _ in $(seq 1 120); do
    dk "$node" version --format '{{.Server.Version}}' >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "dockerd of $node did not come up; log tail:" >&2; tail -n 20 "$dir/dockerd.log" >&2
  return 1
}

# node_up NODE [build-image]: namespace, veth to the bridge, dockerd, image.
node_up() {
  local node=$1 ip=${NODE_IP[$1]}
  ip netns add "swc-$node"
  ip link add "swc-$node-h" type veth peer name "swc-$node-n"
  ip link set "swc-$node-h" master "$BRIDGE" up
  ip link set "swc-$node-n" netns "swc-$node"
  ip -n "swc-$node" addr add "$ip/24" dev "swc-$node-n"
  ip -n "swc-$node" link set "swc-$node-n" up
  ip -n "swc-$node" link set lo up
  STARTED_NODES+=("$node")
  start_dockerd "$node"
  if [ "${2:-}" = build-image ]; then
    build_image "$node"
  else
    dk "$node" load -q -i "$WORK/image.tar" >/dev/null
  fi
}

build_image() { # build_image NODE: import busybox-static there, save it for the others
  local node=$1 rootfs="$WORK/rootfs"
  mkdir -p "$rootfs/bin"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in sh sleep nc httpd ping; do ln -s busybox "$rootfs/bin/$applet"; done
  tar -C "$rootfs" -c . | dk "$node" import --change 'CMD ["/bin/sleep","3600"]' - "$IMAGE" >/dev/null
  dk "$node" save -o "$WORK/image.tar" "$IMAGE"
}

# Wrapper: runs its command in a private mount namespace where iproute2's ip
# is BusyBox's ip applet (as on a host without iproute2), which has no xfrm.
BUSYBOX_IP=(unshare --mount --propagation private -- sh -c 'mount --bind /bin/busybox "$(readlink -f /usr/sbin/ip)" && exec "$@"' busybox-ip)

# Path dir holding every command of the standard PATH except the named ones.
path_without() {
  local dir="$WORK/path-without-$1" d f name
  mkdir -p "$dir"
  for d in /usr/sbin /usr/bin /sbin /bin; do
    for f in "$d"/*; do
      name=${f##*/}
      [[ " $* " == *" $name "* ]] && continue
      [ -e "$dir/$name" ] || ln -s "$f" "$dir/$name"
    done
  done
  printf '%s' "$dir"
}

# capture SCENARIO NODE [VAR=VALUE...] [-- wrapper...]: runs the probe like
# AWS-RunShellScript does (sh on a script file) inside NODE's namespace.
capture() {
  local scenario=$1 node=$2; shift 2
  local vars=(PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$WORK/home" DOCKER_HOST="unix://$WORK/$node/sock"
    SWARM_AUDIT_DOCKERD_LOG="$WORK/$node/dockerd.log")
  local wrapper=()
  while [ $# -gt 0 ]; do
    if [ "$1" = -- ]; then shift; wrapper=("$@"); break; fi
    vars+=("$1"); shift
  done
  local rc=0
  in_node "$node" "${wrapper[@]}" env -i "${vars[@]}" sh "$WORK/probe.sh" \
    >"$OUT/$scenario.stdout" 2>"$OUT/$scenario.stderr" || rc=$?
  echo "$rc" >"$OUT/$scenario.rc"
  log "$scenario: rc=$rc, $(wc -c <"$OUT/$scenario.stdout") chars"
}

wait_tasks_running() { # wait_tasks_running MANAGER: until every service has its replicas
  local node=$1
  for _ in $(seq 1 90); do
    if ! dk "$node" service ls --format '{{.Replicas}}' | awk -F'[/ ]' '$1 != $2 { bad = 1 } END { exit bad }'; then
      sleep 1
    else
      return 0
    fi
  done
  log "warning: not all tasks running on $node's cluster"; dk "$node" service ls >&2
}

create_service() { # create_service MANAGER NAME ARGS...
  local node=$1 name=$2; shift 2
  dk "$node" service create -d -q --no-resolve-image --name "$name" "$@" "$IMAGE" >/dev/null
}

main() {
  mkdir -p "$WORK/home" "$OUT" "$RAW"
  chmod 755 "$WORK" "$WORK/home"
  cp "$PROBE" "$WORK/probe.sh"
  chmod 644 "$WORK/probe.sh"

  ip link add "$BRIDGE" type bridge
  ip link set "$BRIDGE" up
  node_up m1 build-image
  local node
  for node in m2 w1 w2 b1 s1; do node_up "$node"; done

  log "cluster A: m1 bound manager, m2 wildcard manager, w1 wildcard worker, w2 bound worker"
  dk m1 swarm init --listen-addr "${NODE_IP[m1]}:2377" --advertise-addr "${NODE_IP[m1]}" \
    --default-addr-pool "$POOL" --default-addr-pool-mask-length 28 >/dev/null
  local mtoken wtoken
  mtoken=$(dk m1 swarm join-token -q manager)
  wtoken=$(dk m1 swarm join-token -q worker)
  dk m2 swarm join --advertise-addr "${NODE_IP[m2]}" --token "$mtoken" "${NODE_IP[m1]}:2377" >/dev/null
  dk w1 swarm join --advertise-addr "${NODE_IP[w1]}" --token "$wtoken" "${NODE_IP[m1]}:2377" >/dev/null
  dk w2 swarm join --listen-addr "${NODE_IP[w2]}:2377" --advertise-addr "${NODE_IP[w2]}" \
    --token "$wtoken" "${NODE_IP[m1]}:2377" >/dev/null

  dk m1 network create -d overlay --opt encrypted enc >/dev/null
  dk m1 network create -d overlay plain >/dev/null
  dk m1 network create -d overlay --opt encrypted=false encfalse >/dev/null
  dk m1 network create -d overlay --attachable --label com.docker.stack.namespace=shop shop_default >/dev/null
  create_service m1 web --network name=plain,alias=webalias --publish published=8080,target=80 --replicas 1
  create_service m1 hostsvc --publish mode=host,published=9090,target=90 --replicas 1
  create_service m1 api --network enc --replicas 1
  create_service m1 legacy --network encfalse --replicas 1
  create_service m1 shop_cart --network name=shop_default,alias=cart --label com.docker.stack.namespace=shop \
    --replicas 1
  # Global on the encrypted network: every node then holds IPsec policies for its peers.
  create_service m1 monitor --network enc --mode global
  wait_tasks_running m1
  sleep 5

  capture manager-bound m1
  capture manager-wildcard m2
  capture worker-wildcard w1
  capture worker-bound w2
  capture no-ss m1 PATH="$(path_without ss)"
  capture docker-missing m1 PATH="$(path_without docker)"
  capture docker-down m1 DOCKER_HOST="unix://$WORK/dead.sock"
  capture permission-denied m1 -- setpriv --reuid=65534 --regid=65534 --clear-groups
  capture worker-busybox-ip w1 -- "${BUSYBOX_IP[@]}"
  capture worker-no-dockerd-log w2 PATH="$(path_without journalctl)" SWARM_AUDIT_DOCKERD_LOG=

  log "raw docker JSON for reference"
  dk m1 service inspect web hostsvc api legacy shop_cart >"$RAW/service-inspect.json"
  dk m1 network inspect enc plain encfalse ingress shop_default >"$RAW/network-inspect.json"
  dk m1 node inspect self >"$RAW/node-inspect-manager.json"
  dk m1 info --format '{{json .Swarm}}' >"$RAW/info-swarm-manager.json"
  dk w1 info --format '{{json .Swarm}}' >"$RAW/info-swarm-worker.json"
  cp "$WORK/m1/root/swarm/docker-state.json" "$RAW/docker-state-bound.json"
  cp "$WORK/w1/root/swarm/docker-state.json" "$RAW/docker-state-wildcard.json"

  log "cluster B: b1, independent single manager"
  dk b1 swarm init --advertise-addr "${NODE_IP[b1]}" --default-addr-pool "$POOL" \
    --default-addr-pool-mask-length 28 >/dev/null
  dk b1 network create -d overlay --opt encrypted backend >/dev/null
  create_service b1 queue --network backend --replicas 1
  create_service b1 front --network backend --publish published=80,target=8080 --replicas 1
  wait_tasks_running b1
  capture manager-single-cluster-b b1
  capture manager-single-busybox-ip b1 -- "${BUSYBOX_IP[@]}"

  log "cluster B grows to 12 services / 8 overlay networks"
  local i
  for i in 1 2 3 4 5; do
    dk b1 network create -d overlay --opt encrypted --label "team=t$i" "net$i" >/dev/null
  done
  # Most services join it: a /28 from the pool would run out of addresses.
  dk b1 network create -d overlay --attachable --subnet 10.77.202.192/26 shared >/dev/null
  for i in 1 2 3 4 5; do
    create_service b1 "svc$i" --network "name=net$i,alias=svc$i-alias" --network shared \
      --label "team=t$i" --replicas 1
  done
  create_service b1 metrics --mode global --network shared --publish published=9100,target=9100
  create_service b1 cron --network backend --replicas 0
  create_service b1 gateway --network backend --network shared --publish published=443,target=8443 \
    --publish mode=host,published=8444,target=8444 --replicas 1
  create_service b1 cache --network net1 --endpoint-mode dnsrr --replicas 1
  create_service b1 worker --network net2 --network net3 --replicas 2
  wait_tasks_running b1
  capture many-services b1

  log "cluster B grows to a typical manager: 20 services / 10 overlay networks"
  dk b1 network create -d overlay --opt encrypted --label com.docker.stack.namespace=shop shop_default >/dev/null
  dk b1 network create -d overlay --label com.docker.stack.namespace=ops ops_default >/dev/null
  for i in 1 2 3 4; do
    create_service b1 "shop_app$i" --network name=shop_default,alias="app$i" \
      --label com.docker.stack.namespace=shop --label "com.docker.stack.image=local/busybox:1" --replicas 1
  done
  create_service b1 shop_web --network shop_default --network shared --publish published=8080,target=80 \
    --label com.docker.stack.namespace=shop --replicas 1
  create_service b1 ops_agent --network ops_default --mode global --label com.docker.stack.namespace=ops
  create_service b1 ops_logs --network ops_default --publish mode=host,published=5140,target=5140 \
    --label com.docker.stack.namespace=ops --replicas 1
  create_service b1 ops_alerts --network ops_default --network backend --label com.docker.stack.namespace=ops --replicas 1
  wait_tasks_running b1
  capture manager-typical b1

  log "s1: no swarm, then an autolocked swarm after a daemon restart"
  capture swarm-inactive s1
  dk s1 swarm init --autolock --listen-addr "${NODE_IP[s1]}:2377" --advertise-addr "${NODE_IP[s1]}" \
    --default-addr-pool "$POOL" --default-addr-pool-mask-length 28 >/dev/null
  stop_dockerd s1
  start_dockerd s1
  capture swarm-locked s1

  log "done; fixtures in $OUT"
}

main "$@"
