package structuredclone

import (
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/grafana/sobek"
)

// MaxDepth is how deeply objects may nest in a serialized value; deeper
// values fail with a DataCloneError instead of exhausting the stack.
const MaxDepth = 5000

// Serialize is the HTML standard's StructuredSerializeWithTransfer on a
// value of rt: it returns a runtime-independent [Record] of v, moving the
// objects of transfer (ArrayBuffers, and host objects through hooks) into
// it. Errors are DataCloneErrors ([CloneError]) for values that cannot be
// cloned or transferred, or the *sobek.Exception a script getter threw.
//
// Serialize makes a new [Realm] for every call, which captures again the
// intrinsics the value needs; code that serializes more than once per
// runtime should keep a Realm and use [Realm.Serialize]. It must run on
// rt's goroutine.
func Serialize(rt *sobek.Runtime, v sobek.Value, transfer []sobek.Value, hooks Hooks) (*Record, error) {
	r, err := NewRealm(rt)
	if err != nil {
		return nil, err
	}
	return r.Serialize(v, transfer, hooks)
}

// Serialize is [Serialize] with r's intrinsics.
func (r *Realm) Serialize(v sobek.Value, transfer []sobek.Value, hooks Hooks) (rec *Record, err error) {
	defer func() {
		if x := recover(); x != nil {
			ex, ok := x.(*sobek.Exception)
			if !ok {
				panic(x) // an interrupt or a bug: not ours to swallow
			}
			rec, err = nil, ex
		}
	}()
	s := serializer{r: r, hooks: &hooks, rec: &Record{}}
	if _, isObj := v.(*sobek.Object); isObj || len(transfer) > 0 {
		s.rec.objects = make([]object, 0, 4)
	}
	s.memKeys = s.memArr[:0]
	pending, err := s.prepareTransfer(transfer)
	if err != nil {
		return nil, err
	}
	root, err := s.value(v)
	if err != nil {
		return nil, err
	}
	s.rec.root = root
	if err := s.transfer(pending); err != nil {
		return nil, err
	}
	return s.rec, nil
}

// serializer is one run of StructuredSerializeInternal.
type serializer struct {
	r     *Realm
	hooks *Hooks
	rec   *Record
	depth int
	// memory maps objects already serialized to their index; small
	// values use the slice, larger ones the map.
	memKeys []*sobek.Object
	memMap  map[*sobek.Object]int32
	memArr  [8]*sobek.Object
}

// pendingTransfer is a transfer-list entry waiting to be moved.
type pendingTransfer struct {
	obj *sobek.Object
	idx int32
	buf *sobek.ArrayBuffer // nil for a host object
}

func (s *serializer) lookup(o *sobek.Object) (int32, bool) {
	if s.memMap != nil {
		i, ok := s.memMap[o]
		return i, ok
	}
	for i, k := range s.memKeys {
		if k == o {
			return int32(i), true
		}
	}
	return 0, false
}

// add reserves the next object index for o.
func (s *serializer) add(o *sobek.Object, kind objectKind) int32 {
	idx := int32(len(s.rec.objects))
	s.rec.objects = append(s.rec.objects, object{kind: kind})
	switch {
	case s.memMap != nil:
		s.memMap[o] = idx
	case len(s.memKeys) < 16:
		s.memKeys = append(s.memKeys, o)
	default:
		s.memMap = make(map[*sobek.Object]int32, 32)
		for i, k := range s.memKeys {
			s.memMap[k] = int32(i)
		}
		s.memMap[o] = idx
		s.memKeys = nil
	}
	return idx
}

// prepareTransfer checks the transfer list and reserves an object for each
// entry (steps 1-2 of StructuredSerializeWithTransfer).
func (s *serializer) prepareTransfer(transfer []sobek.Value) ([]pendingTransfer, error) {
	var pending []pendingTransfer
	for i, t := range transfer {
		o, ok := t.(*sobek.Object)
		if !ok {
			return nil, cloneErr(fmt.Sprintf("transfer list item %d (%s) is not transferable", i, describe(t)))
		}
		if _, dup := s.lookup(o); dup {
			return nil, cloneErr(fmt.Sprintf("transfer list item %d appears twice", i))
		}
		if o.ExportType() == typeArrayBuffer {
			ab, _ := o.Export().(sobek.ArrayBuffer)
			pending = append(pending, pendingTransfer{obj: o, idx: s.add(o, objTransferredBuffer), buf: &ab})
			continue
		}
		if s.hooks.CanTransfer == nil {
			return nil, cloneErr(fmt.Sprintf("transfer list item %d (%s) is not transferable", i, describe(o)))
		}
		if err := s.hooks.CanTransfer(o); err != nil {
			return nil, fmt.Errorf("transfer list item %d: %w", i, err)
		}
		pending = append(pending, pendingTransfer{obj: o, idx: s.add(o, objTransferredHost)})
	}
	return pending, nil
}

