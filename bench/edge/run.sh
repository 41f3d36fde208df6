#!/usr/bin/env bash
# Edge benchmark of issues 9 and 25 (docs/benchmarks.md, "serve / edge").
#
# Builds swhost and ./origin, writes the upstream's site (worker scripts,
# Workbox's builds, the files they cache: workloads.WriteSite) and serves
# it as https://app.test on a loopback port, registers one worker per
# workload, each in its own data directory. Then, workload by workload, it
# starts a fresh "swhost serve --edge" (and --proxy, measured for hello),
# the plain Go peer (./origin -workload W) and workerd (workerd.capnp with
# the workload's script), checks that all answer every request path alike
# (status and body; headers also that the headers were rewritten), and
# runs ROUNDS rounds, each of
#   wrk -t2 -c32 -d10s --latency -H 'Host: app.test' URL
# against each server one after the other (edge, proxy, plain, workerd),
# sampling each server's VmRSS and CPU time during its run. Workloads
# (bench/edge/workloads, docs/benchmarks.md):
#   hello    respondWith(new Response('hello'))
#   json     kernels.js's jsonTransform of items.json
#   html     kernels.js's renderHTML of items.json
#   router   kernels.js's 50-URLPattern router; wrk rotates among 12 paths
#            (paths.lua, workloads.Paths): early, late and 3 that answer 404
#   headers  fetch(e.request) to the upstream, response headers rewritten
#   cache    caches.match of /items.json, precached at install; workerd
#            (no Cache API backend) keeps it in a Map (cache.workerd.js)
#   workbox  Workbox 7's precacheAndRoute over the Workbox example app's 3
#            files, wrk rotating among /, /index.html, /app.js, /styles.css;
#            workerd n/a (no install event, no Cache Storage)
# Finally the keep-alive soak (./soak): 1,000 connections to the hello
# edge for 60 s, memory before, during and 30 s after, on a fresh swhost.
#
# Writes to OUT: results.tsv (one line per wrk run), table.md (per-round
# figures and swhost/workerd ratios per workload, medians on top), wrk-*.txt,
# load.txt, versions.txt, log.txt. Everything listens on 127.0.0.1 and every
# process stops on exit.
#
# Usage: bench/edge/run.sh            (from anywhere)
#        WORKLOADS="hello json" ROUNDS=1 SOAK=0 bench/edge/run.sh
# Environment:
#   WORKLOADS="hello json html router headers cache workbox"   (default: all)
#   ROUNDS=3 DURATION=10s CONNS=32 THREADS=2   the wrk runs
#   SOAK=1 SOAK_CONNS=1000 SOAK_DURATION=60s SOAK_AFTER=30s SOAK_INTERVAL=1s
#   WRK=1                                      0 skips the wrk rounds
#   SERVE_GOMEMLIMIT=                          GOMEMLIMIT for swhost serve only (e.g. 40MiB)
#   WORKERD=path/to/workerd                    default: /tmp/workerd's npm install
#   SWHOST=path/to/swhost                      a built swhost to measure (default: build this tree's)
#   OUT=dir                                    results (default: a new /tmp/edgebench.* dir)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORKLOADS=${WORKLOADS:-hello json html router headers cache workbox}
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
if [ -n "${SWHOST:-}" ]; then
	cp "$SWHOST" "$TMP/swhost"
else
	(cd "$ROOT" && go build -o "$TMP/swhost" ./cmd/swhost)
fi
(cd "$HERE" && go build -o "$TMP/origin" ./origin && go build -o "$TMP/soak" ./soak)
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
HAVE_WORKERD=1
if ! "$WORKERD" --version >/dev/null 2>&1; then
	log "workerd not found at $WORKERD: measuring without it"
	HAVE_WORKERD=0
fi
{
	if [ -n "${SWHOST:-}" ]; then echo "swhost: $SWHOST"; else echo "swhost: $(cd "$ROOT" && git rev-parse --short HEAD) ($(go version))"; fi
	echo "wrk: $(wrk -v 2>&1 | head -1)"
	if [ "$HAVE_WORKERD" = 1 ]; then echo "workerd: $("$WORKERD" --version)"; fi
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-) x $(nproc)"
} >"$OUT/versions.txt"
cat "$OUT/versions.txt" >&2

# The upstream of https://app.test: the site's files and /api/items.
SITE="$TMP/site"
"$TMP/origin" -write-site "$SITE" -root "$ROOT"
"$TMP/origin" -static "$SITE" -timeout 3h >"$TMP/upstream.out" 2>&1 &
pids+=($!)
UPSTREAM=$(wait_line "$TMP/upstream.out" 'listening on http://127\.0\.0\.1:[0-9]+')
RESOLVE="https://app.test=http://$UPSTREAM"
log "upstream of https://app.test on $UPSTREAM"

