package server

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

// Inert views. The admin API answers on the admin origin, which holds the
// authority of the whole API; whatever a worker stored or an upstream
// answered must never run there, nor speak for that origin through its
// headers. So:
//
//   - every /v1/ response says X-Content-Type-Options: nosniff,
//     Content-Security-Policy: sandbox (no script, an opaque origin, even
//     if a browser were made to render it),
//     Cross-Origin-Resource-Policy: same-origin and Cache-Control:
//     no-store (inertHeaders);
//   - JSON responses carry stored or fetched headers and bodies as JSON
//     values, never as their own fields;
//   - the one view that serves a stored body as it is,
//     GET /v1/caches/entry, serves it as a download (attachment) of a
//     type from a short list (viewType), replays only the stored fields
//     of replayedHeaders, and gives the rest as JSON in
//     X-Swhost-Stored-Headers.

// inertHeaders wraps an admin API handler so that its responses are
// inert (see above).
func inertHeaders(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Content-Security-Policy", "sandbox")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		hd.Set("Cache-Control", "no-store")
		h(w, r)
	}
}

// replayedHeaders are the stored header fields the entry view sends as
// its own: descriptive fields that grant nothing and instruct the
// browser to do nothing. It is an allow-list: a field not named here
// (CORS, Link, Set-Cookie, CSP, HSTS, COOP, COEP, CORP,
// Permissions-Policy, Refresh, X-Frame-Options, Clear-Site-Data,
// Service-Worker-Allowed, Content-Encoding, Location, ... and whatever
// the web adds next) is only shown in X-Swhost-Stored-Headers.
var replayedHeaders = []string{"Content-Language", "ETag", "Last-Modified"}

// maxStoredHeadersJSON caps X-Swhost-Stored-Headers; larger stored
// headers are left to the entries listing.
const maxStoredHeadersJSON = 8 << 10

// Media types the entry view serves, by the stored type's essence.
var (
	// viewImages are served as they are and may be shown inline: image
	// formats that cannot carry script (SVG can, so it is not here).
	viewImages = map[string]bool{
		"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true,
		"image/avif": true, "image/bmp": true, "image/x-icon": true, "image/vnd.microsoft.icon": true,
	}
	// viewText are served as text/plain and may be shown inline: text
	// that a browser would otherwise interpret (as script, style or a
	// JSON viewer) but is safe to read as plain text.
	viewText = map[string]bool{
		"text/plain": true, "application/json": true, "text/json": true,
		"text/javascript": true, "application/javascript": true, "application/x-javascript": true,
		"text/ecmascript": true, "application/ecmascript": true,
		"text/css": true, "text/csv": true, "text/markdown": true,
	}
	// viewCharsets are the charsets kept on text; any other is served as
	// UTF-8 (no UTF-7 or other encoding a browser might misread).
	viewCharsets = map[string]bool{"utf-8": true, "us-ascii": true, "iso-8859-1": true, "windows-1252": true}
)

// viewType returns the Content-Type the entry view serves a stored
// response of type stored with, and whether it may be shown inline
// (?inline=1). Images other than SVG keep their type; text/plain, JSON,
// JavaScript, CSS, CSV and Markdown become text/plain; everything else
// (HTML, SVG, XML, PDF, unknown or missing types) becomes
// application/octet-stream and is always an attachment.
func viewType(stored string) (contentType string, inline bool) {
	essence, params, err := mime.ParseMediaType(stored)
	if err != nil {
		return "application/octet-stream", false
	}
	essence = strings.ToLower(essence)
	switch {
	case viewImages[essence]:
		return essence, true
	case viewText[essence] || strings.HasPrefix(essence, "application/") && strings.HasSuffix(essence, "+json"):
		charset := strings.ToLower(params["charset"])
		if !viewCharsets[charset] {
			charset = "utf-8"
		}
		return "text/plain; charset=" + charset, true
	}
	return "application/octet-stream", false
}

// cacheEntry serves the stored body of the entry for ?url= as an inert
// download; see viewType and replayedHeaders.
func (s *Server) cacheEntry(w http.ResponseWriter, r *http.Request) {
	inline, err := queryParam(r, "inline", "0", "1")
	if err != nil {
		s.fail(w, err)
		return
	}
	url, err := queryParam(r, "url")
	if err == nil && url == "" {
		err = weberr.New(weberr.TypeError, "query parameter url: required")
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	c, ok := s.openCache(w, r)
	if !ok {
		return
	}
	resp, err := c.Match(r.Context(), &fetch.Request{URL: url}, cachestorage.MatchOptions{IgnoreVary: true})
	if err == nil && resp == nil {
		err = weberr.Errorf(weberr.NotFoundError, "no entry for %s", url)
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	h := w.Header()
	contentType, safe := viewType(resp.Header.Get("Content-Type"))
	h.Set("Content-Type", contentType)
	if inline == "1" && safe {
		h.Set("Content-Disposition", "inline")
	} else {
		h.Set("Content-Disposition", "attachment")
	}
	for _, name := range replayedHeaders {
		if vs := resp.Header.Values(name); len(vs) > 0 {
			h[name] = vs
		}
	}
	h.Set("X-Swhost-Response-Type", string(resp.Type))
	h.Set("X-Swhost-Stored-Status", strconv.Itoa(resp.Status))
	if j := storedHeadersJSON(resp.Header); len(j) <= maxStoredHeadersJSON {
		h.Set("X-Swhost-Stored-Headers", j)
	}
	w.WriteHeader(http.StatusOK)
	w.Write(resp.Body)
}

// storedHeadersJSON returns stored header fields as a JSON object of
// lower-cased names to lists of values, in ASCII (other characters as
// \u escapes) so that it fits in a header field.
func storedHeadersJSON(hd http.Header) string {
	m := make(map[string][]string, len(hd))
	for k, vs := range hd {
		k = strings.ToLower(k)
		m[k] = append(m[k], vs...)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	var out strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r < utf8.RuneSelf:
			out.WriteByte(b[0])
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(&out, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(&out, `\u%04x`, r)
		}
		b = b[size:]
	}
	return out.String()
}
