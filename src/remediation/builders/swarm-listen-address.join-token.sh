# shellcheck shell=sh
# The input of node-rejoin, run on a manager: the JOIN_ROLE join token.
docker swarm join-token -q "$JOIN_ROLE"
