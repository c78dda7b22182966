// Package field is the registry of Wireshark field names (ip.src, tcp.flags,
// tcp.analysis.retransmission, ...): each field's type, description and an
// accessor that reads its occurrences out of a decode.Frame. Columns, `-e`,
// JSON output and display filters all resolve names here.
//
// Cost: the registry is built once as an immutable value. Accessors append to
// a caller-owned []Value and allocate nothing.
package field
