package worker

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/internal/trustworthy"
	"github.com/swhost/swhost/weberr"
)

// Bindings of js/80_global_scope.js: the ServiceWorkerGlobalScope's own
// members, timers, base64 and importScripts.

// globalSelf is host.globalSelf(): the self getter. It is native because
// worker scripts read self for nearly everything they do while they
// start, and sobek calls a JavaScript getter through a nested interpreter
// run.
func (in *instance) globalSelf() sobek.Value { return in.rt.GlobalObject() }

// isSecureContext is host.isSecureContext(): whether the script URL is
// potentially trustworthy (package trustworthy).
func (in *instance) isSecureContext() bool { return trustworthy.URLString(in.w.script.url) }

// skipWaiting is host.skipWaiting(): self.skipWaiting() through
// Hooks.SkipWaiting (resolved at once without one).
func (in *instance) skipWaiting() sobek.Value {
	in.w.skipWaiting.Store(true)
	hook := in.w.opts.Hooks.SkipWaiting
	if hook == nil {
		// Nothing to wait for: resolve now, without a round trip
		// through another goroutine.
		p, resolve, _ := in.rt.NewPromise()
		_ = resolve(sobek.Undefined())
		return in.rt.ToValue(p)
	}
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		return nil, hook(ctx)
	})
}

// warnLateListener is host.warnLateListener(type): the console warning
// for a listener of a functional event added after the script's first
// evaluation.
func (in *instance) warnLateListener(typ string) {
	in.w.console("warn", fmt.Sprintf("Event handler of '%s' event must be added on the initial evaluation of worker script.", typ))
}

// handlerAdded is host.handlerAdded(type), called when a listener is
// added to the global scope; the host keeps no record of it.
func (in *instance) handlerAdded(string) {}

// importScript is host.importScript(url): one URL of importScripts, run
// in the global scope.
func (in *instance) importScriptAt(url string) { in.importScript(url) }

// setTimeout is host.setTimeout(callback, ms, ...args).
func (in *instance) setTimeout(a *args) sobek.Value { return in.setTimer(a, false) }

// setInterval is host.setInterval(callback, ms, ...args).
func (in *instance) setInterval(a *args) sobek.Value { return in.setTimer(a, true) }

// clearTimer is host.clearTimer(id): clearTimeout and clearInterval.
func (in *instance) clearTimer(id int64) {
	if tid, ok := in.timers[id]; ok {
		in.loop.ClearTimer(tid)
		delete(in.timers, id)
	}
}

// queueTask is host.queueTask(callback): callback as a task of its own.
func (in *instance) queueTask(fn sobek.Callable) {
	if fn != nil {
		in.loop.SetTimer(0, func() { in.callback(fn) })
	}
}

// setTimer implements setTimeout and setInterval.
func (in *instance) setTimer(a *args, repeat bool) sobek.Value {
	fn, ok := sobek.AssertFunction(a.value())
	if !ok {
		in.throw(weberr.New(weberr.TypeError, "swhost supports only function callbacks in setTimeout/setInterval, not strings"))
	}
	if len(in.timers) >= in.w.limits.MaxTimers {
		in.throw(weberr.Errorf(weberr.QuotaExceeded, "too many timers (the limit is %d)", in.w.limits.MaxTimers))
	}
	ms := a.value().ToFloat()
	if !(ms > 0) {
		ms = 0
	}
	if ms > 1<<31-1 {
		ms = 1<<31 - 1
	}
	d := time.Duration(ms * float64(time.Millisecond))
	var cbArgs []sobek.Value
	if rest := a.rest(); len(rest) > 0 {
		cbArgs = append(cbArgs, rest...)
	}
	in.nextTimer++
	id := in.nextTimer
	var fire func()
	fire = func() {
		if repeat {
			in.timers[id] = in.loop.SetTimer(d, fire)
		} else {
			delete(in.timers, id)
		}
		in.callback(fn, cbArgs...)
	}
	in.timers[id] = in.loop.SetTimer(d, fire)
	return in.rt.ToValue(id)
}

// atobGlobal is host.atob, installed as the global atob(data).
func (in *instance) atobGlobal(a *args) sobek.Value {
	return in.base64Global(a, "atob", atob)
}

// btoaGlobal is host.btoa, installed as the global btoa(data).
func (in *instance) btoaGlobal(a *args) sobek.Value {
	return in.base64Global(a, "btoa", btoa)
}

func (in *instance) base64Global(a *args, name string, f func(string) (string, error)) sobek.Value {
	if len(a.rest()) == 0 {
		in.throw(weberr.Errorf(weberr.TypeError, "Failed to execute '%s': 1 argument required, but only 0 present.", name))
	}
	a.next = 0
	out, err := f(a.string())
	if err != nil {
		in.throw(err)
	}
	return in.rt.ToValue(out)
}

// atob decodes forgiving-base64 as the HTML standard defines it.
func atob(s string) (string, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r' {
			return -1
		}
		return r
	}, s)
	if len(s)%4 == 0 && strings.HasSuffix(s, "==") {
		s = s[:len(s)-2]
	} else if len(s)%4 == 0 && strings.HasSuffix(s, "=") {
		s = s[:len(s)-1]
	}
	bad := weberr.New("InvalidCharacterError", "Failed to execute 'atob': The string to be decoded is not correctly encoded.")
	if len(s)%4 == 1 {
		return "", bad
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
			return "", bad
		}
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		// Non-zero trailing bits are allowed by forgiving-base64.
		b, err = base64.RawStdEncoding.WithPadding(base64.NoPadding).Strict().DecodeString(s)
		if err != nil {
			b, err = lenientDecode(s)
			if err != nil {
				return "", bad
			}
		}
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r), nil
}

// lenientDecode decodes base64 ignoring non-zero trailing bits.
func lenientDecode(s string) ([]byte, error) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var out bytes.Buffer
	var acc, bits uint
	for i := 0; i < len(s); i++ {
		v := strings.IndexByte(alphabet, s[i])
		if v < 0 {
			return nil, fmt.Errorf("bad base64 byte %q", s[i])
		}
		acc = acc<<6 | uint(v)
		bits += 6
		if bits >= 8 {
			bits -= 8
			out.WriteByte(byte(acc >> bits))
			acc &= 1<<bits - 1
		}
	}
	return out.Bytes(), nil
}

// btoa encodes a string of Latin-1 code points as base64.
func btoa(s string) (string, error) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF {
			return "", weberr.New("InvalidCharacterError", "Failed to execute 'btoa': The string to be encoded contains characters outside of the Latin1 range.")
		}
		b = append(b, byte(r))
	}
	return base64.StdEncoding.EncodeToString(b), nil
}
