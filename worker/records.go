package worker

// Records are the arrays the two languages exchange and read by slot.
// Their slots are declared here, once, as Go constants; the JavaScript
// constants of js/00_records.js are generated from these declarations
// (TestRecordsJS writes it with -update, and fails when it is stale), so
// a slot is renamed, added or moved in this file only.
//
// A block of constants marked "record PREFIX" becomes, in JavaScript,
// PREFIX_NAME for each constant prefixName (urlHref: U_HREF), registered
// in internals. Its last constant, ending in Slots, is the record's
// length.

// The URL record: a URL's state in js/20_url.js, made by host.urlRecord
// and host.urlSet (bind_url.go).
//
// record U
const (
	urlHref = iota
	urlOrigin
	urlProtocol
	urlUsername
	urlPassword
	urlHost
	urlHostname
	urlPort
	urlPathname
	urlSearch
	urlHash
	urlSlots
)

// The fields of a Request that js/13_request.js keeps in its state's
// extra array; host.requestFields makes them for a request from Go
// (bind_request.go).
//
// record X
const (
	xMode = iota
	xCredentials
	xDestination
	xReferrer
	xCache
	xRedirect
	xPolicy
	xIntegrity
	xKeepalive
	xSlots
)

// The request record: a Request flattened for Go by the bootstrap's
// exportRequest (fetch, Cache Storage keys), read by requestFromRecord.
//
// record Q
const (
	qMethod = iota
	qURL
	qHeaders // [name, value, ...], or the handle of a Go request's unlisted headers
	qBody    // string, buffer, or null
	qMode
	qCredentials
	qRedirect
	qDestination
	qReferrer // "" for about:client
	qCache
	qSlots
)

// The query options of Cache Storage: the bootstrap's queryOptions, read
// by matchOptions (bind_cache_storage.go).
//
// record O
const (
	oIgnoreSearch = iota
	oIgnoreMethod
	oIgnoreVary
	oCacheName // undefined: any cache
	oSlots
)
