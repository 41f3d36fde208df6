package connect

import (
	"context"
	"strings"
	"testing"

	"github.com/swhost/swhost/weberr"
)

// TestNativeEcho: a Go service registered at a URL is reached by Connect
// like a worker, and takes precedence over a worker registration.
func TestNativeEcho(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/serviceworker.js", "", echoWorker)
	unregister, err := e.b.Register(svcOrigin+"/native/", Echo)
	if err != nil {
		t.Fatal(err)
	}
	p := e.mustConnect(svcOrigin+"/native/echo", nil)
	if got := roundTrip(t, p, "hi"); got != "hi" {
		t.Errorf("echo: %v", got)
	}
	if e.b.Connections() != 1 {
		t.Errorf("connections %d", e.b.Connections())
	}
	if _, err := e.b.Register(svcOrigin+"/native/", Echo); weberr.NameOf(err) != weberr.InvalidStateError {
		t.Errorf("duplicate register: %v", err)
	}
	unregister()
	if _, err := e.connect(svcOrigin+"/native/echo", nil); weberr.NameOf(err) != weberr.AbortError {
		t.Errorf("after unregister: %v", err)
	}
	if got := roundTrip(t, p, "still"); got != "still" {
		t.Errorf("open connection after unregister: %v", got)
	}
	p.Close()
}

// TestNativeTransferRoundTrip: a port sent to the service comes back
// with the echo and is still entangled with the port kept here.
func TestNativeTransferRoundTrip(t *testing.T) {
	e := newTestEnv(t, Options{})
	if _, err := e.b.Register(svcOrigin+"/", Echo); err != nil {
		t.Fatal(err)
	}
	p := e.mustConnect(echoURL, nil)
	mine, theirs := NewChannel()
	if err := p.PostMessage("take this", theirs); err != nil {
		t.Fatal(err)
	}
	if err := theirs.PostMessage("used after transfer"); weberr.NameOf(err) != weberr.InvalidStateError {
		t.Errorf("post on a transferred port: %v", err)
	}
	m := recv(t, p)
	if m.Data != "take this" || len(m.Ports) != 1 {
		t.Fatalf("reply %+v", m)
	}
	back := m.Ports[0]
	if err := back.PostMessage("through the returned port"); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, mine).Data; got != "through the returned port" {
		t.Errorf("mine got %v", got)
	}
	mine.PostMessage("and back")
	if got := recv(t, back).Data; got != "and back" {
		t.Errorf("back got %v", got)
	}
	back.Close()
	if _, err := mine.Recv(context.Background()); err != ErrClosed {
		t.Errorf("after the other end closed: %v", err)
	}
}

// TestNativeRejects: a native service's refusal is the same AbortError.
func TestNativeRejects(t *testing.T) {
	e := newTestEnv(t, Options{})
	svc := ServiceFuncs{AcceptFunc: func(_ context.Context, c Client) bool { return c.Origin == "https://friend.test" }}
	if _, err := e.b.Register(svcOrigin+"/", svc); err != nil {
		t.Fatal(err)
	}
	_, err := e.connect(echoURL, nil)
	if weberr.NameOf(err) != weberr.AbortError || !strings.Contains(err.Error(), "no service accepted the connection to "+echoURL) {
		t.Errorf("refusal: %v", err)
	}
	p, err := e.b.Connect(context.Background(), "https://friend.test/", echoURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
}

// TestTransferErrors: the transfer list is checked like postMessage's.
func TestTransferErrors(t *testing.T) {
	a, b := NewChannel()
	c, _ := NewChannel()
	cases := []struct {
		name     string
		transfer []*Port
		want     string
	}{
		{"itself", []*Port{a}, weberr.DataCloneError},
		{"twice", []*Port{c, c}, weberr.DataCloneError},
		{"nil", []*Port{nil}, weberr.DataCloneError},
	}
	for _, tc := range cases {
		if err := a.PostMessage(1, tc.transfer...); weberr.NameOf(err) != tc.want {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if err := a.PostMessage(1, c); err != nil {
		t.Fatal(err)
	}
	if err := a.PostMessage(2, c); weberr.NameOf(err) != weberr.InvalidStateError && weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("transferring a transferred port: %v", err)
	}
	m, _ := b.Recv(context.Background())
	if len(m.Ports) != 1 || m.Ports[0] == c {
		t.Errorf("transferred port %+v: want a new Port object", m.Ports)
	}
}
