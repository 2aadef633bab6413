#!/usr/bin/env bash
# The seed's two benchmark tables, mini-kv and redis-server side by side, in
# one invocation (rows interleaved). Starts both servers on free loopback
# ports, runs the suite, writes Markdown, JSON, CSV and SVG, and stops the two
# servers it started (by pid). This is how docs/benchmarks.md's figures are made.
#
#   bench/seed-compare.sh                 # 5 s per row, results in /tmp/mini-kv-bench/
#   DURATION=2 OUT=/tmp/r bench/seed-compare.sh
#   PROTOCOL=text bench/seed-compare.sh   # the seed's line protocol (Redis answers inline commands in RESP)
#
# Needs: a build (npm run build), redis-server on PATH (without it, mini-kv
# runs alone), and an open-file limit above 10,064 (ulimit -n 20000).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-5}"
PROTOCOL="${PROTOCOL:-resp}"
OUT="${OUT:-${TMPDIR:-/tmp}/mini-kv-bench}"
# Both servers must accept the 10,000-connection row; their default maxclients is 10,000.
MAXCLIENTS=20000
mkdir -p "$OUT"

free_port() { node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

MKV_PORT="$(free_port)"
node bin/mini-kv-server.js --port "$MKV_PORT" --bind 127.0.0.1 --maxclients "$MAXCLIENTS" >"$OUT/mini-kv-server.log" 2>&1 &
pids+=($!)

compare=()
if command -v redis-server >/dev/null; then
  REDIS_PORT="$(free_port)"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --maxclients "$MAXCLIENTS" >"$OUT/redis-server.log" 2>&1 &
  pids+=($!)
  compare=(--compare "127.0.0.1:$REDIS_PORT" --compare-label "redis-$(redis-server --version | sed -E 's/.*v=([0-9.]+).*/\1/')")
else
  echo "redis-server not found: measuring mini-kv alone" >&2
fi

# Wait (at most 5 s) until both servers answer.
for _ in $(seq 50); do
  if node -e "const n=require('node:net');let left=process.argv.length-1;for(const p of process.argv.slice(1)){const s=n.connect(+p,'127.0.0.1',()=>{s.end();if(--left===0)process.exit(0)});s.on('error',()=>process.exit(1))}" "$MKV_PORT" ${REDIS_PORT:+"$REDIS_PORT"}; then break; fi
  sleep 0.1
done

node bin/mini-kv-benchmark.js --suite seed --duration "$DURATION" --protocol "$PROTOCOL" \
  -p "$MKV_PORT" --label mini-kv "${compare[@]}" \
  --json "$OUT/seed-$PROTOCOL.json" --csv "$OUT/seed-$PROTOCOL.csv" --svg "$OUT/seed-$PROTOCOL.svg" \
  | tee "$OUT/seed-$PROTOCOL.md"
