package egress

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/swhost/swhost/weberr"
)

// fakeResolver answers from a table; a name it does not know is not found.
type fakeResolver map[string][]string

func (f fakeResolver) LookupNetIP(_ context.Context, network, host string) ([]netip.Addr, error) {
	as, ok := f[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var out []netip.Addr
	for _, a := range as {
		out = append(out, netip.MustParseAddr(a))
	}
	return out, nil
}

// resolverFunc is a Resolver from a function.
type resolverFunc func(host string) []netip.Addr

func (f resolverFunc) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	return f(host), nil
}

func TestClassify(t *testing.T) {
	for _, c := range []struct{ addr, want string }{
		{"8.8.8.8", ""},
		{"1.1.1.1", ""},
		{"93.184.215.14", ""},
		{"0.0.0.0", "unspecified"},
		{"0.1.2.3", "unspecified"},
		{"127.0.0.1", "loopback"},
		{"127.255.255.255", "loopback"},
		{"10.0.0.1", "private"},
		{"172.16.0.1", "private"},
		{"172.31.255.255", "private"},
		{"172.32.0.1", ""},
		{"192.168.1.1", "private"},
		{"100.64.0.1", "shared address space (CGNAT)"},
		{"100.127.255.255", "shared address space (CGNAT)"},
		{"100.128.0.1", ""},
		{"169.254.169.254", "link-local"}, // cloud metadata
		{"192.0.0.8", "IETF protocol assignment"},
		{"192.0.2.1", "documentation"},
		{"198.18.0.1", "benchmarking"},
		{"224.0.0.1", "multicast"},
		{"239.255.255.250", "multicast"},
		{"240.0.0.1", "reserved"},
		{"255.255.255.255", "reserved"},
		{"2606:4700:4700::1111", ""},
		{"::", "unspecified"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"},
		{"::ffff:10.1.2.3", "private"},
		{"::ffff:8.8.8.8", ""},
		{"::127.0.0.1", "reserved"}, // IPv4-compatible
		{"64:ff9b::7f00:1", "loopback"},
		{"64:ff9b::808:808", ""},
		{"64:ff9b:1::1", "private"},
		{"2002:7f00:1::", "loopback"},
		{"2002:a9fe:a9fe::1", "link-local"},
		{"2002:808:808::1", ""},
		{"2001::1", "reserved"}, // Teredo
		{"2001:db8::1", "documentation"},
		{"fc00::1", "private"},
		{"fd12:3456::1", "private"},
		{"fe80::1", "link-local"},
		{"fe80::1%eth0", "link-local"},
		{"fec0::1", "private"},
		{"ff02::1", "multicast"},
		{"100::1", "reserved"},
		{"4000::1", "reserved"},
	} {
		if got := Classify(netip.MustParseAddr(c.addr)); got != c.want {
			t.Errorf("Classify(%s) = %q, want %q", c.addr, got, c.want)
		}
	}
}

func TestParseHost(t *testing.T) {
	for _, c := range []struct{ in, name, addr string }{
		{"127.0.0.1", "127.0.0.1", "127.0.0.1"},
		{"2130706433", "127.0.0.1", "127.0.0.1"},
		{"0177.0.0.1", "127.0.0.1", "127.0.0.1"},
		{"0x7f.0.0.1", "127.0.0.1", "127.0.0.1"},
		{"127.1", "127.0.0.1", "127.0.0.1"},
		{"0", "0.0.0.0", "0.0.0.0"},
		{"%31%32%37.0.0.1", "127.0.0.1", "127.0.0.1"},
		{"１２７.0.0.1", "127.0.0.1", "127.0.0.1"}, // fullwidth digits
		{"[::1]", "[::1]", "::1"},
		{"::1", "[::1]", "::1"},
		{"[0:0:0:0:0:0:0:1]", "[::1]", "::1"},
		{"[::]", "[::]", "::"},
		{"[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "::ffff:127.0.0.1"},
		{"Example.COM.", "example.com.", ""},
		{"127.evil.example", "127.evil.example", ""},
		{"LOCALHOST", "localhost", ""},
	} {
		h, err := ParseHost(c.in)
		if err != nil {
			t.Errorf("ParseHost(%q): %v", c.in, err)
			continue
		}
		var want netip.Addr
		if c.addr != "" {
			want = netip.MustParseAddr(c.addr)
		}
		if h.Name != c.name || h.Addr != want {
			t.Errorf("ParseHost(%q) = %q %v, want %q %v", c.in, h.Name, h.Addr, c.name, want)
		}
	}
	for _, bad := range []string{"", "1.2.3.4.5", "256.0.0.1", "[::1", "a b", "0x100000000", "[1::2::3]"} {
		if h, err := ParseHost(bad); err == nil {
			t.Errorf("ParseHost(%q) = %+v, want an error", bad, h)
		}
	}
}

// TestCheck is the policy as a table: where a request may go, by address,
// spelling, what a name resolves to, what is allowed and which listeners
// swhost runs.
func TestCheck(t *testing.T) {
	resolver := fakeResolver{
		"public.example":   {"93.184.215.14"},
		"private.example":  {"10.0.0.7"},
		"loopback.example": {"127.0.0.1"},
		"mapped.example":   {"::ffff:127.0.0.1"},
		"meta.example":     {"169.254.169.254"},
		"ula.example":      {"fd00::1"},
		"mixed.example":    {"10.0.0.7", "93.184.215.14"},
		"db.internal":      {"10.9.9.9"},
		"localhost":        {"93.184.215.14"}, // never asked: localhost is loopback
	}
	admin := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}
	wild := &net.TCPAddr{IP: net.IPv6unspecified, Port: 8443}
	for _, c := range []struct {
		name     string
		hostport string
		allow    []string
		want     string // "" allowed, else the refusal's reason or "error"
	}{
		{"public address", "93.184.215.14:443", nil, ""},
		{"public name", "public.example:443", nil, ""},
		{"loopback", "127.0.0.1:80", nil, "loopback"},
		{"loopback elsewhere in 127/8", "127.3.4.5:80", nil, "loopback"},
		{"decimal loopback", "2130706433:80", nil, "loopback"},
		{"octal loopback", "0177.0.0.1:80", nil, "loopback"},
		{"hexadecimal loopback", "0x7f000001:80", nil, "loopback"},
		{"short loopback", "127.1:80", nil, "loopback"},
		{"IPv6 loopback", "[::1]:80", nil, "loopback"},
		{"IPv4-mapped loopback", "[::ffff:127.0.0.1]:80", nil, "loopback"},
		{"NAT64 loopback", "[64:ff9b::7f00:1]:80", nil, "loopback"},
		{"unspecified", "0.0.0.0:80", nil, "unspecified"},
		{"unspecified, short", "0:80", nil, "unspecified"},
		{"IPv6 unspecified", "[::]:80", nil, "unspecified"},
		{"private", "192.168.0.1:80", nil, "private"},
		{"CGNAT", "100.64.1.1:80", nil, "shared address space (CGNAT)"},
		{"ULA", "[fd00::1]:80", nil, "private"},
		{"link-local", "169.254.169.254:80", nil, "link-local"},
		{"IPv6 link-local with a zone", "[fe80::1%25eth0]:80", nil, "error"}, // not a URL host
		{"multicast", "224.0.0.251:5353", nil, "multicast"},
		{"localhost", "localhost:80", nil, "loopback"},
		{"localhost with the root dot", "localhost.:80", nil, "loopback"},
		{"a name under localhost", "app.localhost:80", nil, "loopback"},
		{"name resolving to private", "private.example:80", nil, "private"},
		{"name resolving to loopback", "loopback.example:80", nil, "loopback"},
		{"name resolving to mapped loopback", "mapped.example:80", nil, "loopback"},
		{"name resolving to the metadata service", "meta.example:80", nil, "link-local"},
		{"name resolving to ULA", "ula.example:80", nil, "private"},
		{"name resolving to private and public", "mixed.example:80", nil, ""},
		{"unknown name", "nowhere.example:80", nil, "error"},
		{"allowed CIDR", "10.1.2.3:80", []string{"10.0.0.0/8"}, ""},
		{"allowed CIDR, outside", "11.1.2.3:80", []string{"10.0.0.0/8"}, ""},
		{"allowed CIDR, other private", "192.168.0.1:80", []string{"10.0.0.0/8"}, "private"},
		{"allowed address", "192.168.0.1:80", []string{"192.168.0.1"}, ""},
		{"allowed address, its neighbour", "192.168.0.2:80", []string{"192.168.0.1"}, "private"},
		{"allowed loopback by an odd spelling", "127.0.0.1:9000", []string{"2130706433"}, ""},
		{"allowed IPv6 block", "[fd00::5]:80", []string{"fd00::/8"}, ""},
		{"allowed IPv6 block, mapped address", "[::ffff:10.0.0.1]:80", []string{"10.0.0.0/8"}, ""},
		{"allowed name", "db.internal:5432", []string{"db.internal"}, ""},
		{"allowed name, upper case", "DB.Internal:5432", []string{"db.internal."}, ""},
		{"allowed name does not open its address to others", "private.example:80", []string{"db.internal"}, "private"},
		{"listener", "127.0.0.1:8080", nil, "swhost's own listener"},
		{"listener even when allowed", "127.0.0.1:8080", []string{"127.0.0.0/8"}, "swhost's own listener"},
		{"listener by a mapped address", "[::ffff:127.0.0.1]:8080", []string{"0.0.0.0/0", "::/0"}, "swhost's own listener"},
		{"listener by the unspecified address", "0.0.0.0:8080", []string{"0.0.0.0/0"}, "swhost's own listener"},
		{"listener by name", "localhost:8080", []string{"127.0.0.0/8"}, "swhost's own listener"},
		{"another loopback port when allowed", "127.0.0.1:8081", []string{"127.0.0.0/8"}, ""},
		{"wildcard listener on loopback", "127.0.0.1:8443", []string{"127.0.0.0/8"}, "swhost's own listener"},
		{"wildcard listener on IPv6 loopback", "[::1]:8443", []string{"::1/128"}, "swhost's own listener"},
		{"no port", "127.0.0.1", nil, "error"},
		{"bad port", "127.0.0.1:99999", nil, "error"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := New(Options{Allow: c.allow, Resolver: resolver, Logger: discard()})
			if err != nil {
				t.Fatal(err)
			}
			p.DenyListener(admin)
			p.DenyListener(wild)
			err = p.Check(context.Background(), c.hostport)
			var r *RefusedError
			switch {
			case c.want == "" && err != nil:
				t.Errorf("Check(%s) = %v, want allowed", c.hostport, err)
			case c.want == "error":
				if err == nil || errors.As(err, &r) {
					t.Errorf("Check(%s) = %v, want an error that is not a refusal", c.hostport, err)
				}
			case c.want != "" && !errors.As(err, &r):
				t.Errorf("Check(%s) = %v, want refused (%s)", c.hostport, err, c.want)
			case c.want != "" && r.Reason != c.want:
				t.Errorf("Check(%s) refused for %q, want %q", c.hostport, r.Reason, c.want)
			case c.want != "":
				if weberr.NameOf(err) != weberr.NetworkError {
					t.Errorf("refusal named %q, want NetworkError", weberr.NameOf(err))
				}
				if host, _, _ := net.SplitHostPort(c.hostport); Classify(netip.MustParseAddrPort(r.Addr.String()).Addr()) != "" && !strings.Contains(err.Error(), host) {
					t.Errorf("error %q does not name the host asked for", err)
				}
			}
		})
	}
}

