#!/usr/bin/env bash
# Edge benchmark of issue 9 (docs/benchmarks.md, "serve / edge").
#
# Builds swhost, starts a loopback upstream for https://app.test holding
# worker.js, registers the worker, starts "swhost serve --edge --proxy",
# the plain Go net/http handler (./origin) and workerd (same worker.js,
# service-worker syntax, workerd.capnp), then, ROUNDS times, runs
#   wrk -t2 -c32 -d10s --latency -H 'Host: app.test'
# against each of them one after the other (edge, proxy, plain, workerd),
# sampling each server's VmRSS and CPU time during its run. Finally the
# keep-alive soak (./soak): 1,000 connections to the edge for 60 s, memory
# before, during and 30 s after, on a freshly started swhost serve.
#
# Everything listens on 127.0.0.1 and every process stops on exit.
#
# Usage: bench/edge/run.sh            (from anywhere)
# Environment:
#   ROUNDS=3 DURATION=10s CONNS=32 THREADS=2   the wrk runs
#   SOAK=1 SOAK_CONNS=1000 SOAK_DURATION=60s SOAK_AFTER=30s SOAK_INTERVAL=1s
#   WRK=1                                      0 skips the wrk rounds
#   SERVE_GOMEMLIMIT=                          GOMEMLIMIT for swhost serve only (e.g. 40MiB)
#   WORKERD=path/to/workerd                    default: /tmp/workerd's npm install
#   OUT=dir                                    results (default: a new /tmp/edgebench.* dir)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
WRK=${WRK:-1}
SOAK=${SOAK:-1}
SOAK_CONNS=${SOAK_CONNS:-1000}
SOAK_DURATION=${SOAK_DURATION:-60s}
SOAK_AFTER=${SOAK_AFTER:-30s}
SOAK_INTERVAL=${SOAK_INTERVAL:-1s}
SERVE_GOMEMLIMIT=${SERVE_GOMEMLIMIT:-}
WORKERD=${WORKERD:-/tmp/workerd/node_modules/@cloudflare/workerd-linux-64/bin/workerd}
OUT=${OUT:-$(mktemp -d /tmp/edgebench.XXXXXX)}
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/edgebench-run.XXXXXX)

pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$OUT/log.txt" >&2; }
load() { printf '%s %s: %s\n' "$(date -u +%FT%TZ)" "$1" "$(uptime)" >>"$OUT/load.txt"; }

# wait_line FILE REGEX: waits up to 30 s for a line of FILE matching REGEX
# and prints the first captured address (host:port).
wait_line() {
	local i
	for i in $(seq 300); do
		if grep -Eq "$2" "$1" 2>/dev/null; then
			grep -Eo "$2" "$1" | head -1 | grep -Eo '127\.0\.0\.1:[0-9]+'
			return 0
		fi
		sleep 0.1
	done
	echo "timed out waiting for '$2' in $1:" >&2
	cat "$1" >&2
	return 1
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# cpu_ticks PID: user+system clock ticks of the process, all threads.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

log "building into $TMP"
(cd "$ROOT" && go build -o "$TMP/swhost" ./cmd/swhost)
(cd "$HERE" && go build -o "$TMP/origin" ./origin && go build -o "$TMP/soak" ./soak)
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
HAVE_WORKERD=1
if ! "$WORKERD" --version >/dev/null 2>&1; then
	log "workerd not found at $WORKERD: measuring without it"
	HAVE_WORKERD=0
fi
{
	echo "swhost: $(cd "$ROOT" && git rev-parse --short HEAD) ($(go version))"
	echo "wrk: $(wrk -v 2>&1 | head -1)"
	if [ "$HAVE_WORKERD" = 1 ]; then echo "workerd: $("$WORKERD" --version)"; fi
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-) x $(nproc)"
} >"$OUT/versions.txt"
cat "$OUT/versions.txt" >&2

# The upstream of https://app.test: worker.js at /sw.js.
"$TMP/origin" -script "$HERE/worker.js" -timeout 30m >"$TMP/upstream.out" 2>&1 &
pids+=($!)
UPSTREAM=$(wait_line "$TMP/upstream.out" 'listening on http://127\.0\.0\.1:[0-9]+')
RESOLVE="https://app.test=http://$UPSTREAM"
log "upstream of https://app.test on $UPSTREAM"

DATA="$TMP/data"
"$TMP/swhost" register --data "$DATA" --resolve "$RESOLVE" --client https://app.test/ https://app.test/sw.js >"$OUT/register.txt" 2>&1
cat "$OUT/register.txt" >&2

