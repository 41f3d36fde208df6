package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
)

// maxAPIBody caps request bodies of the admin API.
const maxAPIBody = 1 << 20

func (s *Server) routes(mux *http.ServeMux) {
	// Every /v1/ response is inert on the admin origin (cacheview.go).
	handle := func(pattern string, h http.HandlerFunc) { mux.HandleFunc(pattern, inertHeaders(h)) }
	handle("GET /v1/registrations", s.listRegistrations)
	handle("POST /v1/registrations", s.register)
	handle("GET /v1/registrations/{id}", s.withRegistration(s.getRegistration))
	handle("DELETE /v1/registrations/{id}", s.withRegistration(s.unregister))
	handle("POST /v1/registrations/{id}/update", s.withRegistration(s.update))
	handle("POST /v1/registrations/{id}/skip-waiting", s.withRegistration(s.skipWaiting))
	handle("POST /v1/registrations/{id}/stop", s.withRegistration(s.stop))
	handle("POST /v1/registrations/{id}/trigger", s.withRegistrationBody(s.trigger))
	handle("GET /v1/registrations/{id}/notifications", s.withRegistration(s.notifications))
	handle("GET /v1/registrations/{id}/sync", s.withRegistration(s.syncTags))
	handle("GET /v1/caches", s.listCaches)
	handle("GET /v1/caches/entries", s.cacheEntries)
	handle("GET /v1/caches/entry", s.cacheEntry)
	handle("GET /v1/indexeddb", s.listIndexedDB)
	handle("DELETE /v1/indexeddb", s.deleteIndexedDB)
	handle("GET /v1/indexeddb/records", s.idbRecords)
	handle("DELETE /v1/indexeddb/records", s.deleteIDBRecords)
	handle("POST /v1/fetch", s.fetch)
	handle("GET /v1/scope", s.scope)
	handle("GET /v1/clients", s.clients)
	handle("POST /v1/clients", s.openClient)
	handle("DELETE /v1/clients/{id}", s.withAPIClient(s.closeClient))
	handle("POST /v1/clients/{id}/messages", s.withAPIClient(s.postClientMessage))
	handle("GET /v1/clients/{id}/events", s.withAPIClient(s.clientEvents))
	handle("GET /v1/events", s.serveSSE)
	handle("POST /v1/settle", s.settle)
	handle("GET /v1/offline", s.listOffline)
	handle("PUT /v1/offline", s.setOffline)
	handle("GET /v1/clock", s.getClock)
	handle("POST /v1/clock", s.moveClock)
	handle("/v1/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, weberr.NotFoundError, "no API endpoint "+r.Method+" "+r.URL.Path+"; see docs/api.md")
	})
}

// registrationJSON is a registration as the admin API shows it: the
// registry's snapshot plus its connected cross-origin clients.
type registrationJSON struct {
	registry.Info
	CrossOriginClients []CrossOriginClient `json:"crossOriginClients"`
}

func (s *Server) info(reg *registry.Registration) registrationJSON {
	return s.infoWith(reg, s.workerNodes(context.Background(), reg.Scope().Key()))
}

// infoWith is info with the nodes running each version (workerNodes).
func (s *Server) infoWith(reg *registry.Registration, nodes *fleetNodes) registrationJSON {
	out := registrationJSON{Info: reg.Info(), CrossOriginClients: []CrossOriginClient{}}
	if s.opts.CrossOriginClients != nil {
		out.CrossOriginClients = append(out.CrossOriginClients, s.opts.CrossOriginClients(reg)...)
	}
	if nodes != nil {
		out.Node = nodes.self
		for i := range out.Versions {
			v := &out.Versions[i]
			v.Nodes = append([]string{}, nodes.running[v.ID]...)
			if v.Running {
				v.Nodes = append(v.Nodes, nodes.self)
			}
			slices.Sort(v.Nodes)
		}
	}
	return out
}

// fleetNodes is, in a fleet, this node's id and the other nodes running
// each version's worker (by version id).
type fleetNodes struct {
	self    string
	running map[int64][]string
}

