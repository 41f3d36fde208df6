package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/weberr"
)

func TestKVGetPutDelete(t *testing.T) { eachBackend(t, testKVGetPutDelete) }

func testKVGetPutDelete(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t, Options{Limits: Limits{MaxValueBytes: 100}})
	tests := []struct {
		name    string
		key     string
		value   []byte
		wantErr string
	}{
		{"plain", "httpcache/https://a.test/x", []byte("hello"), ""},
		{"binary", "bin", []byte{0, 0xff, 0, 1}, ""},
		{"empty value", "empty", []byte{}, ""},
		{"nil value", "nil", nil, ""},
		{"unicode key", "clé/✓", []byte("v"), ""},
		{"key with NUL and 0xff", "a\x00b\xff", []byte("v"), ""},
		{"at the limit", "max", make([]byte, 100), ""},
		{"over the limit", "over", make([]byte, 101), "QuotaExceededError"},
		{"empty key", "", []byte("v"), "empty key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Put(ctx, tc.key, tc.value)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Put = %v, want %q", err, tc.wantErr)
				}
				if tc.wantErr == "QuotaExceededError" && weberr.NameOf(err) != weberr.QuotaExceeded {
					t.Errorf("Put = %v, not a QuotaExceededError", err)
				}
				if _, err := s.Get(ctx, tc.key); !errors.Is(err, ErrNotFound) {
					t.Errorf("Get after a failed Put = %v, want ErrNotFound", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Get(ctx, tc.key)
			if err != nil || got == nil || !bytes.Equal(got, tc.value) {
				t.Errorf("Get = %q, %v; want %q", got, err, tc.value)
			}
			// Overwrite.
			if err := s.Put(ctx, tc.key, []byte("second")); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Get(ctx, tc.key); string(got) != "second" {
				t.Errorf("Get after overwrite = %q", got)
			}
			if err := s.Delete(ctx, tc.key, "never-existed"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Get(ctx, tc.key); !errors.Is(err, ErrNotFound) {
				t.Errorf("Get after Delete = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestKVScan(t *testing.T) { eachBackend(t, testKVScan) }

func testKVScan(t *testing.T, b backend) {
	ctx := context.Background()
	mc := clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s := b.open(t, Options{Clock: mc})
	// Put in an order unlike key order; the modification order is the
	// put order.
	keys := []string{"h/b", "h/a", "h/c\xff\xff", "h/c", "h0", "g/z", "h/\xff", "h", "i"}
	putAt := map[string]time.Time{}
	for i, k := range keys {
		putAt[k] = mc.Now()
		if err := s.Put(ctx, k, bytes.Repeat([]byte{'v'}, i+1)); err != nil {
			t.Fatal(err)
		}
		mc.Advance(time.Millisecond) // distinct modification times
	}
	collect := func(prefix string, opts ScanOptions) ([]string, error) {
		var out []string
		err := s.Scan(ctx, prefix, opts, func(e KVEntry) error {
			if opts.KeysOnly != (e.Value == nil) {
				t.Errorf("%q: KeysOnly %v but value %q", e.Key, opts.KeysOnly, e.Value)
			}
			if !opts.KeysOnly && int64(len(e.Value)) != e.Size {
				t.Errorf("%q: size %d, value %d bytes", e.Key, e.Size, len(e.Value))
			}
			if !e.Modified.Equal(putAt[e.Key]) {
				t.Errorf("%q: modified %v, want %v (the store's clock at its put)", e.Key, e.Modified, putAt[e.Key])
			}
			out = append(out, fmt.Sprintf("%s=%d", e.Key, e.Size))
			return nil
		})
		return out, err
	}
	tests := []struct {
		prefix string
		opts   ScanOptions
		want   []string
	}{
		{"h/", ScanOptions{}, []string{"h/a=2", "h/b=1", "h/c=4", "h/c\xff\xff=3", "h/\xff=7"}},
		{"h/", ScanOptions{KeysOnly: true}, []string{"h/a=2", "h/b=1", "h/c=4", "h/c\xff\xff=3", "h/\xff=7"}},
		{"h/", ScanOptions{ByModified: true}, []string{"h/b=1", "h/a=2", "h/c\xff\xff=3", "h/c=4", "h/\xff=7"}},
		{"h/", ScanOptions{ByModified: true, Limit: 2}, []string{"h/b=1", "h/a=2"}},
		{"h/c", ScanOptions{}, []string{"h/c=4", "h/c\xff\xff=3"}},
		{"h/c\xff", ScanOptions{}, []string{"h/c\xff\xff=3"}},
		{"h/\xff", ScanOptions{}, []string{"h/\xff=7"}},
		{"h", ScanOptions{}, []string{"h=8", "h/a=2", "h/b=1", "h/c=4", "h/c\xff\xff=3", "h/\xff=7", "h0=5"}},
		{"", ScanOptions{Limit: 3}, []string{"g/z=6", "h=8", "h/a=2"}},
		{"nothing", ScanOptions{}, nil},
	}
	for _, tc := range tests {
		got, err := collect(tc.prefix, tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Scan(%q, %+v) = %q, want %q", tc.prefix, tc.opts, got, tc.want)
		}
	}
	// fn's error stops the scan and is returned.
	stop := errors.New("stop")
	n := 0
	err := s.Scan(ctx, "h/", ScanOptions{}, func(KVEntry) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("Scan with a failing fn = %v after %d calls", err, n)
	}
	// Eviction: fn deletes what it scans through the store.
	err = s.Scan(ctx, "h/", ScanOptions{ByModified: true, KeysOnly: true, Limit: 2}, func(e KVEntry) error {
		return s.Delete(ctx, e.Key)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := collect("h/", ScanOptions{}); !reflect.DeepEqual(got, []string{"h/c=4", "h/c\xff\xff=3", "h/\xff=7"}) {
		t.Errorf("after evicting the two oldest: %q", got)
	}
	usage := []struct {
		prefix string
		want   KVUsage
	}{
		{"h/", KVUsage{Entries: 3, Bytes: 14}},
		{"h", KVUsage{Entries: 5, Bytes: 27}},
		{"", KVUsage{Entries: 7, Bytes: 42}},
		{"zzz", KVUsage{}},
	}
	for _, tc := range usage {
		got, err := s.Usage(ctx, tc.prefix)
		if err != nil || got != tc.want {
			t.Errorf("Usage(%q) = %+v, %v; want %+v", tc.prefix, got, err, tc.want)
		}
	}
}

func TestPrefixRange(t *testing.T) {
	tests := []struct {
		prefix string
		where  string
		args   []any
	}{
		{"", "1 = 1", nil},
		{"a", "key >= ? AND key < ?", []any{[]byte("a"), []byte("b")}},
		{"a\xff", "key >= ? AND key < ?", []any{[]byte("a\xff"), []byte("b")}},
		{"\xff\xff", "key >= ?", []any{[]byte("\xff\xff")}},
	}
	for _, tc := range tests {
		where, args := prefixRange(tc.prefix)
		if where != tc.where || !reflect.DeepEqual(args, tc.args) {
			t.Errorf("prefixRange(%q) = %q %q, want %q %q", tc.prefix, where, args, tc.where, tc.args)
		}
	}
}

// FuzzKVScan checks that a prefix scan returns exactly the stored keys
// with that prefix, whatever the bytes.
func FuzzKVScan(f *testing.F) {
	f.Add("a", "ab", "a\xff", "a")
	f.Add("\xff", "\xff\xff", "", "\xff")
	f.Add("x\x00", "x", "x\x01", "x\x00")
	s := openTest(f)
	f.Fuzz(func(t *testing.T, k1, k2, k3, prefix string) {
		ctx := context.Background()
		if err := s.Delete(ctx, k1, k2, k3); err != nil {
			t.Fatal(err)
		}
		keys := map[string]bool{}
		for _, k := range []string{k1, k2, k3} {
			if k != "" {
				if err := s.Put(ctx, "fuzz/"+k, []byte(k)); err != nil {
					t.Fatal(err)
				}
				keys["fuzz/"+k] = true
			}
		}
		var got []string
		err := s.Scan(ctx, "fuzz/"+prefix, ScanOptions{}, func(e KVEntry) error {
			got = append(got, e.Key)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for k := range keys {
			if strings.HasPrefix(k, "fuzz/"+prefix) {
				want = append(want, k)
			}
		}
		for _, k := range got {
			if !keys[k] {
				t.Errorf("scan returned %q, not stored in this round", k)
			}
		}
		if len(got) != len(want) {
			t.Errorf("Scan(%q) = %q, want %q", prefix, got, want)
		}
		for i := 1; i < len(got); i++ {
			if got[i-1] >= got[i] {
				t.Errorf("Scan not in key order: %q", got)
			}
		}
		s.Delete(ctx, "fuzz/"+k1, "fuzz/"+k2, "fuzz/"+k3)
	})
}

func TestKVInTransaction(t *testing.T) { eachBackend(t, testKVInTransaction) }

func testKVInTransaction(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t)
	s.Put(ctx, "a", []byte("1"))
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx Tx) error {
		if err := tx.Put(ctx, "b", []byte("2")); err != nil {
			return err
		}
		if err := tx.Delete(ctx, "a"); err != nil {
			return err
		}
		u, err := tx.Usage(ctx, "")
		if err != nil || u.Entries != 1 {
			t.Errorf("Usage inside the transaction = %+v, %v", u, err)
		}
		if v, err := tx.Get(ctx, "b"); string(v) != "2" || err != nil {
			t.Errorf("Get inside the transaction = %q, %v", v, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if v, err := s.Get(ctx, "a"); string(v) != "1" || err != nil {
		t.Errorf("a after rollback = %q, %v", v, err)
	}
	if _, err := s.Get(ctx, "b"); !errors.Is(err, ErrNotFound) {
		t.Errorf("b after rollback = %v", err)
	}
}