# One registration per workload, each in its own data directory, so that
# each swhost serve runs one worker.
register() {
	"$TMP/swhost" register --data "$TMP/data-$1" --resolve "$RESOLVE" --client https://app.test/ "https://app.test/sw-$1.js" >>"$OUT/register.txt" 2>&1 ||
		{ cat "$OUT/register.txt" >&2; exit 1; }
}
registered=" "
for w in $WORKLOADS $([ "$SOAK" = 1 ] && echo hello); do
	case "$registered" in *" $w "*) continue ;; esac
	register "$w"
	registered="$registered$w "
done
log "registered:$registered"

SERVE_PID=
EDGE=
PROXY=
ADMIN=
start_serve() { # start_serve WORKLOAD
	: >"$TMP/serve.out"
	local limit=()
	if [ -n "$SERVE_GOMEMLIMIT" ]; then limit=(GOMEMLIMIT="$SERVE_GOMEMLIMIT"); fi
	env "${limit[@]}" SWHOST_LOG=warn "$TMP/swhost" serve --data "$TMP/data-$1" --resolve "$RESOLVE" \
		--listen 127.0.0.1:0 --edge 127.0.0.1:0 --proxy 127.0.0.1:0 >"$TMP/serve.out" 2>>"$OUT/serve.stderr" &
	SERVE_PID=$!
	pids+=("$SERVE_PID")
	EDGE=$(wait_line "$TMP/serve.out" 'edge on http://127\.0\.0\.1:[0-9]+')
	PROXY=$(wait_line "$TMP/serve.out" 'proxy on http://127\.0\.0\.1:[0-9]+')
	ADMIN=$(wait_line "$TMP/serve.out" 'admin on http://127\.0\.0\.1:[0-9]+')
	log "swhost serve $1 (pid $SERVE_PID): edge $EDGE, proxy $PROXY"
}
stop() { # stop PID: SIGTERM and wait
	kill -TERM "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# get NAME URL [curl args]: GET with Host: app.test into $TMP/NAME.body and
# .headers; prints the status.
get() {
	local name=$1 url=$2
	shift 2
	curl -sS --max-time 10 -o "$TMP/$name.body" -D "$TMP/$name.headers" -w '%{http_code}' -H 'Host: app.test' "$@" "$url"
}

# check WORKLOAD NAME BASEURL [curl args]: every request path of WORKLOAD
# answers NAME the status and body the plain Go peer answers; swhost's
# from the fetch event; headers' with the headers rewritten.
check() {
	local w=$1 name=$2 base=$3 path want got
	shift 3
	for path in $PATHS; do
		want=$(get plain "http://$PLAIN$path")
		got=$(get "$name" "$base$path" "$@")
		if [ "$got" != "$want" ] || ! cmp -s "$TMP/plain.body" "$TMP/$name.body"; then
			echo "$w: $name answers $path with $got, plain Go with $want, or another body:" >&2
			head -c 500 "$TMP/$name.body" >&2
			echo >&2
			cat "$TMP/$name.headers" >&2
			exit 1
		fi
		case $name in swhost-*)
			grep -qi '^X-Swhost-Served-By: fetch-event' "$TMP/$name.headers" ||
				{ echo "$w: $name $path: not answered by the fetch event" >&2; cat "$TMP/$name.headers" >&2; exit 1; } ;;
		esac
		if [ "$w" = headers ] && { ! grep -qi '^x-edge: worker' "$TMP/$name.headers" || grep -qi '^x-powered-by:' "$TMP/$name.headers"; }; then
			echo "$w: $name $path: headers not rewritten" >&2
			cat "$TMP/$name.headers" >&2
			exit 1
		fi
	done
	cp "$TMP/$name.headers" "$OUT/check-$w-$name.headers"
}

