#!/usr/bin/env bash
# The raw Redis reference for orderwatch-load: redis-benchmark of the remark write script itself
# (EVALSHA of services/remarks/lua/remark_write.lua with the keys and arguments of one
# Remarks.Set), of plain SET, and of pipelined HMGET (what one BatchGet of 50 orders costs Redis).
#
# usage: redis_reference.sh -p PORT [-h HOST] [-n REQUESTS] [-c CLIENTS] [-r KEYSPACE]
#   -n requests per test (default 100000), -c parallel connections (default 50),
#   -r distinct order ids (default 10000, like orderwatch-load --orders)
# Prints every command it runs (prefixed "+"), then one "<test>_rps <requests/s>" line per test.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
script="$here/../services/remarks/lua/remark_write.lua"
# The server sends the script with its shared libraries in front (cmake/EmbedLua.cmake, as
# services/remarks/CMakeLists.txt lists them): so does this.
libraries=("$here/../services/remarks/lua/lib/remark_change.lua"
  "$here/../services/orders/lua/lib/order_place.lua")
host=127.0.0.1 port="" requests=100000 clients=50 keyspace=10000
while getopts "h:p:n:c:r:" opt; do
  case $opt in
    h) host=$OPTARG ;;
    p) port=$OPTARG ;;
    n) requests=$OPTARG ;;
    c) clients=$OPTARG ;;
    r) keyspace=$OPTARG ;;
    *) sed -n '2,9p' "$0" >&2; exit 2 ;;
  esac
done
if [[ -z $port ]]; then sed -n '2,9p' "$0" >&2; exit 2; fi

show() { printf '+'; printf ' %q' "$@"; printf '\n'; }
run() { show "$@" >&2; "$@"; }

# redis-benchmark --csv prints a header, then "<test>","<rps>" and six latency columns; the test
# name may hold commas, so count from the end of the last line.
errors() { redis-cli -h "$host" -p "$port" INFO stats | awk -F: '/^total_error_replies:/ { print $2 + 0 }'; }

bench() {
  local out before after
  before=$(errors)
  show redis-benchmark -h "$host" -p "$port" -n "$requests" -c "$clients" -r "$keyspace" --csv "$@" >&2
  out=$(redis-benchmark -h "$host" -p "$port" -n "$requests" -c "$clients" -r "$keyspace" --csv "$@")
  after=$(errors)
  if ((after > before)); then  # an error reply is cheap: the rate would not be the script's
    echo "redis_reference.sh: $((after - before)) error replies during $1; see INFO errorstats" >&2
    exit 1
  fi
  tail -n 1 <<<"$out" | awk -F, '{ gsub(/"/, "", $(NF-6)); print $(NF-6) }'
}

echo "+ { for l in ${libraries[*]}; do cat \$l; echo; done; cat $script; } | redis-cli -h $host -p $port -x SCRIPT LOAD" >&2
sha=$({ for l in "${libraries[@]}"; do cat "$l"; echo; done; cat "$script"; } |
  redis-cli -h "$host" -p "$port" -x SCRIPT LOAD)
if [[ ! $sha =~ ^[0-9a-f]{40}$ ]]; then
  echo "redis_reference.sh: SCRIPT LOAD failed: $sha" >&2
  exit 1
fi

# One Set, as RemarksService::RunWrite sends it. Every key carries the same hash tag ({p1} for all
# calls: fine on a standalone Redis). Each __rand_int__ is replaced by its own random number below
# -r, so orders spread over the key space and request ids practically never repeat (a repeated
# request id would take the script's cheap "first result" exit).
shop=refshop
now_ms=$(date +%s%3N)
text='催发货: 客户要求顺丰, 周五前送达 (load call 123456)'
keys=(
  "ow:{p1}:o:$shop:ord-__rand_int__"
  "ow:{p1}:h:$shop:ord-__rand_int__"
  "ow:{p1}:r:$shop:ord-__rand_int__:req-__rand_int__-__rand_int__"
  "ow:{p1}:f:$shop:1" "ow:{p1}:f:$shop:2" "ow:{p1}:f:$shop:3" "ow:{p1}:f:$shop:4"
  "ow:{p1}:f:$shop:5")
#     op  expected flag text    actor     source now      cap retention   request-ttl max order
args=(set "" 3 "$text" loadagent 1 "$now_ms" 200 7776000000 86400000 1000 "ord-__rand_int__")

evalsha=$(bench EVALSHA "$sha" "${#keys[@]}" "${keys[@]}" "${args[@]}")
set_rps=$(bench SET "ref:key:__rand_int__" "$text")
hmget_rps=$(bench -P 50 HMGET "ow:{p1}:o:$shop:ord-__rand_int__" f t v ua ub us)

echo "evalsha_remark_write_rps $evalsha"
echo "set_rps $set_rps"
echo "hmget_pipelined50_rps $hmget_rps"
