#!/usr/bin/env bash
# Capture benchmark: a peer namespace sends minimum-size UDP frames over veth as
# fast as it can while `wirewatch capture -w` and `tcpdump -w` capture the same
# traffic at the same time in the other namespace. Prints, for each, packets
# captured / received / dropped by the kernel and packets/s written.
#
# Usage (as root, from the repository root):
#   capture/live/bench/run.sh [SECONDS] [RUNS]
# Environment: TCPDUMP_B (tcpdump -B KiB; default: tcpdump's own default),
# WW_B (wirewatch -B KiB; default: wirewatch's), OUT (output dir; default a tmpfs).
set -euo pipefail
cd "$(dirname "$0")/../../.."
export PATH=$PATH:/usr/local/go/bin
SECS=${1:-5}
RUNS=${2:-3}
A=wwbenchA$$ B=wwbenchB$$
OUT=${OUT:-}
cleanup() {
  ip netns del $A 2>/dev/null || true
  ip netns del $B 2>/dev/null || true
  if [ -n "${MNT:-}" ]; then umount "$MNT" 2>/dev/null || true; rmdir "$MNT"; fi
  rm -rf "$BIN"
}
BIN=$(mktemp -d)
trap cleanup EXIT
if [ -z "$OUT" ]; then
  MNT=$(mktemp -d)
  mount -t tmpfs -o size=8g wwbench "$MNT"
  OUT=$MNT
fi
CGO_ENABLED=0 go build -o "$BIN/wirewatch" ./cmd/wirewatch
go build -o "$BIN/blast" capture/live/bench/blast.go

ip netns add $A; ip netns add $B
ip link add wbA$$ type veth peer name wbB$$
ip link set wbA$$ netns $A; ip link set wbB$$ netns $B
ip -n $A link set wbA$$ name veth-a address 02:66:00:00:00:01
ip -n $B link set wbB$$ name veth-b address 02:66:00:00:00:02
ip -n $A addr add 10.66.0.1/24 dev veth-a; ip -n $B addr add 10.66.0.2/24 dev veth-b
ip -n $A link set veth-a up; ip -n $B link set veth-b up
sleep 1

echo "machine: $(nproc) CPUs, $(uname -r); $SECS s per run; tcpdump -B ${TCPDUMP_B:-default}, wirewatch -B ${WW_B:-default}"
printf "%-4s %12s %12s | %-10s %12s %12s %12s %12s\n" run sent sent/s tool captured received dropped written/s
for run in $(seq 1 "$RUNS"); do
  rm -f "$OUT"/ww.pcapng "$OUT"/td.pcap
  tdB=(); [ -n "${TCPDUMP_B:-}" ] && tdB=(-B "$TCPDUMP_B")
  wwB=(); [ -n "${WW_B:-}" ] && wwB=(-B "$WW_B")
  ip netns exec $A tcpdump -n -i veth-a "${tdB[@]}" -w "$OUT/td.pcap" udp 2>"$OUT/td.err" & TD=$!
  ip netns exec $A "$BIN/wirewatch" capture -i veth-a "${wwB[@]}" -w "$OUT/ww.pcapng" udp 2>"$OUT/ww.err" & WW=$!
  for i in $(seq 300); do [ "$(grep -l 'listening on' "$OUT/td.err" "$OUT/ww.err" 2>/dev/null | wc -l)" = 2 ] && break; sleep 0.1; done
  [ "$i" = 300 ] && { echo "captures did not start:"; cat "$OUT/td.err" "$OUT/ww.err"; exit 1; }
  res=$(ip netns exec $B "$BIN/blast" -i veth-b -dst-mac 02:66:00:00:00:99 -src 10.66.0.2 -dst 10.66.0.1 -t "${SECS}s")
  sent=$(echo "$res" | awk '{print $2}'); rate=$(echo "$res" | awk '{print $7}')
  sleep 1.5  # let both drain their rings (tcpdump's block timeout is 1 s)
  tdcpu=$(awk '{print ($14+$15)/100 "s user+sys"}' /proc/$TD/stat 2>/dev/null || true)
  wwcpu=$(awk '{print ($14+$15)/100 "s user+sys"}' /proc/$WW/stat 2>/dev/null || true)
  echo "     cpu: wirewatch $wwcpu, tcpdump $tdcpu"
  kill -INT $TD $WW; wait $TD $WW || true
  for tool in wirewatch tcpdump; do
    f=$OUT/ww.err; [ $tool = tcpdump ] && f=$OUT/td.err
    c=$(grep -oE '^[0-9]+ packets? captured' "$f" | awk '{print $1}')
    r=$(grep -oE '^[0-9]+ packets? received by filter' "$f" | awk '{print $1}')
    d=$(grep -oE '^[0-9]+ packets? dropped by kernel' "$f" | awk '{print $1}')
    printf "%-4s %12s %12s | %-10s %12s %12s %12s %12.0f\n" "$run" "$sent" "$rate" $tool "$c" "$r" "$d" "$(echo "$c / $SECS" | bc -l)"
  done
  capinfos -c "$OUT/ww.pcapng" | grep "Number of packets" | sed 's/^/     wirewatch file: /'
done
