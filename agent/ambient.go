package agent

import (
	"container/list"

	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/weberr"
)

// MaxAmbientClients caps the clients that ClientForURL keeps for requests
// arriving without a page behind them (the edge listener and the forward
// proxy identify clients only by URL). The least recently used is closed
// beyond it.
const MaxAmbientClients = 1024

// ClientForURL returns an open client for the page at rawURL, creating
// one when there is none. A created client is controlled by the active
// worker of the registration whose scope matches rawURL, if any, as if the
// page had been navigated to; no request is made. Such clients are kept in
// a least-recently-used set of MaxAmbientClients.
func (a *Agent) ClientForURL(rawURL string) (*Client, error) {
	// A URL already in its canonical form is its own key: no parse.
	if c := a.ambientHit(rawURL); c != nil {
		return c, nil
	}
	u, err := weburl.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	key := u.HrefWithoutFragment()
	if c := a.ambientHit(key); c != nil {
		return c, nil
	}
	c := a.newPageClient(u)
	var evict *Client
	a.mu.Lock()
	if old := a.ambient[key]; old != nil { // lost a race: use the first
		a.mu.Unlock()
		c.Close()
		return old.Value.(*Client), nil
	}
	if a.ambient == nil {
		a.ambient = map[string]*list.Element{}
	}
	a.ambient[key] = a.ambientLRU.PushBack(c)
	if a.ambientLRU.Len() > MaxAmbientClients {
		oldest := a.ambientLRU.Front()
		evict = a.ambientLRU.Remove(oldest).(*Client)
		delete(a.ambient, evict.u.HrefWithoutFragment())
	}
	a.mu.Unlock()
	if evict != nil {
		evict.Close()
	}
	return c, nil
}

// ambientHit returns the ambient client kept under key, made the most
// recently used, or nil.
func (a *Agent) ambientHit(key string) *Client {
	a.mu.Lock()
	defer a.mu.Unlock()
	e := a.ambient[key]
	if e == nil {
		return nil
	}
	a.ambientLRU.MoveToBack(e)
	return e.Value.(*Client)
}

// newPageClient makes and adds a client for a page at u, controlled by
// the active worker of the registration whose scope matches u, as if
// the page had been navigated to; no request is made.
func (a *Agent) newPageClient(u *weburl.URL) *Client {
	c := &Client{a: a, id: newID(), url: u.Href(), u: u, origin: u.Origin(), wake: make(chan struct{})}
	if reg := a.reg.Match(u); reg != nil && reg.Active() != nil {
		c.setController(reg)
	}
	a.mu.Lock()
	a.clients[c.id] = c
	a.mu.Unlock()
	return c
}

// OpenClient returns a new client for a page at rawURL that lives until
// it is closed: a real page talking to its service worker through swhost
// (the connect bridge). It is controlled as ClientForURL's clients are.
func (a *Agent) OpenClient(rawURL string) (*Client, error) {
	u, err := weburl.Parse(rawURL)
	if err != nil {
		return nil, weberr.Errorf(weberr.TypeError, "invalid page URL %q", rawURL)
	}
	return a.newPageClient(u), nil
}
