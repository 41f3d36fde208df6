// Package egress is swhost's egress policy: which network addresses swhost
// may connect to on behalf of the scripts and requests it serves.
//
// By default a Policy refuses every address that is not public: loopback,
// private (RFC 1918, ULA fc00::/7), shared (CGNAT 100.64.0.0/10),
// link-local, multicast, unspecified, documentation, benchmarking and the
// other special-purpose blocks of the IANA registries, also when written
// inside an IPv6 address (::ffff:127.0.0.1, 64:ff9b::a00:1, 2002:7f00:1::).
// Options.Allow opens more (CIDR blocks, addresses or host names, as given
// to --allow-network); the upstreams named by --resolve are opened by the
// network step itself ([Policy.DialTrusted]). swhost's own listeners
// (admin, edge, proxy; the connect bridge is on the admin listener) are
// never reachable, whatever is allowed ([Policy.DenyListener]).
//
// The check runs where the connection is made: [Policy.DialContext]
// resolves a name once, checks every address, and dials only addresses
// that passed, each checked again by the dialer's Control hook on the
// address actually connected. A name that resolves to a public address
// when a URL is checked and to 127.0.0.1 when it is dialled (DNS
// rebinding) is therefore refused, and so is every hop of a redirect.
// Hosts are read the way the URL Standard's host parser reads them
// (internal/weburl), so 2130706433, 0177.0.0.1, 0x7f.1 and 127.1 are all
// 127.0.0.1 before any check.
//
// The names "localhost" and "*.localhost" are resolved to loopback by the
// policy itself and never sent to DNS ("Let 'localhost' be localhost"),
// which is what lets internal/trustworthy treat them as secure contexts.
//
// A refusal is a *[RefusedError], a NetworkError: fetch() in a worker
// rejects with a TypeError, as the Fetch standard says for network errors.
// Each refused address is logged once, with the address and the reason;
// the error itself names only the host asked for, so that a script learns
// nothing about what an internal name resolves to.
package egress

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/weberr"
)

// Resolver looks up the addresses of a host name. *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Options configure a Policy.
type Options struct {
	// Allow opens more destinations: a CIDR block ("10.0.0.0/8",
	// "fd00::/8"), an address ("192.168.1.5", "::1") or a host name
	// ("db.internal"), whose resolved addresses are then all allowed.
	Allow []string
	// Resolver resolves host names; nil means net.DefaultResolver.
	Resolver Resolver
	// Logger receives one warning per refused address; nil means
	// slog.Default().
	Logger *slog.Logger
	// DialTimeout bounds one connection attempt; 0 means 30 s.
	DialTimeout time.Duration
}

// Policy decides which addresses may be connected to, and connects. The
// zero value is not usable; use [New] or [Default]. A Policy is safe for
// concurrent use.
type Policy struct {
	allowNets  []netip.Prefix
	allowNames map[string]bool
	resolver   Resolver
	log        *slog.Logger
	dialer     net.Dialer

	mu        sync.RWMutex
	listeners []netip.AddrPort
	local     map[netip.Addr]bool // this host's interface addresses

	logMu  sync.Mutex
	logged map[string]bool
}

// maxLogged bounds the refused addresses remembered for logging once;
// when full, the memory starts over (so a flood is logged again, rarely).
const maxLogged = 1024

// New returns a policy refusing non-public addresses except those in
// opts.Allow.
func New(opts Options) (*Policy, error) {
	p := &Policy{allowNames: map[string]bool{}, resolver: opts.Resolver, log: opts.Logger, logged: map[string]bool{}}
	if p.resolver == nil {
		p.resolver = net.DefaultResolver
	}
	if p.log == nil {
		p.log = slog.Default()
	}
	p.dialer.Timeout = opts.DialTimeout
	if p.dialer.Timeout <= 0 {
		p.dialer.Timeout = 30 * time.Second
	}
	p.dialer.ControlContext = p.control
	for _, a := range opts.Allow {
		if err := p.allow(a); err != nil {
			return nil, err
		}
	}
	return p, nil
}

var (
	defaultOnce   sync.Once
	defaultPolicy *Policy
)

// Default returns the shared policy with nothing allowed beyond public
// addresses and no listener registered.
func Default() *Policy {
	defaultOnce.Do(func() { defaultPolicy, _ = New(Options{}) })
	return defaultPolicy
}

// allow adds one --allow-network value.
func (p *Policy) allow(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return weberr.New(weberr.TypeError, "--allow-network: empty value (want a CIDR block, an address or a host name)")
	}
	if strings.Contains(s, "/") {
		pfx, err := netip.ParsePrefix(s)
		if err != nil {
			return weberr.Errorf(weberr.TypeError, "--allow-network %q: not a CIDR block: %v", s, err)
		}
		p.allowNets = append(p.allowNets, pfx.Masked())
		return nil
	}
	h, err := ParseHost(s)
	if err != nil {
		return weberr.Errorf(weberr.TypeError, "--allow-network %q: %v", s, weberr.MessageOf(err))
	}
	if h.Addr.IsValid() {
		p.allowNets = append(p.allowNets, netip.PrefixFrom(h.Addr, h.Addr.BitLen()))
		return nil
	}
	p.allowNames[strings.TrimSuffix(h.Name, ".")] = true
	return nil
}

