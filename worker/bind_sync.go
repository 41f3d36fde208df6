package worker

import (
	"context"

	"github.com/grafana/sobek"
	"github.com/swhost/swhost/weberr"
)

// Bindings of js/72_sync.js: registration.sync and registration.periodicSync
// over Hooks.Sync.

func (in *instance) syncService() (SyncService, error) {
	if s := in.w.opts.Hooks.Sync; s != nil {
		return s, nil
	}
	return nil, weberr.New(weberr.NotSupportedError, "background sync is not available to this worker")
}

// syncRegister is host.syncRegister(tag): SyncManager.register.
func (in *instance) syncRegister(tag string) sobek.Value {
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		s, err := in.syncService()
		if err != nil {
			return nil, err
		}
		return nil, s.Register(ctx, tag)
	})
}

// periodicSyncRegister is host.periodicSyncRegister(tag, minInterval):
// PeriodicSyncManager.register.
func (in *instance) periodicSyncRegister(tag string, minInterval int64) sobek.Value {
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		s, err := in.syncService()
		if err != nil {
			return nil, err
		}
		return nil, s.RegisterPeriodic(ctx, tag, minInterval)
	})
}

// periodicSyncUnregister is host.periodicSyncUnregister(tag):
// PeriodicSyncManager.unregister.
func (in *instance) periodicSyncUnregister(tag string) sobek.Value {
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		s, err := in.syncService()
		if err != nil {
			return nil, err
		}
		return nil, s.UnregisterPeriodic(ctx, tag)
	})
}

// syncTags is host.syncTags(periodic): getTags of either manager.
func (in *instance) syncTags(periodic bool) sobek.Value {
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		s, err := in.syncService()
		if err != nil {
			return nil, err
		}
		tags, err := s.Tags(ctx, periodic)
		if err != nil {
			return nil, err
		}
		return func() sobek.Value {
			vals := make([]any, len(tags))
			for i, t := range tags {
				vals[i] = t
			}
			return in.rt.NewArray(vals...)
		}, nil
	})
}
