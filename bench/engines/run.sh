#!/usr/bin/env bash
# The JavaScript engine comparison (docs/decisions.md, "JavaScript
# engine"): checks that every engine returns Node's outputs, then, ROUNDS
# times, runs the Go engines' benchmarks and node.mjs one after the other,
# then each engine's memory in a process of its own, and prints the
# tables (internal/summary) with the load average before and after.
#
# Usage: bench/engines/run.sh        (from anywhere; node must be on the PATH)
# Environment:
#   ROUNDS=5                  rounds of kernels, runtime creation and node.mjs
#   N=1000 NROUTE=50 NNEW=20  timed calls per round: JSON and HTML kernels,
#                             route (a call is about 100x slower), new runtimes
#   OUT=file                  the raw benchmark lines (default: a new temp file)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
ROUNDS=${ROUNDS:-5}
N=${N:-1000}
NROUTE=${NROUTE:-50}
NNEW=${NNEW:-20}
OUT=${OUT:-$(mktemp /tmp/engines.XXXXXX)}
BIN=$(mktemp -d)
trap 'rm -rf "$BIN"' EXIT

echo "load before: $(uptime)"
go test -c -o "$BIN/engines.test" .
"$BIN/engines.test" -test.run TestOutputs -test.v | grep -E '^(---|ok|PASS|FAIL)' || { echo "outputs differ"; exit 1; }
for m in github.com/grafana/sobek github.com/dop251/goja github.com/fastschema/qjs github.com/tetratelabs/wazero modernc.org/quickjs; do
  echo "version: $(go list -m "$m")"
done
echo "version: node $(node --version)"

: >"$OUT"
for r in $(seq "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  "$BIN/engines.test" -test.run '^$' -test.bench 'Kernels/(jsonTransform|renderHTML)/' -test.benchtime "${N}x" >>"$OUT"
  "$BIN/engines.test" -test.run '^$' -test.bench 'Kernels/route/' -test.benchtime "${NROUTE}x" >>"$OUT"
  "$BIN/engines.test" -test.run '^$' -test.bench 'New/' -test.benchtime "${NNEW}x" -test.benchmem >>"$OUT"
  node --expose-gc node.mjs bench "$N" >>"$OUT"
done
for e in sobek goja qjs-wazero modernc-quickjs; do
  "$BIN/engines.test" -test.run '^$' -test.bench "Memory/^$e\$" -test.benchtime 1x >>"$OUT"
done

echo "load after: $(uptime)"
echo "raw: $OUT"
echo
go run ./internal/summary <"$OUT"
