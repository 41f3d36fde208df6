package worker

import (
	"encoding/json"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/urlpattern"
	"github.com/swhost/swhost/weberr"
)

// patternHost adds the URLPattern host functions: the JavaScript class
// keeps the compiled Go pattern in its state.
func (in *instance) patternHost(set func(string, func(sobek.FunctionCall) sobek.Value)) {
	rt := in.rt
	input := func(isInit sobek.Value, v sobek.Value) urlpattern.Input {
		if !isInit.ToBoolean() {
			return urlpattern.Input{URL: v.String()}
		}
		init, err := urlpattern.ParseInit([]byte(v.String()))
		if err != nil {
			in.throw(weberr.Errorf(weberr.TypeError, "URLPattern: %v", err))
		}
		return urlpattern.Input{Init: &init}
	}
	base := func(v sobek.Value) *string {
		if v == nil || sobek.IsUndefined(v) {
			return nil
		}
		s := v.String()
		return &s
	}
	patternOf := func(v sobek.Value) *urlpattern.URLPattern {
		p, ok := v.Export().(*urlpattern.URLPattern)
		if !ok {
			in.throw(weberr.New(weberr.TypeError, "Illegal invocation"))
		}
		return p
	}
	set("urlpatternNew", func(c sobek.FunctionCall) sobek.Value {
		p, err := urlpattern.Compile(input(c.Argument(0), c.Argument(1)), base(c.Argument(2)), urlpattern.Options{IgnoreCase: c.Argument(3).ToBoolean()})
		if err != nil {
			if weberr.NameOf(err) == "" {
				err = weberr.Errorf(weberr.TypeError, "%v", err)
			}
			in.throw(err)
		}
		return rt.ToValue(p)
	})
	set("urlpatternMatch", func(c sobek.FunctionCall) sobek.Value {
		p := patternOf(c.Argument(0))
		in2 := input(c.Argument(1), c.Argument(2))
		b := base(c.Argument(3))
		if !c.Argument(4).ToBoolean() {
			ok, err := p.TestInput(in2, b)
			if err != nil {
				in.throw(err)
			}
			return rt.ToValue(ok)
		}
		res, err := p.Match(in2, b)
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
		return rt.ToValue(string(j))
	})
	set("urlpatternPart", func(c sobek.FunctionCall) sobek.Value {
		p := patternOf(c.Argument(0))
		switch c.Argument(1).String() {
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
	})
}
