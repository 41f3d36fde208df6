package structuredclone

import "github.com/grafana/sobek"

// HostValue is what a host hook makes of a platform object: any Go value
// the host can rebuild the object from in another realm. It travels inside
// a [Record], so it must be safe to use from another goroutine.
type HostValue any

// Hooks connect structured clone to the host's platform objects (objects
// the embedding defines, such as MessagePort). Every field may be nil.
//
// Contract:
//   - SerializeHost is called for each object that is not a built-in
//     JavaScript type structured clone knows (Array, Map, Date, ...), before
//     it is treated as an ordinary object. It returns (value, true, nil) to
//     serialize obj as a host value, (nil, false, nil) when obj is not a
//     platform object (it is then cloned as an ordinary object, or refused
//     if it is some other kind of exotic object), or an error, normally a
//     DataCloneError ([weberr.DataCloneError]) for a platform object that is
//     not serializable (a MessagePort that is not in the transfer list).
//   - DeserializeHost rebuilds a host value in rt, on rt's goroutine.
//   - CanTransfer is called, before serialization, for each entry of the
//     transfer list that is not an ArrayBuffer. It returns nil for an
//     object the host can transfer and an error (DataCloneError) otherwise,
//     including for an object already detached. Without CanTransfer only
//     ArrayBuffers can be transferred.
//   - Transfer is called after serialization succeeded, once per entry
//     CanTransfer accepted, in transfer-list order, before any ArrayBuffer
//     is detached. It must detach obj in its realm (the standard's transfer
//     steps) and return what ReceiveTransfer needs to rebuild it.
//   - ReceiveTransfer rebuilds a transferred object in rt (the transfer-
//     receiving steps). It is called once per transferred object, in
//     transfer-list order, before the rest of the value is deserialized.
//
// A hook's error is returned as is (wrapped with where it happened), so a
// host can return a *sobek.Exception or a [weberr.Error] of its choice.
type Hooks struct {
	SerializeHost   func(obj *sobek.Object) (HostValue, bool, error)
	DeserializeHost func(rt *sobek.Runtime, v HostValue) (sobek.Value, error)
	CanTransfer     func(obj *sobek.Object) error
	Transfer        func(obj *sobek.Object) (HostValue, error)
	ReceiveTransfer func(rt *sobek.Runtime, v HostValue) (sobek.Value, error)
}
