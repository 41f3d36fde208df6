package httpcache

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/swhost/swhost/fetch"
)

// entry is one stored response with what the cache needs to reuse it: the
// times of the exchange that produced (or last validated) it, and the
// request's values of the header fields its Vary names.
type entry struct {
	requestTime  time.Time
	responseTime time.Time
	resp         *fetch.Response
	vary         []varyValue
}

// varyValue is one selecting header field of the request that produced a
// stored response: its canonical name and normalized value, and whether
// the request had it at all.
type varyValue struct {
	name    string
	value   string
	present bool
}

// The encoding is a small binary format:
//
//	"HC" version(1) uvarint(len(body))
//	varint(requestTime ns) varint(responseTime ns)
//	uvarint(status) str(statusText) str(type) str(url) byte(redirected)
//	uvarint(n) n*str(urlList)
//	uvarint(n) n*(str(name) uvarint(m) m*str(value))   header
//	uvarint(n) n*(str(name) byte(present) str(value))  vary
//	body
//
// where str is uvarint(len) followed by the bytes. The body's length comes
// first so that the decoder copies the metadata into one string and leaves
// the body in place.
const (
	entryMagic0  = 'H'
	entryMagic1  = 'C'
	entryVersion = 1
)

var errCorrupt = errors.New("httpcache: corrupt entry")

// appendEntry appends the encoding of e to b.
func appendEntry(b []byte, e *entry) []byte {
	r := e.resp
	b = append(b, entryMagic0, entryMagic1, entryVersion)
	b = binary.AppendUvarint(b, uint64(len(r.Body)))
	b = binary.AppendVarint(b, e.requestTime.UnixNano())
	b = binary.AppendVarint(b, e.responseTime.UnixNano())
	b = binary.AppendUvarint(b, uint64(max(r.Status, 0)))
	b = appendStr(b, r.StatusText)
	b = appendStr(b, string(r.Type))
	b = appendStr(b, r.URL)
	if r.Redirected {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(r.URLList)))
	for _, u := range r.URLList {
		b = appendStr(b, u)
	}
	b = binary.AppendUvarint(b, uint64(len(r.Header)))
	for name, vs := range r.Header {
		b = appendStr(b, name)
		b = binary.AppendUvarint(b, uint64(len(vs)))
		for _, v := range vs {
			b = appendStr(b, v)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(e.vary)))
	for _, v := range e.vary {
		b = appendStr(b, v.name)
		if v.present {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = appendStr(b, v.value)
	}
	return append(b, r.Body...)
}

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decodeEntry decodes an entry. The response's body aliases b, so the
// caller must own b; every string is cut from one copy of the metadata.
func decodeEntry(b []byte) (*entry, error) {
	if len(b) < 3 || b[0] != entryMagic0 || b[1] != entryMagic1 {
		return nil, errCorrupt
	}
	if b[2] != entryVersion {
		return nil, fmt.Errorf("httpcache: entry version %d, want %d", b[2], entryVersion)
	}
	bodyLen, n := binary.Uvarint(b[3:])
	if n <= 0 || bodyLen > uint64(len(b)-3-n) {
		return nil, errCorrupt
	}
	metaEnd := len(b) - int(bodyLen)
	d := decoder{s: string(b[3+n : metaEnd])}
	// One allocation for the entry and its response.
	box := &struct {
		e entry
		r fetch.Response
	}{}
	e, r := &box.e, &box.r
	e.resp = r
	e.requestTime = time.Unix(0, d.varint()).UTC()
	e.responseTime = time.Unix(0, d.varint()).UTC()
	status := d.uvarint()
	if status > 999 {
		d.fail()
	}
	r.Status = int(status)
	r.StatusText = d.str()
	r.Type = fetch.ResponseType(d.str())
	r.URL = d.str()
	r.Redirected = d.bool()
	if k := d.count(); k > 0 {
		r.URLList = make([]string, k)
		for i := range r.URLList {
			r.URLList[i] = d.str()
		}
	}
	nh := d.count()
	r.Header = make(http.Header, nh)
	// The values of all fields share one backing array, sized for the
	// usual one value per field.
	values := make([]string, 0, nh)
	for range nh {
		name := d.str()
		nv := d.count()
		if nv == 0 {
			d.fail()
		}
		if cap(values)-len(values) < nv {
			values = make([]string, 0, max(nv, nh))
		}
		start := len(values)
		for range nv {
			values = append(values, d.str())
		}
		vs := values[start:len(values):len(values)]
		if _, dup := r.Header[name]; dup {
			d.fail()
		}
		r.Header[name] = vs
	}
	if k := d.count(); k > 0 {
		e.vary = make([]varyValue, k)
		for i := range e.vary {
			e.vary[i].name = d.str()
			e.vary[i].present = d.bool()
			e.vary[i].value = d.str()
		}
	}
	if d.bad || len(d.s) != 0 {
		return nil, errCorrupt
	}
	if bodyLen > 0 {
		r.Body = b[metaEnd:len(b):len(b)]
	}
	return e, nil
}

// decoder reads the metadata; after the first error every read returns
// zero values and bad is set.
type decoder struct {
	s   string
	bad bool
}

func (d *decoder) fail() { d.bad, d.s = true, "" }

func (d *decoder) uvarint() uint64 {
	var x uint64
	for i := 0; i < len(d.s) && i < binary.MaxVarintLen64; i++ {
		c := d.s[i]
		if i == binary.MaxVarintLen64-1 && c > 1 {
			break
		}
		x |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			d.s = d.s[i+1:]
			return x
		}
	}
	d.fail()
	return 0
}

func (d *decoder) varint() int64 {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

// count reads a count of items that each take at least one byte, so a
// corrupt count cannot ask for more items than bytes remain.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.s)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.uvarint()
	if n > uint64(len(d.s)) {
		d.fail()
		return ""
	}
	s := d.s[:n]
	d.s = d.s[n:]
	return s
}

func (d *decoder) bool() bool {
	if len(d.s) == 0 || d.s[0] > 1 {
		d.fail()
		return false
	}
	v := d.s[0] == 1
	d.s = d.s[1:]
	return v
}
