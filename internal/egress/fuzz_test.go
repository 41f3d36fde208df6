package egress

import (
	"context"
	"net/netip"
	"testing"
)

// FuzzParseHost feeds hostile host spellings to the policy's parser and
// checks what the policy does with them. With every name resolving to
// loopback, a host is allowed only when it is itself a public address;
// parsing is idempotent; and an address is classified the same however
// it was spelled.
func FuzzParseHost(f *testing.F) {
	for _, s := range []string{
		"127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.1", "127.1", "0", "0x0", "[::]", "::", "[::1]",
		"[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::]", "localhost.",
		"LOCALHOST", "a.localhost", "%31%32%37.0.0.1", "１２７.0.0.1", "127.0.0.1.", "127.0.0.1.evil",
		"8.8.8.8", "[2606:4700::1111]", "xn--nxasmq6b", "ex\u00e4mple.com", "0x100000000", "1.2.3.4.5",
		"[fe80::1%25eth0]", "256.256.256.256", "4294967295", "4294967296", "0300.0250.0.1", "169.254.169.254.",
	} {
		f.Add(s)
	}
	p, err := New(Options{Logger: discard(), Resolver: resolverFunc(func(string) []netip.Addr {
		return []netip.Addr{netip.MustParseAddr("127.0.0.1")}
	})})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHost(s)
		if err != nil {
			return
		}
		again, err := ParseHost(h.Name)
		if err != nil || again != h {
			t.Fatalf("ParseHost(%q) = %+v, but ParseHost(%q) = %+v, %v", s, h, h.Name, again, err)
		}
		if h.Addr.IsValid() {
			if want := netip.MustParseAddr(h.Addr.String()); Classify(want) != Classify(h.Addr) {
				t.Fatalf("%q: classification depends on the spelling", s)
			}
		}
		err = p.Check(context.Background(), h.Name+":80")
		public := h.Addr.IsValid() && Classify(h.Addr) == ""
		switch {
		case err == nil && !public:
			t.Fatalf("Check(%q) (parsed %+v) allowed a host that is not a public address", s, h)
		case err != nil && public:
			t.Fatalf("Check(%q) (parsed %+v) = %v, want allowed", s, h, err)
		case err != nil && !IsRefused(err):
			t.Fatalf("Check(%q) = %v, want a refusal", s, err)
		}
	})
}
