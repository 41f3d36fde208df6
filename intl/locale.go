package intl

import (
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/language"

	"github.com/swhost/swhost/weberr"
)

// DefaultLocale is the host's default locale, the one a constructor falls
// back to when no requested locale is available; it is also what
// navigator.language says.
const DefaultLocale = "en-US"

// rangeErr returns a RangeError with a formatted message.
func rangeErr(format string, args ...any) error {
	return weberr.Errorf(weberr.RangeError, format, args...)
}

// typeErr returns a TypeError with a formatted message.
func typeErr(format string, args ...any) error {
	return weberr.Errorf(weberr.TypeError, format, args...)
}

// Tag is a parsed Unicode BCP 47 locale identifier (UTS #35
// unicode_locale_id), kept in canonical case and order.
type Tag struct {
	Language string   // "en"; "" never (und stands for none)
	Script   string   // "Latn" or ""
	Region   string   // "US", "419" or ""
	Variants []string // sorted
	// Unicode is the -u- extension: Attributes then Keywords (key to type,
	// "" for a key without type, which means "true").
	Attributes []string
	Keywords   map[string]string
	// Other is the other extensions and the private use part, each
	// "x-..." string in canonical order (sorted by singleton; x last).
	Other []string
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

func isDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= 'a' && c <= 'z') && !(s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return s != ""
}

