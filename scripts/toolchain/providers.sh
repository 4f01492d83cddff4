#!/usr/bin/env bash
# Builds the Pulumi resource provider plugins from Go source, offline, into the tools folder:
#   $BIN_DIR/pulumi-resource-kubernetes  the real Kubernetes provider, 4.25.0
#                                        (github.com/pulumi/pulumi-kubernetes/provider/v4 at the commit of
#                                        v4.25.0, built from the wrapper module toolchain/pulumi-kubernetes)
#   $BIN_DIR/pulumi-resource-random      a STAND-IN for the random provider, reporting 4.21.1: our own
#                                        toolchain/pulumi-random (RandomPassword, RandomString), because
#                                        the Go module proxy refuses github.com/pulumi/pulumi-random
#                                        at every version tried
# See docs/toolchain-providers.md for versions, what failed and why.
#
# Idempotent: each binary lives at a path keyed on its version and a hash of its wrapper module, and is
# built only when that path is missing. The Kubernetes build copies its wrapper into
# $TOOLS_DIR/src/pulumi-kubernetes-<key>/ and generates the two embedded JSON files there (never
# committed). Run with the environment from docs/toolchain-pulumi.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

# The npm package @pulumi/kubernetes must be pinned to the same version (its SDK is generated from the
# same schema).
K8S_VERSION=4.25.0
K8S_MODULE=github.com/pulumi/pulumi-kubernetes/provider/v4
# Pseudo-version of the v4.25.0 release commit: the provider module has no semver tags of its own.
K8S_MODULE_VERSION=v4.0.0-20260115033456-f47bc2d6f199
# What our stand-in reports, matching the @pulumi/random npm package the project pins.
RANDOM_VERSION=4.21.1

# The checksum database does not know the pulumi-kubernetes pseudo-version (404), so go would refuse
# it; everything else is still checked against it.
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/pulumi/pulumi-kubernetes"

LOG_DIR="$TOOLS_DIR/logs"
mkdir -p "$LOG_DIR"
started=$(date +%s)

# One run at a time (bootstrap may run while a developer runs this): a second run waits, then finds
# everything cached.
exec 9>"$LOG_DIR/providers.lock"
if ! flock -n 9; then
  printf '    waiting for another providers.sh run to finish\n' >&2
  flock 9
fi


# ---- pulumi-resource-kubernetes (real provider) -------------------------------------------------
k8s_dir="$ROOT/toolchain/pulumi-kubernetes"
k8s_key="$K8S_VERSION-$(wrapper_key "$k8s_dir")"
k8s_bin="$(cached_bin pulumi-resource-kubernetes "$k8s_key")"
if [[ ! -x "$k8s_bin" ]]; then
  step "pulumi-resource-kubernetes $K8S_VERSION: fetch $K8S_MODULE@$K8S_MODULE_VERSION"
  go_get_or_die "$k8s_dir" "$K8S_MODULE@$K8S_MODULE_VERSION"
  mod_dir="$(cd "$k8s_dir" && go mod download -json "$K8S_MODULE@$K8S_MODULE_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -f "$mod_dir/cmd/pulumi-resource-kubernetes/schema.json" ]] \
    || die "$K8S_MODULE@$K8S_MODULE_VERSION has no cmd/pulumi-resource-kubernetes/schema.json"
  step_done

  # The upstream main embeds schema-embed.json and terraform-mapping-embed.json, generated at release
  # time and so missing from the module zip: make them in a build copy of the wrapper.
  step "pulumi-resource-kubernetes: generate the embedded schema (version $K8S_VERSION) and mapping"
  src="$TOOLS_DIR/src/pulumi-kubernetes-$k8s_key"
  rm -rf "$src"
  mkdir -p "$src"
  cp -R "$k8s_dir/." "$src/"
  chmod -R u+w "$src"
  if ! (cd "$src" && go run ./gen -version "$K8S_VERSION" \
      -src "$mod_dir/cmd/pulumi-resource-kubernetes" -out .) >"$LOG_DIR/gen-pulumi-kubernetes.log" 2>&1; then
    refused="$(refused_in "$LOG_DIR/gen-pulumi-kubernetes.log")"
    [[ -z "$refused" ]] || die "the Go module proxy refused $refused (details: $LOG_DIR/gen-pulumi-kubernetes.log)"
    die "generating the embedded schema failed (details: $LOG_DIR/gen-pulumi-kubernetes.log)"
  fi
  step_done "$(du -h "$src/schema-embed.json" | cut -f1) schema"

  step "pulumi-resource-kubernetes: build (about 10 min on 2 cores with an empty Go build cache)"
  build_go pulumi-resource-kubernetes "$k8s_key" "$src" . \
    "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$K8S_VERSION"
  step_done "$k8s_bin"
