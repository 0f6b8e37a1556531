# shellcheck shell=sh
# Precondition of node-settle: this manager answers.
docker node ls -q >/dev/null
