// Package filter implements Wireshark's display-filter language (as in
// Wireshark 4.0's wireshark-filter(4)), shaped like go/scanner + go/parser:
// a scanner producing positioned tokens, a parser producing a positioned AST,
// a separate check pass resolving names against the field registry, and
// compilation to an evaluator over decode.Frame that allocates nothing per packet.
package filter
