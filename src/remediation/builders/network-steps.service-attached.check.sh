# shellcheck shell=sh
# Precondition of service-network-rm: SERVICE is attached to NETWORK (the one
# it moved to: never strand a service without its network).
service_attached "$SERVICE" "$NETWORK"
