//go:build tools

// Package tools pins upstream promtool (see scripts/toolchain/promtool.sh).
package tools

import _ "github.com/prometheus/prometheus/cmd/promtool"
