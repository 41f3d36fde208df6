package structuredclone

import (
	"fmt"
	"math/big"
	"reflect"
	"sync"
	"time"

	"github.com/grafana/sobek"
)

// A Realm captures the intrinsics it needs in groups, each the first time
// a value needs it: sobek initializes its built-ins lazily, and capturing
// them all at once would cost a new worker about a millisecond. Each group
// is a small script returning an array; getters such as
// %TypedArray%.prototype.buffer read internal slots and throw for objects
// without them, so calling the captured ones is also a brand check.
type group uint8

const (
	groupCore group = iota
	groupMap
	groupSet
	groupDate
	groupRegExp
	groupViews
	groupErrors
	groupWrappers
	groupForbidden
	numGroups
)

var groupSources = [numGroups]string{
	groupCore: `[Object.prototype.hasOwnProperty, Object.keys, (o, k) => o[k],
		(o, k, v) => { Object.defineProperty(o, k, {value: v, writable: true, enumerable: true, configurable: true}); }]`,
	groupMap:  `[Map, Map.prototype.forEach, Map.prototype.set]`,
	groupSet:  `[Set, Set.prototype.forEach, Set.prototype.add]`,
	groupDate: `[Date, Date.prototype.getTime]`,
	groupRegExp: `(() => {
		const flags = [], names = ["d", "hasIndices", "g", "global", "i", "ignoreCase", "m", "multiline",
			"s", "dotAll", "u", "unicode", "v", "unicodeSets", "y", "sticky"];
		const getter = (k) => { const d = Object.getOwnPropertyDescriptor(RegExp.prototype, k); return d && d.get; };
		for (let i = 0; i < names.length; i += 2) {
			const g = getter(names[i + 1]);
			if (g) flags.push(names[i], g);
		}
		return [RegExp, getter("source"), flags];
	})()`,
	groupViews: `(() => {
		const getter = (o, k) => Object.getOwnPropertyDescriptor(o, k).get;
		const TA = Object.getPrototypeOf(Int8Array.prototype), DV = DataView.prototype;
		return [[Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
				Float32Array, Float64Array, BigInt64Array, BigUint64Array], DataView,
			getter(TA, Symbol.toStringTag), getter(TA, "buffer"), getter(TA, "byteOffset"), getter(TA, "length"),
			getter(DV, "buffer"), getter(DV, "byteOffset"), getter(DV, "byteLength")];
	})()`,
	groupErrors: `(() => {
		const gopd = Object.getOwnPropertyDescriptor;
		return [[Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError],
			(e) => { const d = gopd(e, "message"); return d !== undefined && "value" in d ? [d.value] : undefined; }];
	})()`,
	groupWrappers: `[Boolean.prototype.valueOf, Number.prototype.valueOf, String.prototype.valueOf, BigInt.prototype.valueOf]`,
	groupForbidden: `(() => {
		const proto = Object.getPrototypeOf;
		const tryProto = (f) => { try { return f(); } catch (e) { return undefined; } };
		const list = [
			WeakMap.prototype, "WeakMap", WeakSet.prototype, "WeakSet", Promise.prototype, "Promise",
			Symbol.prototype, "Symbol", DataView.prototype, "DataView",
			tryProto(() => proto(proto((function* () {})()))), "Generator",
			tryProto(() => proto([][Symbol.iterator]())), "Array Iterator",
			tryProto(() => proto(new Map()[Symbol.iterator]())), "Map Iterator",
			tryProto(() => proto(new Set()[Symbol.iterator]())), "Set Iterator",
			tryProto(() => proto(""[Symbol.iterator]())), "String Iterator",
			tryProto(() => proto(/a/[Symbol.matchAll](""))), "RegExp String Iterator",
		];
		if (typeof WeakRef === "function") list.push(WeakRef.prototype, "WeakRef");
		if (typeof FinalizationRegistry === "function") list.push(FinalizationRegistry.prototype, "FinalizationRegistry");
		return list;
	})()`,
}

var (
	groupOnce  [numGroups]sync.Once
	groupProgs [numGroups]*sobek.Program
	groupErrs  [numGroups]error
)

// errorNames are the error constructors structured clone keeps, in the
// order groupErrors lists them.
var errorNames = [...]string{"Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError"}

