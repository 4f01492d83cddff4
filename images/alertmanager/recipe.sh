# alertmanager: upstream Alertmanager 0.28.1 from its Go module, honouring quay.io/prometheus/alertmanager's
# contract: UID 65534, /bin/alertmanager and /bin/amtool, config /etc/alertmanager/alertmanager.yml,
# data in /alertmanager, port 9093.
IMAGE_KIND=layer
IMAGE_PARENT=debian-base
ALERTMANAGER_VERSION=0.28.1
IMAGE_CONFIG=(
  --config.user="65534:65534"
  --config.workingdir="/alertmanager"
  --config.volume="/alertmanager"
  --config.exposedports="9093/tcp"
  --config.entrypoint="/bin/alertmanager"
  --config.cmd="--config.file=/etc/alertmanager/alertmanager.yml" --config.cmd="--storage.path=/alertmanager"
)

key_inputs() { echo "$ALERTMANAGER_VERSION"; go version; }

stage() {
  local layer="$1" version_flags="-X github.com/prometheus/common/version.Version=$ALERTMANAGER_VERSION"
  go_build_into "$RECIPE_DIR" github.com/prometheus/alertmanager/cmd/alertmanager "$layer/usr/bin/alertmanager" "$version_flags"
  go_build_into "$RECIPE_DIR" github.com/prometheus/alertmanager/cmd/amtool "$layer/usr/bin/amtool" "$version_flags"
  install -D -m 0644 "$RECIPE_DIR/alertmanager.yml" "$layer/etc/alertmanager/alertmanager.yml"
  install -d -o 65534 -g 65534 -m 0755 "$layer/alertmanager"
}
