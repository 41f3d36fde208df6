package intl

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Part is one piece of a formatted string, as formatToParts returns it.
type Part struct {
	Type  string // "integer", "literal", "month", ...
	Value string
	// Source is "shared", "startRange" or "endRange" for formatRange
	// parts, "" otherwise; Unit is the unit of a RelativeTimeFormat
	// number part.
	Source string
	Unit   string
}

// joinParts concatenates the values of ps.
func joinParts(ps []Part) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Value)
	}
	return b.String()
}

// NumberFormatOptions are the options of Intl.NumberFormat, after the
// JavaScript type conversions: "" is an absent string (ECMA-402 has no
// option whose valid value is ""), nil an absent number. UseGrouping is
// already GetBooleanOrStringNumberFormatOption's result: "always",
// "auto", "min2", "false", or "" for the default.
type NumberFormatOptions struct {
	LocaleMatcher            string   `js:"localeMatcher"`
	NumberingSystem          string   `js:"numberingSystem"`
	Style                    string   `js:"style"`
	Currency                 string   `js:"currency"`
	CurrencyDisplay          string   `js:"currencyDisplay"`
	CurrencySign             string   `js:"currencySign"`
	Unit                     string   `js:"unit"`
	UnitDisplay              string   `js:"unitDisplay"`
	Notation                 string   `js:"notation"`
	MinimumIntegerDigits     *float64 `js:"minimumIntegerDigits"`
	MinimumFractionDigits    *float64 `js:"minimumFractionDigits"`
	MaximumFractionDigits    *float64 `js:"maximumFractionDigits"`
	MinimumSignificantDigits *float64 `js:"minimumSignificantDigits"`
	MaximumSignificantDigits *float64 `js:"maximumSignificantDigits"`
	RoundingIncrement        *float64 `js:"roundingIncrement"`
	RoundingMode             string   `js:"roundingMode"`
	RoundingPriority         string   `js:"roundingPriority"`
	TrailingZeroDisplay      string   `js:"trailingZeroDisplay"`
	CompactDisplay           string   `js:"compactDisplay"`
	UseGrouping              string   `js:"useGrouping"`
	SignDisplay              string   `js:"signDisplay"`
}

// digitOptions are the resolved rounding options (SetNumberFormatDigitOptions).
type digitOptions struct {
	minInt            int
	minFrac, maxFrac  int
	minSig, maxSig    int
	roundingType      string // fractionDigits, significantDigits, morePrecision, lessPrecision
	roundingPriority  string // as resolvedOptions reports it
	roundingIncrement int
	roundingMode      string
	trailingZero      string
}

// NumberFormat is a resolved Intl.NumberFormat.
type NumberFormat struct {
	locale          string // resolved, with the extension keys honoured
	dataLocale      string
	sym             *symbols
	style           string
	currency        string
	currencyDisplay string
	currencySign    string
	notation        string
	compactDisplay  string
	useGrouping     string // "always", "auto", "min2" or "false"
	signDisplay     string
	digits          digitOptions
	currencySymbol  string
	currencyNames   [2]string // (one, other) for currencyDisplay "name"
}

// getNumberOption is ECMA-402's DefaultNumberOption.
func getNumberOption(prop string, v *float64, lo, hi, def int) (int, error) {
	if v == nil {
		return def, nil
	}
	if math.IsNaN(*v) || *v < float64(lo) || *v > float64(hi) {
		return 0, rangeErr("%s value is out of range.", prop)
	}
	return int(math.Floor(*v)), nil
}

var roundingIncrements = []int{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000}

