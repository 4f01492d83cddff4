// Command gen writes schema-embed.json and terraform-mapping-embed.json for the wrapper's main.go,
// doing what upstream's cmd/pulumi-resource-kubernetes/generate.go does at release time:
//
//	go run ./gen -version 4.25.0 -src <provider module>/cmd/pulumi-resource-kubernetes -out .
//
// The schema goes through schema.PackageSpec (so it is normalised exactly as upstream's is) with
// Version set; the Terraform mapping is re-serialised compactly.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	version := flag.String("version", "", "provider version to write into the schema (no leading v)")
	src := flag.String("src", "", "the provider module's cmd/pulumi-resource-kubernetes folder")
	out := flag.String("out", ".", "folder to write the two *-embed.json files to")
	flag.Parse()
	if *version == "" || *src == "" {
		log.Fatal("usage: gen -version X.Y.Z -src DIR [-out DIR]")
	}

	raw, err := os.ReadFile(filepath.Join(*src, "schema.json"))
	if err != nil {
		log.Fatal(err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		log.Fatalf("cannot deserialize schema: %v", err)
	}
	spec.Version = *version
	versioned, err := json.Marshal(spec)
	if err != nil {
		log.Fatalf("cannot reserialize schema: %v", err)
	}
	if err := os.WriteFile(filepath.Join(*out, "schema-embed.json"), versioned, 0o644); err != nil {
		log.Fatal(err)
	}

	raw, err = os.ReadFile(filepath.Join(*src, "terraform-mapping.json"))
	if err != nil {
		log.Fatal(err)
	}
	var mapping any
	if err := json.Unmarshal(raw, &mapping); err != nil {
		log.Fatalf("cannot deserialize terraform mapping: %v", err)
	}
	compact, err := json.Marshal(mapping)
	if err != nil {
		log.Fatalf("cannot reserialize terraform mapping: %v", err)
	}
	if err := os.WriteFile(filepath.Join(*out, "terraform-mapping-embed.json"), compact, 0o644); err != nil {
		log.Fatal(err)
	}
}
