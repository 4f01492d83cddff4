package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"golang.org/x/crypto/bcrypt"
)

func count(s, set string) int {
	n := 0
	for _, c := range s {
		if strings.ContainsRune(set, c) {
			n++
		}
	}
	return n
}

func TestGenerateRespectsLengthAndClasses(t *testing.T) {
	for i := 0; i < 200; i++ {
		p := defaultParams()
		p.Length, p.MinUpper, p.MinLower, p.MinNumeric, p.MinSpecial = 24, 3, 4, 5, 6
		s, err := p.generate()
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != 24 {
			t.Fatalf("length %d, want 24: %q", len(s), s)
		}
		for set, min := range map[string]int{upperChars: 3, lowerChars: 4, numChars: 5, defaultSpecial: 6} {
			if got := count(s, set); got < min {
				t.Fatalf("%q has %d of %q, want at least %d", s, got, set, min)
			}
		}
	}
}

func TestGenerateOnlyEnabledClasses(t *testing.T) {
	p := defaultParams()
	p.Length, p.Upper, p.Lower, p.Special = 64, false, false, false
	s, err := p.generate()
	if err != nil {
		t.Fatal(err)
	}
	if count(s, numChars) != 64 {
		t.Fatalf("numeric only, got %q", s)
	}

	p = defaultParams()
	p.Length, p.OverrideSpecial, p.Upper, p.Lower, p.Numeric = 40, "#", false, false, false
	if s, _ = p.generate(); s != strings.Repeat("#", 40) {
		t.Fatalf("overrideSpecial only, got %q", s)
	}
}

func TestGenerateIsRandom(t *testing.T) {
	p := defaultParams()
	p.Length = 32
	a, _ := p.generate()
	b, _ := p.generate()
	if a == b {
		t.Fatalf("two draws are equal: %q", a)
	}
}

func props(m map[string]any) resource.PropertyMap { return resource.NewPropertyMapFromMap(m) }

func TestCheckValidates(t *testing.T) {
	p := &randomProvider{}
	cases := map[string]map[string]any{
		"length":  {"length": 0},
		"length ": {"length": 4, "minUpper": 2, "minSpecial": 3},
		"numeric": {"length": 4, "number": true, "numeric": false},
		"special": {"length": 4, "upper": false, "lower": false, "numeric": false, "special": false},
	}
	for want, in := range cases {
		resp, err := p.Check(context.Background(), plugin.CheckRequest{Type: passwordType, News: props(in)})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Failures) != 1 || string(resp.Failures[0].Property) != strings.TrimSpace(want) {
			t.Fatalf("%v: failures %v, want one on %q", in, resp.Failures, want)
		}
	}
	resp, _ := p.Check(context.Background(), plugin.CheckRequest{Type: passwordType, News: props(map[string]any{"length": 16})})
	if len(resp.Failures) != 0 {
		t.Fatalf("valid inputs failed: %v", resp.Failures)
	}
	if _, err := p.Check(context.Background(), plugin.CheckRequest{Type: "random:index/randomPet:RandomPet"}); err == nil {
		t.Fatal("RandomPet accepted")
	}
}

func TestCreatePasswordOutputs(t *testing.T) {
	p := &randomProvider{}
	in := props(map[string]any{"length": 20, "special": false, "keepers": map[string]any{"k": "1"}})
	resp, err := p.Create(context.Background(), plugin.CreateRequest{Type: passwordType, Properties: in})
	if err != nil {
		t.Fatal(err)
	}
	if resp.ID != "none" {
		t.Fatalf("id %q", resp.ID)
	}
	res := resp.Properties["result"]
	if !res.IsSecret() {
		t.Fatal("result is not secret")
	}
	s := res.SecretValue().Element.StringValue()
	if len(s) != 20 || count(s, defaultSpecial) != 0 {
		t.Fatalf("result %q", s)
	}
	hash := resp.Properties["bcryptHash"]
	if !hash.IsSecret() || bcrypt.CompareHashAndPassword([]byte(hash.SecretValue().Element.StringValue()), []byte(s)) != nil {
		t.Fatal("bcryptHash is not a secret bcrypt hash of result")
	}
	for k, want := range map[string]any{"length": 20.0, "special": false, "upper": true, "lower": true,
		"numeric": true, "number": true, "minUpper": 0.0, "minLower": 0.0, "minNumeric": 0.0, "minSpecial": 0.0} {
		if got := resp.Properties[resource.PropertyKey(k)]; !got.DeepEquals(resource.NewPropertyValue(want)) {
			t.Fatalf("%s = %v, want %v", k, got, want)
		}
	}
	if _, ok := resp.Properties["overrideSpecial"]; ok {
		t.Fatal("overrideSpecial recorded though not set")
	}

	// Preview: result unknown, nothing generated.
	prev, _ := p.Create(context.Background(), plugin.CreateRequest{Type: passwordType, Properties: in, Preview: true})
	if !prev.Properties["result"].IsComputed() {
		t.Fatal("preview result is known")
	}

	// RandomString: id = result, not secret.
	str, _ := p.Create(context.Background(), plugin.CreateRequest{Type: stringType, Properties: in})
	if str.Properties["result"].IsSecret() || string(str.ID) != str.Properties["result"].StringValue() {
		t.Fatalf("RandomString id %q result %v", str.ID, str.Properties["result"])
	}
	if _, ok := str.Properties["bcryptHash"]; ok {
		t.Fatal("RandomString has bcryptHash")
	}
}

