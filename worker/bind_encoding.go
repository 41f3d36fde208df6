package worker

import (
	"strings"
	"unicode/utf8"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/internal/webencoding"
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

// decodeUTF8 is host.decodeUTF8(bytes, fatal, ignoreBOM): the Encoding
// standard's UTF-8 decode of a whole input (bodies' text() and json()).
// With fatal, invalid input is a TypeError; without, each maximal invalid
// subpart becomes U+FFFD.
func (in *instance) decodeUTF8(b []byte, fatal, ignoreBOM bool) string {
	s, err := webencoding.DecodeUTF8(b, fatal, ignoreBOM)
	if err != nil {
		in.throw(err)
	}
	return s
}

// textDecoderNew is host.textDecoderNew(label, fatal, ignoreBOM): a
// decoder (a handle) of the encoding label names, or null when the label
// names none, or the replacement encoding (TextDecoder's RangeError).
func (in *instance) textDecoderNew(label string, fatal, ignoreBOM bool) sobek.Value {
	e, ok := webencoding.Lookup(label)
	if !ok || e.IsReplacement() {
		return sobek.Null()
	}
	return in.rt.ToValue(e.NewDecoder(fatal, ignoreBOM))
}

// textDecoderName is host.textDecoderName(decoder): the name of its
// encoding (TextDecoder.encoding).
func textDecoderName(d *webencoding.Decoder) string { return d.Encoding().Name() }

// textDecode is host.textDecode(decoder, bytes, stream):
// TextDecoder.decode of the next chunk; a fatal decoder's error is a
// TypeError.
func (in *instance) textDecode(d *webencoding.Decoder, b []byte, stream bool) string {
	s, err := d.Decode(b, stream)
	if err != nil {
		in.throw(err)
	}
	return s
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