// setDigitOptions is ECMA-402's SetNumberFormatDigitOptions.
func setDigitOptions(o *NumberFormatOptions, mnfdDefault, mxfdDefault int, notation string) (digitOptions, error) {
	var d digitOptions
	var err error
	if d.minInt, err = getNumberOption("minimumIntegerDigits", o.MinimumIntegerDigits, 1, 21, 1); err != nil {
		return d, err
	}
	if d.roundingIncrement, err = getNumberOption("roundingIncrement", o.RoundingIncrement, 1, 5000, 1); err != nil {
		return d, err
	}
	if !slices.Contains(roundingIncrements, d.roundingIncrement) {
		return d, rangeErr("roundingIncrement value is out of range.")
	}
	if d.roundingMode, err = oneOf("roundingMode", o.RoundingMode, "halfExpand",
		"ceil", "floor", "expand", "trunc", "halfCeil", "halfFloor", "halfExpand", "halfTrunc", "halfEven"); err != nil {
		return d, err
	}
	priority, err := oneOf("roundingPriority", o.RoundingPriority, "auto", "auto", "morePrecision", "lessPrecision")
	if err != nil {
		return d, err
	}
	if d.trailingZero, err = oneOf("trailingZeroDisplay", o.TrailingZeroDisplay, "auto", "auto", "stripIfInteger"); err != nil {
		return d, err
	}
	if d.roundingIncrement != 1 {
		mxfdDefault = mnfdDefault
	}
	hasSd := o.MinimumSignificantDigits != nil || o.MaximumSignificantDigits != nil
	hasFd := o.MinimumFractionDigits != nil || o.MaximumFractionDigits != nil
	needSd, needFd := true, true
	if priority == "auto" {
		needSd = hasSd
		if needSd || (!hasFd && notation == "compact") {
			needFd = false
		}
	}
	if needSd {
		if hasSd {
			if d.minSig, err = getNumberOption("minimumSignificantDigits", o.MinimumSignificantDigits, 1, 21, 1); err != nil {
				return d, err
			}
			if d.maxSig, err = getNumberOption("maximumSignificantDigits", o.MaximumSignificantDigits, d.minSig, 21, 21); err != nil {
				return d, err
			}
		} else {
			d.minSig, d.maxSig = 1, 21
		}
	}
	if needFd {
		if hasFd {
			mn, mx := -1, -1
			if o.MinimumFractionDigits != nil {
				if mn, err = getNumberOption("minimumFractionDigits", o.MinimumFractionDigits, 0, 100, 0); err != nil {
					return d, err
				}
			}
			if o.MaximumFractionDigits != nil {
				if mx, err = getNumberOption("maximumFractionDigits", o.MaximumFractionDigits, 0, 100, 0); err != nil {
					return d, err
				}
			}
			switch {
			case mn < 0:
				mn = min(mnfdDefault, mx)
			case mx < 0:
				mx = max(mxfdDefault, mn)
			case mn > mx:
				return d, rangeErr("maximumFractionDigits value is out of range.")
			}
			d.minFrac, d.maxFrac = mn, mx
		} else {
			d.minFrac, d.maxFrac = mnfdDefault, mxfdDefault
		}
	}
	switch {
	case !needSd && !needFd:
		d.minFrac, d.maxFrac, d.minSig, d.maxSig = 0, 0, 1, 2
		d.roundingType, d.roundingPriority = "morePrecision", "morePrecision"
	case priority == "auto":
		d.roundingType = "fractionDigits"
		if needSd {
			d.roundingType = "significantDigits"
		}
		d.roundingPriority = "auto"
	default:
		d.roundingType, d.roundingPriority = priority, priority
	}
	if d.roundingIncrement != 1 {
		if d.roundingType != "fractionDigits" {
			return d, typeErr("roundingIncrement requires fraction digit rounding")
		}
		if d.maxFrac != d.minFrac {
			return d, rangeErr("maximumFractionDigits must equal minimumFractionDigits with a roundingIncrement")
		}
	}
	return d, nil
}

