package worker

import (
	"context"

	"github.com/grafana/sobek"
	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/weberr"
)

// Bindings of js/73_notifications.js: showNotification, getNotifications
// and Notification.close over Hooks.Notifications.

func (in *instance) notificationService() (NotificationService, error) {
	if s := in.w.opts.Hooks.Notifications; s != nil {
		return s, nil
	}
	return nil, weberr.New(weberr.NotSupportedError, "notifications are not available to this worker")
}

// notificationShow is host.notificationShow(record): showNotification
// after the bootstrap's "create a notification". The data is serialized
// here, on the loop (a DataCloneError throws).
func (in *instance) notificationShow(r *sobek.Object) sobek.Value {
	if r == nil {
		in.throw(weberr.New(weberr.TypeError, "showNotification: no notification"))
	}
	n := Notification{
		Title:              r.Get("title").String(),
		Dir:                r.Get("dir").String(),
		Lang:               r.Get("lang").String(),
		Body:               r.Get("body").String(),
		Navigate:           r.Get("navigate").String(),
		Tag:                r.Get("tag").String(),
		Image:              r.Get("image").String(),
		Icon:               r.Get("icon").String(),
		Badge:              r.Get("badge").String(),
		Timestamp:          r.Get("timestamp").ToInteger(),
		Renotify:           r.Get("renotify").ToBoolean(),
		RequireInteraction: r.Get("requireInteraction").ToBoolean(),
	}
	if s := r.Get("silent"); !sobek.IsNull(s) {
		b := s.ToBoolean()
		n.Silent = &b
	}
	if v, ok := r.Get("vibrate").(*sobek.Object); ok {
		in.rt.ForOf(v, func(x sobek.Value) bool {
			n.Vibrate = append(n.Vibrate, x.ToInteger())
			return true
		})
	}
	if v, ok := r.Get("actions").(*sobek.Object); ok {
		in.rt.ForOf(v, func(x sobek.Value) bool {
			a := x.ToObject(in.rt)
			n.Actions = append(n.Actions, NotificationAction{
				Action: a.Get("action").String(), Title: a.Get("title").String(),
				Icon: a.Get("icon").String(), Navigate: a.Get("navigate").String(),
			})
			return true
		})
	}
	if d := r.Get("data"); !sobek.IsNull(d) {
		b, err := in.storeValue(d).AppendBinary(nil, IDBHostCodec.Encode)
		if err != nil {
			in.throw(err)
		}
		n.Data = b
	}
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		s, err := in.notificationService()
		if err != nil {
			return nil, err
		}
		return nil, s.Show(ctx, n)
	})
}

// notificationList is host.notificationList(tag, make): getNotifications.
func (in *instance) notificationList(tag string, mk sobek.Callable) sobek.Value {
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		s, err := in.notificationService()
		if err != nil {
			return nil, err
		}
		list, err := s.List(ctx, tag)
		if err != nil {
			return nil, err
		}
		return func() sobek.Value {
			out := make([]any, len(list))
			for i := range list {
				v, err := mk(sobek.Undefined(), in.notificationToJS(&list[i]))
				if err != nil {
					panic(err)
				}
				out[i] = v
			}
			return in.rt.NewArray(out...)
		}, nil
	})
}

// notificationClose is host.notificationClose(id): Notification.close(),
// which removes the notification without an event. It waits for the
// service (a store write) on the loop, so that the notification is gone
// when the event that closed it ends.
func (in *instance) notificationClose(id string) {
	s, err := in.notificationService()
	if err != nil {
		return
	}
	if err := s.Close(in.ctx, id); err != nil {
		in.w.log.Warn("notification.close failed", "id", id, "err", err)
	}
}

// notificationToJS is the record 73_notifications.js makes a Notification
// of, its data deserialized in this realm (null when it cannot be).
func (in *instance) notificationToJS(n *Notification) sobek.Value {
	rt := in.rt
	o := rt.NewObject()
	for _, kv := range [...]struct{ k, v string }{
		{"id", n.ID}, {"title", n.Title}, {"dir", n.Dir}, {"lang", n.Lang}, {"body", n.Body},
		{"navigate", n.Navigate}, {"tag", n.Tag}, {"image", n.Image}, {"icon", n.Icon}, {"badge", n.Badge},
	} {
		_ = o.Set(kv.k, kv.v)
	}
	_ = o.Set("timestamp", n.Timestamp)
	_ = o.Set("renotify", n.Renotify)
	_ = o.Set("requireInteraction", n.RequireInteraction)
	if n.Silent == nil {
		_ = o.Set("silent", sobek.Null())
	} else {
		_ = o.Set("silent", *n.Silent)
	}
	vib := make([]any, len(n.Vibrate))
	for i, x := range n.Vibrate {
		vib[i] = x
	}
	_ = o.Set("vibrate", rt.NewArray(vib...))
	acts := make([]any, len(n.Actions))
	for i, a := range n.Actions {
		ao := rt.NewObject()
		_ = ao.Set("action", a.Action)
		_ = ao.Set("title", a.Title)
		_ = ao.Set("icon", a.Icon)
		_ = ao.Set("navigate", a.Navigate)
		acts[i] = ao
	}
	_ = o.Set("actions", rt.NewArray(acts...))
	var data sobek.Value = sobek.Null()
	if len(n.Data) > 0 {
		if rec, err := structuredclone.UnmarshalBinary(n.Data, IDBHostCodec.Decode); err == nil {
			in.loadMessaging()
			if v, _, err := in.realm().Deserialize(rec, in.msg.out); err == nil {
				data = v
			}
		}
	}
	_ = o.Set("data", data)
	return o
}
