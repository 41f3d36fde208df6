package worker

import (
	"math"
	"reflect"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/intl"
)

// Bindings of js/45_intl.js and js/46_intl_format.js: the Intl object
// over package intl. The bootstrap reads each constructor's options in
// the order ECMA-402 gives, with its type conversions, into a plain
// object of strings, numbers and booleans; intlNew decodes that object
// into the constructor's options struct (by the fields' js tags) and
// returns the resolved formatter as a handle.

// intlCanonicalize is host.intlCanonicalize(list): Intl.getCanonicalLocales.
func (in *instance) intlCanonicalize(locales []string) []string {
	out, err := intl.CanonicalizeLocaleList(locales)
	if err != nil {
		in.throw(err)
	}
	if out == nil {
		out = []string{}
	}
	return out
}

var intlServices = map[string]intl.Service{
	"Collator": intl.ServiceCollator, "DateTimeFormat": intl.ServiceDateTimeFormat,
	"ListFormat": intl.ServiceListFormat, "NumberFormat": intl.ServiceNumberFormat,
	"PluralRules": intl.ServicePluralRules, "RelativeTimeFormat": intl.ServiceRelativeTimeFormat,
	"Segmenter": intl.ServiceSegmenter,
}

// intlSupported is host.intlSupported(kind, list, localeMatcher): the
// supportedLocalesOf of constructor kind.
func (in *instance) intlSupported(kind string, locales []string, matcher string) []string {
	out, err := intl.SupportedLocalesOf(intlServices[kind], locales, matcher)
	if err != nil {
		in.throw(err)
	}
	return out
}

// intlNew is host.intlNew(kind, list, options, required, defaults): the
// formatter of constructor kind, as a handle.
func (in *instance) intlNew(a *args) sobek.Value {
	kind := a.string()
	locales := in.stringList(a.value())
	opts, _ := a.value().(*sobek.Object)
	required, defaults := a.string(), a.string()
	var (
		h   any
		err error
	)
	switch kind {
	case "Collator":
		var o intl.CollatorOptions
		decodeOptions(opts, &o)
		h, err = intl.NewCollator(locales, o)
	case "DateTimeFormat":
		var o intl.DateTimeFormatOptions
		decodeOptions(opts, &o)
		h, err = intl.NewDateTimeFormat(locales, o, required, defaults)
	case "ListFormat":
		var o intl.ListFormatOptions
		decodeOptions(opts, &o)
		h, err = intl.NewListFormat(locales, o)
	case "NumberFormat":
		var o intl.NumberFormatOptions
		decodeOptions(opts, &o)
		h, err = intl.NewNumberFormat(locales, o)
	case "PluralRules":
		var o intl.PluralRulesOptions
		decodeOptions(opts, &o)
		h, err = intl.NewPluralRules(locales, o)
	case "RelativeTimeFormat":
		var o intl.RelativeTimeFormatOptions
		decodeOptions(opts, &o)
		h, err = intl.NewRelativeTimeFormat(locales, o)
	case "Segmenter":
		var o intl.SegmenterOptions
		decodeOptions(opts, &o)
		h, err = intl.NewSegmenter(locales, o)
	default:
		panic(in.rt.NewTypeError("unknown Intl constructor " + kind))
	}
	if err != nil {
		in.throw(err)
	}
	return in.rt.ToValue(h)
}

// decodeOptions fills the fields of *dst that have a js tag from the
// properties of o: a string field takes the property's string, a *float64
// its number, a *bool its boolean; an undefined property leaves the field
// zero.
func decodeOptions(o *sobek.Object, dst any) {
	if o == nil {
		return
	}
	v := reflect.ValueOf(dst).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		name := t.Field(i).Tag.Get("js")
		if name == "" {
			continue
		}
		p := o.Get(name)
		if p == nil || sobek.IsUndefined(p) {
			continue
		}
		f := v.Field(i)
		switch f.Interface().(type) {
		case string:
			f.SetString(p.String())
		case *float64:
			x := p.ToFloat()
			f.Set(reflect.ValueOf(&x))
		case *bool:
			b := p.ToBoolean()
			f.Set(reflect.ValueOf(&b))
		}
	}
}

// resolvedOptions is what every formatter's resolvedOptions gives.
type resolvedOptions interface{ ResolvedOptions() [][2]any }

// intlResolved is host.intlResolved(handle): a new plain object of the
// formatter's resolved options, in the specification's order.
func (in *instance) intlResolved(h sobek.Value) sobek.Value {
	r, ok := h.Export().(resolvedOptions)
	if !ok {
		panic(in.rt.NewTypeError("Illegal invocation"))
	}
	o := in.rt.NewObject()
	for _, p := range r.ResolvedOptions() {
		_ = o.Set(p[0].(string), in.toJS(p[1]))
	}
	return o
}

