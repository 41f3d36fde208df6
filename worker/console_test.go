package worker

import (
	"log/slog"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/swhost/swhost/fetch"
)

// TestConsoleCapped: a console message is cut to Limits.MaxConsoleBytes
// with a marker saying how much was left out, whatever produced it (a
// string, a structure, a format string, an uncaught exception), and small
// messages are formatted as before.
func TestConsoleCapped(t *testing.T) {
	const limit = 1000
	tests := []struct {
		name  string
		stmt  string // run in a fetch listener
		want  string // the whole message, when not empty
		check func(t *testing.T, msg string)
	}{
		{name: "small message unchanged", stmt: `console.log('a', 1, {b: [1, 'x'], c: new Map([[1, 2]])}, [1, , 3])`,
			want: `a 1 { b: [ 1, "x" ], c: Map(1) { 1 => 2 } } [ 1, , 3 ]`},
		{name: "format string unchanged", stmt: `console.log('%s=%d %o %%', 'n', '42', {a: 'b'}, 'rest')`, want: `n=42 { a: "b" } % rest`},
		{name: "count and dir", stmt: `console.count('c'); console.count('c'); console.dir('%s')`, want: `%s`},
		{name: "long ASCII string", stmt: `console.log('x'.repeat(1e6))`,
			want: strings.Repeat("x", limit) + "… [truncated 999000 characters]"},
		{name: "long string then another argument", stmt: `console.log('x'.repeat(1e6), 'tail')`,
			want: strings.Repeat("x", limit) + "… [truncated 999005 characters]"},
		{name: "two-byte characters cut by bytes", stmt: `console.log('é'.repeat(1e5))`,
			want: strings.Repeat("é", limit/2) + "… [truncated 99500 characters]"},
		{name: "surrogate pairs kept whole", stmt: `console.log('😀'.repeat(1e5))`,
			want: strings.Repeat("😀", limit/4) + "… [truncated 199500 characters]"},
		{name: "long format string", stmt: `console.log('%s!' + 'z'.repeat(1e6), 'a')`,
			want: "a!" + strings.Repeat("z", limit-2) + "… [truncated 999002 characters]"},
		{name: "huge array", stmt: `console.log(new Array(1e5).fill('y'.repeat(1000)))`, check: func(t *testing.T, msg string) {
			if !strings.HasPrefix(msg, `[ "yyy`) || !strings.HasSuffix(msg, "… [truncated]") || len(msg) > limit+len("… [truncated]") {
				t.Errorf("message of %d bytes: %.60q…%q", len(msg), msg, msg[max(0, len(msg)-40):])
			}
		}},
		{name: "object with many keys", stmt: `const o = {}; for (let i = 0; i < 1e4; i++) o['k' + i] = [i, {v: 'value ' + i}]; console.log('%o', o)`,
			check: func(t *testing.T, msg string) {
				if !strings.HasPrefix(msg, `{ k0: [ 0, [Object] ], k1:`) || !strings.HasSuffix(msg, "… [truncated]") || len(msg) > limit+len("… [truncated]") {
					t.Errorf("message of %d bytes: %.60q…%q", len(msg), msg, msg[max(0, len(msg)-40):])
				}
			}},
		{name: "uncaught exception", stmt: `throw new Error('w'.repeat(1e5))`, check: func(t *testing.T, msg string) {
			if !strings.HasPrefix(msg, "Uncaught Error: www") || !strings.HasSuffix(msg, " characters]") || len(msg) > limit+len("… [truncated 1000000 characters]") {
				t.Errorf("message of %d bytes: %.60q…%q", len(msg), msg, msg[max(0, len(msg)-40):])
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var msgs []string
			w := newTestWorker(t, `addEventListener('fetch', e => { e.respondWith(new Response('ok')); `+tt.stmt+` });`, Options{
				Limits:  Limits{MaxConsoleBytes: limit},
				Console: func(level, msg string) { mu.Lock(); msgs = append(msgs, msg); mu.Unlock() },
				Logger:  slog.New(slog.DiscardHandler),
			})
			if _, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{}); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(msgs) == 0 {
				t.Fatal("no console message")
			}
			msg := msgs[len(msgs)-1]
			if !utf8.ValidString(msg) {
				t.Errorf("message is not valid UTF-8")
			}
			if tt.want != "" && msg != tt.want {
				t.Errorf("message of %d bytes:\n%.120q…%q\nwant %d bytes:\n%.120q…%q", len(msg), msg, msg[max(0, len(msg)-40):], len(tt.want), tt.want, tt.want[max(0, len(tt.want)-40):])
			}
			if tt.check != nil {
				tt.check(t, msg)
			}
		})
	}
}

