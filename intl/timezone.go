package intl

//go:generate go run gen_zones.go

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // every IANA zone, on machines without a time zone database
)

// zoneIndex maps the lower-case name of every zone of zoneNames to its
// name.
var zoneIndex = sync.OnceValue(func() map[string]string {
	m := make(map[string]string, len(zoneNames))
	for _, z := range zoneNames {
		m[strings.ToLower(z)] = z
	}
	return m
})

var locationCache sync.Map // string → *time.Location

// TimeZone resolves the timeZone option of Intl.DateTimeFormat: an IANA
// zone name of Go's time zone database, matched without regard to ASCII
// case and returned in the database's case ("america/new_york" →
// "America/New_York"; links are kept as given, as ECMA-402 now says:
// "Asia/Calcutta" stays), or a UTC offset ±HH, ±HHMM or ±HH:MM, returned
// as ±HH:MM. Anything else is a RangeError.
func TimeZone(name string) (string, *time.Location, error) {
	if off, ok := parseOffset(name); ok {
		sign := "+"
		if off < 0 {
			sign = "-"
		}
		a := off
		if a < 0 {
			a = -a
		}
		id := sign + pad2(a/60) + ":" + pad2(a%60)
		return id, time.FixedZone(id, off*60), nil
	}
	id, ok := zoneIndex()[strings.ToLower(name)]
	if !ok {
		return "", nil, rangeErr("Invalid time zone specified: %s", name)
	}
	if l, ok := locationCache.Load(id); ok {
		return id, l.(*time.Location), nil
	}
	loc, err := time.LoadLocation(id)
	if err != nil {
		return "", nil, rangeErr("Invalid time zone specified: %s", name)
	}
	locationCache.Store(id, loc)
	return id, loc, nil
}

