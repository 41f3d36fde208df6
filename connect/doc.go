// Package connect implements the cross-origin connect seed
// (navigator.connect): clients open message channels to services
// implemented by service workers of another origin, or by Go code.
//
// A [Broker] sits on a registry. [Broker.Connect] runs the seed's Connect
// algorithm: it finds the registration whose scope matches the target URL
// (waiting for its active worker when it has none, up to
// Options.ActiveTimeout), fires crossoriginconnect and, when the worker
// accepts, returns the client's [Port]. Each message posted on it is
// delivered, in order, as crossoriginmessage to the registration's
// currently active worker (the seed's Deliver Message): the connection
// stays bound to the registration it was made with. Replies made with
// event.source.postMessage arrive on the port.
//
//	b := connect.New(reg, connect.Options{})
//	port, err := b.Connect(ctx, "https://app.test/", "https://svc.test/services/echo", nil)
//	if weberr.NameOf(err) == weberr.AbortError { /* no service, or refused */ }
//	port.PostMessage("hello")
//	reply, err := port.Recv(ctx)
//	port.Close() // the worker's crossOriginClients.getAll() no longer lists it
//
// Refusals are indistinguishable from "no service": the same AbortError
// message, answered Options.FailureDelay after the attempt started plus
// random jitter; a worker still deciding by then is refused.
//
// Native services ([Service], [Broker.Register]) answer connect from Go.
// Subpackage bridge exposes the broker to real web pages over WebSocket.
package connect
