#!/usr/bin/env bash
# Builds the Pulumi toolchain from source, offline, into the tools folder:
#   $BIN_DIR/pulumi                          the real CLI (github.com/pulumi/pulumi/pkg/v3, built from
#                                            the wrapper module toolchain/pulumi-cli)
#   $BIN_DIR/pulumi-language-nodejs          Node.js language host (toolchain/pulumi-language-nodejs:
#                                            our own small host, see its main.go for why)
#   $BIN_DIR/pulumi-resource-pulumi-nodejs   dynamic-provider launcher script from the sdk/v3 module
# The language host and the script also sit beside the real CLI binary, where the CLI looks for its
# "bundled" plugins, so the CLI finds them even when it is run by full path.
#
# The resource providers (kubernetes, random) come from scripts/toolchain/providers.sh.
#
# Idempotent: every binary lives at a path keyed on its version and a hash of its wrapper module, and is
# built only when that path is missing. Run with the environment from docs/toolchain-pulumi.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

# One version for the CLI, github.com/pulumi/pulumi/sdk/v3 and the @pulumi/pulumi npm package.
PULUMI_VERSION=3.259.0

LOG_DIR="$TOOLS_DIR/logs"
mkdir -p "$LOG_DIR" "$TOOLS_DIR/pulumi-home"
started=$(date +%s)


# ---- the CLI ------------------------------------------------------------------------------------
cli_dir="$ROOT/toolchain/pulumi-cli"
cli_key="$PULUMI_VERSION-$(wrapper_key "$cli_dir")"
cli_bin="$(cached_bin pulumi "$cli_key")"
if [[ ! -x "$cli_bin" ]]; then
  step "pulumi CLI v$PULUMI_VERSION: fetch modules"
  go_get_or_die "$cli_dir" "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION" \
    "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
  step_done
  step "pulumi CLI v$PULUMI_VERSION: build (about 9 min with a cold Go cache on 2 cores)"
  build_go pulumi "$cli_key" "$cli_dir" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
    "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
  step_done "$cli_bin"
else
  printf '    cached: pulumi CLI v%s (%s)\n' "$PULUMI_VERSION" "$cli_bin" >&2
fi
cli_home="$(dirname "$cli_bin")"

# ---- the Node.js language host ------------------------------------------------------------------
lang_dir="$ROOT/toolchain/pulumi-language-nodejs"
lang_key="$PULUMI_VERSION-$(wrapper_key "$lang_dir")"
lang_bin="$(cached_bin pulumi-language-nodejs "$lang_key")"
if [[ ! -x "$lang_bin" ]]; then
  step "pulumi-language-nodejs (sdk/v3 v$PULUMI_VERSION): fetch modules"
  go_get_or_die "$lang_dir" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
  step_done
  step "pulumi-language-nodejs: build"
  build_go pulumi-language-nodejs "$lang_key" "$lang_dir" . "-s -w -X main.version=$PULUMI_VERSION"
  step_done "$lang_bin"
else
  printf '    cached: pulumi-language-nodejs (%s)\n' "$lang_bin" >&2
fi

# ---- bundled plugins beside the CLI -------------------------------------------------------------
# The CLI looks for its bundled plugins (language host, pulumi-resource-pulumi-nodejs) next to its own
# resolved executable and on PATH, and warns when the two differ, so both PATH entries point at copies
# that sit in the CLI's folder.
install_beside_cli() {
  local src="$1" name="$2"
  if ! cmp -s "$src" "$cli_home/$name"; then
    install -m 0755 "$src" "$cli_home/$name"
  fi
  ln -sfn "$cli_home/$name" "$BIN_DIR/$name"
}

install_beside_cli "$lang_bin" pulumi-language-nodejs

if [[ ! -x "$cli_home/pulumi-resource-pulumi-nodejs" ]]; then
  step "Node.js plugin scripts from github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
  sdk_dir="$(cd "$lang_dir" && go mod download -json "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$sdk_dir/nodejs/dist" ]] || die "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION has no nodejs/dist folder"
  # dist holds pulumi-resource-pulumi-nodejs (dynamic providers); older SDKs also had
  # pulumi-analyzer-policy (policy packs), which 3.259 runs through the language host instead.
  for script in "$sdk_dir"/nodejs/dist/pulumi-*; do
    [[ "$script" == *.cmd ]] && continue
    install -m 0755 "$script" "$cli_home/$(basename "$script")"
  done
  # shellcheck disable=SC2012 # only a progress note listing our own plugin names, which have no odd characters
  step_done "$(cd "$cli_home" && ls pulumi-resource-* pulumi-analyzer-* 2>/dev/null | tr '\n' ' ')"
fi
for script in "$cli_home"/pulumi-resource-* "$cli_home"/pulumi-analyzer-*; do
  [[ -e "$script" ]] && ln -sfn "$script" "$BIN_DIR/$(basename "$script")"
done
link_bin pulumi "$cli_key"

# ---- check --------------------------------------------------------------------------------------
got="$(PULUMI_HOME="$TOOLS_DIR/pulumi-home" PULUMI_SKIP_UPDATE_CHECK=true "$BIN_DIR/pulumi" version)"
[[ "$got" == "v$PULUMI_VERSION" ]] || die "$BIN_DIR/pulumi reports version '$got', expected v$PULUMI_VERSION"
printf '==> pulumi toolchain ready in %ss: %s (pulumi %s, node host, dynamic providers)\n' \
  "$(( $(date +%s) - started ))" "$BIN_DIR" "$got" >&2
