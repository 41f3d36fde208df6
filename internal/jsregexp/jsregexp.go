// Package jsregexp translates ECMAScript regular expressions into RE2.
//
// URL Pattern (WHATWG) compiles every pattern component into an ECMAScript
// RegExp with the v (unicodeSets) flag, and users may write their own
// regexp groups such as /:id(\d+). Go's regexp package implements RE2, a
// different dialect with linear-time matching. Translate validates a pattern
// against the ECMAScript v-mode grammar and rewrites it into an RE2 pattern
// that matches the same strings and has the same capturing groups, in the
// same order.
//
// What RE2 cannot express is rejected with an error wrapping ErrUnsupported:
// lookahead and lookbehind, backreferences, multiline ^ and $ (the m
// modifier), \b and \B under ignoreCase (ECMAScript then treats U+017F and
// U+212A as word characters, RE2 does not), Unicode properties of strings
// (\p{RGI_Emoji}), and repeat counts above RE2's limit of 1000. What ECMAScript
// itself rejects wraps ErrSyntax; that includes RE2-only syntax such as \Q..\E,
// \z, \A, (?i), (?P<name>...), \pL and octal escapes. [[:alpha:]] is read as
// ECMAScript reads it: a nested class of the characters ':', 'a', 'l', 'p',
// 'h'.
//
// Semantics follow the v-mode rules: '.' excludes the four line terminators,
// \s is ECMAScript's WhiteSpace and LineTerminator set, \d and \w are ASCII,
// class set operations (nested classes, --, &&, \q{...}) are computed on code
// point sets and emitted as flat RE2 classes. With ignoreCase every set is
// closed under simple case folding (the model of MaybeSimpleCaseFolding and
// Canonicalize), so [\p{Lu}--[A-Z]] under i matches neither "A" nor "a".
// This closure is also applied to a lone General_Category value such as
// \p{Lu}, where the spec text omits MaybeSimpleCaseFolding; V8 behaves the
// same way (/^\P{Lu}$/iv does not match "A").
//
// Repetition follows ECMAScript exactly. An optional iteration that would
// match the empty string is refused by ECMAScript but may be taken by RE2, so
// a quantified group that can match the empty string has its optional
// iterations rewritten to non-empty form: (.*)? becomes ([^\n\r...]+)?,
// (?:a*?)* becomes (?:a+?)*, and a group without captures is split as
// X{n}(?:X'){0,m-n}. ECMAScript also clears the captures of a quantified
// group at every iteration while RE2 keeps the last value. The shapes where
// either rule cannot be expressed are rejected with ErrUnsupported: a capture
// that may sit out an iteration of a repeated group ((?:(a)|b)+), a repeated
// group with captures whose body can match the empty string and that must
// iterate at least once ((a*)+), and a repeated body that can match the empty
// string through several parts ((?:a*b*)*). What Translate accepts therefore
// finds the same matches and captures as ECMAScript.
//
// The tests replay testdata/v8.json, answers recorded from V8 for about
// 5,000 table and random patterns (see testdata/v8gen), besides the table
// tests of testdata/translate.json and testdata/match.json.
//
// Limits that keep translation and matching bounded: at most 100 nested
// groups or classes, a translated pattern of at most 1 MiB, and an estimated
// compiled program of at most 250,000 instructions. Lone surrogates (\uD800)
// are accepted but never match, as Go strings cannot hold them.
package jsregexp

import (
	"errors"
	"fmt"
	"regexp"
	"unsafe"

	"github.com/swhost/swhost/weberr"
)

// Flags are the ECMAScript RegExp flags that matter for URL Pattern. The v
// (unicodeSets) mode is always on.
type Flags struct {
	IgnoreCase bool // the i flag
}

// ErrSyntax is wrapped by errors for patterns that ECMAScript rejects.
var ErrSyntax = errors.New("syntax error")

// ErrUnsupported is wrapped by errors for valid ECMAScript patterns that RE2
// cannot express.
var ErrUnsupported = errors.New("not supported by RE2")

// Limits on translation.
const (
	maxDepth     = 100     // nested groups and classes
	maxOutputLen = 1 << 20 // bytes of translated pattern
	maxProgSize  = 250_000 // estimated RE2 instructions
	maxRepeat    = 1000    // RE2's limit on {n,m} counts and their nested products
)

// Translate validates src as an ECMAScript RegExp pattern in v (unicodeSets)
// mode and returns an equivalent RE2 pattern for Go's regexp package. The
// number and order of capturing groups are preserved exactly. Errors carry the
// exception name TypeError and wrap ErrSyntax or ErrUnsupported.
func Translate(src string, flags Flags) (string, error) {
	t := translator{src: src, ignoreCase: flags.IgnoreCase}
	t.out = make([]byte, 0, len(src)+len(src)/4+8)
	if err := t.run(); err != nil {
		return "", err
	}
	if len(t.out) == 0 {
		return "", nil
	}
	// t.out is never touched again: hand it over without a copy, as
	// strings.Builder does.
	return unsafe.String(unsafe.SliceData(t.out), len(t.out)), nil
}

// Compile is Translate followed by regexp.Compile.
func Compile(src string, flags Flags) (*regexp.Regexp, error) {
	s, err := Translate(src, flags)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(s)
	if err != nil {
		// Translate keeps within RE2's limits, so this is a bug here.
		return nil, weberr.Errorf(weberr.TypeError, "invalid regular expression: translated pattern rejected by RE2: %w", err)
	}
	return re, nil
}

// newError builds the error for a problem at byte offset off of the source.
func newError(kind error, off int, format string, args ...any) error {
	return &weberr.Error{
		Name:    weberr.TypeError,
		Message: fmt.Sprintf("invalid regular expression: %s at offset %d", fmt.Sprintf(format, args...), off),
		Err:     kind,
	}
}
