#!/usr/bin/env bash
# Payment reminders at scale in one command: a fresh redis-server (no persistence) and
# orderwatch-server on free loopback ports, redis-benchmark ZADD as the raw Redis reference
# (a due-queue insert), then orderwatch-reminder-load: a million pending reminders scheduled
# through order events, Redis bytes per pending reminder, cancels, and reminders coming due at a
# set rate with the million pending. The scheduler's lateness histogram is scraped before and
# after the fire phase. Every command it runs is printed ("+ ...").
#
# Settings (environment):
#   BUILD_DIR   build tree holding services/server/orderwatch-server and
#               loadtest/orderwatch-reminder-load (default: <repo>/build)
#   PENDING     reminders kept pending (default 1000000)
#   CANCEL      of those, cancelled by a paid event (default 100000)
#   FIRE        reminders that come due during the run (default 20000)
#   FIRE_RATE   how many come due per second (default 2000)
#   KEEP=1      keep the temporary directory (logs, Redis, sink) after the run
set -euo pipefail

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 0
fi

here=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=${BUILD_DIR:-$here/../build}
PENDING=${PENDING:-1000000}
CANCEL=${CANCEL:-100000}
FIRE=${FIRE:-20000}
FIRE_RATE=${FIRE_RATE:-2000}
server_bin=$BUILD_DIR/services/server/orderwatch-server
load_bin=$BUILD_DIR/loadtest/orderwatch-reminder-load
for bin in "$server_bin" "$load_bin"; do
  if [[ ! -x $bin ]]; then
    echo "reminders.sh: $bin is missing; build it: cmake --build $BUILD_DIR --target orderwatch-server orderwatch-reminder-load" >&2
    exit 1
  fi
done
for tool in redis-server redis-cli redis-benchmark curl ss awk; do
  command -v "$tool" >/dev/null || { echo "reminders.sh: $tool is not installed" >&2; exit 1; }
done

# shellcheck source=loadtest/lib.sh
source "$here/lib.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/orderwatch-reminders.XXXXXX")
pids=()

start_stack "$server_bin"
zadd_reference

scrape() { curl -s "http://127.0.0.1:$metrics_port/metrics" >"$work/$1.prom"; }
scrape before
load_cmd=("$load_bin" --addr="127.0.0.1:$grpc_port" --redis="127.0.0.1:$redis_port"
  --sink="$work/sink.jsonl" --pending="$PENDING" --cancel="$CANCEL" --fire="$FIRE"
  --fire-rate="$FIRE_RATE" --json)
show "${load_cmd[@]}" >&2
result=$("${load_cmd[@]}")
scrape after
echo "$result"

# Lateness quantiles of the reminder queue from the histogram's growth (upper bucket bounds).
lateness=$(join <(grep '^orderwatch_scheduler_lateness_seconds_bucket{queue="rem"' "$work/before.prom" | sort) \
  <(grep '^orderwatch_scheduler_lateness_seconds_bucket{queue="rem"' "$work/after.prom" | sort) |
  sed -E 's/.*le="([^"]*)"[^ ]* ([0-9.e+]+) ([0-9.e+]+)/\1 \2 \3/' | sort -g |
  awk '{ le[NR] = $1; n[NR] = $3 - $2 } END { total = n[NR]
    for (q = 1; q <= 2; q++) { want = (q == 1 ? 0.5 : 0.99) * total
      for (i = 1; i <= NR; i++) if (n[i] >= want) { printf "%s ", le[i]; break } } }')
read -r p50 p99 <<<"$lateness"

field() { sed -E "s/.*\"$1\":([0-9.]+).*/\1/" <<<"$result"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
cat <<TABLE

| payment reminders, $(field pending) pending | measured | vs redis-benchmark ZADD ($ref_zadd/s) |
|---|---|---|
| schedule (created events via RecordBatch) | $(field schedule_per_s)/s | $(ratio "$(field schedule_per_s)" "$ref_zadd") |
| cancel (paid events via RecordBatch) | $(field cancel_per_s)/s | $(ratio "$(field cancel_per_s)" "$ref_zadd") |
| fire ($(field fire) due at $(field fire_rate_target)/s) | $(field fired_per_s)/s delivered, lateness p50 ≤ ${p50} s, p99 ≤ ${p99} s | |
| Redis memory per pending reminder, order state included | $(field bytes_per_pending) B (due-queue entry $(field queue_bytes_per_pending) B) | |
TABLE
