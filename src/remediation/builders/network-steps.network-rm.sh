# shellcheck shell=sh
# Removes NETWORK when it exists: network-remove, and the undo of
# network-create.
if network_exists "$NETWORK"; then
  retry docker network rm "$NETWORK" >/dev/null
fi