// transfer moves the transfer list's objects into the record (steps 4-5):
// checks first, then host objects, then ArrayBuffers, which cannot fail.
func (s *serializer) transfer(pending []pendingTransfer) error {
	for i, p := range pending {
		if p.buf != nil && p.buf.Detached() {
			return cloneErr(fmt.Sprintf("transfer list item %d is a detached ArrayBuffer", i))
		}
	}
	for i, p := range pending {
		if p.buf != nil {
			continue
		}
		if s.hooks.Transfer == nil {
			return cloneErr(fmt.Sprintf("transfer list item %d (%s) is not transferable", i, describe(p.obj)))
		}
		hv, err := s.hooks.Transfer(p.obj)
		if err != nil {
			return fmt.Errorf("transfer list item %d: %w", i, err)
		}
		s.rec.objects[p.idx].host = hv
	}
	for _, p := range pending {
		s.rec.transfers = append(s.rec.transfers, p.idx)
		if p.buf != nil {
			s.rec.objects[p.idx].bytes = p.buf.Bytes()
			p.buf.Detach()
		}
	}
	return nil
}

// value serializes one value.
func (s *serializer) value(v sobek.Value) (slot, error) {
	switch x := v.(type) {
	case nil:
		return slot{kind: slotUndefined}, nil
	case *sobek.Object:
		return s.object(x)
	case *sobek.Symbol:
		return slot{}, cloneErr("a Symbol")
	case sobek.String:
		return s.str(x), nil
	}
	switch {
	case sobek.IsUndefined(v):
		return slot{kind: slotUndefined}, nil
	case sobek.IsNull(v):
		return slot{kind: slotNull}, nil
	case sobek.IsNumber(v):
		return slot{kind: slotNumber, num: v.ToFloat()}, nil
	case sobek.IsBigInt(v):
		b, _ := v.Export().(*big.Int) // Export returns a copy
		if b == nil {
			return slot{}, cloneErr(describe(v))
		}
		s.rec.bigints = append(s.rec.bigints, b)
		return slot{kind: slotBigInt, ref: int32(len(s.rec.bigints) - 1)}, nil
	}
	if v.ExportType() != nil && v.ExportType().Kind() == reflect.Bool {
		if v.ToBoolean() {
			return slot{kind: slotTrue}, nil
		}
		return slot{kind: slotFalse}, nil
	}
	return slot{}, cloneErr(describe(v))
}

// str serializes a string exactly: as Go text when it converts without
// loss, as UTF-16 code units when it holds unpaired surrogates.
func (s *serializer) str(x sobek.String) slot {
	gs := x.String()
	if !strings.ContainsRune(gs, utf8RuneError) {
		return slot{kind: slotString, str: gs}
	}
	n := x.Length()
	units := make([]uint16, n)
	lone := false
	for i := range n {
		units[i] = x.CharAt(i)
	}
	for i := 0; i < n; i++ {
		c := units[i]
		switch {
		case utf16.IsSurrogate(rune(c)) && c < 0xDC00 && i+1 < n && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF:
			i++ // a pair
		case utf16.IsSurrogate(rune(c)):
			lone = true
		}
	}
	if !lone {
		// Rebuild the text from the code units: sobek may hand back a Go
		// string it imported as is, invalid UTF-8 included.
		return slot{kind: slotString, str: string(utf16.Decode(units))}
	}
	s.rec.utf16 = append(s.rec.utf16, units)
	return slot{kind: slotUTF16, ref: int32(len(s.rec.utf16) - 1)}
}

const utf8RuneError = '\uFFFD'

