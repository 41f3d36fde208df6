package worker

import (
	"context"
	"runtime"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/webcrypto"
	"github.com/swhost/swhost/weberr"
)

// Bindings of js/44_subtle_crypto.js: crypto.subtle over package
// webcrypto. The bootstrap hands each method's arguments over as plain
// values (webcrypto's binding conventions: an algorithm as a string or a
// map, BufferSources copied into Uint8Arrays, a CryptoKey as its handle,
// a *webcrypto.Key); the operation runs off the loop, and its result comes
// back as an ArrayBuffer, a boolean, a CryptoKey (made by the bootstrap's
// makeKey), a CryptoKeyPair or a JsonWebKey object.

// cryptoSlots bounds the crypto operations that run at once across the
// process: a key generation cannot be interrupted, so a script that asks
// for many waits for a slot instead of taking every CPU.
var cryptoSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

// subtle is host.subtle(op, makeKey, ...args): the SubtleCrypto method
// op, as a promise.
func (in *instance) subtle(a *args) sobek.Value {
	op := a.string()
	mk, _ := sobek.AssertFunction(a.value())
	work, err := in.subtleOp(op, a)
	if err != nil {
		p, _, reject := in.rt.NewPromise()
		_ = reject(in.exception(err))
		return in.rt.ToValue(p)
	}
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		select {
		case cryptoSlots <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		res, err := work()
		<-cryptoSlots
		if err != nil {
			return nil, err
		}
		return func() sobek.Value { return in.cryptoResult(mk, res) }, nil
	})
}

// subtleOp reads op's arguments (on the loop) and returns the operation.
func (in *instance) subtleOp(op string, a *args) (func() (any, error), error) {
	alg := func() any { return a.value().Export() }
	key := func() (*webcrypto.Key, error) {
		v := a.value()
		k, ok := v.Export().(*webcrypto.Key)
		if !ok {
			return nil, weberr.New(weberr.TypeError, "parameter is not of type 'CryptoKey'")
		}
		return k, nil
	}
	bytes := func() []byte { return append([]byte(nil), bytesOf(a.value())...) }
	usages := func() []string { return in.stringList(a.value()) }
	switch op {
	case "digest":
		al, data := alg(), bytes()
		return func() (any, error) { return webcrypto.Digest(al, data) }, nil
	case "encrypt", "decrypt", "sign":
		al := alg()
		k, err := key()
		if err != nil {
			return nil, err
		}
		data := bytes()
		f := map[string]func(any, *webcrypto.Key, []byte) ([]byte, error){
			"encrypt": webcrypto.Encrypt, "decrypt": webcrypto.Decrypt, "sign": webcrypto.Sign,
		}[op]
		return func() (any, error) { return f(al, k, data) }, nil
	case "verify":
		al := alg()
		k, err := key()
		if err != nil {
			return nil, err
		}
		sig, data := bytes(), bytes()
		return func() (any, error) { return webcrypto.Verify(al, k, sig, data) }, nil
	case "generateKey":
		al, ext, use := alg(), a.bool(), usages()
		return func() (any, error) {
			k, pair, err := webcrypto.GenerateKey(al, ext, use)
			if pair != nil {
				return pair, err
			}
			return k, err
		}, nil
	case "importKey":
		format, data, al, ext, use := a.string(), a.value().Export(), alg(), a.bool(), usages()
		return func() (any, error) { return webcrypto.ImportKey(format, data, al, ext, use) }, nil
	case "exportKey":
		format := a.string()
		k, err := key()
		if err != nil {
			return nil, err
		}
		return func() (any, error) { return webcrypto.ExportKey(format, k) }, nil
	case "deriveBits":
		al := alg()
		k, err := key()
		if err != nil {
			return nil, err
		}
		var length *int
		if v := a.value(); !sobek.IsNull(v) && !sobek.IsUndefined(v) {
			n := int(v.ToInteger())
			length = &n
		}
		return func() (any, error) { return webcrypto.DeriveBits(al, k, length) }, nil
	case "deriveKey":
		al := alg()
		k, err := key()
		if err != nil {
			return nil, err
		}
		derived, ext, use := alg(), a.bool(), usages()
		return func() (any, error) { return webcrypto.DeriveKey(al, k, derived, ext, use) }, nil
	case "wrapKey":
		format := a.string()
		k, err := key()
		if err != nil {
			return nil, err
		}
		wk, err := key()
		if err != nil {
			return nil, err
		}
		al := alg()
		return func() (any, error) { return webcrypto.WrapKey(format, k, wk, al) }, nil
	case "unwrapKey":
		format, wrapped := a.string(), bytes()
		uk, err := key()
		if err != nil {
			return nil, err
		}
		ual, kal, ext, use := alg(), alg(), a.bool(), usages()
		return func() (any, error) { return webcrypto.UnwrapKey(format, wrapped, uk, ual, kal, ext, use) }, nil
	}
	return nil, weberr.Errorf(weberr.NotSupportedError, "SubtleCrypto has no operation %q", op)
}

// cryptoResult converts an operation's result to JavaScript (on the loop).
func (in *instance) cryptoResult(mk sobek.Callable, res any) sobek.Value {
	rt := in.rt
	key := func(k *webcrypto.Key) sobek.Value {
		v, err := mk(sobek.Undefined(), rt.ToValue(k))
		if err != nil {
			in.throw(jsErrorFrom(err))
		}
		return v
	}
	switch r := res.(type) {
	case []byte:
		return rt.ToValue(rt.NewArrayBuffer(r))
	case bool:
		return rt.ToValue(r)
	case *webcrypto.Key:
		return key(r)
	case *webcrypto.KeyPair:
		o := rt.NewObject()
		_ = o.Set("publicKey", key(r.PublicKey))
		_ = o.Set("privateKey", key(r.PrivateKey))
		return o
	case *webcrypto.JWK:
		return in.toJS(r.Map())
	}
	return sobek.Undefined()
}

// cryptoKeyInfo is host.cryptoKeyInfo(key): a CryptoKey's attributes,
// [type, extractable, algorithm, usages], the algorithm a plain object.
func (in *instance) cryptoKeyInfo(k *webcrypto.Key) sobek.Value {
	return in.rt.NewArray(string(k.Type()), k.Extractable(), in.toJS(k.Algorithm().Dict()), in.toJS(k.Usages()))
}
