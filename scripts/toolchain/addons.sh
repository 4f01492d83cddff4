#!/usr/bin/env bash
# Builds, from the Go module proxy, the binaries the real node's add-ons run, into the tools folder:
#   $BIN_DIR/coredns                 cluster DNS (github.com/coredns/coredns)
#   $BIN_DIR/kube-network-policies   NetworkPolicy agent, nftables + nfqueue (sigs.k8s.io/kube-network-policies)
#   $BIN_DIR/local-path-provisioner  dynamic hostPath volumes (github.com/rancher/local-path-provisioner)
#   $BIN_DIR/metrics-server          resource metrics API for `kubectl top` and HPAs (sigs.k8s.io/metrics-server)
#   $BIN_DIR/traefik                 ingress controller (github.com/traefik/traefik/v3)
#   $BIN_DIR/pause                   pod sandbox process, our own code (toolchain/pause/main.go)
# Each comes from a wrapper Go module under toolchain/<name> (go.mod + go.sum; a `tool` line names the
# main package). A binary lives at a path keyed on its version and a hash of its wrapper, and is built
# only when that path is missing: a warm run only re-links $BIN_DIR. docs/toolchain-addons.md has the
# versions, cold build times, what was refused and how each binary is run.
#
# Usage: scripts/toolchain/addons.sh [NAME...]   (no NAME: all of them)
set -euo pipefail
# Builds yield to interactive work on a shared machine: re-run this script (and so every go build it
# starts) at nice 10.
if [[ -z "${BLOG_ADDONS_NICED:-}" ]]; then
  BLOG_ADDONS_NICED=1 exec nice -n 10 "$0" "$@"
fi
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

# The versions in use. BLOG_<NAME>_VERSION tries another one: that rewrites the wrapper's go.mod and
# go.sum (and so its key), which is then the change to commit.
COREDNS_VERSION="${BLOG_COREDNS_VERSION:-v1.15.0}"
KNP_VERSION="${BLOG_KUBE_NETWORK_POLICIES_VERSION:-v0.8.0}"
LPP_VERSION="${BLOG_LOCAL_PATH_PROVISIONER_VERSION:-v0.0.30}"
METRICS_SERVER_VERSION="${BLOG_METRICS_SERVER_VERSION:-v0.8.0}"
# Traefik v3.7.11-13 cannot be built from the proxy: they need github.com/traefik/traefik/dynamic/ext (a
# nested module of their repo, left out of the zip and refused, 403) and a go-http-auth fork version that
# is refused too. v3.6.12 is the newest that resolves; docs/toolchain-addons.md has the details.
TRAEFIK_VERSION="${BLOG_TRAEFIK_VERSION:-v3.6.12}"
PAUSE_VERSION=1.0.0   # our own program (toolchain/pause); bump it with a change of behaviour

ADDONS=(coredns kube-network-policies local-path-provisioner metrics-server traefik pause)
LOG_DIR="$TOOLS_DIR/logs"
SELECTED=()

# resolve_or_die NAME MODULE@VERSION: `go get` in the wrapper toolchain/NAME. A refusal by the proxy becomes
# one line naming the module@version refused (often a dependency, not MODULE itself).
resolve_or_die() {
  local dir="$ROOT/toolchain/$1" log="$LOG_DIR/go-get-$1.log" refused
  if ! (cd "$dir" && go get "$2") >"$log" 2>&1; then
    refused="$(refused_in "$log")"
    [[ -n "$refused" && "$refused" != "$2" ]] || die "the Go module proxy refused $2 (details: $log)"
    die "the Go module proxy refused $refused, needed by $2 (details: $log)"
  fi
}