// object serializes an object, or refers to it when already serialized.
func (s *serializer) object(o *sobek.Object) (slot, error) {
	if idx, ok := s.lookup(o); ok {
		return slot{kind: slotObject, ref: idx}, nil
	}
	if s.depth >= MaxDepth {
		return slot{}, cloneErr(fmt.Sprintf("a value nested more than %d deep", MaxDepth))
	}
	s.depth++
	defer func() { s.depth-- }()

	typ, class := o.ExportType(), o.ClassName()
	switch {
	case class == "Array":
		return s.props(o, objArray)
	case class == "Object" && typ == typePlainExport:
		return s.ordinary(o)
	case class == "Boolean":
		return s.wrapper(o, objBoolean, &s.r.booleanValueOf)
	case class == "Number":
		return s.wrapper(o, objNumber, &s.r.numberValueOf)
	case class == "String":
		return s.wrapper(o, objString, &s.r.stringValueOf)
	case class == "Object" && typ == typeBigInt:
		return s.wrapper(o, objBigInt, &s.r.bigintOf)
	case class == "Object" && typ == typeString:
		return slot{}, cloneErr("a Symbol object") // a Symbol wrapper exports as string
	case class == "Date" && typ == typeTime:
		if err := s.r.need(groupDate); err != nil {
			return slot{}, err
		}
		t, err := s.r.dateGetTime(o)
		if err != nil {
			return s.other(o)
		}
		idx := s.add(o, objDate)
		s.rec.objects[idx].num = t.ToFloat()
		return slot{kind: slotObject, ref: idx}, nil
	case class == "RegExp":
		return s.regexp(o)
	case typ == typeArrayBuffer:
		ab, _ := o.Export().(sobek.ArrayBuffer)
		if ab.Detached() {
			return slot{}, cloneErr("a detached ArrayBuffer")
		}
		idx := s.add(o, objArrayBuffer)
		s.rec.objects[idx].bytes = slices.Clone(ab.Bytes())
		if s.rec.objects[idx].bytes == nil {
			s.rec.objects[idx].bytes = []byte{}
		}
		return slot{kind: slotObject, ref: idx}, nil
	case class == "Object" && typ == typeMapExport:
		return s.collection(o, objMap, groupMap, &s.r.mapForEach)
	case class == "Object" && typ == typeSliceExport:
		return s.collection(o, objSet, groupSet, &s.r.setForEach)
	case class == "Object" && typ != nil && typ.Kind() == reflect.Slice:
		if sl, ok, err := s.typedArray(o); ok || err != nil {
			return sl, err
		}
	case class == "Error":
		return s.error(o)
	}
	return s.other(o)
}

// ordinary handles objects that look ordinary to Go: plain objects, but
// also DataViews, WeakMaps, iterators and host objects, told apart by their
// prototype chain, brand checks and the host hook.
func (s *serializer) ordinary(o *sobek.Object) (slot, error) {
	if o == s.r.rt.GlobalObject() {
		return slot{}, cloneErr("the global object")
	}
	forbidden := ""
	if p := o.Prototype(); p != nil && p != s.r.objectProto {
		if err := s.r.need(groupForbidden); err != nil {
			return slot{}, err
		}
	}
	for p, n := o.Prototype(), 0; p != nil && p != s.r.objectProto && n < 64; p, n = p.Prototype(), n+1 {
		name, ok := s.r.forbidden[p]
		if !ok {
			continue
		}
		if name == "DataView" {
			if sl, ok, err := s.dataView(o); ok || err != nil {
				return sl, err
			}
			continue // an ordinary object inheriting from DataView.prototype
		}
		forbidden = name
		break
	}
	if sl, ok, err := s.host(o); ok || err != nil {
		return sl, err
	}
	if forbidden != "" {
		return slot{}, cloneErr("a " + forbidden)
	}
	return s.props(o, objPlain)
}

// other handles what is neither ordinary nor a known built-in: host
// objects, functions, proxies, promises and Go values wrapped by sobek.
func (s *serializer) other(o *sobek.Object) (slot, error) {
	if sl, ok, err := s.host(o); ok || err != nil {
		return sl, err
	}
	if _, ok := sobek.AssertFunction(o); ok {
		return slot{}, cloneErr("a function")
	}
	switch typ := o.ExportType(); {
	case typ == typeProxy:
		return slot{}, cloneErr("a Proxy")
	case typ == typePromise:
		return slot{}, cloneErr("a Promise")
	case o.ClassName() == "Arguments":
		return slot{}, cloneErr("an arguments object")
	default:
		return slot{}, cloneErr(fmt.Sprintf("a host object (%s, Go type %v)", o.ClassName(), typ))
	}
}

// host asks the host hook about o.
func (s *serializer) host(o *sobek.Object) (slot, bool, error) {
	if s.hooks.SerializeHost == nil {
		return slot{}, false, nil
	}
	hv, ok, err := s.hooks.SerializeHost(o)
	if err != nil || !ok {
		return slot{}, ok, err
	}
	idx := s.add(o, objHost)
	s.rec.objects[idx].host = hv
	return slot{kind: slotObject, ref: idx}, true, nil
}

