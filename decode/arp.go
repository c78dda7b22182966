package decode

import "net/netip"

// decodeARP dissects an ARP packet at b[off:]. Addresses are filled for the
// Ethernet/IPv4 case (hardware size 6, protocol size 4); other sizes keep the
// header fields only.
func (d *Decoder) decodeARP(f *Frame, b []byte, off int) {
	h := b[off:]
	if len(h) < 8 {
		f.anomaly(ProtoARP, off, "ARP header truncated")
		f.data(off, len(h), false)
		return
	}
	a := &f.ARP
	a.HWType = be16(h[0:])
	a.ProtoType = be16(h[2:])
	a.HWSize = h[4]
	a.ProtoSize = h[5]
	a.Opcode = be16(h[6:])
	a.SenderMAC, a.TargetMAC = [6]byte{}, [6]byte{}
	a.SenderIP, a.TargetIP = netip.Addr{}, netip.Addr{}
	need := 8 + 2*int(a.HWSize) + 2*int(a.ProtoSize)
	n := need
	if n > len(h) {
		n = len(h)
		f.anomaly(ProtoARP, off, "ARP addresses truncated")
	}
	f.addLayer(ProtoARP, off, n, false)
	if need > len(h) {
		return
	}
	hs, ps := int(a.HWSize), int(a.ProtoSize)
	p := h[8:]
	if hs == 6 {
		copy(a.SenderMAC[:], p[0:6])
		copy(a.TargetMAC[:], p[6+ps:12+ps])
	}
	if ps == 4 {
		a.SenderIP = netip.AddrFrom4([4]byte(p[hs : hs+4]))
		a.TargetIP = netip.AddrFrom4([4]byte(p[2*hs+4 : 2*hs+8]))
	}
}