// DenyListener registers one of swhost's own listeners: no connection to
// it is made, whatever else allows it. A listener on an unspecified
// address (0.0.0.0, [::]) is denied on every address of this host.
func (p *Policy) DenyListener(addr net.Addr) {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return
	}
	ap = netip.AddrPortFrom(ap.Addr().Unmap().WithZone(""), ap.Port())
	p.mu.Lock()
	defer p.mu.Unlock()
	p.listeners = append(p.listeners, ap)
	if ap.Addr().IsUnspecified() && p.local == nil {
		p.local = map[netip.Addr]bool{}
		if as, err := net.InterfaceAddrs(); err == nil {
			for _, a := range as {
				if n, ok := a.(*net.IPNet); ok {
					if ip, ok := netip.AddrFromSlice(n.IP); ok {
						p.local[ip.Unmap()] = true
					}
				}
			}
		}
	}
}

// isListener reports whether a connection to a:port would reach one of
// swhost's listeners.
func (p *Policy) isListener(a netip.Addr, port uint16) bool {
	a = a.Unmap().WithZone("")
	p.mu.RLock()
	defer p.mu.RUnlock()
	for _, l := range p.listeners {
		if l.Port() != port {
			continue
		}
		la := l.Addr()
		switch {
		case la == a,
			a.IsUnspecified(), // connecting to 0.0.0.0 or [::] reaches this host
			la.IsUnspecified() && (a.IsLoopback() || p.local[a]):
			return true
		}
	}
	return false
}

// RefusedError is a connection the policy refused. It is a NetworkError.
type RefusedError struct {
	// Host is the destination as asked for ("intranet.example:80"); it is
	// all Error shows.
	Host string
	// Addr is the address refused, when the host was resolved or is one.
	Addr netip.AddrPort
	// Reason says why ("loopback", "private", "swhost's own listener").
	Reason string
}

// Error names the host asked for, not what it resolved to.
func (e *RefusedError) Error() string {
	return weberr.NetworkError + ": the egress policy refuses " + e.Host
}

// ExceptionName returns "NetworkError".
func (e *RefusedError) ExceptionName() string { return weberr.NetworkError }

// IsRefused reports whether err is, or wraps, a refusal of the policy.
func IsRefused(err error) bool {
	var r *RefusedError
	return errors.As(err, &r)
}

// refuse returns the refusal and logs it, once per address and reason.
func (p *Policy) refuse(host string, a netip.AddrPort, reason string) error {
	key := a.String() + " " + reason
	p.logMu.Lock()
	first := !p.logged[key]
	if first {
		if len(p.logged) >= maxLogged {
			clear(p.logged)
		}
		p.logged[key] = true
	}
	p.logMu.Unlock()
	if first {
		p.log.Warn("egress refused", "host", host, "addr", a.String(), "reason", reason)
	}
	return &RefusedError{Host: host, Addr: a, Reason: reason}
}

// check decides one address. trusted is true for destinations the
// operator named (a --resolve upstream, an allowed host name): only the
// listener rule applies to them.
func (p *Policy) check(host string, a netip.Addr, port uint16, trusted bool) error {
	a = a.WithZone("")
	ap := netip.AddrPortFrom(a, port)
	if p.isListener(a, port) {
		return p.refuse(host, ap, "swhost's own listener")
	}
	if trusted {
		return nil
	}
	reason := Classify(a)
	if reason == "" {
		return nil
	}
	for _, n := range p.allowNets {
		if n.Contains(a) || n.Contains(a.Unmap()) {
			return nil
		}
	}
	return p.refuse(host, ap, reason)
}

// Host is a host as the URL Standard's host parser reads it.
type Host struct {
	// Name is the serialized host: a lowercase ASCII domain, a
	// dotted-decimal IPv4 address or a bracketed IPv6 address.
	Name string
	// Addr is the address when the host is one (unmapped and without a
	// zone only as written: [::ffff:7f00:1] stays IPv4-mapped).
	Addr netip.Addr
}

// ParseHost parses a host (without a port) with the URL Standard's host
// parser for special URLs: "2130706433", "0177.0.0.1" and "127.1" are
// 127.0.0.1, "[0:0::1]" is [::1], "EXAMPLE.com." is "example.com.". An
// IPv6 address may be given with or without brackets.
func ParseHost(s string) (Host, error) {
	if strings.Contains(s, ":") && !strings.HasPrefix(s, "[") {
		s = "[" + s + "]"
	}
	name, err := weburl.ParseHost(s, false)
	if err != nil {
		return Host{}, err
	}
	h := Host{Name: name}
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(name, "["), "]")); err == nil {
		h.Addr = a
	}
	return h, nil
}