// workerNodes asks the other nodes of the fleet which workers of the
// registration with scope key key (every registration for "") they run;
// nil outside a fleet. It waits at most the fleet's short state deadline.
func (s *Server) workerNodes(ctx context.Context, key string) *fleetNodes {
	f := s.reg.Fleet()
	if f == nil {
		return nil
	}
	out := &fleetNodes{self: f.NodeID(), running: map[int64][]string{}}
	for _, p := range f.Peers(ctx, key) {
		for _, id := range p.Running {
			out.running[id] = append(out.running[id], p.Node)
		}
	}
	return out
}

func (s *Server) listRegistrations(w http.ResponseWriter, r *http.Request) {
	origin, err := queryParam(r, "origin")
	if err != nil {
		s.fail(w, err)
		return
	}
	infos := []registrationJSON{}
	regs := s.reg.Registrations(origin)
	var nodes *fleetNodes
	if len(regs) > 0 {
		nodes = s.workerNodes(r.Context(), "")
	}
	for _, reg := range regs {
		infos = append(infos, s.infoWith(reg, nodes))
	}
	writeJSON(w, http.StatusOK, infos)
}

// registerRequest is the body of POST /v1/registrations.
type registerRequest struct {
	Client         string     `json:"client"`
	Script         string     `json:"script"`
	Scope          scopeField `json:"scope,omitempty"` // a legacy scope URL or a pattern object
	Type           string     `json:"type,omitempty"`
	UpdateViaCache string     `json:"updateViaCache,omitempty"`
}

// validate checks the required fields and the enumerations.
func (req *registerRequest) validate() error {
	return firstError(
		required("client", req.Client),
		required("script", req.Script),
		oneOf("type", req.Type, string(sw.WorkerClassic), string(sw.WorkerModule)),
		oneOf("updateViaCache", req.UpdateViaCache, string(sw.UpdateViaCacheImports), string(sw.UpdateViaCacheAll), string(sw.UpdateViaCacheNone)),
	)
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	var req registerRequest
	if err := decodeBody(r, &req); err != nil {
		s.fail(w, err)
		return
	}
	reg, err := s.reg.Register(r.Context(), registry.RegisterRequest{
		ClientURL: req.Client, ScriptURL: req.Script, Scope: string(req.Scope),
		Type: sw.WorkerType(req.Type), UpdateViaCache: sw.UpdateViaCache(req.UpdateViaCache),
	})
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, s.info(reg))
}

// withRegistration resolves the {id} path value.
func (s *Server) withRegistration(h func(http.ResponseWriter, *http.Request, *registry.Registration)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := noBody(r); err != nil {
			s.fail(w, err)
			return
		}
		s.withRegistrationBody(h)(w, r)
	}
}

// withRegistrationBody is withRegistration for a handler that reads a
// request body.
func (s *Server) withRegistrationBody(h func(http.ResponseWriter, *http.Request, *registry.Registration)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			s.fail(w, weberr.Errorf(weberr.TypeError, "registration id %q is not a number", r.PathValue("id")))
			return
		}
		reg := s.reg.Registration(id)
		if reg == nil || reg.Uninstalling() {
			s.fail(w, weberr.Errorf(weberr.NotFoundError, "no registration %d", id))
			return
		}
		h(w, r, reg)
	}
}

func (s *Server) getRegistration(w http.ResponseWriter, r *http.Request, reg *registry.Registration) {
	writeJSON(w, http.StatusOK, s.info(reg))
}

func (s *Server) unregister(w http.ResponseWriter, r *http.Request, reg *registry.Registration) {
	if err := s.reg.Unregister(r.Context(), reg); err != nil {
		s.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) update(w http.ResponseWriter, r *http.Request, reg *registry.Registration) {
	if err := s.reg.Update(r.Context(), reg); err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, s.info(reg))
}

