package webcrypto

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
)

// JWK is the JsonWebKey dictionary. String members that are "" are absent
// (no member of a valid key is the empty string; see [JWKFromMap] for how a
// present empty string is read). KeyOps is nil when absent, Ext nil when
// absent.
type JWK struct {
	Kty    string               `json:"kty,omitempty"`
	Use    string               `json:"use,omitempty"`
	KeyOps []string             `json:"key_ops,omitempty"`
	Alg    string               `json:"alg,omitempty"`
	Ext    *bool                `json:"ext,omitempty"`
	Crv    string               `json:"crv,omitempty"`
	X      string               `json:"x,omitempty"`
	Y      string               `json:"y,omitempty"`
	D      string               `json:"d,omitempty"`
	N      string               `json:"n,omitempty"`
	E      string               `json:"e,omitempty"`
	P      string               `json:"p,omitempty"`
	Q      string               `json:"q,omitempty"`
	DP     string               `json:"dp,omitempty"`
	DQ     string               `json:"dq,omitempty"`
	QI     string               `json:"qi,omitempty"`
	Oth    []RsaOtherPrimesInfo `json:"oth,omitempty"`
	K      string               `json:"k,omitempty"`
}

// RsaOtherPrimesInfo is the RsaOtherPrimesInfo dictionary (JWK "oth").
type RsaOtherPrimesInfo struct {
	R string `json:"r,omitempty"`
	D string `json:"d,omitempty"`
	T string `json:"t,omitempty"`
}

// MarshalJSON encodes the JWK with key_ops present whenever KeyOps is
// non-nil, even when empty (exported keys always carry key_ops).
func (j *JWK) MarshalJSON() ([]byte, error) {
	type plain JWK
	v := struct {
		*plain
		KeyOps *[]string `json:"key_ops,omitempty"`
	}{plain: (*plain)(j)}
	if j.KeyOps != nil {
		v.KeyOps = &j.KeyOps
	}
	return json.Marshal(v)
}

// Map returns the JWK as the dictionary a binding turns into a JavaScript
// object: present members only, key_ops as []any of strings, ext as bool,
// oth as []any of map[string]any.
func (j *JWK) Map() map[string]any {
	m := map[string]any{}
	for name, v := range j.strings() {
		if *v != "" {
			m[name] = *v
		}
	}
	if j.KeyOps != nil {
		ops := make([]any, len(j.KeyOps))
		for i, o := range j.KeyOps {
			ops[i] = o
		}
		m["key_ops"] = ops
	}
	if j.Ext != nil {
		m["ext"] = *j.Ext
	}
	if j.Oth != nil {
		oth := make([]any, len(j.Oth))
		for i, o := range j.Oth {
			e := map[string]any{}
			for name, v := range map[string]string{"r": o.R, "d": o.D, "t": o.T} {
				if v != "" {
					e[name] = v
				}
			}
			oth[i] = e
		}
		m["oth"] = oth
	}
	return m
}

func (j *JWK) strings() map[string]*string {
	return map[string]*string{"kty": &j.Kty, "use": &j.Use, "alg": &j.Alg, "crv": &j.Crv,
		"x": &j.X, "y": &j.Y, "d": &j.D, "n": &j.N, "e": &j.E, "p": &j.P, "q": &j.Q,
		"dp": &j.DP, "dq": &j.DQ, "qi": &j.QI, "k": &j.K}
}

// presentEmpty stands in for a member that was given as "": it is never a
// valid value, so the checks that compare a present member reject it with
// DataError, as they would the empty string.
const presentEmpty = "\x00"

