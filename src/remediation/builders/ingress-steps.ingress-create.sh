# shellcheck shell=sh
# Creates the ingress network the NETWORK* parameters describe unless one is
# listed, then hands it to every node: ingress-create (encrypted) and the undo
# of ingress-remove (the original).
#
# Swarm hands a new ingress network to a node only when the node object
# changes (measured on 20.10.24: a worker without tasks still had no ingress
# 50 s after the create, and had it a second after a node update). So every
# node gets a no-op update (its own availability), then we wait until every
# Ready node is an ingress peer: without that, the routing mesh answers only
# on nodes that happen to run a publishing task. An update that races the new
# network's allocation hands the node nothing: it is repeated every 10 s.
#
# The repeat changes the node's spec (the label swarm-audit.ingress-handover
# added, then at once removed; never left on a node): a worker re-reads its
# node only when more than its status and version changed. Measured on
# 20.10.24 (fault matrix, 1 of 6 scenarios): the worker's first setup lost a
# race with its own attachment store ("Failed creating ingress network: failed
# to find a load balancer IP to use for network"; dockerd queues the ingress
# setup before it records the node's addresses), nothing was created, and 60 s
# of availability-only repeats never made it try again. With the label, a
# worker that lost that race (in a backout's recreate) had the ingress at the
# first repeat, 12 s in.
if ! network_listed "$NETWORK"; then
  retry network_create
fi
hand_over() {
  docker_list node ls -q
  for id in $listed; do
    docker node update --availability "$(docker node inspect -f '{{.Spec.Availability}}' "$id")" "$id" >/dev/null
  done
}
handover_label=swarm-audit.ingress-handover
nudge() {
  docker_list node ls -q
  for id in $listed; do
    docker node update --label-add "$handover_label=1" "$id" >/dev/null && docker node update --label-rm "$handover_label" "$id" >/dev/null
  done
}
docker_list node ls --format '{{.Status}}'
want=$(printf '%s\n' "$listed" | grep -cx Ready || true)
hand_over; i=0; until [ "$(docker network inspect -f '{{len .Peers}}' "$NETWORK")" -ge "$want" ]; do i=$((i+1)); if [ "$i" -ge 60 ]; then echo "$NETWORK reached $(docker network inspect -f '{{len .Peers}}' "$NETWORK") of $want ready nodes after 60s" >&2; exit 1; fi; if [ $((i % 10)) -eq 0 ]; then nudge; fi; sleep 1; done
