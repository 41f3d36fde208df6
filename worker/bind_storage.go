package worker

import (
	"context"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/weberr"
)

// Bindings of js/74_storage.js: navigator.storage (StorageManager, the
// Storage standard). The origin's storage is its Cache Storage and its
// IndexedDB databases, which share one quota (package quota).

// maxSafeInteger is the quota estimate() reports when there is none.
const maxSafeInteger = 1<<53 - 1

// storageOrigin returns the worker's origin, or an error for an opaque
// one, which has no storage shelf (a TypeError, as the standard says).
func (in *instance) storageOrigin(what string) (string, error) {
	origin := "null"
	if u := in.w.scriptURL(); u != nil {
		origin = u.Origin()
	}
	if origin == "null" {
		return "", weberr.Errorf(weberr.TypeError, "navigator.storage.%s(): an opaque origin has no storage", what)
	}
	return origin, nil
}

// storagePersisted is host.storagePersisted(): persisted() resolves to
// false, in a later task. The origin's storage is "best-effort": nothing
// can make it "persistent" (persist() is not exposed in workers).
func (in *instance) storagePersisted() sobek.Value {
	_, err := in.storageOrigin("persisted")
	return in.promise(func(context.Context) (func() sobek.Value, error) {
		return func() sobek.Value { return in.rt.ToValue(false) }, err
	})
}

// storageEstimate is host.storageEstimate(): estimate()'s figures, as a
// promise of [usage, quota, cache bytes, IndexedDB bytes]. Usage is the
// origin's caches (from the worker's Cache Storage backend) plus its
// IndexedDB databases (from the engine's backend): two running figures,
// never a scan. The quota is the smaller of the two APIs' quotas (the
// same figure when the registry configures them), 2^53-1 when neither
// has one. A failure to read them rejects with a TypeError.
func (in *instance) storageEstimate() sobek.Value {
	origin, err := in.storageOrigin("estimate")
	if err != nil {
		return in.promise(func(context.Context) (func() sobek.Value, error) { return nil, err })
	}
	cs, cerr := in.w.cacheStorage()
	f := in.w.opts.IndexedDB
	if f == nil {
		f = memoryIDB()
	}
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		if cerr != nil {
			return nil, weberr.Errorf(weberr.TypeError, "navigator.storage.estimate(): %v", cerr)
		}
		cu, err := cs.Usage(ctx)
		if err != nil {
			return nil, weberr.Errorf(weberr.TypeError, "navigator.storage.estimate(): %v", err)
		}
		iu, err := f.Usage(ctx, origin)
		if err != nil {
			return nil, weberr.Errorf(weberr.TypeError, "navigator.storage.estimate(): %v", err)
		}
		quota := int64(maxSafeInteger)
		for _, q := range []int64{cs.Quota(), f.Quota()} {
			if q > 0 {
				quota = min(quota, q)
			}
		}
		return func() sobek.Value {
			return in.rt.NewArray(cu.Bytes+iu.IndexedDB, quota, cu.Bytes, iu.IndexedDB)
		}, nil
	})
}
