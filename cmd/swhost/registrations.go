package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
)

func init() {
	register(&command{name: "register", summary: "register a service worker (install and activate it)", run: runRegister})
	register(&command{name: "ls", summary: "list every registration with its versions", run: runLs})
	register(&command{name: "update", summary: "check a registration's scripts for updates", run: runUpdate})
	register(&command{name: "unregister", summary: "unregister a registration", run: runUnregister})
}

// flagsOrUsage parses args; it returns the positional arguments, or a
// non-negative exit status when the command must stop.
func flagsOrUsage(fs *flag.FlagSet, args []string, min, max int) ([]string, int) {
	pos, err := parseFlags(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, exitOK
		}
		return nil, exitBadInput
	}
	if len(pos) < min || (max >= 0 && len(pos) > max) {
		fs.Usage()
		return nil, exitBadInput
	}
	return pos, -1
}

// failStatus picks the exit status for an error: 1 for network errors and
// failed installs, 2 for everything else (bad input, security errors).
func failStatus(err error) int {
	var (
		ie *registry.InstallError
		ne *registry.ScriptNetworkError
	)
	if errors.As(err, &ie) || errors.As(err, &ne) {
		return exitNoMatch
	}
	return exitBadInput
}

func runRegister(ctx context.Context, e *env, args []string) int {
	fs := e.newFlagSet("register", "--client URL [--scope SCOPE] [--type classic|module] [--update-via-cache MODE] [--timeout D] SCRIPT_URL")
	var hf hostFlags
	hf.add(fs)
	client := fs.String("client", "", "URL of the registering page (required)")
	scopeText := fs.String("scope", "", "scope: a legacy scope string or a JSON scope pattern (default: the script's directory)")
	typ := fs.String("type", "classic", "worker type: classic or module")
	uvc := fs.String("update-via-cache", "imports", "update via cache mode: imports, all or none")
	timeout := addTimeoutFlag(fs)
	pos, status := flagsOrUsage(fs, args, 1, 1)
	if status >= 0 {
		return status
	}
	if *client == "" {
		fs.Usage()
		return exitBadInput
	}
	ctx, cancel := withTimeout(ctx, *timeout)
	defer cancel()
	h, err := hf.open(ctx, e)
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	defer h.Close()
	defer h.settle(ctx, e)
	reg, err := h.reg.Register(ctx, registry.RegisterRequest{
		ClientURL: *client, ScriptURL: pos[0], Scope: *scopeText,
		Type: sw.WorkerType(*typ), UpdateViaCache: sw.UpdateViaCache(*uvc),
	})
	if reg != nil {
		printRegistrations(e.stdout, []registry.Info{reg.Info()})
	}
	if err != nil {
		return e.fail(failStatus(err), timedOut(ctx, err, *timeout))
	}
	return exitOK
}

func runLs(ctx context.Context, e *env, args []string) int {
	fs := e.newFlagSet("ls", "[--json]")
	var hf hostFlags
	hf.add(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, status := flagsOrUsage(fs, args, 0, 0); status >= 0 {
		return status
	}
	h, err := hf.open(ctx, e)
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	defer h.Close()
	infos := []registry.Info{}
	for _, reg := range h.reg.Registrations("") {
		infos = append(infos, reg.Info())
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(infos); err != nil {
			return e.fail(exitBadInput, err)
		}
		return exitOK
	}
	printRegistrations(e.stdout, infos)
	return exitOK
}

// printRegistrations prints a table: one line per version.
func printRegistrations(w io.Writer, infos []registry.Info) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCOPE\tSLOT\tSTATE\tSCRIPT")
	for _, in := range infos {
		scopeText := string(in.Scope)
		var s string
		if json.Unmarshal(in.Scope, &s) == nil {
			scopeText = s
		}
		if len(in.Versions) == 0 {
			fmt.Fprintf(tw, "%s\t-\t-\t-\n", scopeText)
		}
		for i, v := range in.Versions {
			if i > 0 {
				scopeText = ""
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", scopeText, v.Slot, v.State, v.ScriptURL)
		}
	}
	tw.Flush()
}

// findRegistration returns the registration with the given scope text,
// resolved against base (for a relative legacy scope or a pattern without
// baseUrl).
func findRegistration(h *host, scopeText, base string) (*registry.Registration, error) {
	reg, err := h.reg.Get(scopeText, base)
	if err != nil {
		return nil, err
	}
	if reg == nil {
		return nil, weberr.Errorf(weberr.NotFoundError, "no registration has the scope %s", scopeText)
	}
	return reg, nil
}

func runUpdate(ctx context.Context, e *env, args []string) int {
	return scopeCommand(ctx, e, "update", args, func(ctx context.Context, h *host, reg *registry.Registration) error {
		if err := h.reg.Update(ctx, reg); err != nil {
			return err
		}
		printRegistrations(e.stdout, []registry.Info{reg.Info()})
		return nil
	})
}

func runUnregister(ctx context.Context, e *env, args []string) int {
	return scopeCommand(ctx, e, "unregister", args, func(ctx context.Context, h *host, reg *registry.Registration) error {
		if err := h.reg.Unregister(ctx, reg); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "unregistered %s\n", reg.ScopeText())
		return nil
	})
}

// scopeCommand runs a command that takes one SCOPE argument; fn gets ctx
// bounded by --timeout.
func scopeCommand(ctx context.Context, e *env, name string, args []string, fn func(context.Context, *host, *registry.Registration) error) int {
	fs := e.newFlagSet(name, "[--base URL] [--timeout D] SCOPE")
	var hf hostFlags
	hf.add(fs)
	base := fs.String("base", "", "base URL for a relative legacy SCOPE or a pattern without baseUrl")
	timeout := addTimeoutFlag(fs)
	pos, status := flagsOrUsage(fs, args, 1, 1)
	if status >= 0 {
		return status
	}
	ctx, cancel := withTimeout(ctx, *timeout)
	defer cancel()
	h, err := hf.open(ctx, e)
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	defer h.Close()
	defer h.settle(ctx, e)
	reg, err := findRegistration(h, pos[0], *base)
	if err == nil {
		err = fn(ctx, h, reg)
	}
	if err != nil {
		return e.fail(failStatus(err), timedOut(ctx, err, *timeout))
	}
	return exitOK
}
