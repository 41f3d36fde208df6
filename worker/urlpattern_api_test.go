package worker

import (
	"encoding/json"
	"os"
	"testing"
)

// TestURLPatternStringInputs runs the web-platform-tests URLPattern
// entries whose input is one string (the form a router passes, which
// test() and exec() hand to Go without converting in JavaScript) through
// the JavaScript API: test() must say whether the WPT expects a match,
// and exec() must give the expected input and groups of every
// component. A lone surrogate in the input reaches the pattern as U+FFFD
// (USVString conversion), as through the generic path.
func TestURLPatternStringInputs(t *testing.T) {
	data, err := os.ReadFile("../urlpattern/testdata/wpt/urlpatterntestdata.json")
	if err != nil {
		t.Fatal(err)
	}
	var all []map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		t.Fatal(err)
	}
	var cases []map[string]json.RawMessage
	for _, e := range all {
		var inputs []any
		json.Unmarshal(e["inputs"], &inputs)
		if len(inputs) != 1 || string(e["expected_match"]) == `"error"` || string(e["expected_obj"]) == `"error"` {
			continue
		}
		if _, ok := inputs[0].(string); ok {
			cases = append(cases, e)
		}
	}
	if len(cases) < 50 {
		t.Fatalf("only %d string-input entries in the WPT data", len(cases))
	}
	casesJSON, _ := json.Marshal(cases)
	w := newTestWorker(t, `
const CASES = `+string(casesJSON)+`;
const parts = ['protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash'];
addEventListener('fetch', (e) => {
  const bad = [];
  for (const c of CASES) {
    let p;
    try { p = new URLPattern(...c.pattern); } catch (err) { continue; }
    const input = c.inputs[0];
    const want = c.expected_match;
    if (p.test(input) !== (want !== null)) { bad.push('test ' + JSON.stringify(c.pattern) + ' ' + input); continue; }
    const got = p.exec(input);
    if ((got === null) !== (want === null)) { bad.push('exec ' + JSON.stringify(c.pattern) + ' ' + input); continue; }
    if (want === null) continue;
    for (const k of parts) {
      if (want[k] === undefined) continue;
      const g = JSON.stringify({ input: got[k].input, groups: got[k].groups }, (_, v) => v === undefined ? null : v); // the WPT writes undefined as null
      const w = JSON.stringify({ input: want[k].input, groups: want[k].groups });
      if (g !== w) bad.push(k + ' of ' + JSON.stringify(c.pattern) + ' ' + input + ': ' + g + ' want ' + w);
    }
  }
  const lone = new URLPattern({ pathname: '/:x' }).exec('https://app.test/\uD800');
  if (lone === null || lone.pathname.groups.x !== '%EF%BF%BD') bad.push('lone surrogate: ' + JSON.stringify(lone && lone.pathname));
  if (!new URLPattern({ pathname: '/a' }).test('/a', 'https://app.test')) bad.push('string input with a base URL');
  e.respondWith(new Response(bad.length + ' failed\n' + bad.join('\n')));
});`, Options{})
	if got := fetchBody(t, w, "https://app.test/"); got != "0 failed\n" {
		t.Error(got)
	}
}
