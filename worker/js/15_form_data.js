// 15_form_data.js: FormData (XMLHttpRequest standard) and its body
// encodings: multipart/form-data both ways (Go: bind_form_data.go) and
// application/x-www-form-urlencoded when parsing, built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    blobAPI, decodeUTF8, kState, lazy, str, usv
  } = internals;

  const formDataAPI = lazy(['FormData'], () => {
    const { Blob, File, makeFile } = blobAPI();
    // An entry's value is a string or a File ("create an entry").
    function entry(name, value, filename, what) {
      name = usv(name);
      if (value instanceof Blob) {
        if (!(value instanceof File)) return [name, makeFile(value[kState].bytes, filename === undefined ? 'blob' : usv(filename), value[kState].type, Date.now())];
        if (filename !== undefined) return [name, makeFile(value[kState].bytes, usv(filename), value[kState].type, value.lastModified)];
        return [name, value];
      }
      if (filename !== undefined) throw new TypeError("Failed to execute '" + what + "' on 'FormData': parameter 2 is not of type 'Blob'.");
      return [name, usv(value)];
    }
    function formState(f) {
      const st = f !== null && typeof f === 'object' ? f[kState] : undefined;
      if (st === undefined || st.entries === undefined) throw new TypeError('Illegal invocation');
      return st;
    }
    class FormData {
      constructor(form = undefined, submitter = undefined) {
        // Workers have no HTMLFormElement: any form argument is the wrong type.
        if (form !== undefined) throw new TypeError("Failed to construct 'FormData': parameter 1 is not of type 'HTMLFormElement'.");
        void submitter;
        this[kState] = { entries: [] };
      }
      append(name, value, filename = undefined) {
        const st = formState(this);
        if (arguments.length < 2) throw new TypeError("Failed to execute 'append' on 'FormData': 2 arguments required, but only " + arguments.length + ' present.');
        st.entries.push(entry(name, value, arguments.length > 2 ? filename : undefined, 'append'));
      }
      delete(name) { const st = formState(this); name = usv(name); st.entries = st.entries.filter((e) => e[0] !== name); }
      get(name) { const st = formState(this); name = usv(name); const e = st.entries.find((x) => x[0] === name); return e === undefined ? null : e[1]; }
      getAll(name) { const st = formState(this); name = usv(name); return st.entries.filter((x) => x[0] === name).map((x) => x[1]); }
      has(name) { const st = formState(this); name = usv(name); return st.entries.some((x) => x[0] === name); }
      set(name, value, filename = undefined) {
        const st = formState(this);
        if (arguments.length < 2) throw new TypeError("Failed to execute 'set' on 'FormData': 2 arguments required, but only " + arguments.length + ' present.');
        const e = entry(name, value, arguments.length > 2 ? filename : undefined, 'set');
        const i = st.entries.findIndex((x) => x[0] === e[0]);
        if (i < 0) { st.entries.push(e); return; }
        st.entries[i] = e;
        st.entries = st.entries.filter((x, j) => j <= i || x[0] !== e[0]);
      }
      forEach(callback, thisArg = undefined) {
        const st = formState(this);
        if (typeof callback !== 'function') throw new TypeError("Failed to execute 'forEach' on 'FormData': parameter 1 is not of type 'Function'.");
        for (let i = 0; i < st.entries.length; i++) callback.call(thisArg, st.entries[i][1], st.entries[i][0], this);
      }
      entries() { formState(this); return formIterator(this, 'key+value'); }
      keys() { formState(this); return formIterator(this, 'key'); }
      values() { formState(this); return formIterator(this, 'value'); }
    }
    Object.defineProperty(FormData.prototype, Symbol.iterator, { value: FormData.prototype.entries, writable: true, configurable: true });
    Object.defineProperty(FormData.prototype, Symbol.toStringTag, { value: 'FormData', configurable: true });
    const iteratorPrototype = Object.create(Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
    Object.defineProperty(iteratorPrototype, 'next', {
      value: function next() {
        const it = this !== null && typeof this === 'object' ? this[kState] : undefined;
        if (it === undefined || it.form === undefined) throw new TypeError('Illegal invocation');
        const list = it.form[kState].entries;
        if (it.index >= list.length) return { value: undefined, done: true };
        const e = list[it.index++];
        return { value: it.kind === 'key' ? e[0] : it.kind === 'value' ? e[1] : [e[0], e[1]], done: false };
      },
      writable: true, enumerable: true, configurable: true,
    });
    Object.defineProperty(iteratorPrototype, Symbol.toStringTag, { value: 'FormData Iterator', configurable: true });
    function formIterator(form, kind) {
      const it = Object.create(iteratorPrototype);
      it[kState] = { form, kind, index: 0 };
      return it;
    }

    // encodeForm is the multipart/form-data encoding of a FormData:
    // [bytes, contentType].
    function encodeForm(form) {
      const flat = [];
      for (const [name, v] of formState(form).entries) {
        if (typeof v === 'string') flat.push(name, v, null, null);
        else flat.push(name, v[kState].bytes, v[kState].name, v[kState].type);
      }
      return host.formDataEncode(flat);
    }
    // parseForm is the body's formData(): multipart/form-data or
    // application/x-www-form-urlencoded, by the MIME type.
    function parseForm(bytes, contentType) {
      const fd = new FormData();
      const entries = fd[kState].entries;
      const essence = contentType === null ? '' : contentType.split(';')[0].trim().toLowerCase();
      if (essence === 'multipart/form-data') {
        const flat = host.formDataParse(bytes, contentType);
        for (let i = 0; i < flat.length; i += 4) {
          if (flat[i + 2] === null) entries.push([flat[i], decodeUTF8(flat[i + 1])]);
          else entries.push([flat[i], makeFile(flat[i + 1], flat[i + 2], flat[i + 3], Date.now())]);
        }
        return fd;
      }
      if (essence === 'application/x-www-form-urlencoded') {
        const pairs = host.parseQuery(decodeUTF8(bytes));
        for (let i = 0; i < pairs.length; i += 2) entries.push([pairs[i], pairs[i + 1]]);
        return fd;
      }
      throw new TypeError("Failed to execute 'formData': the body's Content-Type is not multipart/form-data or application/x-www-form-urlencoded.");
    }
    return { FormData, encodeForm, parseForm };
  });

  Object.assign(internals, {
    formDataAPI,
  });
})
