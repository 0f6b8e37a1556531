# shellcheck shell=sh
# Precondition of ingress-republish: NETWORK exists and is encrypted.
network_encrypted "$NETWORK"
