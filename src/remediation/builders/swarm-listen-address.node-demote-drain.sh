# shellcheck shell=sh
# The undo of node-settle: before the node may leave again (backout), it is
# demoted and drained, found by NODE_HOSTNAME (its ID changed on rejoin).
docker_list node ls --format '{{.ID}} {{.Hostname}} {{.Status}}'
id=$(printf '%s\n' "$listed" | awk -v h="$NODE_HOSTNAME" '$2==h && $3=="Ready" {print $1}' | head -n 1)
if [ -z "$id" ]; then echo "node $NODE_HOSTNAME is not in the swarm: nothing to demote"; exit 0; fi
if [ "$(docker node inspect -f '{{.Spec.Role}}' "$id")" = manager ]; then docker node demote "$id" >/dev/null; fi
docker node update --availability drain "$id" >/dev/null
