// Package flow tracks TCP and UDP conversations with Wireshark's stream
// numbering, computes relative sequence numbers and the tcp.analysis.*
// conditions, and reassembles each direction's byte stream.
//
// Cost: state is per live connection; idle connections expire by packet
// timestamps, so memory follows live connections, not capture size.
package flow
