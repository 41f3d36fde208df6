package weburl

// Parse parses input as an absolute URL with the standard's URL parser (no
// base URL). The error, a TypeError, says why input is not a URL.
func Parse(input string) (*URL, error) {
	if u := parseFast(input); u != nil {
		return u, nil
	}
	r, err := parseURL(input, nil)
	if err != nil {
		return nil, err
	}
	return r.serialize(), nil
}

// ParseRef parses input against base (which may be nil), as new URL(input,
// base) does.
func ParseRef(base *URL, input string) (*URL, error) {
	if base == nil {
		return Parse(input)
	}
	if u := parseRefFast(base, input); u != nil {
		return u, nil
	}
	r, err := parseURL(input, base.record())
	if err != nil {
		return nil, err
	}
	return r.serialize(), nil
}

// MustParse is like Parse but panics when input is not a URL. It is meant
// for tests and for constants known to be valid.
func MustParse(input string) *URL {
	u, err := Parse(input)
	if err != nil {
		panic(err)
	}
	return u
}

// parseFast parses the common canonical shape
// special-scheme "://" lowercase-host [":" port] ["/" path] ["?" query] ["#" fragment]
// without allocating anything but the URL. It returns nil when input needs
// the general parser.
func parseFast(input string) *URL {
	return nil
}

// parseRefFast resolves the common relative shapes against a base with a
// host. It returns nil when input needs the general parser.
func parseRefFast(base *URL, input string) *URL {
	return nil
}
