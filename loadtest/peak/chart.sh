#!/usr/bin/env bash
# chart.sh PEAK.json OUT.png: the day of orderwatch-peak --json-out as a PNG: load (calls/s and
# the multiplier), latency (p50/p99 of all calls, per second), and CPU of server, Redis and
# generator with the scheduler's oldest due job. Needs jq and gnuplot (Debian: gnuplot-nox;
# installed here when run as root).
set -euo pipefail
if [[ $# -ne 2 || $1 == -h || $1 == --help ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  [[ $# -eq 2 ]] && exit 0 || exit 2
fi
json=$1 png=$2
missing=()
command -v jq >/dev/null || missing+=(jq)
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]]; then
    echo "+ apt-get install -y ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
  else
    echo "chart.sh: needs ${missing[*]}: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
jq -r '.seconds[] | [.t, .calls, .multiplier, .p50_ms, .p99_ms, .errors + .unsent] | @tsv' \
  "$json" >"$data/seconds.tsv"
jq -r '.samples[] | [.t, .cpu_server, .cpu_redis, .cpu_generator, .oldest_due_s] | @tsv' \
  "$json" >"$data/samples.tsv"
jq -r '.phases[] | [.start_s, .name] | @tsv' "$json" >"$data/phases.tsv"
xmax=$(jq -r '.phases[-1].end_s' "$json")
title=$(jq -r '"orderwatch-peak: base \(.base_orders_per_s) orders/s, peak \(.multiplier)x"' "$json")
arrows=$(awk -F'\t' '{ printf "set arrow from %s, graph 0 to %s, graph 1 nohead dt 3 lc rgb \"#999999\"\n", $1, $1;
  printf "set label \"%s\" at %s, graph 0.04 offset 0.3,0 font \",8\" tc rgb \"#666666\"\n", $2, $1 }' "$data/phases.tsv")
gnuplot <<GP
set terminal pngcairo size 1100,900 font ",10" noenhanced
set output "$png"
set multiplot layout 3,1 title "$title"
set grid
set key outside right top vertical width -2
set yrange [0:*]
set xlabel "seconds"
set xrange [0:$xmax]
$arrows
set ylabel "calls/s"
set y2label "multiplier"
set y2tics
set y2range [0:*]
plot "$data/seconds.tsv" using 1:2 with lines lw 2 title "calls sent", \
     "" using 1:6 with impulses lc rgb "red" title "errors + unsent", \
     "" using 1:3 axes x1y2 with lines dt 2 title "multiplier"
unset y2label
unset y2tics
set ylabel "latency ms (log)"
set logscale y
set yrange [*:*]
plot "$data/seconds.tsv" using 1:(\$4 > 0 ? \$4 : 1/0) with lines title "p50", \
     "" using 1:(\$5 > 0 ? \$5 : 1/0) with lines lw 2 title "p99", \
     10 with lines dt 2 lc rgb "red" title "10 ms"
unset logscale y
set yrange [0:*]
set yrange [*:*]
set ylabel "CPU % of one core"
set y2label "oldest due job, s"
set y2tics
plot "$data/samples.tsv" using 1:2 with lines title "server", \
     "" using 1:3 with lines title "redis", \
     "" using 1:4 with lines title "generator", \
     "" using 1:5 axes x1y2 with lines dt 2 lw 2 title "oldest due job (s)"
unset multiplot
GP
echo "chart.sh: wrote $png" >&2
