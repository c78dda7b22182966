package field

import "github.com/wirewatch/wirewatch/decode"

// SSH fields (Wireshark 4.0 "ssh.*"): the banner, the direction, the clear
// binary packets and the KEXINIT name-lists.

func sshOf(f *decode.Frame) *decode.SSH {
	if !f.Has(decode.ProtoSSH) {
		return nil
	}
	return &f.SSH
}

// sshPkts is a field with one occurrence per clear packet get accepts.
func sshPkts(name string, t Type, base Base, get func(p *decode.SSHPacket, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoSSH,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if s := sshOf(f); s != nil && !s.Encrypted {
				for i := range s.Pkts {
					dst = get(&s.Pkts[i], dst)
				}
			}
			return dst
		}}
}

// sshKexList is KEXINIT name-list i (as a string) or its length.
func sshKexList(name string, i int, length bool) Field {
	t := FTString
	base := BaseNone
	if length {
		t, base = FTUint32, BaseDec
	}
	return sshPkts(name, t, base, func(p *decode.SSHPacket, dst []Value) []Value {
		if p.Code != 20 {
			return dst
		}
		l := decode.SSHNameLists(p.Payload)
		if l[i] == nil {
			return dst
		}
		if length {
			return append(dst, Value{U: uint64(len(l[i]))})
		}
		return append(dst, Value{B: l[i]})
	})
}

// sshKexTail is a field of what follows the name-lists of a KEXINIT.
func sshKexTail(name string, t Type, get func(rest []byte, dst []Value) []Value) Field {
	return sshPkts(name, t, BaseDec, func(p *decode.SSHPacket, dst []Value) []Value {
		if p.Code != 20 {
			return dst
		}
		if rest, ok := decode.SSHKexTail(p.Payload); ok {
			return get(rest, dst)
		}
		return dst
	})
}

var sshFields = []Field{
	protoField("ssh", decode.ProtoSSH),
	bytesField("ssh.protocol", FTString, decode.ProtoSSH, func(f *decode.Frame) ([]byte, bool) {
		if s := sshOf(f); s != nil && s.Banner != nil {
			return s.Banner, true
		}
		return nil, false
	}),
	boolField("ssh.direction", 0, decode.ProtoSSH, func(f *decode.Frame) (bool, bool) {
		s := sshOf(f)
		return s != nil && s.Server, s != nil
	}),
	sshPkts("ssh.packet_length", FTUint32, BaseDec, func(p *decode.SSHPacket, dst []Value) []Value {
		return append(dst, Value{U: uint64(p.Len)})
	}),
	sshPkts("ssh.padding_length", FTUint8, BaseDec, func(p *decode.SSHPacket, dst []Value) []Value {
		return append(dst, Value{U: uint64(p.PadLen)})
	}),
	sshPkts("ssh.message_code", FTUint8, BaseDec, func(p *decode.SSHPacket, dst []Value) []Value {
		return append(dst, Value{U: uint64(p.Code)})
	}),
	sshPkts("ssh.cookie", FTBytes, BaseNone, func(p *decode.SSHPacket, dst []Value) []Value {
		if p.Code != 20 || len(p.Payload) < 17 {
			return dst
		}
		return append(dst, Value{B: p.Payload[1:17]})
	}),
	sshKexList("ssh.kex_algorithms", 0, false),
	sshKexList("ssh.kex_algorithms_length", 0, true),
	sshKexList("ssh.server_host_key_algorithms", 1, false),
	sshKexList("ssh.server_host_key_algorithms_length", 1, true),
	sshKexList("ssh.encryption_algorithms_client_to_server", 2, false),
	sshKexList("ssh.encryption_algorithms_client_to_server_length", 2, true),
	sshKexList("ssh.encryption_algorithms_server_to_client", 3, false),
	sshKexList("ssh.encryption_algorithms_server_to_client_length", 3, true),
	sshKexList("ssh.mac_algorithms_client_to_server", 4, false),
	sshKexList("ssh.mac_algorithms_client_to_server_length", 4, true),
	sshKexList("ssh.mac_algorithms_server_to_client", 5, false),
	sshKexList("ssh.mac_algorithms_server_to_client_length", 5, true),
	sshKexList("ssh.compression_algorithms_client_to_server", 6, false),
	sshKexList("ssh.compression_algorithms_client_to_server_length", 6, true),
	sshKexList("ssh.compression_algorithms_server_to_client", 7, false),
	sshKexList("ssh.compression_algorithms_server_to_client_length", 7, true),
	sshKexList("ssh.languages_client_to_server", 8, false),
	sshKexList("ssh.languages_client_to_server_length", 8, true),
	sshKexList("ssh.languages_server_to_client", 9, false),
	sshKexList("ssh.languages_server_to_client_length", 9, true),
	sshKexTail("ssh.first_kex_packet_follows", FTUint8, func(rest []byte, dst []Value) []Value {
		if len(rest) < 1 {
			return dst
		}
		return append(dst, Value{U: uint64(rest[0])})
	}),
	sshKexTail("ssh.kex.reserved", FTBytes, func(rest []byte, dst []Value) []Value {
		if len(rest) < 5 {
			return dst
		}
		return append(dst, Value{B: rest[1:5]})
	}),
}
