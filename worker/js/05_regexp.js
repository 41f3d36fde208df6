// 05_regexp.js: RegExp as ECMA-262 and the web-platform-tests have it
// where the engine differs: RegExp.prototype.source's escaping of "/",
// and Unicode property escapes (\p{...}) through internal/jsregexp.
(function (internals, host, global) {
  'use strict';
  const { define } = internals;

  // RegExp.prototype.source (EscapeRegExpPattern): sobek escapes a "/" of
  // the pattern as \u002f; engines and the web-platform-tests show \/
  // (new RegExp('/').source is "\\/"). Both re-parse to the same regexp,
  // so the getter rewrites every unescaped \u002f (one not preceded by
  // another backslash) to \/; toString is the spec's, over source and
  // flags, so it shows the same.
  //
  // Unicode property escapes (\p{L}, \P{Script=Greek}, [\p{L}\p{N}]):
  // sobek reads them as literal text. The global RegExp is a Proxy of the
  // engine's constructor whose construct and call hand a u pattern holding
  // one to host.regexpRewrite (internal/jsregexp), which spells each out
  // as a class of code points or throws the SyntaxError V8 throws; the
  // pattern as written is kept for source and toString. Regular expression
  // literals with such escapes reach it as RegExp calls: worker/lower.go
  // has esbuild rewrite them. RegExp.prototype.constructor is the Proxy,
  // so /a/.constructor === RegExp; RegExp[Symbol.species] is the engine's
  // constructor, so that split, matchAll and replace keep the engine's
  // fast paths (the copies they make take the rewritten pattern with the
  // flags, which mean the same).
  {
    const NativeRegExp = RegExp;
    const sourceGet = Object.getOwnPropertyDescriptor(RegExp.prototype, 'source').get;
    const nativeCompile = RegExp.prototype.compile;
    const rewrite = host.regexpRewrite;
    const originals = new WeakMap(); // a rewritten regexp → its pattern as written
    // The engine regexps of rewritten patterns, by flags and pattern as
    // written, for construct's clones; at most maxCompiled of them.
    const compiled = new Map();
    const maxCompiled = 64;
    const escapeSlash = (src) => {
      if (src.indexOf('\\u002f') < 0) return src;
      let out = '';
      for (let i = 0; i < src.length; i++) {
        const ch = src[i];
        if (ch !== '\\') { out += ch; continue; }
        if (src.startsWith('u002f', i + 1)) { out += '\\/'; i += 5; continue; }
        out += ch + (i + 1 < src.length ? src[i + 1] : '');
        i++;
      }
      return out;
    };
    // EscapeRegExpPattern of a pattern as written, as the engine escapes
    // its own (with \/ for "/").
    const escapePattern = (src) => {
      if (src === '') return '(?:)';
      let out = '';
      let from = 0;
      for (let i = 0; i < src.length; i++) {
        const ch = src[i];
        let esc;
        if (ch === '\\') { i++; continue; }
        if (ch === '/') esc = '\\/';
        else if (ch === '\n') esc = '\\n';
        else if (ch === '\r') esc = '\\r';
        else if (ch === '\u2028') esc = '\\u2028';
        else if (ch === '\u2029') esc = '\\u2029';
        else continue;
        out += src.slice(from, i) + esc;
        from = i + 1;
      }
      return from === 0 ? src : out + src.slice(from);
    };
    const isNativeRegExp = (v) => {
      if (v === NativeRegExp.prototype) return false;
      try {
        sourceGet.call(v);
        return true;
      } catch {
        return false;
      }
    };
    const needsRewrite = (P, F) => F.indexOf('u') >= 0 && (P.indexOf('\\p') >= 0 || P.indexOf('\\P') >= 0);
    // The engine's constructor with newTarget; new NativeRegExp is the
    // fast way to the same object for RegExp itself.
    const create = (P, F, newTarget) => newTarget === RegExpProxy ? new NativeRegExp(P, F) : Reflect.construct(NativeRegExp, [P, F], newTarget);
    // RegExp(pattern, flags) with newTarget (RegExpCreate's steps that
    // pick the pattern and flags, then the engine's constructor).
    const construct = (args, newTarget) => {
      let pattern = args[0];
      let flags = args[1];
      if (typeof pattern === 'object' && pattern !== null) {
        const orig = originals.get(pattern);
        if (orig !== undefined) {
          if (flags === undefined) flags = pattern.flags;
          pattern = orig;
        } else if (flags !== undefined && isNativeRegExp(pattern)) {
          pattern = sourceGet.call(pattern); // the new flags may add u
        } else {
          return Reflect.construct(NativeRegExp, args, newTarget);
        }
      }
      const P = pattern === undefined ? '' : `${pattern}`;
      const F = flags === undefined ? '' : `${flags}`;
      if (!needsRewrite(P, F)) return create(P, F, newTarget);
      let re;
      if (newTarget === RegExpProxy) {
        // A clone of a cached engine regexp shares its compiled pattern:
        // compiling a property escape's class anew costs over 100 µs (a
        // literal in a function is a RegExp call on every evaluation).
        const key = F + '/' + P;
        let tpl = compiled.get(key);
        if (tpl === undefined) {
          tpl = new NativeRegExp(rewrite(P, F), F);
          if (compiled.size < maxCompiled) compiled.set(key, tpl);
        }
        re = new NativeRegExp(tpl);
      } else {
        re = create(rewrite(P, F), F, newTarget);
      }
      originals.set(re, P);
      return re;
    };
    // sobek's Function.prototype[Symbol.hasInstance] refuses a Proxy, so
    // RegExp has its own (OrdinaryHasInstance); its Symbol.species is the
    // engine's constructor (a subclass's is the subclass, as the
    // specification's getter returns this). Both are own properties of the engine's
    // constructor, which the Proxy reads through: a get trap would cost a
    // call on every property read, prototype included.
    const functionHasInstance = Function.prototype[Symbol.hasInstance];
    Object.defineProperty(NativeRegExp, Symbol.hasInstance, {
      value: { [Symbol.hasInstance](v) { return functionHasInstance.call(this === RegExpProxy ? NativeRegExp : this, v); } }[Symbol.hasInstance],
      writable: false, enumerable: false, configurable: true,
    });
    Object.defineProperty(NativeRegExp, Symbol.species, {
      get: Object.getOwnPropertyDescriptor({ get [Symbol.species]() { return this === RegExpProxy ? NativeRegExp : this; } }, Symbol.species).get,
      enumerable: false, configurable: true,
    });
    const RegExpProxy = new Proxy(NativeRegExp, {
      construct(target, args, newTarget) { return construct(args, newTarget); },
      apply(target, thisArg, args) {
        const pattern = args[0];
        if (args[1] === undefined && typeof pattern === 'object' && pattern !== null) {
          const m = pattern[Symbol.match];
          if ((m !== undefined ? !!m : isNativeRegExp(pattern)) && pattern.constructor === RegExpProxy) return pattern;
        }
        return construct(args, RegExpProxy);
      },
    });
    Object.defineProperty(NativeRegExp.prototype, 'constructor', { value: RegExpProxy, writable: true, enumerable: false, configurable: true });
    Object.defineProperty(global, 'RegExp', { value: RegExpProxy, writable: true, enumerable: false, configurable: true });
    Object.defineProperty(RegExp.prototype, 'source', {
      get: {
        source() {
          const orig = originals.get(this);
          return orig !== undefined ? escapePattern(orig) : escapeSlash(sourceGet.call(this));
        },
      }.source,
      enumerable: false, configurable: true,
    });
    Object.defineProperty(Object.getOwnPropertyDescriptor(RegExp.prototype, 'source').get, 'name', { value: 'get source' });
    define(RegExp.prototype, {
      toString() {
        if (this === null || typeof this !== 'object') throw new TypeError('RegExp.prototype.toString called on a non-object');
        return '/' + String(this.source) + '/' + String(this.flags);
      },
      // Annex B's compile, with the constructor's rewriting.
      compile(pattern, flags) {
        if (!isNativeRegExp(this)) return nativeCompile.call(this, pattern, flags);
        if (typeof pattern === 'object' && pattern !== null && isNativeRegExp(pattern)) {
          const orig = originals.get(pattern);
          nativeCompile.call(this, pattern, flags);
          if (orig !== undefined) originals.set(this, orig);
          else originals.delete(this);
          return this;
        }
        const P = pattern === undefined ? '' : `${pattern}`;
        const F = flags === undefined ? '' : `${flags}`;
        if (needsRewrite(P, F)) {
          nativeCompile.call(this, rewrite(P, F), F);
          originals.set(this, P);
        } else {
          nativeCompile.call(this, P, F);
          originals.delete(this);
        }
        return this;
      },
    });
  }
})
