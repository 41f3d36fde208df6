package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/swhost/swhost/sw"
)

// errReadOnly is returned by a write through read-only ops (a bug).
var errReadOnly = errors.New("store: write in a read-only transaction")

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func validUpdateViaCache(m sw.UpdateViaCache) (sw.UpdateViaCache, error) {
	switch m {
	case "":
		return sw.UpdateViaCacheImports, nil
	case sw.UpdateViaCacheImports, sw.UpdateViaCacheAll, sw.UpdateViaCacheNone:
		return m, nil
	}
	return "", fmt.Errorf("store: update via cache %q: want imports, all or none", m)
}

func validType(t sw.WorkerType) (sw.WorkerType, error) {
	switch t {
	case "":
		return sw.WorkerClassic, nil
	case sw.WorkerClassic, sw.WorkerModule:
		return t, nil
	}
	return "", fmt.Errorf("store: worker type %q: want classic or module", t)
}

func validState(s sw.State) (sw.State, error) {
	switch s {
	case "":
		return sw.StateParsed, nil
	case sw.StateParsed, sw.StateInstalling, sw.StateInstalled, sw.StateActivating, sw.StateActivated, sw.StateRedundant:
		return s, nil
	}
	return "", fmt.Errorf("store: version state %q is not a service worker state", s)
}

func validSlot(s Slot) error {
	switch s {
	case SlotNone, SlotInstalling, SlotWaiting, SlotActive:
		return nil
	}
	return fmt.Errorf("store: slot %q: want installing, waiting, active or none", s)
}

// CreateRegistration implements [Registrations].
func (s *SQLStore) CreateRegistration(ctx context.Context, r *Registration, v *Version, scripts []Script) error {
	return s.write(ctx, func(o *ops) error { return o.CreateRegistration(ctx, r, v, scripts) })
}

// UpdateRegistration implements [Registrations].
func (s *SQLStore) UpdateRegistration(ctx context.Context, r Registration) error {
	return s.write(ctx, func(o *ops) error { return o.UpdateRegistration(ctx, r) })
}

// DeleteRegistration implements [Registrations].
func (s *SQLStore) DeleteRegistration(ctx context.Context, id int64) error {
	return s.write(ctx, func(o *ops) error { return o.DeleteRegistration(ctx, id) })
}

// Registration implements [Registrations].
func (s *SQLStore) Registration(ctx context.Context, id int64) (Registration, error) {
	return s.reader().Registration(ctx, id)
}

// RegistrationByScope implements [Registrations].
func (s *SQLStore) RegistrationByScope(ctx context.Context, scopeKey string) (Registration, error) {
	return s.reader().RegistrationByScope(ctx, scopeKey)
}

// Registrations implements [Registrations].
func (s *SQLStore) Registrations(ctx context.Context, origin string) ([]Registration, error) {
	return s.reader().Registrations(ctx, origin)
}

// LoadRegistrations implements [Registrations].
func (s *SQLStore) LoadRegistrations(ctx context.Context) ([]Loaded, error) {
	var out []Loaded
	err := s.read(ctx, func(o *ops) error {
		var err error
		out, err = o.LoadRegistrations(ctx)
		return err
	})
	return out, err
}

// LoadRegistration implements [Registrations].
func (s *SQLStore) LoadRegistration(ctx context.Context, scopeKey string) (Loaded, error) {
	var out Loaded
	err := s.read(ctx, func(o *ops) error {
		var err error
		out, err = o.LoadRegistration(ctx, scopeKey)
		return err
	})
	return out, err
}

// AddVersion implements [Versions].
func (s *SQLStore) AddVersion(ctx context.Context, v *Version, scripts []Script) error {
	return s.write(ctx, func(o *ops) error { return o.AddVersion(ctx, v, scripts) })
}

// Version implements [Versions].
func (s *SQLStore) Version(ctx context.Context, id int64) (Version, error) {
	return s.reader().Version(ctx, id)
}

// Versions implements [Versions].
func (s *SQLStore) Versions(ctx context.Context, registrationID int64) ([]Version, error) {
	return s.reader().Versions(ctx, registrationID)
}

// SetVersionStates implements [Versions].
func (s *SQLStore) SetVersionStates(ctx context.Context, changes ...StateChange) error {
	return s.write(ctx, func(o *ops) error { return o.SetVersionStates(ctx, changes...) })
}

