#!/usr/bin/env bash
# Formats the results of bench/edge/run.sh as markdown: table.sh OUT reads
# OUT/results.tsv (and versions.txt, load.txt) and prints a summary per
# workload (medians over the rounds, the swhost/workerd requests/s ratio of
# every round) and every round's figures. run.sh writes it to OUT/table.md.
set -euo pipefail
OUT=${1:?usage: table.sh OUT}
echo "# Edge benchmark"
echo
if [ -f "$OUT/versions.txt" ]; then sed 's/^/- /' "$OUT/versions.txt"; fi
if [ -f "$OUT/load.txt" ]; then
	echo "- load average (1, 5, 15 min) at the start: $(head -1 "$OUT/load.txt" | sed 's/.*load average: //'), at the end: $(grep ' end: ' "$OUT/load.txt" | tail -1 | sed 's/.*load average: //')"
fi
echo
awk -F'\t' '
	function median(a, n,   i, j, t) {
		if (n == 0) return ""
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	# med(W, T, COL): the median of column COL over the rounds of W and T.
	function med(w, t, col,   i, m, a) {
		m = 0
		for (i = 1; i <= rounds[w]; i++) if ((w, i, t) in row) { split(row[w, i, t], f, "\t"); a[++m] = f[col] }
		return median(a, m)
	}
	function list(w, t, col, fmt,   i, s, n) {
		s = ""; n = 0
		for (i = 1; i <= rounds[w]; i++) if ((w, i, t) in row) { split(row[w, i, t], f, "\t"); s = s (n++ ? ", " : "") sprintf(fmt, f[col]) }
		return n ? s : "n/a"
	}
	function maxcol(w, t, col,   i, m) {
		m = ""
		for (i = 1; i <= rounds[w]; i++) if ((w, i, t) in row) { split(row[w, i, t], f, "\t"); if (m == "" || f[col] + 0 > m) m = f[col] + 0 }
		return m == "" ? "n/a" : sprintf("%.1f", m)
	}
	function ratio(w, i,   a, b) {
		if (!((w, i, "swhost-edge") in row) || !((w, i, "workerd") in row)) return ""
		split(row[w, i, "swhost-edge"], a, "\t"); split(row[w, i, "workerd"], b, "\t")
		return b[4] > 0 ? a[4] / b[4] : ""
	}
	function fmed(w, t, col, fmt,   v) { v = med(w, t, col); return v == "" ? "n/a" : sprintf(fmt, v) }
	NR == 1 { next }
	{
		w = $1; r = $2; t = $3
		if (!(w in seen)) { seen[w] = 1; order[++nw] = w }
		if (r > rounds[w]) rounds[w] = r
		row[w, r, t] = $0
		if (!((w, t) in tseen)) { tseen[w, t] = 1; targets[w] = targets[w] " " t }
	}
	END {
		print "## Summary (medians over the rounds)"
		print ""
		print "| workload | swhost edge req/s | workerd req/s | plain Go req/s | swhost / workerd per round | swhost p99 ms per round | workerd p99 ms | plain Go p99 ms | CPU µs/req swhost / workerd / Go | RSS peak MiB swhost / workerd / Go |"
		print "| --- | ---: | ---: | ---: | --- | --- | ---: | ---: | --- | --- |"
		for (k = 1; k <= nw; k++) {
			w = order[k]; s = ""; m = 0; delete b
			for (i = 1; i <= rounds[w]; i++) { q = ratio(w, i); if (q != "") { b[++m] = q; s = s (m > 1 ? ", " : "") sprintf("%.2f", q) } }
			s = m ? s sprintf(" (median **%.2f**)", median(b, m)) : "n/a"
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s / %s / %s | %s / %s / %s |\n", w,
				fmed(w, "swhost-edge", 4, "%.0f"), fmed(w, "workerd", 4, "%.0f"), fmed(w, "plain-go", 4, "%.0f"), s,
				list(w, "swhost-edge", 6, "%.1f"), fmed(w, "workerd", 6, "%.1f"), fmed(w, "plain-go", 6, "%.1f"),
				fmed(w, "swhost-edge", 11, "%.0f"), fmed(w, "workerd", 11, "%.0f"), fmed(w, "plain-go", 11, "%.0f"),
				maxcol(w, "swhost-edge", 7), maxcol(w, "workerd", 7), maxcol(w, "plain-go", 7)
		}
		print ""
		print "## Every round"
		print ""
		print "| workload | round | target | requests/s | p50 ms | p99 ms | CPU µs/req | RSS peak MiB | non-2xx | socket errors | load (1 min) | swhost / workerd |"
		print "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
		for (k = 1; k <= nw; k++) {
			w = order[k]; nt = split(substr(targets[w], 2), ts, " ")
			for (i = 1; i <= rounds[w]; i++) for (j = 1; j <= nt; j++) {
				t = ts[j]
				if (!((w, i, t) in row)) continue
				split(row[w, i, t], f, "\t")
				q = t == "swhost-edge" ? ratio(w, i) : ""
				printf "| %s | %d | %s | %.0f | %.2f | %.2f | %.0f | %.1f | %d | %d | %s | %s |\n", w, i, t, f[4], f[5], f[6], f[11], f[7], f[9], f[10], f[12], q == "" ? "" : sprintf("%.2f", q)
			}
		}
	}' "$OUT/results.tsv"
