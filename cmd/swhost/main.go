// Command swhost is a service-worker host: it runs service-worker scripts
// outside a browser, decides which worker controls a URL, and answers
// requests and cross-origin connections through them.
//
// Usage:
//
//	swhost <command> [flags] [arguments]
//
// Run "swhost help" for the list of commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/swhost/swhost/weberr"
)

// Exit statuses shared by every command.
const (
	exitOK       = 0 // success
	exitNoMatch  = 1 // ran fine, but some input had no match / a network error
	exitBadInput = 2 // invalid flags, pattern, scope or other input
)

// command is one swhost subcommand. Each lives in its own file and adds
// itself to commands from an init function, so commands never share code
// paths beyond this file.
type command struct {
	name    string
	summary string // one line for "swhost help"
	// run executes the command. args excludes the command name. It returns
	// the process exit status; errors are reported by run itself through env.
	run func(ctx context.Context, env *env, args []string) int
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("swhost: duplicate command " + c.name)
	}
	commands[c.name] = c
}

// env is the process environment a command runs in; tests substitute their
// own streams.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// fail prints err the way every command reports errors and returns status.
// A web exception name anywhere in err's chain moves to the front, keeping
// the context that wraps it: "swhost: TypeError: --scope 0: invalid ...".
func (e *env) fail(status int, err error) int {
	if name := weberr.NameOf(err); name != "" {
		msg := strings.Replace(err.Error(), name+": ", "", 1)
		fmt.Fprintf(e.stderr, "swhost: %s: %s\n", name, msg)
	} else {
		fmt.Fprintf(e.stderr, "swhost: %v\n", err)
	}
	return status
}

// newFlagSet returns a flag set that reports errors to e.stderr instead of
// exiting, with a usage line for the command.
func (e *env) newFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: swhost %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args with fs, allowing flags after positional
// arguments ("swhost pattern PATTERN --ignore-case INPUT"). It returns the
// positional arguments, or an error already reported to stderr.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		if len(args) == 0 {
			return exitBadInput
		}
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		return e.fail(exitBadInput, errors.New("unknown command "+fmt.Sprintf("%q", args[0])+"; run 'swhost help'"))
	}
	return c.run(ctx, e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "swhost runs service workers outside a browser.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "usage: swhost <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
}
