package worker

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"sync"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/weberr"
)

// Bindings of js/32_indexeddb.js, js/33_indexeddb_transaction.js and
// js/34_indexeddb_store.js: the engine is package indexeddb; keys,
// connections and cursors cross as handles; transactions and requests
// are Go state (bind_indexeddb_transaction.go). Every request queues an
// operation on its transaction and hands its result back as a task that
// fires the request's event.

// idbState is an instance's IndexedDB state, used on the loop.
type idbState struct {
	hooks   idbHooks
	pending bool     // transactions were created in this task
	created []*idbTx // those transactions
	seq     int64    // the last transaction's creation number
	conns   map[*indexeddb.Connection]*idbConn
	inline  int8 // idbInline's answer: 0 not asked yet, 1 yes, 2 no
	// codec is the engine's host codec, once haveCodec.
	codec     indexeddb.HostCodec
	haveCodec bool
}

// IDBHostCodec stores the host values structured clone makes of Blob and
// File objects inside IndexedDB values; pass it to indexeddb.NewFactory
// for [Options.IndexedDB]. CryptoKeys are not stored (DataCloneError).
var IDBHostCodec = indexeddb.HostCodec{Encode: encodeBlob, Decode: decodeBlob}

func encodeBlob(h structuredclone.HostValue) ([]byte, error) {
	b, ok := h.(blobValue)
	if !ok {
		return nil, weberr.Errorf(weberr.DataCloneError, "a %T cannot be stored in IndexedDB", h)
	}
	out := []byte{0}
	if b.file {
		out[0] = 1
	}
	for _, s := range []string{b.typ, b.name} {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	out = binary.LittleEndian.AppendUint64(out, math.Float64bits(b.lastModified))
	return append(out, b.bytes...), nil
}

var errBadBlob = errors.New("worker: malformed stored Blob")

func decodeBlob(p []byte) (structuredclone.HostValue, error) {
	if len(p) < 1 {
		return nil, errBadBlob
	}
	b := blobValue{file: p[0] == 1}
	p = p[1:]
	var strs [2]string
	for i := range strs {
		n, k := binary.Uvarint(p)
		if k <= 0 || n > uint64(len(p)-k) {
			return nil, errBadBlob
		}
		strs[i] = string(p[k : k+int(n)])
		p = p[k+int(n):]
	}
	if len(p) < 8 {
		return nil, errBadBlob
	}
	b.typ, b.name = strs[0], strs[1]
	b.lastModified = math.Float64frombits(binary.LittleEndian.Uint64(p))
	b.bytes = append([]byte{}, p[8:]...)
	return b, nil
}

// KeyPathProperty gives key paths a Blob's size and type, and a File's
// name and lastModified.
func (b blobValue) KeyPathProperty(name string) (any, bool) {
	switch {
	case name == "size":
		return float64(len(b.bytes)), true
	case name == "type":
		return b.typ, true
	case b.file && name == "name":
		return b.name, true
	case b.file && name == "lastModified":
		return b.lastModified, true
	}
	return nil, false
}

// DescribeHost describes a Blob (size, type) or a File (and its name and
// lastModified) for structuredclone's InspectJSON.
func (b blobValue) DescribeHost() (string, map[string]any) {
	fields := map[string]any{"size": len(b.bytes), "type": b.typ}
	if !b.file {
		return "Blob", fields
	}
	fields["name"] = b.name
	fields["lastModified"] = b.lastModified
	return "File", fields
}

// memoryIDB is the engine of workers without Options.IndexedDB: one per
// process, in memory, so that such workers of an origin still share
// their databases.
var memoryIDB = sync.OnceValue(func() *indexeddb.Factory {
	return indexeddb.NewFactory(indexeddb.NewMemoryBackend(), IDBHostCodec)
})

// idbFactory returns the worker's engine and its origin.
func (in *instance) idbFactory() (*indexeddb.Factory, string) {
	f := in.w.opts.IndexedDB
	if f == nil {
		f = memoryIDB()
	}
	origin := "null"
	if u := in.w.scriptURL(); u != nil {
		origin = u.Origin()
	}
	if origin == "null" {
		in.throw(weberr.New(weberr.SecurityError, "IndexedDB needs an origin"))
	}
	return f, origin
}

// idbTask is host.idbTask(fn): fn runs as a task of its own, after the
// tasks queued before it.
func (in *instance) idbTask(fn sobek.Callable) {
	if fn != nil {
		in.loop.Submit(func() { in.idbCall(fn) })
	}
}

// idbCall calls a callback of the bootstrap and then, after its
// microtasks, the function it returned, if any.
func (in *instance) idbCall(fn sobek.Callable, args ...sobek.Value) {
	r, err := fn(sobek.Undefined(), args...)
	if err != nil {
		in.reportCallbackError(err)
		return
	}
	if fin, ok := sobek.AssertFunction(r); ok {
		if _, err := fin(sobek.Undefined()); err != nil {
			in.reportCallbackError(err)
		}
	}
}

func (in *instance) reportCallbackError(err error) {
	if ex, ok := err.(*sobek.Exception); ok {
		_ = in.reportException(ex.Value())
		return
	}
	in.w.log.Warn("indexeddb callback failed", "err", err)
}

// idbKey is host.idbKey(value): the standard's "convert a value to a
// key", as a handle, or undefined for an invalid key.
func (in *instance) idbKey(v sobek.Value) sobek.Value {
	if k, primitive, ok := primitiveKey(v); primitive {
		if !ok {
			return sobek.Undefined()
		}
		return in.rt.ToValue(k)
	}
	rec, err := in.realm().Serialize(v, nil, structuredclone.Hooks{})
	if err != nil {
		var ce *structuredclone.CloneError
		if errors.As(err, &ce) {
			return sobek.Undefined()
		}
		in.throw(err)
	}
	k := indexeddb.KeyFromValue(rec.Root())
	if !k.Valid() {
		return sobek.Undefined()
	}
	return in.rt.ToValue(k)
}

// primitiveKey converts a number or string, the common keys, to a key
// without a structured clone: primitive reports whether v is one, ok
// whether it is a valid key (NaN is not).
func primitiveKey(v sobek.Value) (k indexeddb.Key, primitive, ok bool) {
	switch {
	case sobek.IsNumber(v):
		n := v.ToFloat()
		return indexeddb.Number(n), true, !math.IsNaN(n)
	case sobek.IsString(v):
		return indexeddb.String(cacheName(v)), true, true
	}
	return indexeddb.Key{}, false, false
}

// idbKeyValue is host.idbKeyValue(key): the key as a JavaScript value.
func (in *instance) idbKeyValue(k indexeddb.Key) sobek.Value { return in.keyValue(k) }

func (in *instance) keyValue(k indexeddb.Key) sobek.Value {
	switch k.Type {
	case indexeddb.KeyNumber:
		return in.rt.ToValue(k.Num)
	case indexeddb.KeyDate:
		d, err := in.rt.New(in.rt.Get("Date"), in.rt.ToValue(k.Num))
		if err != nil {
			in.throw(err)
		}
		return d
	case indexeddb.KeyString:
		return cacheNameValue(in.rt, k.Str)
	case indexeddb.KeyBinary:
		return in.rt.ToValue(in.rt.NewArrayBuffer(append([]byte(nil), k.Bin...)))
	case indexeddb.KeyArray:
		arr := make([]any, len(k.Arr))
		for i, s := range k.Arr {
			arr[i] = in.keyValue(s)
		}
		return in.rt.NewArray(arr...)
	}
	return sobek.Undefined()
}

// idbCmp is host.idbCmp(a, b): compare two key handles.
func (in *instance) idbCmp(a, b indexeddb.Key) int { return indexeddb.Compare(a, b) }

// keyPath converts the bootstrap's key path (null, a string or an array
// of strings) to Go.
func (in *instance) keyPath(v sobek.Value) indexeddb.KeyPath {
	if sobek.IsNull(v) || sobek.IsUndefined(v) {
		return indexeddb.KeyPath{}
	}
	if o, ok := v.(*sobek.Object); ok && o.ClassName() == "Array" {
		names := make([]string, o.Get("length").ToInteger())
		for i := range names {
			names[i] = cacheName(o.Get(strconv.Itoa(i)))
		}
		return indexeddb.ArrayPath(names...)
	}
	return indexeddb.StringPath(cacheName(v))
}

// idbValidKeyPath is host.idbValidKeyPath(keyPath): whether it is a valid
// key path.
func (in *instance) idbValidKeyPath(v sobek.Value) bool { return in.keyPath(v).Valid() }

// keyPathValue converts a key path to the bootstrap's form.
func (in *instance) keyPathValue(p indexeddb.KeyPath) sobek.Value {
	switch p.Kind {
	case indexeddb.PathString:
		return cacheNameValue(in.rt, p.Str)
	case indexeddb.PathArray:
		arr := make([]any, len(p.Array))
		for i, s := range p.Array {
			arr[i] = cacheNameValue(in.rt, s)
		}
		return in.rt.NewArray(arr...)
	}
	return sobek.Null()
}

// schemaValue is a schema as the bootstrap mirrors it: {version, stores:
// [{id, name, keyPath, autoIncrement, indexes: [{id, name, keyPath,
// unique, multiEntry}]}]}.
func (in *instance) schemaValue(s *indexeddb.Schema) sobek.Value {
	rt := in.rt
	stores := make([]any, len(s.Stores))
	for i, st := range s.Stores {
		ixs := make([]any, len(st.Indexes))
		for j, ix := range st.Indexes {
			o := rt.NewObject()
			_ = o.Set("id", ix.ID)
			_ = o.Set("name", cacheNameValue(rt, ix.Name))
			_ = o.Set("keyPath", in.keyPathValue(ix.KeyPath))
			_ = o.Set("unique", ix.Unique)
			_ = o.Set("multiEntry", ix.MultiEntry)
			ixs[j] = o
		}
		o := rt.NewObject()
		_ = o.Set("id", st.ID)
		_ = o.Set("name", cacheNameValue(rt, st.Name))
		_ = o.Set("keyPath", in.keyPathValue(st.KeyPath))
		_ = o.Set("autoIncrement", st.AutoIncrement)
		_ = o.Set("indexes", rt.NewArray(ixs...))
		stores[i] = o
	}
	o := rt.NewObject()
	_ = o.Set("version", float64(s.Version))
	_ = o.Set("stores", rt.NewArray(stores...))
	return o
}

// idbOpen is host.idbOpen(name, version, callbacks): indexedDB.open. The
// callbacks are the open request's: blocked(old, new), upgrade(conn, tx,
// old, schema), done(conn, old, error), and the connection's
// versionchange(old, new) and forceclose() (the user agent closed it and
// its transactions have finished: close is due).
func (in *instance) idbOpen(name sobek.Value, version float64, cbs *sobek.Object) {
	if cbs == nil {
		panic(in.rt.NewTypeError("idbOpen: no callbacks"))
	}
	f, origin := in.idbFactory()
	fn := func(n string) sobek.Callable {
		c, ok := sobek.AssertFunction(cbs.Get(n))
		if !ok {
			panic(in.rt.NewTypeError("idbOpen: no " + n))
		}
		return c
	}
	blocked, upgrade, done, vc, fc := fn("blocked"), fn("upgrade"), fn("done"), fn("versionchange"), fn("forceclose")
	deliver := in.loop.Reserve()
	ev := indexeddb.Events{OnVersionChange: func(old, nv uint64, deleting bool, ack func()) bool {
		ok := in.loop.Submit(func() {
			defer ack()
			newV := sobek.Null()
			if !deleting {
				newV = in.rt.ToValue(float64(nv))
			}
			in.idbCall(vc, in.rt.ToValue(float64(old)), newV)
		})
		return ok
	}, OnForceClose: func() {
		in.loop.Submit(func() {
			if in.idb.conns != nil { // not the worker's own stop
				in.idbCall(fc)
			}
		})
	}}
	f.Open(origin, cacheName(name), uint64(version), ev, indexeddb.OpenCallbacks{
		Blocked: func(old, nv uint64) {
			in.loop.Submit(func() { in.idbCall(blocked, in.rt.ToValue(float64(old)), in.rt.ToValue(float64(nv))) })
		},
		Upgrade: func(conn *indexeddb.Connection, tx *indexeddb.Transaction, old uint64) bool {
			schema := tx.Schema()
			return in.loop.Submit(func() {
				in.idbConnOf(conn)
				in.idbCall(upgrade, in.rt.ToValue(conn), in.rt.ToValue(tx), in.rt.ToValue(float64(old)), in.schemaValue(schema))
			})
		},
		Done: func(conn *indexeddb.Connection, old uint64, err error) {
			if !deliver(func() {
				if err != nil {
					in.idbCall(done, sobek.Null(), in.rt.ToValue(float64(old)), in.exception(err))
					return
				}
				in.idbConnOf(conn)
				in.idbCall(done, in.rt.ToValue(conn), in.rt.ToValue(float64(old)), sobek.Null())
			}) && conn != nil {
				conn.ForceClose() // the worker is gone
			}
		},
	})
}

// idbDeleteDatabase is host.idbDeleteDatabase(name, callbacks):
// indexedDB.deleteDatabase, with callbacks blocked(old, new) and
// done(old, error).
func (in *instance) idbDeleteDatabase(name sobek.Value, cbs *sobek.Object) {
	if cbs == nil {
		panic(in.rt.NewTypeError("idbDeleteDatabase: no callbacks"))
	}
	f, origin := in.idbFactory()
	blocked, _ := sobek.AssertFunction(cbs.Get("blocked"))
	done, _ := sobek.AssertFunction(cbs.Get("done"))
	if blocked == nil || done == nil {
		panic(in.rt.NewTypeError("idbDeleteDatabase: bad callbacks"))
	}
	deliver := in.loop.Reserve()
	f.DeleteDatabase(origin, cacheName(name), indexeddb.OpenCallbacks{
		Blocked: func(old, _ uint64) {
			in.loop.Submit(func() { in.idbCall(blocked, in.rt.ToValue(float64(old)), sobek.Null()) })
		},
		Done: func(_ *indexeddb.Connection, old uint64, err error) {
			deliver(func() {
				e := sobek.Null()
				if err != nil {
					e = in.exception(err)
				}
				in.idbCall(done, in.rt.ToValue(float64(old)), e)
			})
		},
	})
}

// idbDatabases is host.idbDatabases(): indexedDB.databases().
func (in *instance) idbDatabases() sobek.Value {
	f, origin := in.idbFactory()
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		list, err := f.Databases(ctx, origin)
		return func() sobek.Value {
			arr := make([]any, len(list))
			for i, d := range list {
				o := in.rt.NewObject()
				_ = o.Set("name", cacheNameValue(in.rt, d.Name))
				_ = o.Set("version", float64(d.Version))
				arr[i] = o
			}
			return in.rt.NewArray(arr...)
		}, err
	})
}

