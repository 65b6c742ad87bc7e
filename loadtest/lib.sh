# Shared by the load scripts: command echo, clean-up of what they started, free ports, waits, and
# the Redis + server stack and ZADD reference of the scale runs. The sourcing script sets `work`
# (its temporary directory) and `pids` (what to stop, in start order) before it starts anything.

show() { printf '+'; printf ' %q' "$@"; printf '\n'; }
run() { show "$@" >&2; "$@"; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do  # the server before its Redis
    if kill -0 "${pids[i]}" 2>/dev/null; then
      show kill -TERM "${pids[i]}" >&2
      kill -TERM "${pids[i]}" 2>/dev/null || true
      wait "${pids[i]}" 2>/dev/null || true
    fi
  done
  if [[ ${KEEP:-0} == 1 ]]; then echo "logs kept in $work" >&2; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
# Everything these scripts talk to is on loopback: curl, gRPC and Python must not route it through
# a proxy the environment may name.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY grpc_proxy
trap 'exit 130' INT
trap 'exit 143' TERM

used_ports=" "
free_port() {  # free_port VAR: a loopback port nothing holds, below the ephemeral range
  # (a port the kernel gives to outgoing connections could be taken before the server binds it)
  local p low
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range
  ((low > 11000)) || low=32768
  while :; do
    p=$((10000 + (RANDOM * 32768 + RANDOM) % (low - 10000)))
    [[ $used_ports == *" $p "* ]] && continue
    [[ -n $(ss -Htan "sport = :$p") ]] && continue
    used_ports+="$p "
    printf -v "$1" '%s' "$p"
    return
  done
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then echo "$(basename "$0"): $what did not come up; logs in $work" >&2; KEEP=1; exit 1; fi
    sleep 0.1
  done
}


# start_stack SERVER_BIN: a fresh redis-server and orderwatch-server on free loopback ports, the
# server's log sink in $work/sink.jsonl; sets redis_port, grpc_port, metrics_port, redis_pid and
# server_pid. Redis keeps no file unless REDIS_AOF=1 (then an append-only file, fsync every
# second, as deploy/local.sh runs it); REDIS_CONF=FILE starts it from that configuration file
# instead (port, address, directory and log file still the stack's). Hashes stay compact up to
# the limits deploy/redis/redis.conf sets (order buckets). SERVER_ARGS are more
# server flags.
start_stack() {
  local server_bin=$1
  free_port redis_port
  free_port grpc_port
  free_port metrics_port
  echo "== load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  local persist=(--save '' --appendonly no)
  [[ ${REDIS_AOF:-0} == 1 ]] && persist=(--save '' --appendonly yes --appendfsync everysec)
  local compact=(--hash-max-listpack-entries 512 --hash-max-listpack-value 256)
  [[ -n ${REDIS_CONF:-} ]] && persist=() compact=()  # the file says
  local redis_cmd=(redis-server ${REDIS_CONF:+"$REDIS_CONF"} --port "$redis_port"
    --bind 127.0.0.1 "${persist[@]}" "${compact[@]}" --dir "$work" --logfile "$work/redis.log")
  show "${redis_cmd[@]}" >&2
  "${redis_cmd[@]}" &
  redis_pid=$!
  pids+=("$redis_pid")
  wait_for 10 redis-server redis-cli -p "$redis_port" ping

  local server_cmd=("$server_bin" --auth=dev --grpc-addr="127.0.0.1:$grpc_port"
    --metrics-addr="127.0.0.1:$metrics_port" --redis="127.0.0.1:$redis_port"
    --reminder-sink="log:$work/sink.jsonl")
  # shellcheck disable=SC2206  # SERVER_ARGS is a list of flags
  server_cmd+=(${SERVER_ARGS:-})
  show "${server_cmd[@]}" >&2
  "${server_cmd[@]}" >"$work/server.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  wait_for 15 orderwatch-server grep -q "listening" "$work/server.log"
}

# prefill_keys PORT COUNT: COUNT keys (with a day's TTL) in the Redis on PORT, standing for a
# shop's existing orders. Redis doubles its key table when the key count passes a power of two,
# and that slows it for about a second at load (Set p99 at 70 % of saturation: 26 ms instead of
# 5-8); a fresh Redis passes 2^17, 2^18 ... within seconds of any load, a production one rarely.
# With the AOF on, the file is rewritten afterwards so the prefill does not set off a rewrite
# during the measurement.
prefill_keys() {
  local port=$1 count=$2 first
  echo "== prefill: $count keys" >&2
  for ((first = 0; first < count; first += 100000)); do
    redis-cli -p "$port" eval "for i = ARGV[1] + 1, math.min(ARGV[1] + 100000, ARGV[2]) do
      redis.call('SET', 'prefill:' .. i, 'x', 'PX', 86400000) end return 1" 0 "$first" \
      "$count" >/dev/null
  done
  if [[ $(redis-cli -p "$port" config get appendonly | tail -n 1) == yes ]]; then
    redis-cli -p "$port" bgrewriteaof >/dev/null
    wait_for 60 "the AOF rewrite after the prefill" \
      sh -c "redis-cli -p $port info persistence | grep -q '^aof_rewrite_in_progress:0'"
  fi
  # The doubled table is moved over in the background (1 ms in each 100 ms): let it finish.
  sleep 3
}

# key_table_doubled KEYS_BEFORE KEYS_AFTER: prints the power of two the key count passed between
# the two (Redis doubled its key table there), or 0.
key_table_doubled() {
  awk -v a="$1" -v b="$2" 'BEGIN { t = 1; while (t <= a) t *= 2; print (b >= t) ? t : 0 }'
}

# zadd_reference: redis-benchmark ZADD (a due-queue insert, 50 clients) on the stack's Redis, as
# the reference of the run; sets ref_zadd (requests per second) and prints "zadd_rps N".
zadd_reference() {
  echo "== Redis reference: ZADD, 50 clients" >&2
  local bench=(redis-benchmark -p "$redis_port" -n 200000 -c 50 -r 1000000 --csv zadd refqueue
    __rand_int__ m:__rand_int__)
  show "${bench[@]}" >&2
  ref_zadd=$("${bench[@]}" | tail -n 1 | awk -F, '{ gsub(/"/, "", $2); print $2 }')
  run redis-cli -p "$redis_port" DEL refqueue >/dev/null
  echo "zadd_rps $ref_zadd"
}