// SetNavigationPreload implements [Registrations].
func (s *SQLStore) SetNavigationPreload(ctx context.Context, id int64, np NavigationPreload) error {
	return s.write(ctx, func(o *ops) error { return o.SetNavigationPreload(ctx, id, np) })
}

// SetRouterRules implements [Versions].
func (s *SQLStore) SetRouterRules(ctx context.Context, id int64, rules []byte) error {
	return s.write(ctx, func(o *ops) error { return o.SetRouterRules(ctx, id, rules) })
}

// SetForeignFetch implements [Versions].
func (s *SQLStore) SetForeignFetch(ctx context.Context, id int64, ff *ForeignFetch) error {
	return s.write(ctx, func(o *ops) error { return o.SetForeignFetch(ctx, id, ff) })
}

// DeleteVersion implements [Versions].
func (s *SQLStore) DeleteVersion(ctx context.Context, id int64) error {
	return s.write(ctx, func(o *ops) error { return o.DeleteVersion(ctx, id) })
}

// PutScripts implements [Scripts].
func (s *SQLStore) PutScripts(ctx context.Context, versionID int64, scripts ...Script) error {
	return s.write(ctx, func(o *ops) error { return o.PutScripts(ctx, versionID, scripts...) })
}

// Scripts implements [Scripts].
func (s *SQLStore) Scripts(ctx context.Context, versionID int64) ([]Script, error) {
	return s.reader().Scripts(ctx, versionID)
}

// Script implements [Scripts].
func (s *SQLStore) Script(ctx context.Context, versionID int64, url string) (Script, error) {
	return s.reader().Script(ctx, versionID, url)
}

// --- registrations ---

const registrationColumns = `id, scope_key, scope_text, origin, update_via_cache, worker_type, last_update_check, created, nav_preload_enabled, nav_preload_header`

func scanRegistration(sc interface{ Scan(...any) error }) (Registration, error) {
	var r Registration
	var uvc, typ string
	var last, created, npEnabled int64
	err := sc.Scan(&r.ID, &r.ScopeKey, &r.ScopeText, &r.Origin, &uvc, &typ, &last, &created, &npEnabled, &r.NavigationPreload.HeaderValue)
	r.NavigationPreload.Enabled = npEnabled != 0
	r.UpdateViaCache, r.Type = sw.UpdateViaCache(uvc), sw.WorkerType(typ)
	r.LastUpdateCheck, r.Created = fromUnixNano(last), fromUnixNano(created)
	return r, err
}

