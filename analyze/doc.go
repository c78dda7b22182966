// Package analyze interprets conversations: transactions (TCP connect, DNS,
// HTTP, TLS handshakes), stalls inside connections, and the correlation of each
// stall with what the waiting host did meanwhile, producing diagnosis findings.
package analyze
