package intl

import (
	"testing"
	"time"
)

// BenchmarkDateTimeFormat measures Intl.DateTimeFormat's format in Go (no
// JavaScript), for the formatter Date.prototype.toLocaleString uses (en-US,
// date and time, a named zone), against its peer in the same run: Go's
// time.Format writing the same string ("1/2/2006, 3:04:05 PM") in the
// same zone.
func BenchmarkDateTimeFormat(b *testing.B) {
	const zone = "America/New_York"
	ms := float64(time.Date(2021, 1, 2, 15, 4, 5, 0, time.UTC).UnixMilli())
	b.Run("intl/toLocaleString", func(b *testing.B) {
		df, err := NewDateTimeFormat([]string{"en-US"}, DateTimeFormatOptions{TimeZone: zone}, "any", "all")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := df.Format(ms + float64(i%1000)*1000); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("intl/dateStyle=full,timeStyle=long", func(b *testing.B) {
		df, err := NewDateTimeFormat([]string{"en-US"}, DateTimeFormatOptions{TimeZone: zone, DateStyle: "full", TimeStyle: "long"}, "any", "date")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := df.Format(ms + float64(i%1000)*1000); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go/time.Format", func(b *testing.B) {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			_ = time.UnixMilli(int64(ms) + int64(i%1000)*1000).In(loc).Format("1/2/2006, 3:04:05 PM")
		}
	})
}

// BenchmarkNumberFormat measures NumberFormat's format of a currency
// amount against strconv.FormatFloat, its floor.
func BenchmarkNumberFormat(b *testing.B) {
	b.Run("intl/currency", func(b *testing.B) {
		nf, err := NewNumberFormat([]string{"en-US"}, NumberFormatOptions{Style: "currency", Currency: "USD"})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			_ = nf.Format(FromFloat(1234.5 + float64(i%1000)))
		}
	})
	b.Run("go/strconv.FormatFloat", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			_ = strconvFormat(1234.5 + float64(i%1000))
		}
	})
}