// NewNumberFormat resolves an Intl.NumberFormat for locales (the list as
// given; it is canonicalized here) and o.
//
// Style "unit" is a RangeError: units are not implemented. Compact
// notation and currency names have English data only: in another locale,
// compact notation resolves to "standard" and currencyDisplay "name" to
// "code", as resolvedOptions then says. Currency amounts take the English
// pattern (symbol before the number) in every locale, with the locale's
// symbols and separators.
func NewNumberFormat(locales []string, o NumberFormatOptions) (*NumberFormat, error) {
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
	r := resolve(ServiceNumberFormat, list)
	nf := &NumberFormat{dataLocale: r.base}
	var kw [][2]string
	nu := ""
	if v, ok := r.keywords["nu"]; ok && numberingSystems[v] != 0 {
		nu = v
		kw = append(kw, [2]string{"nu", v})
	}
	if o.NumberingSystem != "" {
		if numberingSystems[o.NumberingSystem] != 0 {
			if nu != o.NumberingSystem {
				kw = nil
			}
			nu = o.NumberingSystem
		}
	}
	nf.locale = withKeywords(r.base, kw)
	nf.sym = symbolsFor(r.base, nu)

	if nf.style, err = oneOf("style", o.Style, "decimal", "decimal", "percent", "currency", "unit"); err != nil {
		return nil, err
	}
	if o.Currency != "" {
		if !isWellFormedCurrency(o.Currency) {
			return nil, rangeErr("Invalid currency code : %s", o.Currency)
		}
	}
	if nf.currencyDisplay, err = oneOf("currencyDisplay", o.CurrencyDisplay, "symbol", "code", "symbol", "narrowSymbol", "name"); err != nil {
		return nil, err
	}
	if nf.currencySign, err = oneOf("currencySign", o.CurrencySign, "standard", "standard", "accounting"); err != nil {
		return nil, err
	}
	if _, err = oneOf("unitDisplay", o.UnitDisplay, "short", "short", "narrow", "long"); err != nil {
		return nil, err
	}
	if nf.style == "currency" && o.Currency == "" {
		return nil, typeErr("Currency code is required with currency style.")
	}
	if nf.style == "unit" {
		if o.Unit == "" {
			return nil, typeErr("Unit is required with unit style.")
		}
		return nil, rangeErr("Unit style is not supported (unit %s)", o.Unit)
	}
	cDigits := 2
	if nf.style == "currency" {
		nf.currency = strings.ToUpper(o.Currency)
		cDigits = currencyDigits(nf.currency)
	}
	if nf.notation, err = oneOf("notation", o.Notation, "standard", "standard", "scientific", "engineering", "compact"); err != nil {
		return nil, err
	}
	if nf.notation == "compact" && !isEnglish(r.base) {
		nf.notation = "standard" // no compact patterns for this locale
	}
	mnfd, mxfd := 0, 3
	switch {
	case nf.style == "currency" && nf.notation == "standard":
		mnfd, mxfd = cDigits, cDigits
	case nf.style == "percent":
		mxfd = 0
	}
	if nf.digits, err = setDigitOptions(&o, mnfd, mxfd, nf.notation); err != nil {
		return nil, err
	}
	if nf.compactDisplay, err = oneOf("compactDisplay", o.CompactDisplay, "short", "short", "long"); err != nil {
		return nil, err
	}
	defGrouping := "auto"
	if nf.notation == "compact" {
		defGrouping = "min2"
	}
	if nf.useGrouping, err = oneOf("useGrouping", o.UseGrouping, defGrouping, "always", "auto", "min2", "false"); err != nil {
		return nil, err
	}
	if nf.signDisplay, err = oneOf("signDisplay", o.SignDisplay, "auto", "auto", "never", "always", "exceptZero", "negative"); err != nil {
		return nil, err
	}
	if nf.style == "currency" {
		if nf.currencyDisplay == "name" {
			if n, ok := currencyNamesEn[nf.currency]; ok && isEnglish(r.base) {
				nf.currencyNames = n
			} else {
				nf.currencyDisplay = "code"
			}
		}
		nf.currencySymbol = currencySymbol(r.base, nf.currency, nf.currencyDisplay)
	}
	return nf, nil
}

// isEnglish reports whether locale is en or one of its regional forms
// (the hand-written English data serves them all).
func isEnglish(locale string) bool { return locale == "en" || strings.HasPrefix(locale, "en-") }

