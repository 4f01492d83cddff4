package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
)

// The character classes of the real provider (terraform-provider-random's random.CreateString).
const (
	numChars       = "0123456789"
	lowerChars     = "abcdefghijklmnopqrstuvwxyz"
	upperChars     = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	defaultSpecial = "!@#$%&*()-_=+[]{}<>:?"
)

// params are the effective inputs of RandomPassword/RandomString, defaults applied.
type params struct {
	Length          int64
	Upper           bool
	Lower           bool
	Numeric         bool
	Special         bool
	MinUpper        int64
	MinLower        int64
	MinNumeric      int64
	MinSpecial      int64
	OverrideSpecial string
}

func defaultParams() params {
	return params{Upper: true, Lower: true, Numeric: true, Special: true}
}

// validate mirrors the real provider's validators; the returned map is keyed by Pulumi property name.
func (p params) validate() map[string]string {
	failures := map[string]string{}
	for name, v := range map[string]int64{
		"minUpper": p.MinUpper, "minLower": p.MinLower, "minNumeric": p.MinNumeric, "minSpecial": p.MinSpecial,
	} {
		if v < 0 {
			failures[name] = fmt.Sprintf("%s must be at least 0, got: %d", name, v)
		}
	}
	sum := p.MinUpper + p.MinLower + p.MinNumeric + p.MinSpecial
	switch {
	case p.Length < 1:
		failures["length"] = fmt.Sprintf("length must be at least 1, got: %d", p.Length)
	case p.Length < sum:
		failures["length"] = fmt.Sprintf(
			"length must be at least the sum of minUpper + minLower + minNumeric + minSpecial (%d), got: %d",
			sum, p.Length)
	}
	if !p.Upper && !p.Lower && !p.Numeric && !p.Special && p.Length > sum {
		failures["special"] = "at least one of upper, lower, numeric and special must be true"
	}
	return failures
}

// generate builds the result as the real provider does: minUpper/minLower/minNumeric/minSpecial
// characters from each class (whether or not that class is enabled, as upstream), the rest from the
// union of the enabled classes, then a uniform shuffle. Every choice uses crypto/rand.
func (p params) generate() (string, error) {
	special := defaultSpecial
	if p.OverrideSpecial != "" {
		special = p.OverrideSpecial
	}
	var chars string
	if p.Upper {
		chars += upperChars
	}
	if p.Lower {
		chars += lowerChars
	}
	if p.Numeric {
		chars += numChars
	}
	if p.Special {
		chars += special
	}

	result := make([]byte, 0, p.Length)
	for _, class := range []struct {
		set string
		min int64
	}{{upperChars, p.MinUpper}, {lowerChars, p.MinLower}, {numChars, p.MinNumeric}, {special, p.MinSpecial}} {
		b, err := randomFrom(class.set, class.min)
		if err != nil {
			return "", err
		}
		result = append(result, b...)
	}
	b, err := randomFrom(chars, p.Length-int64(len(result)))
	if err != nil {
		return "", err
	}
	result = append(result, b...)

	for i := len(result) - 1; i > 0; i-- { // Fisher-Yates
		j, err := randomInt(int64(i + 1))
		if err != nil {
			return "", err
		}
		result[i], result[j] = result[j], result[i]
	}
	return string(result), nil
}

func randomFrom(set string, n int64) ([]byte, error) {
	if n <= 0 {
		return nil, nil
	}
	if set == "" {
		return nil, errors.New("the character set to choose from is empty")
	}
	out := make([]byte, n)
	for i := range out {
		j, err := randomInt(int64(len(set)))
		if err != nil {
			return nil, err
		}
		out[i] = set[j]
	}
	return out, nil
}

func randomInt(n int64) (int64, error) {
	v, err := rand.Int(rand.Reader, big.NewInt(n))
	if err != nil {
		return 0, err
	}
	return v.Int64(), nil
}
