#!/usr/bin/env bash
# Builds upstream promtool at the version of the Prometheus image we deploy. Debian's promtool is built
# without Kubernetes service discovery, so it rejects the kubernetes_sd_configs of our prometheus.yml;
# this one checks the config the way the deployed server reads it. Cached by version in $TOOLS_DIR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

# Keep equal to IMAGES.prometheus in components/monitoring/defaults.ts.
PROMETHEUS_VERSION=3.2.1
IFS=. read -r major minor patch <<<"$PROMETHEUS_VERSION"
# Prometheus 3.x publishes its Go module as v0.<major*100+minor>.<patch>.
MODULE_VERSION="v0.$((major * 100 + minor)).$patch"
MODULE=github.com/prometheus/prometheus

if [[ ! -x "$(cached_bin promtool "$PROMETHEUS_VERSION")" ]]; then
  step "promtool $PROMETHEUS_VERSION ($MODULE@$MODULE_VERSION)"
  work="$TOOLS_DIR/src/promtool-$PROMETHEUS_VERSION"
  rm -rf "$work" && mkdir -p "$work"
  cp "$ROOT/toolchain/promtool/go.mod" "$ROOT/toolchain/promtool/tools.go" "$work/"
  [[ -f "$ROOT/toolchain/promtool/go.sum" ]] && cp "$ROOT/toolchain/promtool/go.sum" "$work/"
  log="$TOOLS_DIR/logs/build-promtool.log"
  mkdir -p "$(dirname "$log")" "$(dirname "$(cached_bin promtool "$PROMETHEUS_VERSION")")"
  (cd "$work" && go mod download "$MODULE" && go build -trimpath \
      -ldflags "-s -w -X github.com/prometheus/common/version.Version=$PROMETHEUS_VERSION" \
      -o "$(cached_bin promtool "$PROMETHEUS_VERSION").tmp" "$MODULE/cmd/promtool") >"$log" 2>&1 \
    || die "the Go module proxy refused or could not build $MODULE@$MODULE_VERSION (details: $log)"
  mv -f "$(cached_bin promtool "$PROMETHEUS_VERSION").tmp" "$(cached_bin promtool "$PROMETHEUS_VERSION")"
  step_done
fi
