# prometheus: upstream Prometheus 3.2.1 built from its Go module (Debian's package lacks Kubernetes service
# discovery), honouring quay.io/prometheus/prometheus's contract: UID 65534, /bin/prometheus and
# /bin/promtool, config in /etc/prometheus, data in /prometheus, port 9090. The web UI's assets are not
# embedded (they need an npm build of web/ui); the API and /-/ready, /-/healthy are all there.
IMAGE_KIND=layer
IMAGE_PARENT=debian-base
PROMETHEUS_VERSION=3.2.1
# Prometheus 3.x publishes its Go module as v0.<major*100+minor>.<patch>; the wrapper is promtool's.
PROMETHEUS_WRAPPER="$ROOT/toolchain/promtool"
IMAGE_CONFIG=(
  --config.user="65534:65534"
  --config.workingdir="/prometheus"
  --config.volume="/prometheus"
  --config.exposedports="9090/tcp"
  --config.entrypoint="/bin/prometheus"
  --config.cmd="--config.file=/etc/prometheus/prometheus.yml" --config.cmd="--storage.tsdb.path=/prometheus"
)

key_inputs() {
  echo "$PROMETHEUS_VERSION"; go version; tree_key "$PROMETHEUS_WRAPPER"
}

stage() {
  local layer="$1" version_flags="-X github.com/prometheus/common/version.Version=$PROMETHEUS_VERSION"
  go_build_into "$PROMETHEUS_WRAPPER" github.com/prometheus/prometheus/cmd/prometheus "$layer/usr/bin/prometheus" "$version_flags"
  go_build_into "$PROMETHEUS_WRAPPER" github.com/prometheus/prometheus/cmd/promtool "$layer/usr/bin/promtool" "$version_flags"
  install -D -m 0644 "$RECIPE_DIR/prometheus.yml" "$layer/etc/prometheus/prometheus.yml"
  install -d -o 65534 -g 65534 -m 0755 "$layer/prometheus"
}