// idbSchema is host.idbSchema(conn): the connection's schema.
func (in *instance) idbSchema(c *indexeddb.Connection) sobek.Value {
	return in.schemaValue(c.Schema())
}

// idbClose is host.idbClose(conn): IDBDatabase.close().
func (in *instance) idbClose(c *indexeddb.Connection) {
	if cs := in.idb.conns[c]; cs != nil {
		cs.closed = true
		if len(cs.live) == 0 {
			delete(in.idb.conns, c)
		}
	}
	c.Close()
}

// closeIDB force-closes the instance's open connections when it stops.
func (in *instance) closeIDB() {
	for c, cs := range in.idb.conns {
		if !cs.closed {
			c.ForceClose()
		}
	}
	in.idb.conns = nil
}

// idbInline reports whether operations may run on the loop when their
// transaction is idle (the engine's backend reads quickly and never
// waits on a commit).
func (in *instance) idbInline() bool {
	if in.idb.inline == 0 {
		f, _ := in.idbFactory()
		in.idb.inline = 2
		if f.InlineReads() {
			in.idb.inline = 1
		}
	}
	return in.idb.inline == 1
}

// queueOp queues run on tx's engine transaction; its result, converted
// by conv on the loop, is delivered as a task: to req (idbDeliver), or,
// when req is nil, to cb, a callback of the bootstrap's called with
// (result, error).
func (in *instance) queueOp(t *idbTx, req *idbReq, cb sobek.Callable, run func(*indexeddb.Tx) (any, error), conv func(any) sobek.Value) {
	result := func(res any, err error) func() {
		return func() {
			var v, e sobek.Value
			if err != nil {
				e = in.exception(err)
			} else if conv != nil {
				if ex := in.rt.Try(func() { v = conv(res) }); ex != nil {
					v, e = nil, ex.Value()
				}
			}
			if v == nil {
				v = sobek.Undefined()
			}
			if req != nil {
				in.idbDeliver(req, v, e)
				return
			}
			if e == nil {
				e = sobek.Null()
			}
			in.idbCall(cb, v, e)
		}
	}
	if in.idbInline() {
		// Run on the loop when the transaction is idle: the result is
		// still delivered as a task of its own.
		if res, err, ok := t.t.TryRun(run); ok {
			in.loop.Submit(result(res, err))
			return
		}
	}
	deliver := in.loop.Reserve()
	err := t.t.Do(run, func(res any, err error) { deliver(result(res, err)) })
	if err != nil {
		deliver(func() {})
		if req != nil {
			t.unplace()
		}
		in.throw(err)
	}
}

