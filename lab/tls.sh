#!/usr/bin/env bash
# HTTPS with key logs (docs/lab.md, "TLS with key logs"): a Go HTTPS server (lab/tlslab, HTTP/1.1 and HTTP/2,
# one URI that thinks 2 s) in network namespace tls-srv, clients (lab/tlslab on Go's crypto/tls, curl on
# OpenSSL) in tls-cli, a veth pair between them with offloads off, tcpdump on the client's side. The server
# writes every session's secrets (SSLKEYLOGFILE format); each capture is kept with its key log:
# OUT/<name>.pcapng and OUT/<name>.keys.
#
#   sudo lab/tls.sh              # every capture
#   sudo lab/tls.sh tls13-chacha20-h2 https-slow-h1
#   sudo lab/tls.sh --list
#
# Needs root, iproute2, ethtool, tcpdump, curl (with nghttp2), tshark (the check) and Go. OUT defaults to
# testdata/tls of this repository, WORK to /tmp/wirewatch-tlslab.
set -euo pipefail

LAB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$LAB")"
OUT="${OUT:-$REPO/testdata/tls}"
WORK="${WORK:-/tmp/wirewatch-tlslab}"
CLI=tls-cli SRV=tls-srv
CIP=10.77.0.1 SIP=10.77.0.2
HOST=shop.tls-lab.example
BASE=https://$HOST
ALL=(tls12-rsa-aes128gcm-h1 tls12-ecdsa-aes256gcm-h2 tls12-rsa-chacha20-h1 tls12-ecdsa-chacha20-h2
  tls13-aes128gcm-h2 tls13-aes256gcm-h1 tls13-chacha20-h2 https-slow-h1 https-slow-h2
  tls12-rsa-aes128cbc-h1 tls12-openssl-aes256cbc-etm https-slow-h2-mux tls13-openssl-keyupdate
  chromium-h2)

down() {
  ip netns pids $SRV 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns pids $CLI 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns del $CLI 2>/dev/null || true
  ip netns del $SRV 2>/dev/null || true
}

up() {
  down
  ip netns add $CLI
  ip netns add $SRV
  ip link add tls-c0 netns $CLI type veth peer name tls-s0 netns $SRV
  ip -n $CLI addr add $CIP/24 dev tls-c0
  ip -n $SRV addr add $SIP/24 dev tls-s0
  for ns in $CLI $SRV; do
    ip -n $ns link set lo up
    dev=tls-c0; [ $ns = $SRV ] && dev=tls-s0
    ip -n $ns link set $dev up
    ip netns exec $ns ethtool -K $dev tso off gso off gro off tx off rx off >/dev/null
    ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  done
}

# curl_ [OPTIONS...] URL...: one connection for all the URLs, bodies discarded.
curl_() {
  local a=()
  for x in "$@"; do case $x in https:*) a+=(-o /dev/null "$x") ;; *) a+=("$x") ;; esac; done
  ip netns exec $CLI curl -sS -k -w '%{http_version} %{http_code} %{url_effective}\n' --resolve $HOST:443:$SIP "${a[@]}"
}
get_() { ip netns exec $CLI "$WORK/tlslab" get -connect $SIP:443 "$@"; }

# run NAME SERVER-ARGS -- CLIENT-COMMAND...
run() {
  local name=$1; shift
  local sargs=()
  while [ "$1" != -- ]; do sargs+=("$1"); shift; done
  shift
  rm -f "$WORK/$name.keys" "$WORK/$name.pcapng"
  ip netns exec $SRV "$WORK/tlslab" serve -addr $SIP:443 -keylog "$WORK/$name.keys" "${sargs[@]}" &
  local srv=$!
  sleep 0.5
  ip netns exec $CLI tcpdump -q -i tls-c0 -s 0 -w "$WORK/$name.pcapng" --immediate-mode 2>/dev/null &
  local dump=$!
  sleep 1
  "$@"
  sleep 0.5
  kill $dump; wait $dump || true
  kill $srv; wait $srv 2>/dev/null || true
  check "$name"
}

