package urlpattern

import (
	"strings"
)

// componentIndex returns the index of a component name, or -1.
func componentIndex(name string) int {
	for i, n := range componentNames {
		if n == name {
			return i
		}
	}
	return -1
}

// CompareComponent orders two patterns by how specific their given
// component is, as the tentative web API URLPattern.compareComponent does
// (it is exercised by the web-platform-tests but not yet in the standard).
// It returns -1 when left's component is less specific than right's, 1
// when it is more specific and 0 when they are equally specific.
//
// The components' part lists are compared part by part: fixed text is more
// specific than a regexp group, which is more specific than a named segment,
// which is more specific than a full wildcard; then no modifier beats "+",
// "+" beats "?" and "?" beats "*"; then the prefix, value and suffix
// strings are compared. Group names do not matter. When one list is a
// prefix of the other, the next part of the longer list is compared with an
// empty fixed-text part.
func CompareComponent(component string, left, right *URLPattern) (int, error) {
	i := componentIndex(component)
	if i < 0 {
		return 0, typeErrorf("unknown component %q", component)
	}
	if left == nil || right == nil {
		return 0, typeErrorf("compareComponent needs two patterns")
	}
	return comparePartLists(left.comps[i].parts, right.comps[i].parts), nil
}

func comparePartLists(l, r []part) int {
	n := min(len(l), len(r))
	for i := 0; i < n; i++ {
		if c := comparePart(&l[i], &r[i]); c != 0 {
			return c
		}
	}
	if len(l) == len(r) {
		return 0
	}
	empty := part{typ: partFixedText, modifier: modNone}
	if len(l) > n {
		return comparePart(&l[n], &empty)
	}
	return comparePart(&empty, &r[n])
}

func comparePart(l, r *part) int {
	switch {
	case l.typ != r.typ:
		return cmpInt(int(l.typ), int(r.typ))
	case l.modifier != r.modifier:
		return cmpInt(int(l.modifier), int(r.modifier))
	}
	if c := strings.Compare(l.prefix, r.prefix); c != 0 {
		return c
	}
	if c := strings.Compare(l.value, r.value); c != 0 {
		return c
	}
	return strings.Compare(l.suffix, r.suffix)
}

func cmpInt(a, b int) int {
	if a < b {
		return -1
	}
	return 1
}

// Generate builds a component value from the pattern and group values, as
// the tentative web API pattern.generate(component, groups) does: fixed
// text is copied and each named segment is replaced by its group value,
// canonicalized for the component ("🍅" becomes "%F0%9F%8D%85" in a
// pathname and "xn--fi8h" in a hostname).
//
// It fails for an unknown component, a missing group value, a value the
// segment would not match (one containing the delimiter, such as "a/b" in
// a pathname), and for parts that have no single value to generate: full
// wildcards, regexp groups and parts with a modifier.
func (p *URLPattern) Generate(component string, groups map[string]string) (string, error) {
	i := componentIndex(component)
	if i < 0 {
		return "", typeErrorf("unknown component %q", component)
	}
	c := p.comps[i]
	enc := c.kind.encoder()
	var b strings.Builder
	for j := range c.parts {
		pt := &c.parts[j]
		if pt.typ == partFixedText && pt.modifier == modNone {
			b.WriteString(pt.value)
			continue
		}
		switch {
		case pt.modifier != modNone:
			return "", &Error{Component: component, Input: c.pattern, Offset: -1, Reason: "cannot generate a value for a part with modifier '" + pt.modifier.String() + "'"}
		case pt.typ == partFullWildcard:
			return "", &Error{Component: component, Input: c.pattern, Offset: -1, Reason: "cannot generate a value for a '*' wildcard"}
		case pt.typ == partRegexp:
			return "", &Error{Component: component, Input: c.pattern, Offset: -1, Reason: "cannot generate a value for regexp group " + quote(pt.name)}
		}
		v, ok := groups[pt.name]
		if !ok {
			return "", &Error{Component: component, Input: c.pattern, Offset: -1, Reason: "no value for group " + quote(pt.name)}
		}
		e, err := enc(v)
		if err != nil {
			return "", &Error{Component: component, Input: c.pattern, Offset: -1, Reason: "invalid value for group " + quote(pt.name), Err: err}
		}
		if e == "" || (c.opts.delimiter != "" && strings.Contains(e, c.opts.delimiter)) {
			return "", &Error{Component: component, Input: c.pattern, Offset: -1, Reason: "value " + quote(v) + " for group " + quote(pt.name) + " does not match a segment"}
		}
		b.WriteString(pt.prefix)
		b.WriteString(e)
		b.WriteString(pt.suffix)
	}
	return b.String(), nil
}
