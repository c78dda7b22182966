package detail

import (
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

func init() { Register(decode.ProtoNBNS, buildNBNS) }

var nbnsTypes = map[uint16]string{32: "NB", 33: "NBSTAT", 1: "A", 2: "NS", 10: "NULL"}

func buildNBNS(b *Builder, l decode.Layer, d []byte) {
	f := b.Frame
	m := &f.NBNS
	n := min(l.Len, len(d))
	b.Open("nbns", 0, n, "NetBIOS Name Service")
	defer b.Close()
	if n < 12 {
		return
	}
	b.Addf("nbns.id", 0, 2, "Transaction ID: 0x%04x", m.ID)
	fl := uint64(m.Flags)
	resp := fl&0x8000 != 0
	op := uint8(fl>>11) & 0xf
	parts := []string{}
	if resp {
		parts = append(parts, "Response")
	}
	parts = append(parts, "Opcode: "+decode.NBNSOpcodeName(op))
	for _, x := range []struct {
		bit  uint64
		name string
		resp bool
	}{{0x0400, "Authoritative", true}, {0x0200, "Truncated", false}, {0x0100, "Recursion desired", false}, {0x0080, "Recursion available", true}, {0x0010, "Broadcast", false}} {
		if fl&x.bit != 0 && (!x.resp || resp) {
			parts = append(parts, x.name)
		}
	}
	rc := uint8(fl & 0xf)
	if resp {
		parts = append(parts, "Reply code: "+mapName(dnsRcodes, rc, "Unknown"))
	}
	b.Openf("nbns.flags", 2, 2, "Flags: 0x%04x, %s", fl, strings.Join(parts, ", "))
	ft := func(field string, mask uint64, name, yes, no string) {
		v := no
		if fl&mask != 0 {
			v = yes
		}
		b.Add(field, 2, 2, BitLine(16, mask, fl, name+": "+v))
	}
	ft("nbns.flags.response", 0x8000, "Response", "Message is a response", "Message is a query")
	b.Add("nbns.flags.opcode", 2, 2, BitLine(16, 0x7800, fl, fmt.Sprintf("Opcode: %s (%d)", decode.NBNSOpcodeName(op), op)))
	if resp {
		ft("nbns.flags.authoritative", 0x0400, "Authoritative", "Server is an authority for domain", "Server is not an authority for domain")
	}
	ft("nbns.flags.truncated", 0x0200, "Truncated", "Message is truncated", "Message is not truncated")
	ft("nbns.flags.recdesired", 0x0100, "Recursion desired", "Do query recursively", "Don't do query recursively")
	if resp {
		ft("nbns.flags.recavail", 0x0080, "Recursion available", "Server can do recursive queries", "Server can't do recursive queries")
	}
	ft("nbns.flags.broadcast", 0x0010, "Broadcast", "Broadcast packet", "Not a broadcast packet")
	if resp {
		b.Add("nbns.flags.rcode", 2, 2, BitLine(16, 0x000f, fl, fmt.Sprintf("Reply code: %s (%d)", mapName(dnsRcodes, rc, "Unknown"), rc)))
	}
	b.Close()
	for i, w := range [][2]string{{"nbns.count.queries", "Questions"}, {"nbns.count.answers", "Answer RRs"}, {"nbns.count.auth_rr", "Authority RRs"}, {"nbns.count.add_rr", "Additional RRs"}} {
		b.Addf(w[0], 4+2*i, 2, "%s: %d", w[1], m.Counts[i])
	}
	titles := [4]string{"Queries", "Answers", "Authoritative nameservers", "Additional records"}
	sec := -1
	for _, r := range m.Records {
		if int(r.Section) != sec {
			if sec >= 0 {
				b.Close()
			}
			sec = int(r.Section)
			b.Open("", -1, 0, titles[sec&3])
		}
		typ := mapName(nbnsTypes, r.Type, "Unknown")
		cls := "IN"
		if r.Class != 1 {
			cls = fmt.Sprintf("Unknown (%d)", r.Class)
		}
		b.Openf("", -1, 0, "%s: type %s, class %s", Esc(r.Name), typ, cls)
		b.Add("nbns.name", -1, 0, "Name: "+Esc(r.NameDesc))
		b.Addf("nbns.type", -1, 0, "Type: %s (%d)", typ, r.Type)
		b.Addf("nbns.class", -1, 0, "Class: %s (%d)", cls, r.Class)
		if r.Section > 0 {
			b.Addf("nbns.ttl", -1, 0, "Time to live: %d (%s)", r.TTL, TimeSecs(r.TTL))
			b.Addf("nbns.data_length", -1, 0, "Data length: %d", r.DataLen)
		}
		b.Close()
	}
	if sec >= 0 {
		b.Close()
	}
}
