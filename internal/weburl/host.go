package weburl

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/swhost/swhost/weberr"
)

// ParseHost runs the standard's host parser on input and returns the
// serialized host: a lowercase ASCII domain (through IDNA "domain to
// ASCII"), a dotted-decimal IPv4 address, a bracketed compressed IPv6 address
// or, when isOpaque is true (the host of a non-special URL), a percent-encoded
// opaque host. The empty input is an error unless isOpaque is true.
func ParseHost(input string, isOpaque bool) (string, error) {
	in := toValidUTF8(input)
	if in == "" && !isOpaque {
		return "", weberr.Errorf(weberr.TypeError, "invalid host %q: empty host", input)
	}
	h, err := parseHost(in, isOpaque)
	if err != nil {
		return "", weberr.Errorf(weberr.TypeError, "invalid host %q: %s", clip(input), err.Error())
	}
	return h, nil
}

// parseHost is the host parser; input is valid UTF-8.
func parseHost(input string, isOpaque bool) (string, error) {
	if strings.HasPrefix(input, "[") {
		if !strings.HasSuffix(input, "]") || len(input) < 2 {
			return "", errors.New("unterminated IPv6 address")
		}
		addr, err := parseIPv6(input[1 : len(input)-1])
		if err != nil {
			return "", err
		}
		return serializeIPv6(&addr), nil
	}
	if isOpaque {
		return parseOpaqueHost(input)
	}
	if input == "" {
		return "", errors.New("empty host")
	}
	domain := input
	if strings.IndexByte(input, '%') >= 0 {
		domain = utf8Decode(PercentDecode(input))
	}
	ascii, err := domainToASCII(domain)
	if err != nil {
		return "", err
	}
	for i := 0; i < len(ascii); i++ {
		if isForbiddenDomain(ascii[i]) {
			return "", fmt.Errorf("forbidden code point %q in host", ascii[i])
		}
	}
	if endsInNumber(ascii) {
		v, err := parseIPv4(ascii)
		if err != nil {
			return "", err
		}
		return serializeIPv4(v), nil
	}
	return ascii, nil
}

// forbiddenHost marks the forbidden host code points; forbiddenDomain adds
// the C0 controls, '%' and U+007F.
var forbiddenHost, forbiddenDomain [256]bool

func init() {
	for _, c := range "\x00\t\n\r #/:<>?@[\\]^|" {
		forbiddenHost[c] = true
	}
	forbiddenDomain = forbiddenHost
	for c := 0; c < 0x20; c++ {
		forbiddenDomain[c] = true
	}
	forbiddenDomain['%'] = true
	forbiddenDomain[0x7f] = true
}

func isForbiddenDomain(c byte) bool { return forbiddenDomain[c] }

// parseOpaqueHost is the opaque-host parser.
func parseOpaqueHost(input string) (string, error) {
	for i := 0; i < len(input); i++ {
		if forbiddenHost[input[i]] {
			return "", fmt.Errorf("forbidden code point %q in host", input[i])
		}
	}
	return PercentEncode(input, C0Control), nil
}

// uts46 is the IDNA profile of the standard's "domain to ASCII" with
// beStrict false: UseSTD3ASCIIRules=false, CheckHyphens=false,
// CheckBidi=true, CheckJoiners=true, Transitional_Processing=false,
// VerifyDnsLength=false.
var uts46 = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.CheckHyphens(false),
	idna.CheckJoiners(true),
	idna.VerifyDNSLength(false),
	idna.RemoveLeadingDots(false),
)

// domainToASCII is the standard's "domain to ASCII" with beStrict false.
func domainToASCII(domain string) (string, error) {
	if s, ok := asciiDomainFast(domain); ok {
		if s == "" {
			return "", errors.New("empty host")
		}
		return s, nil
	}
	for _, label := range strings.Split(strings.ToLower(domain), ".") {
		if label == "xn--" {
			return "", errors.New("IDNA: empty punycode label")
		}
	}
	s, err := uts46.ToASCII(domain)
	if err != nil {
		return "", fmt.Errorf("IDNA: %w", err)
	}
	if s == "" {
		return "", errors.New("empty host")
	}
	return s, nil
}

