package intl

import (
	"math"
	"strings"
	"time"
)

// DateTimeFormatOptions are the options of Intl.DateTimeFormat (see
// NumberFormatOptions for the conventions).
type DateTimeFormatOptions struct {
	LocaleMatcher          string   `js:"localeMatcher"`
	Calendar               string   `js:"calendar"`
	NumberingSystem        string   `js:"numberingSystem"`
	Hour12                 *bool    `js:"hour12"`
	HourCycle              string   `js:"hourCycle"`
	TimeZone               string   `js:"timeZone"`
	Weekday                string   `js:"weekday"`
	Era                    string   `js:"era"`
	Year                   string   `js:"year"`
	Month                  string   `js:"month"`
	Day                    string   `js:"day"`
	DayPeriod              string   `js:"dayPeriod"`
	Hour                   string   `js:"hour"`
	Minute                 string   `js:"minute"`
	Second                 string   `js:"second"`
	FractionalSecondDigits *float64 `js:"fractionalSecondDigits"`
	TimeZoneName           string   `js:"timeZoneName"`
	FormatMatcher          string   `js:"formatMatcher"`
	DateStyle              string   `js:"dateStyle"`
	TimeStyle              string   `js:"timeStyle"`
}

// DateTimeFormat is a resolved Intl.DateTimeFormat: English (CLDR en)
// patterns, the proleptic Gregorian calendar, and a time zone of Go's
// database.
type DateTimeFormat struct {
	locale    string
	sym       *symbols // for the numbering system's digits
	calendar  string
	timeZone  string
	loc       *time.Location
	hourCycle string // "" when the format has no hour
	// The resolved components ("" absent), in resolvedOptions order.
	weekday, era, year, month, day, dayPeriod, hour, minute, second string
	fsd                                                             int
	timeZoneName                                                    string
	dateStyle, timeStyle                                            string
	pattern                                                         []patItem
}

// patItem is a field of a pattern (letter repeated n times) or a literal.
type patItem struct {
	field byte // 0 for a literal
	n     int
	lit   string
}

// parsePattern reads a CLDR date pattern: runs of ASCII letters are
// fields, text in single quotes and other characters are literals.
func parsePattern(p string) []patItem {
	var out []patItem
	lit := func(s string) {
		if n := len(out); n > 0 && out[n-1].field == 0 {
			out[n-1].lit += s
			return
		}
		out = append(out, patItem{lit: s})
	}
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(p[i+1:], '\'')
			if j < 0 {
				lit(p[i+1:])
				return out
			}
			if j == 0 {
				lit("'")
			} else {
				lit(p[i+1 : i+1+j])
			}
			i += j + 2
		case (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
			j := i
			for j < len(p) && p[j] == c {
				j++
			}
			out = append(out, patItem{field: c, n: j - i})
			i = j
		default:
			j := i + 1
			for j < len(p) && p[j] != '\'' && !((p[j] >= 'a' && p[j] <= 'z') || (p[j] >= 'A' && p[j] <= 'Z')) {
				j++
			}
			lit(p[i:j])
			i = j
		}
	}
	return out
}

