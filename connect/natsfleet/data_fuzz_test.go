package natsfleet

import (
	"testing"

	"github.com/swhost/swhost/broadcast"
	"github.com/swhost/swhost/message"
)

// FuzzDecodeFrame: a frame from another node decodes or fails, never
// panics; what decodes encodes to the same bytes (one encoding per
// frame).
func FuzzDecodeFrame(f *testing.F) {
	rec, err := connectRecord(map[string]any{"a": []any{1.0, "b"}})
	if err != nil {
		f.Fatal(err)
	}
	var msgs []message.Message
	for _, d := range []any{nil, message.Undefined{}, true, false, 1.5, "s", rec} {
		msgs = append(msgs, message.Message{Data: d})
	}
	b, err := encodeFrame("id", 7, msgs, true)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte{0, 1, 'x', 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := decodeFrame(b)
		if err != nil {
			return
		}
		msgs := make([]message.Message, len(fr.data))
		for i, d := range fr.data {
			msgs[i] = message.Message{Data: d}
		}
		again, err := encodeFrame(fr.ch, fr.seq, msgs, fr.close)
		if err != nil {
			t.Fatalf("a decoded frame does not encode: %v", err)
		}
		fr2, err := decodeFrame(again)
		if err != nil || fr2.ch != fr.ch || fr2.seq != fr.seq || fr2.close != fr.close || len(fr2.data) != len(fr.data) {
			t.Fatalf("re-encoded frame %x decodes to %+v (%v), want %+v", again, fr2, err, fr)
		}
	})
}

// FuzzDecodeBroadcast: a BroadcastChannel message from another node
// decodes or fails, never panics; what decodes encodes to bytes that
// decode to the same message.
func FuzzDecodeBroadcast(f *testing.F) {
	for _, d := range []any{nil, message.Undefined{}, true, 1.5, "héllo", map[string]any{"k": []any{"v", 2.0}}} {
		b, err := encodeBroadcast("n1", broadcast.Message{Origin: "https://a.test", Name: "ch", Data: message.Message{Data: d}}, nil)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		node, m, err := decodeBroadcast(b, nil)
		if err != nil {
			return
		}
		again, err := encodeBroadcast(node, m, nil)
		if err != nil {
			t.Fatalf("a decoded message does not encode: %v", err)
		}
		node2, m2, err := decodeBroadcast(again, nil)
		if err != nil || node2 != node || m2.Origin != m.Origin || m2.Name != m.Name {
			t.Fatalf("re-encoded message decodes to %q %+v (%v)", node2, m2, err)
		}
		if _, ok := m.Data.Data.(string); ok && m2.Data.Data != m.Data.Data {
			t.Fatalf("string data %q became %q", m.Data.Data, m2.Data.Data)
		}
	})
}
