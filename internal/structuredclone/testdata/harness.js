// Test helpers evaluated in every runtime of the structuredclone tests.

// gen builds a value from bytes, deterministically: the same bytes give the
// same value (structure, sharing and cycles included) in any runtime.
function gen(bytes) {
	let i = 0;
	const next = () => (i < bytes.length ? bytes[i++] : 0);
	const made = [];
	const keep = (o) => { made.push(o); return o; };
	const buffers = [];
	const typedCtors = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
		Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array];
	const errorCtors = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError];
	const units = [0x41, 0xe9, 0xd800, 0xdc00, 0xd83d, 0xde00, 0x20ac, 0];
	const str = () => {
		let s = "";
		for (let n = next() % 6; n > 0; n--) s += String.fromCharCode(units[next() % units.length]);
		return s;
	};
	const buffer = () => {
		if (buffers.length && next() % 2) return buffers[next() % buffers.length];
		const b = new ArrayBuffer(next() % 17);
		const u = new Uint8Array(b);
		for (let k = 0; k < u.length; k++) u[k] = next();
		buffers.push(b);
		made.push(b);
		return b;
	};
	function val(depth) {
		const op = next() % 20;
		if (depth > 5 && op >= 6) return next();
		switch (op) {
		case 0: return undefined;
		case 1: return null;
		case 2: return next() % 2 === 0;
		case 3: return [0, -0, NaN, Infinity, -Infinity, 1.5, 2 ** 53, -1e-300][next() % 8];
		case 4: return BigInt(next() - 128) * 123456789012345678901234567890n;
		case 5: return str();
		case 6: {
			const a = keep([]);
			const n = next() % 5;
			for (let k = 0; k < n; k++) if (next() % 4) a[k] = val(depth + 1);
			a.length = n + (next() % 2);
			if (next() % 3 === 0) a.extra = val(depth + 1);
			return a;
		}
		case 7: {
			const o = keep({});
			const names = ["a", "b", "1", "__proto__", "é", "x y", ""];
			// defineProperty, so that "__proto__" is an own property, not the prototype.
			for (let n = next() % 4; n > 0; n--) {
				Object.defineProperty(o, names[next() % names.length] + str(),
					{value: val(depth + 1), writable: true, enumerable: true, configurable: true});
			}
			return o;
		}
		case 8: {
			const m = keep(new Map());
			for (let n = next() % 4; n > 0; n--) m.set(val(depth + 1), val(depth + 1));
			return m;
		}
		case 9: {
			const s = keep(new Set());
			for (let n = next() % 4; n > 0; n--) s.add(val(depth + 1));
			return s;
		}
		case 10: return keep(next() % 5 === 0 ? new Date(NaN) : new Date((next() - 128) * 1e10));
		case 11: {
			const srcs = ["a+", "^x$", "[\\d]{2,}", "(?:é|\\u{1F600})", "\\/"];
			const flags = ["", "g", "gi", "msy", "u", "gimsuy"];
			return keep(new RegExp(srcs[next() % srcs.length], flags[next() % flags.length]));
		}
		case 12: return buffer();
		case 13: {
			const C = typedCtors[next() % typedCtors.length];
			const b = buffer();
			const max = Math.floor(b.byteLength / C.BYTES_PER_ELEMENT);
			const off = max > 0 ? next() % (max + 1) : 0;
			const len = max - off > 0 ? next() % (max - off + 1) : 0;
			return keep(new C(b, off * C.BYTES_PER_ELEMENT, len));
		}
		case 14: {
			const b = buffer();
			const off = next() % (b.byteLength + 1);
			return keep(new DataView(b, off, next() % (b.byteLength - off + 1)));
		}
		case 15: return keep([new Boolean(next() % 2), new Number([-0, NaN, 7][next() % 3]), new String(str()), Object(BigInt(next()))][next() % 4]);
		case 16: {
			const e = new errorCtors[next() % errorCtors.length](next() % 3 ? str() : undefined);
			if (next() % 4 === 0) e.name = "Custom";
			return keep(e);
		}
		case 17: return made.length ? made[next() % made.length] : null;
		case 18: {
			const o = keep({});
			o.self = o;
			o.inner = val(depth + 1);
			return o;
		}
		default: return next();
		}
	}
	return val(0);
}

