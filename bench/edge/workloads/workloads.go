// Package workloads is the plain Go peer of kernels.js: the same JSON
// transform, HTML render and 50-route router, written the way a Go
// service would write them (encoding/json, strings.Builder, a segment
// matcher), producing byte for byte the output of the JavaScript
// functions, so that bench/edge/run.sh compares hosts doing the same work.
package workloads

import (
	"bytes"
	_ "embed" // items.json
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// Items is items.json, the input of JSONTransform and RenderHTML (and of
// kernels.js's jsonTransform and renderHTML).
//
//go:embed items.json
var Items []byte

type item struct {
	ID    int     `json:"id"`
	Name  string  `json:"name"`
	Cat   string  `json:"cat"`
	Price float64 `json:"price"`
	Stock bool    `json:"stock"`
}

type outItem struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
	Cat   string `json:"cat"`
	Cents int64  `json:"cents"`
}

// JSONTransform is kernels.js's jsonTransform: parses the array, keeps the
// items in stock, reshapes each and returns the JSON of the result.
func JSONTransform(text []byte) ([]byte, error) {
	var items []item
	if err := json.Unmarshal(text, &items); err != nil {
		return nil, err
	}
	out := struct {
		Count int       `json:"count"`
		Total int64     `json:"total"`
		Items []outItem `json:"items"`
	}{Items: make([]outItem, 0, len(items))}
	for _, it := range items {
		if !it.Stock {
			continue
		}
		// Math.round: half up; the same as math.Floor(x + 0.5) for prices.
		cents := int64(math.Floor(it.Price*100 + 0.5))
		out.Items = append(out.Items, outItem{ID: it.ID, Title: strings.ToUpper(it.Name), Cat: it.Cat, Cents: cents})
		out.Total += cents
	}
	out.Count = len(out.Items)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // JSON.stringify leaves < and > alone
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// escaper is kernels.js's escapeHTML (html.EscapeString writes &#34; for ").
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// RenderHTML is kernels.js's renderHTML: parses the array, keeps the items
// in stock and renders them as a table.
func RenderHTML(text []byte) ([]byte, error) {
	var items []item
	if err := json.Unmarshal(text, &items); err != nil {
		return nil, err
	}
	var b strings.Builder
	b.Grow(4096)
	b.WriteString("<!doctype html><html><head><title>Items</title></head><body><table><thead><tr><th>id</th><th>name</th><th>category</th><th>price</th></tr></thead><tbody>")
	for _, it := range items {
		if !it.Stock {
			continue
		}
		b.WriteString("<tr><td>")
		b.WriteString(strconv.Itoa(it.ID))
		b.WriteString("</td><td>")
		escaper.WriteString(&b, it.Name)
		b.WriteString("</td><td>")
		escaper.WriteString(&b, it.Cat)
		b.WriteString("</td><td>")
		b.WriteString(strconv.FormatFloat(it.Price, 'f', 2, 64))
		b.WriteString("</td></tr>")
	}
	b.WriteString("</tbody></table></body></html>")
	return []byte(b.String()), nil
}

// Routes are kernels.js's ROUTES: ten resources, five routes each.
var Routes = func() []string {
	var r []string
	for _, res := range []string{"users", "orders", "products", "carts", "reviews", "sessions", "invoices", "teams", "files", "posts"} {
		r = append(r,
			"/api/"+res,
			"/api/"+res+`/:id(\d+)`,
			"/api/"+res+`/:id(\d+)/history`,
			"/api/"+res+`/:id(\d+)/:field`,
			"/"+res+"/*",
		)
	}
	return r
}()

// segment kinds of a route.
const (
	literal = iota // the text itself
	digits         // :name(\d+): one or more ASCII digits
	param          // :name: one or more characters but /
	rest           // *: the rest of the path, / included, possibly empty
)

type segment struct {
	kind int
	text string // literal: the text; digits, param: the group's name
}

// Router matches a path against Routes in order, as kernels.js's
// makeRouter does with URLPattern, with a segment matcher.
type Router struct {
	routes [][]segment
}

// NewRouter compiles Routes.
func NewRouter() *Router {
	r := &Router{}
	for _, p := range Routes {
		var segs []segment
		for s := range strings.SplitSeq(strings.TrimPrefix(p, "/"), "/") {
			switch {
			case s == "*":
				segs = append(segs, segment{kind: rest})
			case strings.HasPrefix(s, ":") && strings.HasSuffix(s, `(\d+)`):
				segs = append(segs, segment{kind: digits, text: s[1 : len(s)-len(`(\d+)`)]})
			case strings.HasPrefix(s, ":"):
				segs = append(segs, segment{kind: param, text: s[1:]})
			default:
				segs = append(segs, segment{kind: literal, text: s})
			}
		}
		r.routes = append(r.routes, segs)
	}
	return r
}

// Route returns what kernels.js's route returns for a URL of this path
// (percent-encoded, as URL.EscapedPath returns it; group values are
// quoted with strconv.Quote, the same as JSON for such text):
// "INDEX ROUTE GROUPS-JSON" for the first matching route, "404" when none
// matches.
func (r *Router) Route(path string) string {
	var groups [2][2]string // at most two groups: name, value
	for i, segs := range r.routes {
		if n, ok := match(segs, path, &groups); ok {
			var b strings.Builder
			b.WriteString(strconv.Itoa(i))
			b.WriteByte(' ')
			b.WriteString(Routes[i])
			b.WriteString(" {")
			for g := range n {
				if g > 0 {
					b.WriteByte(',')
				}
				b.WriteString(strconv.Quote(groups[g][0]))
				b.WriteByte(':')
				b.WriteString(strconv.Quote(groups[g][1]))
			}
			b.WriteByte('}')
			return b.String()
		}
	}
	return "404"
}

// match matches path against segs and returns the number of groups it
// wrote into groups.
func match(segs []segment, path string, groups *[2][2]string) (int, bool) {
	path, ok := strings.CutPrefix(path, "/")
	if !ok {
		return 0, false
	}
	n := 0
	for i, s := range segs {
		if s.kind == rest {
			groups[n] = [2]string{"0", path}
			return n + 1, true
		}
		seg, tail, more := strings.Cut(path, "/")
		switch s.kind {
		case literal:
			if seg != s.text {
				return 0, false
			}
		case digits, param:
			if seg == "" || (s.kind == digits && strings.Trim(seg, "0123456789") != "") {
				return 0, false
			}
			groups[n] = [2]string{s.text, seg}
			n++
		}
		if i == len(segs)-1 {
			return n, !more // the path ends with the route
		}
		if !more {
			return 0, false // the route goes on, the path does not
		}
		path = tail
	}
	return n, true
}