SERVE_PID=
EDGE=
PROXY=
ADMIN=
start_serve() {
	: >"$TMP/serve.out"
	local limit=()
	if [ -n "$SERVE_GOMEMLIMIT" ]; then limit=(GOMEMLIMIT="$SERVE_GOMEMLIMIT"); fi
	env "${limit[@]}" SWHOST_LOG=warn "$TMP/swhost" serve --data "$DATA" --resolve "$RESOLVE" \
		--listen 127.0.0.1:0 --edge 127.0.0.1:0 --proxy 127.0.0.1:0 >"$TMP/serve.out" 2>>"$OUT/serve.stderr" &
	SERVE_PID=$!
	pids+=("$SERVE_PID")
	EDGE=$(wait_line "$TMP/serve.out" 'edge on http://127\.0\.0\.1:[0-9]+')
	PROXY=$(wait_line "$TMP/serve.out" 'proxy on http://127\.0\.0\.1:[0-9]+')
	ADMIN=$(wait_line "$TMP/serve.out" 'admin on http://127\.0\.0\.1:[0-9]+')
	log "swhost serve (pid $SERVE_PID): edge $EDGE, proxy $PROXY"
}
stop() { # stop PID: SIGTERM and wait
	kill -TERM "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# check NAME URL [curl args]: one request must answer "hello".
check() {
	local name=$1 url=$2
	shift 2
	local body
	body=$(curl -sS --max-time 10 -D "$OUT/check-$name.headers" -H 'Host: app.test' "$@" "$url")
	if [ "$body" != hello ]; then
		echo "$name: expected 'hello' from $url, got '$body'" >&2
		cat "$OUT/check-$name.headers" >&2
		exit 1
	fi
}

# measure ROUND NAME PID URL [wrk args]: one wrk run with VmRSS and CPU
# time of PID sampled; appends a line to results.tsv.
measure() {
	local round=$1 name=$2 pid=$3 url=$4
	shift 4
	local idle cpu0 cpu1 sampler raw="$OUT/wrk-$name-$round.txt"
	idle=$(rss_kib "$pid")
	cpu0=$(cpu_ticks "$pid")
	(
		while kill -0 "$pid" 2>/dev/null; do
			rss_kib "$pid"
			sleep 0.5
		done
	) >"$OUT/rss-$name-$round.txt" &
	sampler=$!
	load "round $round $name"
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H 'Host: app.test' "$@" "$url" >"$raw" 2>&1 || true
	cpu1=$(cpu_ticks "$pid")
	kill "$sampler" 2>/dev/null || true
	wait "$sampler" 2>/dev/null || true
	local tck
	tck=$(getconf CLK_TCK)
	awk -v round="$round" -v name="$name" -v idle="$idle" -v cpu="$((cpu1 - cpu0))" -v tck="$tck" -v rssfile="$OUT/rss-$name-$round.txt" '
		function ms(v) {
			if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
			if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
			if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
			return v
		}
		/^ +50%/ { p50 = ms($2) }
		/^ +99%/ { p99 = ms($2) }
		/requests in/ { reqs = $1 }
		/^Requests\/sec:/ { rps = $2 }
		/Non-2xx or 3xx responses:/ { non2xx = $NF }
		/Socket errors:/ { gsub(",", ""); sockerr = $4 + $6 + $8 + $10 }
		END {
			peak = 0
			while ((getline line < rssfile) > 0) if (line + 0 > peak) peak = line + 0
			printf "%s\t%s\t%.0f\t%.3f\t%.3f\t%.1f\t%.1f\t%d\t%d\t%.1f\n", round, name, rps, p50, p99, peak / 1024, idle / 1024, non2xx + 0, sockerr + 0, (reqs > 0 ? cpu / tck * 1e6 / reqs : 0)
		}' "$raw" >>"$OUT/results.tsv"
	log "$(tail -1 "$OUT/results.tsv")"
	sleep 2
}

if [ "$WRK" = 1 ]; then
	start_serve
	"$TMP/origin" -timeout 30m >"$TMP/plain.out" 2>&1 &
	PLAIN_PID=$!
	pids+=("$PLAIN_PID")
	PLAIN=$(wait_line "$TMP/plain.out" 'listening on http://127\.0\.0\.1:[0-9]+')
	log "plain Go handler (pid $PLAIN_PID) on $PLAIN"
	if [ "$HAVE_WORKERD" = 1 ]; then
		WD_ADDR=127.0.0.1:$(free_port)
		"$WORKERD" serve "$HERE/workerd.capnp" --socket-addr "http=$WD_ADDR" >"$OUT/workerd.log" 2>&1 &
		WD_PID=$!
		pids+=("$WD_PID")
		for _ in $(seq 100); do curl -s -o /dev/null "http://$WD_ADDR/" && break; sleep 0.1; done
		log "workerd (pid $WD_PID) on $WD_ADDR"
	fi

	check edge "http://$EDGE/"
	grep -qi '^X-Swhost-Served-By: fetch-event' "$OUT/check-edge.headers" || { echo "edge: not answered by the fetch event" >&2; cat "$OUT/check-edge.headers" >&2; exit 1; }
	check proxy "http://app.test/" --proxy "http://$PROXY" --request-target "https://app.test/"
	grep -qi '^X-Swhost-Served-By: fetch-event' "$OUT/check-proxy.headers" || { echo "proxy: not answered by the fetch event" >&2; cat "$OUT/check-proxy.headers" >&2; exit 1; }
	check plain "http://$PLAIN/"
	if [ "$HAVE_WORKERD" = 1 ]; then check workerd "http://$WD_ADDR/"; fi

	printf 'round\ttarget\trps\tp50_ms\tp99_ms\trss_peak_mib\trss_before_mib\tnon2xx\tsocket_errors\tcpu_us_per_req\n' >"$OUT/results.tsv"
	load start
	for round in $(seq "$ROUNDS"); do
		measure "$round" swhost-edge "$SERVE_PID" "http://$EDGE/"
		measure "$round" swhost-proxy "$SERVE_PID" "http://$PROXY/" -s "$HERE/proxy.lua"
		measure "$round" plain-go "$PLAIN_PID" "http://$PLAIN/"
		if [ "$HAVE_WORKERD" = 1 ]; then measure "$round" workerd "$WD_PID" "http://$WD_ADDR/"; fi
	done
	load end
	stop "$SERVE_PID"
	stop "$PLAIN_PID"
	if [ "$HAVE_WORKERD" = 1 ]; then stop "$WD_PID"; fi

	# Medians per target and the per-round ratios to workerd.
	awk -F'\t' '
		function median(a, n,   i, j, t) {
			for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		NR == 1 { next }
		{
			t = $2; n[t]++
			rps[t, n[t]] = $3; p50[t, n[t]] = $4; p99[t, n[t]] = $5; rss[t, n[t]] = $6; cpu[t, n[t]] = $10
			err[t] += $8 + $9
			byround[$1, t] = $3
			if (!(t in seen)) { seen[t] = 1; order[++nt] = t }
			if ($1 > rounds) rounds = $1
		}
		END {
			print "| target | requests/s (3 rounds) | median | p50 ms (median) | p99 ms (3 rounds) | median | RSS MiB peak (3 rounds) | median | CPU µs/req (median) | errors |"
			print "| --- | --- | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: |"
			for (k = 1; k <= nt; k++) {
				t = order[k]; m = n[t]
				r = ""; q = ""; s = ""
				for (i = 1; i <= m; i++) {
					r = r (i > 1 ? ", " : "") rps[t, i]; q = q (i > 1 ? ", " : "") p99[t, i]; s = s (i > 1 ? ", " : "") rss[t, i]
					a1[i] = rps[t, i]; a2[i] = p50[t, i]; a3[i] = p99[t, i]; a4[i] = rss[t, i]; a5[i] = cpu[t, i]
				}
				printf "| %s | %s | %.0f | %.2f | %s | %.2f | %s | %.1f | %.0f | %d |\n", t, r, median(a1, m), median(a2, m), q, median(a3, m), s, median(a4, m), median(a5, m), err[t]
			}
			if ("workerd" in seen) {
				print ""
				for (k = 1; k <= nt; k++) {
					t = order[k]
					if (t == "workerd") continue
					line = ""; m = 0
					for (i = 1; i <= rounds; i++) if (byround[i, "workerd"] > 0 && byround[i, t] != "") { b[++m] = byround[i, t] / byround[i, "workerd"]; line = line (m > 1 ? ", " : "") sprintf("%.2f", b[m]) }
					printf "%s / workerd requests/s per round: %s (median %.2f)\n", t, line, median(b, m)
				}
			}
		}' "$OUT/results.tsv" >"$OUT/summary.md"
	cat "$OUT/summary.md"
fi

if [ "$SOAK" = 1 ]; then
	start_serve
	# Warm up: start the worker, then let the process settle to its idle level.
	for _ in $(seq 50); do curl -s -o /dev/null -H 'Host: app.test' "http://$EDGE/"; done
	sleep 5
	load "soak start"
	log "soak: $SOAK_CONNS connections for $SOAK_DURATION (one request per connection every $SOAK_INTERVAL), memory watched $SOAK_AFTER after"
	set +e
	"$TMP/soak" -addr "$EDGE" -host app.test -conns "$SOAK_CONNS" -duration "$SOAK_DURATION" \
		-interval "$SOAK_INTERVAL" -after "$SOAK_AFTER" -pid "$SERVE_PID" -metrics "http://$ADMIN/metrics" | tee "$OUT/soak.txt"
	soak_status=${PIPESTATUS[0]}
	set -e
	load "soak end"
	stop "$SERVE_PID"
	log "soak exit status $soak_status (0: no errors, every connection alive to the end)"
fi
log "results in $OUT"
