package structuredclone

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/grafana/sobek"
	"github.com/swhost/swhost/weberr"
)

// TestBinaryRoundTrip runs testdata/roundtrip.json through MarshalBinary
// and UnmarshalBinary: the rebuilt record deserializes to what the
// original does, and every truncation of the encoding fails cleanly.
func TestBinaryRoundTrip(t *testing.T) {
	data, err := os.ReadFile("testdata/roundtrip.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []roundTripCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	rt, r := newRuntime(t)
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			rec, err := r.Serialize(run(t, rt, tc.Src), nil, Hooks{})
			if err != nil {
				t.Fatalf("Serialize: %v", err)
			}
			b, err := rec.MarshalBinary()
			if err != nil {
				t.Fatalf("MarshalBinary: %v", err)
			}
			var back Record
			if err := back.UnmarshalBinary(b); err != nil {
				t.Fatalf("UnmarshalBinary: %v", err)
			}
			v, _, err := r.Deserialize(&back, Hooks{})
			if err != nil {
				t.Fatalf("Deserialize: %v", err)
			}
			rt.Set("v", v)
			if !tc.Differs {
				rt.Set("w", run(t, rt, tc.Src))
				if diff := run(t, rt, "deepEqual(w, v)").String(); diff != "" {
					t.Errorf("differs after the binary round trip: %s", diff)
				}
			}
			if ok, err := rt.RunString(tc.Check); err != nil || !ok.ToBoolean() {
				t.Errorf("check %s = %v, %v", tc.Check, ok, err)
			}
			for n := range len(b) {
				var cut Record
				if err := cut.UnmarshalBinary(b[:n]); err == nil {
					t.Errorf("UnmarshalBinary of the first %d of %d bytes succeeded", n, len(b))
					break
				}
			}
		})
	}
}

// TestBinaryTransfers: a transferred ArrayBuffer travels with its bytes;
// a host object cannot leave the process.
func TestBinaryTransfers(t *testing.T) {
	rt, r := newRuntime(t)
	buf := run(t, rt, `globalThis.ab = new Uint8Array([1, 2, 3]).buffer; ab`)
	rec, err := r.Serialize(run(t, rt, `({ab})`), []sobek.Value{buf}, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := rec.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back Record
	if err := back.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	v, _, err := r.Deserialize(&back, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	rt.Set("v", v)
	if got := run(t, rt, `Array.from(new Uint8Array(v.ab)).join()`).String(); got != "1,2,3" {
		t.Errorf("transferred buffer = %s", got)
	}
	host := &Record{objects: []object{{kind: objHost}}, root: slot{kind: slotObject}}
	if _, err := host.MarshalBinary(); weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("MarshalBinary of a host object = %v, want a DataCloneError", err)
	}
}
