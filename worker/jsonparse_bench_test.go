package worker

import (
	"testing"

	"github.com/grafana/sobek"
)

// BenchmarkJSONParse parses a 7 KB array of 60 objects (the shape of a
// JSON API answer a worker transforms): Go building the engine values
// (JSON.parse in a worker) against the engine's own parser, in the same
// run.
//
//	go test ./worker -run '^$' -bench JSONParse -benchtime 2000x -count 3 -benchmem
func BenchmarkJSONParse(b *testing.B) {
	rt := sobek.New()
	v, err := rt.RunString(`(() => { const items = []; for (let i = 0; i < 60; i++) items.push({ id: i, name: 'item number ' + i, price: i * 1.25, tags: ['a', 'b', 'c'], active: i % 2 === 0, desc: 'lorem ipsum dolor sit amet' }); return JSON.stringify(items); })()`)
	if err != nil {
		b.Fatal(err)
	}
	text := v.String()
	parse, _ := sobek.AssertFunction(rt.Get("JSON").ToObject(rt).Get("parse"))
	b.Run("native", func(b *testing.B) {
		for b.Loop() {
			if _, err := parseJSON(rt, text); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("engine (peer)", func(b *testing.B) {
		for b.Loop() {
			if _, err := parse(sobek.Undefined(), rt.ToValue(text)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
