# Shared helpers for the bootstrap and cluster scripts: paths, progress lines, version-keyed caching.
# Sourced, not executed.
# shellcheck shell=bash disable=SC2034 # ROOT and the other paths are for the scripts that source this

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Everything built or downloaded lives in a machine-level cache outside the clone, keyed by version
# and content, so a fresh clone on a machine that has built before reuses it (a cold machine still
# builds everything). BLOG_TOOLS_DIR moves it, e.g. to $ROOT/.tools for a clone of its own.
TOOLS_DIR="${BLOG_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/blog-platform}"
export BLOG_TOOLS_DIR="$TOOLS_DIR"   # the tests find the tools through it
BIN_DIR="$TOOLS_DIR/bin"
mkdir -p "$BIN_DIR" "$TOOLS_DIR/logs"

# Offline machine: the Go module proxy is the only source of Go code; never try a VCS.
export GOFLAGS="${GOFLAGS:--buildvcs=false} -mod=mod"
export CGO_ENABLED=0
# Go's build and module caches live in the machine cache too, so clearing or moving it clears or
# moves everything the builds left behind (and a warm cache means warm Go builds).
export GOCACHE="${GOCACHE:-$TOOLS_DIR/go/build-cache}"
export GOMODCACHE="${GOMODCACHE:-$TOOLS_DIR/go/mod}"

_step_started=0
_step_name=""

# step "what": announce a step and start its timer.
step() {
  _step_name="$1"
  _step_started=$(date +%s)
  printf '==> %s\n' "$_step_name" >&2
}

# step_done [detail]: close the current step with its duration.
# shellcheck disable=SC2120 # the note is optional: most steps end without one
step_done() {
  local took=$(( $(date +%s) - _step_started ))
  printf '    done: %s (%ss)%s\n' "$_step_name" "$took" "${1:+ — $1}" >&2
}

die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# cached_bin NAME VERSION: path of a version-keyed binary in the tools folder.
cached_bin() {
  printf '%s/%s-%s/%s' "$TOOLS_DIR" "$1" "$2" "$1"
}

# link_bin NAME VERSION: expose a cached binary on the tools PATH under its plain name.
link_bin() {
  ln -sfn "$(cached_bin "$1" "$2")" "$BIN_DIR/$1"
}

# go_get_or_die WRAPPER_DIR MODULE@VERSION...: `go get` inside a wrapper module; a refused module
# becomes one line naming the module and version, with go's own reason in a log file.
go_get_or_die() {
  local dir="$1"; shift
  local log
  log="$TOOLS_DIR/logs/go-get-$(basename "$dir").log"
  mkdir -p "$(dirname "$log")"
  if ! (cd "$dir" && go get "$@") >"$log" 2>&1; then
    die "the Go module proxy refused $* (details: $log)"
  fi
}

# wrapper_key DIR: short hash of a wrapper module's committed files, so an edit there rebuilds.
wrapper_key() {
  (cd "$1" && find . -type f \( -name go.mod -o -name go.sum -o -name '*.go' -o -name '*.json' \) | LC_ALL=C sort \
    | xargs cat) | sha256sum | cut -c1-10
}

# refused_in LOG: the first module@version (or version list) the Go module proxy refused, from a go log.
refused_in() {
  sed -n -e 's|.*[ \t]\([^ \t]*@v[^ :]*\): reading [^ ]*: 4[0-9][0-9] .*|\1|p' \
    -e 's|^go: module \([^ :]*\): reading [^ ]*/@v/list: 4[0-9][0-9] .*|\1 (its version list)|p' "$1" | head -n1
}

# build_go NAME KEY DIR PACKAGE LDFLAGS: go build PACKAGE inside DIR to the cached path of NAME at KEY.
# Written to a temporary name first, so an interrupted build is not taken as done.
build_go() {
  local name="$1" key="$2" dir="$3" pkg="$4" ldflags="$5"
  local out log refused
  out="$(cached_bin "$name" "$key")"
  log="$TOOLS_DIR/logs/build-$name.log"
  mkdir -p "$(dirname "$out")"
  if ! (cd "$dir" && go build -trimpath -ldflags "$ldflags" -o "$out.tmp.$$" "$pkg") >"$log" 2>&1; then
    rm -f "$out.tmp.$$"
    refused="$(refused_in "$log")"
    [[ -z "$refused" ]] || die "the Go module proxy refused $refused (details: $log)"
    die "go build of $pkg failed (details: $log)"
  fi
  mv -f "$out.tmp.$$" "$out"
}
