package natsfleet

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/message"
)

// The encoding of a message's data, shared by port frames and
// BroadcastChannel messages: a kind byte, then, for a number, its 8
// bytes (little endian); for a string, its length (uvarint) and bytes;
// for a record, what the caller's record function writes.
const (
	kindNull byte = iota
	kindUndefined
	kindFalse
	kindTrue
	kindNumber
	kindString
	kindRecord
)

// appendData appends d (a value of message.Message's Data) to b; a
// structured value is made a record and passed to record, with b ending
// in its kind byte.
func appendData(b []byte, d any, record func(b []byte, rec *structuredclone.Record) ([]byte, error)) ([]byte, error) {
	switch d := d.(type) {
	case nil:
		return append(b, kindNull), nil
	case message.Undefined:
		return append(b, kindUndefined), nil
	case bool:
		if d {
			return append(b, kindTrue), nil
		}
		return append(b, kindFalse), nil
	case float64:
		b = append(b, kindNumber)
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(d)), nil
	case string:
		b = append(b, kindString)
		b = binary.AppendUvarint(b, uint64(len(d)))
		return append(b, d...), nil
	}
	rec, err := structuredclone.FromGo(d)
	if err != nil {
		return nil, err
	}
	return record(append(b, kindRecord), rec)
}

// errData is a value appendData did not write.
var errData = errors.New("natsfleet: corrupt message data")

// readData reads a value appendData wrote at the start of b and returns
// it with what follows it; record reads a record's bytes (b after its
// kind byte) the same way.
func readData(b []byte, record func(b []byte) (any, []byte, error)) (any, []byte, error) {
	if len(b) < 1 {
		return nil, nil, errData
	}
	kind := b[0]
	b = b[1:]
	switch kind {
	case kindNull:
		return nil, b, nil
	case kindUndefined:
		return message.Undefined{}, b, nil
	case kindFalse, kindTrue:
		return kind == kindTrue, b, nil
	case kindNumber:
		if len(b) < 8 {
			return nil, nil, errData
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(b)), b[8:], nil
	case kindString:
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, nil, errData
		}
		return string(b[k : k+int(n)]), b[k+int(n):], nil
	case kindRecord:
		return record(b)
	}
	return nil, nil, errData
}
