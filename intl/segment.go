package intl

import (
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// SegmenterOptions are the options of Intl.Segmenter.
type SegmenterOptions struct {
	LocaleMatcher string `js:"localeMatcher"`
	Granularity   string `js:"granularity"`
}

// Segmenter is a resolved Intl.Segmenter over github.com/rivo/uniseg: the
// default rules of Unicode UAX #29 (grapheme clusters, words, sentences)
// for every locale.
type Segmenter struct {
	locale      string
	granularity string
}

// NewSegmenter resolves an Intl.Segmenter.
func NewSegmenter(locales []string, o SegmenterOptions) (*Segmenter, error) {
	list, err := CanonicalizeLocaleList(locales)
	if err != nil {
		return nil, err
	}
	if err := checkMatcher(o.LocaleMatcher); err != nil {
		return nil, err
	}
	s := &Segmenter{}
	if s.granularity, err = oneOf("granularity", o.Granularity, "grapheme", "grapheme", "word", "sentence"); err != nil {
		return nil, err
	}
	s.locale = resolve(ServiceSegmenter, list).base
	return s, nil
}

// Segment is one segment: its bounds in UTF-16 code units (JavaScript
// string indices) and, for words, whether it is word-like.
type Segment struct {
	Start, End int
	WordLike   bool
}

// Segments splits s (a JavaScript string as Go reads it: lone surrogates
// as U+FFFD, one code unit each) into segments.
func (sg *Segmenter) Segments(s string) []Segment {
	var out []Segment
	pos := 0
	state := -1
	rest := s
	for rest != "" {
		var seg string
		switch sg.granularity {
		case "word":
			seg, rest, state = uniseg.FirstWordInString(rest, state)
		case "sentence":
			seg, rest, state = uniseg.FirstSentenceInString(rest, state)
		default:
			seg, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		}
		n := utf16Len(seg)
		sm := Segment{Start: pos, End: pos + n}
		if sg.granularity == "word" {
			sm.WordLike = wordLike(seg)
		}
		out = append(out, sm)
		pos += n
	}
	return out
}

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// wordLike reports whether a word segment holds a letter or a digit (ICU's
// word-like statuses: letters, numbers, kana, ideographs).
func wordLike(s string) bool {
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
		s = s[size:]
	}
	return false
}

// Granularity returns the resolved granularity.
func (sg *Segmenter) Granularity() string { return sg.granularity }

// Locale returns the resolved locale.
func (sg *Segmenter) Locale() string { return sg.locale }

// ResolvedOptions returns the resolvedOptions() record as (name, value)
// pairs.
func (sg *Segmenter) ResolvedOptions() [][2]any {
	return [][2]any{{"locale", sg.locale}, {"granularity", sg.granularity}}
}
