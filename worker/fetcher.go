package worker

import "github.com/swhost/swhost/network"

// defaultFetcher is the fetch() of a worker whose Options.Fetcher is nil:
// the network (a [network.Transport] that maps no origin) under the
// default egress policy (internal/egress). It refuses loopback, private,
// link-local and other non-public addresses, checked on the address
// dialled on every hop of a redirect; it follows redirects as the Fetch
// standard says (the request's redirect mode, at most 20 hops, 301/302
// POST and 303 turning into GET); it uses no proxy from the environment;
// it caps response bodies at [network.DefaultMaxBodyBytes]; and it
// reports a failure as a network-error response, which fetch() rejects
// with a TypeError. Library users who need other upstreams or another
// policy pass their own *network.Transport (its Resolve and Egress
// fields) as Options.Fetcher.
var defaultFetcher = &network.Transport{}
