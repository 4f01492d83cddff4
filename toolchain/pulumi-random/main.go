// Command pulumi-resource-random is a STAND-IN for Pulumi's random provider (pulumi-resource-random),
// built offline because the Go module proxy refuses github.com/pulumi/pulumi-random/provider/v4 at every
// version tried (and the Terraform bridge it is built on cannot be listed); see
// docs/toolchain-providers.md.
//
// It serves, through the engine's own provider gRPC plumbing (sdk/v3 plugin.NewProviderServer), only the
// two resources this project can use:
//
//	random:index/randomPassword:RandomPassword
//	random:index/randomString:RandomString
//
// with the inputs, outputs and semantics of the real provider for what @pulumi/random 4.21.1 sends:
// inputs length, upper, lower, numeric (and its deprecated alias number), special, minUpper, minLower,
// minNumeric, minSpecial, overrideSpecial, keepers; outputs all of those with defaults applied, plus
// result (a secret for RandomPassword) and, for RandomPassword, bcryptHash (secret, bcrypt of the first
// 72 bytes). The result is drawn with crypto/rand on Create; any input change, keepers included,
// replaces the resource; Read returns the recorded state; import takes the value as the ID. Every other
// random resource (RandomId, RandomInteger, RandomPet, ...) is rejected with a clear error. It reports
// version 4.21.1 so the @pulumi/random 4.21.1 SDK selects it.
package main

import (
	"context"
	_ "embed"
	"fmt"
	"math"
	"sort"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"golang.org/x/crypto/bcrypt"
)

// version is set at build time (-X main.version=...), to the @pulumi/random version it stands in for.
var version = "4.21.1"

//go:embed schema.json
var schemaJSON []byte

const (
	passwordType tokens.Type = "random:index/randomPassword:RandomPassword"
	stringType   tokens.Type = "random:index/randomString:RandomString"
)

// inputKeys are the input properties of both resources; each of them forces a replacement.
var inputKeys = []string{
	"keepers", "length", "lower", "minLower", "minNumeric", "minSpecial", "minUpper", "number", "numeric",
	"overrideSpecial", "special", "upper",
}

func main() {
	err := provider.Main("random", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return plugin.NewProviderServer(&randomProvider{}), nil
	})
	if err != nil {
		cmdutil.ExitError(err.Error())
	}
}

type randomProvider struct {
	plugin.UnimplementedProvider
}

func (p *randomProvider) Close() error { return nil }