func TestAllowErrors(t *testing.T) {
	for _, bad := range []string{"", "10.0.0.0/33", "10.0.0.0/x", "a b", "[::1"} {
		if _, err := New(Options{Allow: []string{bad}}); err == nil || weberr.NameOf(err) != weberr.TypeError {
			t.Errorf("New(Allow %q) = %v, want a TypeError", bad, err)
		}
	}
}

// listen starts a loopback TCP listener that counts its connections.
func listen(t *testing.T) (net.Listener, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return ln, &n
}

// A name that resolved to a public address when checked and to loopback
// when dialled is refused at the dial: the check that counts is on the
// address connected.
func TestDialRebinding(t *testing.T) {
	ln, _ := listen(t)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	var lookups atomic.Int32
	p, err := New(Options{Logger: discard(), Resolver: resolverFunc(func(string) []netip.Addr {
		if lookups.Add(1) == 1 {
			return []netip.Addr{netip.MustParseAddr("93.184.215.14")}
		}
		return []netip.Addr{netip.MustParseAddr("127.0.0.1")}
	})})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Check(context.Background(), "rebind.example:"+port); err != nil {
		t.Fatalf("first look: %v", err)
	}
	c, err := p.DialContext(context.Background(), "tcp", "rebind.example:"+port)
	if err == nil {
		c.Close()
		t.Fatal("dialled a name that rebound to loopback")
	}
	if !IsRefused(err) {
		t.Errorf("dial error %v, want a refusal", err)
	}
}

