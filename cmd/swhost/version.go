package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

func init() {
	register(&command{
		name:    "version",
		summary: "print the swhost version and Go toolchain",
		run: func(_ context.Context, e *env, args []string) int {
			version := "(devel)"
			goVersion := "unknown"
			if bi, ok := debug.ReadBuildInfo(); ok {
				goVersion = bi.GoVersion
				if bi.Main.Version != "" {
					version = bi.Main.Version
				}
			}
			fmt.Fprintf(e.stdout, "swhost %s %s\n", version, goVersion)
			return exitOK
		},
	})
}
