package e2e

import (
	"io"
	"net/http"
	"testing"
)

// TestServeSurvivesHostileScripts runs a worker that feeds detached
// buffers, Proxies and throwing getters to the host's APIs under
// "swhost serve" (the registry path, not worker run). Each request gets
// the script's own result or the exception it caught, and the server goes
// on serving: before host functions were guarded and read detached views
// safely, GET /encodeInto ended the process (a panic in sobek).
func TestServeSurvivesHostileScripts(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "")
	app.put("/sw.js", resource{ctype: "text/javascript", body: `
const detach = (b) => { structuredClone(b, { transfer: [b] }); return b; };
const cases = {
  '/encodeInto': () => { const v = new Uint8Array(new ArrayBuffer(10)); detach(v.buffer); return new TextEncoder().encodeInto('hello', v); },
  '/encodeIntoProxy': () => new TextEncoder().encodeInto('a', new Proxy(new Uint8Array(4), {})),
  '/decode': () => { const b = new ArrayBuffer(4), dv = new DataView(b, 1); detach(b); return new TextDecoder().decode(dv); },
  '/clone': () => { const v = new Uint8Array(4); detach(v.buffer); return structuredClone(v); },
  '/body': () => { const v = new Uint8Array([1]); detach(v.buffer); return new Response(v).status; },
  '/getter': () => new Response({ toString() { throw new RangeError('hostile getter'); } }),
  '/revoked': () => { const p = Proxy.revocable({}, {}); p.revoke(); return new Headers(p.proxy); },
  '/alive': () => 'alive',
};
addEventListener('fetch', (e) => {
  const f = cases[new URL(e.request.url).pathname];
  if (!f) return;
  let out;
  try { out = JSON.stringify({ value: f() }); } catch (err) { out = JSON.stringify({ threw: err.name }); }
  e.respondWith(new Response(out));
});`})
	h := newHost(t, app)
	h.register("/sw.js")
	p := startServe(t, h)
	get := func(path string) string {
		req, _ := http.NewRequest("GET", "http://"+p.edge+path, nil)
		req.Host = "app.test"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v (the server is down?)\nstderr:\n%s", path, err, p.stderr)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	tests := []struct{ path, want string }{
		{"/encodeInto", `{"value":{"read":0,"written":0}}`},
		{"/encodeIntoProxy", `{"threw":"TypeError"}`},
		{"/decode", `{"value":""}`},
		{"/clone", `{"threw":"DataCloneError"}`},
		{"/body", `{"value":200}`},
		{"/getter", `{"threw":"RangeError"}`},
		{"/revoked", `{"threw":"TypeError"}`},
	}
	for range 2 { // twice: the same runtime survives each case
		for _, tt := range tests {
			if got := get(tt.path); got != tt.want {
				t.Errorf("GET %s = %s, want %s", tt.path, got, tt.want)
			}
			if got := get("/alive"); got != `{"value":"alive"}` {
				t.Fatalf("after %s: GET /alive = %s\nstderr:\n%s", tt.path, got, p.stderr)
			}
		}
	}
	resp, err := http.Get("http://" + p.admin + "/healthz")
	if err != nil {
		t.Fatalf("admin healthz: %v", err)
	}
	resp.Body.Close()
	if p.cmd.ProcessState != nil {
		t.Fatalf("serve exited: %v", p.cmd.ProcessState)
	}
}
