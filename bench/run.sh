#!/usr/bin/env bash
# Side-by-side benchmark: wirewatch against tshark and tcpdump on the pcapgen capture, in one run.
#
#   bench/run.sh                      # the 1 GB capture (generated into /tmp on first use)
#   bench/run.sh --size 100MB         # a quick run on the 100 MB capture
#   bench/run.sh --skip-tshark        # without tshark (its 1 GB runs take minutes and ~1.7 GiB)
#   bench/run.sh --runs 3             # each command 3 times: best wall time, max RSS (for a noisy machine)
#
# Measures wall time, CPU time (user+sys) and max RSS of every command with /usr/bin/time -v, output to
# /dev/null, page cache warm. Prints a markdown table with ratios and pass/fail per target and writes it to
# bench/out/latest.md. A wirewatch command that does not exist yet is reported as n/a, not as a failure.
# See docs/benchmarks.md.
#
# Environment: PCAPGEN_SRC (default ../shared/bench/pcapgen), BENCH_DIR (default /tmp, where the captures
# go), BENCH_BIN (default /tmp/wirewatch-bench), BENCH_FILTER (the three-clause filter).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE=1GB
SKIP_TSHARK=0
RUNS=1
while (($#)); do
  case "$1" in
  --size) SIZE=$2; shift 2 ;;
  --size=*) SIZE=${1#--size=}; shift ;;
  --skip-tshark) SKIP_TSHARK=1; shift ;;
  --runs) RUNS=$2; shift 2 ;;
  -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
  *) echo "bench: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
case "${SIZE^^}" in
1GB) SIZE=1GB ;;
100MB) SIZE=100MB ;;
*) echo "bench: --size must be 1GB or 100MB" >&2; exit 2 ;;
esac

PCAPGEN_SRC="${PCAPGEN_SRC:-$ROOT/../shared/bench/pcapgen}"
BENCH_DIR="${BENCH_DIR:-/tmp}"
BIN="${BENCH_BIN:-/tmp/wirewatch-bench}"
FILTER="${BENCH_FILTER:-tcp.port == 443 && frame.len > 100 && ip.ttl >= 32}"
# three clauses on real protocol fields that every packet passes: the output stays the same as plain read, so
# the difference is the cost of evaluating the filter
FILTER_ALL="${BENCH_FILTER_ALL:-frame.len > 0 && !(tcp.port == 1) && !(ip.ttl == 0)}"
OUTDIR="$ROOT/bench/out"
GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
TIME=/usr/bin/time
F1G="$BENCH_DIR/bench-1g.pcap"
F100M="$BENCH_DIR/bench-100m.pcap"

say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

[[ -x $TIME ]] || { echo "bench: /usr/bin/time missing; apt-get install time" >&2; exit 2; }
mkdir -p "$BIN" "$OUTDIR"

say "building wirewatch"
(cd "$ROOT" && CGO_ENABLED=0 "$GO" build -o "$BIN/wirewatch" ./cmd/wirewatch) || { echo "bench: build failed" >&2; exit 1; }
WW="$BIN/wirewatch"

gen() { # gen FILE SIZE
  [[ -s $1 ]] && return 0
  if [[ ! -x $BIN/pcapgen ]]; then
    say "building pcapgen from $PCAPGEN_SRC"
    (cd "$PCAPGEN_SRC" && "$GO" build -o "$BIN/pcapgen" .) || { echo "bench: cannot build pcapgen" >&2; exit 1; }
  fi
  say "generating $1 ($2, seed 1)"
  "$BIN/pcapgen" -seed 1 -size "$2" -pcap "$1.tmp" >/dev/null && mv "$1.tmp" "$1"
}
gen "$F100M" 100MB
[[ $SIZE == 1GB ]] && gen "$F1G" 1GB
F=$F100M
[[ $SIZE == 1GB ]] && F=$F1G

# ---- measuring -----------------------------------------------------------------------------------------
declare -A WALL CPU RSS STATUS

