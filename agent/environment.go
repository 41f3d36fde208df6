package agent

import (
	"context"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/worker"
)

// Environment returns the registry environment (registry.Environment)
// through which workers reach the agent that get returns: fetch() through
// the lookup order (WorkerFetcher), self.clients (WorkerClients),
// navigator.onLine (WorkerOnline) and clients.openWindow
// (WorkerOpenWindow). The registry is made before the agent, so get is
// called only when a worker starts, after the agent exists; it must not
// return nil then. Hooks is left nil for the caller to set (the connect
// broker's).
func Environment(get func() *Agent) registry.Environment {
	return registry.Environment{
		Fetcher: func(r *registry.Registration) fetch.Fetcher { return get().WorkerFetcher(r) },
		Clients: func(r *registry.Registration) worker.Clients { return get().WorkerClients(r) },
		Online:  func(r *registry.Registration) bool { return get().WorkerOnline(r) },
		OpenWindow: func(ctx context.Context, r *registry.Registration, url string) (worker.Client, error) {
			return get().WorkerOpenWindow(ctx, r, url)
		},
	}
}