// listenFirstBytes is listen reporting, for each connection accepted, in
// order, the first byte its dialler wrote ("" for none).
func listenFirstBytes(t *testing.T) (net.Listener, <-chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 64)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b := make([]byte, 1)
			n, _ := io.ReadFull(c, b)
			got <- string(b[:n])
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return ln, got
}

func TestDial(t *testing.T) {
	ln, accepted := listenFirstBytes(t)
	addr := ln.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	ctx := context.Background()

	def, _ := New(Options{Logger: discard()})
	for _, a := range []string{addr, "2130706433:" + port, "localhost:" + port, "[::ffff:127.0.0.1]:" + port} {
		if c, err := def.DialContext(ctx, "tcp", a); err == nil {
			c.Close()
			t.Errorf("default policy dialled %s", a)
		} else if !IsRefused(err) {
			t.Errorf("dial %s: %v, want a refusal", a, err)
		}
	}
	c, err := def.DialTrusted(ctx, "tcp", addr)
	if err != nil {
		t.Fatalf("DialTrusted (a --resolve upstream): %v", err)
	}
	c.Write([]byte("1"))
	c.Close()

	open, _ := New(Options{Logger: discard(), Allow: []string{"127.0.0.0/8"}})
	c, err = open.DialContext(ctx, "tcp", "127.1:"+port)
	if err != nil {
		t.Fatalf("allowed dial: %v", err)
	}
	c.Write([]byte("2"))
	c.Close()
	for _, want := range []string{"1", "2"} {
		if got := <-accepted; got != want {
			t.Fatalf("accepted a connection that sent %q, want %q", got, want)
		}
	}
	open.DenyListener(ln.Addr())
	for _, dial := range []func(context.Context, string, string) (net.Conn, error){open.DialContext, open.DialTrusted} {
		if c, err := dial(ctx, "tcp", addr); err == nil {
			c.Close()
			t.Error("dialled swhost's own listener")
		}
	}
	// The listener was never connected to after it was registered: the
	// next connection it accepts is this direct one (accepts are in
	// order).
	d, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	d.Write([]byte("S"))
	d.Close()
	if got := <-accepted; got != "S" {
		t.Errorf("the listener accepted a connection (that sent %q) after it was denied", got)
	}
}

