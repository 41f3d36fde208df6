// Package sw holds the Service Workers standard's vocabulary that several
// layers share: a registration's worker type and update-via-cache mode,
// and a version's state. The registry speaks it in its API, the store
// persists it, the admin API and the command line parse and print it;
// none of them owns it.
package sw

// UpdateViaCache is a registration's update via cache mode: which script
// fetches of an update check may be answered by the HTTP cache.
type UpdateViaCache string

// Update via cache modes.
const (
	UpdateViaCacheImports UpdateViaCache = "imports" // the default
	UpdateViaCacheAll     UpdateViaCache = "all"
	UpdateViaCacheNone    UpdateViaCache = "none"
)

// WorkerType is the type of a registration's worker scripts.
type WorkerType string

// Worker types.
const (
	WorkerClassic WorkerType = "classic" // the default
	WorkerModule  WorkerType = "module"
)

// State is a service worker version's state. StateParsed is swhost's name
// for a version that has been fetched and compiled but not yet started
// installing (the standard's state is then undefined).
type State string

// Version states, in lifecycle order.
const (
	StateParsed     State = "parsed"
	StateInstalling State = "installing"
	StateInstalled  State = "installed"
	StateActivating State = "activating"
	StateActivated  State = "activated"
	StateRedundant  State = "redundant"
)
