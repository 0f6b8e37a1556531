# shellcheck shell=sh
# node-drain: a manager (ROLE) is demoted first, so raft never counts a
# leaving member; then the node NODE_ID is drained.
if [ "$ROLE" = manager ] && [ "$(docker node inspect -f '{{.Spec.Role}}' "$NODE_ID")" = manager ]; then docker node demote "$NODE_ID" >/dev/null; fi
docker node update --availability drain "$NODE_ID" >/dev/null
