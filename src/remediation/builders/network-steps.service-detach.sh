# shellcheck shell=sh
# Detaches SERVICE from NETWORK when it is attached: service-network-rm, and
# the undo of service-network-add.
if service_attached "$SERVICE" "$NETWORK"; then
  docker service update --quiet --network-rm "$NETWORK" "$SERVICE" >/dev/null
fi