func isWellFormedCurrency(c string) bool { return len(c) == 3 && isAlpha(c) }

// isUnicodeType reports whether s is a Unicode locale type: (3*8alphanum)
// joined by "-".
func isUnicodeType(s string) bool {
	for _, p := range strings.Split(s, "-") {
		if len(p) < 3 || len(p) > 8 || !isAlnum(p) {
			return false
		}
	}
	return true
}

// ResolvedOptions returns the resolvedOptions() record, in the order the
// specification lists its properties, as (name, value) pairs with string,
// int or bool values.
func (nf *NumberFormat) ResolvedOptions() [][2]any {
	out := [][2]any{{"locale", nf.locale}, {"numberingSystem", nf.sym.system}, {"style", nf.style}}
	if nf.style == "currency" {
		out = append(out, [2]any{"currency", nf.currency}, [2]any{"currencyDisplay", nf.currencyDisplay}, [2]any{"currencySign", nf.currencySign})
	}
	d := nf.digits
	out = append(out, [2]any{"minimumIntegerDigits", d.minInt})
	if d.roundingType != "significantDigits" {
		out = append(out, [2]any{"minimumFractionDigits", d.minFrac}, [2]any{"maximumFractionDigits", d.maxFrac})
	}
	if d.roundingType != "fractionDigits" {
		out = append(out, [2]any{"minimumSignificantDigits", d.minSig}, [2]any{"maximumSignificantDigits", d.maxSig})
	}
	var grouping any = nf.useGrouping
	if nf.useGrouping == "false" {
		grouping = false
	}
	out = append(out, [2]any{"useGrouping", grouping}, [2]any{"notation", nf.notation})
	if nf.notation == "compact" {
		out = append(out, [2]any{"compactDisplay", nf.compactDisplay})
	}
	out = append(out, [2]any{"signDisplay", nf.signDisplay},
		[2]any{"roundingIncrement", d.roundingIncrement}, [2]any{"roundingMode", d.roundingMode},
		[2]any{"roundingPriority", d.roundingPriority}, [2]any{"trailingZeroDisplay", d.trailingZero})
	return out
}

// Locale returns the resolved locale.
func (nf *NumberFormat) Locale() string { return nf.locale }

// Format formats x.
func (nf *NumberFormat) Format(x Value) string { return joinParts(nf.FormatToParts(x)) }

// rounded is a number after rounding: its decimal and the count of
// fraction digits to show.
type rounded struct {
	d    decimal
	frac int
}

// round applies the digit options to x (FormatNumericToString's
// rounding).
func (d *digitOptions) round(x decimal, neg bool) rounded {
	fixed := func() (rounded, int) {
		var r decimal
		if d.roundingIncrement != 1 {
			r = x.roundIncrement(d.roundingIncrement, d.maxFrac, d.roundingMode, neg)
		} else {
			r = x.roundAt(d.maxFrac, d.roundingMode, neg)
		}
		return rounded{d: r, frac: max(r.fracLen(), d.minFrac)}, -d.maxFrac
	}
	prec := func() (rounded, int) {
		if x.isZero() {
			return rounded{frac: max(0, d.minSig-1)}, 1 - d.maxSig
		}
		r := x.roundAt(d.maxSig-x.exp, d.roundingMode, neg)
		e := r.magnitude()
		if r.isZero() {
			e = x.magnitude()
		}
		return rounded{d: r, frac: max(r.fracLen(), d.minSig-(e+1))}, e - d.maxSig + 1
	}
	var res rounded
	switch d.roundingType {
	case "significantDigits":
		res, _ = prec()
	case "fractionDigits":
		res, _ = fixed()
	default:
		s, sm := prec()
		f, fm := fixed()
		fixedMore := sm > fm
		if (d.roundingType == "morePrecision") == fixedMore {
			res = f
		} else {
			res = s
		}
	}
	if d.trailingZero == "stripIfInteger" && res.d.fracLen() == 0 {
		res.frac = 0
	}
	return res
}

