package store

import (
	"sync"

	"github.com/swhost/swhost/fetch"
)

// metaMemo memoizes the decoding of cache entries' stored request and
// response metadata (their JSON text, without bodies): a cache hit
// decodes the same few entries again and again, and encoding/json's
// reflection was over a third of a Cache Storage match's time in the
// store. It is keyed by the text itself, so it never goes stale
// whatever is written or deleted, and holds at most 2×memoSize texts of
// each kind: when the current generation is full it becomes the old
// one (still read) and a new one starts. get returns a copy the caller
// owns (headers and URL lists cloned).
type metaMemo[T any] struct {
	mu       sync.Mutex
	cur, old map[string]*T
}

// memoSize is a generation's number of texts; texts longer than
// memoMaxText are not kept.
const (
	memoSize    = 512
	memoMaxText = 16 << 10
)

func (m *metaMemo[T]) get(text string) (*T, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.cur[text]; ok {
		return v, true
	}
	if v, ok := m.old[text]; ok {
		m.addLocked(text, v)
		return v, true
	}
	return nil, false
}

func (m *metaMemo[T]) add(text string, v *T) {
	if len(text) > memoMaxText {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.addLocked(text, v)
}

func (m *metaMemo[T]) addLocked(text string, v *T) {
	if m.cur == nil || len(m.cur) >= memoSize {
		m.old, m.cur = m.cur, make(map[string]*T, memoSize)
	}
	m.cur[text] = v
}

var (
	requestMemo  metaMemo[storedRequest]
	responseMemo metaMemo[storedResponse]
)

// copyRequest returns a copy of s's request that shares nothing mutable
// with it.
func copyRequest(s *storedRequest) fetch.Request {
	r := s.Request
	r.Header = s.Header.Clone()
	return r
}

// copyResponse is copyRequest for a response.
func copyResponse(s *storedResponse) fetch.Response {
	r := s.Response
	r.Header = s.Header.Clone()
	if s.URLList != nil {
		r.URLList = append([]string(nil), s.URLList...)
	}
	return r
}
