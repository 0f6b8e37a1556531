# shellcheck shell=sh
# Creates the overlay network the NETWORK* parameters describe (see
# network_create in scripts.functions.sh) unless a network of that name
# exists: network-create (the encrypted copy) and the undo of network-remove
# (the original, as it was).
if network_exists "$NETWORK"; then echo "$NETWORK exists already"; exit 0; fi
retry network_create
