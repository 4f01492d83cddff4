# Shared helpers for the bootstrap and cluster scripts: paths, progress lines, version-keyed caching.
# Sourced, not executed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Everything built or downloaded lives here (git-ignored); BLOG_TOOLS_DIR moves it, e.g. to share one
# cache between clones.
TOOLS_DIR="${BLOG_TOOLS_DIR:-$ROOT/.tools}"
BIN_DIR="$TOOLS_DIR/bin"
mkdir -p "$BIN_DIR"

# Offline machine: the Go module proxy is the only source of Go code; never try a VCS.
export GOFLAGS="${GOFLAGS:--buildvcs=false} -mod=mod"
export CGO_ENABLED=0

_step_started=0
_step_name=""

# step "what": announce a step and start its timer.
step() {
  _step_name="$1"
  _step_started=$(date +%s)
  printf '==> %s\n' "$_step_name" >&2
}

# step_done [detail]: close the current step with its duration.
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
  local log="$TOOLS_DIR/logs/go-get-$(basename "$dir").log"
  mkdir -p "$(dirname "$log")"
  if ! (cd "$dir" && go get "$@") >"$log" 2>&1; then
    die "the Go module proxy refused $* (details: $log)"
  fi
}