// asciiDomainFast lowercases an ASCII domain none of whose labels starts
// with "xn--"; for such input UTS #46 processing with the standard's options
// is exactly ASCII lowercasing. It reports false for any other input.
func asciiDomainFast(s string) (string, bool) {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return "", false
		}
		if c >= 'A' && c <= 'Z' {
			upper = true
		}
		if (c == 'x' || c == 'X') && (i == 0 || s[i-1] == '.') && i+3 < len(s) &&
			(s[i+1]|0x20) == 'n' && s[i+2] == '-' && s[i+3] == '-' {
			return "", false
		}
	}
	if upper {
		s = strings.ToLower(s)
	}
	return s, true
}

// endsInNumber is the standard's "ends in a number checker".
func endsInNumber(s string) bool {
	if strings.HasSuffix(s, ".") {
		s = s[:len(s)-1]
		if s == "" {
			return false
		}
	}
	last := s
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		last = s[i+1:]
	}
	if last == "" {
		return false
	}
	allDigits := true
	for i := 0; i < len(last); i++ {
		if !isASCIIDigit(int(last[i])) {
			allDigits = false
			break
		}
	}
	if allDigits {
		return true
	}
	_, _, ok := parseIPv4Number(last)
	return ok
}

// parseIPv4Number is the IPv4 number parser; the value saturates above
// 2^32 (only whether it exceeds limits matters).
func parseIPv4Number(s string) (v uint64, nonDecimal bool, ok bool) {
	if s == "" {
		return 0, false, false
	}
	radix := uint64(10)
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
		radix = 16
	} else if len(s) >= 2 && s[0] == '0' {
		s = s[1:]
		radix = 8
	}
	if s == "" {
		return 0, radix != 10, true
	}
	for i := 0; i < len(s); i++ {
		d, okd := unhex(s[i])
		if !okd || uint64(d) >= radix {
			return 0, false, false
		}
		if v < 1<<40 {
			v = v*radix + uint64(d)
		}
	}
	return v, radix != 10, true
}

// parseIPv4 is the IPv4 parser.
func parseIPv4(s string) (uint32, error) {
	v, reason := ipv4Value(s)
	if reason != "" {
		return 0, errors.New(reason)
	}
	return v, nil
}

// ipv4Value runs the IPv4 parser and returns the address, or a reason for
// the failure (without allocating).
func ipv4Value(s string) (uint32, string) {
	if strings.HasSuffix(s, ".") && len(s) > 1 {
		s = s[:len(s)-1]
	}
	var nums [4]uint64
	count := 0
	for {
		part := s
		i := strings.IndexByte(s, '.')
		if i >= 0 {
			part, s = s[:i], s[i+1:]
		}
		if count == 4 {
			return 0, "IPv4 address with more than four parts"
		}
		v, _, ok := parseIPv4Number(part)
		if !ok {
			return 0, "invalid number in IPv4 address"
		}
		nums[count] = v
		count++
		if i < 0 {
			break
		}
	}
	last := count - 1
	for i := 0; i < last; i++ {
		if nums[i] > 255 {
			return 0, "IPv4 address part out of range"
		}
	}
	if nums[last] >= 1<<(8*(5-count)) {
		return 0, "IPv4 address out of range"
	}
	ipv4 := nums[last]
	for i := 0; i < last; i++ {
		ipv4 += nums[i] << (8 * (3 - i))
	}
	return uint32(ipv4), ""
}

// appendIPv4 appends the dotted-decimal serialization of v.
func appendIPv4(b []byte, v uint32) []byte {
	for i := 3; i >= 0; i-- {
		b = strconv.AppendUint(b, uint64(v>>(8*i)&0xff), 10)
		if i > 0 {
			b = append(b, '.')
		}
	}
	return b
}

func serializeIPv4(v uint32) string {
	var b [15]byte
	return string(appendIPv4(b[:0], v))
}

