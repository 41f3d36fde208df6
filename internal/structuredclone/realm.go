package structuredclone

import (
	"fmt"
	"math/big"
	"reflect"
	"sync"
	"time"

	"github.com/grafana/sobek"
)

// intrinsicsSource captures, in the runtime it runs in, the constructors,
// methods and internal-slot getters the algorithm needs. Getters such as
// %TypedArray%.prototype.buffer read internal slots and throw for objects
// without them, so calling the captured ones is also a brand check.
const intrinsicsSource = `(function () {
	"use strict";
	const gopd = Object.getOwnPropertyDescriptor, proto = Object.getPrototypeOf;
	const getter = (o, k) => { const d = gopd(o, k); return d && d.get; };
	const tryProto = (f) => { try { return proto(f()); } catch (e) { return undefined; } };
	const TA = proto(Int8Array.prototype);
	const flags = [];
	for (const [letter, name] of [["d", "hasIndices"], ["g", "global"], ["i", "ignoreCase"], ["m", "multiline"],
		["s", "dotAll"], ["u", "unicode"], ["v", "unicodeSets"], ["y", "sticky"]]) {
		const g = getter(RegExp.prototype, name);
		if (g) flags.push(letter, g);
	}
	const forbidden = [
		WeakMap.prototype, "WeakMap", WeakSet.prototype, "WeakSet", Promise.prototype, "Promise",
		Symbol.prototype, "Symbol", DataView.prototype, "DataView",
		tryProto(() => proto((function* () {})())), "Generator",
		tryProto(() => [][Symbol.iterator]()), "Array Iterator",
		tryProto(() => new Map()[Symbol.iterator]()), "Map Iterator",
		tryProto(() => new Set()[Symbol.iterator]()), "Set Iterator",
		tryProto(() => ""[Symbol.iterator]()), "String Iterator",
		tryProto(() => /a/[Symbol.matchAll]("")), "RegExp String Iterator",
	];
	if (typeof WeakRef === "function") forbidden.push(WeakRef.prototype, "WeakRef");
	if (typeof FinalizationRegistry === "function") forbidden.push(FinalizationRegistry.prototype, "FinalizationRegistry");
	return [
		Map, Set, Date, RegExp, DataView,
		[Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError],
		[Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
			Float32Array, Float64Array, BigInt64Array, BigUint64Array],
		Map.prototype.forEach, Map.prototype.set, Set.prototype.forEach, Set.prototype.add,
		Date.prototype.getTime, getter(RegExp.prototype, "source"), flags,
		getter(TA, Symbol.toStringTag), getter(TA, "buffer"), getter(TA, "byteOffset"), getter(TA, "length"),
		getter(DataView.prototype, "buffer"), getter(DataView.prototype, "byteOffset"), getter(DataView.prototype, "byteLength"),
		Boolean.prototype.valueOf, Number.prototype.valueOf, String.prototype.valueOf, BigInt.prototype.valueOf,
		Object.prototype.hasOwnProperty,
		(e) => { const d = gopd(e, "message"); return d !== undefined && "value" in d ? [d.value] : undefined; },
		forbidden,
	];
})()`

var (
	intrinsicsOnce sync.Once
	intrinsicsProg *sobek.Program
	intrinsicsErr  error
)

// errorNames are the error constructors structured clone keeps, in the
// order intrinsicsSource lists them.
var errorNames = [...]string{"Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError"}

// typedArrayNames are the typed array constructors, in the order
// intrinsicsSource lists them.
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
// one sobek runtime, captured when the Realm is made. Make it right after
// creating the runtime, before any script runs, so that scripts cannot
// replace the built-ins it relies on (as the standard's algorithms use the
// realm's original intrinsics); a Realm made later uses whatever the
// globals are then.
//
// A Realm belongs to its runtime's goroutine, like the runtime itself.
type Realm struct {
	rt *sobek.Runtime

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
	hasOwn, errorMessage                                   sobek.Callable
	forbidden                                              map[*sobek.Object]string

	collect   sobek.Value   // Go callback for Map/Set forEach, appending to collected
	collected []sobek.Value // scratch for collect
}

