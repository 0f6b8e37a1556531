# shellcheck shell=sh
# node-settle, and the undo of node-drain (on a manager): waits up to
# WAIT_SECONDS until NODE_HOSTNAME is Ready exactly once (its ID changed on
# rejoin), removes the Down entry it left behind, restores AVAILABILITY and
# ROLE, then rotates the JOIN_ROLE join token: the rejoin received it, so SSM
# keeps a copy in the command's parameters; rotating again is harmless.
ready() { docker node ls --format '{{.ID}} {{.Hostname}} {{.Status}}' | awk -v h="$NODE_HOSTNAME" '$2==h && $3=="Ready" {print $1}'; }
i=0; until [ "$(ready | wc -l)" -eq 1 ]; do i=$((i+1)); if [ "$i" -ge "$WAIT_SECONDS" ]; then echo "node $NODE_HOSTNAME is not Ready (exactly once) after ${WAIT_SECONDS}s" >&2; exit 1; fi; sleep 1; done
id=$(ready)
# the entry the node left behind when it rejoined: Down, same hostname
docker_list node ls --format '{{.ID}} {{.Hostname}} {{.Status}}'
for old in $(printf '%s\n' "$listed" | awk -v h="$NODE_HOSTNAME" '$2==h && $3!="Ready" {print $1}'); do
  if [ "$(docker node inspect -f '{{.Spec.Role}}' "$old")" = manager ]; then docker node demote "$old" >/dev/null || true; fi
  docker node rm --force "$old" >/dev/null
done
docker node update --availability "$AVAILABILITY" "$id" >/dev/null
if [ "$ROLE" = manager ]; then
  if [ "$(docker node inspect -f '{{.Spec.Role}}' "$id")" != manager ]; then docker node promote "$id" >/dev/null; fi
  i=0; until [ "$(docker node inspect -f '{{with .ManagerStatus}}{{.Reachability}}{{end}}' "$id")" = reachable ]; do i=$((i+1)); if [ "$i" -ge "$WAIT_SECONDS" ]; then echo "manager $NODE_HOSTNAME not reachable after ${WAIT_SECONDS}s" >&2; exit 1; fi; sleep 1; done
else
  if [ "$(docker node inspect -f '{{.Spec.Role}}' "$id")" != worker ]; then docker node demote "$id" >/dev/null; fi
fi
# the join token this rejoin used is in SSM's command history: make it worthless
docker swarm join-token --rotate -q "$JOIN_ROLE" >/dev/null
