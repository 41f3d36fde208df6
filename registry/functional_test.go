package registry

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"testing"

	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

func TestApplicationServerKey(t *testing.T) {
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub := k.PublicKey().Bytes()
	tests := []struct {
		name string
		key  any
		want string // exception name, "" for none
	}{
		{"bytes", pub, ""},
		{"base64url", base64.RawURLEncoding.EncodeToString(pub), ""},
		{"base64url with padding", base64.URLEncoding.EncodeToString(pub), ""},
		{"none", nil, weberr.NotSupportedError},
		{"standard base64 characters", "+/" + base64.RawURLEncoding.EncodeToString(pub)[2:], weberr.InvalidCharacterError},
		{"compressed point", append([]byte{2}, pub[1:33]...), weberr.InvalidAccessError},
		{"off the curve", append([]byte{4}, make([]byte, 64)...), weberr.InvalidAccessError},
		{"empty", []byte{}, weberr.InvalidAccessError},
		{"a number", 7, weberr.TypeError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ApplicationServerKey(tt.key)
			if name := weberr.NameOf(err); name != tt.want {
				t.Fatalf("err = %v, want %s", err, tt.want)
			}
			if err == nil && string(got) != string(pub) {
				t.Errorf("key = %x", got)
			}
		})
	}
}

func TestFunctionalStateLimitsAndLifetime(t *testing.T) {
	e := newEnv(t)
	e.r.opts.MaxBackgroundEntries = 2
	e.app.set("/sw.js", `self.addEventListener('fetch', () => {});`)
	reg := e.mustRegister("https://app.test/sw.js", "/")
	ctx := context.Background()

	// Notifications: a tag replaces in place; past the cap the oldest goes.
	ns := reg.Notifications()
	for _, n := range []worker.Notification{{Title: "a", Tag: "t"}, {Title: "b"}, {Title: "a2", Tag: "t"}, {Title: "c"}} {
		if err := ns.Show(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	list, err := ns.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, n := range list {
		titles = append(titles, n.Title)
	}
	if len(titles) != 2 || titles[0] != "b" || titles[1] != "c" {
		t.Errorf("notifications = %v; want [b c] (a2 replaced a in place, then c pushed the oldest out)", titles)
	}
	if got, _ := ns.List(ctx, "t"); len(got) != 0 {
		t.Errorf("tag filter = %v", got)
	}
	if _, err := ns.Find(ctx, "nope"); weberr.NameOf(err) != weberr.NotFoundError {
		t.Errorf("Find: %v", err)
	}

	// Sync tags: a registered tag counts once; past the cap, QuotaExceededError.
	e.r.opts.Environment.Online = func(*Registration) bool { return false } // keep them pending
	s := reg.Sync()
	for _, tag := range []string{"x", "x", "y"} {
		if err := s.Register(ctx, tag); err != nil {
			t.Fatalf("register %s: %v", tag, err)
		}
	}
	if err := s.Register(ctx, "z"); weberr.NameOf(err) != weberr.QuotaExceeded {
		t.Errorf("third tag: %v, want QuotaExceededError", err)
	}
	if tags, _ := s.Tags(ctx, false); len(tags) != 2 {
		t.Errorf("tags = %v", tags)
	}
	if err := s.RegisterPeriodic(ctx, "news", 3600_000); err != nil {
		t.Fatal(err)
	}
	if tags, _ := s.Tags(ctx, true); len(tags) != 1 || tags[0] != "news" {
		t.Errorf("periodic tags = %v", tags)
	}

	// Push: the RFC 8291 example decrypts with its user-agent key.
	rfcUA, _ := base64.RawURLEncoding.DecodeString("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94")
	ua, err := ecdh.P256().NewPrivateKey(rfcUA)
	if err != nil {
		t.Fatal(err)
	}
	auth, _ := base64.RawURLEncoding.DecodeString("BTBZMqHH6r4Tts7J_aSIgg")
	body, _ := base64.RawURLEncoding.DecodeString("DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN")
	if err := e.r.putJSON(ctx, feKey(reg.id, "push"), pushRecord{Endpoint: DefaultPushEndpoint + "abc", UserVisibleOnly: true, P256DH: ua.PublicKey().Bytes(), Auth: auth, Private: rfcUA}); err != nil {
		t.Fatal(err)
	}
	got, data, err := e.r.PushMessage(ctx, "abc", body, "aes128gcm")
	if err != nil || got != reg || string(data) != "When I grow up, I want to be a watermelon" {
		t.Errorf("PushMessage = %v, %q, %v", got, data, err)
	}
	if _, data, err := e.r.PushMessage(ctx, "abc", []byte("plain"), ""); err != nil || string(data) != "plain" {
		t.Errorf("unencrypted: %q %v", data, err)
	}
	if _, _, err := e.r.PushMessage(ctx, "abc", body[:50], "aes128gcm"); weberr.NameOf(err) != weberr.TypeError {
		t.Errorf("truncated: %v", err)
	}
	if _, _, err := e.r.PushMessage(ctx, "abc", body, "aesgcm"); weberr.NameOf(err) != weberr.TypeError {
		t.Errorf("old encoding: %v", err)
	}
	if _, _, err := e.r.PushMessage(ctx, "zzz", body, "aes128gcm"); weberr.NameOf(err) != weberr.NotFoundError {
		t.Errorf("unknown subscription: %v", err)
	}

	// The state survives a restart, and goes with the registration.
	e.close()
	e.open()
	reg = e.r.Registration(reg.id)
	if list, _ := reg.Notifications().List(ctx, ""); len(list) != 2 {
		t.Errorf("notifications after a restart: %d", len(list))
	}
	if tags, _ := reg.Sync().Tags(ctx, false); len(tags) != 2 {
		t.Errorf("tags after a restart: %v", tags)
	}
	if err := e.r.Unregister(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if tags, _ := reg.Sync().Tags(ctx, false); len(tags) != 0 {
		t.Errorf("tags after unregister: %v", tags)
	}
	if _, ok, _ := reg.Push().Subscription(ctx); ok {
		t.Error("the push subscription outlived its registration")
	}
}