// JWKFromMap converts a JsonWebKey dictionary given as a map (as a binding
// exports a JavaScript object: string, bool, float64 and []any values) to a
// JWK. Unknown members are ignored, as WebIDL does. A wrongly typed member is
// a TypeError.
func JWKFromMap(m map[string]any) (*JWK, error) {
	j := &JWK{}
	d := dict{m: m, op: "jwk"}
	for name, p := range j.strings() {
		s, ok, err := d.str(name, false)
		if err != nil {
			return nil, err
		}
		if ok && s == "" {
			s = presentEmpty
		}
		*p = s
	}
	if v, ok := m["key_ops"]; ok && v != nil {
		ops, err := stringList(v)
		if err != nil {
			return nil, errorf(ErrType, "jwk: key_ops: %w", err)
		}
		j.KeyOps = ops
	}
	if v, ok := m["ext"]; ok && v != nil {
		b := truthy(v)
		j.Ext = &b
	}
	if v, ok := m["oth"]; ok && v != nil {
		list, ok := v.([]any)
		if !ok {
			return nil, errorf(ErrType, "jwk: oth must be a sequence, not %T", v)
		}
		for _, e := range list {
			em, ok := e.(map[string]any)
			if !ok {
				return nil, errorf(ErrType, "jwk: oth entries must be dictionaries, not %T", e)
			}
			var o RsaOtherPrimesInfo
			od := dict{m: em, op: "jwk.oth"}
			for name, p := range map[string]*string{"r": &o.R, "d": &o.D, "t": &o.T} {
				s, _, err := od.str(name, false)
				if err != nil {
					return nil, err
				}
				*p = s
			}
			j.Oth = append(j.Oth, o)
		}
	}
	return j, nil
}

func stringList(v any) ([]string, error) {
	switch l := v.(type) {
	case []string:
		return slices.Clone(l), nil
	case []any:
		out := make([]string, 0, len(l))
		for _, e := range l {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("entries must be strings, not %T", e)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("must be a sequence, not %T", v)
}

// truthy is ECMAScript ToBoolean for the values a binding exports.
func truthy(v any) bool {
	switch b := v.(type) {
	case bool:
		return b
	case string:
		return b != ""
	case float64:
		return b != 0 && b == b
	case int:
		return b != 0
	case int64:
		return b != 0
	case nil:
		return false
	}
	return true
}

// ParseJWK implements the spec's "parse a JWK": data is UTF-8 JSON holding a
// JsonWebKey. Any failure, including a missing kty, is a DataError.
func ParseJWK(data []byte) (*JWK, error) {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, errorf(ErrData, "parse JWK: %w", err)
	}
	if m == nil {
		return nil, errorf(ErrData, "parse JWK: not a JSON object")
	}
	j, err := JWKFromMap(m)
	if err != nil {
		return nil, errorf(ErrData, "parse JWK: %w", err)
	}
	if j.Kty == "" {
		return nil, errorf(ErrData, "parse JWK: kty is missing")
	}
	return j, nil
}

// checkCommon runs the checks every algorithm makes on a JWK it imports:
// kty, use (when use is not ""), key_ops and ext. All are DataErrors.
func (j *JWK) checkCommon(kty, use string, extractable bool, u usageSet) error {
	if j.Kty != kty {
		return errorf(ErrData, "jwk: kty is %q, want %q", j.Kty, kty)
	}
	if use != "" && j.Use != "" && j.Use != use {
		return errorf(ErrData, "jwk: use is %q, want %q", j.Use, use)
	}
	if j.KeyOps != nil {
		seen := map[string]bool{}
		for _, op := range j.KeyOps {
			if seen[op] {
				return errorf(ErrData, "jwk: key_ops lists %q twice", op)
			}
			seen[op] = true
		}
		for _, want := range u.list() {
			if !seen[want] {
				return errorf(ErrData, "jwk: key_ops %v does not include usage %q", j.KeyOps, want)
			}
		}
	}
	if j.Ext != nil && !*j.Ext && extractable {
		return errorf(ErrData, "jwk: ext is false but the key is to be extractable")
	}
	return nil
}

// b64 decodes a base64url member; an absent or malformed member is a
// DataError.
func b64(member, s string) ([]byte, error) {
	if s == "" {
		return nil, errorf(ErrData, "jwk: %s is missing", member)
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, errorf(ErrData, "jwk: %s is not base64url: %w", member, err)
	}
	return b, nil
}

func b64int(member, s string) (*big.Int, error) {
	b, err := b64(member, s)
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return nil, errorf(ErrData, "jwk: %s is empty", member)
	}
	return new(big.Int).SetBytes(b), nil
}

func enc(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// exportJWK starts a JWK for an exported key: kty, key_ops and ext.
func exportJWK(kty string, k *Key) *JWK {
	ext := k.extractable
	return &JWK{Kty: kty, KeyOps: k.Usages(), Ext: &ext}
}