// idbRange reads the bootstrap's range record [lower, upper, lowerOpen,
// upperOpen], whose bounds are key handles or null, or a number or
// string: the range of that one key.
func (in *instance) idbRange(v sobek.Value) indexeddb.Range {
	o, ok := v.(*sobek.Object)
	if !ok {
		k, primitive, ok := primitiveKey(v)
		switch {
		case !primitive:
			return indexeddb.All
		case !ok:
			in.throw(weberr.New(weberr.DataError, "the parameter is not a valid key"))
		}
		return indexeddb.Only(k)
	}
	get := func(i string) sobek.Value {
		if v := o.Get(i); v != nil {
			return v
		}
		return sobek.Undefined()
	}
	var r indexeddb.Range
	if k, ok := exportAs[indexeddb.Key](get("0")); ok {
		r.Lower = &k
	}
	if k, ok := exportAs[indexeddb.Key](get("1")); ok {
		r.Upper = &k
	}
	r.LowerOpen, r.UpperOpen = get("2").ToBoolean(), get("3").ToBoolean()
	return r
}

// optKey reads an optional key: a key handle, or a number (not NaN) or
// string, which the bootstrap passes as they are (a valid key needs no
// handle); anything else is none.
func optKey(v sobek.Value) *indexeddb.Key {
	if v == nil {
		return nil
	}
	if k, primitive, ok := primitiveKey(v); primitive {
		if !ok {
			return nil
		}
		return &k
	}
	if k, ok := exportAs[indexeddb.Key](v); ok {
		return &k
	}
	return nil
}

