package structuredclone

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/swhost/swhost/weberr"
)

// The binary form of a record, for storing it (IndexedDB keeps its values
// this way): a version byte, then the record's tables. Numbers are
// little-endian IEEE 754 bits, counts and indexes unsigned varints.
const binaryVersion = 1

// Object field bits of the binary form: which of an object's fields
// follow its kind.
const (
	fMessage = 1 << iota
	fLength
	fProps
	fPrim
	fNum
	fS1
	fS2
	fItems
	fBytes
	fView
	fHost
)

// ErrBadBinary is returned by [UnmarshalBinary] for data that is not a
// record's binary form.
var ErrBadBinary = errors.New("structuredclone: malformed binary record")

// AppendBinary appends the binary form of rec to b. Host values are
// written by encodeHost, whose bytes [UnmarshalBinary]'s decodeHost reads
// back; a nil encodeHost, or one returning an error, fails records that
// hold host values. A record with transferred objects cannot be stored
// and fails with a DataCloneError.
func (rec *Record) AppendBinary(b []byte, encodeHost func(HostValue) ([]byte, error)) ([]byte, error) {
	if len(rec.transfers) > 0 {
		return nil, weberr.New(weberr.DataCloneError, "a value with transferred objects cannot be stored")
	}
	b = append(b, binaryVersion)
	b = appendSlot(b, rec.root)
	b = binary.AppendUvarint(b, uint64(len(rec.bigints)))
	for _, n := range rec.bigints {
		txt, _ := n.MarshalText()
		b = appendBytes(b, txt)
	}
	b = binary.AppendUvarint(b, uint64(len(rec.utf16)))
	for _, u := range rec.utf16 {
		b = binary.AppendUvarint(b, uint64(len(u)))
		for _, c := range u {
			b = binary.LittleEndian.AppendUint16(b, c)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(rec.objects)))
	for i := range rec.objects {
		ob := &rec.objects[i]
		if ob.kind == objTransferredBuffer || ob.kind == objTransferredHost {
			return nil, weberr.New(weberr.DataCloneError, "a value with transferred objects cannot be stored")
		}
		var f uint64
		if ob.hasMessage {
			f |= fMessage
		}
		if ob.length != 0 {
			f |= fLength
		}
		if len(ob.props) > 0 {
			f |= fProps
		}
		if ob.prim.kind != slotUndefined {
			f |= fPrim
		}
		if ob.num != 0 || math.Signbit(ob.num) {
			f |= fNum
		}
		if ob.s1 != "" {
			f |= fS1
		}
		if ob.s2 != "" {
			f |= fS2
		}
		if len(ob.items) > 0 {
			f |= fItems
		}
		if ob.bytes != nil {
			f |= fBytes
		}
		if ob.kind == objTypedArray || ob.kind == objDataView {
			f |= fView
		}
		if ob.kind == objHost {
			f |= fHost
		}
		b = append(b, byte(ob.kind))
		b = binary.AppendUvarint(b, f)
		if f&fLength != 0 {
			b = binary.AppendUvarint(b, uint64(ob.length))
		}
		if f&fProps != 0 {
			b = binary.AppendUvarint(b, uint64(len(ob.props)))
			for _, p := range ob.props {
				b = appendBytes(b, []byte(p.key))
				b = binary.AppendUvarint(b, uint64(len(p.key16)))
				for _, c := range p.key16 {
					b = binary.LittleEndian.AppendUint16(b, c)
				}
				b = appendSlot(b, p.val)
			}
		}
		if f&fPrim != 0 {
			b = appendSlot(b, ob.prim)
		}
		if f&fNum != 0 {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(ob.num))
		}
		if f&fS1 != 0 {
			b = appendBytes(b, []byte(ob.s1))
		}
		if f&fS2 != 0 {
			b = appendBytes(b, []byte(ob.s2))
		}
		if f&fItems != 0 {
			b = binary.AppendUvarint(b, uint64(len(ob.items)))
			for _, s := range ob.items {
				b = appendSlot(b, s)
			}
		}
		if f&fBytes != 0 {
			b = appendBytes(b, ob.bytes)
		}
		if f&fView != 0 {
			b = append(b, byte(ob.view.ctor))
			b = binary.AppendUvarint(b, uint64(ob.view.buffer))
			b = binary.AppendVarint(b, ob.view.byteOffset)
			b = binary.AppendVarint(b, ob.view.length)
		}
		if f&fHost != 0 {
			if encodeHost == nil {
				return nil, weberr.New(weberr.DataCloneError, fmt.Sprintf("a host object (%T) cannot be stored", ob.host))
			}
			hb, err := encodeHost(ob.host)
			if err != nil {
				return nil, err
			}
			b = appendBytes(b, hb)
		}
	}
	return b, nil
}

func appendBytes(b, p []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(p)))
	return append(b, p...)
}

func appendSlot(b []byte, s slot) []byte {
	b = append(b, byte(s.kind))
	switch s.kind {
	case slotNumber:
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.num))
	case slotString:
		b = appendBytes(b, []byte(s.str))
	case slotBigInt, slotUTF16, slotObject:
		b = binary.AppendUvarint(b, uint64(s.ref))
	}
	return b
}

// binReader reads the binary form; the first error sticks.
type binReader struct {
	b   []byte
	err error
}

func (r *binReader) fail() {
	if r.err == nil {
		r.err = ErrBadBinary
	}
	r.b = nil
}

