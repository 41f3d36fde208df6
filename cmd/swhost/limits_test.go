package main

import (
	"flag"
	"io"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/swhost/swhost/worker"
)

func TestWorkerLimitFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    worker.Limits
		wantErr bool
	}{
		{args: nil, want: worker.Limits{CPUPerTask: 2 * time.Second, CPUPerWindow: 30 * time.Second, CPUWindow: time.Minute, MaxConsoleBytes: 64 << 10, MaxScriptBytes: 4 << 20}},
		{args: []string{"--worker-heap", "64MiB", "--worker-heap-growth", "1GiB", "--worker-cpu-per-window", "3s", "--worker-cpu-window", "10s", "--worker-cpu-per-task", "500ms"},
			want: worker.Limits{MaxHeap: 64 << 20, MaxHeapGrowth: 1 << 30, CPUPerWindow: 3 * time.Second, CPUWindow: 10 * time.Second, CPUPerTask: 500 * time.Millisecond, MaxConsoleBytes: 64 << 10, MaxScriptBytes: 4 << 20}},
		{args: []string{"--worker-heap", "64MB"}, wantErr: true},
		{args: []string{"--worker-heap", "0"}, wantErr: true},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var f workerLimitFlags
		f.add(fs)
		err := fs.Parse(tt.args)
		if (err != nil) != tt.wantErr {
			t.Errorf("%v: err %v", tt.args, err)
			continue
		}
		if got := f.workerLimits(); err == nil && got != tt.want {
			t.Errorf("%v: limits %+v, want %+v", tt.args, got, tt.want)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{256 << 20: "256MiB", 1 << 30: "1GiB", 1536: "1536B", 3 << 10: "3KiB", 7: "7B"} {
		if got := formatByteSize(n); got != want {
			t.Errorf("formatByteSize(%d) = %q, want %q", n, got, want)
		}
	}
	if got := defaultMemoryLimit(); got <= 0 || got > 4<<30 {
		t.Errorf("defaultMemoryLimit() = %d, want in (0, 4GiB]", got)
	}
}

func TestTuneProcs(t *testing.T) {
	old := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(old) })
	t.Setenv("GOMAXPROCS", "")
	log := slog.New(slog.DiscardHandler)
	if err := tuneProcs(-1, log); err == nil {
		t.Error("--gomaxprocs -1 accepted")
	}
	if err := tuneProcs(3, log); err != nil || runtime.GOMAXPROCS(0) != 3 {
		t.Errorf("--gomaxprocs 3: %v, GOMAXPROCS %d", err, runtime.GOMAXPROCS(0))
	}
	if err := tuneProcs(0, log); err != nil || runtime.GOMAXPROCS(0) != procsPerCPU*runtime.NumCPU() {
		t.Errorf("default: %v, GOMAXPROCS %d, want %d", err, runtime.GOMAXPROCS(0), procsPerCPU*runtime.NumCPU())
	}
	t.Setenv("GOMAXPROCS", "5")
	runtime.GOMAXPROCS(5)
	if err := tuneProcs(0, log); err != nil || runtime.GOMAXPROCS(0) != 5 {
		t.Errorf("with GOMAXPROCS=5 in the environment: %v, GOMAXPROCS %d", err, runtime.GOMAXPROCS(0))
	}
}