# measure KEY CMD... : runs CMD $RUNS times with output to /dev/null and keeps the best wall time (with that
# run's CPU time) and the largest max RSS; STATUS is ok, or n/a / error with a reason
measure() {
  local key=$1; shift
  local tv err i
  tv=$(mktemp) err=$(mktemp)
  say "$key: $*"
  for ((i = 0; i < RUNS; i++)); do
    $TIME -v -o "$tv" "$@" >/dev/null 2>"$err"
    local rc=$?
    if ((rc != 0)); then
      local why
      why=$(grep -v '^\s*$' "$err" | grep -v '^Command exited' | head -1 | cut -c1-80 | tr '|' '/')
      if grep -qiE 'unknown (command|flag|option|subcommand)|not (yet )?(implemented|supported)|usage' "$err" || ((rc == 2)); then
        STATUS[$key]="n/a ($why)"
      else
        STATUS[$key]="error (exit $rc: $why)"
      fi
      say "  -> ${STATUS[$key]}"
      rm -f "$tv" "$err"
      return
    fi
    local el us sy kb w c m
    el=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$tv")
    us=$(awk -F': ' '/User time/{print $2}' "$tv")
    sy=$(awk -F': ' '/System time/{print $2}' "$tv")
    kb=$(awk -F': ' '/Maximum resident set size/{print $2}' "$tv")
    w=$(awk -v t="$el" 'BEGIN{n=split(t,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}')
    c=$(awk -v u="$us" -v s="$sy" 'BEGIN{printf "%.2f", u+s}')
    m=$(awk -v k="$kb" 'BEGIN{printf "%.0f", k/1024}')
    say "  -> $w s wall, $c s CPU, $m MiB"
    if ((i == 0)) || awk -v a="$w" -v b="${WALL[$key]}" 'BEGIN{exit !(a < b)}'; then
      WALL[$key]=$w
      CPU[$key]=$c
    fi
    if ((i == 0)) || ((m > RSS[$key])); then RSS[$key]=$m; fi
  done
  STATUS[$key]=ok
  rm -f "$tv" "$err"
}

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$F" >/dev/null # warm the page cache
[[ $SIZE == 1GB ]] && cat "$F100M" >/dev/null

FIELDS=(-T fields -e frame.number -e ip.src -e tcp.srcport)
measure ww_fields "$WW" read "${FIELDS[@]}" "$F"
measure ww_text "$WW" read "$F"
measure ww_filter "$WW" read -Y "$FILTER" "$F"
measure ww_filter_all "$WW" read -Y "$FILTER_ALL" "$F"
measure ww_expert "$WW" stats expert "$F"
[[ $SIZE == 1GB ]] && measure ww_expert_100m "$WW" stats expert "$F100M"
measure ww_diagnose "$WW" diagnose "$F"
measure tcpdump tcpdump -nn -r "$F"
if ((SKIP_TSHARK)); then
  STATUS[ts_fields]="skipped (--skip-tshark)"
  STATUS[ts_expert]="skipped (--skip-tshark)"
else
  measure ts_fields tshark -n -r "$F" "${FIELDS[@]}"
  measure ts_expert tshark -n -q -z expert -r "$F"
fi