func txArg(in *instance, a *args) *idbTx { return in.txOf(a.value()) }

func cbArg(in *instance, a *args) sobek.Callable {
	fn, ok := sobek.AssertFunction(a.value())
	if !ok {
		panic(in.rt.NewTypeError("indexeddb: no callback"))
	}
	return fn
}

// storeValue serializes a value to store: structured clone with the
// host's Blob and File.
func (in *instance) storeValue(v sobek.Value) *structuredclone.Record {
	in.loadMessaging()
	rec, err := in.realm().Serialize(v, nil, in.msg.out)
	if err != nil {
		in.throw(err)
	}
	return rec
}

// loadValue deserializes a stored value.
func (in *instance) loadValue(rec *structuredclone.Record) sobek.Value {
	in.loadMessaging()
	v, _, err := in.realm().Deserialize(rec, in.msg.out)
	if err != nil {
		in.throw(err)
	}
	return v
}

// idbPut is host.idbPut(tx, storeId, keyPath, autoIncrement, value, key,
// noOverwrite, expectKey, source): put, add and cursor.update, after the
// bootstrap's checks; it returns the request, which gets the key. The
// value is cloned here, with the transaction inactive (getters may run),
// and its in-line key extracted (DataError when it has none that fits,
// or, for update, when it is not expectKey); the request is placed only
// once that succeeded.
func (in *instance) idbPut(a *args) sobek.Value {
	tx := txArg(in, a)
	storeID := a.value().ToInteger()
	kp := in.keyPath(a.value())
	auto := a.bool()
	value := a.value()
	tx.state = txInactive
	rec := func() *structuredclone.Record {
		defer func() {
			if tx.state == txInactive {
				tx.state = txActive
			}
		}()
		return in.storeValue(value)
	}()
	key := optKey(a.value())
	noOverwrite := a.bool()
	expect := optKey(a.value())
	source := a.value()
	if !kp.IsNone() {
		k, ok := indexeddb.ExtractKey(rec, kp)
		switch {
		case expect != nil && (!ok || !k.Valid() || indexeddb.Compare(k, *expect) != 0):
			in.throw(weberr.New(weberr.DataError, "the value's key (at its key path) is not the cursor's primary key"))
		case ok && !k.Valid():
			in.throw(weberr.New(weberr.DataError, "the value's key (at its key path) is not a valid key"))
		case ok:
			key = &k
		case !auto:
			in.throw(weberr.New(weberr.DataError, "the value has no key at the object store's key path"))
		case !indexeddb.CanInjectKey(rec, kp):
			in.throw(weberr.New(weberr.DataError, "a generated key cannot be set on the value at the object store's key path"))
		}
	}
	req := in.idbPlace(tx, source, nil)
	in.queueOp(tx, req, nil, func(t *indexeddb.Tx) (any, error) {
		return t.Put(storeID, rec, key, noOverwrite)
	}, func(res any) sobek.Value { return in.keyValue(res.(indexeddb.Key)) })
	return req.obj
}

