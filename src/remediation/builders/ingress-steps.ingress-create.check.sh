# shellcheck shell=sh
# Precondition of ingress-create: no ingress network NETWORK is listed, or the
# encrypted one from an earlier run.
if network_listed "$NETWORK"; then network_encrypted "$NETWORK"; fi