func (p *randomProvider) Handshake(
	context.Context, plugin.ProviderHandshakeRequest,
) (*plugin.ProviderHandshakeResponse, error) {
	return &plugin.ProviderHandshakeResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

func (p *randomProvider) GetPluginInfo(context.Context) (plugin.PluginInfo, error) {
	v, err := semver.Parse(version)
	if err != nil {
		return plugin.PluginInfo{}, err
	}
	return plugin.PluginInfo{Version: &v}, nil
}

func (p *randomProvider) GetSchema(context.Context, plugin.GetSchemaRequest) (plugin.GetSchemaResponse, error) {
	return plugin.GetSchemaResponse{Schema: schemaJSON}, nil
}

func (p *randomProvider) SignalCancellation(context.Context) error { return nil }

func (p *randomProvider) GetMapping(context.Context, plugin.GetMappingRequest) (plugin.GetMappingResponse, error) {
	return plugin.GetMappingResponse{}, nil
}

func (p *randomProvider) GetMappings(
	context.Context, plugin.GetMappingsRequest,
) (plugin.GetMappingsResponse, error) {
	return plugin.GetMappingsResponse{}, nil
}

// The random provider has no configuration.
func (p *randomProvider) CheckConfig(
	_ context.Context, req plugin.CheckConfigRequest,
) (plugin.CheckConfigResponse, error) {
	return plugin.CheckConfigResponse{Properties: req.News}, nil
}

func (p *randomProvider) DiffConfig(context.Context, plugin.DiffConfigRequest) (plugin.DiffConfigResponse, error) {
	return plugin.DiffResult{Changes: plugin.DiffNone}, nil
}

func (p *randomProvider) Configure(context.Context, plugin.ConfigureRequest) (plugin.ConfigureResponse, error) {
	return plugin.ConfigureResponse{}, nil
}

func checkType(t tokens.Type) error {
	if t != passwordType && t != stringType {
		return fmt.Errorf("resource type %s is not implemented by this pulumi-resource-random, a stand-in "+
			"that serves only RandomPassword and RandomString (see docs/toolchain-providers.md)", t)
	}
	return nil
}

func (p *randomProvider) Check(_ context.Context, req plugin.CheckRequest) (plugin.CheckResponse, error) {
	if err := checkType(req.Type); err != nil {
		return plugin.CheckResponse{}, err
	}
	_, _, failures := parseParams(req.News)
	return plugin.CheckResponse{Properties: req.News, Failures: failures}, nil
}

func (p *randomProvider) Diff(_ context.Context, req plugin.DiffRequest) (plugin.DiffResponse, error) {
	if err := checkType(req.Type); err != nil {
		return plugin.DiffResponse{}, err
	}
	olds := req.OldOutputs
	if len(olds) == 0 {
		olds = req.OldInputs
	}
	ignored := map[string]bool{}
	for _, k := range req.IgnoreChanges {
		ignored[k] = true
	}
	oldNorm, newNorm := normalize(olds), normalize(req.NewInputs)
	detailed := map[string]plugin.PropertyDiff{}
	var keys []resource.PropertyKey
	for _, k := range inputKeys {
		if ignored[k] {
			continue
		}
		o, n := oldNorm[k], newNorm[k]
		if n.ContainsUnknowns() || !o.DeepEquals(n) {
			kind := plugin.DiffUpdateReplace
			if o.IsNull() {
				kind = plugin.DiffAddReplace
			} else if n.IsNull() {
				kind = plugin.DiffDeleteReplace
			}
			detailed[k] = plugin.PropertyDiff{Kind: kind, InputDiff: true}
			keys = append(keys, resource.PropertyKey(k))
		}
	}
	if len(keys) == 0 {
		return plugin.DiffResult{Changes: plugin.DiffNone}, nil
	}
	return plugin.DiffResult{
		Changes: plugin.DiffSome, ReplaceKeys: keys, ChangedKeys: keys, DetailedDiff: detailed,
	}, nil
}

func (p *randomProvider) Create(_ context.Context, req plugin.CreateRequest) (plugin.CreateResponse, error) {
	if err := checkType(req.Type); err != nil {
		return plugin.CreateResponse{}, err
	}
	prm, unknown, failures := parseParams(req.Properties)
	if len(failures) > 0 {
		return plugin.CreateResponse{}, fmt.Errorf("invalid inputs: %s: %s", failures[0].Property, failures[0].Reason)
	}
	if unknown || req.Preview {
		return plugin.CreateResponse{Properties: outputs(req.Type, req.Properties, prm, nil)}, nil
	}
	result, err := prm.generate()
	if err != nil {
		return plugin.CreateResponse{}, err
	}
	outs := outputs(req.Type, req.Properties, prm, &result)
	return plugin.CreateResponse{ID: resourceID(req.Type, result), Properties: outs}, nil
}

// Read returns the recorded state unchanged: a random value has no live copy to read. Without state (an
// import) the ID is the value, as with the real provider.
func (p *randomProvider) Read(_ context.Context, req plugin.ReadRequest) (plugin.ReadResponse, error) {
	if err := checkType(req.Type); err != nil {
		return plugin.ReadResponse{}, err
	}
	if len(req.State) > 0 {
		return plugin.ReadResponse{ReadResult: plugin.ReadResult{
			ID: req.ID, Inputs: req.Inputs, Outputs: req.State,
		}}, nil
	}
	result := string(req.ID)
	prm := defaultParams()
	prm.Length = int64(len(result))
	inputs := resource.PropertyMap{"length": resource.NewProperty(float64(prm.Length))}
	outs := outputs(req.Type, inputs, prm, &result)
	return plugin.ReadResponse{ReadResult: plugin.ReadResult{
		ID: resourceID(req.Type, result), Inputs: inputs, Outputs: outs,
	}}, nil
}

func (p *randomProvider) Update(context.Context, plugin.UpdateRequest) (plugin.UpdateResponse, error) {
	// Diff answers every change with a replacement, so the engine never asks for an update.
	return plugin.UpdateResponse{}, fmt.Errorf("random resources cannot be updated in place, only replaced")
}

func (p *randomProvider) Delete(context.Context, plugin.DeleteRequest) (plugin.DeleteResponse, error) {
	return plugin.DeleteResponse{}, nil
}

// resourceID: a RandomPassword's ID is "none" (its value is a secret), a RandomString's is its value.
func resourceID(t tokens.Type, result string) resource.ID {
	if t == passwordType {
		return "none"
	}
	return resource.ID(result)
}

// outputs: the inputs as given (keepers, overrideSpecial when set), every other input with its default
// applied, and result (+ bcryptHash for passwords); result nil means not known yet (preview).
func outputs(t tokens.Type, inputs resource.PropertyMap, prm params, result *string) resource.PropertyMap {
	outs := resource.PropertyMap{}
	for k, v := range normalize(inputs) {
		if !v.IsNull() {
			outs[resource.PropertyKey(k)] = v
		}
	}
	// Keep values the program passed as secrets secret in the state too.
	for k, v := range inputs {
		if v.IsSecret() {
			outs[k] = inputs[k]
		}
	}
	unknown := resource.MakeComputed(resource.NewProperty(""))
	if result == nil {
		outs["result"] = unknown
		if t == passwordType {
			outs["bcryptHash"] = unknown
		}
		return outs
	}
	if t == passwordType {
		outs["result"] = resource.MakeSecret(resource.NewProperty(*result))
		hash := bcryptHash(*result)
		outs["bcryptHash"] = resource.MakeSecret(resource.NewProperty(hash))
	} else {
		outs["result"] = resource.NewProperty(*result)
	}
	return outs
}

// bcryptHash hashes the first 72 bytes, as the real provider's bcryptHash documents.
func bcryptHash(s string) string {
	b := []byte(s)
	if len(b) > 72 {
		b = b[:72]
	}
	h, err := bcrypt.GenerateFromPassword(b, bcrypt.DefaultCost)
	if err != nil {
		panic(err) // only fails for > 72 bytes, excluded above
	}
	return string(h)
}

// plain strips secret wrappers, recursively.
func plain(v resource.PropertyValue) resource.PropertyValue {
	switch {
	case v.IsSecret():
		return plain(v.SecretValue().Element)
	case v.IsOutput() && v.OutputValue().Known:
		return plain(v.OutputValue().Element)
	case v.IsObject():
		m := resource.PropertyMap{}
		for k, e := range v.ObjectValue() {
			m[k] = plain(e)
		}
		return resource.NewObjectProperty(m)
	}
	return v
}

// normalize: the input properties with defaults applied and secrets stripped, for comparing and for
// recording as outputs. Unknown values stay unknown.
func normalize(m resource.PropertyMap) map[string]resource.PropertyValue {
	get := func(k string) resource.PropertyValue { return plain(m[resource.PropertyKey(k)]) }
	out := map[string]resource.PropertyValue{}
	out["length"] = get("length")
	for _, k := range []string{"upper", "lower", "special"} {
		out[k] = orDefault(get(k), resource.NewProperty(true))
	}
	for _, k := range []string{"minUpper", "minLower", "minNumeric", "minSpecial"} {
		out[k] = orDefault(get(k), resource.NewProperty(0.0))
	}
	// numeric and its deprecated alias number always carry the same value.
	numeric := get("numeric")
	if numeric.IsNull() {
		numeric = get("number")
	}
	numeric = orDefault(numeric, resource.NewProperty(true))
	out["numeric"], out["number"] = numeric, numeric
	// An empty overrideSpecial means the default set, like an absent one.
	if os := get("overrideSpecial"); os.IsString() && os.StringValue() == "" {
		out["overrideSpecial"] = resource.NewNullProperty()
	} else {
		out["overrideSpecial"] = os
	}
	// No keepers and an empty map are the same.
	if k := get("keepers"); k.IsObject() && len(k.ObjectValue()) == 0 {
		out["keepers"] = resource.NewNullProperty()
	} else {
		out["keepers"] = k
	}
	return out
}

func orDefault(v, def resource.PropertyValue) resource.PropertyValue {
	if v.IsNull() {
		return def
	}
	return v
}

// parseParams reads the inputs; unknown is true when some value is not known yet (preview), in which
// case only the known values are validated.
func parseParams(m resource.PropertyMap) (params, bool, []plugin.CheckFailure) {
	prm := defaultParams()
	unknown := false
	var failures []plugin.CheckFailure
	fail := func(k, format string, a ...any) {
		failures = append(failures, plugin.CheckFailure{Property: resource.PropertyKey(k), Reason: fmt.Sprintf(format, a...)})
	}
	known := func(k string) (resource.PropertyValue, bool) {
		v := plain(m[resource.PropertyKey(k)])
		if v.ContainsUnknowns() {
			unknown = true
			return v, false
		}
		return v, !v.IsNull()
	}
	intOf := func(k string, dst *int64) {
		if v, ok := known(k); ok {
			if !v.IsNumber() || v.NumberValue() != math.Trunc(v.NumberValue()) {
				fail(k, "%s must be a whole number", k)
				return
			}
			*dst = int64(v.NumberValue())
		}
	}
	boolOf := func(k string, dst *bool) bool {
		if v, ok := known(k); ok {
			if !v.IsBool() {
				fail(k, "%s must be a boolean", k)
				return false
			}
			*dst = v.BoolValue()
			return true
		}
		return false
	}

	if m["length"].IsNull() {
		fail("length", "Missing required property 'length'")
	}
	intOf("length", &prm.Length)
	lengthKnown := !m["length"].IsNull() && !m["length"].ContainsUnknowns()
	intOf("minUpper", &prm.MinUpper)
	intOf("minLower", &prm.MinLower)
	intOf("minNumeric", &prm.MinNumeric)
	intOf("minSpecial", &prm.MinSpecial)
	boolOf("upper", &prm.Upper)
	boolOf("lower", &prm.Lower)
	boolOf("special", &prm.Special)
	var number, numeric bool
	hasNumber, hasNumeric := boolOf("number", &number), boolOf("numeric", &numeric)
	switch {
	case hasNumber && hasNumeric && number != numeric:
		fail("numeric", "number and numeric are both set, to different values; number is deprecated, use numeric")
	case hasNumeric:
		prm.Numeric = numeric
	case hasNumber:
		prm.Numeric = number
	}
	if v, ok := known("overrideSpecial"); ok {
		if !v.IsString() {
			fail("overrideSpecial", "overrideSpecial must be a string")
		} else {
			prm.OverrideSpecial = v.StringValue()
		}
	}
	if v, ok := known("keepers"); ok && !v.IsObject() {
		fail("keepers", "keepers must be a map of strings")
	}

	switch {
	case len(failures) > 0:
	case !unknown:
		found := prm.validate()
		keys := make([]string, 0, len(found))
		for k := range found {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fail(k, "%s", found[k])
		}
	case lengthKnown && prm.Length < 1: // the sums need every min* known
		fail("length", "length must be at least 1, got: %d", prm.Length)
	}
	return prm, unknown, failures
}
