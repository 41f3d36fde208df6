// Code generated from worker/records.go by TestRecordsJS (go test ./worker -run TestRecordsJS -update); DO NOT EDIT.
// The slots of the records Go and JavaScript exchange.
(function (internals, host, global) {
  'use strict';
  Object.assign(internals, {
    // record U (records.go)
    U_HREF: 0, U_ORIGIN: 1, U_PROTOCOL: 2, U_USERNAME: 3, U_PASSWORD: 4, U_HOST: 5, U_HOSTNAME: 6, U_PORT: 7, U_PATHNAME: 8, U_SEARCH: 9, U_HASH: 10, U_SLOTS: 11,
    // record X (records.go)
    X_MODE: 0, X_CREDENTIALS: 1, X_DESTINATION: 2, X_REFERRER: 3, X_CACHE: 4, X_REDIRECT: 5, X_POLICY: 6, X_INTEGRITY: 7, X_KEEPALIVE: 8, X_SLOTS: 9,
    // record Q (records.go)
    Q_METHOD: 0, Q_URL: 1, Q_HEADERS: 2, Q_BODY: 3, Q_MODE: 4, Q_CREDENTIALS: 5, Q_REDIRECT: 6, Q_DESTINATION: 7, Q_REFERRER: 8, Q_CACHE: 9, Q_SLOTS: 10,
    // record O (records.go)
    O_IGNORE_SEARCH: 0, O_IGNORE_METHOD: 1, O_IGNORE_VARY: 2, O_CACHE_NAME: 3, O_SLOTS: 4,
  });
})
