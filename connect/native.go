package connect

import (
	"context"
	"time"

	"github.com/swhost/swhost/scope"
	"github.com/swhost/swhost/weberr"
)

// Service is a connect service written in Go, the seed's "other ways to
// connect to services": registered at a scope with Broker.Register, it is
// reached by Connect exactly as a service worker is.
type Service interface {
	// Accept decides on a connection attempt, as a crossoriginconnect
	// listener does. It must answer before ctx ends (the broker's
	// FailureDelay); a late answer counts as a rejection.
	Accept(ctx context.Context, c Client) bool
	// Serve runs an accepted connection on its own goroutine. port is the
	// service's end: Recv returns what the client posts, PostMessage
	// replies. The connection closes when either end closes its port;
	// Serve should return then.
	Serve(c Client, port *Port)
}

// ServiceFuncs adapts two functions to a Service; a nil AcceptFunc
// accepts every client.
type ServiceFuncs struct {
	AcceptFunc func(ctx context.Context, c Client) bool
	ServeFunc  func(c Client, port *Port)
}

// Accept calls AcceptFunc, or accepts when it is nil.
func (s ServiceFuncs) Accept(ctx context.Context, c Client) bool {
	return s.AcceptFunc == nil || s.AcceptFunc(ctx, c)
}

// Serve calls ServeFunc, or closes the port when it is nil.
func (s ServiceFuncs) Serve(c Client, port *Port) {
	if s.ServeFunc == nil {
		port.Close()
		return
	}
	s.ServeFunc(c, port)
}

// Echo is a native service that accepts every client and posts every
// message back with its ports, like the seed's example worker.
var Echo Service = ServiceFuncs{ServeFunc: func(_ Client, port *Port) {
	for {
		m, err := port.Recv(context.Background())
		if err != nil {
			return
		}
		if err := port.PostMessage(m.Data, m.Ports...); err != nil {
			return
		}
	}
}}

type service struct {
	sc *scope.Scope
	s  Service
}

// Register makes s answer connections to URLs matched by scopeText (a
// scope URL, whose string prefix it controls, or a JSON scope pattern;
// see package scope). Native services are looked up before service
// worker registrations. The returned function unregisters it; open
// connections stay open.
func (b *Broker) Register(scopeText string, s Service) (unregister func(), err error) {
	sc, err := scope.Parse(scopeText, "")
	if err != nil {
		return nil, err
	}
	if _, dup := b.services.Get(sc.Key()); dup {
		return nil, weberr.Errorf(weberr.InvalidStateError, "a native service is already registered at %s", sc)
	}
	svc := &service{sc: sc, s: s}
	if err := b.services.Add(sc, svc); err != nil {
		return nil, err
	}
	return func() {
		if cur, ok := b.services.Get(sc.Key()); ok && cur == svc {
			b.services.Remove(sc)
		}
	}, nil
}

// connectNative runs Connect's decision on a native service.
func (b *Broker) connectNative(ctx context.Context, start time.Time, svc *service, client Client) (*Port, error) {
	dctx, cancel := b.decisionContext(ctx, start)
	res := make(chan bool, 1)
	go func() { res <- svc.s.Accept(dctx, client) }()
	var ok bool
	select {
	case ok = <-res:
	case <-dctx.Done():
	}
	cancel()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if !ok {
		b.observe("connect", client, map[string]any{"accepted": false, "reason": "refused by the native service"})
		return nil, b.fail(ctx, start, client.TargetURL)
	}
	b.observe("connect", client, map[string]any{"accepted": true, "native": true})
	clientPort, servicePort := NewChannel()
	c := &conn{b: b, client: client, port: clientPort}
	if !b.add(c) {
		clientPort.Close()
		return nil, b.fail(ctx, start, client.TargetURL)
	}
	done := clientPort.Done()
	go func() {
		<-done
		b.remove(c)
	}()
	go svc.s.Serve(client, servicePort)
	return clientPort, nil
}
