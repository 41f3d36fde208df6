package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/message"
	"github.com/swhost/swhost/weberr"
)

func init() {
	register(&command{name: "trigger", summary: "fire a push, sync, notification or message event at a registration's worker", run: runTrigger})
	register(&command{name: "message", summary: "post a message to a registration's worker as a client and print its replies", run: runMessage})
}

// runTrigger is swhost trigger EVENT SCOPE: one JSON line with the
// event's outcome, the notifications shown and the messages posted; exit
// 0 when the event's promises fulfilled, 1 when one rejected, 2 for bad
// input.
func runTrigger(ctx context.Context, e *env, args []string) int {
	fs := e.newFlagSet("trigger", "[--payload TEXT] [--tag TAG] [--last-chance] [--notification ID|TAG] [--action A] [--client URL] [--base URL] [--timeout D] EVENT SCOPE\n\nEVENT: push, pushsubscriptionchange, sync, periodicsync, notificationclick, notificationclose, message")
	var hf hostFlags
	hf.add(fs)
	payload := fs.String("payload", "", "push: the message's data (none when not given); message: a JSON value")
	tag := fs.String("tag", "", "sync and periodicsync: the tag")
	lastChance := fs.Bool("last-chance", false, "sync: SyncEvent.lastChance")
	notification := fs.String("notification", "", "notificationclick and notificationclose: the id or tag of a shown notification")
	action := fs.String("action", "", "notificationclick: the action clicked")
	client := fs.String("client", "", "message: the URL of the window client it comes from (default: the scope)")
	base := fs.String("base", "", "base URL for a relative legacy SCOPE or a pattern without baseUrl")
	timeout := addTimeoutFlag(fs)
	pos, status := flagsOrUsage(fs, args, 2, 2)
	if status >= 0 {
		return status
	}
	req := agent.TriggerRequest{Type: pos[0], Tag: *tag, LastChance: *lastChance, Notification: *notification, Action: *action, Client: *client}
	payloadSet := false
	fs.Visit(func(f *flag.Flag) { payloadSet = payloadSet || f.Name == "payload" })
	if payloadSet {
		req.Data = []byte(*payload)
	}
	if req.Type == "message" {
		if err := json.Unmarshal([]byte(*payload), &req.Message); err != nil {
			return e.fail(exitBadInput, weberr.Errorf(weberr.SyntaxError, "--payload of a message is JSON: %v", err))
		}
	}
	ctx, cancel := withTimeout(ctx, *timeout)
	defer cancel()
	h, err := hf.open(ctx, e)
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	defer h.Close()
	defer h.settle(ctx, e)
	reg, err := findRegistration(h, pos[1], *base)
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	res, err := h.agent.Trigger(ctx, reg, req)
	if err != nil {
		return e.fail(exitBadInput, timedOut(ctx, err, *timeout))
	}
	line, err := json.Marshal(res)
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	fmt.Fprintf(e.stdout, "%s\n", line)
	if res.Err != nil {
		return exitNoMatch
	}
	return exitOK
}

// runMessage is swhost message --client URL SCOPE JSON: the message goes
// to the active worker as from a window client at URL, and every message
// the worker posts back to that client (and, with --transfer-port, on the
// port it was given) is printed as a JSON line, until --count messages
// or --timeout.
func runMessage(ctx context.Context, e *env, args []string) int {
	fs := e.newFlagSet("message", "--client URL [--transfer-port] [--count N] [--base URL] [--timeout D] SCOPE JSON")
	var hf hostFlags
	hf.add(fs)
	client := fs.String("client", "", "URL of the window client the message comes from (required)")
	transfer := fs.Bool("transfer-port", false, "transfer a MessagePort with the message (event.ports[0]); what the worker posts on it is printed too")
	count := fs.Int("count", 0, "stop after this many messages (0: until --timeout)")
	base := fs.String("base", "", "base URL for a relative legacy SCOPE or a pattern without baseUrl")
	timeout := fs.Duration("timeout", 5*time.Second, "stop waiting for replies after this long")
	pos, status := flagsOrUsage(fs, args, 2, 2)
	if status >= 0 {
		return status
	}
	if *client == "" {
		fs.Usage()
		return exitBadInput
	}
	var data any
	if err := json.Unmarshal([]byte(pos[1]), &data); err != nil {
		return e.fail(exitBadInput, weberr.Errorf(weberr.SyntaxError, "the message is JSON: %v", err))
	}
	ctx, cancel := withTimeout(ctx, *timeout)
	defer cancel()
	h, err := hf.open(ctx, e)
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	defer h.Close()
	reg, err := findRegistration(h, pos[0], *base)
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	c, err := h.agent.ClientForURL(*client)
	if err != nil {
		return e.fail(exitBadInput, weberr.Errorf(weberr.TypeError, "--client: %v", err))
	}
	type line struct {
		Via  string `json:"via"` // "client" or "port"
		Data any    `json:"data"`
	}
	lines := make(chan line, 16)
	var ports []*message.Port
	if *transfer {
		mine, theirs := message.NewChannel()
		ports = append(ports, theirs)
		go func() {
			for {
				m, err := mine.Recv(ctx)
				if err != nil {
					return
				}
				lines <- line{"port", m.Value()}
			}
		}()
	}
	go func() {
		for {
			ev, err := c.NextEvent(ctx)
			if err != nil {
				return
			}
			if ev.Type == "message" {
				lines <- line{"client", ev.Message.Value()}
			}
		}
	}()
	if err := h.agent.PostMessageAs(ctx, c, reg, data, ports...); err != nil {
		return e.fail(failStatus(err), timedOut(ctx, err, *timeout))
	}
	for n := 0; *count == 0 || n < *count; n++ {
		select {
		case l := <-lines:
			b, err := json.Marshal(l)
			if err != nil {
				return e.fail(exitBadInput, err)
			}
			fmt.Fprintf(e.stdout, "%s\n", b)
		case <-ctx.Done():
			if *count > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return e.fail(exitNoMatch, weberr.Errorf(weberr.TimeoutError, "%d of %d messages within --timeout %v", n, *count, *timeout))
			}
			return exitOK
		}
	}
	return exitOK
}
