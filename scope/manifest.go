package scope

import (
	"encoding/json"
	"strings"

	"github.com/swhost/swhost/internal/weburl"
)

// ParseManifest returns the scope of a web app manifest fetched from
// manifestURL. A "scopePattern" member (in the explainer's pattern form, its
// baseUrl defaulting to the manifest URL) takes precedence over "scope",
// so that one manifest serves browsers with and without scope patterns.
// Without either, the scope is the directory of "start_url" (itself
// defaulting to the manifest URL), as the manifest spec says.
func ParseManifest(data []byte, manifestURL string) (*Scope, error) {
	var m struct {
		Scope        *string         `json:"scope"`
		ScopePattern json.RawMessage `json:"scopePattern"`
		StartURL     *string         `json:"start_url"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, errorf("invalid manifest %s: %v", manifestURL, err)
	}
	if len(m.ScopePattern) > 0 && string(m.ScopePattern) != "null" {
		var in Init
		dec := json.NewDecoder(strings.NewReader(string(m.ScopePattern)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return nil, errorf("invalid manifest scopePattern: %v", err)
		}
		if in.BaseURL == "" {
			in.BaseURL = manifestURL
		} else if b, err := weburl.Parse(manifestURL); err == nil {
			if r, err := weburl.ParseRef(b, in.BaseURL); err == nil {
				in.BaseURL = r.Href()
			}
		}
		return New(in)
	}
	if m.Scope != nil {
		return ParseLegacy(*m.Scope, manifestURL)
	}
	start := manifestURL
	if m.StartURL != nil {
		base, err := weburl.Parse(manifestURL)
		if err != nil {
			return nil, errorf("invalid manifest URL %q: %s", manifestURL, trimName(err))
		}
		u, err := weburl.ParseRef(base, *m.StartURL)
		if err != nil {
			return nil, errorf("invalid manifest start_url %q: %s", *m.StartURL, trimName(err))
		}
		start = u.Href()
	}
	return ParseLegacy(".", start)
}
