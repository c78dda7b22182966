package detail

import "github.com/wirewatch/wirewatch/decode"

func init() { Register(decode.ProtoSSH, buildSSH) }

// buildSSH is Wireshark's SSH tree for the version banner and encrypted
// packets, with the generated direction; cleartext binary packets (key
// exchange) show only the title and direction so far.
func buildSSH(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	d = d[:n]
	s := &b.Frame.SSH
	b.Open("ssh", 0, n, "SSH Protocol")
	defer b.Close()
	switch {
	case s.Banner != nil:
		b.Add("ssh.protocol", 0, len(s.Banner), "Protocol: "+Esc(s.Banner))
	case s.Encrypted && !s.AEAD && n >= 4:
		b.Add("ssh.packet_length_encrypted", 0, 4, "Packet Length (encrypted): "+HexBytes(d[:4]))
		if n > 4 {
			b.Add("ssh.encrypted_packet", 4, n-4, "Encrypted Packet: "+BytesLabel(d[4:]))
		}
	}
	dir := "client-to-server"
	if s.Server {
		dir = "server-to-client"
	}
	b.Gen("ssh.direction", "Direction: %s", dir)
}