func (r *binReader) byte() byte {
	if len(r.b) < 1 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *binReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *binReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a count of items each at least min bytes long, refusing
// counts the remaining data cannot hold.
func (r *binReader) count(min int) int {
	n := r.uvarint()
	if n > uint64(len(r.b)/max(min, 1)) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *binReader) u64() uint64 {
	if len(r.b) < 8 {
		r.fail()
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *binReader) bytes() []byte {
	n := r.count(1)
	p := r.b[:n:n]
	r.b = r.b[n:]
	return p
}

func (r *binReader) units() []uint16 {
	n := r.count(2)
	if n == 0 {
		return nil
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(r.b[2*i:])
	}
	r.b = r.b[2*n:]
	return u
}

func (r *binReader) slot(limits [3]int) slot {
	s := slot{kind: slotKind(r.byte())}
	switch s.kind {
	case slotUndefined, slotNull, slotFalse, slotTrue:
	case slotNumber:
		s.num = math.Float64frombits(r.u64())
	case slotString:
		s.str = string(r.bytes())
	case slotBigInt, slotUTF16, slotObject:
		ref := r.uvarint()
		lim := limits[0]
		if s.kind == slotUTF16 {
			lim = limits[1]
		} else if s.kind == slotObject {
			lim = limits[2]
		}
		if ref >= uint64(lim) {
			r.fail()
		}
		s.ref = int32(ref)
	default:
		r.fail()
	}
	return s
}

// UnmarshalBinary reads a record written by [Record.AppendBinary]. Host
// values are made by decodeHost from the bytes encodeHost wrote. The
// record does not share memory with data.
func UnmarshalBinary(data []byte, decodeHost func([]byte) (HostValue, error)) (*Record, error) {
	r := &binReader{b: append([]byte(nil), data...)}
	if r.byte() != binaryVersion {
		return nil, ErrBadBinary
	}
	// The root refers to tables read after it: read it once their sizes
	// are known.
	rootAt := r.b
	_ = r.slot([3]int{math.MaxInt32, math.MaxInt32, math.MaxInt32})
	rec := &Record{}
	rec.bigints = make([]*big.Int, r.count(1))
	for i := range rec.bigints {
		n := new(big.Int)
		if err := n.UnmarshalText(r.bytes()); err != nil {
			r.fail()
		}
		rec.bigints[i] = n
	}
	rec.utf16 = make([][]uint16, r.count(1))
	for i := range rec.utf16 {
		rec.utf16[i] = r.units()
	}
	rec.objects = make([]object, r.count(2))
	lim := [3]int{len(rec.bigints), len(rec.utf16), len(rec.objects)}
	for i := range rec.objects {
		if r.err != nil {
			break
		}
		ob := &rec.objects[i]
		ob.kind = objectKind(r.byte())
		if ob.kind > objHost {
			r.fail()
		}
		f := r.uvarint()
		// A view's fields and a host value come with their kinds only.
		if (f&fView != 0) != (ob.kind == objTypedArray || ob.kind == objDataView) || (f&fHost != 0) != (ob.kind == objHost) {
			r.fail()
		}
		ob.hasMessage = f&fMessage != 0
		if f&fLength != 0 {
			l := r.uvarint()
			if l > math.MaxUint32 {
				r.fail()
			}
			ob.length = uint32(l)
		}
		if f&fProps != 0 {
			ob.props = make([]prop, r.count(3))
			for j := range ob.props {
				p := &ob.props[j]
				p.key = string(r.bytes())
				p.key16 = r.units()
				p.val = r.slot(lim)
			}
		}
		if f&fPrim != 0 {
			ob.prim = r.slot(lim)
		}
		if f&fNum != 0 {
			ob.num = math.Float64frombits(r.u64())
		}
		if f&fS1 != 0 {
			ob.s1 = string(r.bytes())
		}
		if f&fS2 != 0 {
			ob.s2 = string(r.bytes())
		}
		if f&fItems != 0 {
			ob.items = make([]slot, r.count(1))
			for j := range ob.items {
				ob.items[j] = r.slot(lim)
			}
		}
		if f&fBytes != 0 {
			ob.bytes = append([]byte{}, r.bytes()...)
		}
		if f&fView != 0 {
			ob.view.ctor = int8(r.byte())
			buf := r.uvarint()
			ob.view.byteOffset = r.varint()
			ob.view.length = r.varint()
			if buf >= uint64(len(rec.objects)) || ob.view.ctor < -1 || int(ob.view.ctor) >= len(typedArrayNames) {
				r.fail()
			}
			ob.view.buffer = int32(buf)
		}
		if f&fHost != 0 {
			hb := r.bytes()
			if r.err == nil {
				if decodeHost == nil {
					return nil, fmt.Errorf("%w: a host value and no decoder", ErrBadBinary)
				}
				hv, err := decodeHost(hb)
				if err != nil {
					return nil, err
				}
				ob.host = hv
			}
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	// Views must view ArrayBuffers.
	for i := range rec.objects {
		ob := &rec.objects[i]
		if (ob.kind == objTypedArray || ob.kind == objDataView) && rec.objects[ob.view.buffer].kind != objArrayBuffer {
			return nil, ErrBadBinary
		}
	}
	rr := &binReader{b: rootAt}
	rec.root = rr.slot(lim)
	if rr.err != nil {
		return nil, rr.err
	}
	return rec, nil
}