func (s *Server) skipWaiting(w http.ResponseWriter, r *http.Request, reg *registry.Registration) {
	if err := s.reg.SkipWaiting(r.Context(), reg); err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, s.info(reg))
}

func (s *Server) stop(w http.ResponseWriter, r *http.Request, reg *registry.Registration) {
	for _, v := range []*registry.Version{reg.Active(), reg.Waiting(), reg.Installing()} {
		if v != nil {
			v.StopWorker()
		}
	}
	writeJSON(w, http.StatusOK, s.info(reg))
}

// originCaches returns the Cache Storage of the origin named by the
// "origin" query parameter.
func (s *Server) originCaches(r *http.Request) (*cachestorage.CacheStorage, error) {
	origin, err := queryParam(r, "origin")
	if err != nil {
		return nil, err
	}
	if origin == "" {
		return nil, weberr.New(weberr.TypeError, "the origin query parameter is required")
	}
	return s.reg.Caches().For(origin)
}

// cacheInfo lists one origin's caches.
type cacheInfo struct {
	Origin string   `json:"origin"`
	Caches []string `json:"caches"`
}

// listCaches lists the caches of one origin, or of every origin that has
// a registration.
func (s *Server) listCaches(w http.ResponseWriter, r *http.Request) {
	o, err := queryParam(r, "origin")
	if err != nil {
		s.fail(w, err)
		return
	}
	origins := []string{}
	if o != "" {
		origins = append(origins, o)
	} else {
		seen := map[string]bool{}
		for _, reg := range s.reg.Registrations("") {
			if o := reg.Scope().Origin(); !seen[o] {
				seen[o] = true
				origins = append(origins, o)
			}
		}
		sort.Strings(origins)
	}
	out := []cacheInfo{}
	for _, o := range origins {
		cs, err := s.reg.Caches().For(o)
		if err != nil {
			s.fail(w, err)
			return
		}
		names, err := cs.Keys(r.Context())
		if err != nil {
			s.fail(w, err)
			return
		}
		out = append(out, cacheInfo{Origin: cs.Origin(), Caches: append([]string{}, names...)})
	}
	writeJSON(w, http.StatusOK, out)
}

// entryInfo describes one cached request/response pair.
type entryInfo struct {
	Method     string              `json:"method"`
	URL        string              `json:"url"`
	Status     int                 `json:"status"`
	StatusText string              `json:"statusText"`
	Type       fetch.ResponseType  `json:"type"`
	Headers    map[string][]string `json:"headers"`
	BodyBytes  int                 `json:"bodyBytes"`
}

func (s *Server) openCache(w http.ResponseWriter, r *http.Request) (*cachestorage.Cache, bool) {
	cs, err := s.originCaches(r)
	if err != nil {
		s.fail(w, err)
		return nil, false
	}
	name, err := queryParam(r, "cache")
	if err != nil {
		s.fail(w, err)
		return nil, false
	}
	ok, err := cs.Has(r.Context(), name)
	if err == nil && !ok {
		err = weberr.Errorf(weberr.NotFoundError, "origin %s has no cache %q", cs.Origin(), name)
	}
	if err != nil {
		s.fail(w, err)
		return nil, false
	}
	c, err := cs.Open(r.Context(), name)
	if err != nil {
		s.fail(w, err)
		return nil, false
	}
	return c, true
}

func (s *Server) cacheEntries(w http.ResponseWriter, r *http.Request) {
	c, ok := s.openCache(w, r)
	if !ok {
		return
	}
	reqs, err := c.Keys(r.Context(), nil, cachestorage.MatchOptions{})
	if err != nil {
		s.fail(w, err)
		return
	}
	out := []entryInfo{}
	for _, req := range reqs {
		resp, err := c.Match(r.Context(), req, cachestorage.MatchOptions{IgnoreVary: true})
		if err != nil || resp == nil {
			continue
		}
		out = append(out, entryInfo{Method: req.MethodOrGet(), URL: req.URL, Status: resp.Status, StatusText: resp.StatusText,
			Type: resp.Type, Headers: resp.Header, BodyBytes: len(resp.Body)})
	}
	writeJSON(w, http.StatusOK, out)
}