// ParseTag parses s as a structurally valid language tag (ECMA-402's
// IsStructurallyValidLanguageTag: a unicode_locale_id without the
// irregular grandfathered forms) and canonicalizes case, order and
// deprecated subtags (CanonicalizeUnicodeLocaleId, with x/text's alias
// data). It returns a RangeError for anything else.
func ParseTag(s string) (Tag, error) {
	bad := func() (Tag, error) { return Tag{}, rangeErr("Incorrect locale information provided: %q", s) }
	if s == "" || strings.ContainsAny(s, "_ ") || !isASCII(s) {
		return bad()
	}
	parts := strings.Split(strings.ToLower(s), "-")
	var t Tag
	i := 0
	// unicode_language_subtag: alpha{2,3} | alpha{5,8}.
	if l := len(parts[0]); !isAlpha(parts[0]) || l == 4 || l < 2 || l > 8 {
		return bad()
	}
	t.Language = parts[0]
	i++
	if i < len(parts) && len(parts[i]) == 4 && isAlpha(parts[i]) {
		t.Script = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		i++
	}
	if i < len(parts) && ((len(parts[i]) == 2 && isAlpha(parts[i])) || (len(parts[i]) == 3 && isDigit(parts[i]))) {
		t.Region = strings.ToUpper(parts[i])
		i++
	}
	for i < len(parts) {
		p := parts[i]
		if !((len(p) >= 5 && len(p) <= 8 && isAlnum(p)) || (len(p) == 4 && p[0] >= '0' && p[0] <= '9' && isAlnum(p))) {
			break
		}
		if slices.Contains(t.Variants, p) {
			return bad()
		}
		t.Variants = append(t.Variants, p)
		i++
	}
	sort.Strings(t.Variants)
	seen := map[byte]bool{}
	for i < len(parts) {
		p := parts[i]
		if len(p) != 1 || !isAlnum(p) {
			return bad()
		}
		single := p[0]
		if seen[single] {
			return bad()
		}
		seen[single] = true
		i++
		start := i
		if single == 'x' {
			for i < len(parts) && len(parts[i]) >= 1 && len(parts[i]) <= 8 && isAlnum(parts[i]) {
				i++
			}
			if i == start || i != len(parts) {
				return bad()
			}
			t.Other = append(t.Other, "x-"+strings.Join(parts[start:], "-"))
			break
		}
		for i < len(parts) && len(parts[i]) >= 2 && len(parts[i]) <= 8 && isAlnum(parts[i]) {
			i++
		}
		if i == start {
			return bad()
		}
		sub := parts[start:i]
		switch single {
		case 'u':
			if !t.parseUnicode(sub) {
				return bad()
			}
		case 't':
			if !validTransformed(sub) {
				return bad()
			}
			t.Other = append(t.Other, "t-"+strings.Join(sub, "-"))
		default:
			t.Other = append(t.Other, string(single)+"-"+strings.Join(sub, "-"))
		}
	}
	sort.SliceStable(t.Other, func(a, b int) bool {
		ka, kb := t.Other[a][0], t.Other[b][0]
		if ka == 'x' || kb == 'x' {
			return kb == 'x' && ka != 'x'
		}
		return ka < kb
	})
	t.canonicalizeAliases()
	return t, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// parseUnicode reads the subtags of a -u- extension.
func (t *Tag) parseUnicode(sub []string) bool {
	i := 0
	for i < len(sub) && len(sub[i]) >= 3 {
		if !slices.Contains(t.Attributes, sub[i]) {
			t.Attributes = append(t.Attributes, sub[i])
		}
		i++
	}
	sort.Strings(t.Attributes)
	for i < len(sub) {
		k := sub[i]
		if len(k) != 2 || k[1] < 'a' || k[1] > 'z' {
			return false
		}
		i++
		var typ []string
		for i < len(sub) && len(sub[i]) >= 3 {
			typ = append(typ, sub[i])
			i++
		}
		if t.Keywords == nil {
			t.Keywords = map[string]string{}
		}
		if _, dup := t.Keywords[k]; dup {
			continue // the first occurrence wins
		}
		v := strings.Join(typ, "-")
		if v == "true" {
			v = ""
		}
		t.Keywords[k] = v
	}
	return true
}

// validTransformed checks the subtags of a -t- extension: an optional
// tlang then tfields (tkey = alpha digit, one or more 3-8 char values).
func validTransformed(sub []string) bool {
	i := 0
	if i < len(sub) && isAlpha(sub[i]) && (len(sub[i]) <= 3 || len(sub[i]) >= 5) {
		i++
		if i < len(sub) && len(sub[i]) == 4 && isAlpha(sub[i]) {
			i++
		}
		if i < len(sub) && ((len(sub[i]) == 2 && isAlpha(sub[i])) || (len(sub[i]) == 3 && isDigit(sub[i]))) {
			i++
		}
		for i < len(sub) && (len(sub[i]) >= 5 || (len(sub[i]) == 4 && sub[i][0] >= '0' && sub[i][0] <= '9')) {
			i++
		}
	}
	for i < len(sub) {
		k := sub[i]
		if len(k) != 2 || !isAlpha(k[:1]) || !isDigit(k[1:]) {
			return false
		}
		i++
		start := i
		for i < len(sub) && len(sub[i]) >= 3 {
			i++
		}
		if i == start {
			return false
		}
	}
	return true
}

// canonicalizeAliases replaces deprecated language and region subtags by
// their preferred values (iw → he, DD → DE), with x/text's alias data.
func (t *Tag) canonicalizeAliases() {
	if b, err := language.ParseBase(t.Language); err == nil {
		tag, _ := (language.Deprecated | language.Macro).Compose(b)
		if nb, _, _ := tag.Raw(); nb.String() != "und" && nb.String() != t.Language {
			t.Language = nb.String()
		}
	}
	if t.Region != "" {
		if r, err := language.ParseRegion(t.Region); err == nil {
			if c := r.Canonicalize().String(); c != "ZZ" {
				t.Region = c
			}
		}
	}
}

// Base returns the language identifier without extensions: "en-Latn-US".
func (t Tag) Base() string {
	var b strings.Builder
	b.WriteString(t.Language)
	if t.Script != "" {
		b.WriteString("-" + t.Script)
	}
	if t.Region != "" {
		b.WriteString("-" + t.Region)
	}
	for _, v := range t.Variants {
		b.WriteString("-" + v)
	}
	return b.String()
}

// String returns the canonical form of the whole tag.
func (t Tag) String() string {
	var b strings.Builder
	b.WriteString(t.Base())
	uDone := false
	writeU := func() {
		uDone = true
		if len(t.Attributes) == 0 && len(t.Keywords) == 0 {
			return
		}
		b.WriteString("-u")
		for _, a := range t.Attributes {
			b.WriteString("-" + a)
		}
		for _, k := range sortedKeys(t.Keywords) {
			b.WriteString("-" + k)
			if v := t.Keywords[k]; v != "" {
				b.WriteString("-" + v)
			}
		}
	}
	for _, o := range t.Other {
		if !uDone && (o[0] > 'u') {
			writeU()
		}
		b.WriteString("-" + o)
	}
	if !uDone {
		writeU()
	}
	return b.String()
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// CanonicalizeLocaleList is ECMA-402's CanonicalizeLocaleList over
// strings: each tag canonicalized, duplicates removed, order kept. A tag
// that is not structurally valid is a RangeError.
func CanonicalizeLocaleList(locales []string) ([]string, error) {
	var out []string
	for _, l := range locales {
		t, err := ParseTag(l)
		if err != nil {
			return nil, err
		}
		s := t.String()
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// Service names the constructors, each with its own set of available
// locales.
type Service int

// The services.
const (
	ServiceCollator Service = iota
	ServiceDateTimeFormat
	ServiceListFormat
	ServiceNumberFormat
	ServicePluralRules
	ServiceRelativeTimeFormat
	ServiceSegmenter
)

// Available reports whether the locale identifier base (no extensions,
// canonical) has data for the service s:
//   - Collator: the tags of collate.Supported (and their parents);
//   - NumberFormat, PluralRules, Segmenter: every tag x/text has CLDR data
//     for (language.CompactIndex is exact);
//   - DateTimeFormat, RelativeTimeFormat, ListFormat: en and en-US.
func Available(s Service, base string) bool {
	switch s {
	case ServiceDateTimeFormat, ServiceRelativeTimeFormat, ServiceListFormat:
		return base == "en" || base == "en-US"
	case ServiceCollator:
		return collationLocales()[base]
	default:
		t, err := language.Parse(base)
		if err != nil || t.String() != base {
			return false
		}
		_, exact := language.CompactIndex(t)
		return exact
	}
}

// bestAvailable is ECMA-402's BestAvailableLocale: base, then its parents
// by removing subtags from the end, the first that is available.
func bestAvailable(s Service, base string) string {
	c := base
	for {
		if Available(s, c) {
			return c
		}
		pos := strings.LastIndexByte(c, '-')
		if pos < 0 {
			return ""
		}
		if pos >= 2 && c[pos-2] == '-' {
			pos -= 2
		}
		c = c[:pos]
	}
}

// resolved is the outcome of locale negotiation: the available locale
// chosen and the Unicode extension keywords of the request it came from.
type resolved struct {
	base     string            // "en-US"
	keywords map[string]string // of the matching requested tag, or nil
}

// resolve is ECMA-402's LookupMatcher (also used for "best fit", which the
// specification lets an implementation make the same): the first requested
// locale with an available parent, else the default locale.
func resolve(s Service, requested []string) resolved {
	for _, r := range requested {
		t, err := ParseTag(r)
		if err != nil {
			continue
		}
		if b := bestAvailable(s, t.Base()); b != "" {
			return resolved{base: b, keywords: t.Keywords}
		}
	}
	if b := bestAvailable(s, DefaultLocale); b != "" {
		return resolved{base: b}
	}
	return resolved{base: "en"}
}

// withKeywords returns base with a -u- extension of kw (in key order).
func withKeywords(base string, kw [][2]string) string {
	if len(kw) == 0 {
		return base
	}
	sort.Slice(kw, func(i, j int) bool { return kw[i][0] < kw[j][0] })
	var b strings.Builder
	b.WriteString(base + "-u")
	for _, p := range kw {
		b.WriteString("-" + p[0])
		if p[1] != "" && p[1] != "true" {
			b.WriteString("-" + p[1])
		}
	}
	return b.String()
}

// SupportedLocalesOf is the supportedLocalesOf method of each constructor:
// the canonicalized requested locales that have an available parent,
// extensions kept. localeMatcher must be "", "lookup" or "best fit".
func SupportedLocalesOf(s Service, locales []string, localeMatcher string) ([]string, error) {
	if err := checkMatcher(localeMatcher); err != nil {
		return nil, err
	}
	list, err := CanonicalizeLocaleList(locales)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, l := range list {
		t, _ := ParseTag(l)
		if bestAvailable(s, t.Base()) != "" {
			out = append(out, l)
		}
	}
	return out, nil
}

func checkMatcher(m string) error {
	switch m {
	case "", "lookup", "best fit":
		return nil
	}
	return rangeErr("Value %s out of range for Intl options property localeMatcher", m)
}

// oneOf returns v, or def when v is "", and a RangeError when v is none of
// allowed.
func oneOf(prop, v, def string, allowed ...string) (string, error) {
	if v == "" {
		return def, nil
	}
	if slices.Contains(allowed, v) {
		return v, nil
	}
	return "", rangeErr("Value %s out of range for Intl options property %s", v, prop)
}
