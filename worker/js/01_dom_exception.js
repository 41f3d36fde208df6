// 01_dom_exception.js: DOMException (WebIDL), and domErr to make one.
(function (internals, host, global) {
  'use strict';
  const {
    expose, kState, str
  } = internals;

  const legacyCodes = {
    IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
    NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11,
    SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15,
    TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20, URLMismatchError: 21,
    QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24, DataCloneError: 25,
  };
  class DOMException extends Error {
    constructor(message = '', name = 'Error') {
      super(str(message));
      Object.defineProperty(this, 'name', { value: str(name), writable: true, configurable: true, enumerable: false });
    }
    get code() { return legacyCodes[this.name] || 0; }
  }
  Object.defineProperties(DOMException, { INDEX_SIZE_ERR: { value: 1, enumerable: true }, HIERARCHY_REQUEST_ERR: { value: 3, enumerable: true }, WRONG_DOCUMENT_ERR: { value: 4, enumerable: true }, INVALID_CHARACTER_ERR: { value: 5, enumerable: true }, NO_MODIFICATION_ALLOWED_ERR: { value: 7, enumerable: true }, NOT_FOUND_ERR: { value: 8, enumerable: true }, NOT_SUPPORTED_ERR: { value: 9, enumerable: true }, INVALID_STATE_ERR: { value: 11, enumerable: true }, SYNTAX_ERR: { value: 12, enumerable: true }, INVALID_MODIFICATION_ERR: { value: 13, enumerable: true }, NAMESPACE_ERR: { value: 14, enumerable: true }, INVALID_ACCESS_ERR: { value: 15, enumerable: true }, TYPE_MISMATCH_ERR: { value: 17, enumerable: true }, SECURITY_ERR: { value: 18, enumerable: true }, NETWORK_ERR: { value: 19, enumerable: true }, ABORT_ERR: { value: 20, enumerable: true }, URLMISMATCH_ERR: { value: 21, enumerable: true }, QUOTA_EXCEEDED_ERR: { value: 22, enumerable: true }, TIMEOUT_ERR: { value: 23, enumerable: true }, INVALID_NODE_TYPE_ERR: { value: 24, enumerable: true }, DATA_CLONE_ERR: { value: 25, enumerable: true } });
  // QuotaExceededError (WebIDL) is the DOMException of that name, with
  // the quota and the amount requested when the thrower knows them.
  class QuotaExceededError extends DOMException {
    constructor(message = '', options = undefined) {
      if (options !== undefined && options !== null && typeof options !== 'object' && typeof options !== 'function') {
        throw new TypeError("Failed to construct 'QuotaExceededError': The provided value is not of type 'QuotaExceededErrorOptions'.");
      }
      const quota = options == null ? undefined : options.quota;
      const requested = options == null ? undefined : options.requested;
      const q = quota === undefined ? null : finite(quota, 'quota');
      const r = requested === undefined ? null : finite(requested, 'requested');
      if (q !== null && q < 0) throw new RangeError("Failed to construct 'QuotaExceededError': quota must be at least 0.");
      if (r !== null && r < 0) throw new RangeError("Failed to construct 'QuotaExceededError': requested must be at least 0.");
      if (q !== null && r !== null && r < q) throw new RangeError("Failed to construct 'QuotaExceededError': requested must be at least quota.");
      super(message, 'QuotaExceededError');
      this[kState] = { quota: q, requested: r };
    }
    get quota() { return quotaState(this).quota; }
    get requested() { return quotaState(this).requested; }
  }
  function finite(v, what) {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new TypeError("Failed to construct 'QuotaExceededError': " + what + ' is not a finite number.');
    return n;
  }
  function quotaState(e) {
    const st = e !== null && typeof e === 'object' ? e[kState] : undefined;
    if (st === undefined || !('quota' in st)) throw new TypeError('Illegal invocation');
    return st;
  }
  const domErr = (name, msg) => name === 'QuotaExceededError' ? new QuotaExceededError(msg) : new DOMException(msg, name);
  expose('DOMException', DOMException);
  expose('QuotaExceededError', QuotaExceededError);
  host.setErrorFactory((name, msg) => name === 'TypeError' ? new TypeError(msg) : name === 'RangeError' ? new RangeError(msg) : name === 'SyntaxError' && msg.startsWith('JS:') ? new SyntaxError(msg.slice(3)) : domErr(name, msg));

  Object.assign(internals, {
    DOMException, QuotaExceededError, domErr,
  });
})