// props serializes an ordinary object or an array: its own enumerable
// string-keyed properties, in order.
func (s *serializer) props(o *sobek.Object, kind objectKind) (slot, error) {
	idx := s.add(o, kind)
	var length uint32
	if kind == objArray {
		length = uint32(o.Get("length").ToInteger())
	}
	keys := o.Keys()
	for _, k := range keys {
		if strings.ContainsRune(k, utf8RuneError) {
			// sobek's Go API turns unpaired surrogates in keys into
			// U+FFFD: read this object's keys as JavaScript strings.
			return s.exactProps(o, idx, length)
		}
	}
	props := make([]prop, 0, len(keys))
	for _, k := range keys {
		v := o.Get(k)
		if v == nil || sobek.IsUndefined(v) {
			// A getter may have deleted it: keep only own properties.
			if err := s.r.need(groupCore); err != nil {
				return slot{}, err
			}
			if own, err := s.r.hasOwn(o, s.r.rt.ToValue(k)); err != nil || !own.ToBoolean() {
				continue
			}
		}
		sv, err := s.value(v)
		if err != nil {
			return slot{}, atKey(err, k)
		}
		props = append(props, prop{key: k, val: sv})
	}
	ob := &s.rec.objects[idx]
	ob.props, ob.length = props, length
	return slot{kind: slotObject, ref: idx}, nil
}

// exactProps is props for objects with keys sobek's Go API cannot
// represent: keys and values are read through script helpers.
func (s *serializer) exactProps(o *sobek.Object, idx int32, length uint32) (slot, error) {
	if err := s.r.need(groupCore); err != nil {
		return slot{}, err
	}
	kv, err := s.r.ownKeys(sobek.Undefined(), o)
	if err != nil {
		return slot{}, err
	}
	ka, _ := kv.(*sobek.Object)
	if ka == nil {
		return slot{}, cloneErr("an object whose keys cannot be read")
	}
	n := int(ka.Get("length").ToInteger())
	props := make([]prop, 0, n)
	for i := range n {
		kval := ka.Get(indexKey(i))
		ks, ok := kval.(sobek.String)
		if !ok {
			continue
		}
		v, err := s.r.getProp(sobek.Undefined(), o, kval)
		if err != nil {
			return slot{}, err
		}
		if sobek.IsUndefined(v) {
			if own, err := s.r.hasOwn(o, kval); err != nil || !own.ToBoolean() {
				continue
			}
		}
		p := prop{key: ks.String()}
		if ksl := s.str(ks); ksl.kind == slotUTF16 {
			p.key16 = s.rec.utf16[ksl.ref]
		}
		sv, err := s.value(v)
		if err != nil {
			return slot{}, atKey(err, p.key)
		}
		p.val = sv
		props = append(props, p)
	}
	ob := &s.rec.objects[idx]
	ob.props, ob.length = props, length
	return slot{kind: slotObject, ref: idx}, nil
}

// wrapper serializes a Boolean, Number, String or BigInt object.
func (s *serializer) wrapper(o *sobek.Object, kind objectKind, valueOf *sobek.Callable) (slot, error) {
	if err := s.r.need(groupWrappers); err != nil {
		return slot{}, err
	}
	pv, err := (*valueOf)(o)
	if err != nil {
		return s.other(o) // not really a wrapper: a Go value sobek wraps
	}
	prim, err := s.value(pv)
	if err != nil {
		return slot{}, err
	}
	idx := s.add(o, kind)
	s.rec.objects[idx].prim = prim
	return slot{kind: slotObject, ref: idx}, nil
}

func (s *serializer) regexp(o *sobek.Object) (slot, error) {
	if err := s.r.need(groupRegExp); err != nil {
		return slot{}, err
	}
	src, err := s.r.regexpSource(o)
	if err != nil {
		return s.other(o)
	}
	var flags []byte
	for i, g := range s.r.regexpFlagGetters {
		on, err := g(o)
		if err != nil {
			return slot{}, err
		}
		if on.ToBoolean() {
			flags = append(flags, s.r.regexpFlagLetters[i])
		}
	}
	idx := s.add(o, objRegExp)
	ob := &s.rec.objects[idx]
	ob.s1, ob.s2 = src.String(), string(flags)
	return slot{kind: slotObject, ref: idx}, nil
}

