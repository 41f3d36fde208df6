// Package scope decides which service-worker registration controls a URL.
//
// A scope is either a legacy string (the Service Workers spec's plain string
// prefix of the serialized URL: "/maps" controls "/mapsearch", and the query
// takes part) or a scope pattern in the form of the scope pattern explainer:
//
//	{"baseUrl": "https://foo.com/", "path": "/maps/?*", "search": {"value": "*"}}
//
// Pattern strings use four characters: "*" matches zero or more characters,
// "?" makes the preceding character optional, "\" escapes the next character,
// and, in a path, "/?" is a break between path segments: "/maps/?*" controls
// "/maps" and "/maps/x" but not "/mapsearch". Scheme, host and port come from
// baseUrl; a relative path is resolved against it. A search is either a
// pattern over the whole search string ("?q=1", or "" for none) or one
// key/value pair that must be present anywhere in the query.
//
// Scopes are restricted so that matching stays cheap and predictable: "*"
// only at the end of a pattern, at most one "?" and only on a slash, at most
// one search parameter, and an origin that is never variable. A legacy
// scope is represented internally as its equivalent pattern: the path
// followed by "*", or, when the scope has a query, the exact path and the
// search value followed by "*".
//
// When several scopes match a URL, the most specific wins, by the explainer's
// four steps (see [Compare]). An [Index] finds that scope among many
// registrations in time that depends on the URL's length, not on how many
// scopes exist.
package scope
