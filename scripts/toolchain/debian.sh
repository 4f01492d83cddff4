#!/usr/bin/env bash
# Installs every Debian package the scripts and tests call that a fresh machine of this kind does not
# have (its package list: toolchain/fresh-machine/packages.txt). Each entry of DEBIAN_PACKAGES pairs a
# package with what it provides (a command on PATH, or an absolute path); a package is installed when
# its command is missing. test/fresh-machine/host-commands.test.ts checks that every command the scripts and
# tests call is either on the fresh machine or provided by one of these pairs (or built by toolchain/).
# Package services are never started (policy-rc.d below).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

# package=command (`debian.sh --list` prints them for the dependency test).
DEBIAN_PACKAGES=(
  nginx=nginx                             # nginx -t, the gateway routing tests (Debian 12's nginx-light is an empty transitional package)
  prometheus=promtool                     # Debian's promtool (the upstream one is built by promtool.sh)
  prometheus-alertmanager=amtool          # Alertmanager config checks
  containerd=containerd                   # the real node's container runtime
  runc=runc                               # the OCI runtime, also the image tests' runner
  containernetworking-plugins=/usr/lib/cni/bridge
  docker-registry=docker-registry         # the local registry on 127.0.0.1:5000
  umoci=umoci                             # daemonless image builds
  skopeo=skopeo                           # image copies to the registry
  mmdebstrap=mmdebstrap                   # image root file systems from Debian packages
  iptables=iptables                       # kube-proxy, the NetworkPolicy agent
  ipset=ipset                             # kube-router's firewall sets
  conntrack=conntrack                     # kube-proxy clears stale UDP entries with it
  nftables=nft
  busybox-static=/bin/busybox
  redis-server=redis-server               # the services' suite runs against a real Redis
  redis-tools=redis-cli                   # the images suite pings the Redis image with it
  chromium=chromium                       # the SPA's browser test (playwright-core drives it)
  shellcheck=shellcheck                   # scripts/lint checks the shell scripts with it, actionlint the workflows' run: scripts
)

# --list: print the pairs (package=command), one a line, for the dependency test; install nothing.
if [[ ${1:-} == --list ]]; then
  printf '%s\n' "${DEBIAN_PACKAGES[@]}"
  exit 0
fi

# present COMMAND: the command is on PATH, in an sbin folder, or an absolute path that exists.
present() {
  [[ $1 == /* ]] && { [[ -e $1 ]]; return; }
  command -v "$1" >/dev/null || [[ -x "/usr/sbin/$1" || -x "/sbin/$1" ]]
}

missing=()
for entry in "${DEBIAN_PACKAGES[@]}"; do
  present "${entry#*=}" || missing+=("${entry%%=*}")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

step "Debian packages: ${missing[*]}"
[[ $(id -u) -eq 0 ]] || die "these Debian packages are missing and installing them needs root: run: sudo apt-get install ${missing[*]}"
# A policy-rc.d that answers 101 keeps the packages' init scripts from starting nginx on port 80,
# Prometheus on 0.0.0.0:9090 or redis on 6379; it is removed again unless someone else put it there.
guard=/usr/sbin/policy-rc.d
placed=false
if [[ ! -e $guard ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$guard" && chmod +x "$guard" && placed=true
fi
trap '[[ $placed == true ]] && rm -f "$guard"' EXIT
log="$TOOLS_DIR/logs/apt.log"
mkdir -p "$(dirname "$log")"
# DPkg::Lock::Timeout: wait for another apt or dpkg (an unattended upgrade) instead of failing on its lock.
{ apt-get -o DPkg::Lock::Timeout=600 update -qq \
  && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1 \
  || die "apt-get could not install ${missing[*]} (details: $log); run: apt-get install ${missing[*]}"
for entry in "${DEBIAN_PACKAGES[@]}"; do
  present "${entry#*=}" || die "package ${entry%%=*} is installed but ${entry#*=} is still missing"
done
step_done
