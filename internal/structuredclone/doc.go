// Package structuredclone implements the HTML standard's structured
// serialize and deserialize (StructuredSerializeWithTransfer,
// StructuredDeserializeWithTransfer) for values of sobek JavaScript
// runtimes. It backs structuredClone(), postMessage and the messages of
// cross-origin connections.
//
// [Serialize] turns a value of one runtime into a [Record] that holds only
// Go data; [Deserialize] rebuilds it in another runtime (or the same one),
// on any goroutine. A [Realm] keeps a runtime's intrinsics so repeated
// calls are cheap: make one per runtime and keep it. [Realm.Clone] is
// structuredClone() within one runtime.
//
//	src, _ := structuredclone.NewRealm(rt1)
//	rec, err := src.Serialize(v, nil, structuredclone.Hooks{})
//	dst, _ := structuredclone.NewRealm(rt2) // on rt2's goroutine
//	clone, _, err := dst.Deserialize(rec, structuredclone.Hooks{})
//
// Supported: undefined, null, booleans, numbers (-0 and NaN kept), BigInts,
// strings (unpaired surrogates kept), Boolean/Number/String/BigInt
// objects, Date, RegExp (source and flags), ArrayBuffer, every typed array
// and DataView (views sharing a buffer still share it), Array (holes,
// length and extra properties kept), ordinary objects (own enumerable
// string-keyed properties, in order; the prototype is not kept), Map, Set,
// and errors (name when it is one of the standard error constructors,
// otherwise "Error"; own message). Shared references and cycles are kept.
// Functions, symbols, WeakMap, WeakSet, Promise, Proxy, generators,
// iterators, the global object and platform objects the host does not
// serialize fail with a DataCloneError ([CloneError]) naming the type and
// where it is.
//
// Records also convert to and from JSON and Go values without a runtime,
// for Go code that exchanges messages with workers: [FromJSON] builds what
// JSON.parse would, [Record.MarshalJSON] writes what JSON.stringify would,
// [FromGo] converts Go values (with [RegExp], [Map], [Set], [ErrorValue]
// and [Undefined] for the JavaScript types Go has no value for) and
// [Record.Export] gives the value back as Go values.
//
// Transfer: ArrayBuffers in the transfer list move into the record without
// a copy and are detached in the source runtime (sobek supports detaching:
// ArrayBuffer.Detach); the receiving runtime gets a new ArrayBuffer over the
// same bytes. Host objects, such as MessagePort, are handled by [Hooks].
// sobek has no SharedArrayBuffer and no resizable ArrayBuffers, so neither
// is handled.
//
// Differences from the standard, all in corner cases sobek's Go API leaves
// no way to reach: objects are classified by sobek's internal class and their
// prototype chain, so an ordinary object created with, for example,
// Object.create(WeakMap.prototype) is refused as a WeakMap, and a WeakMap
// whose prototype was changed to Object.prototype is cloned as an empty
// object; errors keep no stack or cause (the standard keeps neither).
package structuredclone