else
  printf '    cached: pulumi-resource-kubernetes %s (%s)\n' "$K8S_VERSION" "$k8s_bin" >&2
fi
link_bin pulumi-resource-kubernetes "$k8s_key"

# ---- pulumi-resource-random (stand-in) ----------------------------------------------------------
rnd_dir="$ROOT/toolchain/pulumi-random"
rnd_key="$RANDOM_VERSION-$(wrapper_key "$rnd_dir")"
rnd_bin="$(cached_bin pulumi-resource-random "$rnd_key")"
if [[ ! -x "$rnd_bin" ]]; then
  step "pulumi-resource-random $RANDOM_VERSION (stand-in): fetch modules"
  go_get_or_die "$rnd_dir" "github.com/pulumi/pulumi/sdk/v3@$(sed -n 's|^[[:space:]]*github.com/pulumi/pulumi/sdk/v3 \(v[^ ]*\).*|\1|p' "$rnd_dir/go.mod")"
  step_done
  step "pulumi-resource-random (stand-in): build"
  build_go pulumi-resource-random "$rnd_key" "$rnd_dir" . "-s -w -X main.version=$RANDOM_VERSION"
  step_done "$rnd_bin"
else
  printf '    cached: pulumi-resource-random %s, stand-in (%s)\n' "$RANDOM_VERSION" "$rnd_bin" >&2
fi
link_bin pulumi-resource-random "$rnd_key"

# ---- the CLI's plugin cache ----------------------------------------------------------------------
# Besides the PATH links, install each plugin in $PULUMI_HOME/plugins at its version (when pulumi.sh has
# built the CLI). The CLI prefers a plugin on PATH but then warns "using ... from $PATH" on every
# run; with PULUMI_IGNORE_AMBIENT_PLUGINS=true it takes these cached copies, by version, silently.
pulumi_home="${PULUMI_HOME:-$TOOLS_DIR/pulumi-home}"
cache_plugin() {
  local name="$1" version="$2" bin="$3"
  local cached="$pulumi_home/plugins/resource-$name-v$version/pulumi-resource-$name"
  cmp -s "$bin" "$cached" && return 0
  step "plugin cache: resource $name $version"
  PULUMI_HOME="$pulumi_home" PULUMI_SKIP_UPDATE_CHECK=true "$BIN_DIR/pulumi" plugin install resource \
    "$name" "$version" --file "$bin" --reinstall >"$LOG_DIR/plugin-install-$name.log" 2>&1 \
    || die "pulumi plugin install of $bin failed (details: $LOG_DIR/plugin-install-$name.log)"
  step_done "$cached"
}
if [[ -x "$BIN_DIR/pulumi" ]]; then
  cache_plugin kubernetes "$K8S_VERSION" "$k8s_bin"
  cache_plugin random "$RANDOM_VERSION" "$rnd_bin"
fi

# ---- check --------------------------------------------------------------------------------------
# Each plugin serves its schema, with the expected version, to the CLI (when pulumi.sh has built it).
check_schema() {
  local name="$1" want="$2" got
  got="$(PULUMI_HOME="$pulumi_home" PULUMI_SKIP_UPDATE_CHECK=true \
    "$BIN_DIR/pulumi" package get-schema "$BIN_DIR/pulumi-resource-$name" 2>"$LOG_DIR/schema-$name.log" \
    | head -c 400 | sed -n 's/^  "version": "\(.*\)",$/\1/p')" || true
  [[ "$got" == "$want" ]] \
    || die "$BIN_DIR/pulumi-resource-$name serves schema version '$got', expected $want (details: $LOG_DIR/schema-$name.log)"
}
if [[ -x "$BIN_DIR/pulumi" ]]; then
  check_schema kubernetes "$K8S_VERSION"
  check_schema random "$RANDOM_VERSION"
fi
printf '==> provider plugins ready in %ss: %s (kubernetes %s, random %s stand-in)\n' \
  "$(( $(date +%s) - started ))" "$BIN_DIR" "$K8S_VERSION" "$RANDOM_VERSION" >&2