func (o *ops) CreateRegistration(ctx context.Context, r *Registration, v *Version, scripts []Script) error {
	if !o.writable {
		return errReadOnly
	}
	if r.ScopeKey == "" {
		return errors.New("store: create registration: empty scope key")
	}
	uvc, err := validUpdateViaCache(r.UpdateViaCache)
	if err != nil {
		return err
	}
	typ, err := validType(r.Type)
	if err != nil {
		return err
	}
	if v == nil && len(scripts) > 0 {
		return errors.New("store: create registration: scripts without a version")
	}
	var exists int
	err = o.queryRow(ctx, `SELECT 1 FROM registrations WHERE scope_key = ?`, r.ScopeKey).Scan(&exists)
	if err == nil {
		return fmt.Errorf("store: create registration %q: %w", r.ScopeKey, ErrExists)
	}
	if err != sql.ErrNoRows {
		return o.s.dbErr("create registration", err)
	}
	created := r.Created
	if created.IsZero() {
		created = o.s.clock.Now()
	}
	var id int64
	err = o.queryRow(ctx, `INSERT INTO registrations (scope_key, scope_text, origin, update_via_cache, worker_type, last_update_check, created)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.ScopeKey, r.ScopeText, r.Origin, string(uvc), string(typ), unixNano(r.LastUpdateCheck), unixNano(created)).Scan(&id)
	if err != nil {
		return o.s.dbErr(fmt.Sprintf("create registration %q", r.ScopeKey), err)
	}
	if v != nil {
		saved := *v
		v.RegistrationID = id
		if err := o.AddVersion(ctx, v, scripts); err != nil {
			*v = saved
			return err
		}
	}
	r.ID, r.UpdateViaCache, r.Type, r.Created = id, uvc, typ, created
	return nil
}

func (o *ops) UpdateRegistration(ctx context.Context, r Registration) error {
	if !o.writable {
		return errReadOnly
	}
	uvc, err := validUpdateViaCache(r.UpdateViaCache)
	if err != nil {
		return err
	}
	typ, err := validType(r.Type)
	if err != nil {
		return err
	}
	res, err := o.exec(ctx, `UPDATE registrations SET update_via_cache = ?, worker_type = ?, last_update_check = ? WHERE id = ?`,
		string(uvc), string(typ), unixNano(r.LastUpdateCheck), r.ID)
	return o.affected(res, err, fmt.Sprintf("update registration %d", r.ID))
}

// affected checks that an UPDATE or DELETE touched a row.
func (o *ops) affected(res sql.Result, err error, what string) error {
	if err != nil {
		return o.s.dbErr(what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return o.s.dbErr(what, err)
	}
	if n == 0 {
		return fmt.Errorf("store: %s: %w", what, ErrNotFound)
	}
	return nil
}

func (o *ops) DeleteRegistration(ctx context.Context, id int64) error {
	if !o.writable {
		return errReadOnly
	}
	// Versions and their scripts go with it (ON DELETE CASCADE).
	res, err := o.exec(ctx, `DELETE FROM registrations WHERE id = ?`, id)
	return o.affected(res, err, fmt.Sprintf("delete registration %d", id))
}

func (o *ops) Registration(ctx context.Context, id int64) (Registration, error) {
	r, err := scanRegistration(o.queryRow(ctx, `SELECT `+registrationColumns+` FROM registrations WHERE id = ?`, id))
	return r, o.rowErr(err, fmt.Sprintf("registration %d", id))
}

func (o *ops) RegistrationByScope(ctx context.Context, scopeKey string) (Registration, error) {
	r, err := scanRegistration(o.queryRow(ctx, `SELECT `+registrationColumns+` FROM registrations WHERE scope_key = ?`, scopeKey))
	return r, o.rowErr(err, fmt.Sprintf("registration %q", scopeKey))
}

// rowErr turns sql.ErrNoRows into ErrNotFound.
func (o *ops) rowErr(err error, what string) error {
	if err == sql.ErrNoRows {
		return fmt.Errorf("store: %s: %w", what, ErrNotFound)
	}
	return o.s.dbErr(what, err)
}

func (o *ops) Registrations(ctx context.Context, origin string) ([]Registration, error) {
	var rows *sql.Rows
	var err error
	if origin == "" {
		rows, err = o.query(ctx, `SELECT `+registrationColumns+` FROM registrations ORDER BY id`)
	} else {
		rows, err = o.query(ctx, `SELECT `+registrationColumns+` FROM registrations WHERE origin = ? ORDER BY id`, origin)
	}
	return collect(o, rows, err, "registrations", func(rows *sql.Rows) (Registration, error) { return scanRegistration(rows) })
}

func (o *ops) LoadRegistrations(ctx context.Context) ([]Loaded, error) {
	return o.loadRegistrations(ctx, "")
}

func (o *ops) LoadRegistration(ctx context.Context, scopeKey string) (Loaded, error) {
	out, err := o.loadRegistrations(ctx, scopeKey)
	if err != nil {
		return Loaded{}, err
	}
	if len(out) == 0 {
		return Loaded{}, fmt.Errorf("store: registration %q: %w", scopeKey, ErrNotFound)
	}
	return out[0], nil
}

// loadRegistrations loads the registration whose scope key is scopeKey,
// or every registration when scopeKey is "", with their live versions.
func (o *ops) loadRegistrations(ctx context.Context, scopeKey string) ([]Loaded, error) {
	// One pass over registrations joined with their live versions, in
	// registration order: each row is a registration, with a version or
	// NULLs.
	where, args := "", []any{string(sw.StateRedundant)}
	if scopeKey != "" {
		where, args = "WHERE r.scope_key = ?", append(args, scopeKey)
	}
	rows, err := o.query(ctx, `SELECT r.id, r.scope_key, r.scope_text, r.origin, r.update_via_cache, r.worker_type,
			r.last_update_check, r.created, r.nav_preload_enabled, r.nav_preload_header,
			v.id, v.script_url, v.state, v.slot, v.foreign_fetch, v.router_rules, v.created
		FROM registrations r LEFT JOIN versions v ON v.registration_id = r.id AND v.state <> ?
		`+where+`
		ORDER BY r.id, v.id`, args...)
	if err != nil {
		return nil, o.s.dbErr("load registrations", err)
	}
	defer rows.Close()
	var out []Loaded
	for rows.Next() {
		var r Registration
		var uvc, typ string
		var last, created, npEnabled int64
		var vid, vcreated sql.NullInt64
		var url, state, slot, ff, rules sql.NullString
		err := rows.Scan(&r.ID, &r.ScopeKey, &r.ScopeText, &r.Origin, &uvc, &typ, &last, &created, &npEnabled, &r.NavigationPreload.HeaderValue,
			&vid, &url, &state, &slot, &ff, &rules, &vcreated)
		if err != nil {
			return nil, o.s.dbErr("load registrations", err)
		}
		if n := len(out); n == 0 || out[n-1].Registration.ID != r.ID {
			r.UpdateViaCache, r.Type = sw.UpdateViaCache(uvc), sw.WorkerType(typ)
			r.LastUpdateCheck, r.Created = fromUnixNano(last), fromUnixNano(created)
			r.NavigationPreload.Enabled = npEnabled != 0
			out = append(out, Loaded{Registration: r})
		}
		if !vid.Valid {
			continue
		}
		v := Version{ID: vid.Int64, RegistrationID: r.ID, ScriptURL: url.String, State: sw.State(state.String),
			Slot: Slot(slot.String), Created: fromUnixNano(vcreated.Int64)}
		if ff.Valid {
			v.ForeignFetch = new(ForeignFetch)
			if err := json.Unmarshal([]byte(ff.String), v.ForeignFetch); err != nil {
				return nil, fmt.Errorf("store: version %d: foreign fetch: %w", v.ID, err)
			}
		}
		if rules.Valid {
			v.RouterRules = []byte(rules.String)
		}
		l := &out[len(out)-1]
		l.Versions = append(l.Versions, v)
	}
	return out, o.s.dbErr("load registrations", rows.Err())
}

// --- versions ---

const versionColumns = `id, registration_id, script_url, state, slot, foreign_fetch, router_rules, created`

func scanVersion(sc interface{ Scan(...any) error }) (Version, error) {
	var v Version
	var state, slot string
	var ff, rules sql.NullString
	var created int64
	if err := sc.Scan(&v.ID, &v.RegistrationID, &v.ScriptURL, &state, &slot, &ff, &rules, &created); err != nil {
		return v, err
	}
	if rules.Valid {
		v.RouterRules = []byte(rules.String)
	}
	v.State, v.Slot, v.Created = sw.State(state), Slot(slot), fromUnixNano(created)
	if ff.Valid {
		v.ForeignFetch = new(ForeignFetch)
		if err := json.Unmarshal([]byte(ff.String), v.ForeignFetch); err != nil {
			return v, fmt.Errorf("version %d: foreign fetch: %w", v.ID, err)
		}
	}
	return v, nil
}

func foreignFetchJSON(ff *ForeignFetch) (sql.NullString, error) {
	if ff == nil {
		return sql.NullString{}, nil
	}
	b, err := json.Marshal(ff)
	if err != nil {
		return sql.NullString{}, fmt.Errorf("store: foreign fetch: %w", err)
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

// slotHolder returns the version of registration regID in slot, 0 for none.
func (o *ops) slotHolder(ctx context.Context, regID int64, slot Slot) (int64, error) {
	var id int64
	err := o.queryRow(ctx, `SELECT id FROM versions WHERE registration_id = ? AND slot = ?`, regID, string(slot)).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, o.s.dbErr("slot", err)
}

func (o *ops) AddVersion(ctx context.Context, v *Version, scripts []Script) error {
	if !o.writable {
		return errReadOnly
	}
	what := fmt.Sprintf("add version %s to registration %d", v.ScriptURL, v.RegistrationID)
	state, err := validState(v.State)
	if err != nil {
		return err
	}
	if err := validSlot(v.Slot); err != nil {
		return err
	}
	if err := o.checkScripts(scripts, 0); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	ff, err := foreignFetchJSON(v.ForeignFetch)
	if err != nil {
		return err
	}
	var exists int
	if err := o.queryRow(ctx, `SELECT 1 FROM registrations WHERE id = ?`, v.RegistrationID).Scan(&exists); err != nil {
		return o.rowErr(err, what)
	}
	if v.Slot != SlotNone {
		holder, err := o.slotHolder(ctx, v.RegistrationID, v.Slot)
		if err != nil {
			return err
		}
		if holder != 0 {
			return fmt.Errorf("store: %s: version %d is %s: %w", what, holder, v.Slot, ErrSlotTaken)
		}
	}
	created := v.Created
	if created.IsZero() {
		created = o.s.clock.Now()
	}
	var id int64
	var rules sql.NullString
	if v.RouterRules != nil {
		rules = sql.NullString{String: string(v.RouterRules), Valid: true}
	}
	err = o.queryRow(ctx, `INSERT INTO versions (registration_id, script_url, state, slot, foreign_fetch, router_rules, created)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		v.RegistrationID, v.ScriptURL, string(state), string(v.Slot), ff, rules, unixNano(created)).Scan(&id)
	if err != nil {
		return o.s.dbErr(what, err)
	}
	if err := o.insertScripts(ctx, id, scripts); err != nil {
		return err
	}
	v.ID, v.State, v.Created = id, state, created
	return nil
}