// idbRead is host.idbRead(tx, kind, storeId, indexId, range, count,
// direction, source, wrap): get, getKey, getAll, getAllKeys, getAllRecords
// and count of stores and indexes (index 0: the store itself), the getAll
// kinds in a cursor direction; it returns the request. getAllRecords
// gives the request an array of [key, primaryKey, value] triples, passed
// through wrap (when a function) on delivery.
func (in *instance) idbRead(a *args) sobek.Value {
	tx := txArg(in, a)
	kind := a.string()
	src := indexeddb.Source{Store: a.value().ToInteger(), Index: a.value().ToInteger()}
	r := in.idbRange(a.value())
	count := a.int()
	dir := indexeddb.Next
	if d := a.value(); d != nil && !sobek.IsUndefined(d) {
		for i, name := range cursorDirections {
			if name == d.String() {
				dir = indexeddb.Direction(i)
			}
		}
	}
	req := in.idbPlace(tx, a.value(), nil)
	req.wrap, _ = sobek.AssertFunction(a.value())
	codec := in.idbCodec()
	switch kind {
	case "count":
		in.queueOp(tx, req, nil, func(t *indexeddb.Tx) (any, error) { return t.Count(src, r) },
			func(res any) sobek.Value { return in.rt.ToValue(float64(res.(int64))) })
		return req.obj
	case "get", "getKey":
		count = 1
	}
	values := kind == "get" || kind == "getAll" || kind == "getAllRecords"
	type item struct {
		rec   indexeddb.Record
		value *structuredclone.Record
	}
	in.queueOp(tx, req, nil, func(t *indexeddb.Tx) (any, error) {
		recs, err := t.GetAllDirection(src, r, count, dir, values)
		if err != nil {
			return nil, err
		}
		out := make([]item, len(recs))
		for i, rec := range recs {
			out[i].rec = rec
			if values {
				if out[i].value, err = codec.DecodeValue(rec.Value); err != nil {
					return nil, err
				}
			}
		}
		return out, nil
	}, func(res any) sobek.Value {
		list := res.([]item)
		switch kind {
		case "get":
			if len(list) > 0 {
				return in.loadValue(list[0].value)
			}
			return sobek.Undefined()
		case "getKey":
			if len(list) > 0 {
				return in.keyValue(list[0].rec.PrimaryKey)
			}
			return sobek.Undefined()
		}
		arr := make([]any, len(list))
		for i, it := range list {
			switch kind {
			case "getAll":
				arr[i] = in.loadValue(it.value)
			case "getAllKeys":
				arr[i] = in.keyValue(it.rec.PrimaryKey)
			default:
				key := it.rec.Key
				if src.Index == 0 {
					key = it.rec.PrimaryKey
				}
				arr[i] = in.rt.NewArray(in.keyValue(key), in.keyValue(it.rec.PrimaryKey), in.loadValue(it.value))
			}
		}
		return in.rt.NewArray(arr...)
	})
	return req.obj
}

