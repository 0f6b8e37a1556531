# shellcheck shell=sh
# node-rejoin and its undo: leaves the swarm and joins JOIN_ADDR again with
# ADVERTISE_ADDR and, when set, LISTEN_ADDR and DATA_PATH_ADDR, using
# $JOIN_TOKEN (fetched at run time, validated, assigned before this script;
# never stored). Done already when the node is active and its swarm state
# file holds JOINED_AS ("ListenAddr":"<wanted listen address>").
[ -n "${JOIN_TOKEN:-}" ] || { echo "no join token given: refusing to leave the swarm" >&2; exit 1; }
root=$(docker info -f '{{.DockerRootDir}}')
state=$(docker info -f '{{.Swarm.LocalNodeState}}')
if [ "$state" = active ] && grep -q "$JOINED_AS" "$root/swarm/docker-state.json" 2>/dev/null; then echo "already joined as wanted"; exit 0; fi
# a demoted manager must see its demotion before it may leave
i=0; while [ "$state" = active ] && [ "$(docker info -f '{{.Swarm.ControlAvailable}}')" = true ]; do i=$((i+1)); if [ "$i" -ge 60 ]; then echo "still a manager after 60s" >&2; exit 1; fi; sleep 1; done
if [ "$state" != inactive ]; then docker swarm leave --force >/dev/null; fi
set --
if [ -n "$LISTEN_ADDR" ]; then set -- "$@" --listen-addr "$LISTEN_ADDR"; fi
set -- "$@" --advertise-addr "$ADVERTISE_ADDR"
if [ -n "$DATA_PATH_ADDR" ]; then set -- "$@" --data-path-addr "$DATA_PATH_ADDR"; fi
docker swarm join "$@" --token "$JOIN_TOKEN" "$JOIN_ADDR" >/dev/null
