#!/usr/bin/env bash
# Installs the Debian packages the tests run for real: nginx (nginx -t and the routing test), promtool
# and amtool (Prometheus and Alertmanager config checks), and what the local cluster's real node runs
# (containerd, runc, the CNI plugins, the registry, umoci/skopeo for its images, iptables/nftables,
# a static busybox). Their services are never started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

PACKAGES=(nginx-light prometheus prometheus-alertmanager
  containerd runc containernetworking-plugins docker-registry umoci skopeo iptables nftables
  busybox-static openssl iproute2)
# What each package provides (a command on PATH, or an absolute path), in the same order.
COMMANDS=(nginx promtool amtool
  containerd runc /usr/lib/cni/bridge docker-registry umoci skopeo iptables nft
  /bin/busybox openssl ip)

missing=()
for i in "${!COMMANDS[@]}"; do
  command -v "${COMMANDS[$i]}" >/dev/null || [[ -x "/usr/sbin/${COMMANDS[$i]}" ]] || missing+=("${PACKAGES[$i]}")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

step "Debian packages: ${missing[*]}"
[[ $(id -u) -eq 0 ]] || die "installing ${missing[*]} needs root (apt-get); install them and re-run"
# A policy-rc.d that answers 101 keeps the packages' init scripts from starting nginx on port 80 or
# Prometheus on 0.0.0.0:9090; it is removed again unless someone else put it there.
guard=/usr/sbin/policy-rc.d
placed=false
if [[ ! -e $guard ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$guard" && chmod +x "$guard" && placed=true
fi
trap '[[ $placed == true ]] && rm -f "$guard"' EXIT
log="$TOOLS_DIR/logs/apt.log"
mkdir -p "$(dirname "$log")"
{ apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1 \
  || die "apt-get could not install ${missing[*]} (details: $log)"
step_done
