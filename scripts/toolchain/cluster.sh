#!/usr/bin/env bash
# Builds, from the Go module proxy, every binary the local Kubernetes cluster (scripts/cluster) runs:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, the node's kubelet and
# kube-proxy, kwok and kwokctl.
# No Docker and no download site here, so each comes from source through a wrapper Go module under
# toolchain/ (etcd, kubernetes, kwok). Each binary is cached under a version-keyed path in $TOOLS_DIR
# and built only when that path is missing: a warm run only re-links $BIN_DIR and takes seconds.
# A cold run takes about half an hour on 2 cores (kube-apiserver and friends are most of it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

# The versions in use (docs/local-cluster.md lists what was tried). BLOG_*_VERSION tries another one:
# that rewrites the wrapper's go.mod and go.sum, which is then the change to commit.
ETCD_VERSION="${BLOG_ETCD_VERSION:-v3.6.16}"   # go.etcd.io/etcd/server/v3
KUBE_VERSION="${BLOG_KUBE_VERSION:-v1.37.2}"   # k8s.io/kubernetes; staging modules at v0.37.2
KWOK_VERSION="${BLOG_KWOK_VERSION:-v0.8.0}"    # sigs.k8s.io/kwok
# The real node's NetworkPolicy agent (its firewall only). The only kube-router the proxy serves;
# sigs.k8s.io/kube-network-policies cannot run on this kernel (docs/local-cluster.md).
KUBE_ROUTER_VERSION="${BLOG_KUBE_ROUTER_VERSION:-v2.1.0}"   # github.com/cloudnativelabs/kube-router/v2

KUBE_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy)
LOG_DIR="$TOOLS_DIR/logs"
mkdir -p "$LOG_DIR"
tmp=""
trap 'if [[ -n "$tmp" ]]; then rm -rf "$tmp"; fi' EXIT

# missing NAME VERSION: true when the version-keyed binary has not been built yet.
missing() { [[ ! -x "$(cached_bin "$1" "$2")" ]]; }

# mod_download_or_die MODULE@VERSION: fetch a module into the module cache and print the path of
# its go.mod; a refusal becomes one line naming the module and version.
mod_download_or_die() {
  local log="$LOG_DIR/go-mod-download.log" gomod
  go mod download -json "$1" >"$log" 2>&1 || true   # on a refusal, the reason is in the JSON's "Error"
  gomod="$(sed -n 's/^\s*"GoMod": "\(.*\)",\?$/\1/p' "$log")"
  [[ -n "$gomod" && -f "$gomod" ]] || die "the Go module proxy refused $1 (details: $log)"
  printf '%s\n' "$gomod"
}

# build_into WRAPPER_DIR OUT LOG LDFLAGS PACKAGE...: `go build -o OUT` (a file, or a folder ending
# in / for several packages) inside a wrapper module.
build_into() {
  local dir="$1" out="$2" log="$3" ldflags="$4"; shift 4
  if ! (cd "$dir" && go build -trimpath -ldflags "$ldflags" -o "$out" "$@") >"$log" 2>&1; then
    die "building $* failed (details: $log)"
  fi
}

# install_bin NAME VERSION FROM: move a freshly built binary to its version-keyed path (a rename, so
# an interrupted build never leaves a cached binary behind).
install_bin() {
  local dest
  dest="$(cached_bin "$1" "$2")"
  mkdir -p "$(dirname "$dest")"
  mv -f "$3" "$dest"
}

# --- etcd -----------------------------------------------------------------------------------------
if missing etcd "$ETCD_VERSION"; then
  step "etcd $ETCD_VERSION: resolve go.etcd.io/etcd/server/v3"
  go_get_or_die "$ROOT/toolchain/etcd" "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  step_done
  step "etcd $ETCD_VERSION: build"
  tmp="$(mktemp -d "$TOOLS_DIR/.build-etcd.XXXXXX")"
  build_into "$ROOT/toolchain/etcd" "$tmp/etcd" "$LOG_DIR/build-etcd.log" "-s -w" go.etcd.io/etcd/server/v3
  install_bin etcd "$ETCD_VERSION" "$tmp/etcd"
  rm -rf "$tmp"
  step_done "$(cached_bin etcd "$ETCD_VERSION")"
fi

