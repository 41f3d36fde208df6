package urlpattern

import (
	"encoding/json"
	"strings"

	"github.com/swhost/swhost/internal/weburl"
)

// Init is the web API's URLPatternInit dictionary: one pattern (or, as
// input to Test and Exec, one value) per URL component, plus a base URL.
// A nil field is absent, which is different from a pointer to "": an absent
// component is inherited from BaseURL or defaults to the wildcard "*",
// while "" matches only the empty string. [Str] makes the pointers.
//
// Init marshals to and from the same JSON object as the web API's
// dictionary ({"pathname": "/books/:id"}).
type Init struct {
	Protocol *string `json:"protocol,omitempty"`
	Username *string `json:"username,omitempty"`
	Password *string `json:"password,omitempty"`
	Hostname *string `json:"hostname,omitempty"`
	Port     *string `json:"port,omitempty"`
	Pathname *string `json:"pathname,omitempty"`
	Search   *string `json:"search,omitempty"`
	Hash     *string `json:"hash,omitempty"`
	BaseURL  *string `json:"baseURL,omitempty"`
}

// MarshalJSON encodes the present members as a JSON object, in the
// dictionary's order.
func (in Init) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for _, m := range []struct {
		name string
		v    *string
	}{{"protocol", in.Protocol}, {"username", in.Username}, {"password", in.Password}, {"hostname", in.Hostname},
		{"port", in.Port}, {"pathname", in.Pathname}, {"search", in.Search}, {"hash", in.Hash}, {"baseURL", in.BaseURL}} {
		if m.v == nil {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, m.name...)
		b = append(b, '"', ':')
		b = appendJSONString(b, *m.v)
	}
	return append(b, '}'), nil
}

// Str returns a pointer to s, for filling in an [Init].
func Str(s string) *string { return &s }

// ParseInit decodes a JSON object into an Init. Unknown members are
// ignored, as WebIDL dictionaries ignore them; members that are not strings
// are an error.
func ParseInit(data []byte) (Init, error) {
	var init Init
	if err := json.Unmarshal(data, &init); err != nil {
		return Init{}, &Error{Offset: -1, Reason: "init must be a JSON object of strings", Err: err}
	}
	return init, nil
}

// processType is the "type" argument of "process a URLPatternInit".
type processType bool

const (
	forPattern processType = false
	forURL     processType = true
)

// processInit implements "process a URLPatternInit". The defaults (the
// protocol ... hash arguments of the standard) are passed in result.
func processInit(init *Init, typ processType, result Init) (Init, error) {
	result.BaseURL = nil
	var baseURL *weburl.URL
	if init.BaseURL != nil {
		u, err := weburl.Parse(*init.BaseURL)
		if err != nil {
			return Init{}, &Error{Offset: -1, Reason: "invalid base URL " + quote(*init.BaseURL), Err: err}
		}
		baseURL = u
		if init.Protocol == nil {
			result.Protocol = processBaseString(u.Scheme(), typ)
		}
		if typ != forPattern && init.Protocol == nil && init.Hostname == nil && init.Port == nil && init.Username == nil {
			result.Username = processBaseString(u.Username(), typ)
		}
		if typ != forPattern && init.Protocol == nil && init.Hostname == nil && init.Port == nil && init.Username == nil && init.Password == nil {
			result.Password = processBaseString(u.Password(), typ)
		}
		if init.Protocol == nil && init.Hostname == nil {
			result.Hostname = processBaseString(u.Hostname(), typ)
		}
		if init.Protocol == nil && init.Hostname == nil && init.Port == nil {
			result.Port = Str(u.Port())
		}
		if init.Protocol == nil && init.Hostname == nil && init.Port == nil && init.Pathname == nil {
			result.Pathname = processBaseString(u.Pathname(), typ)
		}
		if init.Protocol == nil && init.Hostname == nil && init.Port == nil && init.Pathname == nil && init.Search == nil {
			q, _ := u.Query()
			result.Search = processBaseString(q, typ)
		}
		if init.Protocol == nil && init.Hostname == nil && init.Port == nil && init.Pathname == nil && init.Search == nil && init.Hash == nil {
			f, _ := u.Fragment()
			result.Hash = processBaseString(f, typ)
		}
	}
	var err error
	if init.Protocol != nil {
		v := strings.TrimSuffix(*init.Protocol, ":")
		if typ == forURL {
			if v, err = canonicalizeProtocol(v); err != nil {
				return Init{}, withComponent(err, "protocol")
			}
		}
		result.Protocol = &v
	}
	if init.Username != nil {
		v := *init.Username
		if typ == forURL {
			v = canonicalizeUsername(v)
		}
		result.Username = &v
	}
	if init.Password != nil {
		v := *init.Password
		if typ == forURL {
			v = canonicalizePassword(v)
		}
		result.Password = &v
	}
	if init.Hostname != nil {
		v := *init.Hostname
		if typ == forURL {
			if v, err = canonicalizeHostname(v); err != nil {
				return Init{}, withComponent(err, "hostname")
			}
		}
		result.Hostname = &v
	}
	if init.Port != nil {
		v := *init.Port
		if typ == forURL {
			if v, err = canonicalizePort(v, deref(result.Protocol)); err != nil {
				return Init{}, withComponent(err, "port")
			}
		}
		result.Port = &v
	}
	if init.Pathname != nil {
		v := *init.Pathname
		// The standard's text says "has an opaque path"; browsers and the
		// web-platform-tests resolve against bases without one.
		if baseURL != nil && !baseURL.HasOpaquePath() && !isAbsolutePathname(v, typ) {
			basePath := *processBaseString(baseURL.Pathname(), typ)
			if i := strings.LastIndexByte(basePath, '/'); i >= 0 {
				v = basePath[:i+1] + v
			}
		}
		if typ == forURL {
			proto := deref(result.Protocol)
			if proto == "" || weburl.IsSpecialScheme(proto) {
				v, err = canonicalizePathname(v)
			} else {
				v, err = canonicalizeOpaquePathname(v)
			}
			if err != nil {
				return Init{}, withComponent(err, "pathname")
			}
		}
		result.Pathname = &v
	}
	if init.Search != nil {
		v := strings.TrimPrefix(*init.Search, "?")
		if typ == forURL {
			if v, err = canonicalizeSearch(v); err != nil {
				return Init{}, withComponent(err, "search")
			}
		}
		result.Search = &v
	}
	if init.Hash != nil {
		v := strings.TrimPrefix(*init.Hash, "#")
		if typ == forURL {
			if v, err = canonicalizeHash(v); err != nil {
				return Init{}, withComponent(err, "hash")
			}
		}
		result.Hash = &v
	}
	return result, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// processBaseString implements "process a base URL string".
func processBaseString(s string, typ processType) *string {
	if typ != forPattern {
		return &s
	}
	e := escapePatternString(s)
	return &e
}

// isAbsolutePathname implements "is an absolute pathname".
func isAbsolutePathname(s string, typ processType) bool {
	if s == "" {
		return false
	}
	if s[0] == '/' {
		return true
	}
	if typ == forURL || len(s) < 2 {
		return false
	}
	return (s[0] == '\\' || s[0] == '{') && s[1] == '/'
}
