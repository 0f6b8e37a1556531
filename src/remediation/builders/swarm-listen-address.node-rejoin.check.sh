# shellcheck shell=sh
# Precondition of node-rejoin: the docker daemon answers and the node is
# active in a swarm (or left it in an earlier run).
docker info -f '{{.Swarm.LocalNodeState}}' | grep -qxE 'active|inactive'
