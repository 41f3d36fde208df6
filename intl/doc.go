// Package intl implements the locale-sensitive services of ECMA-402
// (the ECMAScript Internationalization API) in pure Go, for the Intl object
// of the worker's JavaScript: locale negotiation, number formatting,
// plural rules, collation, date and time formatting, relative times, lists
// and text segmentation.
//
// # Locale data
//
// The data comes from golang.org/x/text where it has it, and is hand-written
// from CLDR for English where it does not:
//
//   - Locale canonicalization and the set of locales with data:
//     x/text/language (its CLDR tables; see [Available]).
//   - Collator: x/text/collate, for the locales of collate.Supported.
//   - PluralRules: x/text/feature/plural, every locale x/text has rules for.
//   - NumberFormat: digits, separators, minus sign, grouping sizes and the
//     percent pattern of every locale from x/text's number data; currency
//     symbols from x/text/currency; ISO 4217 minor units from x/text/currency.
//     Compact patterns and currency names are English only.
//   - DateTimeFormat, RelativeTimeFormat, ListFormat: English (en, en-US)
//     only, hand-written from CLDR; other locales resolve to the default
//     locale, en-US, which resolvedOptions reports.
//   - Segmenter: github.com/rivo/uniseg (Unicode UAX #29 default rules),
//     the same rules for every locale.
//   - Time zones: Go's time zone database ([time.LoadLocation]; the package
//     imports time/tzdata so that every IANA zone works on a machine
//     without one), with the list of zone names generated from Go's
//     lib/time/zoneinfo.zip (zones_table.go).
//
// # Errors
//
// Constructors return a *weberr.Error named RangeError for a locale tag that
// is not structurally valid or an option value out of range, and TypeError
// where ECMA-402 says so, with messages a script can show.
//
// # Concurrency
//
// Formatters are immutable after construction and safe for concurrent use,
// except Collator, which keeps buffers and must be used by one goroutine at
// a time (a worker's runtime is one goroutine).
package intl
