#!/usr/bin/env bash
# Builds the Pod Security oracle the policy tests compare the pack with: toolchain/pss-oracle wraps
# k8s.io/pod-security-admission at the release the local cluster runs. Cached by version and by the
# wrapper's content in $TOOLS_DIR, linked as $BIN_DIR/pss-oracle.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
renice -n 10 $$ >/dev/null   # the machine is shared: the build yields to interactive work

# Keep equal to the k8s.io/pod-security-admission requirement in toolchain/pss-oracle/go.mod.
PSA_VERSION=v0.37.2
dir="$ROOT/toolchain/pss-oracle"
key="$PSA_VERSION-$(wrapper_key "$dir")"

if [[ ! -x "$(cached_bin pss-oracle "$key")" ]]; then
  step "pss-oracle (k8s.io/pod-security-admission@$PSA_VERSION)"
  command -v go >/dev/null || die "go is not on PATH: install Go 1.26 (e.g. /usr/local/go/bin) and re-run"
  build_go pss-oracle "$key" "$dir" . "-s -w"
  step_done
fi
link_bin pss-oracle "$key"