// parseOffset reads ±HH, ±HHMM or ±HH:MM (hours up to 23) as minutes.
func parseOffset(s string) (int, bool) {
	if len(s) < 3 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	rest := s[1:]
	var hh, mm string
	switch len(rest) {
	case 2:
		hh, mm = rest, "00"
	case 4:
		hh, mm = rest[:2], rest[2:]
	case 5:
		if rest[2] != ':' {
			return 0, false
		}
		hh, mm = rest[:2], rest[3:]
	default:
		return 0, false
	}
	if !isDigit(hh) || !isDigit(mm) {
		return 0, false
	}
	h := int(hh[0]-'0')*10 + int(hh[1]-'0')
	m := int(mm[0]-'0')*10 + int(mm[1]-'0')
	if h > 23 || m > 59 {
		return 0, false
	}
	off := h*60 + m
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

func pad2(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

// DefaultTimeZone is the host's time zone, the one sobek's Date uses for
// local time: the TZ environment variable when it names a zone ("" is
// UTC), else the zone /etc/localtime links to, else UTC. The UTC aliases
// (Etc/UTC, Etc/GMT, GMT...) are reported as "UTC".
var DefaultTimeZone = sync.OnceValue(func() string {
	name := ""
	if tz, ok := os.LookupEnv("TZ"); ok {
		name = strings.TrimPrefix(tz, ":")
		if name == "" {
			name = "UTC"
		}
	} else if target, err := filepath.EvalSymlinks("/etc/localtime"); err == nil {
		if i := strings.Index(target, "zoneinfo/"); i >= 0 {
			name = target[i+len("zoneinfo/"):]
		}
	}
	id, _, err := TimeZone(name)
	if err != nil || name == "" {
		return "UTC"
	}
	switch id {
	case "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu", "Etc/UCT", "UCT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "GMT0", "GMT+0", "GMT-0", "Etc/Greenwich", "Greenwich":
		return "UTC"
	}
	return id
})

// metazone holds the English names of a CLDR metazone: standard,
// daylight and generic, short and long; a short name "" means CLDR has
// none for English and the GMT offset format is used.
type metazone struct {
	stdShort, dstShort, genShort string
	stdLong, dstLong, genLong    string
}

var (
	mzEastern  = &metazone{"EST", "EDT", "ET", "Eastern Standard Time", "Eastern Daylight Time", "Eastern Time"}
	mzCentral  = &metazone{"CST", "CDT", "CT", "Central Standard Time", "Central Daylight Time", "Central Time"}
	mzMountain = &metazone{"MST", "MDT", "MT", "Mountain Standard Time", "Mountain Daylight Time", "Mountain Time"}
	mzPacific  = &metazone{"PST", "PDT", "PT", "Pacific Standard Time", "Pacific Daylight Time", "Pacific Time"}
	mzAlaska   = &metazone{"AKST", "AKDT", "AKT", "Alaska Standard Time", "Alaska Daylight Time", "Alaska Time"}
	mzHawaii   = &metazone{"HST", "HDT", "HST", "Hawaii-Aleutian Standard Time", "Hawaii-Aleutian Daylight Time", "Hawaii-Aleutian Time"}
	mzAtlantic = &metazone{"AST", "ADT", "AT", "Atlantic Standard Time", "Atlantic Daylight Time", "Atlantic Time"}
	mzGMT      = &metazone{"GMT", "", "", "Greenwich Mean Time", "", "Greenwich Mean Time"}
	mzLondon   = &metazone{"GMT", "", "", "Greenwich Mean Time", "British Summer Time", "United Kingdom Time"}
	mzDublin   = &metazone{"GMT", "", "", "Greenwich Mean Time", "Irish Standard Time", "Ireland Time"}
	mzCET      = &metazone{"", "", "", "Central European Standard Time", "Central European Summer Time", "Central European Time"}
	mzEET      = &metazone{"", "", "", "Eastern European Standard Time", "Eastern European Summer Time", "Eastern European Time"}
	mzWET      = &metazone{"", "", "", "Western European Standard Time", "Western European Summer Time", "Western European Time"}
	mzIndia    = &metazone{"", "", "", "India Standard Time", "", "India Standard Time"}
	mzJapan    = &metazone{"", "", "", "Japan Standard Time", "Japan Daylight Time", "Japan Time"}
	mzChina    = &metazone{"", "", "", "China Standard Time", "China Daylight Time", "China Time"}
	mzKorea    = &metazone{"", "", "", "Korean Standard Time", "Korean Daylight Time", "Korean Time"}
	mzMoscow   = &metazone{"", "", "", "Moscow Standard Time", "Moscow Summer Time", "Moscow Time"}
	mzAusEast  = &metazone{"", "", "", "Australian Eastern Standard Time", "Australian Eastern Daylight Time", "Eastern Australia Time"}
	mzUTC      = &metazone{"UTC", "UTC", "UTC", "Coordinated Universal Time", "Coordinated Universal Time", "Coordinated Universal Time"}
)

// metazones maps zone names to their metazone, for the zones this
// package names in English (others use the GMT offset formats).
var metazones = func() map[string]*metazone {
	m := map[string]*metazone{}
	add := func(mz *metazone, zones ...string) {
		for _, z := range zones {
			m[z] = mz
		}
	}
	add(mzEastern, "America/New_York", "America/Detroit", "America/Toronto", "America/Montreal", "America/Nassau",
		"America/Indiana/Indianapolis", "America/Indianapolis", "America/Fort_Wayne", "America/Indiana/Marengo",
		"America/Indiana/Petersburg", "America/Indiana/Vevay", "America/Indiana/Vincennes", "America/Indiana/Winamac",
		"America/Kentucky/Louisville", "America/Louisville", "America/Kentucky/Monticello", "America/Iqaluit",
		"America/Nipigon", "America/Thunder_Bay", "America/Pangnirtung", "America/Port-au-Prince", "America/Grand_Turk",
		"America/Jamaica", "America/Cayman", "America/Panama", "America/Cancun", "US/Eastern", "US/Michigan",
		"US/East-Indiana", "Canada/Eastern", "EST5EDT", "EST", "Jamaica")
	add(mzCentral, "America/Chicago", "America/Winnipeg", "America/Mexico_City", "America/Indiana/Knox",
		"America/Knox_IN", "America/Indiana/Tell_City", "America/Menominee", "America/North_Dakota/Beulah",
		"America/North_Dakota/Center", "America/North_Dakota/New_Salem", "America/Regina", "America/Swift_Current",
		"America/Rainy_River", "America/Rankin_Inlet", "America/Resolute", "America/Matamoros", "America/Monterrey",
		"America/Merida", "America/Bahia_Banderas", "America/Chihuahua", "America/Belize", "America/Costa_Rica",
		"America/El_Salvador", "America/Guatemala", "America/Tegucigalpa", "America/Managua", "US/Central",
		"US/Indiana-Starke", "Canada/Central", "Canada/Saskatchewan", "Mexico/General", "CST6CDT")
	add(mzMountain, "America/Denver", "America/Phoenix", "America/Boise", "America/Edmonton", "America/Cambridge_Bay",
		"America/Inuvik", "America/Yellowknife", "America/Creston", "America/Dawson_Creek", "America/Fort_Nelson",
		"America/Ojinaga", "America/Ciudad_Juarez", "America/Shiprock", "US/Mountain", "US/Arizona",
		"Canada/Mountain", "Navajo", "MST7MDT", "MST")
	add(mzPacific, "America/Los_Angeles", "America/Vancouver", "America/Tijuana", "America/Ensenada",
		"America/Santa_Isabel", "US/Pacific", "Canada/Pacific", "Mexico/BajaNorte", "PST8PDT")
	add(mzAlaska, "America/Anchorage", "America/Juneau", "America/Nome", "America/Sitka", "America/Yakutat",
		"America/Metlakatla", "US/Alaska")
	add(mzHawaii, "Pacific/Honolulu", "Pacific/Johnston", "America/Adak", "America/Atka", "US/Hawaii",
		"US/Aleutian", "HST")
	add(mzAtlantic, "America/Halifax", "America/Puerto_Rico", "Atlantic/Bermuda", "America/Glace_Bay",
		"America/Moncton", "America/Goose_Bay", "America/Thule", "America/Santo_Domingo", "America/Barbados",
		"America/Martinique", "America/Port_of_Spain", "America/Curacao", "America/Aruba", "Canada/Atlantic")
	add(mzGMT, "Africa/Abidjan", "Africa/Accra", "Africa/Bamako", "Africa/Banjul", "Africa/Bissau", "Africa/Conakry",
		"Africa/Dakar", "Africa/Freetown", "Africa/Lome", "Africa/Monrovia", "Africa/Nouakchott",
		"Africa/Ouagadougou", "Atlantic/Reykjavik", "Atlantic/St_Helena", "America/Danmarkshavn", "Iceland",
		"Etc/GMT", "GMT", "Etc/Greenwich", "Greenwich", "Etc/GMT0", "GMT0", "Etc/GMT+0", "Etc/GMT-0", "GMT+0", "GMT-0")
	add(mzLondon, "Europe/London", "Europe/Belfast", "Europe/Guernsey", "Europe/Isle_of_Man", "Europe/Jersey", "GB", "GB-Eire")
	add(mzDublin, "Europe/Dublin", "Eire")
	add(mzCET, "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam", "Europe/Brussels",
		"Europe/Vienna", "Europe/Zurich", "Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen", "Europe/Warsaw",
		"Europe/Prague", "Europe/Budapest", "Europe/Belgrade", "Europe/Zagreb", "Europe/Ljubljana",
		"Europe/Bratislava", "Europe/Luxembourg", "Europe/Monaco", "Europe/Malta", "Europe/Andorra", "Europe/Tirane",
		"Europe/Sarajevo", "Europe/Skopje", "Europe/Podgorica", "Europe/Gibraltar", "Europe/Vaduz",
		"Europe/San_Marino", "Europe/Vatican", "Europe/Busingen", "Africa/Algiers", "Africa/Tunis", "Africa/Ceuta",
		"Arctic/Longyearbyen", "Atlantic/Jan_Mayen", "Poland", "CET", "MET")
	add(mzEET, "Europe/Athens", "Europe/Helsinki", "Europe/Kiev", "Europe/Kyiv", "Europe/Bucharest", "Europe/Sofia",
		"Europe/Riga", "Europe/Tallinn", "Europe/Vilnius", "Europe/Chisinau", "Europe/Tiraspol", "Europe/Mariehamn",
		"Europe/Uzhgorod", "Europe/Zaporozhye", "Europe/Kaliningrad", "Asia/Beirut", "Asia/Nicosia", "Europe/Nicosia",
		"Asia/Famagusta", "Africa/Cairo", "Africa/Tripoli", "Egypt", "Libya", "EET")
	add(mzWET, "Europe/Lisbon", "Atlantic/Canary", "Atlantic/Madeira", "Atlantic/Faroe", "Atlantic/Faeroe",
		"Portugal", "WET")
	add(mzIndia, "Asia/Kolkata", "Asia/Calcutta")
	add(mzJapan, "Asia/Tokyo", "Japan")
	add(mzChina, "Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC")
	add(mzKorea, "Asia/Seoul", "ROK")
	add(mzMoscow, "Europe/Moscow", "Europe/Simferopol", "Europe/Kirov", "Europe/Volgograd", "W-SU")
	add(mzAusEast, "Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Hobart",
		"Australia/Lindeman", "Australia/Currie", "Australia/ACT", "Australia/Canberra", "Australia/NSW",
		"Australia/Victoria", "Australia/Queensland", "Australia/Tasmania")
	add(mzUTC, "UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu")
	return m
}()

// zoneName returns the English name of zone at t in the style of
// timeZoneName: short, long, shortOffset, longOffset, shortGeneric or
// longGeneric. offset is t's UTC offset in seconds.
func zoneName(zone, style string, offset int, dst bool) string {
	mz := metazones[zone]
	pick := func(std, dl, gen string, generic bool) string {
		switch {
		case generic:
			return gen
		case dst:
			return dl
		default:
			return std
		}
	}
	if mz != nil {
		var s string
		switch style {
		case "short":
			s = pick(mz.stdShort, mz.dstShort, mz.genShort, false)
		case "long":
			s = pick(mz.stdLong, mz.dstLong, mz.genLong, false)
		case "shortGeneric":
			s = mz.genShort
		case "longGeneric":
			s = mz.genLong
		}
		if s != "" {
			return s
		}
	}
	long := style == "long" || style == "longOffset" || style == "longGeneric"
	return gmtOffset(offset, long)
}

// gmtOffset is CLDR's localized GMT format: "GMT", "GMT+1", "GMT-3:30"
// (short) or "GMT+01:00" (long).
func gmtOffset(seconds int, long bool) string {
	if seconds == 0 {
		return "GMT"
	}
	sign := "+"
	if seconds < 0 {
		sign = "-"
		seconds = -seconds
	}
	h, m := seconds/3600, seconds/60%60
	if long {
		return "GMT" + sign + pad2(h) + ":" + pad2(m)
	}
	if m != 0 {
		return "GMT" + sign + itoa(h) + ":" + pad2(m)
	}
	return "GMT" + sign + itoa(h)
}
