package agent

import (
	"context"
	"sync"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/worker"
)

// NavigationPreloadHeader is the request header of a navigation preload
// request, whose value is the registration's header value ("true" unless
// setHeaderValue changed it).
const NavigationPreloadHeader = "Service-Worker-Navigation-Preload"

// navigationPreload starts the navigation preload request of a navigation
// (a GET whose controller's registration has navigation preload enabled)
// through the steps after the worker, in parallel with the fetch event,
// and gives it to the event as init.Preload. It returns the function that
// ends the preload once the event is done (nil when there is none): a
// preload the worker did not read is abandoned.
func (a *Agent) navigationPreload(ctx context.Context, l lookup, next handler, init *worker.FetchEventInit) context.CancelFunc {
	if l.req.Mode != fetch.ModeNavigate || l.req.MethodOrGet() != "GET" {
		return nil
	}
	np := l.controller.Registration().NavigationPreload()
	if !np.Enabled {
		return nil
	}
	pctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	req := l.req.Clone()
	if req.Header == nil {
		req.Header = make(map[string][]string, 1)
	}
	req.Header.Set(NavigationPreloadHeader, np.HeaderValue)
	req.Redirect = fetch.RedirectManual
	pl := l
	pl.req = req
	pl.softUpdate = nil
	var (
		once sync.Once
		done = make(chan struct{})
		resp *fetch.Response
		err  error
	)
	go func() {
		defer close(done)
		res, e := next(pctx, pl)
		if e != nil {
			err = e
			return
		}
		resp = res.Response
	}()
	init.Preload = func(wctx context.Context) (*fetch.Response, error) {
		var out *fetch.Response
		var outErr error
		once.Do(func() {
			select {
			case <-done:
				out, outErr = resp, err
			case <-wctx.Done():
				outErr = wctx.Err()
			}
		})
		return out, outErr
	}
	return cancel
}
