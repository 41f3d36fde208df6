package agent

import (
	"context"
	"net/http"
	"strings"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/weburl"
)

// ClientHeader names the client of a request that arrives over HTTP
// (the edge listener, the forward proxy): the URL of the page that made
// it. It is swhost's own header; [Agent.FetchIncoming] removes it before
// the request goes on.
const ClientHeader = "Service-Worker-Client"

// FetchIncoming runs a request that arrived from outside swhost over HTTP
// (the edge listener, the forward proxy) through the lookup order.
// arrived is its header as it arrived (before hop-by-hop headers were
// removed for forwarding); it decides what the request is:
//
//   - its client is the page named by [ClientHeader], else its Referer,
//     else its Origin ("ORIGIN/"), else the target origin's root page;
//   - it is a navigation when Sec-Fetch-Mode says "navigate", or, without
//     Sec-Fetch-Mode, when it is a GET accepting text/html with no client
//     header, Referer or Origin: a new client is created for it and
//     closed once answered (no page stays behind an HTTP request);
//   - otherwise its mode is Sec-Fetch-Mode's ("cors", "no-cors",
//     "same-origin"), or, without one, "cors" when it carries an Origin
//     other than its client's and "no-cors" when not, and it is fetched
//     by its client ([Agent.ClientForURL], controlled as a page there
//     would be).
//
// FetchIncoming takes req over: it removes [ClientHeader] from
// req.Header and completes req as its client's request (mode, client,
// origin, referrer, credentials; no copy is made). The error is non-nil when no client
// could be made for the request or ctx ended.
func (a *Agent) FetchIncoming(ctx context.Context, req *fetch.Request, arrived http.Header) (*Result, error) {
	client := incomingClient(arrived)
	req.Header.Del(ClientHeader)
	secMode := arrived.Get("Sec-Fetch-Mode")
	switch m := fetch.Mode(secMode); m {
	case fetch.ModeCORS, fetch.ModeNoCORS, fetch.ModeSameOrigin:
		req.Mode = m
	}
	if isIncomingNavigation(req.Method, arrived, secMode, client) {
		req.Mode = fetch.ModeNavigate
		c, res, err := a.Navigate(ctx, req)
		if err == nil {
			// There is no page behind an HTTP request to keep the client
			// alive; its subresources find a client by their Referer.
			c.Close()
		}
		return res, err
	}
	if client == "" {
		client = rootOf(req.URL)
	}
	c, err := a.ClientForURL(client)
	if err != nil {
		return nil, err
	}
	if req.Mode == "" {
		req.Mode = fetch.ModeNoCORS
		if o := arrived.Get("Origin"); o != "" && o != c.Origin() {
			req.Mode = fetch.ModeCORS
		}
	}
	return c.fetch(ctx, req)
}

// rootOf returns the URL of the root page of rawURL's origin
// ("ORIGIN/"); for a string that is not a URL, something that is not one
// either ("" or the string cut). An http or https URL
// without credentials gives it by cutting after its authority, whose
// spelling ClientForURL then canonicalizes as it would the whole URL's
// (the edge's URLs are canonical already: no parse at all); any other
// is parsed.
func rootOf(rawURL string) string {
	for _, scheme := range [...]string{"https://", "http://"} {
		rest, ok := strings.CutPrefix(rawURL, scheme)
		if !ok {
			continue
		}
		if i := strings.IndexAny(rest, "/?#@\\"); i > 0 && rest[i] == '/' {
			return rawURL[:len(scheme)+i+1]
		}
		break
	}
	u, err := weburl.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Origin() + "/"
}

// incomingClient returns the URL of the client an incoming request names:
// its ClientHeader, else its Referer, else its Origin; "" when none.
func incomingClient(h http.Header) string {
	if c := h.Get(ClientHeader); c != "" {
		return c
	}
	if ref := h.Get("Referer"); ref != "" {
		return ref
	}
	if o := h.Get("Origin"); o != "" && o != "null" {
		return o + "/"
	}
	return ""
}

// isIncomingNavigation reports whether an incoming request loads a page:
// Sec-Fetch-Mode: navigate, or a top-level GET accepting HTML with no
// client behind it.
func isIncomingNavigation(method string, arrived http.Header, secMode, client string) bool {
	if secMode != "" {
		return secMode == "navigate"
	}
	return method == http.MethodGet && client == "" && strings.Contains(arrived.Get("Accept"), "text/html")
}
