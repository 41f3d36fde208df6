package intl

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Value is a mathematical value to format: a finite decimal with a sign,
// or NaN, or an infinity. The zero Value is +0.
type Value struct {
	Neg bool
	NaN bool
	Inf bool
	d   decimal
}

// FromFloat returns the Value of a JavaScript Number. Like the engines
// built on ICU, it formats the shortest decimal that reads back as f
// (0.1, not 0.1000000000000000055...).
func FromFloat(f float64) Value {
	switch {
	case math.IsNaN(f):
		return Value{NaN: true}
	case math.IsInf(f, 0):
		return Value{Inf: true, Neg: f < 0}
	}
	v := Value{Neg: math.Signbit(f)}
	if f == 0 {
		return v
	}
	s := strconv.FormatFloat(math.Abs(f), 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	digits := strings.Replace(mant, ".", "", 1)
	v.d = makeDecimal(digits, e+1)
	return v
}

// ParseDecimal returns the exact Value of a decimal literal: an optional
// sign, digits with an optional point, an optional exponent ("-1.5e3",
// "12345678901234567890"), as a BigInt's or a string's mathematical value.
func ParseDecimal(s string) (Value, bool) {
	s = strings.TrimSpace(s)
	var v Value
	if s == "" {
		return v, false
	}
	switch s[0] {
	case '-':
		v.Neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	e := 0
	if hasExp {
		n, err := strconv.Atoi(exp)
		if err != nil || n > 1e8 || n < -1e8 {
			return v, false
		}
		e = n
	}
	ip, fp, _ := strings.Cut(mant, ".")
	if ip == "" && fp == "" {
		return v, false
	}
	for _, c := range ip + fp {
		if c < '0' || c > '9' {
			return v, false
		}
	}
	v.d = makeDecimal(ip+fp, len(ip)+e)
	return v, true
}

// decimal is a non-negative decimal number: 0.d[0]d[1]... × 10^exp, the
// digits as values 0-9 without leading or trailing zeros. Zero has no
// digits.
type decimal struct {
	d   []byte
	exp int
}

// makeDecimal returns the decimal of the digit string s with the point
// after its first exp digits.
func makeDecimal(s string, exp int) decimal {
	i := 0
	for i < len(s) && s[i] == '0' {
		i++
		exp--
	}
	s = strings.TrimRight(s[i:], "0")
	if s == "" {
		return decimal{}
	}
	d := make([]byte, len(s))
	for j := range s {
		d[j] = s[j] - '0'
	}
	return decimal{d: d, exp: exp}
}

func (x decimal) isZero() bool { return len(x.d) == 0 }

// magnitude is the power of ten of the leading digit (0 for zero).
func (x decimal) magnitude() int {
	if x.isZero() {
		return 0
	}
	return x.exp - 1
}

// shift multiplies x by 10^n.
func (x decimal) shift(n int) decimal {
	if x.isZero() {
		return x
	}
	return decimal{d: x.d, exp: x.exp + n}
}

// roundAt keeps the digits of x whose place is at least 10^-frac (frac
// fraction digits), rounding the rest away with mode; neg is the sign of
// the value, which the directed modes need.
func (x decimal) roundAt(frac int, mode string, neg bool) decimal {
	if x.isZero() {
		return x
	}
	keep := x.exp + frac
	if keep >= len(x.d) {
		return x
	}
	var first byte
	rest := true
	if keep >= 0 {
		first = x.d[keep]
		rest = false
		for _, c := range x.d[keep+1:] {
			if c != 0 {
				rest = true
				break
			}
		}
	}
	// The discarded part is non-zero (x has no trailing zeros).
	half := 0 // -1 below half, 0 half, 1 above
	switch {
	case first > 5 || (first == 5 && rest):
		half = 1
	case first < 5:
		half = -1
	}
	odd := keep > 0 && x.d[keep-1]%2 == 1
	up := false
	switch mode {
	case "ceil":
		up = !neg
	case "floor":
		up = neg
	case "expand":
		up = true
	case "trunc":
		up = false
	case "halfCeil":
		up = half > 0 || (half == 0 && !neg)
	case "halfFloor":
		up = half > 0 || (half == 0 && neg)
	case "halfTrunc":
		up = half > 0
	case "halfEven":
		up = half > 0 || (half == 0 && odd)
	default: // halfExpand
		up = half >= 0
	}
	if keep <= 0 {
		if !up {
			return decimal{}
		}
		return decimal{d: []byte{1}, exp: -frac + 1}
	}
	d := append([]byte(nil), x.d[:keep]...)
	exp := x.exp
	if up {
		i := len(d) - 1
		for i >= 0 && d[i] == 9 {
			d[i] = 0
			i--
		}
		if i < 0 {
			d = append([]byte{1}, d...)
			exp++
		} else {
			d[i]++
		}
	}
	for len(d) > 0 && d[len(d)-1] == 0 {
		d = d[:len(d)-1]
	}
	if len(d) == 0 {
		return decimal{}
	}
	return decimal{d: d, exp: exp}
}

// roundIncrement rounds x to a multiple of inc × 10^-frac.
func (x decimal) roundIncrement(inc, frac int, mode string, neg bool) decimal {
	if x.isZero() {
		return x
	}
	r, _ := new(big.Rat).SetString(x.String())
	q := new(big.Rat).SetFrac(big.NewInt(int64(inc)), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(frac)), nil))
	n := new(big.Rat).Quo(r, q)
	fl := new(big.Int).Quo(n.Num(), n.Denom()) // floor, n ≥ 0
	rem := new(big.Rat).Sub(n, new(big.Rat).SetInt(fl))
	if rem.Sign() != 0 {
		c := rem.Cmp(big.NewRat(1, 2))
		odd := fl.Bit(0) == 1
		up := false
		switch mode {
		case "ceil":
			up = !neg
		case "floor":
			up = neg
		case "expand":
			up = true
		case "trunc":
		case "halfCeil":
			up = c > 0 || (c == 0 && !neg)
		case "halfFloor":
			up = c > 0 || (c == 0 && neg)
		case "halfTrunc":
			up = c > 0
		case "halfEven":
			up = c > 0 || (c == 0 && odd)
		default:
			up = c >= 0
		}
		if up {
			fl.Add(fl, big.NewInt(1))
		}
	}
	res := new(big.Rat).Mul(new(big.Rat).SetInt(fl), q)
	v, _ := ParseDecimal(res.FloatString(frac))
	return v.d
}

// String returns x as a plain decimal string ("0.00123", "1200").
func (x decimal) String() string {
	i, f := x.digits(0)
	if f == "" {
		return i
	}
	return i + "." + f
}

// digits returns the integer digits of x (at least one) and its fraction
// digits, padded with zeros to at least minFrac.
func (x decimal) digits(minFrac int) (string, string) {
	var ib, fb strings.Builder
	if x.exp <= 0 {
		ib.WriteByte('0')
	} else {
		for i := 0; i < x.exp; i++ {
			if i < len(x.d) {
				ib.WriteByte('0' + x.d[i])
			} else {
				ib.WriteByte('0')
			}
		}
	}
	for i := min(x.exp, 0); i < 0; i++ {
		fb.WriteByte('0')
	}
	for i := max(x.exp, 0); i < len(x.d); i++ {
		fb.WriteByte('0' + x.d[i])
	}
	for fb.Len() < minFrac {
		fb.WriteByte('0')
	}
	return ib.String(), fb.String()
}

// fracLen is the number of fraction digits of x (without trailing zeros).
func (x decimal) fracLen() int { return max(0, len(x.d)-x.exp) }