// idbCodec returns the engine's host codec (looked up once).
func (in *instance) idbCodec() indexeddb.HostCodec {
	if !in.idb.haveCodec {
		f, _ := in.idbFactory()
		in.idb.codec, in.idb.haveCodec = f.Codec(), true
	}
	return in.idb.codec
}

// idbDelete is host.idbDelete(tx, storeId, range, source): the request.
func (in *instance) idbDelete(a *args) sobek.Value {
	tx := txArg(in, a)
	id := a.value().ToInteger()
	r := in.idbRange(a.value())
	req := in.idbPlace(tx, a.value(), nil)
	in.queueOp(tx, req, nil, func(t *indexeddb.Tx) (any, error) { return nil, t.Delete(id, r) }, nil)
	return req.obj
}

// idbClear is host.idbClear(tx, storeId, source): the request.
func (in *instance) idbClear(tv sobek.Value, id int64, source sobek.Value) sobek.Value {
	tx := in.txOf(tv)
	req := in.idbPlace(tx, source, nil)
	in.queueOp(tx, req, nil, func(t *indexeddb.Tx) (any, error) { return nil, t.Clear(id) }, nil)
	return req.obj
}

// cursorDirections are the IDBCursorDirection values, in
// indexeddb.Direction order.
var cursorDirections = []string{"next", "nextunique", "prev", "prevunique"}

