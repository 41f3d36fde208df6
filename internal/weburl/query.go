package weburl

import "strings"

// Pair is one name-value pair of an application/x-www-form-urlencoded
// string, as URLSearchParams holds them.
type Pair struct{ Name, Value string }

// ParseQuery parses query as application/x-www-form-urlencoded: sequences
// split on '&' (empty ones skipped), each split at its first '=', '+'
// replaced by space and then percent-decoded as UTF-8 (each maximal invalid
// byte sequence becomes U+FFFD). A leading '?' is not special; callers such as URLSearchParams drop
// it first.
func ParseQuery(query string) []Pair {
	if query == "" {
		return nil
	}
	pairs := make([]Pair, 0, strings.Count(query, "&")+1)
	for query != "" {
		seq := query
		if i := strings.IndexByte(query, '&'); i >= 0 {
			seq, query = query[:i], query[i+1:]
		} else {
			query = ""
		}
		if seq == "" {
			continue
		}
		name, value := seq, ""
		if i := strings.IndexByte(seq, '='); i >= 0 {
			name, value = seq[:i], seq[i+1:]
		}
		pairs = append(pairs, Pair{Name: formDecode(name), Value: formDecode(value)})
	}
	return pairs
}

func formDecode(s string) string {
	if strings.IndexByte(s, '+') >= 0 {
		s = strings.ReplaceAll(s, "+", " ")
	}
	return utf8Decode(PercentDecode(s))
}

// SerializeQuery serializes pairs as application/x-www-form-urlencoded:
// names and values percent-encoded with the FormURLEncoded set, spaces as
// '+', joined with '=' and '&'.
func SerializeQuery(pairs []Pair) string {
	var b []byte
	t := &encodeTables[FormURLEncoded]
	for i, p := range pairs {
		if i > 0 {
			b = append(b, '&')
		}
		b = appendEncoded(b, toValidUTF8(p.Name), t, true)
		b = append(b, '=')
		b = appendEncoded(b, toValidUTF8(p.Value), t, true)
	}
	return string(b)
}
