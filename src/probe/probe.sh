#!/bin/sh
# swarm-audit host probe. Read-only: it only runs docker read commands, reads
# files and kernel state, and writes to a private temp dir that it removes.
# Prints ONE framed record on stdout and nothing else:
#   SWARM-AUDIT-PROBE/1 enc=<raw|gz64> bytes=<raw payload bytes> cksum=<POSIX cksum of raw payload>
#   <payload: raw lines, or gzip|base64 of them>
#   SWARM-AUDIT-PROBE/1 END
# The payload is a list of sections: "@@ <name> rc=<exit code>" then the step's
# stdout, and "@@ <name>.stderr rc=<code>" then its stderr when it wrote any.
# Each part ends with "@@ <name>[.stderr] count=<n>": the number of lines it
# holds, counted by the awk that wrote them, so the decoder can tell a lost or
# added line from an empty result (rc=0 count=0) or a failed step (rc != 0).
# Content lines starting with "@" or the frame tag get "@@" prepended.
# Everything Docker prints is data: nothing from it is ever evaluated.
# POSIX sh only (dash, busybox ash).
set -u
umask 077
PATH="${PATH:-/usr/sbin:/usr/bin:/sbin:/bin}"
LC_ALL=C
export LC_ALL

SWARM_AUDIT_PROBE_VERSION=1.3.0
SWARM_AUDIT_TAG=SWARM-AUDIT-PROBE/1
SWARM_AUDIT_COMPRESS_ABOVE=1500
SWARM_AUDIT_DOCKER_TIMEOUT=20

have() { command -v "$1" >/dev/null 2>&1; }

probe_tmp=$(mktemp -d 2>/dev/null) || probe_tmp=""
if [ -z "$probe_tmp" ]; then
  probe_tmp="${TMPDIR:-/tmp}/swarm-audit-probe.$$"
  mkdir "$probe_tmp" 2>/dev/null || probe_tmp=""
fi
if [ -z "$probe_tmp" ]; then
  # No private scratch space: still answer with a valid (empty) frame.
  printf '%s enc=raw bytes=58 cksum=1309130125\n@@ probe rc=1\nno writable temp directory\n@@ probe count=1\n%s END\n' \
    "$SWARM_AUDIT_TAG" "$SWARM_AUDIT_TAG"
  exit 0
fi
trap 'rm -rf "$probe_tmp"' EXIT
trap 'exit 1' INT TERM HUP

payload="$probe_tmp/payload"
: >"$payload"

# escape_into_payload PART FILE: copies FILE into the payload, escaping lines
# that could be taken for a section line or a frame line, then the part's
# "@@ PART count=<lines written>". awk also adds a missing final newline.
escape_into_payload() {
  awk -v part="$1" '
    /^@/ || /^SWARM-AUDIT-PROBE/ { print "@@" $0; next }
    { print }
    END { printf "@@ %s count=%d\n", part, NR }
  ' "$2" >>"$payload"
}

# Appends a section; stderr is kept (first lines only) when there is any.
emit() { # name rc stdout-file stderr-file
  printf '@@ %s rc=%s\n' "$1" "$2" >>"$payload"
  escape_into_payload "$1" "$3"
  if [ -s "$4" ]; then
    printf '@@ %s.stderr rc=%s\n' "$1" "$2" >>"$payload"
    awk 'NR <= 4 { print substr($0, 1, 300) }' "$4" >"$probe_tmp/err.short"
    escape_into_payload "$1.stderr" "$probe_tmp/err.short"
  fi
}

# run NAME CMD ARGS...: runs one step, records its output and exit code.
step_rc=0
run() {
  step_name=$1
  shift
  "$@" >"$probe_tmp/out" 2>"$probe_tmp/err" </dev/null
  step_rc=$?
  emit "$step_name" "$step_rc" "$probe_tmp/out" "$probe_tmp/err"
  return "$step_rc"
}

