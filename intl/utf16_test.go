package intl

import (
	"strconv"
	"unicode/utf16"
)

func utf16Units(s string) []uint16  { return utf16.Encode([]rune(s)) }
func utf16Decode(u []uint16) []rune { return utf16.Decode(u) }

func strconvFormat(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
