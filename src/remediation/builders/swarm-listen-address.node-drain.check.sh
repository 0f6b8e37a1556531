# shellcheck shell=sh
# Precondition of node-drain: the node (NODE_ID, NODE_HOSTNAME) is Ready, has
# no node labels (a rejoin would lose them) and its hostname is unique; a
# manager (ROLE) only while demoting it keeps raft quorum.
[ "$(docker node ls --format '{{.Hostname}}' | grep -cx "$NODE_HOSTNAME")" -eq 1 ]
[ "$(docker node inspect -f '{{.Status.State}} {{len .Spec.Labels}}' "$NODE_ID")" = 'ready 0' ]
if [ "$ROLE" = manager ]; then
  total=$(docker node ls --filter role=manager -q | wc -l)
  reach=$(docker node ls --filter role=manager --format '{{.ManagerStatus}}' | grep -cE 'Leader|Reachable' || true)
  # after demoting one reachable manager, the rest must still hold a majority of themselves
  [ "$total" -ge 2 ] && [ $((reach - 1)) -ge $(( (total - 1) / 2 + 1 )) ]
fi