func TestDiff(t *testing.T) {
	p := &randomProvider{}
	in := props(map[string]any{"length": 16, "keepers": map[string]any{"rev": "1"}})
	created, _ := p.Create(context.Background(), plugin.CreateRequest{Type: passwordType, Properties: in})
	diff := func(news resource.PropertyMap) plugin.DiffResult {
		d, err := p.Diff(context.Background(), plugin.DiffRequest{
			Type: passwordType, OldInputs: in, OldOutputs: created.Properties, NewInputs: news,
		})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}

	// Same inputs, also with defaults spelled out: no change.
	if d := diff(in); d.Changes != plugin.DiffNone {
		t.Fatalf("unchanged inputs: %+v", d)
	}
	same := props(map[string]any{"length": 16, "keepers": map[string]any{"rev": "1"}, "upper": true, "minLower": 0})
	if d := diff(same); d.Changes != plugin.DiffNone {
		t.Fatalf("defaults spelled out: %+v", d)
	}

	// A keeper change replaces.
	d := diff(props(map[string]any{"length": 16, "keepers": map[string]any{"rev": "2"}}))
	if d.Changes != plugin.DiffSome || len(d.ReplaceKeys) != 1 || d.ReplaceKeys[0] != "keepers" ||
		!d.DetailedDiff["keepers"].Kind.IsReplace() {
		t.Fatalf("keeper change: %+v", d)
	}
	// A secret keeper with the same value does not.
	sec := resource.PropertyMap{"length": resource.NewProperty(16.0), "keepers": resource.NewObjectProperty(
		resource.PropertyMap{"rev": resource.MakeSecret(resource.NewProperty("1"))})}
	if d := diff(sec); d.Changes != plugin.DiffNone {
		t.Fatalf("secret keeper, same value: %+v", d)
	}
	// An unknown keeper replaces.
	unk := resource.PropertyMap{"length": resource.NewProperty(16.0), "keepers": resource.NewObjectProperty(
		resource.PropertyMap{"rev": resource.MakeComputed(resource.NewProperty(""))})}
	if d := diff(unk); d.Changes != plugin.DiffSome {
		t.Fatalf("unknown keeper: %+v", d)
	}
	// Any other input change replaces.
	if d := diff(props(map[string]any{"length": 17, "keepers": map[string]any{"rev": "1"}})); d.Changes != plugin.DiffSome ||
		!d.DetailedDiff["length"].Kind.IsReplace() {
		t.Fatalf("length change: %+v", d)
	}
	if d := diff(props(map[string]any{"length": 16, "keepers": map[string]any{"rev": "1"}, "number": false})); d.Changes != plugin.DiffSome {
		t.Fatalf("number change: %+v", d)
	}
}

func TestReadReturnsState(t *testing.T) {
	p := &randomProvider{}
	state := props(map[string]any{"length": 3, "result": "abc"})
	r, err := p.Read(context.Background(), plugin.ReadRequest{Type: stringType, ID: "abc", Inputs: state, State: state})
	if err != nil || r.ID != "abc" || !r.Outputs.DeepEquals(state) {
		t.Fatalf("read %+v %v", r, err)
	}
	// Import: the ID is the value.
	r, _ = p.Read(context.Background(), plugin.ReadRequest{Type: passwordType, ID: "s3cret!"})
	if r.ID != "none" || r.Outputs["result"].SecretValue().Element.StringValue() != "s3cret!" ||
		r.Outputs["length"].NumberValue() != 7 {
		t.Fatalf("import %+v", r)
	}
}

func TestSchemaMatchesSDK(t *testing.T) {
	var s struct {
		Name      string
		Version   string
		Resources map[string]struct {
			Properties      map[string]struct{ Secret bool }
			InputProperties map[string]any
			RequiredInputs  []string
		}
	}
	if err := json.Unmarshal(schemaJSON, &s); err != nil {
		t.Fatal(err)
	}
	if s.Name != "random" || s.Version != version {
		t.Fatalf("schema %s %s", s.Name, s.Version)
	}
	pw := s.Resources[string(passwordType)]
	if !pw.Properties["result"].Secret || !pw.Properties["bcryptHash"].Secret {
		t.Fatal("password outputs not secret in the schema")
	}
	for _, k := range inputKeys {
		if _, ok := pw.InputProperties[k]; !ok {
			t.Fatalf("schema lacks input %s", k)
		}
	}
	if len(pw.InputProperties) != len(inputKeys) {
		t.Fatalf("schema has %d inputs, the provider %d", len(pw.InputProperties), len(inputKeys))
	}
}