# addon NAME VERSION MODULE PACKAGE LDFLAGS VERSION_ARGS...: build PACKAGE (from MODULE@VERSION, resolved
# in toolchain/NAME) unless cached, check the fresh binary runs (VERSION_ARGS, e.g. --version), link it.
# MODULE empty: the wrapper is our own code and has nothing to fetch.
addon() {
  local name="$1" version="$2" module="$3" pkg="$4" ldflags="$5"; shift 5
  local dir="$ROOT/toolchain/$name" key bin out
  [[ ${#SELECTED[@]} -eq 0 || " ${SELECTED[*]} " == *" $name "* ]] || return 0
  # One build of an add-on at a time (bootstrap builds Traefik and the others in two lanes, and a
  # developer may run this too): a second run waits, then finds it cached. Released at the end.
  exec 9>"$LOG_DIR/addon-$name.lock"
  if ! flock -n 9; then
    printf '    waiting for another build of %s to finish\n' "$name" >&2
    flock 9
  fi
  key="$version-$(wrapper_key "$dir")"
  bin="$(cached_bin "$name" "$key")"
  if [[ -x "$bin" ]]; then
    printf '    cached: %s %s (%s)\n' "$name" "$version" "$bin" >&2
  else
    if [[ -n "$module" ]]; then
      step "$name $version: resolve $module@$version"
      resolve_or_die "$name" "$module@$version"
      step_done
      # go get may have rewritten go.mod/go.sum (another version asked for): key the build on the result.
      key="$version-$(wrapper_key "$dir")"
      bin="$(cached_bin "$name" "$key")"
    fi
    step "$name $version: build $pkg"
    build_go "$name" "$key" "$dir" "$pkg" "$ldflags"
    out="$("$bin" "$@" 2>&1)" || die "$bin $* failed after the build: ${out:0:300}"
    step_done "$bin; $* says: ${out%%$'\n'*}"
  fi
  link_bin "$name" "$key"
  exec 9>&-
}

# main [NAME...]: build (or re-link) the named add-ons, all of them when none is named.
main() {
  local arg started
  for arg in "$@"; do
    [[ " ${ADDONS[*]} " == *" $arg "* ]] || die "unknown add-on '$arg'; allowed: ${ADDONS[*]}"
  done
  SELECTED=("$@")
  mkdir -p "$LOG_DIR"
  started=$(date +%s)

  # CoreDNS: main package at the module root; the version comes from its source (coremain.CoreVersion).
  addon coredns "$COREDNS_VERSION" github.com/coredns/coredns github.com/coredns/coredns \
    "-s -w" -version

  # kube-network-policies: the agent is the module's cmd package (no version flag: --help must work).
  addon kube-network-policies "$KNP_VERSION" sigs.k8s.io/kube-network-policies \
    sigs.k8s.io/kube-network-policies/cmd "-s -w" --help

  # local-path-provisioner: main package at the module root; its Makefile stamps main.VERSION.
  addon local-path-provisioner "$LPP_VERSION" github.com/rancher/local-path-provisioner \
    github.com/rancher/local-path-provisioner "-s -w -X main.VERSION=$LPP_VERSION" --version

  # metrics-server: stamped as its Makefile does (k8s.io/client-go/pkg/version), which --version reports.
  addon metrics-server "$METRICS_SERVER_VERSION" sigs.k8s.io/metrics-server \
    sigs.k8s.io/metrics-server/cmd/metrics-server \
    "-s -w -X k8s.io/client-go/pkg/version.gitVersion=$METRICS_SERVER_VERSION" --version

  # Traefik: the web UI (webui/static) is built by yarn at release time and is not in the module zip, which
  # holds only a placeholder file there; go:embed takes that, so the binary builds as is and its dashboard
  # is empty. The ingress controller, entry points, API and metrics work without it.
  addon traefik "$TRAEFIK_VERSION" github.com/traefik/traefik/v3 github.com/traefik/traefik/v3/cmd/traefik \
    "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" version

  # pause: our own code, no module to fetch.
  addon pause "$PAUSE_VERSION" "" . "-s -w -X main.version=$PAUSE_VERSION" --version

  printf '==> add-on binaries ready in %ss in %s: %s\n' "$(( $(date +%s) - started ))" "$BIN_DIR" \
    "${SELECTED[*]:-${ADDONS[*]}}" >&2
}

# All of the script is read before anything runs (an edit during a long build cannot derail it).
main "$@"; exit
