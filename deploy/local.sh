#!/usr/bin/env bash
# orderwatch on one machine.
#
#   deploy/local.sh up      install what is missing, build, start Redis (AOF under ./var) and run
#                           orderwatch-server in the foreground; Ctrl-C stops both cleanly
#   deploy/local.sh test    install what is missing, build, run the whole test suite (ctest)
#   deploy/local.sh build   install what is missing and build only
#
# Settings (environment):
#   ORDERWATCH_REDIS=host:port    use that Redis instead of starting one
#   ORDERWATCH_REDIS_CLUSTER=h:p,h:p  use that Redis Cluster instead of starting a Redis
#   ORDERWATCH_REDIS_PORT=6379    port of the Redis that `up` starts
#   ORDERWATCH_GRPC_ADDR          default 127.0.0.1:50051
#   ORDERWATCH_METRICS_ADDR       default 127.0.0.1:9464
#   ORDERWATCH_REMINDER_SINK      `up` defaults to log:var/reminders.jsonl (sent reminders, one
#                                 JSON line each)
#   ORDERWATCH_AUTH               `up` defaults to dev (identity headers trusted) unless
#                                 ORDERWATCH_TOKENS_FILE is set; see orderwatch-server --help
#   BUILD_DIR                     default ./build
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
PACKAGES=(cmake g++ make pkg-config tzdata
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  libhiredis-dev libevent-dev libssl-dev libabsl-dev prometheus-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev redis-server redis-tools
  jq iproute2 curl openssl  # jq, ss: loadtest/run.sh; openssl: tests/tls_e2e_test
  prometheus python3 python3-yaml systemd  # promtool, Prometheus, systemd-analyze: tests/ops
  clang libclang-rt-dev)  # libFuzzer: tests/fuzz

say() { printf 'local.sh: %s\n' "$*" >&2; }

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "missing Debian packages; install them with:"
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

build() {
  say "building (Release) into $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" -j "$(nproc)"
}

run_tests() {
  say "running the test suite"
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)"
}

wait_for_redis() {  # host port
  for _ in $(seq 1 200); do
    redis-cli -h "$1" -p "$2" ping >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  return 1
}

up() {
  local redis_pid="" server_pid="" port
  stop_all() {
    trap - INT TERM EXIT
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
      kill -TERM "$server_pid" 2>/dev/null || true
      wait "$server_pid" 2>/dev/null || true
    fi
    if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
      say "stopping Redis (pid $redis_pid)"
      kill -TERM "$redis_pid" 2>/dev/null || true
      wait "$redis_pid" 2>/dev/null || true
    fi
  }
  trap stop_all EXIT
  trap 'stop_all; exit 130' INT
  trap 'stop_all; exit 143' TERM

  if [ -z "${ORDERWATCH_REDIS:-}" ] && [ -z "${ORDERWATCH_REDIS_CLUSTER:-}" ]; then
    port=${ORDERWATCH_REDIS_PORT:-6379}
    if redis-cli -p "$port" ping >/dev/null 2>&1; then
      say "a Redis already answers on 127.0.0.1:$port; use it with ORDERWATCH_REDIS=127.0.0.1:$port"
      say "or pick another port with ORDERWATCH_REDIS_PORT"
      exit 1
    fi
    mkdir -p "$ROOT/var/redis"
    # Its own session, so Ctrl-C reaches the server first and Redis outlives the drain.
    setsid redis-server --port "$port" --bind 127.0.0.1 --dir "$ROOT/var/redis" \
      --appendonly yes --appendfsync everysec --maxmemory-policy noeviction \
      --hash-max-listpack-entries 512 --hash-max-listpack-value 256 \
      --save "" --logfile "$ROOT/var/redis/redis.log" &
    redis_pid=$!
    wait_for_redis 127.0.0.1 "$port" || { say "Redis did not start; see var/redis/redis.log"; exit 1; }
    say "Redis on 127.0.0.1:$port (AOF in var/redis, pid $redis_pid)"
    export ORDERWATCH_REDIS=127.0.0.1:$port
  fi
  if [ -z "${ORDERWATCH_AUTH:-}" ] && [ -z "${ORDERWATCH_TOKENS_FILE:-}" ]; then
    export ORDERWATCH_AUTH=dev
  fi
  export ORDERWATCH_GRPC_ADDR=${ORDERWATCH_GRPC_ADDR:-127.0.0.1:50051}
  export ORDERWATCH_METRICS_ADDR=${ORDERWATCH_METRICS_ADDR:-127.0.0.1:9464}
  mkdir -p "$ROOT/var"
  export ORDERWATCH_REMINDER_SINK=${ORDERWATCH_REMINDER_SINK:-log:$ROOT/var/reminders.jsonl}
  say "orderwatch: gRPC on $ORDERWATCH_GRPC_ADDR, metrics on http://$ORDERWATCH_METRICS_ADDR/metrics; Ctrl-C stops"
  say "sent reminders and shipment notices go to ${ORDERWATCH_REMINDER_SINK#log:}"
  "$BUILD_DIR/services/server/orderwatch-server" &
  server_pid=$!
  set +e
  wait "$server_pid"
  local rc=$?
  set -e
  server_pid=""
  exit "$rc"
}

case "${1:-}" in
  up) install_missing; build; up ;;
  test) install_missing; build; run_tests ;;
  build) install_missing; build ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
