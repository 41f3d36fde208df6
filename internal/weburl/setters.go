package weburl

import (
	"strings"

	"github.com/swhost/swhost/weberr"
)

// The setters follow the URL API: each runs the standard's setter steps
// (mostly the basic URL parser with a state override) on u. Where the
// standard's setter would leave the URL unchanged because the value is
// invalid or does not apply, they return a TypeError saying so and u is not
// modified. A value that is only partly applied (as "example.com:x" for
// SetHost, which sets the host and ignores the bad port) is not an error.

// SetHref replaces u by the result of parsing value, as URL.href's setter
// does; it returns the parse error otherwise.
func (u *URL) SetHref(value string) error {
	nu, err := Parse(value)
	if err != nil {
		return err
	}
	*u = *nu
	return nil
}

// SetProtocol sets the scheme from value (a trailing ':' and anything after
// it are ignored). Changing between special and non-special schemes, and to
// "file" with credentials or a port, is refused.
func (u *URL) SetProtocol(value string) error {
	if err := u.zero("protocol", value); err != nil {
		return err
	}
	r := u.record()
	err := basicParse(removeTabNewline(toValidUTF8(value)+":"), nil, r, stSchemeStart)
	return u.finish(r, err, "protocol", value)
}

// SetUsername sets the username, percent-encoded with the userinfo set. URLs
// without a host, with an empty host or with scheme "file" cannot have one.
func (u *URL) SetUsername(value string) error {
	if err := u.zero("username", value); err != nil {
		return err
	}
	r := u.record()
	if r.cannotHaveUserPassPort() {
		return setterError("username", value, "this URL cannot have a username")
	}
	r.username = PercentEncode(value, Userinfo)
	return u.finish(r, nil, "username", value)
}

// SetPassword sets the password, percent-encoded with the userinfo set. URLs
// without a host, with an empty host or with scheme "file" cannot have one.
func (u *URL) SetPassword(value string) error {
	if err := u.zero("password", value); err != nil {
		return err
	}
	r := u.record()
	if r.cannotHaveUserPassPort() {
		return setterError("password", value, "this URL cannot have a password")
	}
	r.password = PercentEncode(value, Userinfo)
	return u.finish(r, nil, "password", value)
}

// SetHost sets the host and, when value has one, the port ("host:port").
func (u *URL) SetHost(value string) error {
	if err := u.zero("host", value); err != nil {
		return err
	}
	if u.HasOpaquePath() {
		return setterError("host", value, "URL has an opaque path")
	}
	r := u.record()
	err := basicParse(removeTabNewline(toValidUTF8(value)), nil, r, stHost)
	return u.finish(r, err, "host", value)
}

// SetHostname sets the host; value must not contain a port.
func (u *URL) SetHostname(value string) error {
	if err := u.zero("hostname", value); err != nil {
		return err
	}
	if u.HasOpaquePath() {
		return setterError("hostname", value, "URL has an opaque path")
	}
	r := u.record()
	err := basicParse(removeTabNewline(toValidUTF8(value)), nil, r, stHostname)
	return u.finish(r, err, "hostname", value)
}

// SetPort sets the port from the leading digits of value; "" clears it. The
// scheme's default port is stored as no port.
func (u *URL) SetPort(value string) error {
	if err := u.zero("port", value); err != nil {
		return err
	}
	r := u.record()
	if r.cannotHaveUserPassPort() {
		return setterError("port", value, "this URL cannot have a port")
	}
	if value == "" {
		r.port = -1
		return u.finish(r, nil, "port", value)
	}
	err := basicParse(removeTabNewline(toValidUTF8(value)), nil, r, stPort)
	return u.finish(r, err, "port", value)
}

// SetPathname replaces the path. URLs with an opaque path refuse it.
func (u *URL) SetPathname(value string) error {
	if err := u.zero("pathname", value); err != nil {
		return err
	}
	if u.HasOpaquePath() {
		return setterError("pathname", value, "URL has an opaque path")
	}
	r := u.record()
	r.path = r.path[:0]
	err := basicParse(removeTabNewline(toValidUTF8(value)), nil, r, stPathStart)
	return u.finish(r, err, "pathname", value)
}

// SetSearch replaces the query (a leading '?' is dropped); "" makes it null.
func (u *URL) SetSearch(value string) error {
	if err := u.zero("search", value); err != nil {
		return err
	}
	r := u.record()
	if value == "" {
		r.query, r.hasQuery = "", false
		return u.finish(r, nil, "search", value)
	}
	value = toValidUTF8(value)
	in := strings.TrimPrefix(value, "?")
	r.query, r.hasQuery = "", true
	err := basicParse(removeTabNewline(in), nil, r, stQuery)
	return u.finish(r, err, "search", value)
}

// SetHash replaces the fragment (a leading '#' is dropped); "" makes it null.
func (u *URL) SetHash(value string) error {
	if err := u.zero("hash", value); err != nil {
		return err
	}
	r := u.record()
	if value == "" {
		r.fragment, r.hasFrag = "", false
		return u.finish(r, nil, "hash", value)
	}
	value = toValidUTF8(value)
	in := strings.TrimPrefix(value, "#")
	r.fragment, r.hasFrag = "", true
	err := basicParse(removeTabNewline(in), nil, r, stFragment)
	return u.finish(r, err, "hash", value)
}

// zero reports the error of a setter called on the zero URL.
func (u *URL) zero(what, value string) error {
	if u.href == "" {
		return setterError(what, value, "not a parsed URL")
	}
	return nil
}

// finish stores r into u unless the parser failed without changing anything,
// in which case it reports the failure.
func (u *URL) finish(r *record, err error, what, value string) error {
	nu := r.serialize()
	if err != nil && nu.href == u.href {
		return setterError(what, value, err.Error())
	}
	*u = *nu
	return nil
}

func setterError(what, value, reason string) error {
	return weberr.Errorf(weberr.TypeError, "cannot set %s to %q: %s", what, clip(value), reason)
}
