package intl

import (
	"reflect"
	"testing"

	"github.com/swhost/swhost/weberr"
)

func num(x float64) *float64 { return &x }
func flag(b bool) *bool      { return &b }

func TestCanonicalizeLocaleList(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want []string
		bad  bool
	}{
		{in: []string{"EN-us"}, want: []string{"en-US"}},
		{in: []string{"en-US", "en-us"}, want: []string{"en-US"}},
		{in: []string{"zh-hant-tw"}, want: []string{"zh-Hant-TW"}},
		{in: []string{"iw"}, want: []string{"he"}},
		{in: []string{"cmn"}, want: []string{"zh"}},
		{in: []string{"de-DD"}, want: []string{"de-DE"}},
		{in: []string{"sl-rozaj-biske-1994"}, want: []string{"sl-1994-biske-rozaj"}},
		{in: []string{"en-u-nu-latn-ca-gregory"}, want: []string{"en-u-ca-gregory-nu-latn"}},
		{in: []string{"en-US-u-kn-true"}, want: []string{"en-US-u-kn"}},
		{in: []string{"en-x-u-foo-a-bar"}, want: []string{"en-x-u-foo-a-bar"}},
		{in: []string{"en-b-ccc-a-bbb"}, want: []string{"en-a-bbb-b-ccc"}},
		{in: []string{""}, bad: true},
		{in: []string{"en_US"}, bad: true},
		{in: []string{"i-klingon"}, bad: true},
		{in: []string{"x-private"}, bad: true},
		{in: []string{"en-a"}, bad: true},
		{in: []string{"en-u-ca-gregory-u-nu-latn"}, bad: true},
		{in: []string{"de-1996-1996"}, bad: true},
		{in: []string{"abcd"}, bad: true},
	} {
		got, err := CanonicalizeLocaleList(c.in)
		if c.bad {
			if weberr.NameOf(err) != weberr.RangeError {
				t.Errorf("%q: err %v, want RangeError", c.in, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestResolveLocale(t *testing.T) {
	for _, c := range []struct {
		s    Service
		in   []string
		want string
	}{
		{ServiceNumberFormat, []string{"de-CH"}, "de-CH"},
		{ServiceNumberFormat, []string{"de-XX"}, "de"},
		{ServiceNumberFormat, []string{"tlh", "fr"}, "fr"},
		{ServiceNumberFormat, nil, "en-US"},
		{ServiceDateTimeFormat, []string{"en-GB"}, "en"},
		{ServiceDateTimeFormat, []string{"de"}, "en-US"},
		{ServiceCollator, []string{"sv-SE"}, "sv"},
		{ServicePluralRules, []string{"ar-EG"}, "ar-EG"},
	} {
		if got := resolve(c.s, c.in).base; got != c.want {
			t.Errorf("%v %q: %q, want %q", c.s, c.in, got, c.want)
		}
	}
	got, err := SupportedLocalesOf(ServiceListFormat, []string{"en-GB", "de", "EN-us"}, "")
	if err != nil || !reflect.DeepEqual(got, []string{"en-GB", "en-US"}) {
		t.Errorf("SupportedLocalesOf = %q, %v", got, err)
	}
	if _, err := SupportedLocalesOf(ServiceListFormat, nil, "fastest"); weberr.NameOf(err) != weberr.RangeError {
		t.Errorf("localeMatcher fastest: %v", err)
	}
}

func TestNumberFormat(t *testing.T) {
	for _, c := range []struct {
		loc  string
		o    NumberFormatOptions
		x    float64
		want string
	}{
		{"en-US", NumberFormatOptions{}, 1234567.891, "1,234,567.891"},
		{"en-US", NumberFormatOptions{}, negZero(), "-0"},
		{"en-US", NumberFormatOptions{}, 1e21, "1,000,000,000,000,000,000,000"},
		{"en-US", NumberFormatOptions{}, 0.0000001, "0"},
		{"en-US", NumberFormatOptions{Style: "currency", Currency: "USD"}, 1234.5, "$1,234.50"},
		{"en-US", NumberFormatOptions{Style: "currency", Currency: "usd"}, -1234.5, "-$1,234.50"},
		{"en-US", NumberFormatOptions{Style: "currency", Currency: "USD", CurrencySign: "accounting"}, -1234.5, "($1,234.50)"},
		{"en-US", NumberFormatOptions{Style: "currency", Currency: "JPY"}, 1234.5, "¥1,235"},
		{"en-US", NumberFormatOptions{Style: "currency", Currency: "EUR"}, 1, "€1.00"},
		{"en-US", NumberFormatOptions{Style: "currency", Currency: "CAD"}, 1, "CA$1.00"},
		{"en-US", NumberFormatOptions{Style: "currency", Currency: "CHF"}, 1, "CHF\u00a01.00"},
		{"en-US", NumberFormatOptions{Style: "currency", Currency: "EUR", CurrencyDisplay: "code"}, 1, "EUR\u00a01.00"},
		{"en-US", NumberFormatOptions{Style: "currency", Currency: "EUR", CurrencyDisplay: "name"}, 1, "1.00 euros"},
		{"en-US", NumberFormatOptions{Style: "currency", Currency: "USD", CurrencyDisplay: "name", MaximumFractionDigits: num(0)}, 1, "1 US dollar"},
		{"en-US", NumberFormatOptions{Style: "currency", Currency: "USD", Notation: "compact"}, 1234567, "$1.2M"},
		{"en-US", NumberFormatOptions{Style: "percent"}, 0.256, "26%"},
		{"en-US", NumberFormatOptions{Style: "percent", MaximumFractionDigits: num(1)}, -0.2567, "-25.7%"},
		{"en", NumberFormatOptions{Notation: "compact"}, 1234, "1.2K"},
		{"en", NumberFormatOptions{Notation: "compact"}, 123456, "123K"},
		{"en", NumberFormatOptions{Notation: "compact"}, 999999, "1M"},
		{"en", NumberFormatOptions{Notation: "compact"}, 999.9, "1K"},
		{"en", NumberFormatOptions{Notation: "compact"}, 0.123, "0.12"},
		{"en", NumberFormatOptions{Notation: "compact"}, 1e15, "1000T"},
		{"en", NumberFormatOptions{Notation: "compact"}, -1.5e6, "-1.5M"},
		{"en", NumberFormatOptions{Notation: "compact", CompactDisplay: "long"}, 1.5e9, "1.5 billion"},
		{"en", NumberFormatOptions{Notation: "scientific"}, 123456, "1.235E5"},
		{"en", NumberFormatOptions{Notation: "scientific"}, 0.00012, "1.2E-4"},
		{"en", NumberFormatOptions{Notation: "engineering"}, 123456, "123.456E3"},
		{"en", NumberFormatOptions{MaximumSignificantDigits: num(3)}, 123456, "123,000"},
		{"en", NumberFormatOptions{MinimumSignificantDigits: num(3)}, 1, "1.00"},
		{"en", NumberFormatOptions{MaximumFractionDigits: num(2)}, 1.005, "1.01"},
		{"en", NumberFormatOptions{MaximumFractionDigits: num(0)}, 2.5, "3"},
		{"en", NumberFormatOptions{MaximumFractionDigits: num(0), RoundingMode: "halfEven"}, 2.5, "2"},
		{"en", NumberFormatOptions{MaximumFractionDigits: num(0), RoundingMode: "floor"}, -2.1, "-3"},
		{"en", NumberFormatOptions{MaximumFractionDigits: num(0), RoundingMode: "trunc"}, -2.9, "-2"},
		{"en", NumberFormatOptions{MaximumFractionDigits: num(2)}, -0.0001, "-0"},
		{"en", NumberFormatOptions{MaximumFractionDigits: num(2), SignDisplay: "negative"}, -0.0001, "0"},
		{"en", NumberFormatOptions{SignDisplay: "exceptZero"}, 0, "0"},
		{"en", NumberFormatOptions{SignDisplay: "always"}, 5, "+5"},
		{"en", NumberFormatOptions{SignDisplay: "never"}, -5, "5"},
		{"en", NumberFormatOptions{MinimumIntegerDigits: num(3)}, 5, "005"},
		{"en", NumberFormatOptions{MinimumFractionDigits: num(2), MaximumFractionDigits: num(2), RoundingIncrement: num(5)}, 1.23, "1.25"},
		{"en", NumberFormatOptions{MinimumFractionDigits: num(2), TrailingZeroDisplay: "stripIfInteger"}, 5, "5"},
		{"en", NumberFormatOptions{MaximumFractionDigits: num(1), MaximumSignificantDigits: num(2), RoundingPriority: "lessPrecision"}, 1.234, "1.2"},
		{"en", NumberFormatOptions{MaximumFractionDigits: num(1), MaximumSignificantDigits: num(2), RoundingPriority: "morePrecision"}, 123.456, "123.5"},
		{"en", NumberFormatOptions{UseGrouping: "min2"}, 1234, "1234"},
		{"en", NumberFormatOptions{UseGrouping: "false"}, 12345, "12345"},
		{"de", NumberFormatOptions{}, 1234567.891, "1.234.567,891"},
		{"de", NumberFormatOptions{Style: "percent"}, 0.256, "26\u00a0%"},
		{"de", NumberFormatOptions{Notation: "compact"}, 1234, "1.234"},
		{"hi", NumberFormatOptions{}, 1234567.891, "12,34,567.891"},
		{"en-u-nu-arab", NumberFormatOptions{}, 12, "١٢"},
		{"en", NumberFormatOptions{NumberingSystem: "deva"}, 12, "१२"},
	} {
		nf, err := NewNumberFormat([]string{c.loc}, c.o)
		if err != nil {
			t.Errorf("%s %+v: %v", c.loc, c.o, err)
			continue
		}
		if got := nf.Format(FromFloat(c.x)); got != c.want {
			t.Errorf("%s %+v format(%v) = %q, want %q", c.loc, c.o, c.x, got, c.want)
		}
	}
}

func TestNumberFormatSpecial(t *testing.T) {
	nf, _ := NewNumberFormat([]string{"en"}, NumberFormatOptions{})
	for _, c := range []struct {
		v    Value
		want string
	}{
		{FromFloat(nan()), "NaN"},
		{Value{Inf: true, Neg: true}, "-∞"},
	} {
		if got := nf.Format(c.v); got != c.want {
			t.Errorf("%+v: %q, want %q", c.v, got, c.want)
		}
	}
	v, ok := ParseDecimal("123456789012345678901234567890")
	if !ok || nf.Format(v) != "123,456,789,012,345,678,901,234,567,890" {
		t.Errorf("big decimal: %q", nf.Format(v))
	}
	parts := nf.FormatToParts(FromFloat(-1234.5))
	want := []Part{{Type: "minusSign", Value: "-"}, {Type: "integer", Value: "1"}, {Type: "group", Value: ","},
		{Type: "integer", Value: "234"}, {Type: "decimal", Value: "."}, {Type: "fraction", Value: "5"}}
	if !reflect.DeepEqual(parts, want) {
		t.Errorf("parts %+v", parts)
	}
}

func nan() float64 { var z float64; return z / z }

func TestNumberFormatErrors(t *testing.T) {
	for _, c := range []struct {
		o    NumberFormatOptions
		name string
	}{
		{NumberFormatOptions{Style: "bogus"}, weberr.RangeError},
		{NumberFormatOptions{Style: "currency"}, weberr.TypeError},
		{NumberFormatOptions{Style: "currency", Currency: "US"}, weberr.RangeError},
		{NumberFormatOptions{MinimumFractionDigits: num(3), MaximumFractionDigits: num(1)}, weberr.RangeError},
		{NumberFormatOptions{MaximumFractionDigits: num(101)}, weberr.RangeError},
		{NumberFormatOptions{MinimumSignificantDigits: num(0)}, weberr.RangeError},
		{NumberFormatOptions{RoundingIncrement: num(3)}, weberr.RangeError},
		{NumberFormatOptions{RoundingIncrement: num(5), MaximumSignificantDigits: num(2)}, weberr.TypeError},
		{NumberFormatOptions{Style: "unit"}, weberr.TypeError},
	} {
		_, err := NewNumberFormat(nil, c.o)
		if weberr.NameOf(err) != c.name {
			t.Errorf("%+v: %v, want %s", c.o, err, c.name)
		}
	}
}

func TestNumberFormatResolvedOptions(t *testing.T) {
	nf, _ := NewNumberFormat([]string{"de"}, NumberFormatOptions{Notation: "compact", Style: "currency", Currency: "EUR", CurrencyDisplay: "name"})
	got := map[string]any{}
	for _, p := range nf.ResolvedOptions() {
		got[p[0].(string)] = p[1]
	}
	// No German compact patterns or currency names: said so.
	if got["notation"] != "standard" || got["currencyDisplay"] != "code" || got["locale"] != "de" {
		t.Errorf("resolvedOptions %v", got)
	}
	nf, _ = NewNumberFormat([]string{"en"}, NumberFormatOptions{Notation: "compact"})
	got = map[string]any{}
	for _, p := range nf.ResolvedOptions() {
		got[p[0].(string)] = p[1]
	}
	if got["roundingPriority"] != "morePrecision" || got["maximumSignificantDigits"] != 2 || got["useGrouping"] != "min2" {
		t.Errorf("compact resolvedOptions %v", got)
	}
}

func TestPluralRules(t *testing.T) {
	for _, c := range []struct {
		loc, typ string
		o        PluralRulesOptions
		x        float64
		want     string
	}{
		{"en", "", PluralRulesOptions{}, 1, "one"},
		{"en", "", PluralRulesOptions{}, 0, "other"},
		{"en", "", PluralRulesOptions{}, 1.5, "other"},
		{"en", "", PluralRulesOptions{MinimumFractionDigits: num(1)}, 1, "other"},
		{"en", "ordinal", PluralRulesOptions{}, 2, "two"},
		{"en", "ordinal", PluralRulesOptions{}, 23, "few"},
		{"en", "ordinal", PluralRulesOptions{}, 11, "other"},
		{"ar", "", PluralRulesOptions{}, 0, "zero"},
		{"ar", "", PluralRulesOptions{}, 5, "few"},
		{"ar", "", PluralRulesOptions{}, 11, "many"},
		{"pl", "", PluralRulesOptions{}, 22, "few"},
		{"pl", "", PluralRulesOptions{}, 25, "many"},
		{"fr", "", PluralRulesOptions{}, 1.5, "one"},
		{"ja", "", PluralRulesOptions{}, 1, "other"},
	} {
		c.o.Type = c.typ
		pr, err := NewPluralRules([]string{c.loc}, c.o)
		if err != nil {
			t.Fatal(err)
		}
		if got := pr.Select(FromFloat(c.x)); got != c.want {
			t.Errorf("%s %s select(%v) = %q, want %q", c.loc, c.typ, c.x, got, c.want)
		}
	}
	pr, _ := NewPluralRules([]string{"en"}, PluralRulesOptions{Type: "ordinal"})
	if got := pr.categories; !reflect.DeepEqual(got, []string{"one", "two", "few", "other"}) {
		t.Errorf("en ordinal categories %q", got)
	}
	if _, err := NewPluralRules(nil, PluralRulesOptions{Type: "cardinals"}); weberr.NameOf(err) != weberr.RangeError {
		t.Errorf("type cardinals: %v", err)
	}
}

func TestCollator(t *testing.T) {
	for _, c := range []struct {
		loc  string
		o    CollatorOptions
		a, b string
		want int
	}{
		{"en", CollatorOptions{}, "a", "b", -1},
		{"en", CollatorOptions{}, "a", "A", -1},
		{"en", CollatorOptions{}, "résumé", "resume", 1},
		{"en", CollatorOptions{}, "\u0041\u030a", "\u00c5", 0},
		{"en", CollatorOptions{}, "2", "10", 1},
		{"en", CollatorOptions{Numeric: flag(true)}, "2", "10", -1},
		{"en-u-kn", CollatorOptions{}, "2", "10", -1},
		{"en", CollatorOptions{Sensitivity: "base"}, "a", "Á", 0},
		{"en", CollatorOptions{Sensitivity: "accent"}, "a", "A", 0},
		{"en", CollatorOptions{Sensitivity: "accent"}, "a", "á", -1},
		{"en", CollatorOptions{Sensitivity: "case"}, "a", "á", 0},
		{"en", CollatorOptions{Sensitivity: "case"}, "a", "A", -1},
		{"en", CollatorOptions{IgnorePunctuation: flag(true)}, "a-b", "ab", 0},
		{"sv", CollatorOptions{}, "ä", "z", 1},
		{"de", CollatorOptions{}, "ä", "z", -1},
	} {
		col, err := NewCollator([]string{c.loc}, c.o)
		if err != nil {
			t.Fatal(err)
		}
		if got := col.Compare(c.a, c.b); got != c.want {
			t.Errorf("%s %+v compare(%q, %q) = %d, want %d", c.loc, c.o, c.a, c.b, got, c.want)
		}
	}
	col, _ := NewCollator([]string{"en-u-kn-co-phonebk"}, CollatorOptions{})
	if col.Locale() != "en-u-kn" {
		t.Errorf("locale %q: kn kept, co dropped", col.Locale())
	}
	col, _ = NewCollator([]string{"en-u-kn"}, CollatorOptions{Numeric: flag(false)})
	if col.Locale() != "en" || col.Compare("2", "10") != 1 {
		t.Errorf("numeric false overrides -u-kn: %q", col.Locale())
	}
}

func TestDateTimeFormat(t *testing.T) {
	may1886 := -2671983583000.0 // 1885-04-30T06:20:17Z
	for _, c := range []struct {
		o        DateTimeFormatOptions
		req, def string
		ms       float64
		want     string
	}{
		{DateTimeFormatOptions{TimeZone: "UTC"}, "any", "date", 0, "1/1/1970"},
		{DateTimeFormatOptions{TimeZone: "UTC"}, "any", "all", 0, "1/1/1970, 12:00:00 AM"},
		{DateTimeFormatOptions{TimeZone: "UTC"}, "time", "time", 0, "12:00:00 AM"},
		{DateTimeFormatOptions{TimeZone: "UTC"}, "date", "date", 0, "1/1/1970"},
		{DateTimeFormatOptions{TimeZone: "UTC", DateStyle: "full", TimeStyle: "full"}, "any", "date", may1886, "Thursday, April 30, 1885 at 6:20:17 AM Coordinated Universal Time"},
		{DateTimeFormatOptions{TimeZone: "UTC", DateStyle: "long"}, "any", "date", 0, "January 1, 1970"},
		{DateTimeFormatOptions{TimeZone: "UTC", DateStyle: "medium", TimeStyle: "long"}, "any", "date", 0, "Jan 1, 1970, 12:00:00 AM UTC"},
		{DateTimeFormatOptions{TimeZone: "UTC", DateStyle: "short", TimeStyle: "short", Hour12: flag(false)}, "any", "date", 0, "1/1/70, 00:00"},
		{DateTimeFormatOptions{TimeZone: "UTC", TimeStyle: "medium", HourCycle: "h11"}, "any", "date", 0, "0:00:00 AM"},
		{DateTimeFormatOptions{TimeZone: "UTC", TimeStyle: "medium", HourCycle: "h23", Hour12: flag(true)}, "any", "date", 0, "12:00:00 AM"},
		{DateTimeFormatOptions{TimeZone: "America/New_York", TimeStyle: "full"}, "any", "date", 1e12, "9:46:40 PM Eastern Daylight Time"},
		{DateTimeFormatOptions{TimeZone: "america/los_angeles", TimeZoneName: "short"}, "any", "date", 1.6e12, "9/13/2020, PDT"},
		{DateTimeFormatOptions{TimeZone: "Europe/Berlin", Hour: "numeric", TimeZoneName: "long"}, "any", "date", 1.6e12, "2 PM Central European Summer Time"},
		{DateTimeFormatOptions{TimeZone: "Europe/Berlin", Hour: "numeric", TimeZoneName: "short"}, "any", "date", 1.6e12, "2 PM GMT+2"},
		{DateTimeFormatOptions{TimeZone: "Asia/Kolkata", Hour: "numeric", Minute: "numeric", TimeZoneName: "shortOffset"}, "any", "date", 1.6e12, "5:56 PM GMT+5:30"},
		{DateTimeFormatOptions{TimeZone: "+05:30", Hour: "numeric", Minute: "numeric", TimeZoneName: "longOffset"}, "any", "date", 1.6e12, "5:56 PM GMT+05:30"},
		{DateTimeFormatOptions{TimeZone: "UTC", Weekday: "long", Year: "numeric", Month: "long", Day: "numeric"}, "any", "date", 0, "Thursday, January 1, 1970"},
		{DateTimeFormatOptions{TimeZone: "UTC", Weekday: "short", Year: "numeric", Month: "short", Day: "numeric"}, "any", "date", 0, "Thu, Jan 1, 1970"},
		{DateTimeFormatOptions{TimeZone: "UTC", Month: "long", Day: "numeric", Hour: "numeric"}, "any", "date", 0, "January 1 at 12 AM"},
		{DateTimeFormatOptions{TimeZone: "UTC", Month: "short", Day: "numeric", Hour: "numeric", Minute: "2-digit"}, "any", "date", 0, "Jan 1, 12:00 AM"},
		{DateTimeFormatOptions{TimeZone: "UTC", Era: "short"}, "any", "date", 0, "1/1/1970 AD"},
		{DateTimeFormatOptions{TimeZone: "UTC", Year: "numeric", Era: "long"}, "any", "date", -62167219200000, "1 Before Christ"},
		{DateTimeFormatOptions{TimeZone: "UTC", Hour: "numeric", DayPeriod: "long"}, "any", "date", 12 * 3600e3, "12 noon"},
		{DateTimeFormatOptions{TimeZone: "UTC", Hour: "numeric", DayPeriod: "short"}, "any", "date", 22 * 3600e3, "10 at night"},
		{DateTimeFormatOptions{TimeZone: "UTC", DayPeriod: "narrow"}, "any", "date", 9 * 3600e3, "in the morning"},
		{DateTimeFormatOptions{TimeZone: "UTC", Hour: "numeric", Minute: "numeric", Second: "numeric", FractionalSecondDigits: num(2)}, "any", "date", 1234, "12:00:01.23 AM"},
		{DateTimeFormatOptions{TimeZone: "UTC", Year: "2-digit", Month: "2-digit", Day: "2-digit"}, "any", "date", 0, "01/01/70"},
		{DateTimeFormatOptions{TimeZone: "UTC", HourCycle: "h23", Hour: "numeric", Minute: "numeric"}, "any", "date", 0, "00:00"},
		{DateTimeFormatOptions{TimeZone: "UTC", HourCycle: "h24", Hour: "numeric"}, "any", "date", 0, "24"},
		{DateTimeFormatOptions{TimeZone: "UTC", Weekday: "short"}, "any", "date", 0, "Thu"},
		{DateTimeFormatOptions{TimeZone: "UTC", Month: "long"}, "any", "date", 0, "January"},
		{DateTimeFormatOptions{TimeZone: "UTC", Year: "numeric", Month: "short"}, "any", "date", 0, "Jan 1970"},
		{DateTimeFormatOptions{TimeZone: "UTC", Month: "numeric", Day: "numeric"}, "any", "date", 0, "1/1"},
		{DateTimeFormatOptions{TimeZone: "UTC", TimeZoneName: "short"}, "any", "date", 0, "1/1/1970, UTC"},
		{DateTimeFormatOptions{TimeZone: "Europe/London", TimeZoneName: "long"}, "any", "date", 1.6e12, "9/13/2020, British Summer Time"},
		{DateTimeFormatOptions{TimeZone: "UTC", NumberingSystem: "arab"}, "any", "date", 0, "١/١/١٩٧٠"},
	} {
		df, err := NewDateTimeFormat([]string{"en-US"}, c.o, c.req, c.def)
		if err != nil {
			t.Errorf("%+v: %v", c.o, err)
			continue
		}
		if got, err := df.Format(c.ms); got != c.want || err != nil {
			t.Errorf("%+v format(%v) = %q, %v; want %q", c.o, c.ms, got, err, c.want)
		}
	}
}

func TestDateTimeFormatErrors(t *testing.T) {
	for _, c := range []struct {
		o    DateTimeFormatOptions
		req  string
		name string
	}{
		{DateTimeFormatOptions{TimeZone: "Mars/Olympus"}, "any", weberr.RangeError},
		{DateTimeFormatOptions{TimeZone: "+01:00:00"}, "any", weberr.RangeError},
		{DateTimeFormatOptions{Month: "full"}, "any", weberr.RangeError},
		{DateTimeFormatOptions{FractionalSecondDigits: num(4)}, "any", weberr.RangeError},
		{DateTimeFormatOptions{DateStyle: "long", Hour: "numeric"}, "any", weberr.TypeError},
		{DateTimeFormatOptions{TimeStyle: "long"}, "date", weberr.TypeError},
		{DateTimeFormatOptions{DateStyle: "long"}, "time", weberr.TypeError},
	} {
		_, err := NewDateTimeFormat(nil, c.o, c.req, "date")
		if weberr.NameOf(err) != c.name {
			t.Errorf("%+v: %v, want %s", c.o, err, c.name)
		}
	}
	df, _ := NewDateTimeFormat(nil, DateTimeFormatOptions{}, "any", "date")
	if _, err := df.Format(nan()); weberr.NameOf(err) != weberr.RangeError {
		t.Errorf("format(NaN): %v", err)
	}
	if _, err := df.Format(8.64e15 + 1); weberr.NameOf(err) != weberr.RangeError {
		t.Errorf("format(8.64e15+1): %v", err)
	}
}

func TestTimeZone(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"utc", "UTC"}, {"Etc/UTC", "Etc/UTC"}, {"asia/calcutta", "Asia/Calcutta"},
		{"AMERICA/PORT-AU-PRINCE", "America/Port-au-Prince"}, {"+0530", "+05:30"}, {"-08", "-08:00"},
	} {
		got, _, err := TimeZone(c.in)
		if got != c.want || err != nil {
			t.Errorf("TimeZone(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "Local", "+24:00", "+1", "../etc/passwd", "America"} {
		if _, _, err := TimeZone(bad); weberr.NameOf(err) != weberr.RangeError {
			t.Errorf("TimeZone(%q): %v, want RangeError", bad, err)
		}
	}
}

func TestRelativeTimeFormat(t *testing.T) {
	for _, c := range []struct {
		o    RelativeTimeFormatOptions
		v    float64
		unit string
		want string
	}{
		{RelativeTimeFormatOptions{}, 3, "day", "in 3 days"},
		{RelativeTimeFormatOptions{}, -1, "day", "1 day ago"},
		{RelativeTimeFormatOptions{}, 1.5, "hours", "in 1.5 hours"},
		{RelativeTimeFormatOptions{}, -1234, "seconds", "1,234 seconds ago"},
		{RelativeTimeFormatOptions{}, negZero(), "day", "0 days ago"},
		{RelativeTimeFormatOptions{}, 0, "day", "in 0 days"},
		{RelativeTimeFormatOptions{Numeric: "auto"}, -1, "day", "yesterday"},
		{RelativeTimeFormatOptions{Numeric: "auto"}, 0, "second", "now"},
		{RelativeTimeFormatOptions{Numeric: "auto"}, 1, "year", "next year"},
		{RelativeTimeFormatOptions{Numeric: "auto"}, 2, "year", "in 2 years"},
		{RelativeTimeFormatOptions{Numeric: "auto", Style: "short"}, -1, "month", "last mo."},
		{RelativeTimeFormatOptions{Style: "short"}, 2, "quarter", "in 2 qtrs."},
		{RelativeTimeFormatOptions{Style: "narrow"}, -5, "minute", "5 min. ago"},
	} {
		rf, err := NewRelativeTimeFormat([]string{"en"}, c.o)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := rf.Format(c.v, c.unit); got != c.want || err != nil {
			t.Errorf("%+v format(%v, %s) = %q, %v; want %q", c.o, c.v, c.unit, got, err, c.want)
		}
	}
	rf, _ := NewRelativeTimeFormat(nil, RelativeTimeFormatOptions{})
	if _, err := rf.Format(1, "decade"); weberr.NameOf(err) != weberr.RangeError {
		t.Errorf("unit decade: %v", err)
	}
	if _, err := rf.Format(nan(), "day"); weberr.NameOf(err) != weberr.RangeError {
		t.Errorf("NaN: %v", err)
	}
}

func negZero() float64 { z := 0.0; return -z }

func TestListFormat(t *testing.T) {
	abc := []string{"a", "b", "c"}
	for _, c := range []struct {
		o     ListFormatOptions
		items []string
		want  string
	}{
		{ListFormatOptions{}, abc, "a, b, and c"},
		{ListFormatOptions{}, abc[:2], "a and b"},
		{ListFormatOptions{}, abc[:1], "a"},
		{ListFormatOptions{}, nil, ""},
		{ListFormatOptions{Style: "short"}, abc, "a, b, & c"},
		{ListFormatOptions{Style: "narrow"}, abc, "a, b, c"},
		{ListFormatOptions{Type: "disjunction"}, abc, "a, b, or c"},
		{ListFormatOptions{Type: "disjunction"}, abc[:2], "a or b"},
		{ListFormatOptions{Type: "unit"}, abc, "a, b, c"},
		{ListFormatOptions{Type: "unit", Style: "narrow"}, abc, "a b c"},
	} {
		lf, err := NewListFormat([]string{"en"}, c.o)
		if err != nil {
			t.Fatal(err)
		}
		if got := lf.Format(c.items); got != c.want {
			t.Errorf("%+v format(%q) = %q, want %q", c.o, c.items, got, c.want)
		}
	}
}

func TestSegmenter(t *testing.T) {
	seg := func(g, s string) []string {
		sg, err := NewSegmenter([]string{"en"}, SegmenterOptions{Granularity: g})
		if err != nil {
			t.Fatal(err)
		}
		u := []rune(s)
		_ = u
		var out []string
		units := utf16Units(s)
		for _, sm := range sg.Segments(s) {
			out = append(out, string(utf16Decode(units[sm.Start:sm.End])))
		}
		return out
	}
	family := "👨‍👩‍👧‍👦"
	if got := seg("grapheme", "a"+family+"é🇫🇷"); !reflect.DeepEqual(got, []string{"a", family, "é", "🇫🇷"}) {
		t.Errorf("graphemes %q", got)
	}
	if got := seg("word", "Hello, world!"); !reflect.DeepEqual(got, []string{"Hello", ",", " ", "world", "!"}) {
		t.Errorf("words %q", got)
	}
	if got := seg("sentence", "One. Two? Three"); !reflect.DeepEqual(got, []string{"One. ", "Two? ", "Three"}) {
		t.Errorf("sentences %q", got)
	}
	sg, _ := NewSegmenter(nil, SegmenterOptions{Granularity: "word"})
	var like []bool
	for _, s := range sg.Segments("go 42!") {
		like = append(like, s.WordLike)
	}
	if !reflect.DeepEqual(like, []bool{true, false, true, false}) {
		t.Errorf("isWordLike %v", like)
	}
}
