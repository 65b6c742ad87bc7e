#!/usr/bin/env bash
# Shipment sweeps at scale in one command: a fresh redis-server (no persistence) and
# orderwatch-server on free loopback ports, redis-benchmark ZADD as the raw Redis reference (a
# due-queue insert), then orderwatch-sweep-load: warnings coming due at a set rate with nothing
# else watched, a million paid unshipped orders recorded and looked at once, Redis bytes per
# watched order, and the same warnings again with the million watched. Every command it runs
# is printed ("+ ...").
#
# Settings (environment):
#   BUILD_DIR   build tree holding services/server/orderwatch-server and
#               loadtest/orderwatch-sweep-load (default: <repo>/build)
#   WATCHED     paid unshipped orders kept watched (default 1000000)
#   DUE         orders coming due in each due phase (default 20000)
#   DUE_RATE    how many come due per second (default 2000)
#   KEEP=1      keep the temporary directory (logs, sink) after the run
set -euo pipefail

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 0
fi

here=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=${BUILD_DIR:-$here/../build}
WATCHED=${WATCHED:-1000000}
DUE=${DUE:-20000}
DUE_RATE=${DUE_RATE:-2000}
server_bin=$BUILD_DIR/services/server/orderwatch-server
load_bin=$BUILD_DIR/loadtest/orderwatch-sweep-load
for bin in "$server_bin" "$load_bin"; do
  if [[ ! -x $bin ]]; then
    echo "sweeps.sh: $bin is missing; build it: cmake --build $BUILD_DIR --target orderwatch-server orderwatch-sweep-load" >&2
    exit 1
  fi
done
for tool in redis-server redis-cli redis-benchmark ss awk; do
  command -v "$tool" >/dev/null || { echo "sweeps.sh: $tool is not installed" >&2; exit 1; }
done

# shellcheck source=loadtest/lib.sh
source "$here/lib.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/orderwatch-sweeps.XXXXXX")
pids=()

free_port redis_port
free_port grpc_port
free_port metrics_port
echo "== load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
redis_cmd=(redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no
  --dir "$work" --logfile "$work/redis.log")
show "${redis_cmd[@]}" >&2
"${redis_cmd[@]}" &
pids+=("$!")
wait_for 10 redis-server redis-cli -p "$redis_port" ping

server_cmd=("$server_bin" --auth=dev --grpc-addr="127.0.0.1:$grpc_port"
  --metrics-addr="127.0.0.1:$metrics_port" --redis="127.0.0.1:$redis_port"
  --reminder-sink="log:$work/sink.jsonl")
show "${server_cmd[@]}" >&2
"${server_cmd[@]}" >"$work/server.log" 2>&1 &
pids+=("$!")
wait_for 15 orderwatch-server grep -q "listening" "$work/server.log"

echo "== Redis reference: ZADD, 50 clients" >&2
bench=(redis-benchmark -p "$redis_port" -n 200000 -c 50 -r 1000000 --csv zadd refqueue __rand_int__ m:__rand_int__)
show "${bench[@]}" >&2
ref_zadd=$("${bench[@]}" | tail -n 1 | awk -F, '{ gsub(/"/, "", $2); print $2 }')
run redis-cli -p "$redis_port" DEL refqueue >/dev/null
echo "zadd_rps $ref_zadd"

load_cmd=("$load_bin" --addr="127.0.0.1:$grpc_port" --redis="127.0.0.1:$redis_port"
  --sink="$work/sink.jsonl" --watched="$WATCHED" --due="$DUE" --due-rate="$DUE_RATE" --json)
show "${load_cmd[@]}" >&2
status=0
result=$("${load_cmd[@]}") || status=$?
echo "$result"
[[ -n $result ]] || exit "$status"

field() { sed -E "s/.*\"$1\":([0-9.]+).*/\1/" <<<"$result"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
cat <<TABLE

| shipment sweeps, $(field watched) watched | measured | vs redis-benchmark ZADD ($ref_zadd/s) |
|---|---|---|
| paid orders recorded (created + paid via RecordBatch), first look included | $(field first_looks_per_s) orders/s | $(ratio "$(field first_looks_per_s)" "$ref_zadd") |
| warnings, nothing else watched ($(field due) due at $(field due_rate)/s) | $(field empty_per_s)/s; due to warehouse notice p50 $(field empty_p50_ms) ms, p99 $(field empty_p99_ms) ms | |
| warnings with $(field watched) watched | $(field loaded_per_s)/s; due to warehouse notice p50 $(field loaded_p50_ms) ms, p99 $(field loaded_p99_ms) ms | |
| Redis memory per watched order, order state included | $(field bytes_per_watched) B | |
TABLE
exit "$status"
