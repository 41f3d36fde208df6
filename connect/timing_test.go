package connect

import (
	"sort"
	"testing"
	"time"

	"github.com/swhost/swhost/weberr"
)

// TestRefusalTiming: with the default failure delay, a refusal by a
// running worker, a refusal by a stopped worker (cold start) and "no
// service" take the same time, within the jitter.
func TestRefusalTiming(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test: runs without -short")
	}
	e := newTestEnv(t, Options{FailureDelay: DefaultFailureDelay, FailureJitter: DefaultFailureJitter})
	reg := e.register("/r/sw.js", "/r/", `self.addEventListener('crossoriginconnect', e => e.acceptConnection(false));`)
	const n = 5
	measure := func(target string, before func()) []time.Duration {
		var out []time.Duration
		for i := 0; i < n; i++ {
			if before != nil {
				before()
			}
			start := time.Now()
			_, err := e.connect(target, nil)
			out = append(out, time.Since(start))
			if weberr.NameOf(err) != weberr.AbortError {
				t.Fatalf("%s: %v", target, err)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
		return out
	}
	none := measure(svcOrigin+"/none", nil)
	warm := measure(svcOrigin+"/r/x", nil)
	cold := measure(svcOrigin+"/r/x", func() {
		if w, err := reg.Active().Worker(t.Context()); err == nil {
			w.Stop()
		}
	})
	for name, d := range map[string][]time.Duration{"no service": none, "rejected (running)": warm, "rejected (stopped)": cold} {
		t.Logf("%-20s min %v median %v max %v", name, d[0], d[n/2], d[n-1])
		if d[0] < DefaultFailureDelay || d[n-1] > DefaultFailureDelay+DefaultFailureJitter+100*time.Millisecond {
			t.Errorf("%s: %v..%v, outside [%v, %v+jitter]", name, d[0], d[n-1], DefaultFailureDelay, DefaultFailureDelay)
		}
	}
}
