// Command pulumi-resource-kubernetes: the real Pulumi Kubernetes provider, built offline.
//
// This is the provider's own cmd/pulumi-resource-kubernetes/main.go, re-homed in this wrapper module
// because that file embeds schema-embed.json and terraform-mapping-embed.json, which upstream generates
// at release time and which are therefore not in the module zip the Go module proxy serves.
// scripts/toolchain/providers.sh copies this module into an ignored build folder under the tools
// folder, runs ./gen there to produce the two files from the module's committed schema.json (with
// "version" set) and terraform-mapping.json, and builds it with the version stamped in by
// -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=<version>. It does not build
// in place (the embedded files are never committed).
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

var providerName = "kubernetes"

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve(providerName, version.Version, pulumiSchema, terraformMapping)
}