func (o *ops) Version(ctx context.Context, id int64) (Version, error) {
	v, err := scanVersion(o.queryRow(ctx, `SELECT `+versionColumns+` FROM versions WHERE id = ?`, id))
	return v, o.rowErr(err, fmt.Sprintf("version %d", id))
}

func (o *ops) Versions(ctx context.Context, registrationID int64) ([]Version, error) {
	rows, err := o.query(ctx, `SELECT `+versionColumns+` FROM versions WHERE registration_id = ? ORDER BY id`, registrationID)
	return collect(o, rows, err, "versions", func(rows *sql.Rows) (Version, error) { return scanVersion(rows) })
}

func (o *ops) SetVersionStates(ctx context.Context, changes ...StateChange) error {
	if !o.writable {
		return errReadOnly
	}
	changes = append([]StateChange(nil), changes...)
	seen := make(map[int64]bool, len(changes))
	for i, c := range changes {
		st, err := validState(c.State)
		if err != nil {
			return err
		}
		if err := validSlot(c.Slot); err != nil {
			return err
		}
		if seen[c.VersionID] {
			return fmt.Errorf("store: set version states: version %d changed twice", c.VersionID)
		}
		seen[c.VersionID] = true
		changes[i].State = st
	}
	// Take every changed version out of its slot first, so that the order
	// of the changes does not matter; then check and fill the new slots.
	regs := make([]int64, len(changes))
	for i, c := range changes {
		what := fmt.Sprintf("set state of version %d", c.VersionID)
		if err := o.queryRow(ctx, `SELECT registration_id FROM versions WHERE id = ?`, c.VersionID).Scan(&regs[i]); err != nil {
			return o.rowErr(err, what)
		}
		if _, err := o.exec(ctx, `UPDATE versions SET slot = '' WHERE id = ?`, c.VersionID); err != nil {
			return o.s.dbErr(what, err)
		}
	}
	for i, c := range changes {
		what := fmt.Sprintf("set state of version %d to %s/%s", c.VersionID, c.State, c.Slot)
		if c.Slot != SlotNone {
			holder, err := o.slotHolder(ctx, regs[i], c.Slot)
			if err != nil {
				return err
			}
			if holder != 0 {
				return fmt.Errorf("store: %s: version %d is %s: %w", what, holder, c.Slot, ErrSlotTaken)
			}
		}
		if _, err := o.exec(ctx, `UPDATE versions SET state = ?, slot = ? WHERE id = ?`, string(c.State), string(c.Slot), c.VersionID); err != nil {
			return o.s.dbErr(what, err)
		}
	}
	return nil
}