# check NAME: the capture must decrypt with its key log (tshark finds HTTP or HTTP/2 in it); keep both.
check() {
  local name=$1 n
  n=$(tshark -n -o tls.keylog_file:"$WORK/$name.keys" -r "$WORK/$name.pcapng" -Y 'http || http2' 2>/dev/null | wc -l)
  if [ "$n" -eq 0 ]; then echo "$name: tshark decrypts nothing" >&2; exit 1; fi
  cp "$WORK/$name.pcapng" "$WORK/$name.keys" "$OUT/"
  echo "$name: $(stat -c %s "$OUT/$name.pcapng") bytes, $n HTTP frames decrypted by tshark"
}

page=("$BASE/" "$BASE/static/app.js" "$BASE/static/site.css" "$BASE/missing" "$BASE/big.bin")

s12() { local s=$1; shift; run "$N" -max 1.2 -suite "$s" -- "$@"; }
s_tls12-rsa-aes128gcm-h1()   { s12 ECDHE-RSA-AES128-GCM-SHA256 get_ -suite ECDHE-RSA-AES128-GCM-SHA256 "${page[@]}"; }
s_tls12-ecdsa-aes256gcm-h2() { s12 ECDHE-ECDSA-AES256-GCM-SHA384 get_ -h2 -parallel -suite ECDHE-ECDSA-AES256-GCM-SHA384 "${page[@]}"; }
s_tls12-rsa-chacha20-h1()    { s12 ECDHE-RSA-CHACHA20-POLY1305 curl_ --http1.1 --ciphers ECDHE-RSA-CHACHA20-POLY1305 "${page[@]}"; }
s_tls12-ecdsa-chacha20-h2()  { s12 ECDHE-ECDSA-CHACHA20-POLY1305 curl_ --http2 --ciphers ECDHE-ECDSA-CHACHA20-POLY1305 "${page[@]}"; }
s_tls13-aes128gcm-h2()       { run $1 -- get_ -h2 "${page[@]}"; }
s_tls13-aes256gcm-h1()       { run $1 -- curl_ --http1.1 --tls13-ciphers TLS_AES_256_GCM_SHA384 "${page[@]}"; }
s_tls13-chacha20-h2()        { run $1 -- curl_ --http2 --tls13-ciphers TLS_CHACHA20_POLY1305_SHA256 "${page[@]}"; }
s_tls12-rsa-aes128cbc-h1()   { s12 ECDHE-RSA-AES128-SHA curl_ --http1.1 --tls-max 1.2 --ciphers ECDHE-RSA-AES128-SHA "${page[@]}"; }
# OpenSSL's s_server (-www: an HTTP/1.0 status page, the body runs to the close) negotiates encrypt_then_mac
# for CBC suites, which Go's server does not; it writes the key log itself.
s_tls12-openssl-aes256cbc-etm() {
  local name=$1
  openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=$HOST" -days 1 -keyout "$WORK/ossl.key" -out "$WORK/ossl.crt" 2>/dev/null
  rm -f "$WORK/$name.keys"
  ip netns exec $SRV openssl s_server -quiet -accept 443 -www -cert "$WORK/ossl.crt" -key "$WORK/ossl.key" \
    -tls1_2 -cipher ECDHE-RSA-AES256-SHA384 -keylogfile "$WORK/$name.keys" >/dev/null 2>&1 &
  local srv=$!
  sleep 0.5
  ip netns exec $CLI tcpdump -q -i tls-c0 -s 0 -w "$WORK/$name.pcapng" --immediate-mode 2>/dev/null &
  local dump=$!
  sleep 1
  curl_ --http1.1 "$BASE/" "$BASE/"
  sleep 0.5
  kill $dump; wait $dump || true
  kill $srv; wait $srv 2>/dev/null || true
  check "$name"
}
# A real browser: headless Chromium (its own TLS stack, BoringSSL, and HTTP/2 with its HPACK and priorities)
# loads a page whose style sheet, script, image and API call (2 s) come over one connection; it writes the
# key log itself (SSLKEYLOGFILE), which is the one kept.
s_chromium-h2() {
  local name=$1 srv dump
  rm -f "$WORK/$name.keys" "$WORK/$name.srv.keys"
  ip netns exec $SRV "$WORK/tlslab" serve -addr $SIP:443 -keylog "$WORK/$name.srv.keys" &
  srv=$!
  sleep 0.5
  ip netns exec $CLI tcpdump -q -i tls-c0 -s 0 -w "$WORK/$name.pcapng" --immediate-mode 2>/dev/null &
  dump=$!
  sleep 1
  ip netns exec $CLI env SSLKEYLOGFILE="$WORK/$name.keys" HOME="$WORK" chromium --headless --no-sandbox \
    --disable-gpu --ignore-certificate-errors --host-resolver-rules="MAP $HOST $SIP" --virtual-time-budget=6000 \
    --disable-quic --no-first-run --disable-background-networking --disable-component-update \
    --user-data-dir="$WORK/chromium-profile" --dump-dom "$BASE/page.html" >/dev/null 2>&1 || true
  sleep 0.5
  kill $dump; wait $dump || true
  kill $srv; wait $srv 2>/dev/null || true
  check "$name"
}

