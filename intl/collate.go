package intl

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// collationLocales is the set of locale identifiers collate.Supported
// names (as this package canonicalizes them).
var collationLocales = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, t := range collate.Supported() {
		if p, err := ParseTag(t.String()); err == nil {
			m[p.Base()] = true
		}
	}
	return m
})

// CollatorOptions are the options of Intl.Collator (see
// NumberFormatOptions for the conventions; booleans are nil when absent).
type CollatorOptions struct {
	Usage             string `js:"usage"`
	LocaleMatcher     string `js:"localeMatcher"`
	Collation         string `js:"collation"`
	Numeric           *bool  `js:"numeric"`
	CaseFirst         string `js:"caseFirst"`
	Sensitivity       string `js:"sensitivity"`
	IgnorePunctuation *bool  `js:"ignorePunctuation"`
}

// Collator is a resolved Intl.Collator over x/text/collate (the CLDR root
// collation with each supported locale's tailoring). Not safe for
// concurrent use.
type Collator struct {
	locale            string
	usage             string
	sensitivity       string
	ignorePunctuation bool
	numeric           bool
	c                 *collate.Collator
}

// NewCollator resolves an Intl.Collator. Honoured: usage (sort and search
// compare alike), sensitivity (base: case and diacritics ignored; accent:
// case ignored; case: combining marks removed first, then compared
// with case; variant: none ignored), ignorePunctuation (punctuation and white
// space removed before comparing), numeric and -u-kn. Not honoured: caseFirst and
// -u-kf (x/text has no case-first ordering; resolvedOptions omits
// caseFirst), collation types other than the default (-u-co).
func NewCollator(locales []string, o CollatorOptions) (*Collator, error) {
	list, err := CanonicalizeLocaleList(locales)
	if err != nil {
		return nil, err
	}
	c := &Collator{}
	if c.usage, err = oneOf("usage", o.Usage, "sort", "sort", "search"); err != nil {
		return nil, err
	}
	if err := checkMatcher(o.LocaleMatcher); err != nil {
		return nil, err
	}
	if o.Collation != "" && !isUnicodeType(o.Collation) {
		return nil, rangeErr("Invalid collation : %s", o.Collation)
	}
	if _, err = oneOf("caseFirst", o.CaseFirst, "false", "upper", "lower", "false"); err != nil {
		return nil, err
	}
	if c.sensitivity, err = oneOf("sensitivity", o.Sensitivity, "variant", "base", "accent", "case", "variant"); err != nil {
		return nil, err
	}
	r := resolve(ServiceCollator, list)
	var kw [][2]string
	if v, ok := r.keywords["kn"]; ok && (v == "" || v == "true" || v == "false") {
		c.numeric = v != "false"
		if o.Numeric == nil || *o.Numeric == c.numeric {
			kw = append(kw, [2]string{"kn", v})
		}
	}
	if o.Numeric != nil {
		c.numeric = *o.Numeric
	}
	if o.IgnorePunctuation != nil {
		c.ignorePunctuation = *o.IgnorePunctuation
	}
	c.locale = withKeywords(r.base, kw)
	var opts []collate.Option
	switch c.sensitivity {
	case "base":
		opts = append(opts, collate.IgnoreCase, collate.IgnoreDiacritics)
	case "accent":
		opts = append(opts, collate.IgnoreCase)
	}
	if c.numeric {
		opts = append(opts, collate.Numeric)
	}
	c.c = collate.New(language.Make(r.base), opts...)
	return c, nil
}

// Compare returns -1, 0 or 1 as a sorts before, equal to or after b.
// With ignorePunctuation, punctuation and white space are removed from
// both strings first.
func (c *Collator) Compare(a, b string) int {
	if c.ignorePunctuation {
		a, b = stripPunct(a), stripPunct(b)
	}
	if c.sensitivity == "case" {
		a, b = stripMarks(a), stripMarks(b)
	}
	return c.c.CompareString(a, b)
}

// stripMarks removes the combining marks of s's canonical decomposition:
// "case" sensitivity compares what is left with case and width.
func stripMarks(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, norm.NFD.String(s))
}

func stripPunct(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// Locale returns the resolved locale.
func (c *Collator) Locale() string { return c.locale }

// ResolvedOptions returns the resolvedOptions() record as (name, value)
// pairs.
func (c *Collator) ResolvedOptions() [][2]any {
	return [][2]any{{"locale", c.locale}, {"usage", c.usage}, {"sensitivity", c.sensitivity},
		{"ignorePunctuation", c.ignorePunctuation}, {"collation", "default"}, {"numeric", c.numeric}}
}
