// Package registry keeps service-worker registrations and runs their
// lifecycle, following the Service Workers spec's algorithms: Register,
// Update, Soft Update, Install, Activate, Try Activate, Unregister, Clear
// Registration and Match Service Worker Registration.
//
// A Registry owns the scope index (package scope), the persistent store
// (package store) and one worker per version (package worker). Jobs for
// one scope run one at a time, as the spec's job queues do; jobs for
// different scopes run concurrently.
//
//	reg, err := r.Register(ctx, registry.RegisterRequest{
//		ClientURL: "https://app.test/", ScriptURL: "/sw.js", Scope: `{"path":"/maps/?*"}`,
//	})
//	reg = r.MatchString("https://app.test/maps/x") // the registration controlling a URL
//
// In a fleet (a store with a coordinator, see store.CoordinatorOf: the
// PostgreSQL store that several nodes share) jobs for one scope also run
// one at a time across every node, and each node reloads what the others
// change: see fleet.go and docs/fleet.md. On SQLite nothing of that runs.
//
// Errors carry the spec's exception names (TypeError, SecurityError, ...)
// through package weberr.
package registry
