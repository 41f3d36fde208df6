package server

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the Prometheus metrics at /metrics.
type metrics struct {
	reg           *prometheus.Registry
	fetches       *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	lifecycle     *prometheus.CounterVec
	edge          *prometheus.CounterVec
	registrations prometheus.GaugeFunc

	// byLayer caches each layer's series: a label lookup per request cost
	// about 2% of an edge request's CPU.
	byLayer sync.Map // agent.Layer → layerSeries
	// byEdge caches the edge counters the same way.
	byEdge sync.Map // edgeKey → prometheus.Counter
}

type edgeKey struct{ listener, code string }

// edgeRequest counts one request of an edge listener or the proxy.
func (m *metrics) edgeRequest(listener, code string) {
	k := edgeKey{listener, code}
	c, ok := m.byEdge.Load(k)
	if !ok {
		c, _ = m.byEdge.LoadOrStore(k, m.edge.WithLabelValues(listener, code))
	}
	c.(prometheus.Counter).Inc()
}

// layerSeries are one lookup layer's request counter and latency histogram.
type layerSeries struct {
	fetches prometheus.Counter
	latency prometheus.Observer
}

func (m *metrics) layer(name string) layerSeries {
	if s, ok := m.byLayer.Load(name); ok {
		return s.(layerSeries)
	}
	s := layerSeries{fetches: m.fetches.WithLabelValues(name), latency: m.latency.WithLabelValues(name)}
	m.byLayer.Store(name, s)
	return s
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "swhost", Name: "fetches_total", Help: "Client requests by the lookup layer that answered.",
		}, []string{"layer"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "swhost", Name: "fetch_duration_seconds", Help: "Lookup latency by the layer that answered.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"layer"}),
		lifecycle: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "swhost", Name: "lifecycle_events_total", Help: "Registry lifecycle events by type.",
		}, []string{"type"}),
		edge: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "swhost", Name: "edge_requests_total", Help: "Requests to the edge listener and forward proxy by listener and status class.",
		}, []string{"listener", "code"}),
	}
	m.reg.MustRegister(m.fetches, m.latency, m.lifecycle, m.edge,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}
