// Package webencoding implements the decoders of the WHATWG Encoding
// Standard as TextDecoder uses them: every encoding and label of the
// standard (the labels and the legacy encodings' indexes are those of
// golang.org/x/text, which implements the standard), exact label
// handling, the fatal and replacement error modes, BOM handling, and
// streaming decode across chunk boundaries.
//
// UTF-8 and UTF-16 are decoded here, step by step as the standard writes
// their decoders (so that errors are reported where the standard reports
// them, one U+FFFD per maximal subpart); the legacy encodings are decoded
// by x/text's transformers.
package webencoding

import (
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"

	"github.com/swhost/swhost/weberr"
)

// An Encoding is one encoding of the standard.
type Encoding struct {
	name string
	kind kind
	x    encoding.Encoding // legacy encodings
}

type kind int

const (
	kindUTF8 kind = iota
	kindUTF16LE
	kindUTF16BE
	kindLegacy
	kindReplacement
)

// UTF8 is the UTF-8 encoding.
var UTF8 = &Encoding{name: "utf-8", kind: kindUTF8}

// Name returns the encoding's name, lower-case, as TextDecoder's encoding
// attribute gives it ("utf-8", "windows-1252", "shift_jis").
func (e *Encoding) Name() string { return e.name }

// IsReplacement reports whether e is the replacement encoding, which
// labels such as "iso-2022-kr" map to and which TextDecoder refuses.
func (e *Encoding) IsReplacement() bool { return e.kind == kindReplacement }

// Lookup returns the encoding of a label ("get an encoding"): the label
// without leading and trailing ASCII whitespace, matched without regard to
// ASCII case. It returns false for a label the standard does not define,
// including one padded with other whitespace ("\vutf-8").
func Lookup(label string) (*Encoding, bool) {
	l := strings.Trim(label, "\t\n\f\r ")
	if l == "" || strings.TrimSpace(l) != l {
		return nil, false
	}
	for i := 0; i < len(l); i++ {
		if l[i] >= 0x80 {
			return nil, false // labels are ASCII; x/text would fold non-ASCII case
		}
	}
	x, err := htmlindex.Get(l)
	if err != nil {
		return nil, false
	}
	name, err := htmlindex.Name(x)
	if err != nil {
		return nil, false
	}
	switch name {
	case "utf-8":
		return UTF8, true
	case "utf-16le":
		return &Encoding{name: name, kind: kindUTF16LE}, true
	case "utf-16be":
		return &Encoding{name: name, kind: kindUTF16BE}, true
	case "replacement":
		return &Encoding{name: name, kind: kindReplacement}, true
	}
	return &Encoding{name: name, kind: kindLegacy, x: x}, true
}

// errInvalid is the TypeError a fatal decoder fails with.
func errInvalid(name string) error {
	return weberr.Errorf(weberr.TypeError, "The encoded data was not valid for encoding %s", name)
}

// A Decoder decodes a stream of bytes in one encoding, as a TextDecoder
// does: each Decode call takes the next chunk, and stream false ends the
// stream (the decoder then starts a new one). A Decoder is not safe for
// concurrent use.
type Decoder struct {
	enc       *Encoding
	fatal     bool
	ignoreBOM bool
	bomSeen   bool

	u8     utf8State
	u16    utf16State
	legacy *legacyState
}

// NewDecoder returns a decoder of e. With fatal, invalid input is a
// TypeError instead of U+FFFD; with ignoreBOM, a leading byte order mark
// of UTF-8 and UTF-16 is kept in the output instead of being removed.
// e must not be the replacement encoding.
func (e *Encoding) NewDecoder(fatal, ignoreBOM bool) *Decoder {
	return &Decoder{enc: e, fatal: fatal, ignoreBOM: ignoreBOM}
}

// Encoding returns the encoding d decodes.
func (d *Decoder) Encoding() *Encoding { return d.enc }

// Decode decodes the next chunk. With stream true, bytes of an incomplete
// sequence at the end of p are kept for the next call; with stream false,
// the stream ends: an incomplete sequence is an error, and the decoder is
// reset. With fatal, the first error fails the call and resets the
// decoder.
func (d *Decoder) Decode(p []byte, stream bool) (string, error) {
	var out string
	var err error
	switch d.enc.kind {
	case kindUTF8:
		if !stream && d.u8.needed == 0 && validUTF8(p) {
			// The common case: one whole, valid input.
			out = string(p)
			break
		}
		out, err = d.u8.decode(p, !stream, d.fatal)
	case kindUTF16LE, kindUTF16BE:
		out, err = d.u16.decode(p, d.enc.kind == kindUTF16BE, !stream, d.fatal)
	default:
		if d.legacy == nil {
			d.legacy = newLegacyState(d.enc.x)
		}
		out, err = d.legacy.decode(p, !stream, d.fatal)
	}
	if err != nil {
		d.reset()
		return "", errInvalid(d.enc.name)
	}
	if !d.ignoreBOM && !d.bomSeen && d.enc.kind != kindLegacy && out != "" {
		d.bomSeen = true
		out = strings.TrimPrefix(out, "\uFEFF")
	}
	if !stream {
		d.reset()
	}
	return out, nil
}

func (d *Decoder) reset() {
	d.bomSeen = false
	d.u8 = utf8State{}
	d.u16 = utf16State{}
	d.legacy = nil
}

// DecodeUTF8 is the standard's "UTF-8 decode" of a whole input (the
// decoding of bodies, text() and json()): a leading BOM is removed, and
// each invalid sequence becomes U+FFFD. With fatal ("UTF-8 decode without
// BOM or fail" aside, TextDecoder's fatal mode), invalid input is a
// TypeError; with ignoreBOM the BOM is kept.
func DecodeUTF8(p []byte, fatal, ignoreBOM bool) (string, error) {
	if !ignoreBOM && len(p) >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF {
		p = p[3:]
	}
	if validUTF8(p) {
		return string(p), nil
	}
	var s utf8State
	out, err := s.decode(p, true, fatal)
	if err != nil {
		return "", errInvalid("utf-8")
	}
	return out, nil
}
