package worker

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"github.com/coder/websocket"
	"github.com/grafana/sobek"

	"github.com/swhost/swhost/weberr"
)

// Bindings of js/51_websocket.js: the WebSocket API over Options.WebSockets
// (the network's dialer, under its egress policy). Each socket is a
// handle; what happens to it reaches JavaScript as loop tasks calling the
// socket's event function with ("open", protocol, extensions),
// ("message", data), ("sent", bytes) once a send left the buffer,
// ("error"), and ("close", code, reason, wasClean), the last call.

// wsConn is one WebSocket connection of the instance.
type wsConn struct {
	in     *instance
	event  sobek.Callable
	cancel context.CancelFunc

	mu     sync.Mutex
	conn   *websocket.Conn // nil until open
	queue  []wsFrame       // sends waiting for the connection, in order
	closed bool            // close asked; no send is queued after it
	code   int
	reason string
	wake   chan struct{}
}

type wsFrame struct {
	typ  websocket.MessageType
	data []byte
}

// wsOpen is host.wsOpen(url, protocols, origin, event): a new connection
// to url, its events delivered to event. More than MaxWebSockets open
// connections is a QuotaExceededError.
func (in *instance) wsOpen(a *args) sobek.Value {
	url := a.string()
	protocols := in.stringList(a.value())
	origin := a.string()
	event, ok := sobek.AssertFunction(a.value())
	if !ok {
		panic(in.rt.NewTypeError("wsOpen: no event function"))
	}
	if in.sockets == nil {
		in.sockets = map[*wsConn]bool{}
	}
	if len(in.sockets) >= in.w.limits.MaxWebSockets {
		in.throw(weberr.Errorf(weberr.QuotaExceeded, "too many WebSocket connections (the limit is %d)", in.w.limits.MaxWebSockets))
	}
	ctx, cancel := context.WithCancel(in.ctx)
	c := &wsConn{in: in, event: event, cancel: cancel, wake: make(chan struct{}, 1)}
	in.sockets[c] = true
	dialer := in.w.opts.WebSockets
	limit := int64(in.w.limits.MaxBodyBytes)
	go func() {
		if dialer == nil {
			c.finish(websocket.StatusAbnormalClosure, "", errors.New("no WebSocket dialer"))
			return
		}
		header := http.Header{}
		if origin != "" {
			header.Set("Origin", origin)
		}
		conn, err := dialer.DialWebSocket(ctx, url, protocols, header)
		if err != nil {
			in.w.log.Debug("WebSocket connection failed", "url", url, "err", err)
			c.finish(websocket.StatusAbnormalClosure, "", err)
			return
		}
		conn.SetReadLimit(limit)
		c.mu.Lock()
		c.conn = conn
		c.mu.Unlock()
		c.post("open", conn.Subprotocol(), "")
		go c.writeLoop(ctx)
		c.readLoop(ctx)
	}()
	return in.rt.ToValue(c)
}

// post delivers an event to JavaScript as a loop task.
func (c *wsConn) post(args ...any) {
	in := c.in
	in.loop.Submit(func() {
		vals := make([]sobek.Value, len(args))
		for i, a := range args {
			switch x := a.(type) {
			case []byte:
				vals[i] = in.rt.ToValue(in.rt.NewArrayBuffer(x))
			default:
				vals[i] = in.rt.ToValue(x)
			}
		}
		in.callback(c.event, vals...)
	})
}

// readLoop delivers messages until the connection ends.
func (c *wsConn) readLoop(ctx context.Context) {
	for {
		typ, data, err := c.conn.Read(ctx)
		if err != nil {
			code := websocket.CloseStatus(err)
			var ce websocket.CloseError
			if errors.As(err, &ce) {
				c.finish(code, ce.Reason, nil)
				return
			}
			c.finish(websocket.StatusAbnormalClosure, "", err)
			return
		}
		if typ == websocket.MessageText {
			c.post("message", string(data))
		} else {
			c.post("message", data)
		}
	}
}

// writeLoop sends queued frames in order, then the close frame.
func (c *wsConn) writeLoop(ctx context.Context) {
	for {
		c.mu.Lock()
		if len(c.queue) == 0 {
			closed, code, reason := c.closed, c.code, c.reason
			c.mu.Unlock()
			if closed {
				_ = c.conn.Close(websocket.StatusCode(code), reason)
				return
			}
			select {
			case <-c.wake:
				continue
			case <-ctx.Done():
				return
			}
		}
		f := c.queue[0]
		c.queue = c.queue[1:]
		c.mu.Unlock()
		if err := c.conn.Write(ctx, f.typ, f.data); err != nil {
			return // the read loop reports the end
		}
		c.post("sent", len(f.data))
	}
}

// finish reports the end of the connection: an error event first when it
// did not close cleanly, then the close event; the connection is no
// longer counted.
func (c *wsConn) finish(code websocket.StatusCode, reason string, err error) {
	c.cancel()
	clean := err == nil
	if code < 0 {
		code = websocket.StatusNoStatusRcvd
	}
	if !clean {
		c.post("error")
	}
	c.post("close", int(code), reason, clean)
	c.in.loop.Submit(func() { delete(c.in.sockets, c) })
}

func (c *wsConn) enqueue(f wsFrame, closing bool, code int, reason string) {
	c.mu.Lock()
	if !c.closed {
		if closing {
			c.closed, c.code, c.reason = true, code, reason
		} else {
			c.queue = append(c.queue, f)
		}
	}
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// wsSend is host.wsSend(socket, data): data (a string, sent as text, or
// bytes, sent as binary) queued after the sends before it.
func (in *instance) wsSend(c *wsConn, data sobek.Value) {
	if sobek.IsString(data) {
		b := utf8Bytes(data)
		in.checkSize(len(b))
		c.enqueue(wsFrame{typ: websocket.MessageText, data: b}, false, 0, "")
		return
	}
	b := append([]byte(nil), bytesOf(data)...)
	in.checkSize(len(b))
	c.enqueue(wsFrame{typ: websocket.MessageBinary, data: b}, false, 0, "")
}

// wsClose is host.wsClose(socket, code, reason): the closing handshake
// after the queued sends (code 1000 when the script gave none), or, for a
// connection not yet open, its failure.
func (in *instance) wsClose(c *wsConn, code int, reason string) {
	c.mu.Lock()
	open := c.conn != nil
	c.mu.Unlock()
	if !open {
		c.cancel() // the dial fails; finish reports the close
		return
	}
	c.enqueue(wsFrame{}, true, code, reason)
}

// closeSockets ends every WebSocket connection of the instance (it
// stopped).
func (in *instance) closeSockets() {
	for c := range in.sockets {
		c.cancel()
		c.mu.Lock()
		conn := c.conn
		c.mu.Unlock()
		if conn != nil {
			_ = conn.CloseNow()
		}
	}
	in.sockets = nil
}
