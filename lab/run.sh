#!/usr/bin/env bash
# The wirewatch lab: reproduces classic "the network is slow" root causes between real Linux TCP/IP stacks in
# network namespaces, captures each on the client LAN like a hub port, and writes examples/<name>.pcapng plus
# examples/<name>.truth.json (see docs/lab.md).
#
#   sudo lab/run.sh                 # every scenario
#   sudo lab/run.sh fail-open http  # some of them
#   sudo lab/run.sh --list          # names
#   sudo lab/run.sh --down          # remove the lab (namespaces, processes it started)
#
# Needs root, iproute2, iptables, ethtool, tcpdump, tshark/editcap (wireshark-common) and python3.
# Environment: OUT (default: examples/ of this repository), SUFFIX (appended to the output names, for variants), WORK (default: /tmp/wirewatch-lab), KEEP=1 keeps the lab up,
# CAPTURER=wirewatch captures with 'wirewatch capture' instead of tcpdump (WIREWATCH=path, else built into WORK;
# LIVE_DIAGNOSE=1 adds --diagnose and keeps its report in WORK/<scenario>/live-diagnose.txt),
# and the knobs below (FILTER_HOST, FILTER_PORT, AGENT_TIMEOUT, DNS_TIMEOUT, ...) to make variants.
set -euo pipefail

LAB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$LAB")"
OUT="${OUT:-$REPO/examples}"
WORK="${WORK:-/tmp/wirewatch-lab}"
PY=/usr/bin/python3
W="$PY $LAB/wwlab.py"

ALL_SCENARIOS=(http fail-open fail-open-arp tls-ocsp dns-server-timeout packet-loss server-think-time connection-refused
  middlebox-reset syn-retransmission pmtu-blackhole zero-window hostile-http office-mix dual-stack ipv6-broken
  nagle-delayed-ack dns-slow window-limited tls-crl)

NSP=${NSP:-ww}                        # namespace prefix: NSP=diaglab gives diaglab-lan, diaglab-c1, ...
NS_CLIENTS=($NSP-c1 $NSP-c2 $NSP-c3 $NSP-c4)
NS_ALL=($NSP-lan "${NS_CLIENTS[@]}" $NSP-rtr $NSP-dc $NSP-wan $NSP-isp $NSP-srv)

# ---- addresses (deliberately different from ../shared/scenarios) ----------------------------------------
LAN_NET=192.168.77
GW=$LAN_NET.1
declare -A CLIENT_IP=([$NSP-c1]=$LAN_NET.11 [$NSP-c2]=$LAN_NET.12 [$NSP-c3]=$LAN_NET.13 [$NSP-c4]=$LAN_NET.14)
declare -A CLIENT_MAC=([$NSP-c1]=a4:bb:6d:5e:10:11 [$NSP-c2]=70:85:c2:3f:20:12 [$NSP-c3]=d8:bb:c1:0a:30:13
  [$NSP-c4]=b0:7b:25:66:40:14)
declare -A CLIENT_PC=([$NSP-c1]=PC-DORA [$NSP-c2]=PC-EMIL [$NSP-c3]=PC-FRIDA [$NSP-c4]=PC-GUNNAR)
RTR_MAC=00:1b:21:77:00:01
DNS1=172.16.9.53
DNS2=172.16.9.54
RELAY=172.16.9.25
INTRANET=172.16.9.80
WWW=198.18.40.10
CDN=198.18.41.20
APP=198.19.7.7
MX=198.18.25.25
OCSP=198.18.99.9
OCSP_TIMEOUT=${OCSP_TIMEOUT:-5}    # tls-ocsp: seconds the client's TLS stack waits for the OCSP responder
DL=198.19.80.80
# knobs for variants (defaults make the committed examples):
FILTER=${FILTER_HOST:-10.99.8.20}    # inside 10.99.0.0/16, which the router drops
FILTER_PORT=${FILTER_PORT:-9090}
AGENT_TIMEOUT=${AGENT_TIMEOUT:-2}  # fail-open: seconds the agent waits for the filter server
DNS_TIMEOUT=${DNS_TIMEOUT:-3}      # resolv.conf options timeout:N
THINK_SEARCH=${THINK_SEARCH:-1.5}  # server-think-time: seconds for /api/v1/search
THINK_REPORT=${THINK_REPORT:-2.5}  # and for /api/v1/report
REFUSED_PORT=${REFUSED_PORT:-8443} # connection-refused: the closed port
LOSS=${LOSS:-0.05}                 # packet-loss: downstream loss probability of large packets
SEED=${SEED:-7}                    # packet-loss: the emulator's random seed
TUNNEL_MTU=${TUNNEL_MTU:-1400}     # pmtu-blackhole: MTU of the WAN link
# IPv6 (only the scenarios that call v6_up have it): the LAN's /64, the web servers' addresses
V6_LAN=${V6_LAN:-2001:db8:77:1}    # LAN prefix (/64): PCs ::11 .. ::14, router ::1
V6_WWW=${V6_WWW:-2001:db8:40::10}  # www / secure.northwind.example
V6_CDN=${V6_CDN:-2001:db8:41::20}  # cdn.northwind-static.example
V6_FALLBACK=${V6_FALLBACK:-2.5}    # ipv6-broken: seconds an application waits for an IPv6 connect before IPv4
NAGLE_REQUESTS=${NAGLE_REQUESTS:-25} # nagle-delayed-ack: POSTs per connection
NAGLE_BODY=${NAGLE_BODY:-180}      # and the size of each POST body
NAGLE_WAN=${NAGLE_WAN:-0}          # nagle-delayed-ack: 1 = the API server is across the WAN (app.fabrikam-portal)
DNS_SLOW=${DNS_SLOW:-0.8}          # dns-slow: seconds the slow resolver takes to answer
SLOW_DNS=${SLOW_DNS:-172.16.9.57}  # dns-slow: the slow resolver's address (data centre)
WIN_RCVBUF=${WIN_RCVBUF:-4096}     # window-limited: SO_RCVBUF of the slow downloader (its receive window ~ half)
WIN_SIZE=${WIN_SIZE:-40000}        # window-limited: bytes per download
WIN_HOST=${WIN_HOST:-files.tailspin-dl.example} # window-limited: the download server (WAN)
CRL=${CRL:-198.18.99.19}           # tls-crl: the CA's CRL distribution point (dropped by the ISP)
CRL_TIMEOUT=${CRL_TIMEOUT:-4}      # tls-crl: seconds the client's TLS stack waits for it
EXTRA_ZONE=()                      # more zone entries (AAAA records) a scenario adds
ZONE=(www.northwind.example=$WWW cdn.northwind-static.example=$CDN app.fabrikam-portal.example=$APP
  mx.contoso-partner.example=$MX files.tailspin-dl.example=$DL intranet.lab.internal=$INTRANET
  relay.lab.internal=$RELAY urlfilter.av-cloud.example=$FILTER secure.northwind.example=$WWW
  ocsp.northwind-ca.example=$OCSP)