// FormatToParts formats x into parts.
func (nf *NumberFormat) FormatToParts(x Value) []Part {
	var ps []Part
	if x.NaN {
		return nf.decorate(nil, []Part{{Type: "nan", Value: "NaN"}}, false, false)
	}
	if x.Inf {
		return nf.decorate(nil, []Part{{Type: "infinity", Value: "∞"}}, x.Neg, false)
	}
	v := x.d
	if nf.style == "percent" {
		v = v.shift(2)
	}
	var compact []Part
	switch nf.notation {
	case "compact":
		var num rounded
		num, compact = nf.compact(v, x.Neg)
		ps = nf.numberParts(num)
		return nf.decorate(compact, ps, x.Neg, num.d.isZero())
	case "scientific", "engineering":
		num, exp := nf.scientific(v, x.Neg)
		ps = nf.numberParts(num)
		ps = append(ps, Part{Type: "exponentSeparator", Value: "E"})
		if exp < 0 {
			ps = append(ps, Part{Type: "exponentMinusSign", Value: "-"})
			exp = -exp
		}
		ps = append(ps, Part{Type: "exponentInteger", Value: nf.sym.localize(itoa(exp))})
		return nf.decorate(nil, ps, x.Neg, num.d.isZero())
	}
	num := nf.digits.round(v, x.Neg)
	return nf.decorate(nil, nf.numberParts(num), x.Neg, num.d.isZero())
}

func itoa(n int) string { return strconv.Itoa(n) }

// numberParts writes a rounded number: integer groups, decimal point,
// fraction.
func (nf *NumberFormat) numberParts(r rounded) []Part {
	ip, fp := r.d.digits(r.frac)
	for len(ip) < nf.digits.minInt {
		ip = "0" + ip
	}
	var ps []Part
	groups := nf.group(ip)
	for i, g := range groups {
		if i > 0 {
			ps = append(ps, Part{Type: "group", Value: nf.sym.group})
		}
		ps = append(ps, Part{Type: "integer", Value: nf.sym.localize(g)})
	}
	if fp != "" {
		ps = append(ps, Part{Type: "decimal", Value: nf.sym.decimal}, Part{Type: "fraction", Value: nf.sym.localize(fp)})
	}
	return ps
}

// group splits the integer digits as the locale groups them.
func (nf *NumberFormat) group(ip string) []string {
	s := nf.sym
	if nf.useGrouping == "false" || s.primary == 0 || s.group == "" || len(ip) <= s.primary {
		return []string{ip}
	}
	if nf.useGrouping == "min2" && len(ip) < s.primary+2 {
		return []string{ip}
	}
	var out []string
	end := len(ip) - s.primary
	out = append(out, ip[end:])
	for end > 0 {
		start := max(0, end-s.secondary)
		out = append([]string{ip[start:end]}, out...)
		end = start
	}
	return out
}