// parts converts formatToParts' result to an array of {type, value}
// objects, with unit and source where they are set.
func (in *instance) parts(ps []intl.Part) sobek.Value {
	arr := make([]any, len(ps))
	for i, p := range ps {
		o := in.rt.NewObject()
		_ = o.Set("type", p.Type)
		_ = o.Set("value", p.Value)
		if p.Unit != "" {
			_ = o.Set("unit", p.Unit)
		}
		if p.Source != "" {
			_ = o.Set("source", p.Source)
		}
		arr[i] = o
	}
	return in.rt.NewArray(arr...)
}

// mathValue reads the value to format: a string is a decimal literal
// (the bootstrap passes BigInts and decimal strings so, exactly), anything
// else a Number.
func mathValue(x sobek.Value) intl.Value {
	if s, ok := x.Export().(string); ok {
		if v, ok := intl.ParseDecimal(s); ok {
			return v
		}
		return intl.FromFloat(math.NaN())
	}
	return intl.FromFloat(x.ToFloat())
}

// nfFormat is host.nfFormat(handle, x, toParts).
func (in *instance) nfFormat(nf *intl.NumberFormat, x sobek.Value, toParts bool) sobek.Value {
	v := mathValue(x)
	if toParts {
		return in.parts(nf.FormatToParts(v))
	}
	return in.rt.ToValue(nf.Format(v))
}

// dtfFormat is host.dtfFormat(handle, time, toParts): time is a time
// value (milliseconds since the epoch).
func (in *instance) dtfFormat(df *intl.DateTimeFormat, t float64, toParts bool) sobek.Value {
	ps, err := df.FormatToParts(t)
	if err != nil {
		in.throw(err)
	}
	if toParts {
		return in.parts(ps)
	}
	return in.rt.ToValue(joinValues(ps))
}

func joinValues(ps []intl.Part) string {
	n := 0
	for _, p := range ps {
		n += len(p.Value)
	}
	b := make([]byte, 0, n)
	for _, p := range ps {
		b = append(b, p.Value...)
	}
	return string(b)
}

// dtfFormatRange is host.dtfFormatRange(handle, start, end, toParts).
func (in *instance) dtfFormatRange(a *args) sobek.Value {
	df, ok := a.value().Export().(*intl.DateTimeFormat)
	if !ok {
		panic(in.rt.NewTypeError("Illegal invocation"))
	}
	x, y, toParts := a.value().ToFloat(), a.value().ToFloat(), a.bool()
	ps, err := df.FormatRangeToParts(x, y)
	if err != nil {
		in.throw(err)
	}
	if toParts {
		return in.parts(ps)
	}
	return in.rt.ToValue(joinValues(ps))
}

// prSelect is host.prSelect(handle, x).
func (in *instance) prSelect(pr *intl.PluralRules, x float64) string {
	return pr.Select(intl.FromFloat(x))
}

// prSelectRange is host.prSelectRange(handle, x, y).
func (in *instance) prSelectRange(pr *intl.PluralRules, x, y float64) string {
	return pr.SelectRange(intl.FromFloat(x), intl.FromFloat(y))
}

// collCompare is host.collCompare(handle, a, b).
func (in *instance) collCompare(c *intl.Collator, a, b string) int { return c.Compare(a, b) }

// rtfFormat is host.rtfFormat(handle, value, unit, toParts).
func (in *instance) rtfFormat(a *args) sobek.Value {
	rf, ok := a.value().Export().(*intl.RelativeTimeFormat)
	if !ok {
		panic(in.rt.NewTypeError("Illegal invocation"))
	}
	v, unit, toParts := a.value().ToFloat(), a.string(), a.bool()
	ps, err := rf.FormatToParts(v, unit)
	if err != nil {
		in.throw(err)
	}
	if toParts {
		return in.parts(ps)
	}
	return in.rt.ToValue(joinValues(ps))
}

// lfFormat is host.lfFormat(handle, strings, toParts).
func (in *instance) lfFormat(lf *intl.ListFormat, items []string, toParts bool) sobek.Value {
	ps := lf.FormatToParts(items)
	if toParts {
		return in.parts(ps)
	}
	return in.rt.ToValue(joinValues(ps))
}

// segSegments is host.segSegments(handle, string): the segments as a flat
// array [start, end, isWordLike, ...] of UTF-16 indices.
func (in *instance) segSegments(sg *intl.Segmenter, s string) sobek.Value {
	segs := sg.Segments(s)
	arr := make([]any, 0, 3*len(segs))
	for _, x := range segs {
		arr = append(arr, x.Start, x.End, x.WordLike)
	}
	return in.rt.NewArray(arr...)
}
