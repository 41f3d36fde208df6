package intl

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// symbols are the number symbols of a locale and numbering system.
type symbols struct {
	zero           rune   // the digit zero of the numbering system
	system         string // its name, "latn"
	decimal, group string
	minus, plus    string // the sign prefixes, with any bidi marks
	percentPrefix  string
	percentSuffix  string
	primary        int // grouping sizes: 3 and 3, or 3 and 2 (hi)
	secondary      int
}

// numberingSystems are the decimal numbering systems this package can
// write, by CLDR name, with their digit zero.
var numberingSystems = map[string]rune{
	"adlm": 0x1E950, "ahom": 0x11730, "arab": 0x0660, "arabext": 0x06F0, "bali": 0x1B50,
	"beng": 0x09E6, "bhks": 0x11C50, "brah": 0x11066, "cakm": 0x11136, "cham": 0xAA50,
	"deva": 0x0966, "fullwide": 0xFF10, "gong": 0x11DA0, "gonm": 0x11D50, "gujr": 0x0AE6,
	"guru": 0x0A66, "hanidec": -1, "hmng": 0x16B50, "java": 0xA9D0, "kali": 0xA900,
	"khmr": 0x17E0, "knda": 0x0CE6, "lana": 0x1A80, "lanatham": 0x1A90, "laoo": 0x0ED0,
	"latn": '0', "lepc": 0x1C40, "limb": 0x1946, "mathbold": 0x1D7CE, "mathdbl": 0x1D7D8,
	"mathmono": 0x1D7F6, "mathsanb": 0x1D7EC, "mathsans": 0x1D7E2, "mlym": 0x0D66,
	"modi": 0x11650, "mong": 0x1810, "mroo": 0x16A60, "mtei": 0xABF0, "mymr": 0x1040,
	"mymrshan": 0x1090, "mymrtlng": 0xA9F0, "newa": 0x11450, "nkoo": 0x07C0, "olck": 0x1C50,
	"orya": 0x0B66, "osma": 0x104A0, "rohg": 0x10D30, "saur": 0xA8D0, "shrd": 0x111D0,
	"sind": 0x112F0, "sinh": 0x0DE6, "sora": 0x110F0, "sund": 0x1BB0, "takr": 0x116C0,
	"talu": 0x19D0, "tamldec": 0x0BE6, "telu": 0x0C66, "thai": 0x0E50, "tibt": 0x0F20,
	"tirh": 0x114D0, "vaii": 0xA620, "wara": 0x118E0, "wcho": 0x1E2F0,
}

// hanidec is the one non-contiguous decimal system.
var hanidec = []rune("〇一二三四五六七八九")

func (s *symbols) digit(c byte) rune {
	if s.system == "hanidec" {
		return hanidec[c-'0']
	}
	return s.zero + rune(c-'0')
}

// localize writes the ASCII digits of ds in the numbering system.
func (s *symbols) localize(ds string) string {
	if s.system == "latn" {
		return ds
	}
	var b strings.Builder
	for i := 0; i < len(ds); i++ {
		b.WriteRune(s.digit(ds[i]))
	}
	return b.String()
}

var symbolCache sync.Map // string (locale + "/" + nu) → *symbols

