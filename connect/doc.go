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
//	b := connect.New(reg, connect.Options{}) // reg's Environment.Hooks calls b.WorkerHooks
//	port, err := b.Connect(ctx, "https://app.test/", "https://svc.test/services/echo", nil)
//	if weberr.NameOf(err) == weberr.AbortError { /* no service, or refused */ }
//	port.PostMessage(map[string]any{"when": time.Now(), "tags": connect.Set{"a", "b"}})
//	reply, err := port.Recv(ctx)
//	v := reply.Value() // Go values; reply.Data is a *connect.Record from a worker
//	port.Close() // the worker's crossOriginClients.getAll() no longer lists it
//
// Messages are structured clones: what a worker posts arrives as a
// [Record] that keeps every JavaScript type (Date, RegExp, Map, Set,
// ArrayBuffer and typed arrays, errors, cycles) and that a worker receiving
// it again rebuilds exactly; Go values posted to a worker are converted as
// [Message] describes. Ports are transferable across the worker boundary:
//
//	mine, theirs := connect.NewChannel()
//	port.PostMessage("take this", theirs) // the worker sees it in event.ports
//	m, _ := mine.Recv(ctx)                // what the worker posts on it
//
// and a port a worker transfers to the client (event.source.postMessage(msg,
// [port])) arrives in Message.Ports as a *Port. Messages on a port arrive
// in order, none is lost while both ends are open, and closing one end
// closes the other (a worker that stops closes its ports).
//
// [Message] and [Port] are swhost's one message type and port, defined in
// package message and shared with the worker: the client's end of a
// connection, the ports of NewChannel and the ports workers transfer are
// all the same type, and the broker reads the other end of each
// connection as a worker's MessagePort reads its own, by notification.
//
// Refusals are indistinguishable from "no service": the same AbortError
// message, answered Options.FailureDelay after the attempt started plus
// random jitter; a worker still deciding by then is refused.
//
// Native services ([Service], [Broker.Register]) answer connect from Go.
// Subpackage bridge exposes the broker to real web pages over WebSocket.
package connect
