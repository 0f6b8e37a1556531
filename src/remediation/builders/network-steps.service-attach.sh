# shellcheck shell=sh
# Attaches SERVICE to NETWORK unless it is: ATTACHMENT is docker's
# --network-add value (name=NETWORK,alias=...,driver-opt=...). service-network-add,
# and the undo of service-network-rm.
if service_attached "$SERVICE" "$NETWORK"; then echo already attached; exit 0; fi
docker service update --quiet --network-add "$ATTACHMENT" "$SERVICE" >/dev/null
