# shellcheck shell=sh
# Removes the ingress network NETWORK when it is the WHICH (encrypted or
# unencrypted) one: ingress-remove (unencrypted) and the undo of
# ingress-create (encrypted). `docker network rm ingress` asks for
# confirmation, and returns while the manager still lists the network for
# about a second (measured on 20.10.24): wait until it is gone, or the next
# step would find it.
which_listed() {
  network_listed "$NETWORK" || return 1
  if network_encrypted "$NETWORK"; then [ "$WHICH" = encrypted ]; else [ "$WHICH" = unencrypted ]; fi
}
remove_confirmed() { echo y | docker network rm "$NETWORK"; }
if which_listed; then
  retry remove_confirmed >/dev/null
fi
i=0; while which_listed; do i=$((i+1)); if [ "$i" -ge 60 ]; then echo "the $WHICH $NETWORK network is still listed after 60s" >&2; exit 1; fi; sleep 1; done
