package network

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/coder/websocket"
)

// DialWebSocket opens a WebSocket connection to rawURL (ws: or wss:) for a
// worker's WebSocket, under the same egress policy and origin mapping as
// Fetch: an origin in Resolve is reached at its upstream (http becomes ws,
// https wss). header is sent with the handshake (the Origin of the worker);
// protocols are the subprotocols offered. The connection's read limit is
// the caller's to set.
func (t *Transport) DialWebSocket(ctx context.Context, rawURL string, protocols []string, header http.Header) (*websocket.Conn, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		return nil, fmt.Errorf("network: %q is not a WebSocket URL", rawURL)
	}
	target := *u
	httpScheme := map[string]string{"ws": "http", "wss": "https"}[u.Scheme]
	if up, ok := t.Resolve[httpScheme+"://"+strings.ToLower(u.Host)]; ok {
		uu, err := url.Parse(up)
		if err != nil {
			return nil, fmt.Errorf("network: upstream %q: %w", up, err)
		}
		target.Scheme = map[string]string{"http": "ws", "https": "wss"}[uu.Scheme]
		target.Host = uu.Host
		target.Path = strings.TrimSuffix(uu.Path, "/") + u.Path
	}
	conn, resp, err := websocket.Dial(ctx, target.String(), &websocket.DialOptions{
		HTTPClient:   t.socketClient(),
		HTTPHeader:   header,
		Host:         u.Host,
		Subprotocols: protocols,
	})
	if resp != nil && resp.Body != nil && err != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("network: WebSocket %s: %w", rawURL, err)
	}
	return conn, nil
}

// socketClient is httpClient without its exchange timeout, which would end
// a WebSocket connection: connections are still made by t.DialContext.
func (t *Transport) socketClient() *http.Client {
	c := *t.httpClient()
	c.Timeout = 0
	return &c
}
