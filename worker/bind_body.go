package worker

import "github.com/swhost/swhost/weberr"

// Bindings of js/11_blob.js and js/12_body.js.

// checkSize is host.checkSize(n): a QuotaExceededError when a body or
// buffer of n bytes is over the worker's MaxBodyBytes.
func (in *instance) checkSize(n int) {
	if n > in.w.limits.MaxBodyBytes {
		in.throw(weberr.Errorf(weberr.QuotaExceeded, "a body or buffer of %d bytes is over the worker's %d-byte limit", n, in.w.limits.MaxBodyBytes))
	}
}