# ---- the table -----------------------------------------------------------------------------------------
ok() { [[ ${STATUS[$1]:-} == ok ]]; }
cell() { ok "$1" && printf '%s s / %s s / %s MiB' "${WALL[$1]}" "${CPU[$1]}" "${RSS[$1]}" || printf '%s' "${STATUS[$1]:-n/a}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b <= 0) b = 0.01; printf "%.2f", a/b }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN{ ok = (op == ">=") ? (v >= t) : (v <= t); print ok ? "pass" : "FAIL" }'; }

ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 | ${7:-} | $5 | $6 |"); }

# speed target: wirewatch KEY vs reference KEY, wall time ratio ref/ww >= N
speed() { # speed LABEL WWKEY REFKEY REFLABEL N
  if ok "$2" && ok "$3"; then
    local r
    r=$(ratio "${WALL[$3]}" "${WALL[$2]}")
    rc=$(ratio "${CPU[$3]}" "${CPU[$2]}")
    row "$1" "$(cell "$2")" "$4: $(cell "$3")" "${r}×" "≥ $5×" "$(verdict "$r" '>=' "$5")" "${rc}×"
  else
    row "$1" "$(cell "$2")" "$4: $(cell "$3")" "–" "≥ $5×" "n/a"
  fi
}
rss() { # rss LABEL KEY MIB
  if ok "$2"; then
    row "$1" "$(cell "$2")" "" "${RSS[$2]} MiB" "≤ $3 MiB" "$(verdict "${RSS[$2]}" '<=' "$3")"
  else
    row "$1" "$(cell "$2")" "" "–" "≤ $3 MiB" "n/a"
  fi
}

speed "read -T fields -e frame.number -e ip.src -e tcp.srcport" ww_fields ts_fields "tshark" 10
rss "read -T fields: max RSS" ww_fields 64
speed "read (text) vs tcpdump -nn -r" ww_text tcpdump "tcpdump" 2
rss "read (text): max RSS" ww_text 64
filt() { # filt LABEL KEY: filtered read against plain read, added wall time
  if ok "$2" && ok ww_text; then
    local r rc added addc
    r=$(ratio "${WALL[$2]}" "${WALL[ww_text]}")
    rc=$(ratio "${CPU[$2]}" "${CPU[ww_text]}")
    added=$(awk -v r="$r" 'BEGIN{printf "%+.0f%%", (r-1)*100}')
    addc=$(awk -v r="$rc" 'BEGIN{printf "%+.0f%%", (r-1)*100}')
    row "$1" "$(cell "$2")" "read: $(cell ww_text)" "$added" "≤ +30%" "$(verdict "$r" '<=' 1.30)" "$addc"
  else
    row "$1" "$(cell "$2")" "read: $(cell ww_text)" "–" "≤ +30%" "n/a"
  fi
}
filt "read -Y '$FILTER' (selective) vs read" ww_filter
filt "read -Y '$FILTER_ALL' (passes every packet: pure filter cost) vs read" ww_filter_all
speed "stats expert vs tshark -q -z expert" ww_expert ts_expert "tshark" 20
rss "stats expert: max RSS" ww_expert 150
if [[ $SIZE == 1GB ]]; then
  if ok ww_expert && ok ww_expert_100m; then
    r=$(ratio "${RSS[ww_expert]}" "${RSS[ww_expert_100m]}")
    row "stats expert: RSS 1 GB / RSS 100 MB" "${RSS[ww_expert]} MiB" "100 MB: $(cell ww_expert_100m)" "${r}×" "≤ 1.5×" "$(verdict "$r" '<=' 1.5)"
  else
    row "stats expert: RSS 1 GB / RSS 100 MB" "$(cell ww_expert)" "100 MB: $(cell ww_expert_100m)" "–" "≤ 1.5×" "n/a"
  fi
else
  row "stats expert: RSS 1 GB / RSS 100 MB" "" "" "–" "≤ 1.5×" "n/a (1 GB run only)"
fi
speed "diagnose vs tshark -q -z expert" ww_diagnose ts_expert "tshark" 10
rss "diagnose: max RSS" ww_diagnose 200

PKTS=$(capinfos -c -M "$F" 2>/dev/null | awk -F': *' '/Number of packets/{print $2}')
{
  echo "## wirewatch side by side ($SIZE capture)"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
    "wirewatch $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null)," \
    "$(tshark --version 2>/dev/null | head -1 | cut -d' ' -f1-3 | sed 's/ (Wireshark)//'), $(tcpdump --version 2>/dev/null | head -1)."
  echo "File: \`$F\` ($(stat -c %s "$F" | awk '{printf "%.0f MB", $1/1e6}'), ${PKTS:-?} packets, pcapgen seed 1)." \
    "Each cell: wall / CPU (user+sys) / max RSS; output to /dev/null; page cache warm;" \
    "best wall time of $RUNS run(s). Load average at the start: $LOAD."
  echo
  echo "| benchmark | wirewatch | reference | ratio (wall) | ratio (CPU) | target | result |"
  echo "|---|---|---|---:|---:|---|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee "$OUTDIR/latest.md"
