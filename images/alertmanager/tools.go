//go:build tools

// Package tools pins upstream Alertmanager, the version components/monitoring/defaults.ts names.
package tools

import (
	_ "github.com/prometheus/alertmanager/cmd/alertmanager"
	_ "github.com/prometheus/alertmanager/cmd/amtool"
)
