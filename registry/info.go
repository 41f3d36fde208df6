package registry

import (
	"encoding/json"
	"time"

	"github.com/swhost/swhost/routing"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
)

// Info is a snapshot of a registration for listings (the CLI's ls, the
// admin API).
type Info struct {
	ID              int64             `json:"id"`
	Scope           json.RawMessage   `json:"scope"` // legacy URL string or pattern object
	Prefix          string            `json:"prefix"`
	Origin          string            `json:"origin"`
	UpdateViaCache  sw.UpdateViaCache `json:"updateViaCache"`
	Type            sw.WorkerType     `json:"type"`
	LastUpdateCheck *time.Time        `json:"lastUpdateCheck,omitempty"`
	Uninstalling    bool              `json:"uninstalling,omitempty"`
	Clients         []string          `json:"clients"`
	Versions        []VersionInfo     `json:"versions"`
	// Node is this node's id in a fleet ("" outside one); the admin API
	// fills it (see [Registry.Fleet]).
	Node string `json:"node,omitempty"`
}

// VersionInfo is a snapshot of one version.
type VersionInfo struct {
	ID           int64               `json:"id"`
	Slot         store.Slot          `json:"slot"`
	State        sw.State            `json:"state"`
	ScriptURL    string              `json:"scriptURL"`
	Running      bool                `json:"running"`
	ForeignFetch *store.ForeignFetch `json:"foreignFetch,omitempty"`
	// Routes are the version's router rules (the Static Routing API).
	Routes routing.Rules `json:"routes,omitempty"`
	// Nodes are, in a fleet, the ids of the nodes on which the version's
	// worker runs, sorted (nil outside a fleet); the admin API fills it.
	Nodes []string `json:"nodes,omitempty"`
}

// Info returns a snapshot of the registration.
func (reg *Registration) Info() Info {
	scopeJSON, _ := json.Marshal(reg.scope)
	in := Info{
		ID: reg.id, Scope: scopeJSON, Prefix: reg.scope.Prefix(), Origin: reg.scope.Origin(),
		UpdateViaCache: reg.UpdateViaCache(), Type: reg.Type(), Uninstalling: reg.Uninstalling(), Clients: reg.Clients(),
		Versions: []VersionInfo{},
	}
	if t := reg.LastUpdateCheck(); !t.IsZero() {
		in.LastUpdateCheck = &t
	}
	reg.mu.Lock()
	slots := []struct {
		slot store.Slot
		v    *Version
	}{{store.SlotActive, reg.active}, {store.SlotWaiting, reg.waiting}, {store.SlotInstalling, reg.installing}}
	reg.mu.Unlock()
	for _, s := range slots {
		if s.v == nil {
			continue
		}
		s.v.mu.Lock()
		running := s.v.w != nil && s.v.w.Running()
		s.v.mu.Unlock()
		in.Versions = append(in.Versions, VersionInfo{ID: s.v.id, Slot: s.slot, State: s.v.State(), ScriptURL: s.v.scriptURL, Running: running, ForeignFetch: s.v.ForeignFetch(), Routes: s.v.Routes()})
	}
	return in
}
