package worker

import (
	"encoding/json"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/urlpattern"
	"github.com/swhost/swhost/weberr"
)

// Bindings of js/21_urlpattern.js: the JavaScript class keeps the compiled
// Go pattern (a handle) in its state. An input is a URL string, or, when
// isInit, a URLPatternInit serialized as JSON; base is a string or
// undefined.

func (in *instance) patternInput(isInit bool, v string) urlpattern.Input {
	if !isInit {
		return urlpattern.Input{URL: v}
	}
	init, err := urlpattern.ParseInit([]byte(v))
	if err != nil {
		in.throw(weberr.Errorf(weberr.TypeError, "URLPattern: %v", err))
	}
	return urlpattern.Input{Init: &init}
}

func patternBase(v sobek.Value) *string {
	if v == nil || sobek.IsUndefined(v) {
		return nil
	}
	s := v.String()
	return &s
}

// urlpatternNew is host.urlpatternNew(isInit, input, base, ignoreCase):
// the compiled pattern.
func (in *instance) urlpatternNew(isInit bool, input string, base sobek.Value, ignoreCase bool) *urlpattern.URLPattern {
	p, err := urlpattern.Compile(in.patternInput(isInit, input), patternBase(base), urlpattern.Options{IgnoreCase: ignoreCase})
	if err != nil {
		if weberr.NameOf(err) == "" {
			err = weberr.Errorf(weberr.TypeError, "%v", err)
		}
		in.throw(err)
	}
	return p
}

// urlpatternMatch is host.urlpatternMatch(pattern, isInit, input, base,
// exec): test() when exec is false (a boolean), else exec()'s result as
// JSON, or null.
func (in *instance) urlpatternMatch(a *args) sobek.Value {
	p, ok := a.value().Export().(*urlpattern.URLPattern)
	if !ok {
		in.throw(weberr.New(weberr.TypeError, "Illegal invocation"))
	}
	isInit, input := a.bool(), a.string()
	target, b, exec := in.patternInput(isInit, input), patternBase(a.value()), a.bool()
	if !exec {
		ok, err := p.TestInput(target, b)
		if err != nil {
			in.throw(err)
		}
		return in.rt.ToValue(ok)
	}
	res, err := p.Match(target, b)
	if err != nil {
		in.throw(err)
	}
	if res == nil {
		return sobek.Null()
	}
	j, err := json.Marshal(res)
	if err != nil {
		in.throw(err)
	}
	return in.rt.ToValue(string(j))
}

// urlpatternPart is host.urlpatternPart(pattern, part): a component of the
// pattern, or hasRegExpGroups.
func (in *instance) urlpatternPart(p *urlpattern.URLPattern, part string) sobek.Value {
	rt := in.rt
	switch part {
	case "protocol":
		return rt.ToValue(p.Protocol())
	case "username":
		return rt.ToValue(p.Username())
	case "password":
		return rt.ToValue(p.Password())
	case "hostname":
		return rt.ToValue(p.Hostname())
	case "port":
		return rt.ToValue(p.Port())
	case "pathname":
		return rt.ToValue(p.Pathname())
	case "search":
		return rt.ToValue(p.Search())
	case "hash":
		return rt.ToValue(p.Hash())
	case "hasRegExpGroups":
		return rt.ToValue(p.HasRegExpGroups())
	}
	return sobek.Undefined()
}