// splitHostPort splits "host:port" and parses both.
func splitHostPort(hostport string) (Host, uint16, error) {
	hs, ps, err := net.SplitHostPort(hostport)
	if err != nil {
		return Host{}, 0, weberr.Errorf(weberr.TypeError, "invalid address %q: %v", hostport, err)
	}
	port, err := strconv.ParseUint(ps, 10, 16)
	if err != nil {
		return Host{}, 0, weberr.Errorf(weberr.TypeError, "invalid port in %q", hostport)
	}
	h, err := ParseHost(hs)
	if err != nil {
		return Host{}, 0, err
	}
	return h, uint16(port), nil
}

// IsLocalhostName reports whether a serialized host is "localhost" or a
// name under it (with or without the root dot).
func IsLocalhostName(name string) bool {
	name = strings.TrimSuffix(name, ".")
	return name == "localhost" || strings.HasSuffix(name, ".localhost")
}

var localhostAddrs = []netip.Addr{netip.AddrFrom4([4]byte{127, 0, 0, 1}), netip.IPv6Loopback()}

// lookup returns the addresses of h: itself for an address, loopback for
// a localhost name, else what the resolver says (for network "tcp",
// "tcp4" or "tcp6").
func (p *Policy) lookup(ctx context.Context, network string, h Host) ([]netip.Addr, error) {
	if h.Addr.IsValid() {
		return []netip.Addr{h.Addr}, nil
	}
	var addrs []netip.Addr
	if IsLocalhostName(h.Name) {
		addrs = localhostAddrs
	} else {
		ipnet := "ip"
		switch network {
		case "tcp4":
			ipnet = "ip4"
		case "tcp6":
			ipnet = "ip6"
		}
		var err error
		if addrs, err = p.resolver.LookupNetIP(ctx, ipnet, strings.TrimSuffix(h.Name, ".")); err != nil {
			return nil, err
		}
	}
	var out []netip.Addr
	for _, a := range addrs {
		if (network == "tcp4" && !a.Unmap().Is4()) || (network == "tcp6" && !a.Is6()) {
			continue
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, &net.DNSError{Err: "no suitable address", Name: h.Name, IsNotFound: true}
	}
	return out, nil
}

// allowed resolves hostport and returns the addresses the policy allows,
// or the first refusal when it allows none. trusted comes back true when
// the host is trusted by the caller or is an allowed name.
func (p *Policy) allowed(ctx context.Context, network, hostport string, trusted bool) (_ []netip.Addr, port uint16, _ bool, _ error) {
	h, port, err := splitHostPort(hostport)
	if err != nil {
		return nil, 0, false, err
	}
	trusted = trusted || p.allowNames[strings.TrimSuffix(h.Name, ".")]
	addrs, err := p.lookup(ctx, network, h)
	if err != nil {
		return nil, 0, false, err
	}
	var ok []netip.Addr
	var refusal error
	for _, a := range addrs {
		if err := p.check(hostport, a, port, trusted); err != nil {
			if refusal == nil {
				refusal = err
			}
			continue
		}
		ok = append(ok, a)
	}
	if len(ok) == 0 {
		return nil, 0, false, refusal
	}
	return ok, port, trusted, nil
}

// Check resolves hostport ("host:port") and reports whether the policy
// allows connecting to it: nil, a *RefusedError, or the error resolving
// it. It is a fast answer for a request about to be relayed (the proxy);
// the connection itself is checked again by DialContext.
func (p *Policy) Check(ctx context.Context, hostport string) error {
	_, _, _, err := p.allowed(ctx, "tcp", hostport, false)
	return err
}

// DialContext connects to addr ("host:port") if the policy allows it: the
// host is resolved once, every address is checked, and only allowed
// addresses are dialled (each checked again on the address connected).
// Its signature is net/http.Transport's DialContext.
func (p *Policy) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return p.dial(ctx, network, addr, false)
}

// DialTrusted connects to a destination the operator named (a --resolve
// upstream): only swhost's own listeners are refused.
func (p *Policy) DialTrusted(ctx context.Context, network, addr string) (net.Conn, error) {
	return p.dial(ctx, network, addr, true)
}

// dialKey is the context key of a dialInfo.
type dialKey struct{}

// dialInfo tells control what dial is being made: the host asked for and
// whether it is trusted.
type dialInfo struct {
	host    string
	trusted bool
}

func (p *Policy) dial(ctx context.Context, network, addr string, trusted bool) (net.Conn, error) {
	addrs, port, trusted, err := p.allowed(ctx, network, addr, trusted)
	if err != nil {
		return nil, err
	}
	ctx = context.WithValue(ctx, dialKey{}, dialInfo{host: addr, trusted: trusted})
	var firstErr error
	for _, a := range addrs {
		c, err := p.dialer.DialContext(ctx, network, netip.AddrPortFrom(a, port).String())
		if err == nil {
			return c, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, firstErr
}

// control checks the address the dialer is about to connect to, the last
// word against anything that got past the checks before.
func (p *Policy) control(ctx context.Context, network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("egress: unexpected dial address %q", address)
	}
	d, ok := ctx.Value(dialKey{}).(dialInfo)
	if !ok {
		d.host = address
	}
	return p.check(d.host, ap.Addr(), ap.Port(), d.trusted)
}
