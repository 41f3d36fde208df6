package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/swhost/swhost/weberr"
)

// Strict input. Every admin API request body goes through decodeBody, and
// every query parameter through queryParam, so that the rule is written
// once:
//
//   - the body is exactly one JSON object, with nothing but whitespace
//     after it;
//   - its member names are the request type's json tags, spelled exactly
//     (encoding/json would also take "Scope" for "scope"), each at most
//     once;
//   - no value is null, at any depth;
//   - each value has its field's type (a number where a string belongs is
//     an error, not a conversion);
//   - after decoding, the request's validate method checks required
//     fields and enumerations.
//
// Every failure is a TypeError whose message starts "field NAME: " when a
// field is to blame; the admin API answers it with 400.

// validator is implemented by request bodies that check their decoded
// fields (required fields, enumerations).
type validator interface {
	validate() error
}

// decodeBody decodes the request body into v, a pointer to a request
// struct, by the strict rule above, then runs v's validate method. An
// empty body decodes as {} (so that validate reports the missing fields).
func decodeBody(r *http.Request, v any) error {
	data, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxAPIBody))
	if err != nil {
		if isBodyTimeout(err) {
			e := weberr.Errorf(weberr.TimeoutError, "reading the request body: %v", err)
			e.Err = err
			return e
		}
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return weberr.Errorf(weberr.TypeError, "invalid JSON request body: the body is larger than %d bytes", maxAPIBody)
		}
		return weberr.Errorf(weberr.TypeError, "invalid JSON request body: %v", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		data = []byte("{}")
	}
	if err := decodeStrict(data, v); err != nil {
		return err
	}
	if val, ok := v.(validator); ok {
		return val.validate()
	}
	return nil
}

// noBody checks that a request which takes no body has none (or an empty
// JSON object).
func noBody(r *http.Request) error {
	return decodeBody(r, &struct{}{})
}

// fieldError returns a TypeError naming the field at fault.
func fieldError(field, format string, args ...any) error {
	return weberr.Errorf(weberr.TypeError, "field %s: %s", field, fmt.Sprintf(format, args...))
}

// decodeStrict decodes data, one JSON object, into v (a pointer to a
// struct) by the strict rule.
func decodeStrict(data []byte, v any) error {
	rv := reflect.ValueOf(v).Elem()
	fields := jsonFields(rv.Type())
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return syntaxError(err)
	}
	if tok != json.Delim('{') {
		return weberr.Errorf(weberr.TypeError, "invalid JSON request body: want an object, got %s", jsonKind(tok))
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return syntaxError(err)
		}
		name := tok.(string) // object keys are always strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return syntaxError(err)
		}
		idx, ok := fields[name]
		switch {
		case !ok:
			return fieldError(name, "unknown field (the fields are %s)", knownFields(fields))
		case seen[name]:
			return fieldError(name, "given more than once")
		}
		seen[name] = true
		if err := noNulls(raw); err != nil {
			return fieldError(name, "%v", err)
		}
		if err := json.Unmarshal(raw, rv.Field(idx).Addr().Interface()); err != nil {
			return fieldError(name, "%s", typeMessage(name, err))
		}
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return syntaxError(err)
	}
	if tok, err := dec.Token(); err != io.EOF {
		if err != nil {
			return weberr.Errorf(weberr.TypeError, "invalid JSON request body: data after the JSON object at offset %d", dec.InputOffset())
		}
		return weberr.Errorf(weberr.TypeError, "invalid JSON request body: data after the JSON object (%s at offset %d)", jsonKind(tok), dec.InputOffset())
	}
	return nil
}

// jsonFields maps the json names of t's exported fields to their index.
func jsonFields(t reflect.Type) map[string]int {
	out := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = i
	}
	return out
}

func knownFields(fields map[string]int) string {
	if len(fields) == 0 {
		return "none: this request takes no body"
	}
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// noNulls reports a null anywhere in the JSON value raw.
func noNulls(raw json.RawMessage) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if tok == nil {
			return errors.New("null is not allowed")
		}
	}
}

// syntaxError reports malformed JSON.
func syntaxError(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return weberr.New(weberr.TypeError, "invalid JSON request body: unexpected end of the body")
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return weberr.Errorf(weberr.TypeError, "invalid JSON request body: %s (offset %d)", strings.TrimPrefix(se.Error(), "json: "), se.Offset)
	}
	return weberr.Errorf(weberr.TypeError, "invalid JSON request body: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// typeMessage words a decoding error of field name's value.
func typeMessage(name string, err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		where := ""
		if te.Field != "" && te.Field != name {
			where = " at " + strings.TrimPrefix(te.Field, name+".")
		}
		return fmt.Sprintf("want %s%s, got %s", goKind(te.Type), where, te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// goKind names a Go type as a JSON kind.
func goKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}

// jsonKind names the JSON value a token starts.
func jsonKind(tok json.Token) string {
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '[' {
			return "an array"
		}
		return fmt.Sprintf("%q", string(tok))
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", tok)
}

// scopeField is the "scope" of a registration: a legacy scope URL (a
// JSON string) or a URL pattern (a JSON object, kept as its JSON text).
type scopeField string

// UnmarshalJSON takes a string or an object, and nothing else.
func (s *scopeField) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		*s = scopeField(str)
	case len(b) > 0 && b[0] == '{':
		*s = scopeField(b)
	default:
		return fmt.Errorf("want a scope URL (a string) or a URL pattern (an object), got %s", jsonValueKind(b))
	}
	return nil
}

// jsonValueKind names the kind of the JSON value b.
func jsonValueKind(b []byte) string {
	tok, err := json.NewDecoder(bytes.NewReader(b)).Token()
	if err != nil {
		return "invalid JSON"
	}
	return jsonKind(tok)
}

// oneOf checks an enumerated field: "" (the default) or one of allowed.
func oneOf(field, value string, allowed ...string) error {
	if value == "" || slices.Contains(allowed, value) {
		return nil
	}
	return fieldError(field, "%q is not one of %s", value, strings.Join(allowed, ", "))
}

// firstError returns the first of errs that is not nil.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// required checks that a string field was given.
func required(field, value string) error {
	if value == "" {
		return fieldError(field, "required")
	}
	return nil
}

// isToken reports whether s is an HTTP token (RFC 9110 §5.6.2): a
// method or a field name.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// queryParam returns the query parameter name of r, checking that it is
// given at most once and, when allowed is not empty, that its value is
// one of allowed.
func queryParam(r *http.Request, name string, allowed ...string) (string, error) {
	vs := r.URL.Query()[name]
	switch {
	case len(vs) == 0:
		return "", nil
	case len(vs) > 1:
		return "", weberr.Errorf(weberr.TypeError, "query parameter %s: given %d times", name, len(vs))
	case len(allowed) > 0 && !slices.Contains(allowed, vs[0]):
		return "", weberr.Errorf(weberr.TypeError, "query parameter %s: %q is not one of %s", name, vs[0], strings.Join(allowed, ", "))
	}
	return vs[0], nil
}
