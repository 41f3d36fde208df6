package main

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

func init() {
	register(&command{name: "fetch", summary: "make a request as a client and show which layer answered", run: runFetch})
}

func runFetch(ctx context.Context, e *env, args []string) int {
	fs := e.newFlagSet("fetch", "--client URL [-X METHOD] [-H 'Name: value']... [--data-raw BODY] [--timeout D] URL")
	var hf hostFlags
	hf.add(fs)
	client := fs.String("client", "", "URL of the page making the request (required)")
	method := fs.String("X", "GET", "request method")
	var headers stringList
	fs.Var(&headers, "H", "request header 'Name: value' (repeatable)")
	body := fs.String("data-raw", "", "request body")
	mode := fs.String("mode", "cors", "request mode for a subresource request: cors, no-cors or same-origin")
	timeout := addTimeoutFlag(fs)
	pos, status := flagsOrUsage(fs, args, 1, 1)
	if status >= 0 {
		return status
	}
	if *client == "" {
		fs.Usage()
		return exitBadInput
	}
	switch fetch.Mode(*mode) {
	case fetch.ModeCORS, fetch.ModeNoCORS, fetch.ModeSameOrigin:
	default:
		return e.fail(exitBadInput, weberr.Errorf(weberr.TypeError, "invalid --mode %q: cors, no-cors or same-origin", *mode))
	}
	req := &fetch.Request{Method: strings.ToUpper(*method), URL: pos[0], Header: http.Header{}, Mode: fetch.Mode(*mode)}
	for _, h := range headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return e.fail(exitBadInput, weberr.Errorf(weberr.TypeError, "invalid header %q: want 'Name: value'", h))
		}
		req.Header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	if *body != "" {
		req.Body = []byte(*body)
	}

	ctx, cancel := withTimeout(ctx, *timeout)
	defer cancel()
	h, err := hf.open(ctx, e)
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	defer h.Close()
	// The worker's work after answering (waitUntil) ends before it stops.
	defer h.settle(ctx, e)

	// Navigate the client; when the URL is the client's own, that
	// navigation is the request.
	navReq := &fetch.Request{URL: *client}
	same := sameURL(*client, pos[0])
	if same {
		navReq = req
		navReq.URL = *client
	}
	c, res, err := h.agent.Navigate(ctx, navReq)
	if err != nil {
		return e.fail(exitBadInput, timedOut(ctx, err, *timeout))
	}
	if !same {
		if res, err = c.Fetch(ctx, req); err != nil {
			return e.fail(exitBadInput, timedOut(ctx, err, *timeout))
		}
	}
	return printResult(e, res)
}

func sameURL(a, b string) bool {
	strip := func(s string) string {
		if i := strings.IndexByte(s, '#'); i >= 0 {
			return s[:i]
		}
		return s
	}
	return strip(a) == strip(b)
}

// printResult prints the response like curl -i and names the layer that
// answered on stderr. A network error exits 1.
func printResult(e *env, res *agent.Result) int {
	fmt.Fprintf(e.stderr, "served-by: %s\n", res.ServedBy())
	resp := res.Response
	if resp.IsNetworkError() {
		fmt.Fprintf(e.stderr, "swhost: TypeError: Failed to fetch\n%s\n", resp.Error)
		return exitNoMatch
	}
	if resp.Type != "" {
		fmt.Fprintf(e.stderr, "response-type: %s\n", resp.Type)
	}
	if resp.Type == fetch.TypeOpaque {
		// What a page sees of an opaque response: status 0, nothing else.
		fmt.Fprint(e.stdout, "HTTP/1.1 0 \r\n\r\n")
		return exitOK
	}
	fmt.Fprintf(e.stdout, "HTTP/1.1 %s\r\n", resp.StatusLine())
	names := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range resp.Header[k] {
			fmt.Fprintf(e.stdout, "%s: %s\r\n", strings.ToLower(k), v)
		}
	}
	fmt.Fprint(e.stdout, "\r\n")
	e.stdout.Write(resp.Body)
	return exitOK
}