// fetchRequest is the body of POST /v1/fetch.
type fetchRequest struct {
	Client string `json:"client"`
	// ClientID names a client opened with POST /v1/clients to make the
	// request from, instead of the client at Client (clients.go).
	ClientID string            `json:"clientId,omitempty"`
	URL      string            `json:"url"`
	Method   string            `json:"method,omitempty"`
	Headers  map[string]string `json:"headers,omitempty"`
	Body     string            `json:"body,omitempty"`
	Mode     string            `json:"mode,omitempty"`
	// Stream asks for the raw response instead of the JSON answer: its
	// body as produced, its metadata in X-Swhost-* header fields
	// (writeStreamedFetch).
	Stream bool `json:"stream,omitempty"`
}

// forbiddenMethods are the methods fetch() refuses (Fetch, "forbidden
// method").
var forbiddenMethods = []string{"CONNECT", "TRACE", "TRACK"}

// validate checks the required fields, the method, the header fields and
// the mode.
func (fr *fetchRequest) validate() error {
	if fr.ClientID == "" {
		if err := required("client", fr.Client); err != nil {
			return err
		}
	} else if fr.Client != "" {
		return fieldError("client", "give client or clientId, not both")
	}
	if err := required("url", fr.URL); err != nil {
		return err
	}
	if fr.Method != "" && !isToken(fr.Method) {
		return fieldError("method", "%q is not an HTTP method (a token)", fr.Method)
	}
	if slices.Contains(forbiddenMethods, strings.ToUpper(fr.Method)) {
		return fieldError("method", "%s is a forbidden method", strings.ToUpper(fr.Method))
	}
	for name, value := range fr.Headers {
		if !isToken(name) {
			return fieldError("headers", "%q is not a header name (a token)", name)
		}
		if strings.ContainsAny(value, "\r\n\x00") {
			return fieldError("headers", "the value of %s has a control character (CR, LF or NUL)", name)
		}
	}
	return oneOf("mode", fr.Mode, string(fetch.ModeNavigate), string(fetch.ModeSameOrigin), string(fetch.ModeNoCORS), string(fetch.ModeCORS))
}

// fetchResponse is what POST /v1/fetch answers.
type fetchResponse struct {
	Layer     string       `json:"layer"`
	ScriptURL string       `json:"scriptURL,omitempty"`
	LatencyMs float64      `json:"latencyMs"`
	Response  responseJSON `json:"response"`
}

type responseJSON struct {
	Type       fetch.ResponseType  `json:"type"`
	URL        string              `json:"url,omitempty"`
	Status     int                 `json:"status"`
	StatusText string              `json:"statusText,omitempty"`
	Headers    map[string][]string `json:"headers"`
	Body       *string             `json:"body,omitempty"`       // when the body is UTF-8 text
	BodyBase64 *string             `json:"bodyBase64,omitempty"` // otherwise
	Error      string              `json:"error,omitempty"`      // for a network error
}

// toResponseJSON describes resp; a streamed body is read whole first
// (the answer is one JSON document), up to maxAdminFetchBody.
func toResponseJSON(resp *fetch.Response) responseJSON {
	out := responseJSON{Type: resp.Type, URL: resp.URL, Status: resp.Status, StatusText: resp.StatusText, Headers: map[string][]string{}, Error: resp.Error}
	if err := resp.ReadBody(maxAdminFetchBody); err != nil {
		out.Error = err.Error()
	}
	for k, vs := range resp.Header {
		out.Headers[strings.ToLower(k)] = vs
	}
	if len(resp.Body) > 0 {
		if utf8.Valid(resp.Body) {
			b := string(resp.Body)
			out.Body = &b
		} else {
			b := base64.StdEncoding.EncodeToString(resp.Body)
			out.BodyBase64 = &b
		}
	}
	return out
}

