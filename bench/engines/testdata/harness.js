// The script every engine under comparison evaluates (engines_test.go and
// node.mjs fill in the three files): the two vendored packages wrapped as
// CommonJS modules, the kernels of bench/edge/workloads/kernels.js, and
// route(), the router built on the polyfill.

// atob for whatwg-url-minimum, which decodes its IDNA tables with it at
// load time (sobek, goja and QuickJS have no atob; Node's is not reached
// from the harness's context): base64 to a binary string. It returns a
// String object, not a primitive, because its one caller passes the result
// to Uint8Array.from, which in sobek and goja throws "Value is not an
// object" on a primitive string (the standard takes any iterable).
function __atob(s) {
  var abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  s = String(s).replace(/[\t\n\f\r =]/g, '');
  var out = '', bits = 0, n = 0;
  for (var i = 0; i < s.length; i++) {
    var v = abc.indexOf(s[i]);
    if (v < 0) throw new Error('atob: not base64');
    bits = (bits << 6) | v;
    n += 6;
    if (n >= 8) {
      n -= 8;
      out += String.fromCharCode((bits >> n) & 0xff);
    }
  }
  return new String(out);
}

var __whatwgURL = { exports: {} };
(function (module, exports, atob) {
/*@WHATWG_URL@*/
})(__whatwgURL, __whatwgURL.exports, __atob);

var __urlPattern = { exports: {} };
(function (module, exports, URL) {
/*@URLPATTERN@*/
})(__urlPattern, __urlPattern.exports, __whatwgURL.exports.URL);

var URLPatternPolyfill = __urlPattern.exports.URLPattern;

/*@KERNELS@*/

var route = makeRouter(URLPatternPolyfill);