func TestCapConsole(t *testing.T) {
	tests := []struct {
		msg     string
		max     int
		omitted int
		want    string
	}{
		{"short", 10, 0, "short"},
		{"exactly10!", 10, 0, "exactly10!"},
		{"eleven char", 10, 0, "eleven cha… [truncated 1 characters]"},
		{"abcdé", 5, 0, "abcd… [truncated 1 characters]"},
		{"ab😀", 5, 0, "ab… [truncated 2 characters]"},
		{"short", 10, 7, "short… [truncated 7 characters]"},
		{"short", 10, -1, "short… [truncated]"},
		{"eleven char", 10, -1, "eleven cha… [truncated]"},
	}
	for _, tt := range tests {
		if got := capConsole(tt.msg, tt.max, tt.omitted); got != tt.want {
			t.Errorf("capConsole(%q, %d, %d) = %q, want %q", tt.msg, tt.max, tt.omitted, got, tt.want)
		}
	}
}

// TestConsoleMethods checks the Console standard's methods beyond log:
// groups indent, counters and timers, and their warnings.
func TestConsoleMethods(t *testing.T) {
	tests := []struct {
		name string
		stmt string
		want []string // level: message, every line
	}{
		{"groups indent", `console.group('outer'); console.log('a'); console.groupCollapsed(); console.warn('b\nc'); console.groupEnd(); console.log('d'); console.groupEnd(); console.groupEnd(); console.log('e')`,
			[]string{"log: outer", "log:   a", "log:   console.group", "warn:     b\n    c", "log:   d", "log: e"}},
		{"clear empties the group stack", `console.group('g'); console.clear(); console.log('x')`, []string{"log: g", "log: x"}},
		{"count and countReset", `console.count(); console.count('a'); console.count(); console.countReset(); console.count(); console.countReset('nope')`,
			[]string{"info: default: 1", "info: a: 1", "info: default: 2", "info: default: 1", "warn: Count for 'nope' does not exist"}},
		{"timer warnings", `console.time('t'); console.time('t'); console.timeEnd('u'); console.timeLog('u')`,
			[]string{"warn: Timer 't' already exists", "warn: Timer 'u' does not exist", "warn: Timer 'u' does not exist"}},
		{"assert", `console.assert(true, 'no'); console.assert(false, 'yes', 1); console.assert(0)`,
			[]string{"error: Assertion failed: yes 1", "error: Assertion failed"}},
		{"table", `console.table([{a: 1, b: 'x'}, {a: 2}]); console.table({r: 5}); console.table([{a: 1, b: 2}], ['b']); console.table(7)`,
			[]string{"log: ┌─────────┬───┬─────┐\n│ (index) │ a │  b  │\n├─────────┼───┼─────┤\n│    0    │ 1 │ \"x\" │\n│    1    │ 2 │     │\n└─────────┴───┴─────┘",
				"log: ┌─────────┬────────┐\n│ (index) │ Values │\n├─────────┼────────┤\n│    r    │   5    │\n└─────────┴────────┘",
				"log: ┌─────────┬───┐\n│ (index) │ b │\n├─────────┼───┤\n│    0    │ 2 │\n└─────────┴───┘",
				"log: 7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var got []string
			w := newTestWorker(t, `addEventListener('fetch', e => { e.respondWith(new Response('ok')); `+tt.stmt+` });`, Options{
				Console: func(level, msg string) { mu.Lock(); got = append(got, level+": "+msg); mu.Unlock() },
			})
			if _, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{}); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("console:\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}
