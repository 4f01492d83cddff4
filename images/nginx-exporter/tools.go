//go:build tools

// Package tools pins the upstream nginx Prometheus exporter the gateway's sidecar runs (see images/nginx-exporter/recipe.sh).
package tools

import _ "github.com/nginx/nginx-prometheus-exporter"
