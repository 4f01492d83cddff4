//go:build tools

// Package tools pins prometheus-nginxlog-exporter, the gateway's per-route metrics sidecar (see images/nginxlog-exporter/recipe.sh).
package tools

import _ "github.com/martin-helmich/prometheus-nginxlog-exporter"
