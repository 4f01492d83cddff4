# kube-state-metrics: upstream 2.15.0 from its Go module (the proxy refuses the version list of
# k8s.io/kube-state-metrics/v2 but serves v2.15.0 itself), honouring its image: /kube-state-metrics,
# UID 65534, ports 8080 (metrics) and 8081 (telemetry).
IMAGE_KIND=layer
IMAGE_PARENT=debian-base
KSM_VERSION=2.15.0
IMAGE_CONFIG=(
  --config.user="65534:65534"
  --config.exposedports="8080/tcp" --config.exposedports="8081/tcp"
  --config.entrypoint="/kube-state-metrics"
  --config.cmd="--port=8080" --config.cmd="--telemetry-port=8081"
)

key_inputs() { echo "$KSM_VERSION"; go version; }

stage() {
  go_build_into "$RECIPE_DIR" k8s.io/kube-state-metrics/v2 "$1/kube-state-metrics" \
    "-X github.com/prometheus/common/version.Version=v$KSM_VERSION"
}
