package server

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/swhost/swhost/clock"
)

// TestClockAPI: GET /v1/clock reads the host's clock; POST moves a manual
// one and is an InvalidStateError on the wall clock.
func TestClockAPI(t *testing.T) {
	f := newFixture(t)
	var got struct {
		Now    *int64 `json:"now"`
		Manual bool   `json:"manual"`
		Error  string `json:"error"`
	}
	if st := f.call(t, "GET", "/v1/clock", "", &got); st != 200 || got.Now == nil || *got.Now <= 0 || got.Manual {
		t.Fatalf("GET on the wall clock: %d %+v", st, got)
	}
	if st := f.call(t, "POST", "/v1/clock", `{"advance": 1000}`, &got); st != 409 || got.Error != "InvalidStateError" {
		t.Fatalf("POST on the wall clock: %d %+v, want 409 InvalidStateError", st, got)
	}

	start := time.UnixMilli(1_900_000_000_000)
	m := clock.NewManual(start)
	srv := New(Options{Registry: f.reg, Agent: f.srv.agent, Clock: m, Admin: AdminOptions{Token: testToken}})
	admin := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Shutdown(); admin.Close() })
	mf := &fixture{srv: srv, admin: admin}

	tests := []struct {
		method, body string
		status       int
		wantNow      int64 // checked when status is 200
		wantErr      string
	}{
		{"GET", "", 200, 1_900_000_000_000, ""},
		{"POST", `{"advance": 60000}`, 200, 1_900_000_060_000, ""},
		{"POST", `{"advance": 0.5}`, 200, 1_900_000_060_000, ""},
		{"POST", `{"set": 1900000100000}`, 200, 1_900_000_100_000, ""},
		{"POST", `{"set": 1000}`, 200, 1_900_000_100_000, ""}, // never backwards
		{"POST", `{"advance": -1}`, 400, 0, "TypeError"},
		{"POST", `{"advance": 1, "set": 2}`, 400, 0, "TypeError"},
		{"POST", `{}`, 400, 0, "TypeError"},
		{"POST", `{"advance": "soon"}`, 400, 0, "TypeError"},
		{"GET", "", 200, 1_900_000_100_000, ""},
	}
	for i, tt := range tests {
		got.Now, got.Error, got.Manual = nil, "", false
		st := mf.call(t, tt.method, "/v1/clock", tt.body, &got)
		if st != tt.status {
			t.Errorf("%d: %s %s: status %d, want %d (%+v)", i, tt.method, tt.body, st, tt.status, got)
			continue
		}
		if tt.status != 200 {
			if got.Error != tt.wantErr {
				t.Errorf("%d: %s: error %q, want %q", i, tt.body, got.Error, tt.wantErr)
			}
			continue
		}
		if got.Now == nil || *got.Now != tt.wantNow {
			t.Errorf("%d: %s %s: now %v, want %d", i, tt.method, tt.body, got.Now, tt.wantNow)
		}
		if tt.method == "GET" && !got.Manual {
			t.Errorf("%d: GET says the manual clock is not manual", i)
		}
	}
}