# TLS 1.3 key updates: openssl s_client sends a KeyUpdate asking for one back ("K" on its input) before
# its request, so both directions change keys mid-connection.
s_tls13-openssl-keyupdate() {
  local name=$1
  openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=$HOST" -days 1 -keyout "$WORK/ossl.key" -out "$WORK/ossl.crt" 2>/dev/null
  rm -f "$WORK/$name.keys"
  ip netns exec $SRV openssl s_server -quiet -accept 443 -www -cert "$WORK/ossl.crt" -key "$WORK/ossl.key" \
    -tls1_3 -keylogfile "$WORK/$name.keys" >/dev/null 2>&1 &
  local srv=$!
  sleep 0.5
  ip netns exec $CLI tcpdump -q -i tls-c0 -s 0 -w "$WORK/$name.pcapng" --immediate-mode 2>/dev/null &
  local dump=$!
  sleep 1
  (sleep 0.3; printf 'K\n'; sleep 0.3; printf 'GET /keyupdate HTTP/1.1\r\nHost: %s\r\n\r\n' $HOST; sleep 0.5) |
    ip netns exec $CLI openssl s_client -connect $SIP:443 -servername $HOST -tls1_3 >/dev/null 2>&1 || true
  sleep 0.5
  kill $dump; wait $dump || true
  kill $srv; wait $srv 2>/dev/null || true
  check "$name"
}
slow=("$BASE/" "$BASE/static/app.js" "$BASE/api/report" "$BASE/static/site.css")
s_https-slow-h1()            { run $1 -- get_ "${slow[@]}"; }
s_https-slow-h2()            { run $1 -- get_ -h2 "${slow[@]}"; }
# the slow request shares the connection with others answered meanwhile (HTTP/2 streams at once)
s_https-slow-h2-mux()        { run $1 -- get_ -h2 -parallel "$BASE/" "$BASE/api/report" "$BASE/static/app.js" "$BASE/static/site.css" "$BASE/big.bin"; }

case "${1:-}" in
--list) printf '%s\n' "${ALL[@]}"; exit 0 ;;
--down) down; exit 0 ;;
esac
[ "$(id -u)" = 0 ] || { echo "lab/tls.sh needs root" >&2; exit 1; }
mkdir -p "$WORK" "$OUT"
(cd "$REPO" && go build -o "$WORK/tlslab" ./lab/tlslab)
names=("$@"); [ ${#names[@]} -eq 0 ] && names=("${ALL[@]}")
trap down EXIT
up
for N in "${names[@]}"; do "s_$N" "$N"; done
