package worker

import (
	"strings"
	"unicode/utf8"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/weberr"
)

// Bindings of js/41_encoding.js.

// encodeUTF8 is host.encodeUTF8(s): TextEncoder.encode, an ArrayBuffer of
// s in UTF-8 (lone surrogates as U+FFFD).
func (in *instance) encodeUTF8(v sobek.Value) sobek.Value {
	in.checkSize(len(v.String()))
	return in.rt.ToValue(in.rt.NewArrayBuffer(utf8Bytes(v)))
}

// encodeInto is host.encodeInto(s, destination): TextEncoder.encodeInto,
// {read, written}. The destination is a Uint8Array (not a Proxy of one);
// a detached one has no room, so nothing is read or written.
func (in *instance) encodeInto(s string, d *sobek.Object) sobek.Value {
	if d == nil || d.ExportType() != typeBytes {
		in.throw(weberr.New(weberr.TypeError, "Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'."))
	}
	dst := bytesOf(d)
	read, written := 0, 0
	// The string gives lone surrogates as U+FFFD, as TextEncoder encodes
	// them: one code unit read, three bytes written.
	for _, r := range s {
		n := utf8.RuneLen(r)
		if written+n > len(dst) {
			break
		}
		utf8.EncodeRune(dst[written:], r)
		written += n
		read++
		if r > 0xFFFF {
			read++ // a surrogate pair
		}
	}
	o := in.rt.NewObject()
	_ = o.Set("read", read)
	_ = o.Set("written", written)
	return o
}

// decodeUTF8 is host.decodeUTF8(bytes, fatal, ignoreBOM): TextDecoder's
// UTF-8 decode of a whole input. With fatal, invalid input is a TypeError;
// without, each invalid sequence becomes U+FFFD.
func (in *instance) decodeUTF8(b []byte, fatal, ignoreBOM bool) string {
	if !ignoreBOM && len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		b = b[3:]
	}
	if fatal && !utf8.Valid(b) {
		in.throw(weberr.New(weberr.TypeError, "The encoded data was not valid UTF-8."))
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// utf8Bytes encodes a JavaScript string as UTF-8, replacing lone
// surrogates with U+FFFD as TextEncoder does.
func utf8Bytes(v sobek.Value) []byte {
	s := v.String()
	if utf8.ValidString(s) {
		return []byte(s)
	}
	return []byte(strings.ToValidUTF8(s, "\uFFFD"))
}