// typedArrayNames are the typed array constructors, in the order
// groupViews lists them.
var typedArrayNames = [...]string{"Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array",
	"Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"}

// Go types sobek reports (Object.ExportType) for its built-in objects.
var (
	typeArrayBuffer = reflect.TypeOf(sobek.ArrayBuffer{})
	typeMapExport   = reflect.TypeOf([][2]any{})
	typeSliceExport = reflect.TypeOf([]any{})
	typePlainExport = reflect.TypeOf(map[string]any{})
	typeTime        = reflect.TypeOf(time.Time{})
	typeBigInt      = reflect.TypeOf((*big.Int)(nil))
	typeString      = reflect.TypeOf("")
	typePromise     = reflect.TypeOf((*sobek.Promise)(nil))
	typeProxy       = reflect.TypeOf(sobek.Proxy{})
)

// Realm is the per-runtime state of structured clone: the intrinsics of
// one sobek runtime. Make one per runtime and keep it; NewRealm is cheap
// (the intrinsics are captured on first use, group by group).
//
// The standard's algorithms use the realm's original intrinsics. A Realm
// captures each group of them (Map's, RegExp's, the typed arrays', ...) the
// first time a value needs it, so a script that replaced, say,
// Map.prototype.forEach before its first Map was cloned affects the clones
// of its own Maps. That only lets a script confuse itself: a value is
// always read with its own realm's intrinsics and built with the receiving
// realm's.
//
// A Realm belongs to its runtime's goroutine, like the runtime itself.
type Realm struct {
	rt          *sobek.Runtime
	loaded      [numGroups]bool
	objectProto *sobek.Object

	hasOwn, ownKeys, getProp, defineProp sobek.Callable

	mapCtor, setCtor, dateCtor, regexpCtor, dataViewCtor *sobek.Object
	errorCtors                                           [len(errorNames)]*sobek.Object
	typedArrayCtors                                      [len(typedArrayNames)]*sobek.Object

	mapForEach, mapSet, setForEach, setAdd                 sobek.Callable
	dateGetTime, regexpSource                              sobek.Callable
	regexpFlagLetters                                      []byte
	regexpFlagGetters                                      []sobek.Callable
	taTag, taBuffer, taByteOffset, taLength                sobek.Callable
	dvBuffer, dvByteOffset, dvByteLength                   sobek.Callable
	booleanValueOf, numberValueOf, stringValueOf, bigintOf sobek.Callable
	errorMessage                                           sobek.Callable
	forbidden                                              map[*sobek.Object]string

	collect   sobek.Value   // Go callback for Map/Set forEach, appending to collected
	collected []sobek.Value // scratch for collect
}

// NewRealm returns the Realm of rt. It runs no script; the intrinsics are
// captured when first needed.
func NewRealm(rt *sobek.Runtime) (*Realm, error) {
	if rt == nil {
		return nil, fmt.Errorf("structuredclone: NewRealm: nil runtime")
	}
	return &Realm{rt: rt, objectProto: rt.NewObject().Prototype()}, nil
}

// Runtime returns the runtime whose intrinsics r holds.
func (r *Realm) Runtime() *sobek.Runtime { return r.rt }