// fetch makes a request as a client: a navigation when url is the
// client's own URL, otherwise a subresource request from the client.
func (s *Server) fetch(w http.ResponseWriter, r *http.Request) {
	var fr fetchRequest
	if err := decodeBody(r, &fr); err != nil {
		s.fail(w, err)
		return
	}
	req := &fetch.Request{Method: strings.ToUpper(fr.Method), URL: fr.URL, Header: http.Header{}, Mode: fetch.Mode(fr.Mode)}
	for k, v := range fr.Headers {
		req.Header.Set(k, v)
	}
	if fr.Body != "" {
		req.Body = []byte(fr.Body)
	}
	ctx := r.Context()
	var (
		result *agent.Result
		err    error
	)
	if fr.ClientID != "" {
		c := s.apiClients.get(fr.ClientID)
		if c == nil {
			s.fail(w, weberr.Errorf(weberr.NotFoundError, "no client %q opened through POST /v1/clients", fr.ClientID))
			return
		}
		result, err = c.Fetch(ctx, req)
	} else if sameDocument(fr.Client, fr.URL) {
		c, nres, nerr := s.agent.Navigate(ctx, req)
		if nerr == nil {
			defer c.Close()
		}
		result, err = nres, nerr
	} else {
		c, cerr := s.agent.ClientForURL(fr.Client)
		if cerr != nil {
			s.fail(w, weberr.Errorf(weberr.TypeError, "invalid client URL %q", fr.Client))
			return
		}
		result, err = c.Fetch(ctx, req)
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	defer result.Response.CloseBody()
	if fr.Stream {
		s.writeStreamedFetch(w, r, result)
		return
	}
	res := fetchResponse{Layer: string(result.Layer), ScriptURL: result.ScriptURL, LatencyMs: ms(result.Duration.Microseconds()), Response: toResponseJSON(result.Response)}
	writeJSON(w, http.StatusOK, res)
}

// Header fields of the raw answer of POST /v1/fetch with "stream": true.
const (
	streamedHeaderPrefix = "X-Swhost-Header-" // one field line per response header value
)

// writeStreamedFetch writes the answer of POST /v1/fetch with "stream":
// true: status 200 and the response's body as it is produced (flushed
// per chunk), its metadata in header fields: X-Swhost-Layer,
// X-Swhost-Script-Url, X-Swhost-Latency-Ms, X-Swhost-Type,
// X-Swhost-Status, X-Swhost-Status-Text, X-Swhost-Url, X-Swhost-Error
// (a network error, whose body is empty), and each response header value
// as X-Swhost-Header-NAME. The answer's own Content-Type is
// application/octet-stream, with nosniff and a sandbox CSP: the body is
// never interpreted on the admin origin. A body that fails after the
// status was sent aborts the connection, as the edge does.
func (s *Server) writeStreamedFetch(w http.ResponseWriter, r *http.Request, res *agent.Result) {
	resp := res.Response
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	h.Set("X-Swhost-Layer", string(res.Layer))
	if res.ScriptURL != "" {
		h.Set("X-Swhost-Script-Url", res.ScriptURL)
	}
	h.Set("X-Swhost-Latency-Ms", strconv.FormatFloat(ms(res.Duration.Microseconds()), 'f', -1, 64))
	h.Set("X-Swhost-Type", string(resp.Type))
	h.Set("X-Swhost-Status", strconv.Itoa(resp.Status))
	if resp.StatusText != "" {
		h.Set("X-Swhost-Status-Text", resp.StatusText)
	}
	if resp.URL != "" {
		h.Set("X-Swhost-Url", resp.URL)
	}
	if resp.Error != "" {
		h.Set("X-Swhost-Error", strings.Map(func(r rune) rune {
			if r < ' ' || r == 0x7f {
				return ' '
			}
			return r
		}, resp.Error))
	}
	for k, vs := range resp.Header {
		key := streamedHeaderPrefix + k
		h[key] = append(h[key], vs...)
	}
	w.WriteHeader(http.StatusOK)
	if resp.Stream == nil {
		w.Write(resp.Body)
		return
	}
	if err := copyStream(w, resp.Stream); err != nil {
		var werr *clientWriteError
		if errors.As(err, &werr) || r.Context().Err() != nil {
			return
		}
		s.log.Warn("api: the fetched body failed while it was sent", "url", resp.URL, "err", err)
		resp.CloseBody()
		panic(http.ErrAbortHandler)
	}
}

func ms(us int64) float64 { return float64(us) / 1000 }

func sameDocument(a, b string) bool {
	ua, err1 := weburl.Parse(a)
	ub, err2 := weburl.Parse(b)
	return err1 == nil && err2 == nil && ua.HrefWithoutFragment() == ub.HrefWithoutFragment()
}

// scopeCandidate is one registration whose scope matched, with the
// figures of the four ordering steps.
type scopeCandidate struct {
	Registration             int64           `json:"registration"`
	Scope                    json.RawMessage `json:"scope"`
	Prefix                   string          `json:"prefix"`
	PrefixLength             int             `json:"prefixLength"`
	Specificity              string          `json:"specificity"`
	VariableChars            int             `json:"variableChars"`
	VariableBeforeLastStatic int             `json:"variableBeforeLastStatic"`
}

// scope answers which registration controls a URL and why.
func (s *Server) scope(w http.ResponseWriter, r *http.Request) {
	raw, err := queryParam(r, "url")
	if err != nil {
		s.fail(w, err)
		return
	}
	u, err := weburl.Parse(raw)
	if err != nil {
		s.fail(w, weberr.Errorf(weberr.TypeError, "invalid url %q", raw))
		return
	}
	out := struct {
		URL          string           `json:"url"`
		Registration *int64           `json:"registration"`
		Candidates   []scopeCandidate `json:"candidates"`
	}{URL: u.Href(), Candidates: []scopeCandidate{}}
	for i, c := range s.reg.Candidates(u) {
		if i == 0 {
			id := c.Value.ID()
			out.Registration = &id
		}
		sc, _ := json.Marshal(c.Scope)
		out.Candidates = append(out.Candidates, scopeCandidate{Registration: c.Value.ID(), Scope: sc, Prefix: c.Scope.Prefix(),
			PrefixLength: c.PrefixLen, Specificity: c.Specificity.String(), VariableChars: c.VariableChars, VariableBeforeLastStatic: c.VariableBeforeLastStatic})
	}
	writeJSON(w, http.StatusOK, out)
}

// clientInfo describes an open client.
type clientInfo struct {
	ID         string `json:"id"`
	URL        string `json:"url"`
	Origin     string `json:"origin"`
	Controller *int64 `json:"controller"`
}

func (s *Server) clients(w http.ResponseWriter, r *http.Request) {
	out := []clientInfo{}
	for _, c := range s.agent.Clients() {
		ci := clientInfo{ID: c.ID(), URL: c.URL(), Origin: c.Origin()}
		if reg := c.Controller(); reg != nil {
			id := reg.ID()
			ci.Controller = &id
		}
		out = append(out, ci)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	writeJSON(w, http.StatusOK, out)
}

// offlineJSON is the offline switch of one origin.
type offlineJSON struct {
	Origin  string `json:"origin"`
	Offline bool   `json:"offline"`
}

// listOffline is GET /v1/offline: the origins that are offline.
func (s *Server) listOffline(w http.ResponseWriter, r *http.Request) {
	if err := noBody(r); err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string][]string{"offline": s.agent.OfflineOrigins()})
}

// setOffline is PUT /v1/offline {"origin", "offline"}: takes an origin
// offline or back online.
func (s *Server) setOffline(w http.ResponseWriter, r *http.Request) {
	var req offlineJSON
	if err := decodeBody(r, &req); err != nil {
		s.fail(w, err)
		return
	}
	if err := s.agent.SetOffline(req.Origin, req.Offline); err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string][]string{"offline": s.agent.OfflineOrigins()})
}
