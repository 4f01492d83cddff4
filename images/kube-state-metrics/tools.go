//go:build tools

// Package tools pins upstream kube-state-metrics, the version components/monitoring/defaults.ts names.
package tools

import _ "k8s.io/kube-state-metrics/v2"