// NewDateTimeFormat resolves an Intl.DateTimeFormat. required ("date",
// "time" or "any") and defaults ("date", "time" or "all") are those of
// the caller, as in ECMA-402's CreateDateTimeFormat: Intl.DateTimeFormat
// itself passes "any" and "date"; toLocaleDateString "date", "date";
// toLocaleTimeString "time", "time"; toLocaleString "any", "all".
//
// Honoured: every component option, dateStyle and timeStyle, hour12,
// hourCycle and -u-hc, timeZone (IANA names and offsets), timeZoneName
// (names in English for the zones of metazones in timezone.go, the GMT
// offset format for others), numberingSystem and -u-nu. The calendar is
// always gregory; formatMatcher is read and ignored.
func NewDateTimeFormat(locales []string, o DateTimeFormatOptions, required, defaults string) (*DateTimeFormat, error) {
	list, err := CanonicalizeLocaleList(locales)
	if err != nil {
		return nil, err
	}
	if err := checkMatcher(o.LocaleMatcher); err != nil {
		return nil, err
	}
	if o.Calendar != "" && !isUnicodeType(o.Calendar) {
		return nil, rangeErr("Invalid calendar : %s", o.Calendar)
	}
	if o.NumberingSystem != "" && !isUnicodeType(o.NumberingSystem) {
		return nil, rangeErr("Invalid numberingSystem : %s", o.NumberingSystem)
	}
	hcOpt, err := oneOf("hourCycle", o.HourCycle, "", "h11", "h12", "h23", "h24")
	if err != nil {
		return nil, err
	}
	if o.Hour12 != nil {
		hcOpt = ""
	}
	r := resolve(ServiceDateTimeFormat, list)
	df := &DateTimeFormat{calendar: "gregory"}
	var kw [][2]string
	if v, ok := r.keywords["ca"]; ok && (v == "gregory") && (o.Calendar == "" || o.Calendar == v) {
		kw = append(kw, [2]string{"ca", v})
	}
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
	df.sym = symbolsFor("en", nu)
	hc := "h12" // en
	if v, ok := r.keywords["hc"]; ok && (v == "h11" || v == "h12" || v == "h23" || v == "h24") {
		if hcOpt == "" && o.Hour12 == nil {
			hc = v
			kw = append(kw, [2]string{"hc", v})
		}
	}
	if hcOpt != "" {
		hc = hcOpt
	}
	if o.Hour12 != nil {
		hc = "h23"
		if *o.Hour12 {
			hc = "h12"
		}
	}
	df.locale = withKeywords(r.base, kw)

	tz := o.TimeZone
	if tz == "" {
		tz = DefaultTimeZone()
	}
	if df.timeZone, df.loc, err = TimeZone(tz); err != nil {
		return nil, err
	}

	if df.weekday, err = oneOf("weekday", o.Weekday, "", "narrow", "short", "long"); err != nil {
		return nil, err
	}
	if df.era, err = oneOf("era", o.Era, "", "narrow", "short", "long"); err != nil {
		return nil, err
	}
	if df.year, err = oneOf("year", o.Year, "", "2-digit", "numeric"); err != nil {
		return nil, err
	}
	if df.month, err = oneOf("month", o.Month, "", "2-digit", "numeric", "narrow", "short", "long"); err != nil {
		return nil, err
	}
	if df.day, err = oneOf("day", o.Day, "", "2-digit", "numeric"); err != nil {
		return nil, err
	}
	if df.dayPeriod, err = oneOf("dayPeriod", o.DayPeriod, "", "narrow", "short", "long"); err != nil {
		return nil, err
	}
	if df.hour, err = oneOf("hour", o.Hour, "", "2-digit", "numeric"); err != nil {
		return nil, err
	}
	if df.minute, err = oneOf("minute", o.Minute, "", "2-digit", "numeric"); err != nil {
		return nil, err
	}
	if df.second, err = oneOf("second", o.Second, "", "2-digit", "numeric"); err != nil {
		return nil, err
	}
	if df.fsd, err = getNumberOption("fractionalSecondDigits", o.FractionalSecondDigits, 1, 3, 0); err != nil {
		return nil, err
	}
	if df.timeZoneName, err = oneOf("timeZoneName", o.TimeZoneName, "", "short", "long", "shortOffset", "longOffset", "shortGeneric", "longGeneric"); err != nil {
		return nil, err
	}
	if _, err = oneOf("formatMatcher", o.FormatMatcher, "best fit", "basic", "best fit"); err != nil {
		return nil, err
	}
	if df.dateStyle, err = oneOf("dateStyle", o.DateStyle, "", "full", "long", "medium", "short"); err != nil {
		return nil, err
	}
	if df.timeStyle, err = oneOf("timeStyle", o.TimeStyle, "", "full", "long", "medium", "short"); err != nil {
		return nil, err
	}
	explicit := df.weekday != "" || df.era != "" || df.year != "" || df.month != "" || df.day != "" ||
		df.dayPeriod != "" || df.hour != "" || df.minute != "" || df.second != "" || df.fsd != 0 || df.timeZoneName != ""
	if df.dateStyle != "" || df.timeStyle != "" {
		if explicit {
			return nil, typeErr("Can't set option %s when dateStyle or timeStyle is used", firstExplicit(df))
		}
		if required == "date" && df.timeStyle != "" {
			return nil, typeErr("Invalid option : timeStyle")
		}
		if required == "time" && df.dateStyle != "" {
			return nil, typeErr("Invalid option : dateStyle")
		}
		if df.timeStyle != "" {
			df.hourCycle = hc
		}
		df.pattern = parsePattern(df.stylePattern(hc))
		return df, nil
	}
	need := true
	if required == "date" || required == "any" {
		if df.weekday != "" || df.year != "" || df.month != "" || df.day != "" {
			need = false
		}
	}
	if required == "time" || required == "any" {
		if df.dayPeriod != "" || df.hour != "" || df.minute != "" || df.second != "" || df.fsd != 0 {
			need = false
		}
	}
	if need && (defaults == "date" || defaults == "all") {
		df.year, df.month, df.day = "numeric", "numeric", "numeric"
	}
	if need && (defaults == "time" || defaults == "all") {
		df.hour, df.minute, df.second = "numeric", "numeric", "numeric"
	}
	if df.hour != "" {
		df.hourCycle = hc
	}
	df.pattern = parsePattern(df.componentPattern())
	return df, nil
}