PIDS=()

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

say() { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

need() {
  local missing=()
  for c in ip iptables ethtool tcpdump editcap tshark "$PY"; do command -v "$c" >/dev/null || missing+=("$c"); done
  if ((${#missing[@]})); then
    echo "lab: missing ${missing[*]}; on Debian: apt-get install iproute2 iptables ethtool tcpdump tshark python3" >&2
    exit 2
  fi
  [[ $(id -u) == 0 ]] || { echo "lab: run as root (network namespaces)" >&2; exit 2; }
}

stop_pids() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}

down() {
  stop_pids
  local ns p
  for ns in "${NS_ALL[@]}"; do
    if ip netns list | grep -qw "$ns"; then
      # only processes living in the lab's own namespaces (all started by this script)
      for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    fi
  done
  sleep 0.3
  for ns in "${NS_ALL[@]}"; do ip netns del "$ns" 2>/dev/null || true; rm -rf "/etc/netns/$ns"; done
}

# veth between two namespaces; offloads off so the capture shows wire-sized frames with real checksums
link() { # link NS_A IF_A NS_B IF_B [MTU]
  ip link add "$2" netns "$1" type veth peer "$4" netns "$3"
  local mtu=${5:-1500}
  nsx "$1" ip link set "$2" mtu "$mtu" up
  nsx "$3" ip link set "$4" mtu "$mtu" up
  nsx "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
  nsx "$3" ethtool -K "$4" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
}

up() {
  down
  say "building the topology"
  local ns
  for ns in "${NS_ALL[@]}"; do
    ip netns add "$ns"
    nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    nsx "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
    # the classic SYN backoff (1, 3, 7 s ...) that deployed stacks use; kernels from 6.7 on default to four
    # linear 1 s retries first (net.ipv4.tcp_syn_linear_timeouts), older ones do not have the knob
    nsx "$ns" sysctl -qw net.ipv4.tcp_syn_linear_timeouts=0 2>/dev/null || true
    nsx "$ns" ip link set lo up
  done
  # the client LAN: a bridge that floods everything (a hub), captured on the bridge itself
  nsx $NSP-lan ip link add br0 type bridge ageing_time 0 stp_state 0
  nsx $NSP-lan ip link set br0 up
  local i=0
  for ns in "${NS_CLIENTS[@]}"; do
    i=$((i + 1))
    link "$ns" eth0 $NSP-lan "p$i"
    nsx $NSP-lan ip link set "p$i" master br0
    nsx "$ns" ip link set eth0 address "${CLIENT_MAC[$ns]}"
    nsx "$ns" ip addr add "${CLIENT_IP[$ns]}/24" dev eth0
    nsx "$ns" ip route add default via $GW
    mkdir -p "/etc/netns/$ns"
    printf 'nameserver %s\nnameserver %s\noptions timeout:%s attempts:2\n' $DNS2 $DNS1 $DNS_TIMEOUT >"/etc/netns/$ns/resolv.conf"
    printf '127.0.0.1 localhost\n' >"/etc/netns/$ns/hosts"
  done
  link $NSP-rtr lan0 $NSP-lan prt
  nsx $NSP-lan ip link set prt master br0
  nsx $NSP-rtr ip link set lan0 address $RTR_MAC
  nsx $NSP-rtr ip addr add $GW/24 dev lan0
  # data centre: DNS servers, mail relay, intranet web
  link $NSP-rtr dc0 $NSP-dc eth0
  nsx $NSP-rtr ip addr add 172.16.9.1/24 dev dc0
  nsx $NSP-dc ip addr add 172.16.9.2/24 dev eth0
  for a in $DNS1 $DNS2 $RELAY $INTRANET; do nsx $NSP-dc ip addr add "$a/24" dev eth0; done
  nsx $NSP-dc ip route add default via 172.16.9.1
  # WAN: router -- wanem (userspace, L2) -- ISP router -- internet servers
  link $NSP-rtr wan0 $NSP-wan wa "${WAN_MTU:-1500}"
  link $NSP-wan wb $NSP-isp wan0 "${WAN_MTU:-1500}"
  nsx $NSP-wan ip link set wa promisc on
  nsx $NSP-wan ip link set wb promisc on
  nsx $NSP-rtr ip addr add 100.72.1.2/30 dev wan0
  nsx $NSP-isp ip addr add 100.72.1.1/30 dev wan0
  nsx $NSP-rtr ip route add default via 100.72.1.1
  link $NSP-isp srv0 $NSP-srv eth0
  nsx $NSP-isp ip addr add 100.72.2.1/24 dev srv0
  nsx $NSP-srv ip addr add 100.72.2.2/24 dev eth0
  for a in $WWW $CDN $APP $MX $DL; do nsx $NSP-srv ip addr add "$a/32" dev eth0; done
  nsx $NSP-srv ip route add default via 100.72.2.1
  nsx $NSP-isp ip route add 198.18.0.0/15 via 100.72.2.2
  nsx $NSP-isp ip route add $LAN_NET.0/24 via 100.72.1.2
  nsx $NSP-isp ip route add 172.16.9.0/24 via 100.72.1.2
  nsx $NSP-rtr sysctl -qw net.ipv4.ip_forward=1
  nsx $NSP-isp sysctl -qw net.ipv4.ip_forward=1
  # the HQ prefix behind a site-to-site VPN that is down: silently dropped (no ICMP)
  nsx $NSP-rtr iptables -A FORWARD -d 10.99.0.0/16 -j DROP
}

# v6_up NS...: dual-stack for the given client namespaces, the router, the ISP and the internet servers (static
# addresses, no router advertisements or DAD, so the capture holds only the traffic of the scenario plus the
# neighbour discovery a real dual-stack LAN has). v6_down switches IPv6 off again everywhere.
v6_up() {
  local ns
  v6on() {
    local ns=$1 ifc
    for ifc in all default $(nsx "$ns" ls /sys/class/net); do
      nsx "$ns" sysctl -qw net.ipv6.conf.$ifc.accept_ra=0 net.ipv6.conf.$ifc.router_solicitations=0 \
        net.ipv6.conf.$ifc.accept_dad=0 2>/dev/null || true
    done
    nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0
    for ifc in $(nsx "$ns" ls /sys/class/net); do nsx "$ns" sysctl -qw net.ipv6.conf.$ifc.disable_ipv6=0; done
  }
  for ns in "$@"; do
    v6on "$ns"
    nsx "$ns" ip -6 addr add "$V6_LAN::${CLIENT_IP[$ns]##*.}/64" dev eth0 nodad
    nsx "$ns" ip -6 route add default via "$V6_LAN::1"
  done
  v6on $NSP-rtr
  v6on $NSP-isp
  v6on $NSP-srv
  nsx $NSP-rtr ip -6 addr add "$V6_LAN::1/64" dev lan0 nodad
  nsx $NSP-rtr ip -6 addr add 2001:db8:ffff:1::2/64 dev wan0 nodad
  nsx $NSP-rtr ip -6 route add default via 2001:db8:ffff:1::1
  nsx $NSP-isp ip -6 addr add 2001:db8:ffff:1::1/64 dev wan0 nodad
  nsx $NSP-isp ip -6 addr add 2001:db8:ffff:2::1/64 dev srv0 nodad
  nsx $NSP-isp ip -6 route add "$V6_LAN::/64" via 2001:db8:ffff:1::2
  nsx $NSP-isp ip -6 route add default via 2001:db8:ffff:2::2
  nsx $NSP-srv ip -6 addr add 2001:db8:ffff:2::2/64 dev eth0 nodad
  nsx $NSP-srv ip -6 addr add "$V6_WWW/128" dev eth0 nodad
  nsx $NSP-srv ip -6 addr add "$V6_CDN/128" dev eth0 nodad
  nsx $NSP-srv ip -6 route add default via 2001:db8:ffff:2::1
  nsx $NSP-rtr sysctl -qw net.ipv6.conf.all.forwarding=1
  nsx $NSP-isp sysctl -qw net.ipv6.conf.all.forwarding=1
  EXTRA_ZONE=(www.northwind.example=$V6_WWW secure.northwind.example=$V6_WWW cdn.northwind-static.example=$V6_CDN)
  sleep 1.5 # the MLD reports of the new addresses, before the capture starts
}

v6_down() {
  local ns
  for ns in "${NS_ALL[@]}"; do
    nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    for ifc in $(nsx "$ns" ls /sys/class/net); do nsx "$ns" sysctl -qw net.ipv6.conf.$ifc.disable_ipv6=1; done
  done
  EXTRA_ZONE=()
}

# a self-signed certificate for the lab's web names, and HTTPS servers on port 443 of the given addresses
https_servers() { # NS ADDR...
  local ns=$1 a
  shift
  [[ -s $SDIR/web-cert.pem ]] || openssl req -x509 -newkey rsa:2048 -nodes -keyout "$SDIR/web-key.pem" \
    -out "$SDIR/web-cert.pem" -days 30 -subj "/CN=www.northwind.example" -addext \
    "subjectAltName=DNS:www.northwind.example,DNS:secure.northwind.example,DNS:cdn.northwind-static.example,DNS:intranet.lab.internal" \
    2>/dev/null
  for a in "$@"; do spawn nsx "$ns" $W http --bind "$a" --port 443 --tls "$SDIR/web-cert.pem,$SDIR/web-key.pem"; done
}

spawn() { if [[ $1 == nsx ]]; then shift; ip netns exec "$@" & else "$@" & fi; PIDS+=($!); }

start_wanem() { # extra wanem flags
  spawn nsx $NSP-wan $W wanem --a wa --b wb --delay-ms 14 --jitter-ms 1 --stats "$SDIR/wanem.json" "$@"
}

start_servers() { # [http flags for the app server ...]
  local zone=() z
  for z in "${ZONE[@]}" "${EXTRA_ZONE[@]}"; do zone+=(--zone "$z"); done
  spawn nsx $NSP-dc $W dns --bind $DNS1 "${zone[@]}"
  spawn nsx $NSP-dc $W dns --bind $DNS2 "${zone[@]}"
  spawn nsx $NSP-dc $W http --bind $INTRANET
  spawn nsx $NSP-dc $W smtp --bind $RELAY --name relay.lab.internal
  spawn nsx $NSP-srv $W http --bind $WWW
  spawn nsx $NSP-srv $W http --bind $CDN
  spawn nsx $NSP-srv $W http --bind $DL
  spawn nsx $NSP-srv $W smtp --bind $MX --name mx.contoso-partner.example
  spawn nsx $NSP-srv $W http --bind $APP "$@"
  sleep 0.8
}

CAP_PID=
capture_start() {
  local ns
  for ns in "${NS_ALL[@]}"; do nsx "$ns" ip neigh flush all 2>/dev/null || true; done
  if [[ ${CAPTURER:-tcpdump} == wirewatch ]]; then
    # wirewatch's own live capture writes pcapng directly and prints tcpdump's counters
    # (LIVE_DIAGNOSE=1 also diagnoses while capturing; the report goes to $SDIR/live-diagnose.txt)
    local diag=()
    [[ ${LIVE_DIAGNOSE:-} == 1 ]] && diag=(--diagnose --settle 5s)
    ip netns exec $NSP-lan "$WIREWATCH" capture -i br0 -q -s 2048 "${diag[@]}" -w "$SDIR/capture.pcapng" \
      2>"$SDIR/tcpdump.txt" >"$SDIR/live-diagnose.txt" &
  else
    ip netns exec $NSP-lan tcpdump -i br0 -n -s 2048 -B 16384 -U --immediate-mode --time-stamp-precision=nano \
      -w "$SDIR/capture.pcap" 2>"$SDIR/tcpdump.txt" &
  fi
  CAP_PID=$!
  local n=0
  until grep -q listening "$SDIR/tcpdump.txt" 2>/dev/null || ((n > 50)); do sleep 0.1; n=$((n + 1)); done
  sleep 0.5
}

capture_stop() {
  sleep "${1:-1.0}"
  kill -TERM "$CAP_PID" 2>/dev/null || true
  wait "$CAP_PID" 2>/dev/null || true
}

# client NS PROGRAM ARGS... : runs a client program in a client namespace, logging to $SDIR/events-NS.jsonl
client() { local ns=$1 prog=$2; shift 2; nsx "$ns" $W "$prog" --name "${CLIENT_IP[$ns]}" --log "$SDIR/events-$ns.jsonl" "$@"; }

# a short ping burst: background traffic that every LAN has
noise() { nsx "$1" ping -c "${2:-2}" -i 0.4 -q "${3:-$GW}" >/dev/null 2>&1 || true; }

PAGE=(http://www.northwind.example/ http://www.northwind.example/css/site.css
  http://www.northwind.example/js/app.js http://cdn.northwind-static.example/img/hero.jpg
  http://cdn.northwind-static.example/img/logo.png http://cdn.northwind-static.example/fonts/plex.woff2
  http://www.northwind.example/api/cart.json)

# ---- scenarios ---------------------------------------------------------------------------------------------
# Each writes $SDIR/capture.pcap and $SDIR/events-*.jsonl and a $SDIR/scenario.json that lab/truth.py reads.

meta() { # meta KEY=JSON ... : facts about the setup for the truth file
  $PY - "$SDIR/scenario.json" "$@" <<'EOF'
import json, sys
path = sys.argv[1]
try:
    d = json.load(open(path))
except Exception:
    d = {}
for kv in sys.argv[2:]:
    k, _, v = kv.partition("=")
    d[k] = json.loads(v)
json.dump(d, open(path, "w"), indent=1)
EOF
}

s_http() {
  start_wanem
  start_servers
  meta clients='["'$LAN_NET.11'"]'
  capture_start
  client $NSP-c1 browse http://www.northwind.example/
  capture_stop 0.5
}

s_fail-open() {
  start_wanem
  start_servers
  meta timeout_s=$AGENT_TIMEOUT filter='"'$FILTER'"' filter_port=$FILTER_PORT agent_client='"'$LAN_NET.11'"' \
    clients='["'$LAN_NET.11'","'$LAN_NET.12'","'$LAN_NET.13'"]'
  capture_start
  spawn noise $NSP-c3 2
  client $NSP-c1 browse --agent $FILTER:$FILTER_PORT:$AGENT_TIMEOUT "${PAGE[@]}" &
  local c1=$!
  sleep 0.6
  client $NSP-c2 browse "${PAGE[@]}"
  sleep 0.3
  client $NSP-c3 browse "${PAGE[@]}"
  wait $c1
  capture_stop
}

s_fail-open-arp() {
  # the same kind of agent on PC-EMIL, but its server is on the LAN (a licence/proxy box at .50 that is switched
  # off): the SYN never leaves the PC; the capture shows only ARP requests without a reply, and connect() fails
  # with "no route to host" when the kernel gives up resolving (3 probes, 1 s apart)
  start_wanem
  start_servers
  meta filter='"'$LAN_NET.50'"' filter_port=3128 agent_client='"'$LAN_NET.12'"' \
    clients='["'$LAN_NET.11'","'$LAN_NET.12'","'$LAN_NET.13'"]'
  capture_start
  client $NSP-c2 browse --agent $LAN_NET.50:3128:10 --conns 2 http://www.northwind.example/ \
    http://www.northwind.example/css/site.css http://cdn.northwind-static.example/img/hero.jpg \
    http://cdn.northwind-static.example/img/logo.png &
  local c2=$!
  sleep 0.5
  client $NSP-c1 browse --conns 2 http://www.northwind.example/ http://www.northwind.example/css/site.css \
    http://cdn.northwind-static.example/img/hero.jpg http://cdn.northwind-static.example/img/logo.png
  sleep 0.3
  client $NSP-c3 browse --conns 2 http://www.northwind.example/ http://cdn.northwind-static.example/img/hero.jpg
  wait $c2
  capture_stop
}

s_tls-ocsp() {
  # PC-DORA's TLS stack checks the server certificate's revocation status online before it completes the
  # handshake; the CA's OCSP responder is down (the ISP drops it silently); after the timeout it soft-fails
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$SDIR/key.pem" -out "$SDIR/cert.pem" -days 30 \
    -subj "/CN=secure.northwind.example" -addext "subjectAltName=DNS:secure.northwind.example" \
    -addext "authorityInfoAccess=OCSP;URI:http://ocsp.northwind-ca.example/" 2>/dev/null
  nsx $NSP-isp iptables -A FORWARD -d $OCSP -j DROP
  start_wanem
  start_servers
  spawn nsx $NSP-srv $W http --bind $WWW --port 443 --tls "$SDIR/cert.pem,$SDIR/key.pem"
  sleep 0.5
  meta timeout_s=$OCSP_TIMEOUT ocsp='"'$OCSP'"' ocsp_port=80 agent_client='"'$LAN_NET.11'"' \
    clients='["'$LAN_NET.11'","'$LAN_NET.12'","'$LAN_NET.13'"]'
  capture_start
  client $NSP-c1 tlsget --ocsp ocsp.northwind-ca.example:80:$OCSP_TIMEOUT https://secure.northwind.example/account \
    https://secure.northwind.example/orders &
  local c1=$!
  sleep 0.4
  client $NSP-c2 tlsget https://secure.northwind.example/account https://secure.northwind.example/orders
  client $NSP-c3 browse http://www.northwind.example/ http://www.northwind.example/css/site.css
  wait $c1
  capture_stop
  nsx $NSP-isp iptables -D FORWARD -d $OCSP -j DROP
}

s_office-mix() {
  # two problems at once on different PCs, and one PC without either: PC-DORA's agent waits on the unreachable
  # URL filter (as in fail-open), PC-EMIL's first DNS server is dead (as in dns-server-timeout), PC-FRIDA is fine
  start_wanem
  start_servers
  nsx $NSP-dc iptables -A INPUT -d $DNS1 -p udp --dport 53 -j DROP
  printf 'nameserver %s\nnameserver %s\noptions timeout:%s attempts:2\n' $DNS1 $DNS2 $DNS_TIMEOUT >/etc/netns/$NSP-c2/resolv.conf
  meta fail_open='{"timeout_s":'$AGENT_TIMEOUT',"filter":"'$FILTER'","filter_port":'$FILTER_PORT',"agent_client":"'$LAN_NET.11'","clients":["'$LAN_NET.11'","'$LAN_NET.12'","'$LAN_NET.13'"]}' \
    dns='{"timeout_s":'$DNS_TIMEOUT',"dead":"'$DNS1'","working":"'$DNS2'","clients":["'$LAN_NET.11'","'$LAN_NET.12'","'$LAN_NET.13'"]}' \
    clients='["'$LAN_NET.11'","'$LAN_NET.12'","'$LAN_NET.13'"]'
  capture_start
  client $NSP-c1 browse --agent $FILTER:$FILTER_PORT:$AGENT_TIMEOUT "${PAGE[@]}" &
  local c1=$!
  sleep 0.3
  client $NSP-c2 browse "${PAGE[@]}" &
  local c2=$!
  sleep 0.4
  client $NSP-c3 browse "${PAGE[@]}"
  wait $c1 $c2
  capture_stop
  nsx $NSP-dc iptables -D INPUT -d $DNS1 -p udp --dport 53 -j DROP
  printf 'nameserver %s\nnameserver %s\noptions timeout:%s attempts:2\n' $DNS2 $DNS1 $DNS_TIMEOUT >/etc/netns/$NSP-c2/resolv.conf
}

s_dns-server-timeout() {
  start_wanem
  start_servers
  # the first server hangs (drops every query silently); only PC-DORA lists it first
  nsx $NSP-dc iptables -A INPUT -d $DNS1 -p udp --dport 53 -j DROP
  printf 'nameserver %s\nnameserver %s\noptions timeout:%s attempts:2\n' $DNS1 $DNS2 $DNS_TIMEOUT >/etc/netns/$NSP-c1/resolv.conf
  meta timeout_s=$DNS_TIMEOUT dead='"'$DNS1'"' working='"'$DNS2'"' clients='["'$LAN_NET.11'","'$LAN_NET.12'","'$LAN_NET.13'"]'
  capture_start
  client $NSP-c1 browse http://www.northwind.example/ http://cdn.northwind-static.example/img/hero.jpg \
    http://app.fabrikam-portal.example/api/v1/status &
  local c1=$!
  sleep 0.3
  client $NSP-c2 browse http://www.northwind.example/ http://cdn.northwind-static.example/img/hero.jpg \
    http://app.fabrikam-portal.example/api/v1/status
  client $NSP-c3 browse http://www.northwind.example/ http://intranet.lab.internal/index.html
  wait $c1
  capture_stop
  printf 'nameserver %s\nnameserver %s\noptions timeout:%s attempts:2\n' $DNS2 $DNS1 $DNS_TIMEOUT >/etc/netns/$NSP-c1/resolv.conf
}

s_packet-loss() {
  start_wanem --loss-ba $LOSS --loss-ab 0.01 --loss-min-len 800 --reorder-ba 0.03 --reorder-ms 7 --seed $SEED
  start_servers
  meta size=40000 loss_ba=$LOSS loss_ab=0.01 reorder_ba=0.03 clients='["'$LAN_NET.11'","'$LAN_NET.12'","'$LAN_NET.13'"]'
  capture_start
  client $NSP-c1 browse http://files.tailspin-dl.example/big/40000 &
  local c1=$!
  sleep 0.2
  client $NSP-c2 browse http://www.northwind.example/big/40000 &
  local c2=$!
  sleep 0.2
  client $NSP-c3 browse http://intranet.lab.internal/big/40000
  wait $c1 $c2
  capture_stop
}

s_server-think-time() {
  start_wanem
  start_servers --think /api/v1/report=$THINK_REPORT --think /api/v1/search=$THINK_SEARCH
  meta think='{"/api/v1/report":'$THINK_REPORT',"/api/v1/search":'$THINK_SEARCH'}' server='"'$APP'"' \
    clients='["'$LAN_NET.11'","'$LAN_NET.12'","'$LAN_NET.13'"]'
  capture_start
  client $NSP-c1 browse --conns 2 http://app.fabrikam-portal.example/index.html \
    "http://app.fabrikam-portal.example/api/v1/search?q=q3-invoices" \
    "http://app.fabrikam-portal.example/api/v1/report?id=20931" http://app.fabrikam-portal.example/img/chart.png &
  local c1=$!
  sleep 0.2
  client $NSP-c2 browse --conns 2 http://app.fabrikam-portal.example/index.html \
    http://app.fabrikam-portal.example/img/chart.png http://app.fabrikam-portal.example/api/v1/status
  client $NSP-c3 browse http://www.northwind.example/ http://www.northwind.example/css/site.css
  wait $c1
  capture_stop
}

s_connection-refused() {
  start_wanem
  start_servers
  meta port=$REFUSED_PORT server='"'$APP'"' clients='["'$LAN_NET.11'","'$LAN_NET.12'"]'
  capture_start
  client $NSP-c1 refused --server $APP --port $REFUSED_PORT --count 4 --pause 0.7 &
  local c1=$!
  sleep 0.2
  client $NSP-c2 browse http://app.fabrikam-portal.example/index.html http://app.fabrikam-portal.example/img/chart.png
  wait $c1
  capture_stop
}

s_middlebox-reset() {
  start_wanem
  start_servers
  # a "mail security" rule on the site router resets SMTP sessions to the internet when the client says DATA,
  # answering with the server's address but the router's own TTL and timing
  nsx $NSP-rtr iptables -A FORWARD -i lan0 -p tcp --dport 25 -d 198.18.0.0/15 -m string --string "DATA" \
    --algo bm -j REJECT --reject-with tcp-reset
  meta device='"'$GW'"' server='"'$MX'"' port=25 clients='["'$LAN_NET.12'","'$LAN_NET.13'"]'
  capture_start
  client $NSP-c2 mail --server $MX --domain contoso-partner.example --count 2 --pause 1.2 &
  local c2=$!
  sleep 0.3
  client $NSP-c3 mail --server $RELAY --domain lab.internal --count 1
  wait $c2
  capture_stop
  nsx $NSP-rtr iptables -D FORWARD -i lan0 -p tcp --dport 25 -d 198.18.0.0/15 -m string --string "DATA" \
    --algo bm -j REJECT --reject-with tcp-reset
}

s_syn-retransmission() {
  start_wanem
  start_servers
  # a firewall policy (a SYN-flood guard gone wrong) drops the first SYN of every new connection from PC-DORA;
  # the retransmitted SYN of the same connection passes
  nsx $NSP-rtr iptables -I FORWARD -i lan0 -s $LAN_NET.11 -p tcp --syn -m hashlimit --hashlimit-upto 1/hour \
    --hashlimit-burst 1 --hashlimit-mode srcip,srcport,dstip,dstport --hashlimit-name firstsyn -j DROP
  meta clients='["'$LAN_NET.11'","'$LAN_NET.12'"]'
  capture_start
  client $NSP-c1 browse --conns 1 --reuse 0 http://www.northwind.example/ http://cdn.northwind-static.example/img/hero.jpg \
    http://app.fabrikam-portal.example/index.html &
  local c1=$!
  sleep 0.2
  client $NSP-c2 browse --conns 1 --reuse 0 http://www.northwind.example/ http://cdn.northwind-static.example/img/hero.jpg \
    http://app.fabrikam-portal.example/index.html
  wait $c1
  capture_stop
  nsx $NSP-rtr iptables -D FORWARD -i lan0 -s $LAN_NET.11 -p tcp --syn -m hashlimit --hashlimit-upto 1/hour \
    --hashlimit-burst 1 --hashlimit-mode srcip,srcport,dstip,dstport --hashlimit-name firstsyn -j DROP
}

s_pmtu-blackhole() {
  # the WAN is a 1400-byte tunnel; the ISP router cannot say so because its ICMP "fragmentation needed"
  # messages are filtered
  WAN_MTU=$TUNNEL_MTU up
  nsx $NSP-isp iptables -A OUTPUT -p icmp --icmp-type fragmentation-needed -j DROP
  start_wanem
  start_servers
  meta mtu=$TUNNEL_MTU clients='["'$LAN_NET.11'","'$LAN_NET.12'","'$LAN_NET.13'"]'
  capture_start
  client $NSP-c1 browse --timeout 6 http://www.northwind.example/big/24000 &
  local c1=$!
  sleep 0.2
  client $NSP-c2 browse http://www.northwind.example/big/900 &
  sleep 0.2
  client $NSP-c3 browse http://intranet.lab.internal/big/24000
  wait $c1
  capture_stop
  WAN_MTU=1500 up
}

s_zero-window() {
  start_wanem
  start_servers
  meta size=48000 clients='["'$LAN_NET.11'","'$LAN_NET.12'"]'
  capture_start
  client $NSP-c1 browse --rcvbuf 4096 --slow-read 2048:0.25 http://intranet.lab.internal/big/48000 &
  local c1=$!
  sleep 0.3
  client $NSP-c2 browse http://intranet.lab.internal/big/48000
  wait $c1
  capture_stop
}

s_hostile-http() {
  start_wanem
  start_servers --hostile --think "/search=1.5"
  meta clients='["'$LAN_NET.11'"]'
  capture_start
  client $NSP-c1 hostile --server $APP --dns $DNS2
  capture_stop
}

# ---- IPv6, Nagle and DNS scenarios (HTTP and HTTPS in each) ------------------------------------------------

PAGE6=(http://www.northwind.example/ http://www.northwind.example/css/site.css
  https://secure.northwind.example/account https://secure.northwind.example/orders
  http://cdn.northwind-static.example/img/hero.jpg http://cdn.northwind-static.example/img/logo.png
  https://secure.northwind.example/api/cart.json)

s_dual-stack() {
  # the fail-open agent on a dual-stack PC: its browser reaches the web servers over IPv6, while the agent
  # asks its URL-filter server over IPv4 (10.99.0.0/16, dropped): one machine, two addresses, one cause
  v6_up $NSP-c1 $NSP-c2
  start_wanem
  start_servers
  spawn nsx $NSP-srv $W http --bind $V6_WWW
  spawn nsx $NSP-srv $W http --bind $V6_CDN
  https_servers $NSP-srv $WWW $V6_WWW
  sleep 0.5
  meta timeout_s=$AGENT_TIMEOUT filter='"'$FILTER'"' filter_port=$FILTER_PORT agent_client='"'$LAN_NET.11'"' \
    agent_client6='"'$V6_LAN::11'"' clients='["'$LAN_NET.11'","'$LAN_NET.12'","'$LAN_NET.13'"]' \
    v6='{"'$LAN_NET.11'":"'$V6_LAN::11'","'$LAN_NET.12'":"'$V6_LAN::12'"}'
  capture_start
  client $NSP-c1 browse --family any --agent $FILTER:$FILTER_PORT:$AGENT_TIMEOUT --conns 2 "${PAGE6[@]}" &
  local c1=$!
  sleep 0.6
  client $NSP-c2 browse --family any --conns 2 "${PAGE6[@]}"
  sleep 0.3
  client $NSP-c3 browse --conns 2 "${PAGE6[@]}"
  wait $c1
  capture_stop
  v6_down
}

s_ipv6-broken() {
  # PC-DORA's IPv6 path to www (one address, both ports) silently drops SYNs (the router's IPv6 policy has no
  # rule for the PC's address); its applications connect in getaddrinfo's order, IPv6 first, give up after
  # V6_FALLBACK seconds and fall back to IPv4. PC-EMIL is dual-stack too and reaches www over IPv6; PC-FRIDA is
  # IPv4 only. PC-DORA's IPv6 to the CDN works.
  v6_up $NSP-c1 $NSP-c2
  nsx $NSP-rtr ip6tables -A FORWARD -s "$V6_LAN::11" -d "$V6_WWW" -p tcp --syn -j DROP
  start_wanem
  start_servers
  spawn nsx $NSP-srv $W http --bind $V6_WWW
  spawn nsx $NSP-srv $W http --bind $V6_CDN
  https_servers $NSP-srv $WWW $V6_WWW
  sleep 0.5
  meta timeout_s=$V6_FALLBACK server6='"'$V6_WWW'"' client='"'$LAN_NET.11'"' client6='"'$V6_LAN::11'"' \
    clients='["'$LAN_NET.11'","'$LAN_NET.12'","'$LAN_NET.13'"]' \
    v6='{"'$LAN_NET.11'":"'$V6_LAN::11'","'$LAN_NET.12'":"'$V6_LAN::12'"}'
  capture_start
  client $NSP-c1 browse --family any --fallback $V6_FALLBACK --conns 3 --reuse 0 "${PAGE6[@]}" \
    http://www.northwind.example/js/app.js &
  local c1=$!
  sleep 0.4
  client $NSP-c2 browse --family any --conns 3 --reuse 0 "${PAGE6[@]}" http://www.northwind.example/js/app.js
  sleep 0.2
  client $NSP-c3 browse --conns 3 --reuse 0 "${PAGE6[@]}" http://www.northwind.example/js/app.js
  wait $c1
  capture_stop
  nsx $NSP-rtr ip6tables -D FORWARD -s "$V6_LAN::11" -d "$V6_WWW" -p tcp --syn -j DROP
  v6_down
}

s_nagle-delayed-ack() {
  # an order-entry client on PC-DORA POSTs each request in two writes (head, then body) with Nagle on: the body
  # waits until the server ACKs the head, and the server's TCP delays that ACK (~40 ms on Linux, 200 ms on
  # Windows), so every request costs a delayed-ACK timeout. PC-EMIL runs the same client with TCP_NODELAY.
  local name=intranet.lab.internal addr=$INTRANET ns=$NSP-dc
  [[ $NAGLE_WAN == 1 ]] && name=app.fabrikam-portal.example addr=$APP ns=$NSP-srv
  start_wanem
  start_servers
  https_servers $ns $addr
  sleep 0.5
  local urls=() i
  for i in $(seq "$NAGLE_REQUESTS"); do urls+=("http://$name/api/orders/$i"); done
  for i in $(seq "$NAGLE_REQUESTS"); do urls+=("https://$name/api/stock/$i"); done
  meta client='"'$LAN_NET.11'"' server='"'$addr'"' requests=$NAGLE_REQUESTS body=$NAGLE_BODY \
    clients='["'$LAN_NET.11'","'$LAN_NET.12'"]'
  capture_start
  client $NSP-c1 browse --conns 1 --reuse 1000 --post $NAGLE_BODY --split "${urls[@]}" &
  local c1=$!
  sleep 0.3
  client $NSP-c2 browse --conns 1 --reuse 1000 --post $NAGLE_BODY --split --nodelay "${urls[@]}"
  wait $c1
  capture_stop
}

s_dns-slow() {
  # PC-DORA's resolver is a forwarder that answers every query, but only after DNS_SLOW seconds (overloaded,
  # recursing to a far-away upstream): each new name costs that much before the connection starts. The other
  # PCs use the data centre's normal resolver.
  nsx $NSP-dc ip addr add "$SLOW_DNS/24" dev eth0
  start_wanem
  start_servers
  local zone=() z
  for z in "${ZONE[@]}"; do zone+=(--zone "$z"); done
  spawn nsx $NSP-dc $W dns --bind $SLOW_DNS --delay $DNS_SLOW "${zone[@]}"
  https_servers $NSP-srv $WWW $APP
  sleep 0.5
  printf 'nameserver %s\noptions timeout:%s attempts:2\n' $SLOW_DNS $DNS_TIMEOUT >/etc/netns/$NSP-c1/resolv.conf
  meta delay_s=$DNS_SLOW slow='"'$SLOW_DNS'"' clients='["'$LAN_NET.11'","'$LAN_NET.12'","'$LAN_NET.13'"]'
  local urls=(http://www.northwind.example/ https://secure.northwind.example/account
    http://cdn.northwind-static.example/img/hero.jpg https://app.fabrikam-portal.example/api/v1/status
    http://files.tailspin-dl.example/big/2000)
  capture_start
  client $NSP-c1 browse --conns 1 "${urls[@]}" &
  local c1=$!
  sleep 0.3
  client $NSP-c2 browse --conns 1 "${urls[@]}"
  client $NSP-c3 browse --conns 1 "${urls[@]}"
  wait $c1
  capture_stop
  printf 'nameserver %s\nnameserver %s\noptions timeout:%s attempts:2\n' $DNS2 $DNS1 $DNS_TIMEOUT >/etc/netns/$NSP-c1/resolv.conf
  nsx $NSP-dc ip addr del "$SLOW_DNS/24" dev eth0
}

s_window-limited() {
  # PC-DORA's download tool sets a small socket receive buffer (SO_RCVBUF, which also switches off Linux's
  # receive-window autotuning) and reads as fast as data comes: the server may never have more than the small
  # window in flight, so every download crawls at window / round trip. PC-EMIL downloads the same files with the
  # default buffer.
  start_wanem
  start_servers
  https_servers $NSP-srv $DL $WWW
  sleep 0.5
  meta rcvbuf=$WIN_RCVBUF size=$WIN_SIZE clients='["'$LAN_NET.11'","'$LAN_NET.12'"]'
  capture_start
  client $NSP-c1 browse --conns 1 --reuse 0 --rcvbuf $WIN_RCVBUF http://$WIN_HOST/big/$WIN_SIZE https://$WIN_HOST/big/$WIN_SIZE &
  local c1=$!
  sleep 0.3
  client $NSP-c2 browse --conns 1 --reuse 0 http://$WIN_HOST/big/$WIN_SIZE https://$WIN_HOST/big/$WIN_SIZE
  wait $c1
  capture_stop
}

s_tls-crl() {
  # like tls-ocsp, but TLS 1.3 and a CRL: the certificate names a CRL distribution point; PC-DORA's TLS stack fetches
  # the CRL before it accepts the server's Finished and sends its own, the CRL server is unreachable (the ISP drops
  # it) and the stack soft-fails after CRL_TIMEOUT seconds
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$SDIR/key.pem" -out "$SDIR/cert.pem" -days 30 \
    -subj "/CN=secure.northwind.example" -addext "subjectAltName=DNS:secure.northwind.example" \
    -addext "crlDistributionPoints=URI:http://crl.northwind-ca.example/northwind-root.crl" 2>/dev/null
  nsx $NSP-isp iptables -A FORWARD -d $CRL -j DROP
  EXTRA_ZONE=(crl.northwind-ca.example=$CRL)
  start_wanem
  start_servers
  spawn nsx $NSP-srv $W http --bind $WWW --port 443 --tls "$SDIR/cert.pem,$SDIR/key.pem"
  sleep 0.5
  meta timeout_s=$CRL_TIMEOUT ocsp='"'$CRL'"' ocsp_port=80 ocsp_name='"crl.northwind-ca.example"' agent_client='"'$LAN_NET.11'"' \
    clients='["'$LAN_NET.11'","'$LAN_NET.12'","'$LAN_NET.13'"]'
  capture_start
  client $NSP-c1 tlsget --tls13 --ocsp crl.northwind-ca.example:80:$CRL_TIMEOUT https://secure.northwind.example/account \
    https://secure.northwind.example/orders https://secure.northwind.example/invoices &
  local c1=$!
  sleep 0.4
  client $NSP-c2 tlsget --tls13 https://secure.northwind.example/account https://secure.northwind.example/orders
  client $NSP-c3 browse http://www.northwind.example/ http://www.northwind.example/css/site.css
  wait $c1
  capture_stop
  nsx $NSP-isp iptables -D FORWARD -d $CRL -j DROP
  EXTRA_ZONE=()
}

run_one() {
  local name=$1 out=$1${SUFFIX:-}
  SDIR="$WORK/$out"
  rm -rf "$SDIR"
  mkdir -p "$SDIR"
  say "scenario $name"
  local t0=$SECONDS
  "s_$name"
  stop_pids
  if ! grep -q '^0 packets dropped by kernel' "$SDIR/tcpdump.txt"; then
    cat "$SDIR/tcpdump.txt" >&2
    echo "lab: tcpdump lost packets in $name; run it again on a quieter machine" >&2
    exit 1
  fi
  [[ -s $SDIR/capture.pcapng ]] || editcap -F pcapng "$SDIR/capture.pcap" "$SDIR/capture.pcapng"
  meta wall_time_s=$((SECONDS - t0)) name='"'$name'"' \
    knobs='{"FILTER_HOST":"'$FILTER'","FILTER_PORT":'$FILTER_PORT',"AGENT_TIMEOUT":'$AGENT_TIMEOUT',"DNS_TIMEOUT":'$DNS_TIMEOUT',"THINK_SEARCH":'$THINK_SEARCH',"THINK_REPORT":'$THINK_REPORT',"REFUSED_PORT":'$REFUSED_PORT',"LOSS":'$LOSS',"SEED":'$SEED',"TUNNEL_MTU":'$TUNNEL_MTU',"OCSP_TIMEOUT":'$OCSP_TIMEOUT',"V6_LAN":"'$V6_LAN'","V6_WWW":"'$V6_WWW'","V6_CDN":"'$V6_CDN'","V6_FALLBACK":'$V6_FALLBACK',"NAGLE_WAN":'$NAGLE_WAN',"NAGLE_REQUESTS":'$NAGLE_REQUESTS',"NAGLE_BODY":'$NAGLE_BODY',"DNS_SLOW":'$DNS_SLOW',"WIN_RCVBUF":'$WIN_RCVBUF',"WIN_SIZE":'$WIN_SIZE',"WIN_HOST":"'$WIN_HOST'","CRL":"'$CRL'","CRL_TIMEOUT":'$CRL_TIMEOUT',"SLOW_DNS":"'$SLOW_DNS'"}'
  cp "$SDIR/capture.pcapng" "$OUT/$out.pcapng"
  $PY "$LAB/truth.py" "$SDIR" "$OUT/$out.truth.json" "$out.pcapng"
  say "$out: $(stat -c %s "$OUT/$out.pcapng") bytes, $(capinfos -c -M "$OUT/$out.pcapng" | awk -F: '/Number of packets/{print $2}') packets"
}

main() {
  case "${1:-}" in
  --list) printf '%s\n' "${ALL_SCENARIOS[@]}"; exit 0 ;;
  --down) need; down; exit 0 ;;
  esac
  need
  local s list=("$@")
  ((${#list[@]})) || list=("${ALL_SCENARIOS[@]}")
  for s in "${list[@]}"; do
    declare -F "s_$s" >/dev/null || { echo "lab: unknown scenario $s (try --list)" >&2; exit 2; }
  done
  mkdir -p "$WORK" "$OUT"
  if [[ ${CAPTURER:-tcpdump} == wirewatch ]]; then
    WIREWATCH=${WIREWATCH:-$WORK/wirewatch}
    [[ -x $WIREWATCH ]] || (cd "$REPO" && CGO_ENABLED=0 go build -o "$WIREWATCH" ./cmd/wirewatch) ||
      { echo "lab: cannot build wirewatch for CAPTURER=wirewatch" >&2; exit 2; }
  fi
  trap 'stop_pids; [[ ${KEEP:-} == 1 ]] || down' EXIT
  up
  for s in "${list[@]}"; do run_one "$s"; done
}

main "$@"
