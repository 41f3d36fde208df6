package connect

import "github.com/swhost/swhost/message"

// The messages and ports of a connection are swhost's one message type
// and port (package message), shared with the worker: a port that comes
// out of a worker is the same type as the client's end of a connection,
// and either can be handed to a worker or to a native service.
type (
	// Message is one message on a connection: its data and the message
	// ports it transfers. See [message.Message] for what Data holds: a
	// worker's values arrive as a *[Record] (or a plain primitive), a Go
	// sender's as posted; [Message.Value] gives Go values either way.
	Message = message.Message
	// Port is one end of a message channel, as a Go program holds it: the
	// client end of a connection returned by Connect, the service end
	// handed to a native Service, either end of NewChannel, or a port a
	// worker transferred. See [message.Port]: ordered, exactly-once
	// delivery while the channel is open, safe for concurrent use. For
	// the client end of a connection to a service worker, Close removes
	// the client from its registration's cross-origin clients before it
	// returns, and Flush waits until the worker handled what was posted.
	Port = message.Port
)

// ErrClosed is returned by Port.Recv once the port is closed (by its own
// Close, by the other end, or because the client went away) and every
// message that arrived before has been received.
var ErrClosed = message.ErrClosed

// NewChannel returns two entangled ports, as new MessageChannel() does:
// what is posted on one arrives on the other. Either can be transferred
// to a worker or a native service in a PostMessage transfer list.
func NewChannel() (*Port, *Port) { return message.NewChannel() }

// Types of message data: aliases of the structured-clone package's, so
// Go code can send and receive the JavaScript values Go has no type for.
type (
	// Record is a structured-clone record: a JavaScript value serialized
	// as Go data. It marshals to JSON as JSON.stringify would write the
	// value (MarshalJSON) and exports to Go values (Export).
	Record = message.Record
	// RegExp is a JavaScript RegExp (source and flags).
	RegExp = message.RegExp
	// Map is a JavaScript Map: its entries in order.
	Map = message.Map
	// Set is a JavaScript Set: its values in order.
	Set = message.Set
	// ErrorValue is a JavaScript error (name and message).
	ErrorValue = message.ErrorValue
	// Undefined is JavaScript's undefined (nil is null).
	Undefined = message.Undefined
)
