// Package hopbyhop removes the header fields that belong to one HTTP
// connection rather than to the message (RFC 9110 §7.6.1), as a proxy or
// gateway forwarding a message must: the fields its Connection header
// names, and the hop-by-hop fields every HTTP/1.1 intermediary knows
// whether or not Connection names them. The edge listener and the forward
// proxy apply it to the requests they forward and the responses they
// return; the HTTP cache applies it to the responses it stores.
package hopbyhop

import (
	"net/http"
	"net/textproto"
	"strings"
)

// Fields are the hop-by-hop fields removed even when Connection does not
// name them, in canonical form.
var Fields = []string{"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
	"Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// Is reports whether the field name (canonical form) is hop-by-hop in a
// message with the header h: one of Fields, or named by h's Connection.
func Is(h http.Header, name string) bool {
	for _, f := range Fields {
		if f == name {
			return true
		}
	}
	found := false
	connectionOptions(h, func(opt string) bool {
		found = opt == name
		return !found
	})
	return found
}

// Remove deletes from h the fields its Connection header names and the
// Fields.
func Remove(h http.Header) {
	connectionOptions(h, func(opt string) bool {
		delete(h, opt)
		return true
	})
	for _, f := range Fields {
		delete(h, f)
	}
}

// connectionOptions calls yield with each option of h's Connection
// fields, in canonical form, until yield returns false. The options are
// a comma-separated list of field names with optional whitespace (RFC
// 9110 §7.6.1); empty list elements are skipped.
func connectionOptions(h http.Header, yield func(string) bool) {
	for _, v := range h["Connection"] {
		for opt := range strings.SplitSeq(v, ",") {
			opt = strings.Trim(opt, " \t")
			if opt == "" {
				continue
			}
			if !yield(textproto.CanonicalMIMEHeaderKey(opt)) {
				return
			}
		}
	}
}
