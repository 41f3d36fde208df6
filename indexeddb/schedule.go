package indexeddb

// scheduler is a database's transaction scheduling (IndexedDB 3.0,
// "transaction scheduling"): a read-only transaction starts when no
// read/write transaction created before it with an overlapping scope is
// unfinished; any other starts when no transaction created before it with
// an overlapping scope is unfinished. An upgrade transaction's scope is
// every store.
//
// It keeps the transactions that have not started in creation order and,
// per store, how many started ones use it, so that a transaction created
// while nothing waits starts or waits after a look at its own stores, and
// a pass over the waiting ones stops once every store they use is closed
// to them: O(scope) per transaction in the common case, rather than a scan
// of every unfinished transaction. Its methods are called with the
// database's lock held.
type scheduler struct {
	waiting  []*Transaction      // created, not started, in creation order; some dropped (see remove)
	nwait    int                 // those of waiting not dropped
	started  map[string]storeUse // per store: the started, unfinished transactions on it
	queued   map[string]int      // per store: the waiting transactions on it
	upgrades int                 // started, unfinished upgrade transactions
	closed   map[string]bool     // scratch of pass
}

// storeUse counts transactions on a store by mode.
type storeUse struct{ readers, writers int }

// A start function starts a transaction the scheduler lets start, and
// reports false when it cannot (an abort got there first: the abort's
// finish removes it).
type startFunc func(*Transaction) bool

// add registers t, the latest created transaction, and starts what can
// start.
func (s *scheduler) add(t *Transaction, start startFunc) {
	if s.started == nil {
		s.started, s.queued, s.closed = make(map[string]storeUse), make(map[string]int), make(map[string]bool)
	}
	if s.nwait == 0 && s.free(t) && s.begin(t, start) {
		return
	}
	s.nwait++
	s.waiting = append(s.waiting, t)
	for _, name := range t.scope {
		s.queued[name]++
	}
	s.pass(start)
}

// remove deregisters t, finished or aborted, and starts what can start.
// A waiting transaction is marked dropped, and leaves the waiting list
// when a pass reaches it: aborting many (a connection closed with
// thousands queued) costs no search.
func (s *scheduler) remove(t *Transaction, start startFunc) {
	if !t.scheduled {
		if t.dropped {
			return
		}
		t.dropped = true
		s.nwait--
		s.unqueue(t)
	} else {
		if t.scope == nil {
			s.upgrades--
		}
		for _, name := range t.scope {
			u := s.started[name]
			if t.mode == ReadOnly {
				u.readers--
			} else {
				u.writers--
			}
			if u == (storeUse{}) {
				delete(s.started, name)
			} else {
				s.started[name] = u
			}
		}
	}
	s.pass(start)
}

// free reports whether t conflicts with no started transaction. Started
// transactions created after a waiting one never conflict with it (they
// would have waited for it), so for the first waiting transaction, and
// for a new one when none waits, free is the whole rule.
func (s *scheduler) free(t *Transaction) bool {
	if s.upgrades > 0 {
		return false
	}
	if t.scope == nil {
		return len(s.started) == 0
	}
	for _, name := range t.scope {
		u := s.started[name]
		if u.writers > 0 || (t.mode != ReadOnly && u.readers > 0) {
			return false
		}
	}
	return true
}

// begin starts t and counts it; false when start refused.
func (s *scheduler) begin(t *Transaction, start startFunc) bool {
	if !start(t) {
		return false
	}
	t.scheduled = true
	if t.scope == nil {
		s.upgrades++
	}
	for _, name := range t.scope {
		u := s.started[name]
		if t.mode == ReadOnly {
			u.readers++
		} else {
			u.writers++
		}
		s.started[name] = u
	}
	return true
}

func (s *scheduler) unqueue(t *Transaction) {
	for _, name := range t.scope {
		if s.queued[name]--; s.queued[name] == 0 {
			delete(s.queued, name)
		}
	}
}

// pass starts the waiting transactions that can start, in creation order.
// A waiting transaction also waits for the waiting ones before it that it
// conflicts with: a store on which a waiting read/write transaction (or a
// started one) was met is closed to every later transaction, and one with
// a waiting reader to later writers. The pass ends when the waiting
// transactions are done or every store they use is closed.
func (s *scheduler) pass(start startFunc) {
	if s.nwait == 0 {
		clear(s.waiting)
		s.waiting = s.waiting[:0]
		return
	}
	clear(s.closed)
	var readers map[string]bool // stores with an earlier waiting reader; made when needed
	upgradeWaits := false
	// The transactions kept waiting are gathered at the start of the
	// part scanned, then moved up next to the part not scanned (rather
	// than that part down to them): a pass costs what it scanned.
	kept, i := 0, 0
	for ; i < len(s.waiting); i++ {
		if len(s.closed) == len(s.queued) && len(s.queued) > 0 {
			break
		}
		t := s.waiting[i]
		if t.dropped {
			continue // not kept
		}
		can := !upgradeWaits && s.free(t)
		if can && t.scope == nil {
			can = kept == 0
		}
		if can {
			for _, name := range t.scope {
				if s.closed[name] || (t.mode != ReadOnly && readers[name]) {
					can = false
					break
				}
			}
		}
		if can && s.begin(t, start) {
			s.nwait--
			s.unqueue(t)
			continue
		}
		s.waiting[kept] = t
		kept++
		if t.scope == nil {
			upgradeWaits = true
			continue
		}
		for _, name := range t.scope {
			if t.mode != ReadOnly || s.started[name].writers > 0 {
				s.closed[name] = true
			} else {
				if readers == nil {
					readers = make(map[string]bool)
				}
				readers[name] = true
			}
		}
	}
	from := i - kept
	copy(s.waiting[from:i], s.waiting[:kept])
	clear(s.waiting[:from])
	s.waiting = s.waiting[from:]
}

// txList is a list of transactions in creation order, linked through
// them: a finished one leaves it in O(1).
type txList struct{ first, last *Transaction }

func (l *txList) push(t *Transaction) {
	t.prev, t.next = l.last, nil
	if l.last == nil {
		l.first = t
	} else {
		l.last.next = t
	}
	l.last = t
}

func (l *txList) remove(t *Transaction) {
	if t.prev == nil {
		if l.first != t {
			return // not in the list
		}
		l.first = t.next
	} else {
		t.prev.next = t.next
	}
	if t.next == nil {
		l.last = t.prev
	} else {
		t.next.prev = t.prev
	}
	t.prev, t.next = nil, nil
}
