// Package message is the one message type and the one message port of
// swhost, shared by the worker (a service worker's MessagePorts and the
// messages of its events) and connect (the ports Go programs hold).
//
// [NewChannel] makes a channel, as new MessageChannel() does: two
// entangled [Port]s, what is posted on one arriving on the other in
// order, exactly once, while the channel is open. A port is read either
// by a Go program, blocking in [Port.Recv], or by a [Reader] notified
// when a message arrives (a worker's MessagePort, whose messages are
// dispatched as tasks on the worker's event loop). Ports are transferable:
// posted in a transfer list, a port moves to a new Port object in the
// receiving [Message.Ports], with the messages queued on it, and a port
// handed to a worker becomes a MessagePort in its event.ports.
//
// Message data is a structured clone of a JavaScript value: what a worker
// posts arrives as a *[Record] (for anything but plain primitives) that
// keeps every JavaScript type and that a worker receiving it again
// rebuilds exactly; Go values posted to a worker are converted as
// [Message] describes.
package message

import (
	"encoding/json"

	"github.com/swhost/swhost/internal/structuredclone"
)

// Message is one message on a channel: its data and the ports it
// transfers.
//
// Data is what the sender posted. A message posted by a JavaScript worker
// (event.source.postMessage, a MessagePort entangled with Go) carries a
// string (without unpaired surrogates), a float64 (other than -0, NaN and
// the infinities), a bool, nil (null) or [Undefined] for those
// primitives, and otherwise a *[Record], the structured-clone record of
// the value: Date, RegExp, Map, Set, ArrayBuffer and typed arrays,
// errors, BigInts, shared and cyclic objects are all kept, and a worker
// that receives the record again rebuilds them. (Client.postMessage is
// the exception: its messages reach worker.Clients with the record
// exported to Go values, as [Message.Value] gives them.)
//
// A message posted by Go code carries the Go value as posted: a Go reader
// receives it as is, not copied. Bound for a worker, it is serialized
// with structured clone when posted (when the port's reader asked for it
// with [Reader.Clone]; a worker given a message directly serializes it
// when it dispatches it): plain Go values (maps with string keys, slices,
// strings, numbers, bool, nil, []byte as an ArrayBuffer, time.Time as a
// Date, structs as encoding/json writes them), [RegExp], [Map], [Set],
// *[ErrorValue] and [Undefined] for the JavaScript types Go has no value
// for, a *Record as is; a value that cannot be cloned (a func, a channel)
// is a DataCloneError.
//
// Ports are the transferred ports, in transfer-list order; the receiver
// owns them. Ports placed inside the value itself (not only in the
// transfer list) are in the record as host values naming their index in
// Ports, which the receiving worker rebuilds from Ports and which
// [Message.Value] leaves opaque. A record that carries transferred
// ArrayBuffers or ports can be delivered to a worker once (a second
// delivery fails there with a DataCloneError).
type Message struct {
	Data  any
	Ports []*Port
}

// Value returns the message's data as Go values: a *Record is exported
// ([Record.Export]: objects as map[string]any, arrays as []any, numbers as
// float64, Dates as time.Time, ArrayBuffers and typed arrays as []byte,
// Map, Set, RegExp and errors as [Map], [Set], [RegExp] and *[ErrorValue]);
// a json.RawMessage (what the CLI and the connect bridge post for JSON) is
// read as JSON.parse would and exported the same way; other data is
// returned as posted. json.Marshal(m.Data) writes what JSON.stringify
// would.
func (m Message) Value() any {
	switch d := m.Data.(type) {
	case *Record:
		return d.Export()
	case json.RawMessage:
		if rec, err := structuredclone.FromJSON(d); err == nil {
			return rec.Export()
		}
	}
	return m.Data
}

// Types of message data: aliases of the structured-clone package's, so
// Go code can send and receive the JavaScript values Go has no type for.
type (
	// Record is a structured-clone record: a JavaScript value serialized
	// as Go data. It marshals to JSON as JSON.stringify would write the
	// value (MarshalJSON) and exports to Go values (Export). A Record
	// without transferred objects may be read and delivered any number
	// of times, concurrently.
	Record = structuredclone.Record
	// RegExp is a JavaScript RegExp (source and flags).
	RegExp = structuredclone.RegExp
	// Map is a JavaScript Map: its entries in order.
	Map = structuredclone.Map
	// Set is a JavaScript Set: its values in order.
	Set = structuredclone.Set
	// ErrorValue is a JavaScript error (name and message).
	ErrorValue = structuredclone.ErrorValue
	// Undefined is JavaScript's undefined (nil is null).
	Undefined = structuredclone.Undefined
)

// needsRecord reports whether data bound for JavaScript must be
// serialized into a record: everything but the primitives a worker reads
// directly (nil, strings, float64, bool) and records.
func needsRecord(data any) bool {
	switch data.(type) {
	case nil, string, float64, bool, *Record:
		return false
	}
	return true
}
