package server

import (
	"slices"
	"testing"
)

// TestOfflineAPI: PUT /v1/offline takes an origin offline and back, GET
// lists the offline origins, and a bad origin is a SyntaxError.
func TestOfflineAPI(t *testing.T) {
	f := newFixture(t)
	var out struct {
		Offline []string `json:"offline"`
	}
	if st := f.call(t, "PUT", "/v1/offline", `{"origin": "https://app.test", "offline": true}`, &out); st != 200 || !slices.Equal(out.Offline, []string{"https://app.test"}) {
		t.Fatalf("PUT offline: %d %v", st, out)
	}
	if st := f.call(t, "GET", "/v1/offline", "", &out); st != 200 || !slices.Equal(out.Offline, []string{"https://app.test"}) {
		t.Errorf("GET offline: %d %v", st, out)
	}
	if st := f.call(t, "PUT", "/v1/offline", `{"origin": "https://app.test", "offline": false}`, &out); st != 200 || len(out.Offline) != 0 {
		t.Errorf("PUT online: %d %v", st, out)
	}
	var e struct {
		Error string `json:"error"`
	}
	if st := f.call(t, "PUT", "/v1/offline", `{"origin": "nope", "offline": true}`, &e); st != 400 || e.Error != "SyntaxError" {
		t.Errorf("bad origin: %d %+v", st, e)
	}
}
