# shellcheck shell=sh
# Precondition of network-remove: no service's spec attaches NETWORK (or it is
# gone already). The services are listed in this shell, so a failing docker
# ends the script instead of reading as "no service".
if network_exists "$NETWORK"; then
  oid=$object
  docker_list service ls -q; targets=
  for s in $listed; do if docker_object service "$s" '{{range .Spec.TaskTemplate.Networks}}{{.Target}} {{end}}'; then targets="$targets $object"; fi; done
  printf '%s' "$targets" | tr ' ' '\n' | grep -qx "$oid" && exit 1
fi
exit 0