func (o *ops) SetForeignFetch(ctx context.Context, id int64, ff *ForeignFetch) error {
	if !o.writable {
		return errReadOnly
	}
	j, err := foreignFetchJSON(ff)
	if err != nil {
		return err
	}
	res, err := o.exec(ctx, `UPDATE versions SET foreign_fetch = ? WHERE id = ?`, j, id)
	return o.affected(res, err, fmt.Sprintf("set foreign fetch of version %d", id))
}

func (o *ops) SetNavigationPreload(ctx context.Context, id int64, np NavigationPreload) error {
	if !o.writable {
		return errReadOnly
	}
	enabled := 0
	if np.Enabled {
		enabled = 1
	}
	res, err := o.exec(ctx, `UPDATE registrations SET nav_preload_enabled = ?, nav_preload_header = ? WHERE id = ?`, enabled, np.HeaderValue, id)
	return o.affected(res, err, fmt.Sprintf("set navigation preload of registration %d", id))
}

func (o *ops) SetRouterRules(ctx context.Context, id int64, rules []byte) error {
	if !o.writable {
		return errReadOnly
	}
	var v sql.NullString
	if rules != nil {
		v = sql.NullString{String: string(rules), Valid: true}
	}
	res, err := o.exec(ctx, `UPDATE versions SET router_rules = ? WHERE id = ?`, v, id)
	return o.affected(res, err, fmt.Sprintf("set router rules of version %d", id))
}

