#!/usr/bin/env bash
# The ops checks, run by ctest (tests/ops/CMakeLists.txt), each against a fresh redis-server and
# orderwatch-server on free loopback ports where it needs a live server:
#   ops_test.sh BUILD_DIR metrics      `promtool check metrics` on a live scrape is clean; every
#                                      family has HELP; no label could carry a shop, buyer or order
#   ops_test.sh BUILD_DIR dashboards   tests/ops/check_dashboards.py on deploy/grafana/dashboards
#   ops_test.sh BUILD_DIR rules        promtool check rules + test rules on deploy/prometheus;
#                                      every alert has a runbook section; every metric a rule
#                                      selects is exported (or recorded by the shipped rules)
#   ops_test.sh BUILD_DIR prometheus   a real Prometheus with the shipped scrape config and rules
#                                      scrapes the server while calls are made; every dashboard
#                                      query returns data and every rule evaluates cleanly
#   ops_test.sh BUILD_DIR deploy       the deployment files, offline: tests/ops/check_deploy.py,
#                                      promtool check config of the compose Prometheus, and
#                                      systemd-analyze security of the unit at most $max_exposure
#   ops_test.sh BUILD_DIR redis        orderwatch on a redis-server started from
#                                      deploy/redis/redis.conf: AOF on, noeviction, calls work,
#                                      a new unpaid order packed into a compact order bucket
#   ops_test.sh BUILD_DIR loadtest     loadtest/redis_reference.sh, the load tests' raw Redis
#                                      reference, runs the remark write script as the server
#                                      sends it (with its libraries), without an error reply
set -euo pipefail

build=$(cd "$1" && pwd)
mode=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/orderwatch-ops.XXXXXX")
pids=()
# shellcheck source=loadtest/lib.sh
source "$repo/loadtest/lib.sh"
python=/usr/bin/python3  # Debian's, with python3-yaml (deploy/local.sh installs both)
max_exposure=1.5  # systemd-analyze's scale: 0 (sealed) to 10 (exposed); deploy/README.md

fail() { echo "ops_test $mode: $*" >&2; KEEP=1; exit 1; }

scrape() {  # the server's /metrics into $work/scrape.txt
  start_stack "$build/services/server/orderwatch-server" 2>"$work/stack.log"
  curl -sf "http://127.0.0.1:$metrics_port/metrics" >"$work/scrape.txt" || fail "no scrape"
  [[ -s $work/scrape.txt ]] || fail "empty scrape"
}

