package bridge

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/swhost/swhost/internal/lockedbuf"
)

// TestUndeliverableMessage: a message the bridge cannot deliver gets an
// error frame named like the web exception and a warning in the log, and
// the connection goes on (before, a 9,000-deep value closed it with
// neither).
func TestUndeliverableMessage(t *testing.T) {
	b := newBroker(t, "http://127.0.0.1:1")
	var logs lockedbuf.Buffer
	srv := httptest.NewServer(New(b, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))}))
	defer srv.Close()
	deep := strings.Repeat("[", 9000) + strings.Repeat("]", 9000)
	tests := []struct {
		name     string
		frame    string
		wantName string
		wantMsg  string
	}{
		{"9,000-deep array", `{"data":` + deep + `}`, "DataCloneError", "nested more than 5000 deep"},
		{"9,000-deep object", `{"data":` + strings.Repeat(`{"a":`, 9000) + "1" + strings.Repeat("}", 9000) + `}`, "DataCloneError", "nested more than 5000 deep"},
		{"not JSON", `{"data":`, "SyntaxError", "not a JSON object"},
		{"neither connect nor data", `{"x":1}`, "SyntaxError", "has neither"},
	}
	ws, f := dial(t, srv.URL, "http://127.0.0.1:1", "https://example.com/services/echo", nil)
	if f["accepted"] != true {
		t.Fatalf("connect: %v", f)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := ws.Write(ctx, websocket.MessageText, []byte(tc.frame)); err != nil {
				t.Fatal(err)
			}
			got := readFrame(t, ws)
			e, _ := got["error"].(map[string]any)
			if e["name"] != tc.wantName || !strings.Contains(e["message"].(string), tc.wantMsg) {
				t.Errorf("answer %v, want an error frame %s with %q", got, tc.wantName, tc.wantMsg)
			}
			if l := logs.String(); !strings.Contains(l, "level=WARN") || !strings.Contains(l, "cannot be delivered") || !strings.Contains(l, tc.wantMsg) {
				t.Errorf("log %q lacks a warning with %q", l, tc.wantMsg)
			}
			// The connection is still usable.
			send(t, ws, "after")
			if got := readFrame(t, ws); got["data"] != "after" {
				t.Errorf("echo after the refused message: %v", got)
			}
		})
	}
}
