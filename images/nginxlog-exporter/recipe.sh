# nginxlog-exporter: prometheus-nginxlog-exporter 1.11.0 from its Go module (the proxy refuses @latest, serves
# v1.11.0), honouring its upstream image's contract: static binary /usr/bin/prometheus-nginxlog-exporter,
# UID 65534, port 4040. The gateway's sidecar: per-route request counts and a latency histogram from
# nginx's access log, sent to it over syslog on the pod's loopback.
IMAGE_KIND=layer
IMAGE_PARENT=debian-base
EXPORTER_VERSION=1.11.0
IMAGE_CONFIG=(
  --config.user="65534:65534"
  --config.exposedports="4040/tcp"
  --config.entrypoint="/usr/bin/prometheus-nginxlog-exporter"
)

key_inputs() { echo "$EXPORTER_VERSION"; go version; }

stage() {
  go_build_into "$RECIPE_DIR" github.com/martin-helmich/prometheus-nginxlog-exporter "$1/usr/bin/prometheus-nginxlog-exporter"
}
