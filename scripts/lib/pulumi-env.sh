# Environment for running the real Pulumi CLI offline against the local cluster. Sourced.
# shellcheck shell=bash
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

export PATH="$BIN_DIR:$PATH"
# Keep plugins, credentials and workspace settings inside the tools folder, not ~/.pulumi.
export PULUMI_HOME="${PULUMI_HOME:-$TOOLS_DIR/pulumi-home}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# Take provider plugins from the plugin cache by version (scripts/toolchain/providers.sh installs them
# there) rather than from PATH, which the CLI warns about on every run.
export PULUMI_IGNORE_AMBIENT_PLUGINS=true
# Local file state backend: no cloud account. Point PULUMI_BACKEND_URL elsewhere to use your own.
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$ROOT/.state/backend}"
# Local-only passphrase for the committed stacks' encryption salt; it protects nothing real. Teams
# deploying for real use their own passphrase or a KMS secrets provider (see README).
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-local-only-passphrase}"
mkdir -p "$ROOT/.state/backend"
