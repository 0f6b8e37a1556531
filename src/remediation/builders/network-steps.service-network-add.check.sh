# shellcheck shell=sh
# Precondition of service-network-add: SERVICE and NETWORK exist.
docker service inspect "$SERVICE" >/dev/null
network_exists "$NETWORK"