case $mode in
  metrics)
    scrape
    if ! out=$(promtool check metrics <"$work/scrape.txt" 2>&1) || [[ -n $out ]]; then
      fail "promtool check metrics: $out"
    fi
    # Every family is described; label names that would hold ids of shops, buyers or orders
    # (unbounded) do not occur.
    families=$(grep -c '^# TYPE ' "$work/scrape.txt")
    helps=$(grep -c '^# HELP .* [^ ]' "$work/scrape.txt")
    ((families == helps)) || fail "$families families but $helps with HELP text"
    if grep -vE '^#' "$work/scrape.txt" | grep -E '[{,](shop|buyer|order|order_id|shop_id|buyer_id|agent)="'; then
      fail "a label names a shop, buyer, order or agent"
    fi
    grep -qE '^orderwatch_build_info\{.*version="[0-9]+\.[0-9]+\.[0-9]+".*\} 1$' "$work/scrape.txt" ||
      fail "no orderwatch_build_info with a version"
    echo "ops_test metrics: promtool clean, $families families described"
    ;;
  dashboards)
    scrape
    "$python" "$here/check_dashboards.py" "$work/scrape.txt" "$repo"/deploy/grafana/dashboards/*.json
    ;;
  rules)
    scrape
    run promtool check rules "$repo"/deploy/prometheus/rules/*.yml
    (cd "$repo/deploy/prometheus/tests" && run promtool test rules ./*.yml)
    "$python" "$here/check_rules.py" "$work/scrape.txt" "$repo/docs/runbook.md" \
      "$repo"/deploy/prometheus/rules/*.yml
    ;;
  prometheus)
    scrape
    free_port prom_port
    sed -e "s#127.0.0.1:9464#127.0.0.1:$metrics_port#" \
      -e "s#^\(  *\)\(scrape\|evaluation\)_interval: .*#\1\2_interval: 1s#" \
      -e "s#^\(  *\)scrape_timeout: .*#\1scrape_timeout: 1s#" \
      -e "s#- rules/#- $repo/deploy/prometheus/rules/#" \
      "$repo/deploy/prometheus/prometheus.yml" >"$work/prometheus.yml"
    run promtool check config "$work/prometheus.yml"
    prom=(prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb"
      --web.listen-address="127.0.0.1:$prom_port")
    show "${prom[@]}" >&2
    "${prom[@]}" >"$work/prometheus.log" 2>&1 &
    pids+=($!)
    wait_for 30 prometheus curl -sf "http://127.0.0.1:$prom_port/-/ready"
    cli=("$build/services/cli/orderwatch" --addr="127.0.0.1:$grpc_port" --shop=shop1 --agent=alice)
    for i in $(seq 1 20); do  # calls, so the rates and latency histograms have data
      "${cli[@]}" --role=storefront event record "ops$i" --type=created --amount-fen=990 \
        --buyer="b$i" --event-id=c >/dev/null
      "${cli[@]}" remark set "ops$i" --flag=red --text="ops check" --version=0 >/dev/null
      sleep 0.2
    done
    if ! "$python" "$here/check_prometheus.py" "http://127.0.0.1:$prom_port" \
      "$repo"/deploy/grafana/dashboards/*.json; then
      tail -n 20 "$work/prometheus.log" >&2
      fail "check_prometheus.py failed (Prometheus' log above)"
    fi
    ;;
  deploy)
    # The Debian packages owning the shared libraries the two programs link, but those every
    # Debian image has (libc6, libgcc-s1, libstdc++6).
    for bin in "$build/services/server/orderwatch-server" "$build/services/cli/orderwatch"; do
      ldd "$bin" | awk '/=> \// { print $3 }'
    done | sort -u | while read -r lib; do
      dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")"
    done | cut -d: -f1 | sort -u | grep -vxE 'libc6|libgcc-s1|libstdc\+\+6' >"$work/runtime-packages"
    [[ -s $work/runtime-packages ]] || fail "no runtime packages found with ldd and dpkg -S"
    { "$build/services/server/orderwatch-server" --help; "$build/services/cli/orderwatch" --help; } \
      >"$work/settings.txt"
    "$python" "$here/check_deploy.py" "$repo/deploy" "$work/settings.txt" "$work/runtime-packages"
    # The compose Prometheus as it sees its files: the rules beside its configuration.
    mkdir "$work/compose"
    cp "$repo/deploy/compose/prometheus.yml" "$work/compose/"
    ln -s "$repo/deploy/prometheus/rules" "$work/compose/rules"
    run promtool check config "$work/compose/prometheus.yml"
    unit=$repo/deploy/systemd/orderwatch.service
    show systemd-analyze security --offline=yes --no-pager "$unit" >&2
    systemd-analyze security --offline=yes --no-pager "$unit" >"$work/security.txt" 2>&1 ||
      fail "systemd-analyze security: $(cat "$work/security.txt")"
    if grep -iE 'unknown|invalid|failed to' "$work/security.txt"; then fail "the unit has errors"; fi
    exposure=$(sed -n 's/.*Overall exposure level for orderwatch.service: \([0-9.]*\).*/\1/p' \
      "$work/security.txt")
    [[ -n $exposure ]] || fail "no exposure level in: $(tail -3 "$work/security.txt")"
    awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e <= m) }' ||
      fail "the unit's exposure is $exposure, above $max_exposure"
    echo "ops_test deploy: systemd exposure $exposure (at most $max_exposure)"
    ;;
  redis)
    REDIS_CONF=$repo/deploy/redis/redis.conf SERVER_ARGS=--redis-connections=2 \
      start_stack "$build/services/server/orderwatch-server" 2>"$work/stack.log"
    rcli=(redis-cli -p "$redis_port")
    for want in "appendonly yes" "appendfsync everysec" "maxmemory-policy noeviction" \
      "hash-max-listpack-entries 512" "hash-max-listpack-value 256"; do
      got=$("${rcli[@]}" config get "${want% *}" | tail -1)
      [[ $got == "${want#* }" ]] || fail "redis.conf: ${want% *} is $got, not ${want#* }"
    done
    cli=("$build/services/cli/orderwatch" --addr="127.0.0.1:$grpc_port" --shop=shop1 --agent=alice)
    "${cli[@]}" health >/dev/null || fail "orderwatch health did not say SERVING"
    "${cli[@]}" --role=storefront event record r1 --type=created --amount-fen=990 --buyer=b1 \
      --event-id=c >/dev/null || fail "event record failed"
    bucket=$("${rcli[@]}" --scan --pattern 'ow:{p*}:ob:*')
    [[ -n $bucket ]] || fail "the new unpaid order r1 was not packed into an order bucket"
    encoding=$("${rcli[@]}" object encoding "$bucket")
    [[ $encoding == listpack ]] || fail "order bucket $bucket is a $encoding, not a listpack"
    "${cli[@]}" remark set r1 --flag=red --text="redis.conf check" --version=0 >/dev/null ||
      fail "remark set failed"
    "${rcli[@]}" info persistence | grep -q '^aof_enabled:1' || fail "AOF is off"
    ls "$work"/appendonlydir/*.incr.aof >/dev/null 2>&1 || fail "no append-only file in $work"
    echo "ops_test redis: orderwatch runs on deploy/redis/redis.conf (AOF on, noeviction," \
      "compact order buckets)"
    ;;
  loadtest)
    free_port port
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
      --logfile "$work/redis.log" &
    pids+=($!)
    wait_for 10 redis-server redis-cli -p "$port" ping
    out=$("$repo/loadtest/redis_reference.sh" -p "$port" -n 500 -c 4 -r 100 2>"$work/ref.log") ||
      fail "redis_reference.sh failed: $(tail -3 "$work/ref.log")"
    grep -qE '^evalsha_remark_write_rps [0-9.]+$' <<<"$out" || fail "no EVALSHA figure: $out"
    echo "ops_test loadtest: redis_reference.sh ran the remark write script cleanly"
    ;;
  *)
    echo "usage: ops_test.sh BUILD_DIR metrics|dashboards|rules|prometheus|deploy|redis|loadtest" >&2
    exit 2
    ;;
esac