// idbOpenCursor is host.idbOpenCursor(storeId, indexId, range, direction,
// keysOnly): a cursor handle, before its first step.
func (in *instance) idbOpenCursor(a *args) sobek.Value {
	c := &indexeddb.CursorState{Source: indexeddb.Source{Store: a.value().ToInteger(), Index: a.value().ToInteger()}}
	c.Range = in.idbRange(a.value())
	dir := a.string()
	for i, d := range cursorDirections {
		if d == dir {
			c.Direction = indexeddb.Direction(i)
		}
	}
	c.KeysOnly = a.bool()
	return in.rt.ToValue(c)
}

// idbCursorStep is host.idbCursorStep(tx, cursorHandle, key, primaryKey,
// count, request, source, cursor): iterate the cursor, on its request, or
// on a new one (request undefined: the cursor's first step) from source
// for cursor, which it returns. The step's result, [key, primaryKey,
// value, keyHandle, primaryKeyHandle], moves the cursor (the bootstrap's
// cursorStep); the request gets the cursor, or null at the end.
func (in *instance) idbCursorStep(a *args) sobek.Value {
	tx := txArg(in, a)
	c, ok := exportAs[*indexeddb.CursorState](a.value())
	if !ok {
		panic(in.rt.NewTypeError("Illegal invocation"))
	}
	key, pk := optKey(a.value()), optKey(a.value())
	count := a.int()
	rv, source := a.value(), a.value()
	cursor, _ := a.value().(*sobek.Object)
	var req *idbReq
	if sobek.IsUndefined(rv) {
		req = in.idbPlace(tx, source, nil)
		req.cursor = cursor
	} else {
		req = in.idbPlace(tx, nil, in.reqOf(rv))
	}
	codec := in.idbCodec()
	type step struct {
		rec   indexeddb.Record
		value *structuredclone.Record
		ok    bool
	}
	in.queueOp(tx, req, nil, func(t *indexeddb.Tx) (any, error) {
		rec, ok, err := t.Step(c, key, pk, count)
		if err != nil || !ok {
			return step{}, err
		}
		s := step{rec: rec, ok: true}
		if rec.Value != nil {
			if s.value, err = codec.DecodeValue(rec.Value); err != nil {
				return nil, err
			}
		}
		return s, nil
	}, func(res any) sobek.Value {
		s := res.(step)
		if !s.ok {
			return sobek.Null()
		}
		v := sobek.Undefined()
		if s.value != nil {
			v = in.loadValue(s.value)
		}
		return in.rt.NewArray(in.keyValue(s.rec.Key), in.keyValue(s.rec.PrimaryKey), v, in.rt.ToValue(s.rec.Key), in.rt.ToValue(s.rec.PrimaryKey))
	})
	return req.obj
}

