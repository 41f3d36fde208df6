package intl

// ListFormatOptions are the options of Intl.ListFormat.
type ListFormatOptions struct {
	LocaleMatcher string `js:"localeMatcher"`
	Type          string `js:"type"`
	Style         string `js:"style"`
}

// ListFormat is a resolved Intl.ListFormat with CLDR's English list
// patterns.
type ListFormat struct {
	locale, typ, style string
	// The connectors: between the first items, before the last of three or
	// more, and between the two of a pair.
	middle, end, pair string
}

// NewListFormat resolves an Intl.ListFormat. Every option is honoured;
// the data is English.
func NewListFormat(locales []string, o ListFormatOptions) (*ListFormat, error) {
	list, err := CanonicalizeLocaleList(locales)
	if err != nil {
		return nil, err
	}
	if err := checkMatcher(o.LocaleMatcher); err != nil {
		return nil, err
	}
	lf := &ListFormat{}
	if lf.typ, err = oneOf("type", o.Type, "conjunction", "conjunction", "disjunction", "unit"); err != nil {
		return nil, err
	}
	if lf.style, err = oneOf("style", o.Style, "long", "long", "short", "narrow"); err != nil {
		return nil, err
	}
	lf.locale = resolve(ServiceListFormat, list).base
	lf.middle = ", "
	switch lf.typ + "/" + lf.style {
	case "conjunction/long":
		lf.end, lf.pair = ", and ", " and "
	case "conjunction/short":
		lf.end, lf.pair = ", & ", " & "
	case "conjunction/narrow":
		lf.end, lf.pair = ", ", ", "
	case "disjunction/long", "disjunction/short", "disjunction/narrow":
		lf.end, lf.pair = ", or ", " or "
	case "unit/long", "unit/short":
		lf.end, lf.pair = ", ", ", "
	case "unit/narrow":
		lf.middle, lf.end, lf.pair = " ", " ", " "
	}
	return lf, nil
}

// FormatToParts formats the list of strings into element and literal
// parts.
func (lf *ListFormat) FormatToParts(items []string) []Part {
	out := make([]Part, 0, 2*len(items))
	for i, it := range items {
		if i > 0 {
			sep := lf.middle
			switch {
			case len(items) == 2:
				sep = lf.pair
			case i == len(items)-1:
				sep = lf.end
			}
			out = append(out, Part{Type: "literal", Value: sep})
		}
		out = append(out, Part{Type: "element", Value: it})
	}
	return out
}

// Format formats the list of strings.
func (lf *ListFormat) Format(items []string) string { return joinParts(lf.FormatToParts(items)) }

// Locale returns the resolved locale.
func (lf *ListFormat) Locale() string { return lf.locale }

// ResolvedOptions returns the resolvedOptions() record as (name, value)
// pairs.
func (lf *ListFormat) ResolvedOptions() [][2]any {
	return [][2]any{{"locale", lf.locale}, {"type", lf.typ}, {"style", lf.style}}
}
