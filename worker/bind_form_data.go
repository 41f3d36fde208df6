package worker

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"strconv"
	"strings"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/weberr"
)

// Bindings of js/15_form_data.js: the multipart/form-data encoding of the
// HTML standard and the Fetch standard's multipart/form-data parser.

// formDataEncode is host.formDataEncode(entries): the multipart/form-data
// encoding of entries, flat as [name, value, filename, type, ...] (value a
// string and filename null for a string entry, value bytes for a File),
// as [bytes (an ArrayBuffer), contentType].
func (in *instance) formDataEncode(flat *sobek.Object) sobek.Value {
	var b bytes.Buffer
	var rnd [12]byte
	_, _ = rand.Read(rnd[:])
	boundary := "----swhostFormBoundary" + hex.EncodeToString(rnd[:])
	n := 0
	if flat != nil {
		n = listLen(flat)
	}
	at := func(i int) sobek.Value { return flat.Get(strconv.Itoa(i)) }
	for i := 0; i+3 < n; i += 4 {
		b.WriteString("--" + boundary + "\r\n")
		b.WriteString(`Content-Disposition: form-data; name="` + escapeFormName(at(i).String()) + `"`)
		if fn := at(i + 2); sobek.IsNull(fn) || sobek.IsUndefined(fn) {
			b.WriteString("\r\n\r\n")
			b.Write(utf8Bytes(at(i + 1)))
		} else {
			typ := at(i + 3).String()
			if typ == "" {
				typ = "application/octet-stream"
			}
			b.WriteString(`; filename="` + escapeFormName(fn.String()) + "\"\r\nContent-Type: " + typ + "\r\n\r\n")
			b.Write(bytesOf(at(i + 1)))
		}
		b.WriteString("\r\n")
		in.checkSize(b.Len())
	}
	b.WriteString("--" + boundary + "--\r\n")
	in.checkSize(b.Len())
	return in.rt.NewArray(in.rt.NewArrayBuffer(b.Bytes()), "multipart/form-data; boundary="+boundary)
}

// escapeFormName escapes a name or filename in a Content-Disposition
// header as the HTML standard does: LF, CR and '"' as %0A, %0D and %22.
func escapeFormName(s string) string {
	return strings.NewReplacer("\n", "%0A", "\r", "%0D", `"`, "%22").Replace(s)
}

// formDataParse is host.formDataParse(bytes, contentType): the entries of
// a multipart/form-data body, flat as [name, bytes, filename, type, ...]
// (filename null for a string entry, whose bytes the bootstrap decodes as
// UTF-8). A body that does not parse is a TypeError.
func (in *instance) formDataParse(body []byte, contentType string) sobek.Value {
	_, params, err := mime.ParseMediaType(contentType)
	boundary := params["boundary"]
	if err != nil || boundary == "" {
		in.throw(weberr.New(weberr.TypeError, "Failed to execute 'formData': the multipart/form-data Content-Type has no boundary."))
	}
	if !bytes.HasPrefix(body, []byte("--"+boundary)) {
		in.throw(weberr.New(weberr.TypeError, "Failed to execute 'formData': the multipart/form-data body does not start with its boundary."))
	}
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	var flat []any
	for {
		p, err := r.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			in.throw(weberr.Errorf(weberr.TypeError, "Failed to execute 'formData': the multipart/form-data body does not parse: %v", err))
		}
		name, okName := dispositionParam(p.Header.Get("Content-Disposition"), "name")
		if !okName {
			in.throw(weberr.New(weberr.TypeError, "Failed to execute 'formData': a part has no form-data name."))
		}
		data, err := io.ReadAll(p)
		if err != nil {
			in.throw(weberr.Errorf(weberr.TypeError, "Failed to execute 'formData': the multipart/form-data body does not parse: %v", err))
		}
		filename, isFile := dispositionParam(p.Header.Get("Content-Disposition"), "filename")
		if !isFile {
			flat = append(flat, name, in.rt.NewArrayBuffer(data), nil, nil)
			continue
		}
		typ := p.Header.Get("Content-Type")
		if typ == "" {
			typ = "text/plain"
		}
		flat = append(flat, name, in.uint8Array(data), filename, typ)
	}
	return in.rt.NewArray(flat...)
}

// dispositionParam returns a parameter of a form-data Content-Disposition
// header as the Fetch standard's parser reads it: the text between the
// quotes after `key="`, with %0A, %0D and %22 decoded.
func dispositionParam(h, key string) (string, bool) {
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(h)), "form-data") {
		return "", false
	}
	for rest := h; ; {
		i := strings.Index(rest, key+`="`)
		if i < 0 {
			return "", false
		}
		// The parameter starts after ';' and whitespace, not inside
		// another name (name= inside filename=).
		if before := strings.TrimRight(rest[:i], " \t"); !strings.HasSuffix(before, ";") {
			rest = rest[i+len(key):]
			continue
		}
		v := rest[i+len(key)+2:]
		j := strings.IndexByte(v, '"')
		if j < 0 {
			return "", false
		}
		return strings.NewReplacer("%0A", "\n", "%0D", "\r", "%22", `"`).Replace(v[:j]), true
	}
}