func firstExplicit(df *DateTimeFormat) string {
	for _, p := range [][2]string{{"weekday", df.weekday}, {"era", df.era}, {"year", df.year}, {"month", df.month},
		{"day", df.day}, {"dayPeriod", df.dayPeriod}, {"hour", df.hour}, {"minute", df.minute}, {"second", df.second},
		{"timeZoneName", df.timeZoneName}} {
		if p[1] != "" {
			return p[0]
		}
	}
	return "fractionalSecondDigits"
}

// hourLetter is the pattern letter of an hour cycle.
func hourLetter(hc string) string {
	switch hc {
	case "h11":
		return "K"
	case "h23":
		return "H"
	case "h24":
		return "k"
	}
	return "h"
}

// stylePattern returns the CLDR en pattern of dateStyle and timeStyle.
func (df *DateTimeFormat) stylePattern(hc string) string {
	date := map[string]string{"full": "EEEE, MMMM d, y", "long": "MMMM d, y", "medium": "MMM d, y", "short": "M/d/yy"}[df.dateStyle]
	time := ""
	if df.timeStyle != "" {
		h := hourLetter(hc)
		twelve := hc == "h11" || hc == "h12"
		if !twelve {
			h += h
		}
		time = h + ":mm"
		if df.timeStyle != "short" {
			time += ":ss"
		}
		if twelve {
			time += " a"
		}
		switch df.timeStyle {
		case "full":
			time += " zzzz"
		case "long":
			time += " z"
		}
	}
	switch {
	case date == "":
		return time
	case time == "":
		return date
	case df.dateStyle == "full" || df.dateStyle == "long":
		return date + " 'at' " + time
	default:
		return date + ", " + time
	}
}

// componentPattern builds the en pattern of the requested components,
// as ICU's pattern generator does from CLDR's availableFormats, and sets
// the resolved widths it implies (minute and second two digits after an
// hour, 24-hour hours two digits).
func (df *DateTimeFormat) componentPattern() string {
	width := func(v, numeric, twoDigit, short, long, narrow string) string {
		switch v {
		case "numeric":
			return numeric
		case "2-digit":
			return twoDigit
		case "short":
			return short
		case "long":
			return long
		case "narrow":
			return narrow
		}
		return ""
	}
	E := width(df.weekday, "", "", "EEE", "EEEE", "EEEEE")
	M := width(df.month, "M", "MM", "MMM", "MMMM", "MMMMM")
	d := width(df.day, "d", "dd", "", "", "")
	y := width(df.year, "y", "yy", "", "", "")
	G := width(df.era, "", "", "G", "GGGG", "GGGGG")
	text := df.month == "short" || df.month == "long" || df.month == "narrow"

	var date string
	switch {
	case y != "" && M != "" && d != "":
		if text {
			date = M + " " + d + ", " + y
		} else {
			date = M + "/" + d + "/" + y
		}
	case y != "" && M != "":
		if text {
			date = M + " " + y
		} else {
			date = M + "/" + y
		}
	case M != "" && d != "":
		if text {
			date = M + " " + d
		} else {
			date = M + "/" + d
		}
	case y != "" && d != "":
		date = d + " " + y
	case y != "":
		date = y
	case M != "":
		date = strings.ReplaceAll(M, "M", "L")
	case d != "":
		date = d
	}
	if G != "" {
		if date == "" {
			date = G
		} else {
			date += " " + G
		}
	}
	if E != "" {
		switch {
		case date == "":
			date = strings.ReplaceAll(E, "E", "c")
		case d != "" && M == "" && y == "":
			date = date + " " + E
		default:
			date = E + ", " + date
		}
	}

	// Time.
	twelve := df.hourCycle == "h11" || df.hourCycle == "h12"
	var h string
	if df.hour != "" {
		h = hourLetter(df.hourCycle)
		if df.hour == "2-digit" || !twelve {
			h += h
			df.hour = "2-digit"
		}
	}
	m := ""
	if df.minute != "" {
		m = "m"
		if df.minute == "2-digit" || h != "" {
			m, df.minute = "mm", "2-digit"
		}
	}
	s := ""
	if df.second != "" {
		s = "s"
		if df.second == "2-digit" || m != "" || h != "" {
			s, df.second = "ss", "2-digit"
		}
	}
	var parts []string
	for _, x := range []string{h, m, s} {
		if x != "" {
			parts = append(parts, x)
		}
	}
	tm := strings.Join(parts, ":")
	if df.fsd > 0 {
		frac := strings.Repeat("S", df.fsd)
		if s != "" {
			tm += "." + frac
		} else if tm == "" {
			tm = frac
		} else {
			tm += ":" + frac
		}
	}
	if twelve && h != "" {
		switch df.dayPeriod {
		case "":
			tm += " a"
		case "short":
			tm += " B"
		case "long":
			tm += " BBBB"
		case "narrow":
			tm += " BBBBB"
		}
	} else if df.dayPeriod != "" && h == "" {
		b := map[string]string{"short": "B", "long": "BBBB", "narrow": "BBBBB"}[df.dayPeriod]
		if tm == "" {
			tm = b
		} else {
			tm += " " + b
		}
	}
	if df.timeZoneName != "" {
		z := map[string]string{"short": "z", "long": "zzzz", "shortOffset": "O", "longOffset": "OOOO", "shortGeneric": "v", "longGeneric": "vvvv"}[df.timeZoneName]
		if tm == "" {
			if date == "" {
				tm = z
			} else {
				date += ", " + z
			}
		} else {
			tm += " " + z
		}
	}
	switch {
	case date == "":
		return tm
	case tm == "":
		return date
	case df.month == "long":
		return date + " 'at' " + tm
	default:
		return date + ", " + tm
	}
}

