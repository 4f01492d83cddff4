# nginx-exporter: the official nginx Prometheus exporter 1.4.1 from its Go module, honouring
# nginx/nginx-prometheus-exporter's image: static binary /usr/bin/nginx-prometheus-exporter, UID 65534, port 9113.
IMAGE_KIND=layer
IMAGE_PARENT=debian-base
EXPORTER_VERSION=1.4.1
IMAGE_CONFIG=(
  --config.user="65534:65534"
  --config.exposedports="9113/tcp"
  --config.entrypoint="/usr/bin/nginx-prometheus-exporter"
)

key_inputs() { echo "$EXPORTER_VERSION"; go version; }

stage() {
  go_build_into "$RECIPE_DIR" github.com/nginx/nginx-prometheus-exporter "$1/usr/bin/nginx-prometheus-exporter" \
    "-X main.version=$EXPORTER_VERSION -X github.com/prometheus/common/version.Version=$EXPORTER_VERSION"
}
