package intl

import (
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// PluralRulesOptions are the options of Intl.PluralRules (see
// NumberFormatOptions for the conventions).
type PluralRulesOptions struct {
	LocaleMatcher            string   `js:"localeMatcher"`
	Type                     string   `js:"type"`
	MinimumIntegerDigits     *float64 `js:"minimumIntegerDigits"`
	MinimumFractionDigits    *float64 `js:"minimumFractionDigits"`
	MaximumFractionDigits    *float64 `js:"maximumFractionDigits"`
	MinimumSignificantDigits *float64 `js:"minimumSignificantDigits"`
	MaximumSignificantDigits *float64 `js:"maximumSignificantDigits"`
	RoundingIncrement        *float64 `js:"roundingIncrement"`
	RoundingMode             string   `js:"roundingMode"`
	RoundingPriority         string   `js:"roundingPriority"`
	TrailingZeroDisplay      string   `js:"trailingZeroDisplay"`
}

// PluralRules is a resolved Intl.PluralRules over x/text's CLDR plural
// rules.
type PluralRules struct {
	locale     string
	tag        language.Tag
	typ        string // cardinal or ordinal
	rules      *plural.Rules
	digits     digitOptions
	categories []string
}

// NewPluralRules resolves an Intl.PluralRules.
func NewPluralRules(locales []string, o PluralRulesOptions) (*PluralRules, error) {
	list, err := CanonicalizeLocaleList(locales)
	if err != nil {
		return nil, err
	}
	if err := checkMatcher(o.LocaleMatcher); err != nil {
		return nil, err
	}
	pr := &PluralRules{}
	if pr.typ, err = oneOf("type", o.Type, "cardinal", "cardinal", "ordinal"); err != nil {
		return nil, err
	}
	nfo := NumberFormatOptions{
		MinimumIntegerDigits: o.MinimumIntegerDigits, MinimumFractionDigits: o.MinimumFractionDigits,
		MaximumFractionDigits: o.MaximumFractionDigits, MinimumSignificantDigits: o.MinimumSignificantDigits,
		MaximumSignificantDigits: o.MaximumSignificantDigits, RoundingIncrement: o.RoundingIncrement,
		RoundingMode: o.RoundingMode, RoundingPriority: o.RoundingPriority, TrailingZeroDisplay: o.TrailingZeroDisplay,
	}
	if pr.digits, err = setDigitOptions(&nfo, 0, 3, "standard"); err != nil {
		return nil, err
	}
	r := resolve(ServicePluralRules, list)
	pr.locale = r.base
	pr.tag = language.Make(r.base)
	pr.rules = plural.Cardinal
	if pr.typ == "ordinal" {
		pr.rules = plural.Ordinal
	}
	pr.categories = pr.probeCategories()
	return pr, nil
}

// Locale returns the resolved locale.
func (pr *PluralRules) Locale() string { return pr.locale }

var formNames = map[plural.Form]string{
	plural.Zero: "zero", plural.One: "one", plural.Two: "two",
	plural.Few: "few", plural.Many: "many", plural.Other: "other",
}

// Select returns the plural category of x ("one", "other", ...), of x as
// formatted with the digit options (so 1 with minimumFractionDigits 1 is
// "1.0", "other" in English).
func (pr *PluralRules) Select(x Value) string {
	if x.NaN || x.Inf {
		return "other"
	}
	r := pr.digits.round(x.d, x.Neg)
	return pr.selectRounded(r)
}

func (pr *PluralRules) selectRounded(r rounded) string {
	return formNames[pr.rules.MatchDigits(pr.tag, r.d.d, r.d.exp, r.frac)]
}

// SelectRange is selectRange(x, y): the category of the range, which
// CLDR's plural ranges give; this package takes the category of the end,
// which is CLDR's answer for English and most locales.
func (pr *PluralRules) SelectRange(x, y Value) string { return pr.Select(y) }

// probeCategories finds the categories the rules use by selecting sample
// numbers: the integers 0-1000, their one- and two-digit fractions for
// 0-20, and large powers of ten (French "many"). x/text has no list.
func (pr *PluralRules) probeCategories() []string {
	seen := map[string]bool{}
	try := func(digits []byte, exp, scale int) {
		seen[formNames[pr.rules.MatchDigits(pr.tag, digits, exp, scale)]] = true
	}
	for n := 0; n <= 1000; n++ {
		d := makeDecimal(itoa(n), len(itoa(n)))
		try(d.d, d.exp, 0)
		if n <= 20 {
			for f := 0; f < 100; f++ {
				s := itoa(n*100 + f)
				d := makeDecimal(s, len(s)-2)
				try(d.d, d.exp, 2)
				if f%10 == 0 {
					try(d.d, d.exp, 1)
				}
			}
		}
	}
	for e := 4; e <= 9; e++ {
		try([]byte{1}, e, 0)
	}
	var out []string
	for _, c := range []string{"zero", "one", "two", "few", "many", "other"} {
		if seen[c] {
			out = append(out, c)
		}
	}
	return out
}

// ResolvedOptions returns the resolvedOptions() record as (name, value)
// pairs; pluralCategories is a []string.
func (pr *PluralRules) ResolvedOptions() [][2]any {
	d := pr.digits
	out := [][2]any{{"locale", pr.locale}, {"type", pr.typ}, {"minimumIntegerDigits", d.minInt}}
	if d.roundingType != "significantDigits" {
		out = append(out, [2]any{"minimumFractionDigits", d.minFrac}, [2]any{"maximumFractionDigits", d.maxFrac})
	}
	if d.roundingType != "fractionDigits" {
		out = append(out, [2]any{"minimumSignificantDigits", d.minSig}, [2]any{"maximumSignificantDigits", d.maxSig})
	}
	out = append(out, [2]any{"pluralCategories", append([]string(nil), pr.categories...)},
		[2]any{"roundingIncrement", d.roundingIncrement}, [2]any{"roundingMode", d.roundingMode},
		[2]any{"roundingPriority", d.roundingPriority}, [2]any{"trailingZeroDisplay", d.trailingZero})
	return out
}
