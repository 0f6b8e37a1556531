# shellcheck shell=sh
# Publishes the PORTS port lines on SERVICE when one is missing (one update;
# Docker skips those it has): the ingress republish, and the undo of an
# unpublish.
publish_missing "$SERVICE" "$PORTS"
