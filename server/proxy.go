package server

import (
	"bufio"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/swhost/swhost/internal/egress"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/network"
)

// ProxyHandler is a forward proxy: HTTP clients (curl -x, a browser's
// proxy setting) send their requests through swhost's lookup order. The
// client is identified by a Service-Worker-Client header, else Referer,
// else Origin. "https://" URLs arrive as CONNECT tunnels: with a CA they
// are intercepted (TLS terminated with a certificate the CA issues for the
// host); with ca nil they are tunnelled untouched.
//
// Requests and tunnels outside the egress policy (Options.Network's) are
// refused with 403 and a NetworkError: a hosted origin (registered or
// --resolve'd) goes through the lookup order, anything else must be a
// destination the policy allows, and never one of swhost's own listeners.
func (s *Server) ProxyHandler(ca *CA) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodConnect && ca == nil:
			s.tunnel(w, r)
		case r.Method == http.MethodConnect:
			if s.proxyAllows(w, r, "https://"+r.Host) == nil {
				return
			}
			s.intercept(w, r, ca)
		case r.URL.IsAbs():
			if u := s.proxyAllows(w, r, r.URL.String()); u != nil {
				s.serveLogical(w, r, "proxy", u)
			}
		default:
			s.edgeError(w, "proxy", http.StatusBadRequest, "not a proxy request: the request target must be an absolute URL")
		}
	})
}

// proxyRefusal is the proxy's one answer to a destination outside the
// egress policy; the policy has logged the address.
const proxyRefusal = "NetworkError: the egress policy refuses this destination"

// proxyAllows returns target (a URL) parsed when the proxy may serve it
// (a hosted origin, or a host the egress policy allows), and otherwise
// answers 400 or 403 and returns nil.
func (s *Server) proxyAllows(w http.ResponseWriter, r *http.Request, target string) *weburl.URL {
	u, err := weburl.Parse(target)
	if err != nil {
		s.edgeError(w, "proxy", http.StatusBadRequest, "invalid request target")
		return nil
	}
	if s.hosts(u.Origin()) {
		return u
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443", "ws": "80", "wss": "443"}[u.Scheme()]
	}
	if err := s.network().Allows(r.Context(), u.Hostname()+":"+port); err != nil {
		if egress.IsRefused(err) {
			s.edgeError(w, "proxy", http.StatusForbidden, proxyRefusal)
		} else {
			s.edgeError(w, "proxy", http.StatusBadGateway, "NetworkError: the destination could not be resolved")
		}
		return nil
	}
	return u
}

// network returns the network step, or one with no upstream under
// egress.Default().
func (s *Server) network() *network.Transport {
	if s.opts.Network != nil {
		return s.opts.Network
	}
	return defaultNetwork
}

var defaultNetwork = &network.Transport{}

// tunnel relays a CONNECT tunnel to its target untouched, if the egress
// policy allows the target.
func (s *Server) tunnel(w http.ResponseWriter, r *http.Request) {
	h, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		s.edgeError(w, "proxy", http.StatusBadRequest, "CONNECT needs a host:port target")
		return
	}
	host, err := egress.ParseHost(h)
	if err != nil {
		s.edgeError(w, "proxy", http.StatusBadRequest, "CONNECT needs a host:port target")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	target, err := s.network().DialContext(ctx, "tcp", host.Name+":"+port)
	switch {
	case egress.IsRefused(err):
		s.edgeError(w, "proxy", http.StatusForbidden, proxyRefusal)
		return
	case err != nil:
		s.edgeError(w, "proxy", http.StatusBadGateway, fmt.Sprintf("CONNECT %s: %v", r.Host, err))
		return
	}
	conn, buf, err := hijack(w)
	if err != nil {
		target.Close()
		return
	}
	conn.Write([]byte("HTTP/1.1 200 Connection Established\r\n\r\n"))
	done := make(chan struct{}, 2)
	go func() { io.Copy(target, buf); target.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	go func() { io.Copy(conn, target); done <- struct{}{} }()
	<-done
	<-done
	conn.Close()
	target.Close()
}

func hijack(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "swhost proxy: the connection cannot be taken over", http.StatusInternalServerError)
		return nil, nil, errors.New("not hijackable")
	}
	return hj.Hijack()
}