// idbCreateStore is host.idbCreateStore(tx, name, keyPath, autoIncrement,
// cb): the new store's id; cb gets an error when it fails.
func (in *instance) idbCreateStore(a *args) sobek.Value {
	tx := txArg(in, a)
	name := cacheName(a.value())
	kp := in.keyPath(a.value())
	auto := a.bool()
	cb := cbArg(in, a)
	id := tx.t.NewID()
	in.queueOp(tx, nil, cb, func(t *indexeddb.Tx) (any, error) { return nil, t.CreateStore(id, name, kp, auto) }, nil)
	return in.rt.ToValue(id)
}

// idbCreateIndex is host.idbCreateIndex(tx, storeId, name, keyPath,
// unique, multiEntry, cb): the new index's id.
func (in *instance) idbCreateIndex(a *args) sobek.Value {
	tx := txArg(in, a)
	store := a.value().ToInteger()
	name := cacheName(a.value())
	kp := in.keyPath(a.value())
	unique, multi := a.bool(), a.bool()
	cb := cbArg(in, a)
	id := tx.t.NewID()
	in.queueOp(tx, nil, cb, func(t *indexeddb.Tx) (any, error) { return nil, t.CreateIndex(store, id, name, kp, unique, multi) }, nil)
	return in.rt.ToValue(id)
}

// idbSchemaOp is host.idbSchemaOp(tx, op, storeId, indexId, name, cb):
// deleteStore, deleteIndex, renameStore and renameIndex.
func (in *instance) idbSchemaOp(a *args) sobek.Value {
	tx := txArg(in, a)
	op := a.string()
	store, index := a.value().ToInteger(), a.value().ToInteger()
	name := cacheName(a.value())
	cb := cbArg(in, a)
	in.queueOp(tx, nil, cb, func(t *indexeddb.Tx) (any, error) {
		switch op {
		case "deleteStore":
			return nil, t.DeleteStore(store)
		case "deleteIndex":
			return nil, t.DeleteIndex(store, index)
		case "renameStore":
			return nil, t.RenameStore(store, name)
		case "renameIndex":
			return nil, t.RenameIndex(store, index, name)
		}
		return nil, weberr.New(weberr.TypeError, "unknown schema operation "+op)
	}, nil)
	return sobek.Undefined()
}
