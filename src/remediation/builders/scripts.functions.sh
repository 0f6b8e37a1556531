# shellcheck shell=sh
# Functions the step templates share, sent after scripts.header.sh (they use
# its docker_object and docker_list). A parameter holding a list (ports,
# options, labels) has one element per line; no element holds a newline
# (quote.ts refuses control characters), and set -f is on, so splitting one
# on newlines yields exactly its elements.
nl='
'

# network_exists NAME: 0 with the network's ID in $object, 1 when Docker says there is no such network
network_exists() {
  docker_object network "$1" '{{.Id}}'
}

# network_encrypted NAME: the network exists and has the encrypted option
network_encrypted() {
  docker_object network "$1" '{{json .Options}}' && printf '%s' "$object" | grep -q '"encrypted":'
}

# network_listed NAME: the manager lists an overlay network of that name (ingress stays listed a while after its removal)
network_listed() {
  docker_list network ls --filter driver=overlay --format '{{.Name}}' && printf '%s\n' "$listed" | grep -qx "$1"
}

# service_attached SERVICE NETWORK: the service's spec attaches the network (compared by ID, resolved now); false when either is absent
service_attached() {
  docker_object network "$2" '{{.Id}}' && nid=$object &&
  docker_object service "$1" '{{range .Spec.TaskTemplate.Networks}}{{.Target}} {{end}}' &&
  printf '%s' "$object" | tr ' ' '\n' | grep -qx "$nid"
}

# service_publishes SERVICE PORT: the service publishes the port line "PROTOCOL TARGET PUBLISHED MODE" (Docker's own fields); false when the service is absent
service_publishes() {
  docker_object service "$1" '{{with .Spec.EndpointSpec}}{{range .Ports}}{{.Protocol}} {{.TargetPort}} {{.PublishedPort}} {{.PublishMode}}{{"\n"}}{{end}}{{end}}' &&
  printf '%s\n' "$object" | grep -qx "$2"
}

# port_flag PORT: sets $port_flag to the port line as docker's --publish-add/--publish-rm value
port_flag() {
  IFS=' ' read -r pf_protocol pf_target pf_published pf_mode <<PORT
$1
PORT
  port_flag="published=$pf_published,target=$pf_target,protocol=$pf_protocol,mode=$pf_mode"
}

# update_ports SERVICE REMOVE ADD: one service update, --publish-rm of each REMOVE port line then --publish-add of each ADD port line
update_ports() {
  up_service=$1 up_remove=$2 up_add=$3
  set --
  IFS=$nl
  for port in $up_remove; do port_flag "$port"; set -- "$@" --publish-rm "$port_flag"; done
  for port in $up_add; do port_flag "$port"; set -- "$@" --publish-add "$port_flag"; done
  unset IFS
  docker service update --quiet "$@" "$up_service" >/dev/null
}

# publish_missing SERVICE PORTS: when the service lacks any of the port lines, one update publishes them all (Docker skips those it has)
publish_missing() {
  pm_service=$1 pm_ports=$2
  IFS=$nl
  # shellcheck disable=SC2086 # split on newlines: one port line each
  set -- $pm_ports
  unset IFS
  for port in "$@"; do
    if ! service_publishes "$pm_service" "$port"; then update_ports "$pm_service" '' "$pm_ports"; return 0; fi
  done
}

# retry COMMAND ARGS...: runs it up to 20 times a second apart (Swarm releases networks and IPAM pools asynchronously)
retry() {
  n=0
  until "$@"; do
    n=$((n+1)); if [ "$n" -ge 20 ]; then echo "gave up after 20 attempts" >&2; exit 1; fi; sleep 1
  done
}

# network_create: docker network create of the overlay network the NETWORK* parameters describe (options, labels and IPAM copied)
network_create() {
  set -- --driver overlay
  if [ "$NETWORK_INGRESS" = true ]; then set -- "$@" --ingress; fi
  if [ "$NETWORK_ENCRYPTED" = true ]; then set -- "$@" --opt encrypted; fi
  IFS=$nl
  for kv in $NETWORK_OPTIONS; do set -- "$@" --opt "$kv"; done
  for kv in $NETWORK_LABELS; do set -- "$@" --label "$kv"; done
  unset IFS
  if [ "$NETWORK_ATTACHABLE" = true ]; then set -- "$@" --attachable; fi
  if [ "$NETWORK_INTERNAL" = true ]; then set -- "$@" --internal; fi
  if [ -n "$NETWORK_IPAM_DRIVER" ]; then set -- "$@" --ipam-driver "$NETWORK_IPAM_DRIVER"; fi
  IFS=$nl
  for kv in $NETWORK_IPAM_OPTIONS; do set -- "$@" --ipam-opt "$kv"; done
  unset IFS
  if [ -n "$NETWORK_SUBNET" ]; then set -- "$@" --subnet "$NETWORK_SUBNET"; fi
  if [ -n "$NETWORK_GATEWAY" ]; then set -- "$@" --gateway "$NETWORK_GATEWAY"; fi
  if [ -n "$NETWORK_IP_RANGE" ]; then set -- "$@" --ip-range "$NETWORK_IP_RANGE"; fi
  docker network create "$@" "$NETWORK"
}
