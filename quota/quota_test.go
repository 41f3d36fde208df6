package quota

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // evaluates the SQL forms of the costs

	"github.com/swhost/swhost/weberr"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		u    Usage
		max  int64
		want bool // QuotaExceededError
	}{
		{"empty", Usage{}, 100, false},
		{"at the quota", Usage{CacheStorage: 60, IndexedDB: 40}, 100, false},
		{"one byte over, counted together", Usage{CacheStorage: 60, IndexedDB: 41}, 100, true},
		{"over on IndexedDB alone", Usage{IndexedDB: 101}, 100, true},
		{"no quota", Usage{CacheStorage: 1 << 40}, 0, false},
		{"negative: no quota", Usage{CacheStorage: 1 << 40}, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check("cache.put()", "https://app.test", tt.u, tt.max)
			if got := weberr.NameOf(err) == weberr.QuotaExceeded; got != tt.want || (err != nil && !tt.want) {
				t.Fatalf("Check(%+v, %d) = %v, want exceeded %v", tt.u, tt.max, err, tt.want)
			}
			if tt.want && (!strings.Contains(err.Error(), "cache.put()") || !strings.Contains(err.Error(), "https://app.test") ||
				!strings.Contains(err.Error(), fmt.Sprint(tt.u.Total()))) {
				t.Errorf("message %q lacks the operation, origin or usage", err)
			}
		})
	}
}

// TestCostSQL: the SQL forms equal the Go costs, on both sides of every
// boundary (a cell that stays in its page, one that spills, an overflow
// page filled exactly) and past 2^31 (where int4 arithmetic would
// overflow).
func TestCostSQL(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const usable = pageSize - 4
	var ns []int64
	for _, base := range []int64{0, maxLocalIndex, maxLocalTable, maxLocalTable + usable, 10 * usable, 1 << 31} {
		ns = append(ns, base-1, base, base+1)
	}
	for _, n := range ns {
		if n < 0 {
			continue
		}
		for _, c := range []struct {
			name string
			goF  func(int64) int64
			sqlF func(string) string
		}{{"row", RowCost, RowCostSQL}, {"index", IndexCost, IndexCostSQL}} {
			var got int64
			if err := db.QueryRow("SELECT " + c.sqlF(fmt.Sprint(n))).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if want := c.goF(n); got != want {
				t.Errorf("%s cost of %d: SQL %d, Go %d", c.name, n, got, want)
			}
			if c.goF(n) < n+cellOverhead {
				t.Errorf("%s cost of %d is %d, under the payload and a cell's overhead", c.name, n, c.goF(n))
			}
		}
	}
}
