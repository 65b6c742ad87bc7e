#!/usr/bin/env bash
# The Double-11 peak in one command: a fresh redis-server (append-only file, fsync every second,
# as deploy/local.sh runs it) and orderwatch-server on free loopback ports; the raw Redis
# reference (redis_reference.sh: EVALSHA of the remark write, SET); orderwatch-peak --find-max
# (the highest order rate whose every RPC keeps p99 within 10 ms with no error and no backlog,
# confirmed by holding it for a minute);
# then the day at base = 10% of that maximum with the 10x midnight step; and chart.sh's PNG.
# Every command it runs is printed ("+ ...").
#
# Settings (environment):
#   BUILD_DIR    build tree with services/server/orderwatch-server and
#                loadtest/peak/orderwatch-peak (default: <repo>/build)
#   OUT          directory for find-max.txt/.json, peak.txt/.json, peak.png (default: ./peak-report)
#   BASE         base orders/s; set, it skips --find-max
#   MULTIPLIER   the midnight peak (default 10; 15: half again over the p99-bound maximum)
#   PEAK_ARGS    more orderwatch-peak flags for both runs, e.g. "--hold-s=120 --page-reads=3"
#   SERVER_ARGS  more orderwatch-server flags, e.g. "--max-in-flight=128"
#   REDIS_AOF=0  run Redis without its append-only file
#   PREFILL      keys put in Redis first, standing for the shop's existing orders (default
#                2200000: the key table at 2^22, with room for the ~1 M keys the runs add; see
#                lib.sh prefill_keys); the report warns if the table doubled anyway. 0 = none
#   KEEP=1       keep the temporary directory (logs, Redis, sink) after the run
set -euo pipefail

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 0
fi

here=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=${BUILD_DIR:-$here/../../build}
OUT=${OUT:-$PWD/peak-report}
MULTIPLIER=${MULTIPLIER:-10}
PEAK_ARGS=${PEAK_ARGS:-}
server_bin=$BUILD_DIR/services/server/orderwatch-server
peak_bin=$BUILD_DIR/loadtest/peak/orderwatch-peak
for bin in "$server_bin" "$peak_bin"; do
  if [[ ! -x $bin ]]; then
    echo "peak.sh: $bin is missing; build it: cmake --build $BUILD_DIR --target orderwatch-server orderwatch-peak" >&2
    exit 1
  fi
done
for tool in redis-server redis-cli redis-benchmark ss awk; do
  command -v "$tool" >/dev/null || { echo "peak.sh: $tool is not installed" >&2; exit 1; }
done
mkdir -p "$OUT"

# shellcheck source=loadtest/lib.sh
source "$here/../lib.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/orderwatch-peak.XXXXXX")
pids=()
REDIS_AOF=${REDIS_AOF:-1} start_stack "$server_bin"
PREFILL=${PREFILL:-2200000}
if ((PREFILL > 0)); then prefill_keys "$redis_port" "$PREFILL"; fi
keys_before=$(redis-cli -p "$redis_port" dbsize)
sleep 2  # the scheduler's first rounds load its scripts (NOSCRIPT replies) before the reference

show "$here/../redis_reference.sh" -p "$redis_port" -n 100000 -c 50 -r 10000 >&2
"$here/../redis_reference.sh" -p "$redis_port" -n 100000 -c 50 -r 10000 | tee "$OUT/reference.txt"

# shellcheck disable=SC2206  # PEAK_ARGS is a list of flags
peak=("$peak_bin" --addr="127.0.0.1:$grpc_port" --metrics="127.0.0.1:$metrics_port"
  --redis="127.0.0.1:$redis_port" --server-pid="$server_pid" --redis-pid="$redis_pid" $PEAK_ARGS)
if [[ -z ${BASE:-} ]]; then
  show "${peak[@]}" --find-max --json-out="$OUT/find-max.json" >&2
  "${peak[@]}" --find-max --json-out="$OUT/find-max.json" | tee "$OUT/find-max.txt"
  max=$(sed -n 's/.*"max_orders_per_s":\([0-9.]*\).*/\1/p' "$OUT/find-max.json")
  BASE=$(awk -v m="$max" 'BEGIN { printf "%.0f", m / 10 }')
  ((BASE > 0)) || { echo "peak.sh: --find-max found no sustainable rate" >&2; exit 1; }
fi

status=0
show "${peak[@]}" --base="$BASE" --multiplier="$MULTIPLIER" --json-out="$OUT/peak.json" >&2
"${peak[@]}" --base="$BASE" --multiplier="$MULTIPLIER" --json-out="$OUT/peak.json" |
  tee "$OUT/peak.txt" || status=$?
ref=$(awk '$1 == "evalsha_remark_write_rps" { print $2 }' "$OUT/reference.txt")
keys_after=$(redis-cli -p "$redis_port" dbsize)
doubled=$(key_table_doubled "$keys_before" "$keys_after")
echo "keys in Redis: $keys_before at the start (PREFILL=$PREFILL), $keys_after at the end" | tee -a "$OUT/peak.txt"
if ((doubled > 0)); then
  echo "WARNING: Redis's key table doubled during the runs (past $doubled keys): tail latency includes it; raise PREFILL" | tee -a "$OUT/peak.txt" >&2
fi
echo "reference (same run): redis-benchmark EVALSHA remark_write.lua $ref req/s" | tee -a "$OUT/peak.txt"
"$here/chart.sh" "$OUT/peak.json" "$OUT/peak.png" || echo "peak.sh: no chart" >&2
echo "== report in $OUT: peak.txt, peak.json, peak.png${max:+, find-max.txt}" >&2
exit "$status"