// symbolsFor returns the symbols of locale (canonical, extensions removed)
// in numbering system nu ("" for the locale's default). They are read from
// x/text's CLDR number data by formatting probe numbers with its
// formatter: -1234567.5 gives the minus sign, the separators and the
// grouping sizes, 0.5 as a percent the percent pattern.
func symbolsFor(locale, nu string) *symbols {
	key := locale + "/" + nu
	if s, ok := symbolCache.Load(key); ok {
		return s.(*symbols)
	}
	tag, err := language.Parse(locale)
	if err != nil {
		tag = language.Und
	}
	p := message.NewPrinter(tag)
	s := &symbols{decimal: ".", group: ",", minus: "-", plus: "+", percentSuffix: "%", primary: 3, secondary: 3, zero: '0', system: "latn"}
	probe := []rune(p.Sprint(number.Decimal(-1234567.5)))
	first, last := -1, -1
	for i, r := range probe {
		if unicode.IsDigit(r) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first >= 0 {
		s.minus = string(probe[:first])
		s.plus = strings.Map(func(r rune) rune {
			if r == '-' || r == '−' {
				return '+'
			}
			return r
		}, s.minus)
		// The runs between the digits: groups then the decimal separator.
		var runs []int
		var seps []string
		n := 0
		for i := first; i <= last; {
			if unicode.IsDigit(probe[i]) {
				n++
				i++
				continue
			}
			j := i
			for j <= last && !unicode.IsDigit(probe[j]) {
				j++
			}
			runs = append(runs, n)
			seps = append(seps, string(probe[i:j]))
			n = 0
			i = j
		}
		if len(seps) == 1 {
			s.decimal, s.group, s.primary = seps[0], "", 0
		}
		if len(seps) >= 2 {
			s.decimal = seps[len(seps)-1]
			s.group = seps[0]
			ints := runs // integer runs: all but the fraction
			s.primary = ints[len(ints)-1]
			if len(ints) >= 3 {
				s.secondary = ints[len(ints)-2]
			} else {
				s.secondary = s.primary
			}
		}
		zero := []rune(p.Sprint(number.Decimal(0)))
		for _, r := range zero {
			if unicode.IsDigit(r) {
				s.zero = r
				break
			}
		}
		for name, z := range numberingSystems {
			if z == s.zero {
				s.system = name
			}
		}
	}
	pct := []rune(p.Sprint(number.Percent(0.5)))
	a, b := -1, -1
	for i, r := range pct {
		if unicode.IsDigit(r) {
			if a < 0 {
				a = i
			}
			b = i
		}
	}
	if a >= 0 {
		s.percentPrefix, s.percentSuffix = string(pct[:a]), string(pct[b+1:])
	}
	if nu != "" && nu != s.system {
		if z, ok := numberingSystems[nu]; ok {
			s.zero, s.system = z, nu
		}
	}
	symbolCache.Store(key, s)
	return s
}

// currencySymbol returns the symbol of the ISO 4217 code in locale, as
// display says: "symbol", "narrowSymbol" (x/text's per-locale tables) or
// "code". Unknown codes are their own symbol.
func currencySymbol(locale, code, display string) string {
	if display == "code" {
		return code
	}
	u, err := currency.ParseISO(code)
	if err != nil {
		return code
	}
	tag, err := language.Parse(locale)
	if err != nil {
		tag = language.Und
	}
	p := message.NewPrinter(tag)
	if display == "narrowSymbol" {
		return p.Sprint(currency.NarrowSymbol(u))
	}
	return p.Sprint(currency.Symbol(u))
}

// currencyDigits returns the ISO 4217 minor unit of code (2 for codes
// x/text does not know).
func currencyDigits(code string) int {
	u, err := currency.ParseISO(code)
	if err != nil {
		return 2
	}
	scale, _ := currency.Standard.Rounding(u)
	return scale
}

// currencyNamesEn are English display names (one, other) of common
// currencies, from CLDR; a currency without one is shown by its code.
var currencyNamesEn = map[string][2]string{
	"AUD": {"Australian dollar", "Australian dollars"},
	"BRL": {"Brazilian real", "Brazilian reals"},
	"CAD": {"Canadian dollar", "Canadian dollars"},
	"CHF": {"Swiss franc", "Swiss francs"},
	"CNY": {"Chinese yuan", "Chinese yuan"},
	"CZK": {"Czech koruna", "Czech korunas"},
	"DKK": {"Danish krone", "Danish kroner"},
	"EUR": {"euro", "euros"},
	"GBP": {"British pound", "British pounds"},
	"HKD": {"Hong Kong dollar", "Hong Kong dollars"},
	"HUF": {"Hungarian forint", "Hungarian forints"},
	"IDR": {"Indonesian rupiah", "Indonesian rupiahs"},
	"ILS": {"Israeli new shekel", "Israeli new shekels"},
	"INR": {"Indian rupee", "Indian rupees"},
	"JPY": {"Japanese yen", "Japanese yen"},
	"KRW": {"South Korean won", "South Korean won"},
	"MXN": {"Mexican peso", "Mexican pesos"},
	"NOK": {"Norwegian krone", "Norwegian kroner"},
	"NZD": {"New Zealand dollar", "New Zealand dollars"},
	"PLN": {"Polish zloty", "Polish zlotys"},
	"RUB": {"Russian ruble", "Russian rubles"},
	"SEK": {"Swedish krona", "Swedish kronor"},
	"SGD": {"Singapore dollar", "Singapore dollars"},
	"THB": {"Thai baht", "Thai baht"},
	"TRY": {"Turkish lira", "Turkish Lira"},
	"TWD": {"New Taiwan dollar", "New Taiwan dollars"},
	"USD": {"US dollar", "US dollars"},
	"ZAR": {"South African rand", "South African rand"},
}