var (
	monthsLong   = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	weekdaysLong = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// FormatToParts formats the time value ms (milliseconds since the epoch,
// a JavaScript Date's) into parts. A value that is not a valid time
// (NaN, beyond ±8.64e15) is a RangeError.
func (df *DateTimeFormat) FormatToParts(ms float64) ([]Part, error) {
	if math.IsNaN(ms) || math.IsInf(ms, 0) || math.Abs(ms) > 8.64e15 {
		return nil, rangeErr("Invalid time value")
	}
	ms = math.Trunc(ms)
	t := time.UnixMilli(int64(ms)).In(df.loc)
	return df.parts(t, df.pattern), nil
}

// Format formats the time value ms.
func (df *DateTimeFormat) Format(ms float64) (string, error) {
	ps, err := df.FormatToParts(ms)
	if err != nil {
		return "", err
	}
	return joinParts(ps), nil
}

func (df *DateTimeFormat) num(n, width int) string {
	var s string
	if width == 2 && n >= 0 && n < 10 {
		s = smallPadded[n]
	} else {
		s = itoa(n)
	}
	return df.sym.localize(s)
}

var smallPadded = [10]string{"00", "01", "02", "03", "04", "05", "06", "07", "08", "09"}

// pick returns a when c holds, else b.
func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

// zoneStyles maps the zone pattern fields to timeZoneName styles.
var zoneStyles = map[string]string{"z": "short", "zzzz": "long", "O": "shortOffset", "OOOO": "longOffset", "v": "shortGeneric", "vvvv": "longGeneric"}

func (df *DateTimeFormat) parts(t time.Time, pat []patItem) []Part {
	out := make([]Part, 0, len(pat))
	add := func(typ, v string) {
		if typ == "literal" {
			if n := len(out); n > 0 && out[n-1].Type == "literal" {
				out[n-1].Value += v
				return
			}
		}
		out = append(out, Part{Type: typ, Value: v})
	}
	year := t.Year()
	for _, it := range pat {
		n := it.n
		switch it.field {
		case 0:
			add("literal", it.lit)
		case 'G':
			ad := year > 0
			switch {
			case n == 4:
				add("era", pick(ad, "Anno Domini", "Before Christ"))
			case n == 5:
				add("era", pick(ad, "A", "B"))
			default:
				add("era", pick(ad, "AD", "BC"))
			}
		case 'y':
			ey := year
			if ey <= 0 {
				ey = 1 - ey
			}
			if n == 2 {
				add("year", df.num(ey%100, 2))
			} else {
				add("year", df.num(ey, 1))
			}
		case 'M', 'L':
			m := int(t.Month())
			switch n {
			case 1, 2:
				add("month", df.num(m, n))
			case 3:
				add("month", monthsLong[m-1][:3])
			case 4:
				add("month", monthsLong[m-1])
			default:
				add("month", monthsLong[m-1][:1])
			}
		case 'd':
			add("day", df.num(t.Day(), n))
		case 'E', 'c':
			w := weekdaysLong[t.Weekday()]
			switch n {
			case 4:
				add("weekday", w)
			case 5:
				add("weekday", w[:1])
			default:
				add("weekday", w[:3])
			}
		case 'a':
			add("dayPeriod", pick(t.Hour() < 12, "AM", "PM"))
		case 'B':
			add("dayPeriod", flexibleDayPeriod(t, n))
		case 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			add("hour", df.num(h, n))
		case 'K':
			add("hour", df.num(t.Hour()%12, n))
		case 'H':
			add("hour", df.num(t.Hour(), n))
		case 'k':
			h := t.Hour()
			if h == 0 {
				h = 24
			}
			add("hour", df.num(h, n))
		case 'm':
			add("minute", df.num(t.Minute(), n))
		case 's':
			add("second", df.num(t.Second(), n))
		case 'S':
			s := itoa(1000 + t.Nanosecond()/1e6)[1:]
			add("fractionalSecond", df.sym.localize(s[:n]))
		case 'z', 'O', 'v':
			_, off := t.Zone()
			style := zoneStyles[strings.Repeat(string(it.field), n)]
			add("timeZoneName", zoneName(df.timeZone, style, off, t.IsDST()))
		}
	}
	return out
}

// flexibleDayPeriod is CLDR en's day period of t (pattern letter B):
// noon at 12:00:00, morning 06-12, afternoon 12-18, evening 18-21, night
// 21-06.
func flexibleDayPeriod(t time.Time, n int) string {
	h := t.Hour()
	switch {
	case h == 12 && t.Minute() == 0 && t.Second() == 0:
		if n == 5 {
			return "n"
		}
		return "noon"
	case h >= 6 && h < 12:
		return "in the morning"
	case h >= 12 && h < 18:
		return "in the afternoon"
	case h >= 18 && h < 21:
		return "in the evening"
	}
	return "at night"
}

// FormatRangeToParts formats the range from a to b (time values): the
// single date when both format alike, else "a – b" with thin spaces
// around the en dash (CLDR's interval fallback; the shared fields are not
// collapsed). Parts carry their source.
func (df *DateTimeFormat) FormatRangeToParts(a, b float64) ([]Part, error) {
	pa, err := df.FormatToParts(a)
	if err != nil {
		return nil, err
	}
	pb, err := df.FormatToParts(b)
	if err != nil {
		return nil, err
	}
	if joinParts(pa) == joinParts(pb) {
		for i := range pa {
			pa[i].Source = "shared"
		}
		return pa, nil
	}
	out := make([]Part, 0, len(pa)+len(pb)+1)
	for _, p := range pa {
		p.Source = "startRange"
		out = append(out, p)
	}
	out = append(out, Part{Type: "literal", Value: "\u2009–\u2009", Source: "shared"})
	for _, p := range pb {
		p.Source = "endRange"
		out = append(out, p)
	}
	return out, nil
}

// Locale returns the resolved locale.
func (df *DateTimeFormat) Locale() string { return df.locale }

// ResolvedOptions returns the resolvedOptions() record as (name, value)
// pairs, in the specification's order.
func (df *DateTimeFormat) ResolvedOptions() [][2]any {
	out := [][2]any{{"locale", df.locale}, {"calendar", df.calendar}, {"numberingSystem", df.sym.system}, {"timeZone", df.timeZone}}
	if df.hourCycle != "" {
		out = append(out, [2]any{"hourCycle", df.hourCycle}, [2]any{"hour12", df.hourCycle == "h11" || df.hourCycle == "h12"})
	}
	if df.dateStyle == "" && df.timeStyle == "" {
		for _, p := range [][2]string{{"weekday", df.weekday}, {"era", df.era}, {"year", df.year}, {"month", df.month},
			{"day", df.day}, {"dayPeriod", df.dayPeriod}, {"hour", df.hour}, {"minute", df.minute}, {"second", df.second}} {
			if p[1] != "" {
				out = append(out, [2]any{p[0], p[1]})
			}
		}
		if df.fsd != 0 {
			out = append(out, [2]any{"fractionalSecondDigits", df.fsd})
		}
		if df.timeZoneName != "" {
			out = append(out, [2]any{"timeZoneName", df.timeZoneName})
		}
	}
	if df.dateStyle != "" {
		out = append(out, [2]any{"dateStyle", df.dateStyle})
	}
	if df.timeStyle != "" {
		out = append(out, [2]any{"timeStyle", df.timeStyle})
	}
	return out
}
