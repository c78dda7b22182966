#!/usr/bin/env bash
# Export benchmark: `wirewatch export --clickhouse` of the pcapgen capture into a private clickhouse-server,
# side by side with `wirewatch diagnose` on the same file, in one run (issue 14: export at most 1.5x the time of
# diagnose, RSS <= 200 MiB).
#
#   bench/export.sh                 # the 1 GB capture (generated into /tmp on first use, as bench/run.sh)
#   bench/export.sh --size 100MB    # the 100 MB capture
#   bench/export.sh --runs 3        # alternate diagnose/export 3 times: best wall time, max RSS
#
# The server (clickhouse-server, Debian's 18.16 here) gets a private config, ports and data directory in a
# temporary directory and is stopped at the end. Output: a markdown table on stdout and in
# bench/out/export-latest.md. Environment as bench/run.sh (PCAPGEN_SRC, BENCH_DIR, BENCH_BIN).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE=1GB RUNS=1
while (($#)); do
  case "$1" in
  --size) SIZE=$2; shift 2 ;;
  --runs) RUNS=$2; shift 2 ;;
  -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
  *) echo "bench: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
PCAPGEN_SRC="${PCAPGEN_SRC:-$ROOT/../shared/bench/pcapgen}"
BENCH_DIR="${BENCH_DIR:-/tmp}"
BIN="${BENCH_BIN:-/tmp/wirewatch-bench}"
GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
CH="${CLICKHOUSE_SERVER:-$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)}"
TIME=/usr/bin/time
case "${SIZE^^}" in 1GB) F="$BENCH_DIR/bench-1g.pcap" GS=1GB ;; 100MB) F="$BENCH_DIR/bench-100m.pcap" GS=100MB ;; *) echo "bench: --size 1GB or 100MB" >&2; exit 2 ;; esac
say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[[ -x $CH ]] || { echo "bench: clickhouse-server missing: apt-get install clickhouse-server" >&2; exit 2; }
[[ -x $TIME ]] || { echo "bench: /usr/bin/time missing; apt-get install time" >&2; exit 2; }
mkdir -p "$BIN" "$ROOT/bench/out"
(cd "$ROOT" && CGO_ENABLED=0 "$GO" build -o "$BIN/wirewatch" ./cmd/wirewatch) || exit 1
WW="$BIN/wirewatch"
if [[ ! -s $F ]]; then
  (cd "$PCAPGEN_SRC" && "$GO" build -o "$BIN/pcapgen" .) || exit 1
  say "generating $F"
  "$BIN/pcapgen" -seed 1 -size "$GS" -pcap "$F.tmp" >/dev/null && mv "$F.tmp" "$F"
fi

D=$(mktemp -d /tmp/wirewatch-export-bench.XXXXXX)
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HP=$(port) TP=$(port) IP=$(port)
cat >"$D/config.xml" <<XML
<yandex>
  <logger><level>warning</level><log>$D/server.log</log><errorlog>$D/server.err.log</errorlog></logger>
  <http_port>$HP</http_port><tcp_port>$TP</tcp_port><interserver_http_port>$IP</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$D/data/</path><tmp_path>$D/tmp/</tmp_path><user_files_path>$D/uf/</user_files_path>
  <format_schema_path>$D/fs/</format_schema_path>
  <users_config>$D/users.xml</users_config>
  <default_profile>default</default_profile><default_database>default</default_database>
  <mark_cache_size>67108864</mark_cache_size>
</yandex>
XML
echo '<yandex><profiles><default></default></profiles><users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users><quotas><default></default></quotas></yandex>' >"$D/users.xml"
"$CH" --config-file="$D/config.xml" >"$D/stdout.log" 2>&1 &
CHPID=$!
trap 'kill $CHPID 2>/dev/null; wait $CHPID 2>/dev/null; rm -rf "$D"' EXIT
URL="http://127.0.0.1:$HP/"
for _ in $(seq 1 100); do curl -sf "$URL?query=SELECT%201" >/dev/null && break; sleep 0.2; done
CHV=$(curl -s "$URL?query=SELECT%20version()")
say "clickhouse-server $CHV on $URL"

declare -A WALL RSS
measure() { # measure KEY CMD...
  local key=$1; shift
  local tv; tv=$(mktemp)
  $TIME -v -o "$tv" "$@" >/dev/null 2>"$D/$key.err" || { say "$key failed: $(tail -1 "$D/$key.err")"; exit 1; }
  local el kb w m
  el=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$tv")
  kb=$(awk -F': ' '/Maximum resident set size/{print $2}' "$tv")
  w=$(awk -v t="$el" 'BEGIN{n=split(t,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}')
  m=$(awk -v k="$kb" 'BEGIN{printf "%.0f", k/1024}')
  say "$key: $w s, $m MiB"
  if [[ -z ${WALL[$key]:-} ]] || awk -v a="$w" -v b="${WALL[$key]}" 'BEGIN{exit !(a < b)}'; then WALL[$key]=$w; fi
  if [[ -z ${RSS[$key]:-} ]] || ((m > RSS[$key])); then RSS[$key]=$m; fi
  rm -f "$tv"
}
cat "$F" >/dev/null
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
for ((i = 0; i < RUNS; i++)); do
  measure diagnose "$WW" diagnose --format json "$F"
  measure export "$WW" export --clickhouse "$URL" --sensor bench "$F"
done
ROWS=$(grep -o '[0-9]* connections.*stalls' "$D/export.err" | tail -1)
q() { curl -s "$URL" --data-binary "$1"; }
CONNS=$(q "SELECT count() FROM wirewatch.connections FINAL")
RATIO=$(awk -v a="${WALL[export]}" -v b="${WALL[diagnose]}" 'BEGIN{printf "%.2f", a/b}')
pf() { awk -v v="$1" -v l="$2" 'BEGIN{print (v <= l) ? "pass" : "FAIL"}'; }
{
  echo "## wirewatch export vs diagnose ($(basename "$F"), $(date -u +%Y-%m-%dT%H:%MZ), load $LOAD, runs $RUNS, clickhouse-server $CHV)"
  echo
  echo "| measure | diagnose | export --clickhouse | ratio | target | result |"
  echo "|---|---|---|---|---|---|"
  echo "| wall time | ${WALL[diagnose]} s | ${WALL[export]} s | ${RATIO}x | <= 1.5x | $(pf "$RATIO" 1.5) |"
  echo "| max RSS | ${RSS[diagnose]} MiB | ${RSS[export]} MiB | | <= 200 MiB | $(pf "${RSS[export]}" 200) |"
  echo
  echo "Rows written: $ROWS; connections in ClickHouse (FINAL): $CONNS."
} | tee "$ROOT/bench/out/export-latest.md"