// decorate adds the sign, the currency or percent sign and the compact
// affix around the number parts, as the style and signDisplay say.
func (nf *NumberFormat) decorate(compact, num []Part, neg, zero bool) []Part {
	sign := ""
	switch nf.signDisplay {
	case "auto":
		if neg {
			sign = "-"
		}
	case "always":
		sign = "+"
		if neg {
			sign = "-"
		}
	case "exceptZero":
		if !zero {
			sign = "+"
			if neg {
				sign = "-"
			}
		}
	case "negative":
		if neg && !zero {
			sign = "-"
		}
	}
	var out []Part
	accounting := nf.style == "currency" && nf.currencySign == "accounting" && sign == "-"
	if accounting {
		out = append(out, Part{Type: "literal", Value: "("})
	} else if sign == "-" {
		out = append(out, Part{Type: "minusSign", Value: nf.sym.minus})
	} else if sign == "+" {
		out = append(out, Part{Type: "plusSign", Value: nf.sym.plus})
	}
	switch nf.style {
	case "percent":
		if nf.sym.percentPrefix != "" {
			out = append(out, Part{Type: "percentSign", Value: nf.sym.percentPrefix})
		}
		out = append(out, num...)
		out = append(out, compact...)
		if suf := nf.sym.percentSuffix; suf != "" {
			// A space before the sign ("50 %") is a literal.
			trimmed := strings.TrimLeft(suf, " \u00a0\u202f\u061c\u200e\u200f")
			if lead := suf[:len(suf)-len(trimmed)]; lead != "" {
				out = append(out, Part{Type: "literal", Value: lead})
			}
			if trimmed != "" {
				sign, rest := trimmed, ""
				if i := strings.IndexAny(trimmed, "\u061c\u200e\u200f"); i > 0 {
					sign, rest = trimmed[:i], trimmed[i:]
				}
				out = append(out, Part{Type: "percentSign", Value: sign})
				if rest != "" {
					out = append(out, Part{Type: "literal", Value: rest})
				}
			}
		}
	case "currency":
		if nf.currencyDisplay == "name" {
			out = append(out, num...)
			out = append(out, compact...)
			name := nf.currencyNames[1]
			if nf.isOne(num) {
				name = nf.currencyNames[0]
			}
			out = append(out, Part{Type: "literal", Value: " "}, Part{Type: "currency", Value: name})
			break
		}
		out = append(out, Part{Type: "currency", Value: nf.currencySymbol})
		// CLDR currency spacing: a symbol that does not end in a symbol
		// character is set off from the digits by a no-break space.
		if r := []rune(nf.currencySymbol); len(r) > 0 && !isSymbolRune(r[len(r)-1]) {
			out = append(out, Part{Type: "literal", Value: "\u00a0"})
		}
		out = append(out, num...)
		out = append(out, compact...)
	default:
		out = append(out, num...)
		out = append(out, compact...)
	}
	if accounting {
		out = append(out, Part{Type: "literal", Value: ")"})
	}
	return out
}

// isOne reports whether the number parts read exactly "1" in English
// plural terms (integer 1, no visible fraction).
func (nf *NumberFormat) isOne(num []Part) bool {
	return len(num) == 1 && num[0].Type == "integer" && num[0].Value == nf.sym.localize("1")
}

// compact rounds v for compact notation and returns the number and the
// compact affix parts (English: K, M, B, T or thousand, million, ...).
func (nf *NumberFormat) compact(v decimal, neg bool) (rounded, []Part) {
	if v.isZero() {
		return nf.digits.round(v, neg), nil
	}
	mag := v.magnitude()
	for {
		if mag < 3 {
			r := nf.digits.round(v, neg)
			if r.d.magnitude() >= 3 && !r.d.isZero() {
				mag = 3
				continue
			}
			return r, nil
		}
		g := min(mag, 14) / 3
		r := nf.digits.round(v.shift(-3*g), neg)
		if r.d.magnitude() >= 3 && g < 4 && !r.d.isZero() {
			mag = 3 * (g + 1)
			continue
		}
		short := []string{"", "K", "M", "B", "T"}[g]
		long := []string{"", "thousand", "million", "billion", "trillion"}[g]
		if nf.compactDisplay == "long" {
			return r, []Part{{Type: "literal", Value: " "}, {Type: "compact", Value: long}}
		}
		return r, []Part{{Type: "compact", Value: short}}
	}
}

// scientific rounds v's mantissa and returns it with the exponent.
func (nf *NumberFormat) scientific(v decimal, neg bool) (rounded, int) {
	if v.isZero() {
		return nf.digits.round(v, neg), 0
	}
	e := v.magnitude()
	for {
		ee := e
		if nf.notation == "engineering" {
			ee = int(math.Floor(float64(e)/3)) * 3
		}
		r := nf.digits.round(v.shift(-ee), neg)
		limit := 0
		if nf.notation == "engineering" {
			limit = 2
		}
		if !r.d.isZero() && r.d.magnitude() > limit {
			e = ee + limit + 1
			continue
		}
		return r, ee
	}
}

// isSymbolRune reports whether r is a Unicode symbol (category S).
func isSymbolRune(r rune) bool {
	return unicode.IsSymbol(r)
}