func (o *ops) DeleteVersion(ctx context.Context, id int64) error {
	if !o.writable {
		return errReadOnly
	}
	res, err := o.exec(ctx, `DELETE FROM versions WHERE id = ?`, id)
	return o.affected(res, err, fmt.Sprintf("delete version %d", id))
}

// --- scripts ---

// checkScripts checks scripts against the limits, given that the version
// has stored others already.
func (o *ops) checkScripts(scripts []Script, stored int) error {
	l := o.s.limits
	seen := make(map[string]bool, len(scripts))
	for _, sc := range scripts {
		if sc.URL == "" {
			return errors.New("store: script without URL")
		}
		if seen[sc.URL] {
			return fmt.Errorf("store: script %s given twice", sc.URL)
		}
		seen[sc.URL] = true
		if l.MaxScriptBytes > 0 && int64(len(sc.Body)) > l.MaxScriptBytes {
			return errQuota("script %s is %d bytes, over the limit of %d", sc.URL, len(sc.Body), l.MaxScriptBytes)
		}
	}
	if l.MaxScriptsPerVersion > 0 && stored+len(scripts) > l.MaxScriptsPerVersion {
		return errQuota("%d scripts for one version, over the limit of %d", stored+len(scripts), l.MaxScriptsPerVersion)
	}
	return nil
}

// insertScripts stores scripts of version id, replacing those with the
// same URL (which keep their place in the order).
func (o *ops) insertScripts(ctx context.Context, id int64, scripts []Script) error {
	if len(scripts) == 0 {
		return nil
	}
	var seq int64
	if err := o.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM scripts WHERE version_id = ?`, id).Scan(&seq); err != nil {
		return o.s.dbErr("scripts", err)
	}
	for _, sc := range scripts {
		seq++
		body := sc.Body
		if body == nil {
			body = []byte{}
		}
		_, err := o.exec(ctx, `INSERT INTO scripts (version_id, url, seq, content_type, body) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (version_id, url) DO UPDATE SET content_type = excluded.content_type, body = excluded.body`,
			id, sc.URL, seq, sc.ContentType, body)
		if err != nil {
			return o.s.dbErr(fmt.Sprintf("store script %s of version %d", sc.URL, id), err)
		}
	}
	return nil
}

func (o *ops) PutScripts(ctx context.Context, versionID int64, scripts ...Script) error {
	if !o.writable {
		return errReadOnly
	}
	what := fmt.Sprintf("put scripts of version %d", versionID)
	var exists int
	if err := o.queryRow(ctx, `SELECT 1 FROM versions WHERE id = ?`, versionID).Scan(&exists); err != nil {
		return o.rowErr(err, what)
	}
	// Count the stored scripts that the new ones do not replace.
	var stored int
	if err := o.queryRow(ctx, `SELECT COUNT(*) FROM scripts WHERE version_id = ?`, versionID).Scan(&stored); err != nil {
		return o.s.dbErr(what, err)
	}
	for _, sc := range scripts {
		var one int
		err := o.queryRow(ctx, `SELECT 1 FROM scripts WHERE version_id = ? AND url = ?`, versionID, sc.URL).Scan(&one)
		if err == nil {
			stored--
		} else if err != sql.ErrNoRows {
			return o.s.dbErr(what, err)
		}
	}
	if err := o.checkScripts(scripts, max(stored, 0)); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return o.insertScripts(ctx, versionID, scripts)
}

func (o *ops) Scripts(ctx context.Context, versionID int64) ([]Script, error) {
	rows, err := o.query(ctx, `SELECT url, content_type, body FROM scripts WHERE version_id = ? ORDER BY seq`, versionID)
	return collect(o, rows, err, "scripts", func(rows *sql.Rows) (Script, error) {
		var sc Script
		err := rows.Scan(&sc.URL, &sc.ContentType, &sc.Body)
		sc.Body = nonNil(sc.Body)
		return sc, err
	})
}

func (o *ops) Script(ctx context.Context, versionID int64, url string) (Script, error) {
	sc := Script{URL: url}
	err := o.queryRow(ctx, `SELECT content_type, body FROM scripts WHERE version_id = ? AND url = ?`, versionID, url).Scan(&sc.ContentType, &sc.Body)
	sc.Body = nonNil(sc.Body)
	return sc, o.rowErr(err, fmt.Sprintf("script %s of version %d", url, versionID))
}
