package decode

// Application-layer entry points. The transport decoders (udp.go, tcp.go) call
// these on their payload when the ports or a heuristic suggest the protocol;
// package flow calls DecodeStream on reassembled TCP data. Each returns
// whether it recognised the protocol (and then set its Present bit).

// decodeDNS dissects a DNS message; overTCP means b starts with the 2-byte length.
func (d *Decoder) decodeDNS(f *Frame, b []byte, overTCP bool) bool { return false }

// decodeHTTP dissects an HTTP/1.x request or response head from b.
func (d *Decoder) decodeHTTP(f *Frame, b []byte) bool { return false }

// decodeTLS dissects TLS records from b.
func (d *Decoder) decodeTLS(f *Frame, b []byte) bool { return false }

// appendAppInfo appends the Info column text of the highest application
// protocol present (DNS, HTTP, TLS) to dst; ok is false when none is present.
func appendAppInfo(dst []byte, f *Frame) (out []byte, ok bool) { return dst, false }
