package broadcast

import (
	"slices"
	"testing"

	"github.com/swhost/swhost/message"
)

type relayFunc func(Message)

func (f relayFunc) Publish(m Message) { f(m) }

func TestBus(t *testing.T) {
	b := New()
	var got []string
	listen := func(who, origin, name string) *Sub {
		return b.Subscribe(origin, name, func(m Message) { got = append(got, who+"<"+m.Data.Data.(string)) })
	}
	a1 := listen("a1", "https://a.test", "c")
	a2 := listen("a2", "https://a.test", "c")
	a3 := listen("a3", "https://a.test", "c")
	listen("other-name", "https://a.test", "d")
	listen("other-origin", "https://b.test", "c")
	n1 := listen("null1", "null", "c")
	listen("null2", "null", "c")
	var relayed []Message
	b.SetRelay(relayFunc(func(m Message) { relayed = append(relayed, m) }))

	for _, tt := range []struct {
		name string
		run  func()
		want []string
	}{
		{"to the others, oldest first", func() { a2.Post(message.Message{Data: "x"}) }, []string{"a1<x", "a3<x"}},
		{"opaque origins reach nobody", func() { n1.Post(message.Message{Data: "n"}) }, nil},
		{"closed: neither sends nor receives", func() {
			a1.Close()
			a1.Close()
			a1.Post(message.Message{Data: "y"})
			a3.Post(message.Message{Data: "z"})
		}, []string{"a2<z"}},
		{"from another node", func() { b.Deliver(Message{Origin: "https://b.test", Name: "c", Data: message.Message{Data: "r"}}) }, []string{"other-origin<r"}},
	} {
		got = nil
		tt.run()
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	if len(relayed) != 2 || relayed[0].Origin != "https://a.test" || relayed[0].Name != "c" || relayed[1].Data.Data != "z" {
		t.Errorf("relayed: %+v", relayed)
	}
	if a1.Open() || !a2.Open() {
		t.Errorf("Open: a1 %v a2 %v", a1.Open(), a2.Open())
	}
	if n := b.Channels(); n != 4 {
		t.Errorf("Channels = %d, want 4 (opaque channels are not on the bus)", n)
	}
}
