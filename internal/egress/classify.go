package egress

import "net/netip"

// special is one block of the IANA IPv4 and IPv6 Special-Purpose Address
// Registries (RFC 6890 and later) that is not globally reachable.
type special struct {
	prefix netip.Prefix
	reason string
}

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// specialV4 lists the IPv4 blocks refused by default, by reason.
var specialV4 = []special{
	{mustPrefix("0.0.0.0/8"), "unspecified"}, // "this network"; 0.0.0.0 reaches this host
	{mustPrefix("10.0.0.0/8"), "private"},
	{mustPrefix("100.64.0.0/10"), "shared address space (CGNAT)"},
	{mustPrefix("127.0.0.0/8"), "loopback"},
	{mustPrefix("169.254.0.0/16"), "link-local"},
	{mustPrefix("172.16.0.0/12"), "private"},
	{mustPrefix("192.0.0.0/24"), "IETF protocol assignment"},
	{mustPrefix("192.0.2.0/24"), "documentation"},
	{mustPrefix("192.88.99.0/24"), "reserved"}, // deprecated 6to4 relay anycast
	{mustPrefix("192.168.0.0/16"), "private"},
	{mustPrefix("198.18.0.0/15"), "benchmarking"},
	{mustPrefix("198.51.100.0/24"), "documentation"},
	{mustPrefix("203.0.113.0/24"), "documentation"},
	{mustPrefix("224.0.0.0/4"), "multicast"},
	{mustPrefix("240.0.0.0/4"), "reserved"}, // 255.255.255.255 included
}

// specialV6 lists the IPv6 blocks refused by default. The blocks that
// embed an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by that
// address instead; see Classify.
var specialV6 = []special{
	{mustPrefix("::/128"), "unspecified"},
	{mustPrefix("::1/128"), "loopback"},
	{mustPrefix("::/96"), "reserved"},         // deprecated IPv4-compatible addresses
	{mustPrefix("64:ff9b:1::/48"), "private"}, // local-use NAT64
	{mustPrefix("100::/64"), "reserved"},      // discard-only
	{mustPrefix("2001::/32"), "reserved"},     // Teredo: the IPv4 address inside is obfuscated
	{mustPrefix("2001:2::/48"), "benchmarking"},
	{mustPrefix("2001:10::/28"), "reserved"}, // deprecated ORCHID
	{mustPrefix("2001:db8::/32"), "documentation"},
	{mustPrefix("3fff::/20"), "documentation"},
	{mustPrefix("5f00::/16"), "reserved"}, // SRv6 SIDs
	{mustPrefix("fc00::/7"), "private"},   // unique local addresses
	{mustPrefix("fe80::/10"), "link-local"},
	{mustPrefix("fec0::/10"), "private"}, // deprecated site-local
	{mustPrefix("ff00::/8"), "multicast"},
}

var (
	nat64     = mustPrefix("64:ff9b::/96")
	sixToFour = mustPrefix("2002::/16")
	global6   = mustPrefix("2000::/3")
)

// Classify returns why a is not a public address ("loopback", "private",
// "link-local", ...), or "" when it is one the policy allows by default.
// An IPv6 address embedding an IPv4 address (::ffff:a.b.c.d, NAT64
// 64:ff9b::/96, 6to4 2002::/16) is judged by the IPv4 address, and IPv6
// outside global unicast (2000::/3) is reserved.
func Classify(a netip.Addr) string {
	a = a.WithZone("")
	if !a.IsValid() {
		return "invalid"
	}
	if a.Is4In6() {
		return Classify(a.Unmap())
	}
	if a.Is4() {
		for _, s := range specialV4 {
			if s.prefix.Contains(a) {
				return s.reason
			}
		}
		return ""
	}
	b := a.As16()
	switch {
	case nat64.Contains(a):
		return Classify(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
	case sixToFour.Contains(a):
		return Classify(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}))
	}
	for _, s := range specialV6 {
		if s.prefix.Contains(a) {
			return s.reason
		}
	}
	if !global6.Contains(a) {
		return "reserved"
	}
	return ""
}
