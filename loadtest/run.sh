#!/usr/bin/env bash
# The whole orderwatch load measurement in one command: a fresh redis-server and orderwatch-server
# on free loopback ports, the raw Redis reference (redis_reference.sh), then orderwatch-load:
#   (a) Set, closed loop, 64 in flight: saturation throughput
#   (b) Set, open loop at 70% of (a): latency at a sustainable rate
#   (c) BatchGet of 50 orders, closed loop, 64 in flight
#   (d) BatchGet, open loop at 70% of (c)
# and a Markdown table of the results. Every command it runs is printed ("+ ...").
#
# Settings (environment):
#   BUILD_DIR         build tree holding services/server/orderwatch-server and
#                     loadtest/orderwatch-load (default: <repo>/build)
#   DURATION          measured seconds per load run (default 10)
#   WARMUP            unmeasured seconds before each (default 2)
#   CONCURRENCY       calls in flight for the closed loops (default 64)
#   OPEN_CONCURRENCY  cap on calls in flight for the open loops (default 512)
#   ORDERS            distinct order ids (default 10000)
#   BATCH             orders per BatchGet (default 50)
#   REF_REQUESTS      requests per redis-benchmark test (default 100000)
#   PREFILL           keys (with a day's TTL) put in Redis before anything is measured, standing
#                     for a shop's existing orders (default 1100000; lib.sh prefill_keys says
#                     why). Every Set adds a key (its request's answer, kept a day); with the
#                     default the key table is at 2^21 and a run adds ~0.5 M keys. The run warns
#                     if a doubling fell inside the Set phases. 0 = an empty Redis.
#   SERVER_ARGS       extra orderwatch-server flags, e.g. "--redis-connections=4"
#   REDIS_UNIX=1      the server reaches Redis through a Unix socket (the reference stays on TCP)
#   KEEP=1            keep the temporary directory (logs, Redis) after the run
set -euo pipefail

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 0
fi

here=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=${BUILD_DIR:-$(dirname "$0")/../build}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONCURRENCY=${CONCURRENCY:-64}
OPEN_CONCURRENCY=${OPEN_CONCURRENCY:-512}
ORDERS=${ORDERS:-10000}
BATCH=${BATCH:-50}
REF_REQUESTS=${REF_REQUESTS:-100000}
PREFILL=${PREFILL:-1100000}
SERVER_ARGS=${SERVER_ARGS:-}
REDIS_UNIX=${REDIS_UNIX:-0}
server_bin=$BUILD_DIR/services/server/orderwatch-server
load_bin=$BUILD_DIR/loadtest/orderwatch-load
for bin in "$server_bin" "$load_bin"; do
  if [[ ! -x $bin ]]; then
    echo "run.sh: $bin is missing; build it: cmake --build $BUILD_DIR --target orderwatch-server orderwatch-load" >&2
    exit 1
  fi
done
for tool in redis-server redis-cli redis-benchmark jq ss awk; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 1; }
done

