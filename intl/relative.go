package intl

import "strings"

// RelativeTimeFormatOptions are the options of Intl.RelativeTimeFormat.
type RelativeTimeFormatOptions struct {
	LocaleMatcher   string `js:"localeMatcher"`
	NumberingSystem string `js:"numberingSystem"`
	Style           string `js:"style"`
	Numeric         string `js:"numeric"`
}

// RelativeTimeFormat is a resolved Intl.RelativeTimeFormat with CLDR's
// English relative-time data (narrow as short, as CLDR en has it).
type RelativeTimeFormat struct {
	locale  string
	style   string
	numeric string
	nf      *NumberFormat
}

// relUnit is the English data of one unit: the unit words (one, other)
// of the long and short styles, and the named relative days ("-1", "0",
// "1") of each style.
type relUnit struct {
	long, short [2]string
	named       map[string][3]string // style → {last, this, next}; "" none
}

var relUnits = map[string]relUnit{
	"second":  {long: [2]string{"second", "seconds"}, short: [2]string{"sec.", "sec."}, named: map[string][3]string{"long": {"", "now", ""}, "short": {"", "now", ""}}},
	"minute":  {long: [2]string{"minute", "minutes"}, short: [2]string{"min.", "min."}, named: map[string][3]string{"long": {"", "this minute", ""}, "short": {"", "this minute", ""}}},
	"hour":    {long: [2]string{"hour", "hours"}, short: [2]string{"hr.", "hr."}, named: map[string][3]string{"long": {"", "this hour", ""}, "short": {"", "this hour", ""}}},
	"day":     {long: [2]string{"day", "days"}, short: [2]string{"day", "days"}, named: map[string][3]string{"long": {"yesterday", "today", "tomorrow"}, "short": {"yesterday", "today", "tomorrow"}}},
	"week":    {long: [2]string{"week", "weeks"}, short: [2]string{"wk.", "wk."}, named: map[string][3]string{"long": {"last week", "this week", "next week"}, "short": {"last wk.", "this wk.", "next wk."}}},
	"month":   {long: [2]string{"month", "months"}, short: [2]string{"mo.", "mo."}, named: map[string][3]string{"long": {"last month", "this month", "next month"}, "short": {"last mo.", "this mo.", "next mo."}}},
	"quarter": {long: [2]string{"quarter", "quarters"}, short: [2]string{"qtr.", "qtrs."}, named: map[string][3]string{"long": {"last quarter", "this quarter", "next quarter"}, "short": {"last qtr.", "this qtr.", "next qtr."}}},
	"year":    {long: [2]string{"year", "years"}, short: [2]string{"yr.", "yr."}, named: map[string][3]string{"long": {"last year", "this year", "next year"}, "short": {"last yr.", "this yr.", "next yr."}}},
}

// NewRelativeTimeFormat resolves an Intl.RelativeTimeFormat. Every
// option is honoured; the data is English.
func NewRelativeTimeFormat(locales []string, o RelativeTimeFormatOptions) (*RelativeTimeFormat, error) {
	list, err := CanonicalizeLocaleList(locales)
	if err != nil {
		return nil, err
	}
	if err := checkMatcher(o.LocaleMatcher); err != nil {
		return nil, err
	}
	if o.NumberingSystem != "" && !isUnicodeType(o.NumberingSystem) {
		return nil, rangeErr("Invalid numberingSystem : %s", o.NumberingSystem)
	}
	rf := &RelativeTimeFormat{}
	if rf.style, err = oneOf("style", o.Style, "long", "long", "short", "narrow"); err != nil {
		return nil, err
	}
	if rf.numeric, err = oneOf("numeric", o.Numeric, "always", "always", "auto"); err != nil {
		return nil, err
	}
	r := resolve(ServiceRelativeTimeFormat, list)
	var kw [][2]string
	nu := ""
	if v, ok := r.keywords["nu"]; ok && numberingSystems[v] != 0 {
		nu = v
		if o.NumberingSystem == "" || o.NumberingSystem == v {
			kw = append(kw, [2]string{"nu", v})
		}
	}
	if o.NumberingSystem != "" && numberingSystems[o.NumberingSystem] != 0 {
		nu = o.NumberingSystem
	}
	rf.locale = withKeywords(r.base, kw)
	nfo := NumberFormatOptions{NumberingSystem: nu}
	if rf.nf, err = NewNumberFormat([]string{r.base}, nfo); err != nil {
		return nil, err
	}
	return rf, nil
}

// FormatToParts formats value (a finite number) in unit ("day" or
// "days", ...). A non-finite value or an unknown unit is a RangeError.
func (rf *RelativeTimeFormat) FormatToParts(value float64, unit string) ([]Part, error) {
	v := FromFloat(value)
	if v.NaN || v.Inf {
		return nil, rangeErr("Invalid number value")
	}
	u, ok := relUnits[strings.TrimSuffix(unit, "s")]
	if !ok {
		return nil, rangeErr("Invalid unit argument for format() '%s'", unit)
	}
	single := strings.TrimSuffix(unit, "s")
	style := rf.style
	if style == "narrow" {
		style = "short"
	}
	if rf.numeric == "auto" && (value == -1 || value == 0 || value == 1) {
		if s := u.named[style][int(value)+1]; s != "" {
			return []Part{{Type: "literal", Value: s}}, nil
		}
	}
	abs := v
	abs.Neg = false
	num := rf.nf.FormatToParts(abs)
	words := u.long
	if style == "short" {
		words = u.short
	}
	word := words[1]
	if len(num) == 1 && num[0].Value == rf.nf.sym.localize("1") {
		word = words[0]
	}
	for i := range num {
		num[i].Unit = single
	}
	var out []Part
	if v.Neg {
		out = append(out, num...)
		out = append(out, Part{Type: "literal", Value: " " + word + " ago"})
	} else {
		out = append(out, Part{Type: "literal", Value: "in "})
		out = append(out, num...)
		out = append(out, Part{Type: "literal", Value: " " + word})
	}
	return out, nil
}

// Format formats value in unit.
func (rf *RelativeTimeFormat) Format(value float64, unit string) (string, error) {
	ps, err := rf.FormatToParts(value, unit)
	if err != nil {
		return "", err
	}
	return joinParts(ps), nil
}

// Locale returns the resolved locale.
func (rf *RelativeTimeFormat) Locale() string { return rf.locale }

// ResolvedOptions returns the resolvedOptions() record as (name, value)
// pairs.
func (rf *RelativeTimeFormat) ResolvedOptions() [][2]any {
	return [][2]any{{"locale", rf.locale}, {"style", rf.style}, {"numeric", rf.numeric}, {"numberingSystem", rf.nf.sym.system}}
}
