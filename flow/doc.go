// Package flow tracks TCP and UDP conversations as Wireshark 4.0 does and
// fills decode.Frame.Analysis: tcp.stream / udp.stream numbering (with port
// reuse), relative sequence numbers, the calculated window, tcp.completeness,
// per-stream times, the tcp.analysis.* expert conditions with
// duplicate-ACK numbering, ack_rtt, iRTT and bytes in flight, and a
// Zeek-style conn_state and history per connection (ConnSummary).
//
// It also reassembles each direction's byte stream (Config.OnData, used by
// follow: retransmissions and overlaps removed, out-of-order segments held
// up to Config.MaxBuffered, gaps reported, never glued) and feeds
// decode.AppStream so HTTP, TLS and DNS messages spanning segments are
// decoded on the frame that completes them (Config.Decoder).
//
// Cost: Process allocates nothing per packet once a connection exists; a
// new connection costs a few hundred bytes (pooled). Connections expire by
// packet timestamps (2 s after FIN/RST, 5 s idle by default) and leave a
// tomb of about 100 bytes, kept Config.TombTimeout, so a later packet keeps
// the stream number and relative numbering Wireshark would show. Memory
// therefore follows the live connections, not the capture size.
package flow
