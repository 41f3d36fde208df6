package structuredclone

import (
	"math/big"
	"sync/atomic"
)

// Record is a serialized value: the output of [Serialize], the input of
// [Deserialize]. It holds only Go data (no sobek values or objects), so it
// can be handed to another goroutine and deserialized in another runtime.
//
// A Record without transferred objects can be deserialized any number of
// times, concurrently. One with transferred objects (an ArrayBuffer or a
// host object such as a MessagePort moved through the transfer list) can be
// deserialized once: the transferred objects move to the receiving realm,
// and a second Deserialize fails with a DataCloneError.
type Record struct {
	root      slot
	objects   []object
	bigints   []*big.Int
	utf16     [][]uint16
	transfers []int32 // object indexes of the transferred objects, in transfer-list order
	received  atomic.Bool
}

// HasHostValues reports whether the record holds a host value (a Blob,
// a File, a CryptoKey, a transferred host object): something only a
// realm with the host's bindings can rebuild.
func (rec *Record) HasHostValues() bool {
	for i := range rec.objects {
		if k := rec.objects[i].kind; k == objHost || k == objTransferredHost {
			return true
		}
	}
	return false
}

// Transfers returns the number of objects transferred with the record.
func (rec *Record) Transfers() int { return len(rec.transfers) }

// slotKind says what a slot holds.
type slotKind uint8

const (
	slotUndefined slotKind = iota
	slotNull
	slotFalse
	slotTrue
	slotNumber // num
	slotBigInt // bigints[ref]
	slotString // str
	slotUTF16  // utf16[ref]: a string with unpaired surrogates, kept exactly
	slotObject // objects[ref]
)

// slot is one serialized value: a primitive inline, or a reference to an
// object of the record (the standard's "memory" becomes object indexes, so
// shared references and cycles survive).
type slot struct {
	kind slotKind
	ref  int32
	num  float64
	str  string
}

// objectKind is the standard's [[Type]] of a serialized object.
type objectKind uint8

const (
	objPlain objectKind = iota
	objArray
	objBoolean // wrapper objects: prim
	objNumber
	objBigInt
	objString
	objDate   // num
	objRegExp // s1 source, s2 flags
	objError  // s1 name, s2 message when hasMessage
	objMap    // items: key, value, key, value...
	objSet    // items
	objArrayBuffer
	objTypedArray // view
	objDataView   // view
	objHost       // host
	objTransferredBuffer
	objTransferredHost
)

// object is one serialized object.
type object struct {
	kind       objectKind
	hasMessage bool
	length     uint32 // arrays
	props      []prop // plain objects and arrays: own enumerable string keys in order
	prim       slot   // wrapper objects
	num        float64
	s1, s2     string
	items      []slot
	bytes      []byte // ArrayBuffer contents
	view       view
	host       HostValue
}

// prop is one own property.
type prop struct {
	key   string
	key16 []uint16 // the key as UTF-16 when it holds unpaired surrogates (key is then lossy)
	val   slot
}

// view is an ArrayBuffer view: a typed array or a DataView.
type view struct {
	ctor       int8  // index into typedArrayNames; -1 for DataView
	buffer     int32 // object index of the ArrayBuffer
	byteOffset int64
	length     int64 // elements for typed arrays, bytes for DataView
}

// Size returns roughly how many bytes the record holds: its strings, the
// contents of its ArrayBuffers and a fixed cost per value. Hosts can use
// it to cap message sizes.
func (rec *Record) Size() int64 {
	const perValue = 16
	n := int64(perValue) + slotSize(rec.root)
	for i := range rec.objects {
		ob := &rec.objects[i]
		n += perValue + int64(len(ob.bytes)+len(ob.s1)+len(ob.s2)) + slotSize(ob.prim)
		for _, p := range ob.props {
			n += perValue + int64(len(p.key)+2*len(p.key16)) + slotSize(p.val)
		}
		for _, s := range ob.items {
			n += perValue + slotSize(s)
		}
	}
	for _, u := range rec.utf16 {
		n += int64(2 * len(u))
	}
	for _, b := range rec.bigints {
		n += int64(len(b.Bits()) * 8)
	}
	return n
}

func slotSize(s slot) int64 { return int64(len(s.str)) }
