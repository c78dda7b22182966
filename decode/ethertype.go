package decode

// Ethernet II frames whose EtherType nothing dissects: Wireshark's
// ethertype dissector hands the payload to "data" and labels the Protocol
// column with the EtherType ("0x3030"); the Info column keeps Ethernet's
// "Ethernet II".

// ethUnknownType reports whether f is an Ethernet II frame whose payload
// is only data: no layer but Ethernet's and data, an EtherType this
// package does not dispatch, and no decode anomaly.
func (f *Frame) ethUnknownType() bool {
	if len(f.Layers) == 0 || len(f.Layers) > 2 || f.Layers[0].Proto != ProtoEth || len(f.Anomalies) > 0 {
		return false
	}
	if len(f.Layers) == 2 && f.Layers[1].Proto != ProtoData {
		return false
	}
	switch t := f.Eth.Type; t {
	case EtherTypeIPv4, EtherTypeIPv6, EtherTypeARP, EtherTypeRARP, EtherTypeVLAN, EtherTypeQinQ, EtherTypeQinQ9,
		EtherTypePPPoE, EtherTypePPPoED, EtherTypeMPLS, EtherTypeMPLSMC, etherTypeCMD, etherTypeLoop, etherTypePBB,
		0x88cc, 0x8809, 0x88f7:
		return false
	default:
		return t >= 0x0600
	}
}