// NewRealm captures rt's intrinsics. It fails only if the runtime's
// built-ins are missing or were replaced by something unusable.
func NewRealm(rt *sobek.Runtime) (*Realm, error) {
	intrinsicsOnce.Do(func() {
		intrinsicsProg, intrinsicsErr = sobek.Compile("structuredclone-intrinsics.js", intrinsicsSource, true)
	})
	if intrinsicsErr != nil {
		return nil, fmt.Errorf("structuredclone: compile intrinsics: %w", intrinsicsErr)
	}
	v, err := rt.RunProgram(intrinsicsProg)
	if err != nil {
		return nil, fmt.Errorf("structuredclone: capture intrinsics: %w", err)
	}
	r := &Realm{rt: rt, forbidden: make(map[*sobek.Object]string)}
	if err := r.load(v); err != nil {
		return nil, fmt.Errorf("structuredclone: capture intrinsics: %w", err)
	}
	r.collect = rt.ToValue(func(call sobek.FunctionCall) sobek.Value {
		// forEach calls back with (value, key); keep key then value.
		r.collected = append(r.collected, call.Argument(1), call.Argument(0))
		return sobek.Undefined()
	})
	return r, nil
}

// Runtime returns the runtime whose intrinsics r holds.
func (r *Realm) Runtime() *sobek.Runtime { return r.rt }

// load reads the array intrinsicsSource returns.
func (r *Realm) load(v sobek.Value) error {
	list, ok := v.(*sobek.Object)
	if !ok {
		return fmt.Errorf("intrinsics are %v, not an array", v)
	}
	i := 0
	next := func() sobek.Value {
		v := list.Get(fmt.Sprint(i))
		i++
		return v
	}
	var bad error
	obj := func(v sobek.Value) *sobek.Object {
		o, ok := v.(*sobek.Object)
		if !ok && bad == nil {
			bad = fmt.Errorf("intrinsic %d is %v, not an object", i-1, v)
		}
		return o
	}
	fn := func(v sobek.Value) sobek.Callable {
		f, ok := sobek.AssertFunction(v)
		if !ok && bad == nil {
			bad = fmt.Errorf("intrinsic %d is %v, not a function", i-1, v)
		}
		return f
	}
	r.mapCtor, r.setCtor, r.dateCtor = obj(next()), obj(next()), obj(next())
	r.regexpCtor, r.dataViewCtor = obj(next()), obj(next())
	if errs := obj(next()); errs != nil {
		for j := range r.errorCtors {
			r.errorCtors[j] = obj(errs.Get(fmt.Sprint(j)))
		}
	}
	if tas := obj(next()); tas != nil {
		for j := range r.typedArrayCtors {
			r.typedArrayCtors[j] = obj(tas.Get(fmt.Sprint(j)))
		}
	}
	r.mapForEach, r.mapSet, r.setForEach, r.setAdd = fn(next()), fn(next()), fn(next()), fn(next())
	r.dateGetTime, r.regexpSource = fn(next()), fn(next())
	if flags := obj(next()); flags != nil {
		n := int(flags.Get("length").ToInteger())
		for j := 0; j+1 < n; j += 2 {
			letter := flags.Get(fmt.Sprint(j)).String()
			r.regexpFlagLetters = append(r.regexpFlagLetters, letter[0])
			r.regexpFlagGetters = append(r.regexpFlagGetters, fn(flags.Get(fmt.Sprint(j+1))))
		}
	}
	r.taTag, r.taBuffer, r.taByteOffset, r.taLength = fn(next()), fn(next()), fn(next()), fn(next())
	r.dvBuffer, r.dvByteOffset, r.dvByteLength = fn(next()), fn(next()), fn(next())
	r.booleanValueOf, r.numberValueOf, r.stringValueOf, r.bigintOf = fn(next()), fn(next()), fn(next()), fn(next())
	r.hasOwn, r.errorMessage = fn(next()), fn(next())
	if forb := obj(next()); forb != nil {
		n := int(forb.Get("length").ToInteger())
		for j := 0; j+1 < n; j += 2 {
			if p, ok := forb.Get(fmt.Sprint(j)).(*sobek.Object); ok {
				r.forbidden[p] = forb.Get(fmt.Sprint(j + 1)).String()
			}
		}
	}
	return bad
}