# --- kube-apiserver, kube-controller-manager, kube-scheduler, kubectl -------------------------------
# Only the missing ones are built: adding a binary to the list does not rebuild the others.
kube_missing=()
for b in "${KUBE_BINARIES[@]}"; do missing "$b" "$KUBE_VERSION" && kube_missing+=("$b"); done
if [[ ${#kube_missing[@]} -gt 0 ]]; then
  kdir="$ROOT/toolchain/kubernetes"
  step "kubernetes $KUBE_VERSION: resolve k8s.io/kubernetes and its staging modules"
  # k8s.io/kubernetes requires its staging modules (k8s.io/api, k8s.io/apiserver, ...) at v0.0.0 and
  # points them at ./staging/... with replace lines that only hold inside its own repository. Map each
  # one to the module published for the same release (v1.X.Y -> v0.X.Y), read from the tag's go.mod.
  kube_gomod="$(mod_download_or_die "k8s.io/kubernetes@$KUBE_VERSION")"
  staging_version="v0.${KUBE_VERSION#v1.}"
  edits=()
  while read -r mod; do
    edits+=("-replace=$mod=$mod@$staging_version")
  done < <(sed -n 's#^\s*\(k8s\.io/[^ ]*\) => \./staging/.*#\1#p' "$kube_gomod")
  [[ ${#edits[@]} -gt 0 ]] || die "found no ./staging replace lines in $kube_gomod"
  (cd "$kdir" && go mod edit "${edits[@]}")
  go_get_or_die "$kdir" "k8s.io/kubernetes@$KUBE_VERSION"
  step_done "${#edits[@]} staging modules at $staging_version"

  step "kubernetes $KUBE_VERSION: build ${kube_missing[*]} (the long one)"
  # Stamp the version as the release build does (hack/lib/version.sh): clients such as the Pulumi
  # kubernetes provider read it from /version, and an unstamped v0.0.0-master confuses them.
  minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
  build_date="$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' \
    "$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$KUBE_VERSION.info" 2>/dev/null || true)"
  ldflags="-s -w"
  for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    ldflags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=${build_date:-1970-01-01T00:00:00Z}"
  done
  tmp="$(mktemp -d "$TOOLS_DIR/.build-kubernetes.XXXXXX")"
  build_into "$kdir" "$tmp/" "$LOG_DIR/build-kubernetes.log" "$ldflags" \
    "${kube_missing[@]/#/k8s.io/kubernetes/cmd/}"
  for b in "${kube_missing[@]}"; do install_bin "$b" "$KUBE_VERSION" "$tmp/$b"; done
  rm -rf "$tmp"
  step_done "$("$(cached_bin "${kube_missing[0]}" "$KUBE_VERSION")" --version 2>&1 | head -n1)"
fi

# --- kwok, kwokctl --------------------------------------------------------------------------------
# Only simulated-node clusters run them (the tests' KWOK rounds), so the main job skips them
# (BLOG_MAIN_JOB_ONLY, set by scripts/deploy-local); `scripts/cluster up --simulated-nodes` builds them
# on first use.
with_kwok=true
[[ -n "${BLOG_MAIN_JOB_ONLY:-}" ]] && with_kwok=false
if [[ $with_kwok == true ]] && { missing kwok "$KWOK_VERSION" || missing kwokctl "$KWOK_VERSION"; }; then
  step "kwok $KWOK_VERSION: resolve sigs.k8s.io/kwok"
  go_get_or_die "$ROOT/toolchain/kwok" "sigs.k8s.io/kwok@$KWOK_VERSION"
  step_done
  step "kwok $KWOK_VERSION: build kwok and kwokctl"
  # KubeVersion is only kwokctl's default for clusters that don't name their binaries; ours do.
  ldflags="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}"
  ldflags+=" -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${KUBE_VERSION#v}"
  tmp="$(mktemp -d "$TOOLS_DIR/.build-kwok.XXXXXX")"
  build_into "$ROOT/toolchain/kwok" "$tmp/" "$LOG_DIR/build-kwok.log" "$ldflags" \
    sigs.k8s.io/kwok/cmd/kwok sigs.k8s.io/kwok/cmd/kwokctl
  install_bin kwok "$KWOK_VERSION" "$tmp/kwok"
  install_bin kwokctl "$KWOK_VERSION" "$tmp/kwokctl"
  rm -rf "$tmp"
  step_done
fi

# --- kube-router -----------------------------------------------------------------------------------
if missing kube-router "$KUBE_ROUTER_VERSION"; then
  step "kube-router $KUBE_ROUTER_VERSION: resolve and build"
  go_get_or_die "$ROOT/toolchain/kube-router" "github.com/cloudnativelabs/kube-router/v2@$KUBE_ROUTER_VERSION"
  tmp="$(mktemp -d "$TOOLS_DIR/.build-kube-router.XXXXXX")"
  build_into "$ROOT/toolchain/kube-router" "$tmp/kube-router" "$LOG_DIR/build-kube-router.log" "-s -w" \
    github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
  install_bin kube-router "$KUBE_ROUTER_VERSION" "$tmp/kube-router"
  rm -rf "$tmp"
  step_done
fi

# --- expose them on the tools PATH --------------------------------------------------------------
link_bin etcd "$ETCD_VERSION"
for b in "${KUBE_BINARIES[@]}"; do link_bin "$b" "$KUBE_VERSION"; done
if ! missing kwok "$KWOK_VERSION" && ! missing kwokctl "$KWOK_VERSION"; then
  link_bin kwok "$KWOK_VERSION"
  link_bin kwokctl "$KWOK_VERSION"
fi
link_bin kube-router "$KUBE_ROUTER_VERSION"
printf 'cluster binaries in %s: etcd %s, kubernetes %s, kwok %s\n' \
  "$BIN_DIR" "$ETCD_VERSION" "$KUBE_VERSION" "$KWOK_VERSION" >&2
