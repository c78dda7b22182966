#!/usr/bin/env bash
# Memory under floods: builds wirewatch, generates 200,000 half-open TCP connections and 1,000,000 one-packet
# UDP flows (internal/hostile), and measures the max RSS of read, stats expert, stats summary, diagnose
# (limit 256 MiB each) and stats conv udp (limit 512 MiB; it must list the million rows) with the default
# budgets (--max-flows). Takes a few minutes; prints a markdown table. See docs/architecture.md ("Memory").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
WIREWATCH_FLOOD_RSS=1 exec go test ./internal/cli -run '^TestFloodRSS$' -count=1 -v -timeout 30m