// The dialer's last check refuses an address even when nothing before it
// ran (a dial that did not come through the policy's resolution).
func TestControlChecksTheDialledAddress(t *testing.T) {
	p, _ := New(Options{Logger: discard()})
	if err := p.control(context.Background(), "tcp4", "127.0.0.1:80", nil); !IsRefused(err) {
		t.Errorf("control(127.0.0.1:80) = %v, want a refusal", err)
	}
	if err := p.control(context.Background(), "tcp4", "93.184.215.14:80", nil); err != nil {
		t.Errorf("control(public) = %v", err)
	}
}

// Each refused address is logged once, with the address; the error shows
// only the host asked for.
func TestRefusalLoggedOnce(t *testing.T) {
	var buf bytes.Buffer
	p, _ := New(Options{Logger: slog.New(slog.NewTextHandler(&buf, nil)), Resolver: fakeResolver{"intranet.example": {"10.1.2.3"}}})
	var last error
	for range 3 {
		last = p.Check(context.Background(), "intranet.example:80")
	}
	if n := strings.Count(buf.String(), "egress refused"); n != 1 {
		t.Errorf("logged %d times, want once:\n%s", n, buf.String())
	}
	if !strings.Contains(buf.String(), "10.1.2.3:80") || !strings.Contains(buf.String(), "reason=private") {
		t.Errorf("log line lacks the address or reason: %s", buf.String())
	}
	if strings.Contains(last.Error(), "10.1.2.3") {
		t.Errorf("the error tells the script what the name resolves to: %v", last)
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
