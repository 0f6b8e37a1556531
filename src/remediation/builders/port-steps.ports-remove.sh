# shellcheck shell=sh
# When SERVICE publishes PORT (a port line: "PROTOCOL TARGET PUBLISHED MODE"),
# one update removes every REMOVE port line and adds every ADD port line; then
# the RESTORE port lines are published again if one is missing (docker/cli's
# --publish-rm removes every port with the same target, protocol and mode).
# Unpublish, host mode and its undo, the ingress unpublish.
if service_publishes "$SERVICE" "$PORT"; then
  update_ports "$SERVICE" "$REMOVE" "$ADD"
fi
publish_missing "$SERVICE" "$RESTORE"