// parseIPv6 is the IPv6 parser (input without the brackets).
func parseIPv6(s string) ([8]uint16, error) {
	var addr [8]uint16
	pieceIndex := 0
	compress := -1
	p := 0
	n := len(s)
	at := func(i int) int {
		if i < n {
			return int(s[i])
		}
		return -1
	}
	if at(p) == ':' {
		if at(p+1) != ':' {
			return addr, errors.New("IPv6 address starts with a single ':'")
		}
		p += 2
		pieceIndex++
		compress = pieceIndex
	}
	for at(p) != -1 {
		if pieceIndex == 8 {
			return addr, errors.New("IPv6 address with too many pieces")
		}
		if at(p) == ':' {
			if compress != -1 {
				return addr, errors.New("IPv6 address with more than one '::'")
			}
			p++
			pieceIndex++
			compress = pieceIndex
			continue
		}
		value, length := 0, 0
		for length < 4 && isHexDigit(at(p)) {
			d, _ := unhex(s[p])
			value = value*16 + int(d)
			p++
			length++
		}
		if at(p) == '.' {
			if length == 0 {
				return addr, errors.New("invalid IPv4 part in IPv6 address")
			}
			p -= length
			if pieceIndex > 6 {
				return addr, errors.New("IPv4 part in IPv6 address with too many pieces")
			}
			numbersSeen := 0
			for at(p) != -1 {
				ipv4Piece := -1
				if numbersSeen > 0 {
					if at(p) == '.' && numbersSeen < 4 {
						p++
					} else {
						return addr, errors.New("invalid IPv4 part in IPv6 address")
					}
				}
				if !isASCIIDigit(at(p)) {
					return addr, errors.New("invalid IPv4 part in IPv6 address")
				}
				for isASCIIDigit(at(p)) {
					number := at(p) - '0'
					if ipv4Piece == -1 {
						ipv4Piece = number
					} else if ipv4Piece == 0 {
						return addr, errors.New("leading zero in IPv4 part of IPv6 address")
					} else {
						ipv4Piece = ipv4Piece*10 + number
					}
					if ipv4Piece > 255 {
						return addr, errors.New("IPv4 part of IPv6 address out of range")
					}
					p++
				}
				addr[pieceIndex] = addr[pieceIndex]*0x100 + uint16(ipv4Piece)
				numbersSeen++
				if numbersSeen == 2 || numbersSeen == 4 {
					pieceIndex++
				}
			}
			if numbersSeen != 4 {
				return addr, errors.New("IPv4 part of IPv6 address too short")
			}
			break
		} else if at(p) == ':' {
			p++
			if at(p) == -1 {
				return addr, errors.New("IPv6 address ends with ':'")
			}
		} else if at(p) != -1 {
			return addr, fmt.Errorf("invalid code point %q in IPv6 address", rune(at(p)))
		}
		addr[pieceIndex] = uint16(value)
		pieceIndex++
	}
	if compress != -1 {
		swaps := pieceIndex - compress
		pieceIndex = 7
		for pieceIndex != 0 && swaps > 0 {
			addr[pieceIndex], addr[compress+swaps-1] = addr[compress+swaps-1], addr[pieceIndex]
			pieceIndex--
			swaps--
		}
	} else if pieceIndex != 8 {
		return addr, errors.New("IPv6 address too short")
	}
	return addr, nil
}

// serializeIPv6 returns "[" + the IPv6 serialization + "]".
func serializeIPv6(a *[8]uint16) string {
	var b [41]byte
	return string(appendIPv6(b[:0], a))
}

// appendIPv6 appends "[" + the IPv6 serialization of a + "]".
func appendIPv6(b []byte, a *[8]uint16) []byte {
	// Find the first longest run of zero pieces longer than 1.
	compress, best := -1, 1
	for i := 0; i < 8; {
		if a[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && a[j] == 0 {
			j++
		}
		if j-i > best {
			compress, best = i, j-i
		}
		i = j
	}
	b = append(b, '[')
	for i := 0; i < 8; i++ {
		if i == compress {
			if i == 0 {
				b = append(b, "::"...)
			} else {
				b = append(b, ':')
			}
			i += best - 1
			continue
		}
		b = strconv.AppendUint(b, uint64(a[i]), 16)
		if i != 7 {
			b = append(b, ':')
		}
	}
	return append(b, ']')
}