// intercept terminates TLS for a CONNECT tunnel and serves the requests
// inside it as https://HOST/... through the lookup order.
func (s *Server) intercept(w http.ResponseWriter, r *http.Request, ca *CA) {
	host := r.Host
	if h, port, err := net.SplitHostPort(host); err == nil && port == "443" {
		host = h
	}
	conn, _, err := hijack(w)
	if err != nil {
		return
	}
	if _, err := conn.Write([]byte("HTTP/1.1 200 Connection Established\r\n\r\n")); err != nil {
		conn.Close()
		return
	}
	tlsConn := tls.Server(conn, &tls.Config{
		MinVersion: tls.VersionTLS12,
		GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			name := hello.ServerName
			if name == "" {
				name, _, _ = strings.Cut(host, ":")
			}
			return ca.leaf(name)
		},
	})
	// The tunnel's requests get the listener's timeouts: a stalled
	// handshake or header, a stalled body and an idle tunnel are closed.
	inner := s.opts.Timeouts.HTTPServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		logical := "https://" + host + req.URL.RequestURI()
		u, err := weburl.Parse(logical)
		if err != nil {
			s.edgeError(w, "proxy", http.StatusBadRequest, "invalid request URL "+logical)
			return
		}
		s.serveLogical(w, req, "proxy", u)
	}), s.log)
	inner.Serve(&oneConnListener{conn: tlsConn})
}

// oneConnListener hands one connection to an http.Server, then reports
// the listener closed once that connection is done.
type oneConnListener struct {
	mu   sync.Mutex
	conn net.Conn
	done chan struct{}
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	c := l.conn
	l.conn = nil
	if l.done == nil {
		l.done = make(chan struct{})
	}
	done := l.done
	l.mu.Unlock()
	if c != nil {
		return &closeNotifyConn{Conn: c, done: done}, nil
	}
	<-done
	return nil, net.ErrClosed
}

func (l *oneConnListener) Close() error { return nil }
func (l *oneConnListener) Addr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}
}

type closeNotifyConn struct {
	net.Conn
	once sync.Once
	done chan struct{}
}

func (c *closeNotifyConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { close(c.done) })
	return err
}

// CA is swhost's local certificate authority for intercepting https://
// through the forward proxy. It is created on first use in the data
// directory (ca.pem, ca-key.pem) and exported by "swhost ca" so that
// browsers and curl can trust it.
type CA struct {
	cert    *x509.Certificate
	key     crypto.Signer
	certPEM []byte

	mu     sync.Mutex
	leaves map[string]*tls.Certificate
}

// LoadOrCreateCA loads the CA from dir, creating it when absent.
func LoadOrCreateCA(dir string) (*CA, error) {
	certPath, keyPath := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "ca-key.pem")
	certPEM, err1 := os.ReadFile(certPath)
	keyPEM, err2 := os.ReadFile(keyPath)
	if err1 == nil && err2 == nil {
		return parseCA(certPEM, keyPEM)
	}
	if !errors.Is(err1, os.ErrNotExist) && err1 != nil {
		return nil, fmt.Errorf("reading %s: %w", certPath, err1)
	}
	key, serial, err := newKeyAndSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "swhost local CA", Organization: []string{"swhost"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(5, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(keyPath, keyPEM, 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(certPath, certPEM, 0o644); err != nil {
		return nil, err
	}
	return parseCA(certPEM, keyPEM)
}

func parseCA(certPEM, keyPEM []byte) (*CA, error) {
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("loading the swhost CA: %w", err)
	}
	cert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, err
	}
	signer, ok := pair.PrivateKey.(crypto.Signer)
	if !ok {
		return nil, errors.New("the swhost CA key cannot sign")
	}
	return &CA{cert: cert, key: signer, certPEM: certPEM, leaves: map[string]*tls.Certificate{}}, nil
}

// PEM returns the CA certificate in PEM form.
func (ca *CA) PEM() []byte { return ca.certPEM }

// Pool returns a certificate pool trusting the CA.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}

// leaf returns a certificate for host issued by the CA, cached.
func (ca *CA) leaf(host string) (*tls.Certificate, error) {
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if c := ca.leaves[host]; c != nil {
		return c, nil
	}
	key, serial, err := newKeyAndSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: host},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(0, 0, 30),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else {
		tmpl.DNSNames = []string{host}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der, ca.cert.Raw}, PrivateKey: key}
	ca.leaves[host] = c
	return c, nil
}

// newKeyAndSerial makes a P-256 key and a random 120-bit serial number
// for a new certificate.
func newKeyAndSerial() (*ecdsa.PrivateKey, *big.Int, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generating a certificate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, nil, fmt.Errorf("generating a certificate serial: %w", err)
	}
	return key, serial, nil
}
