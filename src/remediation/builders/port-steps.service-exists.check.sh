# shellcheck shell=sh
# Precondition of a port change: SERVICE exists.
docker service inspect "$SERVICE" >/dev/null