# measure WORKLOAD ROUND NAME PID BASEURL [wrk args]: one wrk run over the
# workload's paths with VmRSS and CPU time of PID sampled; appends a line
# to results.tsv.
measure() {
	local w=$1 round=$2 name=$3 pid=$4 base=$5
	shift 5
	local idle cpu0 cpu1 sampler raw="$OUT/wrk-$w-$name-$round.txt" url="$base" script=() la
	# One path: in the URL; several: paths.lua takes them in turn.
	if [ "$(wc -w <<<"$PATHS")" -gt 1 ]; then
		script=(-s "$HERE/paths.lua")
	else
		url="$base$PATHS"
	fi
	idle=$(rss_kib "$pid")
	cpu0=$(cpu_ticks "$pid")
	(
		while kill -0 "$pid" 2>/dev/null; do
			rss_kib "$pid"
			sleep 0.5
		done
	) >"$OUT/rss-$w-$name-$round.txt" &
	sampler=$!
	load "$w round $round $name"
	la=$(cut -d' ' -f1 /proc/loadavg)
	WRK_PATHS="$PATHS" wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H 'Host: app.test' "${script[@]}" "$@" "$url" >"$raw" 2>&1 || true
	cpu1=$(cpu_ticks "$pid")
	kill "$sampler" 2>/dev/null || true
	wait "$sampler" 2>/dev/null || true
	local tck
	tck=$(getconf CLK_TCK)
	awk -v w="$w" -v round="$round" -v name="$name" -v idle="$idle" -v cpu="$((cpu1 - cpu0))" -v tck="$tck" -v la="$la" -v rssfile="$OUT/rss-$w-$name-$round.txt" '
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
			printf "%s\t%s\t%s\t%.0f\t%.3f\t%.3f\t%.1f\t%.1f\t%d\t%d\t%.1f\t%s\n", w, round, name, rps, p50, p99, peak / 1024, idle / 1024, non2xx + 0, sockerr + 0, (reqs > 0 ? cpu / tck * 1e6 / reqs : 0), la
		}' "$raw" >>"$OUT/results.tsv"
	rm -f "$OUT/rss-$w-$name-$round.txt"
	log "$(tail -1 "$OUT/results.tsv")"
	sleep 2
}

# bench WORKLOAD: start its servers, check them, run the rounds, stop them.
bench() {
	local w=$1 round have_wd=$HAVE_WORKERD wd_pid= wd_addr=
	PATHS=$("$TMP/origin" -print-paths "$w")
	start_serve "$w"
	"$TMP/origin" -workload "$w" -upstream "http://$UPSTREAM" -root "$ROOT" -timeout 3h >"$TMP/plain.out" 2>&1 &
	PLAIN_PID=$!
	pids+=("$PLAIN_PID")
	PLAIN=$(wait_line "$TMP/plain.out" 'listening on http://127\.0\.0\.1:[0-9]+')
	log "plain Go $w (pid $PLAIN_PID) on $PLAIN"
	if [ "$have_wd" = 1 ] && ! "$TMP/origin" -print-script "$w" -host workerd >"$TMP/sw-$w.workerd.js" 2>"$TMP/wd-script.err"; then
		log "workerd: n/a for $w ($(sed 's/^.*origin: //' "$TMP/wd-script.err"))"
		have_wd=0
	fi
	if [ "$have_wd" = 1 ]; then
		sed -e "s|@SCRIPT@|sw-$w.workerd.js|" -e "s|@UPSTREAM@|$UPSTREAM|" "$HERE/workerd.capnp" >"$TMP/workerd-$w.capnp"
		wd_addr=127.0.0.1:$(free_port)
		"$WORKERD" serve "$TMP/workerd-$w.capnp" --socket-addr "http=$wd_addr" >>"$OUT/workerd.log" 2>&1 &
		wd_pid=$!
		pids+=("$wd_pid")
		for _ in $(seq 100); do curl -s -o /dev/null "http://$wd_addr/" && break; sleep 0.1; done
		log "workerd $w (pid $wd_pid) on $wd_addr"
	fi

	check "$w" swhost-edge "http://$EDGE"
	if [ "$w" = hello ]; then check "$w" swhost-proxy "http://app.test" --proxy "http://$PROXY" --request-target "https://app.test/"; fi
	if [ "$have_wd" = 1 ]; then check "$w" workerd "http://$wd_addr"; fi

	for round in $(seq "$ROUNDS"); do
		measure "$w" "$round" swhost-edge "$SERVE_PID" "http://$EDGE"
		if [ "$w" = hello ]; then measure "$w" "$round" swhost-proxy "$SERVE_PID" "http://$PROXY" -s "$HERE/proxy.lua"; fi
		measure "$w" "$round" plain-go "$PLAIN_PID" "http://$PLAIN"
		if [ "$have_wd" = 1 ]; then measure "$w" "$round" workerd "$wd_pid" "http://$wd_addr"; fi
	done
	stop "$SERVE_PID"
	stop "$PLAIN_PID"
	if [ "$have_wd" = 1 ]; then stop "$wd_pid"; fi
}

if [ "$WRK" = 1 ]; then
	printf 'workload\tround\ttarget\trps\tp50_ms\tp99_ms\trss_peak_mib\trss_before_mib\tnon2xx\tsocket_errors\tcpu_us_per_req\tload1\n' >"$OUT/results.tsv"
	load start
	for w in $WORKLOADS; do bench "$w"; done
	load end
	"$HERE/table.sh" "$OUT" >"$OUT/table.md"
	cat "$OUT/table.md"
fi

if [ "$SOAK" = 1 ]; then
	start_serve hello
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