# shellcheck source=loadtest/lib.sh
source "$here/lib.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/orderwatch-load.XXXXXX")
pids=()
# CPU accounting from /proc: "<tid> <thread name> <ticks>" for every thread of a process.
tick_hz=$(getconf CLK_TCK)
thread_ticks() {
  local f line tid name fields
  for f in /proc/"$1"/task/*/stat; do
    line=$(cat "$f" 2>/dev/null) || continue
    tid=${line%% *}
    name=${line#*(}
    name=${name%)*}
    read -r -a fields <<<"${line##*) }"  # from field 3 (state): utime is field 14, stime 15
    echo "$tid ${name// /_} $((fields[11] + fields[12]))"
  done
}
# Machine-wide "<all ticks> <idle ticks> <steal ticks>" (steal: time the hypervisor gave away).
machine_ticks() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $5 + $6, $9 }' /proc/stat; }
proc_ticks() { thread_ticks "$1" | awk '{ s += $3 } END { print s + 0 }'; }
# pct TICKS_BEFORE TICKS_AFTER SECONDS: % of one core
pct() { awk -v a="$1" -v b="$2" -v s="$3" -v hz="$tick_hz" 'BEGIN { printf "%.0f", 100 * (b - a) / hz / s }'; }

# Anything else busy on the machine skews every number below: say so.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== load average before the run: $load_before" >&2

free_port redis_port
free_port grpc_port
free_port metrics_port

server_redis=127.0.0.1:$redis_port
unix_args=()
if [[ $REDIS_UNIX == 1 ]]; then
  unix_args=(--unixsocket "$work/redis.sock" --unixsocketperm 700)
  server_redis=unix:$work/redis.sock
fi
echo "== fresh redis-server (no persistence) in $work" >&2
show redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
  --logfile "$work/redis.log" "${unix_args[@]}" >&2
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
  --logfile "$work/redis.log" "${unix_args[@]}" &
redis_pid=$!
pids+=("$redis_pid")
wait_for 10 redis-server redis-cli -p "$redis_port" ping
if ((PREFILL > 0)); then prefill_keys "$redis_port" "$PREFILL"; fi

echo "== orderwatch-server" >&2
# shellcheck disable=SC2086  # SERVER_ARGS is a list of flags
server_cmd=("$server_bin" --auth=dev --grpc-addr="127.0.0.1:$grpc_port"
  --metrics-addr="127.0.0.1:$metrics_port" --redis="$server_redis" $SERVER_ARGS)
show "${server_cmd[@]}" >&2
"${server_cmd[@]}" >"$work/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
wait_for 15 orderwatch-server grep -q "listening" "$work/server.log"
# Its first scheduler rounds meet a Redis without its scripts (NOSCRIPT replies, which Redis
# counts as errors): let them pass before the reference counts errors.
sleep 2

echo "== Redis reference" >&2
show "$here/redis_reference.sh" -p "$redis_port" -n "$REF_REQUESTS" -c 50 -r "$ORDERS" >&2
"$here/redis_reference.sh" -p "$redis_port" -n "$REF_REQUESTS" -c 50 -r "$ORDERS" | tee "$work/reference.txt"
ref_evalsha=$(awk '$1 == "evalsha_remark_write_rps" { print $2 }' "$work/reference.txt")
ref_set=$(awk '$1 == "set_rps" { print $2 }' "$work/reference.txt")
ref_hmget=$(awk '$1 == "hmget_pipelined50_rps" { print $2 }' "$work/reference.txt")

# load NAME ARGS...: runs orderwatch-load --json, records CPU of server, Redis and the server's
# threads over the measured window; the JSON goes to $work/NAME.json.
load() {
  local name=$1
  shift
  local cmd=("$load_bin" --addr "127.0.0.1:$grpc_port" --orders "$ORDERS" --duration "$DURATION"
    --warmup "$WARMUP" --json "$@")
  echo "== ($name) $*" >&2
  show "${cmd[@]}" >&2
  "${cmd[@]}" >"$work/$name.json" &
  local load_pid=$!
  pids+=("$load_pid")
  sleep "$WARMUP"
  local s0 r0 s1 r1 m0 m1
  thread_ticks "$server_pid" >"$work/$name.threads0"
  s0=$(proc_ticks "$server_pid") r0=$(proc_ticks "$redis_pid") m0=$(machine_ticks)
  sleep "$DURATION"
  thread_ticks "$server_pid" >"$work/$name.threads1"
  s1=$(proc_ticks "$server_pid") r1=$(proc_ticks "$redis_pid") m1=$(machine_ticks)
  local status=0
  wait "$load_pid" || status=$?
  unset 'pids[-1]'
  cat "$work/$name.json"
  if ((status != 0)) || [[ ! -s $work/$name.json ]]; then
    echo "run.sh: orderwatch-load failed (exit $status)" >&2
    exit 1
  fi
  local idle_steal
  idle_steal=$(awk -v a="$m0" -v b="$m1" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[1] - x[1]
    printf "%.0f %.0f", 100 * (y[2] - x[2]) / t, 100 * (y[3] - x[3]) / t }')
  echo "$(pct "$s0" "$s1" "$DURATION") $(pct "$r0" "$r1" "$DURATION") $idle_steal" >"$work/$name.cpu"
  # The server's busiest threads (by name), % of one core.
  echo "   server CPU $(pct "$s0" "$s1" "$DURATION")%, redis-server $(pct "$r0" "$r1" "$DURATION")%," \
    "machine idle/steal ${idle_steal/ /%\/}%;" \
    "server threads:" $(join -j 1 <(sort "$work/$name.threads0") <(sort "$work/$name.threads1") |
      awk -v hz="$tick_hz" -v s="$DURATION" '{ cpu[$2] += ($5 - $3) } END {
        for (n in cpu) if (cpu[n] > 0) printf "%s=%.0f%%\n", n, 100 * cpu[n] / hz / s }' |
      sort -t= -k2 -rn | head -6) >&2
}

field() { jq -r ".$2" "$work/$1.json"; }
seventy() { awk -v r="$1" 'BEGIN { printf "%d", r * 0.7 }'; }

keys_before=$(redis-cli -p "$redis_port" dbsize)
load a_set_closed --op set --concurrency "$CONCURRENCY"
set_rate=$(seventy "$(field a_set_closed calls_per_s)")
load b_set_open --op set --rate "$set_rate" --concurrency "$OPEN_CONCURRENCY"
keys_after=$(redis-cli -p "$redis_port" dbsize)
doubled=$(key_table_doubled "$keys_before" "$keys_after")
if ((doubled > 0)); then
  echo "run.sh: WARNING: Redis's key table doubled during the Set phases ($keys_before -> $keys_after keys, past $doubled): their tail latency includes it; raise PREFILL" >&2
fi
load c_batch_closed --op batchget --batch "$BATCH" --concurrency "$CONCURRENCY"
batch_rate=$(seventy "$(field c_batch_closed calls_per_s)")
load d_batch_open --op batchget --batch "$BATCH" --rate "$batch_rate" --concurrency "$OPEN_CONCURRENCY"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "-" }'; }
num() { awk -v a="$1" 'BEGIN { printf "%.0f", a }'; }
row() {  # row NAME LABEL RATE_TEXT VS_REFERENCE
  local n=$1 p99 scpu rcpu idle steal
  read -r scpu rcpu idle steal <"$work/$n.cpu"
  p99=$(field "$n" p99_ms)
  if [[ $(field "$n" mode) == open ]]; then p99+=" (send lag p99 $(field "$n" send_lag_p99_ms))"; fi
  printf '| %s | %s | %s | %s | %s | %s | %s | %s / %s / %s | %s / %s |\n' "$2" "$3" "$4" \
    "$(field "$n" p50_ms)" "$p99" "$(field "$n" p999_ms)" "$(field "$n" errors)" \
    "$scpu" "$rcpu" "$(field "$n" client_cpu_pct | awk '{ printf "%.0f", $1 }')" "$idle" "$steal"
}

cat <<EOF2

## orderwatch load test ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, DURATION=${DURATION}s, WARMUP=${WARMUP}s, PREFILL=$PREFILL, keys during the Sets $keys_before-$keys_after, load average before: $load_before)

| Measurement | Throughput | vs. reference | p50 ms | p99 ms | p99.9 ms | errors | CPU % server / redis / load | machine idle / steal % |
|---|---|---|---|---|---|---|---|---|
| Reference: redis-benchmark EVALSHA remark_write.lua, -c 50 | $(num "$ref_evalsha") req/s | | | | | | | |
| Reference: redis-benchmark SET, -c 50 | $(num "$ref_set") req/s | | | | | | | |
| Reference: redis-benchmark HMGET pipelined 50, -c 50 | $(num "$ref_hmget") req/s | | | | | | | |
EOF2
row a_set_closed "(a) Set saturation, closed loop, $CONCURRENCY in flight" \
  "$(num "$(field a_set_closed calls_per_s)") calls/s" \
  "$(ratio "$(field a_set_closed calls_per_s)" "$ref_evalsha") of EVALSHA"
row b_set_open "(b) Set at 70%: open loop $set_rate calls/s" \
  "$(num "$(field b_set_open calls_per_s)") calls/s" ""
row c_batch_closed "(c) BatchGet x$BATCH saturation, closed loop, $CONCURRENCY in flight" \
  "$(num "$(field c_batch_closed calls_per_s)") calls/s = $(num "$(field c_batch_closed orders_per_s)") orders/s" \
  "$(ratio "$(field c_batch_closed orders_per_s)" "$ref_hmget") of HMGET-P50, $(ratio "$(field c_batch_closed orders_per_s)" "$ref_set") of SET"
row d_batch_open "(d) BatchGet at 70%: open loop $batch_rate calls/s" \
  "$(num "$(field d_batch_open calls_per_s)") calls/s = $(num "$(field d_batch_open orders_per_s)") orders/s" ""
echo
echo "Latency of the open loops is measured from each call's scheduled send time (send lag: how late the"
echo "generator sent them). CPU: % of one core over the measured window; machine idle/steal: % of all cores."
