package worker

import (
	"context"
	"encoding/base64"

	"github.com/grafana/sobek"
	"github.com/swhost/swhost/weberr"
)

// Bindings of js/71_push.js: registration.pushManager over Hooks.Push.

func (in *instance) pushService() (PushService, error) {
	if s := in.w.opts.Hooks.Push; s != nil {
		return s, nil
	}
	return nil, weberr.New(weberr.NotSupportedError, "push messaging is not available to this worker")
}

// pushSubscribe is host.pushSubscribe(userVisibleOnly, key, make):
// PushManager.subscribe; key is null, a string or a Uint8Array copy.
func (in *instance) pushSubscribe(visible bool, keyV sobek.Value, mk sobek.Callable) sobek.Value {
	var key any
	if b := bytesOf(keyV); b != nil {
		key = append([]byte(nil), b...)
	} else if !sobek.IsNull(keyV) && !sobek.IsUndefined(keyV) {
		key = keyV.String()
	}
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		s, err := in.pushService()
		if err != nil {
			return nil, err
		}
		sub, err := s.Subscribe(ctx, visible, key)
		if err != nil {
			return nil, err
		}
		return func() sobek.Value { return in.makeSubscription(mk, &sub) }, nil
	})
}

// pushSubscription is host.pushSubscription(make):
// PushManager.getSubscription.
func (in *instance) pushSubscription(mk sobek.Callable) sobek.Value {
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		s, err := in.pushService()
		if err != nil {
			return nil, err
		}
		sub, ok, err := s.Subscription(ctx)
		if err != nil || !ok {
			return nil, err
		}
		return func() sobek.Value { return in.makeSubscription(mk, &sub) }, nil
	})
}

// pushUnsubscribe is host.pushUnsubscribe(endpoint):
// PushSubscription.unsubscribe.
func (in *instance) pushUnsubscribe(endpoint string) sobek.Value {
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		s, err := in.pushService()
		if err != nil {
			return nil, err
		}
		ok, err := s.Unsubscribe(ctx, endpoint)
		return func() sobek.Value { return in.rt.ToValue(ok) }, err
	})
}

func (in *instance) makeSubscription(mk sobek.Callable, s *PushSubscription) sobek.Value {
	v, err := mk(sobek.Undefined(), in.subscriptionToJS(s))
	if err != nil {
		panic(err)
	}
	return v
}

// subscriptionToJS is the record 71_push.js makes a PushSubscription of:
// {endpoint, expirationTime, userVisibleOnly, key, p256dh, auth}; null
// for nil.
func (in *instance) subscriptionToJS(s *PushSubscription) sobek.Value {
	if s == nil {
		return sobek.Null()
	}
	o := in.rt.NewObject()
	_ = o.Set("endpoint", s.Endpoint)
	if s.ExpirationTime == 0 {
		_ = o.Set("expirationTime", sobek.Null())
	} else {
		_ = o.Set("expirationTime", s.ExpirationTime)
	}
	_ = o.Set("userVisibleOnly", s.UserVisibleOnly)
	if s.ApplicationServerKey == nil {
		_ = o.Set("key", sobek.Null())
	} else {
		_ = o.Set("key", in.uint8Array(s.ApplicationServerKey))
	}
	_ = o.Set("p256dh", in.uint8Array(s.P256DH))
	_ = o.Set("auth", in.uint8Array(s.Auth))
	return o
}

// base64URL is host.base64url(bytes): PushSubscription.toJSON's keys,
// base64url without padding.
func base64URL(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