use_timeout=0
if have timeout && timeout 5 true >/dev/null 2>&1; then use_timeout=1; fi
dk() {
  if [ "$use_timeout" = 1 ]; then
    timeout "$SWARM_AUDIT_DOCKER_TIMEOUT" docker "$@"
  else
    docker "$@"
  fi
}

meta() {
  printf 'probe=%s\n' "$SWARM_AUDIT_PROBE_VERSION"
  if [ -r /proc/sys/kernel/hostname ]; then
    printf 'host=%s\n' "$(cat /proc/sys/kernel/hostname)"
  elif have hostname; then
    printf 'host=%s\n' "$(hostname)"
  fi
  printf 'at=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}

docker_path() {
  command -v docker || { echo "docker: command not found" >&2; return 127; }
}

# Docker objects are printed one JSON object per line, keyed by Docker's own
# field names (src/probe/docker-objects.ts reads them by name, so a field
# added here or by Docker breaks nothing; it declares which are required).
# Only what a check or a remediation plan reads is printed (docs/docker.md,
# "What the record leaves out"): a typical manager must fit the 2,500
# characters of one ListCommandInvocations output. Service and network IDs
# are Docker's short IDs (the first 12 characters, as `docker service ls` and
# `docker network ls` print them and every docker command accepts), the same
# in every record that names them; node and cluster IDs stay whole.
# No bare-word action (println, else, end) between double braces: SSM reads
# that form in a document as a parameter reference, and this script is also
# shipped as an SSM document (documents/swarm-audit-probe.json).
INFO_FORMAT='{"DockerRootDir":{{json .DockerRootDir}},"LocalNodeState":{{json .Swarm.LocalNodeState}},"ControlAvailable":{{json .Swarm.ControlAvailable}},"NodeID":{{json .Swarm.NodeID}},"NodeAddr":{{json .Swarm.NodeAddr}},"ClusterID":{{if .Swarm.Cluster}}{{json .Swarm.Cluster.ID}}{{- else}}null{{- end}},"Error":{{json .Swarm.Error}},"RemoteManagers":{{json .Swarm.RemoteManagers}}}'
SERVICE_FORMAT='{"ID":{{json (truncate .ID 12)}},"Name":{{json .Spec.Name}},"Mode":{{json .Spec.Mode}},"EndpointSpec":{{json .Spec.EndpointSpec}},"Networks":[{{range $i, $n := .Spec.TaskTemplate.Networks}}{{if $i}},{{- end}}{"Target":{{json (truncate $n.Target 12)}}{{with $n.Aliases}},"Aliases":{{json .}}{{- end}}{{with $n.DriverOpts}},"DriverOpts":{{json .}}{{- end}}}{{- end}}]}'
# Options without com.docker.network.driver.overlay.vxlanid_list: Swarm
# allocates the VXLAN IDs, nothing reads them and a copy must not set them.
NETWORK_FORMAT='{"Name":{{json .Name}},"Id":{{json (truncate .Id 12)}},"Scope":{{json .Scope}},"Driver":{{json .Driver}},"Internal":{{json .Internal}},"Attachable":{{json .Attachable}},"Ingress":{{json .Ingress}},"IPAM":{{json .IPAM}},"Options":{ {{- $sep := ""}}{{range $k, $v := .Options}}{{if ne $k "com.docker.network.driver.overlay.vxlanid_list"}}{{$sep}}{{json $k}}:{{json $v}}{{$sep = ","}}{{- end}}{{- end}}},"Labels":{{json .Labels}}}'
NODE_FORMAT='{"ID":{{json .ID}},"Hostname":{{json .Description.Hostname}},"Role":{{json .Spec.Role}},"Availability":{{json .Spec.Availability}},"State":{{json .Status.State}},"Addr":{{json .Status.Addr}},"EngineVersion":{{json .Description.Engine.EngineVersion}},"ManagerStatus":{{json .ManagerStatus}}}'
# One "<node ID>:<network short ID>" line per network attachment of a task
# (the node ID is empty while the task waits for a node).
TASK_FORMAT='{{range .NetworksAttachments}}{{$.NodeID}}:{{truncate .Network.ID 12}}{{"\n"}}{{- end}}'

# info_value KEY: the string or boolean value of KEY in the info record just
# written (a quote inside a JSON string is escaped, so '"KEY":' only matches
# the record's own key; a value holding a backslash reads as empty).
info_value() {
  sed -n -e 's/^.*"'"$1"'":"\([^"\\]*\)".*$/\1/p' -e 's/^.*"'"$1"'":\([a-z]*\)[,}].*$/\1/p' "$probe_tmp/out"
}

# Keeps only well-formed object IDs from a `ls -q` listing, one per line.
valid_ids() {
  awk '/^[A-Za-z0-9]+$/ { print }' "$1"
}

# inspect_all KIND FORMAT: `docker KIND ls -q` then one inspect of them all.
# The IDs stay in $probe_tmp/KIND.ids for later steps.
inspect_all() {
  dk "$1" ls -q >"$probe_tmp/ids" || return $?
  valid_ids "$probe_tmp/ids" >"$probe_tmp/$1.ids"
  [ -s "$probe_tmp/$1.ids" ] || return 0
  # IDs are [A-Za-z0-9]+ (checked above), so word splitting is safe here.
  # shellcheck disable=SC2046
  dk "$1" inspect --format "$2" $(cat "$probe_tmp/$1.ids")
}

# Where the tasks Swarm wants running are, for the services the services step
# listed: one {"NodeID":...,"Networks":[...]} line per node, naming every
# network its running tasks attach to (nodes and networks sorted).
task_placement() {
  [ -r "$probe_tmp/service.ids" ] || { echo "service list not collected" >&2; return 1; }
  [ -s "$probe_tmp/service.ids" ] || return 0
  # shellcheck disable=SC2046
  dk service ps -q --no-trunc --filter desired-state=running $(cat "$probe_tmp/service.ids") >"$probe_tmp/ids" || return $?
  valid_ids "$probe_tmp/ids" >"$probe_tmp/task.ids"
  [ -s "$probe_tmp/task.ids" ] || return 0
  # shellcheck disable=SC2046
  dk inspect --type task --format "$TASK_FORMAT" $(cat "$probe_tmp/task.ids") >"$probe_tmp/tasks" || return $?
  grep -v '^$' "$probe_tmp/tasks" | sort -u | nodes_and_networks
}

# Groups sorted "<node>:<network>" lines into one JSON line per node. Both are
# IDs ([A-Za-z0-9]+, the node possibly empty): anything else fails the step.
nodes_and_networks() {
  awk -F: '
    NF != 2 || $1 !~ /^[A-Za-z0-9]*$/ || $2 !~ /^[A-Za-z0-9]+$/ { bad = NR; exit }
    NR == 1 || $1 != node { out = out (NR > 1 ? "]}\n" : "") "{\"NodeID\":\"" $1 "\",\"Networks\":[\"" $2 "\""; node = $1; next }
    { out = out ",\"" $2 "\"" }
    END {
      if (bad) { print "task line " bad " is not <node ID>:<network ID>" | "cat >&2"; close("cat >&2"); exit 1 }
      if (NR) print out "]}"
    }
  '
}

overlay_networks() {
  dk network ls --filter driver=overlay -q >"$probe_tmp/ids" || return $?
  valid_ids "$probe_tmp/ids" >"$probe_tmp/ids.ok"
  [ -s "$probe_tmp/ids.ok" ] || return 0
  # shellcheck disable=SC2046
  dk network inspect --format "$NETWORK_FORMAT" $(cat "$probe_tmp/ids.ok")
}

# Swarm ports only: 2377/tcp, 7946/tcp+udp, 4789/udp. Prints
# "netid=<tcp|udp> local=<address:port>" (ss's Netid and Local Address:Port).
listeners_ss() {
  ss -ltnu >"$probe_tmp/ss" || return $?
  awk '$5 ~ /:(2377|7946|4789)$/ { print "netid=" $1, "local=" $5 }' "$probe_tmp/ss"
}

# Same from /proc/net: "file=<tcp|tcp6|udp|udp6> local=<hex address:port> st=<hex state>".
listeners_proc() {
  found=0
  for f in tcp tcp6 udp udp6; do
    [ -r "/proc/net/$f" ] || continue
    found=1
    # Listening only: state 0A (LISTEN) for tcp, 07 (unconnected) for udp.
    awk -v f="$f" 'NR > 1 && $2 ~ /:(0949|1F0A|12B5)$/ && $4 == (f ~ /^tcp/ ? "0A" : "07") { print "file=" f, "local=" $2, "st=" $4 }' "/proc/net/$f"
  done
  [ "$found" = 1 ] || { echo "no /proc/net/tcp*|udp* readable" >&2; return 1; }
}

# iproute2's ip by path: a busybox shell would otherwise run its own ip
# applet, which has no xfrm.
ip_tool=
for candidate in /usr/sbin/ip /sbin/ip /usr/bin/ip /bin/ip; do
  if [ -x "$candidate" ]; then ip_tool=$candidate; break; fi
done
[ -n "$ip_tool" ] || ip_tool=$(command -v ip 2>/dev/null) || ip_tool=

# xfrm_dump policy|state FILE: `ip xfrm ...` into FILE. When it cannot be read
# the step fails and says why: unread IPsec state is never "no SAs".
xfrm_dump() {
  if [ -z "$ip_tool" ]; then echo "no ip command: reading xfrm needs iproute2" >&2; return 127; fi
  "$ip_tool" xfrm "$1" >"$2" 2>"$probe_tmp/ip.err" && return 0
  xfrm_rc=$?
  if grep -q BusyBox "$probe_tmp/ip.err"; then
    echo "$ip_tool is BusyBox's ip applet, which has no xfrm: install iproute2" >&2
  else
    cat "$probe_tmp/ip.err" >&2
  fi
  return "$xfrm_rc"
}

# Counts xfrm policies that template ESP for VXLAN (udp dport 4789).
xfrm_policy() {
  xfrm_dump policy "$probe_tmp/xp" || return $?
  awk '
    /^src / { vx = ($0 ~ /proto udp/ && $0 ~ /dport 4789/); total++; counted = 0; next }
    /proto esp/ { if (vx && !counted) { esp++; counted = 1 } }
    END { printf "total=%d esp-vxlan=%d\n", total, esp }
  ' "$probe_tmp/xp"
}

xfrm_state() {
  xfrm_dump state "$probe_tmp/xs" || return $?
  awk '
    /^src / { total++; next }
    /^[ \t]+proto esp / { esp++ }
    END { printf "total=%d esp=%d\n", total, esp }
  ' "$probe_tmp/xs"
}

# dockerd IPsec SA failures (count and last lines), from the log file named by
# SWARM_AUDIT_DOCKERD_LOG, else from journald.
SA_PATTERN='Failed (Adding|adding|updating|Updating|deleting|Deleting) [a-zA-Z]*SA|(SA|state).*function not implemented'
sa_failures() {
  if [ -n "${SWARM_AUDIT_DOCKERD_LOG:-}" ]; then
    [ -r "$SWARM_AUDIT_DOCKERD_LOG" ] || { echo "cannot read $SWARM_AUDIT_DOCKERD_LOG" >&2; return 1; }
    grep -E "$SA_PATTERN" "$SWARM_AUDIT_DOCKERD_LOG" >"$probe_tmp/sa"
    src=log
  elif have journalctl; then
    journalctl --no-pager -u docker --since -24h >"$probe_tmp/journal" 2>"$probe_tmp/journal.err" \
      || { cat "$probe_tmp/journal.err" >&2; return 1; }
    # journalctl exits 0 when it read nothing (no journal files, or only this
    # user's journal): that is "unknown", not "no failures".
    if grep -E 'No journal files|insufficient permissions|not seeing messages' "$probe_tmp/journal.err" >&2; then
      return 1
    fi
    grep -E "$SA_PATTERN" "$probe_tmp/journal" >"$probe_tmp/sa"
    src=journal
  else
    echo "no dockerd log source (journalctl absent, SWARM_AUDIT_DOCKERD_LOG unset)" >&2
    return 1
  fi
  printf 'source=%s count=%s\n' "$src" "$(awk 'END { print NR }' "$probe_tmp/sa")"
  sa_summaries <"$probe_tmp/sa" | awk '!seen[$0]++' | tail -n 3
}

# dockerd's 'msg="Failed Adding fSA{Dst: D, Src: S, ...}: CAUSE"' becomes
# "Failed Adding fSA dst=D src=S: CAUSE" (timestamps and SPIs dropped, so
# repeats collapse); any other line is cut to 160 characters.
sa_summaries() {
  sed -e 's/^.*msg="\{0,1\}\(Failed [A-Za-z]* [A-Za-z]*SA\){Dst: \([^,]*\), Src: \([^,]*\),.*}: \([^"]*\)"\{0,1\}.*$/\1 dst=\2 src=\3: \4/' \
    -e t -e 's/^\(.\{160\}\).*$/\1/'
}

# Only the keys the audit needs, one "key":value per line (their values are
# addresses and a port: no commas or quotes inside).
swarm_state_file() {
  cat "$1/swarm/docker-state.json" >"$probe_tmp/state" || return $?
  grep -oE '"(ListenAddr|AdvertiseAddr|DataPathAddr)":"[^"]*"|"DataPathPort":[0-9]+' "$probe_tmp/state"
  return 0
}

collect() {
  run meta meta
  if run docker docker_path; then
    if run version dk version --format '{{json .Server.Version}}'; then
      if run info dk info --format "$INFO_FORMAT"; then
        root=$(info_value DockerRootDir)
        node_role="$(info_value LocalNodeState) $(info_value ControlAvailable)"
        run state swarm_state_file "${root:-/var/lib/docker}"
        case "$node_role" in
          'active true')
            run services inspect_all service "$SERVICE_FORMAT"
            run networks overlay_networks
            run nodes inspect_all node "$NODE_FORMAT"
            run tasks task_placement
            ;;
          'active false')
            run networks overlay_networks
            ;;
        esac
      fi
    fi
  fi
  if have ss; then
    run listeners-ss listeners_ss
  else
    run listeners-proc listeners_proc
  fi
  run xfrm-policy xfrm_policy
  run xfrm-state xfrm_state
  run sa-log sa_failures
}

collect
set -- $(cksum <"$payload")
payload_cksum=$1
payload_bytes=$2
enc=raw
if [ "$payload_bytes" -gt "$SWARM_AUDIT_COMPRESS_ABOVE" ] && have gzip && have base64; then
  if gzip -9 -n -c <"$payload" >"$probe_tmp/payload.gz" 2>/dev/null; then
    # One base64 line where supported (GNU, busybox): wrapping only adds bytes.
    if base64 -w 0 <"$probe_tmp/payload.gz" >"$probe_tmp/payload.gz64" 2>/dev/null \
      || base64 <"$probe_tmp/payload.gz" >"$probe_tmp/payload.gz64" 2>/dev/null; then
      [ -s "$probe_tmp/payload.gz64" ] && enc=gz64
    fi
  fi
fi
printf '%s enc=%s bytes=%s cksum=%s\n' "$SWARM_AUDIT_TAG" "$enc" "$payload_bytes" "$payload_cksum"
if [ "$enc" = gz64 ]; then
  cat "$probe_tmp/payload.gz64"
  echo
else
  cat "$payload"
fi
printf '%s END\n' "$SWARM_AUDIT_TAG"