// deepEqual reports whether a and b are structured clones of each other:
// same types, same contents, and the same sharing (the mapping of objects
// of a to objects of b is one to one). It returns "" when they are equal
// and a description of the first difference otherwise.
function sameString(x, y) {
	if (x.length !== y.length) return false;
	for (let k = 0; k < x.length; k++) if (x.charCodeAt(k) !== y.charCodeAt(k)) return false;
	return true;
}

function deepEqual(a, b) {
	const seenA = new Map(), seenB = new Map();
	const tag = (x) => Object.prototype.toString.call(x);
	function eq(x, y, path) {
		if (typeof x !== typeof y) return path + ": typeof " + typeof x + " vs " + typeof y;
		if (x === null || y === null || (typeof x !== "object")) {
			// Object.is for -0 and NaN; strings by code unit (sobek's === can
			// tell apart equal strings imported from invalid UTF-8 Go text).
			const same = typeof x === "string" ? sameString(x, y) : Object.is(x, y);
			return same ? "" : path + ": " + String(x) + " vs " + String(y);
		}
		if (seenA.has(x) || seenB.has(y)) {
			return seenA.get(x) === y && seenB.get(y) === x ? "" : path + ": sharing differs";
		}
		seenA.set(x, y);
		seenB.set(y, x);
		if (tag(x) !== tag(y)) return path + ": " + tag(x) + " vs " + tag(y);
		if (x instanceof Boolean || x instanceof Number || x instanceof String || tag(x) === "[object BigInt]") {
			const d = eq(x.valueOf(), y.valueOf(), path + ".valueOf()");
			if (d) return d;
			if (x instanceof String) return "";
		}
		if (x instanceof Date) return Object.is(x.getTime(), y.getTime()) ? "" : path + ": date";
		if (x instanceof RegExp) return x.source === y.source && x.flags === y.flags ? "" : path + ": regexp " + x + " vs " + y;
		if (x instanceof ArrayBuffer) {
			const u = new Uint8Array(x), v = new Uint8Array(y);
			if (u.length !== v.length) return path + ": byteLength";
			for (let k = 0; k < u.length; k++) if (u[k] !== v[k]) return path + ": byte " + k;
			return "";
		}
		if (ArrayBuffer.isView(x)) {
			if (x.byteOffset !== y.byteOffset || x.byteLength !== y.byteLength) return path + ": view bounds";
			if (x.constructor.name !== y.constructor.name) return path + ": view type";
			return eq(x.buffer, y.buffer, path + ".buffer");
		}
		if (x instanceof Error) {
			if (x.name !== y.name && !(x.name === "Custom" && y.name === "Error")) return path + ": error name " + x.name + " vs " + y.name;
			const hx = Object.prototype.hasOwnProperty.call(x, "message"), hy = Object.prototype.hasOwnProperty.call(y, "message");
			if (hx !== hy || (hx && x.message !== y.message)) return path + ": error message";
			return "";
		}
		if (x instanceof Map) {
			if (x.size !== y.size) return path + ": map size";
			const ex = [...x], ey = [...y];
			for (let k = 0; k < ex.length; k++) {
				const d = eq(ex[k][0], ey[k][0], path + ".key" + k) || eq(ex[k][1], ey[k][1], path + ".get" + k);
				if (d) return d;
			}
			return "";
		}
		if (x instanceof Set) {
			if (x.size !== y.size) return path + ": set size";
			const ex = [...x], ey = [...y];
			for (let k = 0; k < ex.length; k++) {
				const d = eq(ex[k], ey[k], path + ".item" + k);
				if (d) return d;
			}
			return "";
		}
		if (Array.isArray(x) !== Array.isArray(y)) return path + ": isArray";
		if (Array.isArray(x) && x.length !== y.length) return path + ": length " + x.length + " vs " + y.length;
		const kx = Object.keys(x), ky = Object.keys(y);
		if (kx.join("\u0000") !== ky.join("\u0000")) return path + ": keys [" + kx + "] vs [" + ky + "]";
		for (const k of kx) {
			const d = eq(x[k], y[k], path + "[" + JSON.stringify(k) + "]");
			if (d) return d;
		}
		return "";
	}
	return eq(a, b, "v");
}
