# shellcheck shell=sh
# Precondition of network-create: NETWORK does not exist yet, or exists
# encrypted (from an earlier run).
if network_exists "$NETWORK"; then network_encrypted "$NETWORK"; fi
