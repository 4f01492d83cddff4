#!/usr/bin/env bash
# Installs the workflow linter the delivery tests run on .github/workflows: actionlint, built from the
# Go module proxy into a version-keyed path in $TOOLS_DIR, and Debian's shellcheck, which actionlint
# runs on every `run:` script (without it actionlint silently skips those). Idempotent: a warm run only
# re-links $BIN_DIR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

# BLOG_ACTIONLINT_VERSION tries another release; the binary is keyed on it, so both can coexist.
ACTIONLINT_VERSION="${BLOG_ACTIONLINT_VERSION:-v1.7.12}"
LOG_DIR="$TOOLS_DIR/logs"
mkdir -p "$LOG_DIR"
tmp=""
trap 'if [[ -n "$tmp" ]]; then rm -rf "$tmp"; fi' EXIT

bin="$(cached_bin actionlint "$ACTIONLINT_VERSION")"
if [[ ! -x "$bin" ]]; then
  step "actionlint $ACTIONLINT_VERSION: build github.com/rhysd/actionlint/cmd/actionlint"
  command -v go >/dev/null || die "go is not on PATH: install Go 1.26 (e.g. /usr/local/go/bin) and re-run"
  tmp="$(mktemp -d "$TOOLS_DIR/.build-actionlint.XXXXXX")"
  log="$LOG_DIR/build-actionlint.log"
  # `go install module@version` builds from the release's own go.mod and go.sum (checked against the
  # checksum database), so no wrapper module is needed. -mod is not allowed in that mode.
  if ! GOFLAGS=-buildvcs=false GOBIN="$tmp" go install -trimpath -ldflags "-s -w" \
      "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >"$log" 2>&1; then
    die "the Go module proxy refused or could not build github.com/rhysd/actionlint@$ACTIONLINT_VERSION (details: $log)"
  fi
  mkdir -p "$(dirname "$bin")"
  mv -f "$tmp/actionlint" "$bin"
  step_done "$bin"
fi
link_bin actionlint "$ACTIONLINT_VERSION"

got="$("$BIN_DIR/actionlint" -version | head -1)"
[[ "$got" == "$ACTIONLINT_VERSION" ]] || die "$BIN_DIR/actionlint reports version '$got', expected $ACTIONLINT_VERSION"

# The shellcheck binary is a Debian package, installed with the others by scripts/toolchain/debian.sh (one apt run).
command -v shellcheck >/dev/null || die "shellcheck is missing: run scripts/toolchain/debian.sh (or: apt-get install shellcheck)"
