// Package natstest runs a real NATS server for tests, in the test
// process, from github.com/nats-io/nats-server/v2 (see docs/decisions.md:
// no binary to install, the version pinned in go.mod):
//
//	url := natstest.New(t) // nats://127.0.0.1:PORT, shut down when t ends
//
// Each call starts its own server on a free loopback port, so that a
// test can stop it (a lost NATS) without touching other tests.
package natstest

import (
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Server is a NATS server this process runs.
type Server struct {
	s *server.Server
}

// Start starts a server on 127.0.0.1 on a free port and waits until it
// accepts connections.
func Start() (*Server, error) {
	s, err := server.NewServer(&server.Options{
		Host:           "127.0.0.1",
		Port:           server.RANDOM_PORT,
		NoLog:          true,
		NoSigs:         true,
		MaxControlLine: 4096,
	})
	if err != nil {
		return nil, err
	}
	go s.Start()
	if !s.ReadyForConnections(30 * time.Second) {
		s.Shutdown()
		return nil, errNotReady
	}
	return &Server{s: s}, nil
}

type notReady struct{}

func (notReady) Error() string { return "natstest: the NATS server did not get ready within 30 s" }

var errNotReady error = notReady{}

// URL returns the server's client URL (nats://127.0.0.1:PORT).
func (s *Server) URL() string { return s.s.ClientURL() }

// Shutdown stops the server and waits until it has stopped: its clients
// see their connections close.
func (s *Server) Shutdown() {
	s.s.Shutdown()
	s.s.WaitForShutdown()
}

// New starts a server for t, shut down when t ends, and returns it.
func New(t testing.TB) *Server {
	t.Helper()
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Shutdown)
	return s
}