// collection serializes a Map (items key, value, ...) or a Set: the
// entries are copied first, then serialized, as the standard says.
func (s *serializer) collection(o *sobek.Object, kind objectKind, g group, forEach *sobek.Callable) (slot, error) {
	if err := s.r.need(g); err != nil {
		return slot{}, err
	}
	idx := s.add(o, kind)
	s.r.collected = s.r.collected[:0]
	if _, err := (*forEach)(o, s.r.collect); err != nil {
		return slot{}, err
	}
	copied := slices.Clone(s.r.collected)
	clear(s.r.collected)
	step := 1
	if kind == objSet {
		step = 2 // Set's forEach passes (value, value): keep one
	}
	items := make([]slot, 0, len(copied)/step)
	for i := 0; i < len(copied); i += step {
		sv, err := s.value(copied[i])
		if err != nil {
			return slot{}, atKey(err, fmt.Sprintf("<entry %d>", i/2))
		}
		items = append(items, sv)
	}
	s.rec.objects[idx].items = items
	return slot{kind: slotObject, ref: idx}, nil
}

func (s *serializer) error(o *sobek.Object) (slot, error) {
	name := "Error"
	if nv, ok := o.Get("name").(sobek.String); ok {
		if n := nv.String(); slices.Contains(errorNames[:], n) {
			name = n
		}
	}
	ob := object{kind: objError, s1: name}
	if err := s.r.need(groupErrors); err != nil {
		return slot{}, err
	}
	md, err := s.r.errorMessage(sobek.Undefined(), o)
	if err != nil {
		return slot{}, err
	}
	if arr, ok := md.(*sobek.Object); ok {
		// ToString: exact for strings, String() (which may call script
		// code, as ToString does) for anything else.
		ob.hasMessage = true
		if msg, ok := arr.Get("0").(sobek.String); ok {
			ob.prim = s.str(msg)
		} else {
			ob.prim = slot{kind: slotString, str: arr.Get("0").String()}
		}
	}
	idx := s.add(o, objError)
	s.rec.objects[idx] = ob
	return slot{kind: slotObject, ref: idx}, nil
}

// typedArray serializes a typed array; ok is false when o is not one.
func (s *serializer) typedArray(o *sobek.Object) (slot, bool, error) {
	if err := s.r.need(groupViews); err != nil {
		return slot{}, false, err
	}
	tag, err := s.r.taTag(o)
	if err != nil || !sobek.IsString(tag) {
		return slot{}, false, nil
	}
	ctor := slices.Index(typedArrayNames[:], tag.String())
	if ctor < 0 {
		return slot{}, false, nil
	}
	buf, err := s.r.taBuffer(o)
	if err != nil {
		return slot{}, true, err
	}
	off, err := s.r.taByteOffset(o)
	if err != nil {
		return slot{}, true, err
	}
	n, err := s.r.taLength(o)
	if err != nil {
		return slot{}, true, err
	}
	sl, err := s.view(o, objTypedArray, int8(ctor), buf, off.ToInteger(), n.ToInteger())
	return sl, true, err
}

// dataView serializes a DataView; ok is false when o is not one.
func (s *serializer) dataView(o *sobek.Object) (slot, bool, error) {
	if err := s.r.need(groupViews); err != nil {
		return slot{}, false, err
	}
	n, err := s.r.dvByteLength(o)
	if err != nil {
		return slot{}, false, nil // not a DataView (or a detached one: refused below)
	}
	buf, err := s.r.dvBuffer(o)
	if err != nil {
		return slot{}, true, err
	}
	off, err := s.r.dvByteOffset(o)
	if err != nil {
		return slot{}, true, err
	}
	sl, err := s.view(o, objDataView, -1, buf, off.ToInteger(), n.ToInteger())
	return sl, true, err
}

func (s *serializer) view(o *sobek.Object, kind objectKind, ctor int8, buf sobek.Value, off, n int64) (slot, error) {
	bo, ok := buf.(*sobek.Object)
	if !ok {
		return slot{}, cloneErr("a view without an ArrayBuffer")
	}
	bs, err := s.value(bo)
	if err != nil {
		return slot{}, err
	}
	if k := s.rec.objects[bs.ref].kind; k != objArrayBuffer && k != objTransferredBuffer {
		return slot{}, cloneErr("a view whose buffer is not an ArrayBuffer")
	}
	idx := s.add(o, kind)
	s.rec.objects[idx].view = view{ctor: ctor, buffer: bs.ref, byteOffset: off, length: n}
	return slot{kind: slotObject, ref: idx}, nil
}

// describe names a value's type for error messages.
func describe(v sobek.Value) string {
	switch x := v.(type) {
	case nil:
		return "undefined"
	case *sobek.Object:
		if _, ok := sobek.AssertFunction(x); ok {
			return "a function"
		}
		return "an object of class " + x.ClassName()
	case *sobek.Symbol:
		return "a Symbol"
	}
	return fmt.Sprintf("a %T", v)
}
