# shellcheck shell=sh
# Precondition of ingress-remove: no service publishes a port in ingress mode
# (ingress can only be removed when nothing publishes through it).
docker_list service ls -q
for s in $listed; do if docker_object service "$s" '{{with .Spec.EndpointSpec}}{{range .Ports}}{{.PublishMode}}{{"\n"}}{{end}}{{end}}' && printf '%s\n' "$object" | grep -qx ingress; then exit 1; fi; done
exit 0
