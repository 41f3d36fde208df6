package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
)

// openTest opens a new, empty SQLite store, closed when t ends.
func openTest(t testing.TB, opts ...Options) *SQLStore {
	t.Helper()
	return sqliteBackend.open(t, opts...)
}

func testReg(n int) Registration {
	return Registration{
		ScopeKey:  fmt.Sprintf("https://app.test/team%d/", n),
		ScopeText: fmt.Sprintf("https://app.test/team%d/", n),
		Origin:    "https://app.test",
	}
}

func testScript(url string, size int) Script {
	return Script{URL: url, ContentType: "text/javascript", Body: bytes.Repeat([]byte("x"), size)}
}

// mustCreate creates a registration with an installing version and its
// main script.
func mustCreate(t testing.TB, s Store, n int) (Registration, Version) {
	t.Helper()
	r := testReg(n)
	v := Version{ScriptURL: fmt.Sprintf("https://app.test/team%d/sw.js", n), State: sw.StateInstalling, Slot: SlotInstalling}
	if err := s.CreateRegistration(context.Background(), &r, &v, []Script{testScript(v.ScriptURL, 100)}); err != nil {
		t.Fatalf("CreateRegistration: %v", err)
	}
	return r, v
}

func TestOpenCreatesDatabase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "data")
	s, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, FileName); s.Path() != want {
		t.Errorf("Path() = %q, want %q", s.Path(), want)
	}
	var mode string
	if err := s.w.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var fk, sync int
	s.w.QueryRow("PRAGMA foreign_keys").Scan(&fk)
	s.w.QueryRow("PRAGMA synchronous").Scan(&sync)
	if fk != 1 || sync != 2 {
		t.Errorf("foreign_keys = %d, synchronous = %d; want 1, 2 (FULL)", fk, sync)
	}
	var v int
	if err := s.w.QueryRow("SELECT version FROM schema_version").Scan(&v); err != nil || v != SchemaVersion {
		t.Errorf("schema version = %d, %v; want %d", v, err, SchemaVersion)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if _, err := s.Registrations(context.Background(), ""); !errors.Is(err, ErrClosed) {
		t.Errorf("Registrations after Close = %v, want ErrClosed", err)
	}
	if err := s.Put(context.Background(), "k", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Put after Close = %v, want ErrClosed", err)
	}
	// Reopening keeps the schema version and does not migrate again.
	s2, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Open(ctx, ""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
	if _, err := OpenWith(ctx, t.TempDir(), Options{Synchronous: "OFF"}); err == nil {
		t.Error("Open with synchronous OFF succeeded")
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o600)
	if _, err := Open(ctx, file); err == nil {
		t.Error("Open on a regular file succeeded")
	}
	// A database from a newer swhost is refused.
	dir := t.TempDir()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	s.w.Exec("UPDATE schema_version SET version = 999")
	s.Close()
	if _, err := Open(ctx, dir); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open of a newer schema = %v, want an error saying it is newer", err)
	}
	// A file that is not a database.
	dir = t.TempDir()
	os.WriteFile(filepath.Join(dir, FileName), bytes.Repeat([]byte("not a database "), 100), 0o600)
	if _, err := Open(ctx, dir); err == nil {
		t.Error("Open of a corrupt file succeeded")
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/tmp/xdg-test")
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := os.UserConfigDir()
	if dir != filepath.Join(base, "swhost") {
		t.Errorf("DefaultDir() = %q, want %q", dir, filepath.Join(base, "swhost"))
	}
}

func TestCreateRegistration(t *testing.T) { eachBackend(t, testCreateRegistration) }

func testCreateRegistration(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t)
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	tests := []struct {
		name    string
		reg     Registration
		ver     *Version
		scripts []Script
		wantErr error  // errors.Is target
		wantMsg string // substring of the error when wantErr is nil
		want    Registration
	}{
		{
			name: "defaults",
			reg:  Registration{ScopeKey: "k1", ScopeText: "https://a.test/", Origin: "https://a.test"},
			ver:  &Version{ScriptURL: "https://a.test/sw.js", Slot: SlotInstalling, State: sw.StateInstalling},
			scripts: []Script{
				{URL: "https://a.test/sw.js", ContentType: "text/javascript", Body: []byte("self.onfetch = null")},
				{URL: "https://a.test/lib.js", ContentType: "application/javascript", Body: []byte{}},
			},
			want: Registration{ScopeKey: "k1", ScopeText: "https://a.test/", Origin: "https://a.test", UpdateViaCache: sw.UpdateViaCacheImports, Type: sw.WorkerClassic},
		},
		{
			name: "all options, no version",
			reg: Registration{ScopeKey: "k2", ScopeText: `{"pathname":"/maps/*"}`, Origin: "https://a.test",
				UpdateViaCache: sw.UpdateViaCacheNone, Type: sw.WorkerModule, LastUpdateCheck: t0, Created: t0},
			want: Registration{ScopeKey: "k2", ScopeText: `{"pathname":"/maps/*"}`, Origin: "https://a.test",
				UpdateViaCache: sw.UpdateViaCacheNone, Type: sw.WorkerModule, LastUpdateCheck: t0, Created: t0},
		},
		{name: "duplicate scope", reg: Registration{ScopeKey: "k1"}, wantErr: ErrExists},
		{name: "empty scope key", reg: Registration{}, wantMsg: "empty scope key"},
		{name: "bad update via cache", reg: Registration{ScopeKey: "k3", UpdateViaCache: "some"}, wantMsg: "update via cache"},
		{name: "bad type", reg: Registration{ScopeKey: "k3", Type: "shared"}, wantMsg: "worker type"},
		{name: "bad state", reg: Registration{ScopeKey: "k3"}, ver: &Version{State: "sleeping"}, wantMsg: "not a service worker state"},
		{name: "bad slot", reg: Registration{ScopeKey: "k3"}, ver: &Version{Slot: "spare"}, wantMsg: "slot"},
		{name: "scripts without version", reg: Registration{ScopeKey: "k3"}, scripts: []Script{{URL: "u"}}, wantMsg: "without a version"},
		{name: "script without URL", reg: Registration{ScopeKey: "k3"}, ver: &Version{}, scripts: []Script{{}}, wantMsg: "without URL"},
		{name: "script twice", reg: Registration{ScopeKey: "k3"}, ver: &Version{}, scripts: []Script{{URL: "u"}, {URL: "u"}}, wantMsg: "twice"},
		{name: "script too large", reg: Registration{ScopeKey: "k3"}, ver: &Version{},
			scripts: []Script{{URL: "u", Body: make([]byte, DefaultMaxScriptBytes+1)}}, wantMsg: "QuotaExceededError"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.reg
			var v *Version
			if tc.ver != nil {
				vv := *tc.ver
				v = &vv
			}
			err := s.CreateRegistration(ctx, &r, v, tc.scripts)
			if tc.wantErr != nil || tc.wantMsg != "" {
				if err == nil {
					t.Fatal("CreateRegistration succeeded, want an error")
				}
				if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
					t.Fatalf("error %v, want %v", err, tc.wantErr)
				}
				if tc.wantMsg == "QuotaExceededError" {
					if weberr.NameOf(err) != weberr.QuotaExceeded {
						t.Fatalf("error %v is not a QuotaExceededError", err)
					}
				} else if !strings.Contains(err.Error(), tc.wantMsg) {
					t.Fatalf("error %q does not say %q", err, tc.wantMsg)
				}
				// Nothing of it was stored.
				if _, err := s.RegistrationByScope(ctx, "k3"); !errors.Is(err, ErrNotFound) {
					t.Errorf("after a failed create, RegistrationByScope(k3) = %v, want ErrNotFound", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.ID == 0 || r.Created.IsZero() {
				t.Errorf("ID %d, Created %v not set", r.ID, r.Created)
			}
			got, err := s.Registration(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			want.ID = r.ID
			if want.Created.IsZero() {
				want.Created = r.Created
			}
			if !regEqual(got, want) {
				t.Errorf("Registration(%d) = %+v\nwant %+v", r.ID, got, want)
			}
			byScope, err := s.RegistrationByScope(ctx, r.ScopeKey)
			if err != nil || byScope.ID != r.ID {
				t.Errorf("RegistrationByScope = %+v, %v", byScope, err)
			}
			vs, err := s.Versions(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if v == nil {
				if len(vs) != 0 {
					t.Errorf("Versions = %v, want none", vs)
				}
				return
			}
			if v.ID == 0 || v.RegistrationID != r.ID || v.Created.IsZero() {
				t.Errorf("version not filled in: %+v", v)
			}
			if len(vs) != 1 || !verEqual(vs[0], *v) {
				t.Errorf("Versions = %+v, want [%+v]", vs, *v)
			}
			scripts, err := s.Scripts(ctx, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !scriptsEqual(scripts, tc.scripts) {
				t.Errorf("Scripts = %v, want %v", scripts, tc.scripts)
			}
		})
	}
}

func regEqual(a, b Registration) bool {
	return a.ID == b.ID && a.ScopeKey == b.ScopeKey && a.ScopeText == b.ScopeText && a.Origin == b.Origin &&
		a.UpdateViaCache == b.UpdateViaCache && a.Type == b.Type &&
		a.LastUpdateCheck.Equal(b.LastUpdateCheck) && a.Created.Equal(b.Created)
}

func verEqual(a, b Version) bool {
	return a.ID == b.ID && a.RegistrationID == b.RegistrationID && a.ScriptURL == b.ScriptURL &&
		a.State == b.State && a.Slot == b.Slot && reflect.DeepEqual(a.ForeignFetch, b.ForeignFetch) &&
		a.Created.Equal(b.Created)
}

func scriptsEqual(a, b []Script) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].URL != b[i].URL || a[i].ContentType != b[i].ContentType || !bytes.Equal(a[i].Body, b[i].Body) || a[i].Body == nil {
			return false
		}
	}
	return true
}

func TestRegistrationsByOrigin(t *testing.T) { eachBackend(t, testRegistrationsByOrigin) }

func testRegistrationsByOrigin(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t)
	for i, origin := range []string{"https://a.test", "https://b.test", "https://a.test", "https://c.test", "https://a.test"} {
		r := Registration{ScopeKey: fmt.Sprintf("%s/%d/", origin, i), ScopeText: fmt.Sprintf("%s/%d/", origin, i), Origin: origin}
		if err := s.CreateRegistration(ctx, &r, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		origin string
		want   []string
	}{
		{"", []string{"https://a.test/0/", "https://b.test/1/", "https://a.test/2/", "https://c.test/3/", "https://a.test/4/"}},
		{"https://a.test", []string{"https://a.test/0/", "https://a.test/2/", "https://a.test/4/"}},
		{"https://c.test", []string{"https://c.test/3/"}},
		{"https://none.test", nil},
	}
	for _, tc := range tests {
		regs, err := s.Registrations(ctx, tc.origin)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range regs {
			got = append(got, r.ScopeKey)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Registrations(%q) = %v, want %v", tc.origin, got, tc.want)
		}
	}
}

func TestUpdateAndDeleteRegistration(t *testing.T) { eachBackend(t, testUpdateAndDeleteRegistration) }

func testUpdateAndDeleteRegistration(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t)
	r, v := mustCreate(t, s, 1)
	other, _ := mustCreate(t, s, 2)
	check := time.Now().Add(-time.Hour)
	upd := r
	upd.UpdateViaCache, upd.Type, upd.LastUpdateCheck = sw.UpdateViaCacheAll, sw.WorkerModule, check
	upd.ScopeKey, upd.ScopeText, upd.Origin = "ignored", "ignored", "ignored"
	if err := s.UpdateRegistration(ctx, upd); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Registration(ctx, r.ID)
	want := r
	want.UpdateViaCache, want.Type, want.LastUpdateCheck = sw.UpdateViaCacheAll, sw.WorkerModule, check
	if !regEqual(got, want) {
		t.Errorf("after UpdateRegistration: %+v\nwant %+v", got, want)
	}
	for _, tc := range []struct {
		name string
		reg  Registration
		want string
	}{
		{"missing", Registration{ID: 999}, "not found"},
		{"bad mode", Registration{ID: r.ID, UpdateViaCache: "x"}, "update via cache"},
		{"bad type", Registration{ID: r.ID, Type: "x"}, "worker type"},
	} {
		if err := s.UpdateRegistration(ctx, tc.reg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("UpdateRegistration(%s) = %v, want %q", tc.name, err, tc.want)
		}
	}
	// Delete takes the versions and scripts with it, and nothing else.
	if err := s.PutScripts(ctx, v.ID, testScript("https://app.test/team1/lib.js", 10)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRegistration(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Registration(ctx, r.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Registration after delete = %v", err)
	}
	if _, err := s.Version(ctx, v.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Version after delete = %v", err)
	}
	if scripts, _ := s.Scripts(ctx, v.ID); len(scripts) != 0 {
		t.Errorf("Scripts after delete = %v", scripts)
	}
	var n int
	s.w.QueryRow("SELECT COUNT(*) FROM scripts").Scan(&n)
	if n != 1 {
		t.Errorf("%d scripts left in the table, want 1 (the other registration's)", n)
	}
	if _, err := s.Registration(ctx, other.ID); err != nil {
		t.Errorf("other registration: %v", err)
	}
	if err := s.DeleteRegistration(ctx, r.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second DeleteRegistration = %v, want ErrNotFound", err)
	}
	// IDs are never reused, and the scope key is free again.
	r2, _ := mustCreate(t, s, 1)
	if r2.ID <= other.ID {
		t.Errorf("new registration got ID %d, not above %d", r2.ID, other.ID)
	}
}

func TestVersionsAndSlots(t *testing.T) { eachBackend(t, testVersionsAndSlots) }

func testVersionsAndSlots(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t)
	r, v1 := mustCreate(t, s, 1)
	add := func(slot Slot, state sw.State) (Version, error) {
		v := Version{RegistrationID: r.ID, ScriptURL: "https://app.test/team1/sw.js", State: state, Slot: slot}
		err := s.AddVersion(ctx, &v, []Script{testScript(v.ScriptURL, 10)})
		return v, err
	}
	if _, err := add(SlotInstalling, sw.StateInstalling); !errors.Is(err, ErrSlotTaken) {
		t.Fatalf("second installing version: %v, want ErrSlotTaken", err)
	}
	if _, err := s.Versions(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	// v1 installs and activates.
	steps := []struct {
		changes []StateChange
		want    map[int64]string // version → "state/slot"
	}{
		{[]StateChange{{v1.ID, sw.StateInstalled, SlotWaiting}}, nil},
		{[]StateChange{{v1.ID, sw.StateActivating, SlotActive}}, nil},
		{[]StateChange{{v1.ID, sw.StateActivated, SlotActive}}, nil},
	}
	for _, st := range steps {
		if err := s.SetVersionStates(ctx, st.changes...); err != nil {
			t.Fatal(err)
		}
	}
	v2, err := add(SlotInstalling, sw.StateInstalling)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetVersionStates(ctx, StateChange{v2.ID, sw.StateInstalled, SlotWaiting}); err != nil {
		t.Fatal(err)
	}
	v3, err := add(SlotInstalling, sw.StateInstalling)
	if err != nil {
		t.Fatal(err)
	}
	state := func() string {
		vs, err := s.Versions(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, v := range vs {
			parts = append(parts, fmt.Sprintf("%d:%s/%s", v.ID-v1.ID+1, v.State, v.Slot))
		}
		return strings.Join(parts, " ")
	}
	if got, want := state(), "1:activated/active 2:installed/waiting 3:installing/installing"; got != want {
		t.Fatalf("versions %s, want %s", got, want)
	}
	tests := []struct {
		name    string
		changes []StateChange
		wantErr error
		want    string
	}{
		{"slot taken", []StateChange{{v3.ID, sw.StateInstalled, SlotWaiting}}, ErrSlotTaken,
			"1:activated/active 2:installed/waiting 3:installing/installing"},
		{"missing version", []StateChange{{v2.ID, sw.StateRedundant, SlotNone}, {9999, sw.StateRedundant, SlotNone}}, ErrNotFound,
			"1:activated/active 2:installed/waiting 3:installing/installing"},
		{"same version twice", []StateChange{{v2.ID, sw.StateRedundant, SlotNone}, {v2.ID, sw.StateActivated, SlotActive}}, nil,
			"1:activated/active 2:installed/waiting 3:installing/installing"},
		// Any order: the waiting worker becomes active before the active
		// one leaves, and the installing one moves into waiting.
		{"activate and install in one", []StateChange{
			{v3.ID, sw.StateInstalled, SlotWaiting},
			{v2.ID, sw.StateActivating, SlotActive},
			{v1.ID, sw.StateRedundant, SlotNone},
		}, nil, "1:redundant/ 2:activating/active 3:installed/waiting"},
		{"swap", []StateChange{{v2.ID, sw.StateInstalled, SlotWaiting}, {v3.ID, sw.StateActivated, SlotActive}}, nil,
			"1:redundant/ 2:installed/waiting 3:activated/active"},
	}
	for _, tc := range tests {
		err := s.SetVersionStates(ctx, tc.changes...)
		switch {
		case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
			t.Errorf("%s: SetVersionStates = %v, want %v", tc.name, err, tc.wantErr)
		case tc.wantErr == nil && tc.name == "same version twice" && err == nil:
			t.Errorf("%s: SetVersionStates succeeded", tc.name)
		case tc.wantErr == nil && tc.name != "same version twice" && err != nil:
			t.Errorf("%s: SetVersionStates = %v", tc.name, err)
		}
		if got := state(); got != tc.want {
			t.Errorf("%s: versions %s, want %s", tc.name, got, tc.want)
		}
	}
	if err := s.SetVersionStates(ctx, StateChange{v3.ID, "bogus", SlotActive}); err == nil {
		t.Error("bogus state accepted")
	}
	if err := s.SetVersionStates(ctx, StateChange{v3.ID, sw.StateActivated, "bogus"}); err == nil {
		t.Error("bogus slot accepted")
	}
	if err := s.SetVersionStates(ctx); err != nil {
		t.Errorf("no changes: %v", err)
	}
	// A version of a missing registration.
	if err := s.AddVersion(ctx, &Version{RegistrationID: 999}, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("AddVersion to a missing registration = %v, want ErrNotFound", err)
	}
	// DeleteVersion.
	if err := s.DeleteVersion(ctx, v1.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := state(), "2:installed/waiting 3:activated/active"; got != want {
		t.Errorf("after DeleteVersion: %s, want %s", got, want)
	}
	if err := s.DeleteVersion(ctx, v1.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second DeleteVersion = %v", err)
	}
	if _, err := s.Version(ctx, 12345); !errors.Is(err, ErrNotFound) {
		t.Errorf("Version(missing) = %v", err)
	}
}

func TestForeignFetch(t *testing.T) { eachBackend(t, testForeignFetch) }

func testForeignFetch(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t)
	r := testReg(1)
	ff := &ForeignFetch{Scopes: []string{"https://fonts.test/fonts/"}, Origins: []string{"*"}}
	v := Version{ScriptURL: "https://fonts.test/sw.js", ForeignFetch: ff}
	if err := s.CreateRegistration(ctx, &r, &v, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		set  *ForeignFetch
		want *ForeignFetch
	}{
		{set: nil, want: nil},
		{set: &ForeignFetch{Scopes: []string{"https://fonts.test/a", "https://fonts.test/b"}, Origins: []string{"https://app.test"}},
			want: &ForeignFetch{Scopes: []string{"https://fonts.test/a", "https://fonts.test/b"}, Origins: []string{"https://app.test"}}},
		{set: &ForeignFetch{}, want: &ForeignFetch{}},
	}
	got, _ := s.Version(ctx, v.ID)
	if !reflect.DeepEqual(got.ForeignFetch, ff) {
		t.Errorf("stored foreign fetch %+v, want %+v", got.ForeignFetch, ff)
	}
	for _, tc := range tests {
		if err := s.SetForeignFetch(ctx, v.ID, tc.set); err != nil {
			t.Fatal(err)
		}
		got, err := s.Version(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.ForeignFetch, tc.want) {
			t.Errorf("SetForeignFetch(%+v): read %+v", tc.set, got.ForeignFetch)
		}
	}
	if err := s.SetForeignFetch(ctx, 999, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetForeignFetch(missing) = %v", err)
	}
}

func TestRouterRules(t *testing.T) { eachBackend(t, testRouterRules) }

// testRouterRules: a version's router rules are kept byte for byte,
// replaced, cleared, and restored with the registration.
func testRouterRules(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t)
	r := testReg(1)
	first := []byte(`[{"condition":{"requestMode":"navigate"},"source":{"kind":"network"}}]`)
	v := Version{ScriptURL: "https://app.test/sw.js", RouterRules: first}
	if err := s.CreateRegistration(ctx, &r, &v, nil); err != nil {
		t.Fatal(err)
	}
	read := func() []byte {
		t.Helper()
		got, err := s.Version(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.RouterRules
	}
	if got := read(); string(got) != string(first) {
		t.Errorf("created with %s, read %s", first, got)
	}
	second := []byte(`[{"condition":{"requestMethod":"GET"},"source":{"kind":"cache","cacheName":"v1","hasCacheName":true}}]`)
	if err := s.SetRouterRules(ctx, v.ID, second); err != nil {
		t.Fatal(err)
	}
	loaded, err := s.LoadRegistrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded) != 1 || len(loaded[0].Versions) != 1 || string(loaded[0].Versions[0].RouterRules) != string(second) {
		t.Errorf("LoadRegistrations gave %+v; want the rules %s", loaded, second)
	}
	if err := s.SetRouterRules(ctx, v.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got := read(); got != nil {
		t.Errorf("cleared rules read %q", got)
	}
	if err := s.SetRouterRules(ctx, 999, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetRouterRules(missing) = %v", err)
	}
}

func TestScripts(t *testing.T) { eachBackend(t, testScripts) }

func testScripts(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t, Options{Limits: Limits{MaxScriptBytes: 1000, MaxScriptsPerVersion: 4}})
	_, v := mustCreate(t, s, 1)
	main := testScript("https://app.test/team1/sw.js", 100)
	lib := Script{URL: "https://app.test/lib.js", ContentType: "text/javascript", Body: []byte{0, 1, 2, 0xff}}
	tests := []struct {
		name    string
		put     []Script
		wantErr string
		want    []Script
	}{
		{"import one", []Script{lib}, "", []Script{main, lib}},
		{"replace main keeps its place", []Script{{URL: main.URL, ContentType: "application/javascript", Body: []byte("v2")}}, "",
			[]Script{{URL: main.URL, ContentType: "application/javascript", Body: []byte("v2")}, lib}},
		{"two more", []Script{{URL: "a", Body: []byte("a")}, {URL: "b", Body: nil}}, "",
			[]Script{{URL: main.URL, ContentType: "application/javascript", Body: []byte("v2")}, lib, {URL: "a", Body: []byte("a")}, {URL: "b", Body: []byte{}}}},
		{"fifth is over the limit", []Script{{URL: "c"}}, "QuotaExceededError", nil},
		{"replacing is not over the limit", []Script{{URL: "a", Body: []byte("A")}}, "",
			[]Script{{URL: main.URL, ContentType: "application/javascript", Body: []byte("v2")}, lib, {URL: "a", Body: []byte("A")}, {URL: "b", Body: []byte{}}}},
		{"too large", []Script{{URL: "a", Body: make([]byte, 1001)}}, "QuotaExceededError", nil},
		{"twice", []Script{{URL: "a"}, {URL: "a"}}, "twice", nil},
	}
	var want []Script
	for _, tc := range tests {
		err := s.PutScripts(ctx, v.ID, tc.put...)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: PutScripts = %v, want %q", tc.name, err, tc.wantErr)
			}
		} else if err != nil {
			t.Errorf("%s: PutScripts = %v", tc.name, err)
		} else {
			want = tc.want
		}
		got, err := s.Scripts(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !scriptsEqual(got, want) {
			t.Errorf("%s: Scripts =\n%q\nwant\n%q", tc.name, got, want)
		}
	}
	one, err := s.Script(ctx, v.ID, lib.URL)
	if err != nil || !bytes.Equal(one.Body, lib.Body) || one.ContentType != lib.ContentType {
		t.Errorf("Script(lib) = %+v, %v", one, err)
	}
	if _, err := s.Script(ctx, v.ID, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Script(missing) = %v", err)
	}
	if err := s.PutScripts(ctx, 999, lib); !errors.Is(err, ErrNotFound) {
		t.Errorf("PutScripts(missing version) = %v", err)
	}
	if err := s.AddVersion(ctx, &Version{RegistrationID: v.RegistrationID}, []Script{{URL: "1"}, {URL: "2"}, {URL: "3"}, {URL: "4"}, {URL: "5"}}); weberr.NameOf(err) != weberr.QuotaExceeded {
		t.Errorf("AddVersion with 5 scripts = %v, want QuotaExceededError", err)
	}
}

func TestLoadRegistrations(t *testing.T) { eachBackend(t, testLoadRegistrations) }

func testLoadRegistrations(t *testing.T, b backend) {
	ctx := context.Background()
	loc := b.location(t)
	s := b.openAt(t, loc)
	if all, err := s.LoadRegistrations(ctx); err != nil || len(all) != 0 {
		t.Fatalf("empty store: %v, %v", all, err)
	}
	r1, v1 := mustCreate(t, s, 1)
	r2, _ := mustCreate(t, s, 2)
	r3 := testReg(3)
	if err := s.CreateRegistration(ctx, &r3, nil, nil); err != nil {
		t.Fatal(err)
	}
	// r1: v1 active, v4 waiting, one redundant version.
	s.SetVersionStates(ctx, StateChange{v1.ID, sw.StateActivated, SlotActive})
	red := Version{RegistrationID: r1.ID, ScriptURL: "x", State: sw.StateRedundant}
	v4 := Version{RegistrationID: r1.ID, ScriptURL: "y", State: sw.StateInstalled, Slot: SlotWaiting}
	if err := s.AddVersion(ctx, &red, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.AddVersion(ctx, &v4, nil); err != nil {
		t.Fatal(err)
	}
	all, err := s.LoadRegistrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range all {
		line := l.Registration.ScopeKey + ":"
		for _, v := range l.Versions {
			line += fmt.Sprintf(" %s/%s/%s", v.ScriptURL, v.State, v.Slot)
		}
		got = append(got, line)
	}
	want := []string{
		r1.ScopeKey + ": https://app.test/team1/sw.js/activated/active y/installed/waiting",
		r2.ScopeKey + ": https://app.test/team2/sw.js/installing/installing",
		r3.ScopeKey + ":",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("LoadRegistrations:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Reopening the store restores the same.
	s.Close()
	s2, err := Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	again, err := s2.LoadRegistrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(all) {
		t.Fatalf("after reopen %d registrations, want %d", len(again), len(all))
	}
	for i := range all {
		if !regEqual(again[i].Registration, all[i].Registration) || len(again[i].Versions) != len(all[i].Versions) {
			t.Errorf("after reopen %+v, want %+v", again[i], all[i])
		}
		for j := range all[i].Versions {
			if !verEqual(again[i].Versions[j], all[i].Versions[j]) {
				t.Errorf("after reopen version %+v, want %+v", again[i].Versions[j], all[i].Versions[j])
			}
		}
	}
}

func TestUpdateTransaction(t *testing.T) { eachBackend(t, testUpdateTransaction) }

func testUpdateTransaction(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t)
	r, v := mustCreate(t, s, 1)
	boom := errors.New("boom")
	mutate := func(tx Tx) error {
		if err := tx.SetVersionStates(ctx, StateChange{v.ID, sw.StateActivated, SlotActive}); err != nil {
			return err
		}
		r2 := testReg(2)
		if err := tx.CreateRegistration(ctx, &r2, &Version{ScriptURL: "z"}, nil); err != nil {
			return err
		}
		if err := tx.Put(ctx, "httpcache/x", []byte("v")); err != nil {
			return err
		}
		// Changes are visible inside the transaction.
		if got, err := tx.Version(ctx, v.ID); err != nil || got.State != sw.StateActivated {
			t.Errorf("inside Update: %+v, %v", got, err)
		}
		return nil
	}
	snapshot := func() string {
		all, _ := s.LoadRegistrations(ctx)
		_, err := s.Get(ctx, "httpcache/x")
		return fmt.Sprintf("%d %v %v", len(all), all[0].Versions[0].State, err)
	}
	before := snapshot()
	if err := s.Update(ctx, func(tx Tx) error {
		if err := mutate(tx); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	if after := snapshot(); after != before {
		t.Errorf("after a failed Update: %s, want %s", after, before)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic swallowed")
			}
		}()
		s.Update(ctx, func(tx Tx) error { mutate(tx); panic("bug") })
	}()
	if after := snapshot(); after != before {
		t.Errorf("after a panicking Update: %s, want %s", after, before)
	}
	cctx, cancel := context.WithCancel(ctx)
	if err := s.Update(cctx, func(tx Tx) error { mutate(tx); cancel(); return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Update cancelled inside = %v", err)
	}
	if after := snapshot(); after != before {
		t.Errorf("after a cancelled Update: %s, want %s", after, before)
	}
	// The store still works (the connection was released), and a
	// successful Update commits everything.
	if err := s.Update(ctx, mutate); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(); after != "2 activated <nil>" {
		t.Errorf("after Update: %s", after)
	}
	_ = r
}

func TestReadsDoNotWrite(t *testing.T) { eachBackend(t, testReadsDoNotWrite) }

func testReadsDoNotWrite(t *testing.T, b backend) {
	s := b.open(t)
	o := s.reader()
	ctx := context.Background()
	for name, err := range map[string]error{
		"CreateRegistration": o.CreateRegistration(ctx, &Registration{ScopeKey: "k"}, nil, nil),
		"UpdateRegistration": o.UpdateRegistration(ctx, Registration{}),
		"DeleteRegistration": o.DeleteRegistration(ctx, 1),
		"AddVersion":         o.AddVersion(ctx, &Version{}, nil),
		"SetVersionStates":   o.SetVersionStates(ctx),
		"SetForeignFetch":    o.SetForeignFetch(ctx, 1, nil),
		"DeleteVersion":      o.DeleteVersion(ctx, 1),
		"PutScripts":         o.PutScripts(ctx, 1),
		"Put":                o.Put(ctx, "k", nil),
		"Delete":             o.Delete(ctx, "k"),
	} {
		if !errors.Is(err, errReadOnly) {
			t.Errorf("%s on the read pool = %v, want errReadOnly", name, err)
		}
	}
}

// TestMigrationIsAtomic makes the first migration fail half-way (a table
// it creates exists already) and checks that Open fails and leaves none of
// the migration's tables and the version at 0.
func TestMigrationIsAtomic(t *testing.T) { eachBackend(t, testMigrationIsAtomic) }

func testMigrationIsAtomic(t *testing.T, b backend) {
	ctx := context.Background()
	loc := b.location(t)
	s, err := Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Turn the database into one at version 0 that has a stray "kv"
	// table: the migration's CREATE TABLE kv fails after earlier tables
	// were created in the same transaction.
	raw := b.raw(t, loc)
	for _, stmt := range []string{
		"DROP TABLE idb_records", "DROP TABLE idb_indexes", "DROP TABLE idb_stores", "DROP TABLE idb_databases",
		"DROP TABLE cache_entries", "DROP TABLE caches", "DROP TABLE cache_origins", "DROP TABLE scripts",
		"DROP TABLE versions", "DROP TABLE registrations", "DROP TABLE kv",
		"CREATE TABLE kv (stray INTEGER)", "UPDATE schema_version SET version = 0",
	} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if _, err := Open(ctx, loc); err == nil || !strings.Contains(err.Error(), "migration 1") {
		t.Fatalf("Open with a failing migration = %v, want a migration 1 error", err)
	}
	tables := b.tables(t, raw)
	var v int
	raw.QueryRow("SELECT version FROM schema_version").Scan(&v)
	if want := []string{"kv", "schema_version"}; !reflect.DeepEqual(tables, want) || v != 0 {
		t.Errorf("after a failed migration: tables %v, version %d; want %v, 0", tables, v, want)
	}
}

func TestNavigationPreload(t *testing.T) { eachBackend(t, testNavigationPreload) }

// testNavigationPreload: a registration starts with navigation preload
// disabled and the header value "true"; the state is kept, read back and
// restored, byte for byte.
func testNavigationPreload(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t)
	r := testReg(1)
	r.NavigationPreload = NavigationPreload{Enabled: true, HeaderValue: "ignored"}
	if err := s.CreateRegistration(ctx, &r, nil, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.Registration(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := (NavigationPreload{HeaderValue: "true"}); got.NavigationPreload != want {
		t.Errorf("new registration: %+v; want %+v", got.NavigationPreload, want)
	}
	set := NavigationPreload{Enabled: true, HeaderValue: "v=2; \x01"}
	if err := s.SetNavigationPreload(ctx, r.ID, set); err != nil {
		t.Fatal(err)
	}
	loaded, err := s.LoadRegistrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded) != 1 || loaded[0].Registration.NavigationPreload != set {
		t.Errorf("restored %+v; want %+v", loaded, set)
	}
	if err := s.SetNavigationPreload(ctx, 999, set); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetNavigationPreload(missing) = %v", err)
	}
}