// need captures group g's intrinsics if that was not done yet.
func (r *Realm) need(g group) error {
	if r.loaded[g] {
		return nil
	}
	groupOnce[g].Do(func() {
		groupProgs[g], groupErrs[g] = sobek.Compile(fmt.Sprintf("structuredclone-intrinsics-%d.js", g), groupSources[g], true)
	})
	if groupErrs[g] != nil {
		return fmt.Errorf("structuredclone: compile intrinsics: %w", groupErrs[g])
	}
	v, err := r.rt.RunProgram(groupProgs[g])
	if err != nil {
		return fmt.Errorf("structuredclone: capture intrinsics: %w", err)
	}
	l := loader{}
	if list, ok := v.(*sobek.Object); ok {
		l.list = list
	} else {
		return fmt.Errorf("structuredclone: capture intrinsics: got %v, not an array", v)
	}
	switch g {
	case groupCore:
		r.hasOwn, r.ownKeys, r.getProp, r.defineProp = l.fn(), l.fn(), l.fn(), l.fn()
	case groupMap:
		r.mapCtor, r.mapForEach, r.mapSet = l.obj(), l.fn(), l.fn()
		r.initCollect()
	case groupSet:
		r.setCtor, r.setForEach, r.setAdd = l.obj(), l.fn(), l.fn()
		r.initCollect()
	case groupDate:
		r.dateCtor, r.dateGetTime = l.obj(), l.fn()
	case groupRegExp:
		r.regexpCtor, r.regexpSource = l.obj(), l.fn()
		flags := l.sub()
		for j := 0; j+1 < flags.len(); j += 2 {
			letter := flags.at(j).String()
			if letter == "" {
				continue
			}
			r.regexpFlagLetters = append(r.regexpFlagLetters, letter[0])
			r.regexpFlagGetters = append(r.regexpFlagGetters, flags.fnAt(j+1))
		}
		l.err = firstErr(l.err, flags.err)
	case groupViews:
		ctors := l.sub()
		for j := range r.typedArrayCtors {
			r.typedArrayCtors[j] = ctors.objAt(j)
		}
		l.err = firstErr(l.err, ctors.err)
		r.dataViewCtor = l.obj()
		r.taTag, r.taBuffer, r.taByteOffset, r.taLength = l.fn(), l.fn(), l.fn(), l.fn()
		r.dvBuffer, r.dvByteOffset, r.dvByteLength = l.fn(), l.fn(), l.fn()
	case groupErrors:
		ctors := l.sub()
		for j := range r.errorCtors {
			r.errorCtors[j] = ctors.objAt(j)
		}
		l.err = firstErr(l.err, ctors.err)
		r.errorMessage = l.fn()
	case groupWrappers:
		r.booleanValueOf, r.numberValueOf, r.stringValueOf, r.bigintOf = l.fn(), l.fn(), l.fn(), l.fn()
	case groupForbidden:
		r.forbidden = make(map[*sobek.Object]string)
		for j := 0; j+1 < l.len(); j += 2 {
			if p, ok := l.at(j).(*sobek.Object); ok {
				r.forbidden[p] = l.at(j + 1).String()
			}
		}
	}
	if l.err != nil {
		return fmt.Errorf("structuredclone: capture intrinsics: %w", l.err)
	}
	r.loaded[g] = true
	return nil
}

func (r *Realm) initCollect() {
	if r.collect != nil {
		return
	}
	r.collect = r.rt.ToValue(func(call sobek.FunctionCall) sobek.Value {
		// forEach calls back with (value, key); keep key then value.
		r.collected = append(r.collected, call.Argument(1), call.Argument(0))
		return sobek.Undefined()
	})
}

// loader reads the array a group's script returns, in order.
type loader struct {
	list *sobek.Object
	i    int
	err  error
}

func (l *loader) len() int {
	if l.list == nil {
		return 0
	}
	return int(l.list.Get("length").ToInteger())
}

func (l *loader) at(i int) sobek.Value {
	if l.list == nil {
		return sobek.Undefined()
	}
	return l.list.Get(indexKey(i))
}

func (l *loader) next() sobek.Value {
	v := l.at(l.i)
	l.i++
	return v
}

func (l *loader) obj() *sobek.Object { return l.asObj(l.next()) }

func (l *loader) objAt(i int) *sobek.Object { return l.asObj(l.at(i)) }

func (l *loader) fn() sobek.Callable { return l.asFn(l.next()) }

func (l *loader) fnAt(i int) sobek.Callable { return l.asFn(l.at(i)) }

// sub returns a loader for the nested array at the next position.
func (l *loader) sub() *loader { return &loader{list: l.obj()} }

func (l *loader) asObj(v sobek.Value) *sobek.Object {
	o, ok := v.(*sobek.Object)
	if !ok && l.err == nil {
		l.err = fmt.Errorf("intrinsic %d is %v, not an object", l.i-1, v)
	}
	return o
}

func (l *loader) asFn(v sobek.Value) sobek.Callable {
	f, ok := sobek.AssertFunction(v)
	if !ok && l.err == nil {
		l.err = fmt.Errorf("intrinsic %d is %v, not a function", l.i-1, v)
	}
	return f
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
