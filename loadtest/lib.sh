# Shared by the load scripts: command echo, clean-up of what they started, free ports, waits.
# The sourcing script sets `work` (its temporary directory) and `pids` (what to stop, in start
# order) before it starts anything.

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
trap 'exit 130' INT
trap 'exit 143' TERM

used_ports=" "
free_port() {  # free_port VAR: a loopback port nothing listens on
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    [[ $used_ports == *" $p "* ]] && continue
    [[ -n $(ss -Htln "sport = :$p") ]] && continue
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

