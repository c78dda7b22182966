package detail

import (
	"fmt"
	"math"
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

func init() { Register(decode.ProtoNTP, buildNTP) }

var ntpLeap = [4]string{"no warning", "last minute of the day has 61 seconds", "last minute of the day has 59 seconds", "unknown (clock unsynchronized)"}

func buildNTP(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	if n < 48 {
		b.Add("ntp", 0, n, "Network Time Protocol")
		return
	}
	d = d[:n]
	fl := uint64(d[0])
	li, vn, mode := fl>>6, (fl>>3)&7, uint8(fl&7)
	modeName := decode.NTPModeName(mode)
	b.Openf("ntp", 0, n, "Network Time Protocol (NTP Version %d, %s)", vn, modeName)
	defer b.Close()
	b.Openf("ntp.flags", 0, 1, "Flags: 0x%02x, Leap Indicator: %s, Version number: NTP Version %d, Mode: %s", fl, ntpLeap[li], vn, modeName)
	b.Add("ntp.flags.li", 0, 1, BitLine(8, 0xc0, fl, fmt.Sprintf("Leap Indicator: %s (%d)", ntpLeap[li], li)))
	b.Add("ntp.flags.vn", 0, 1, BitLine(8, 0x38, fl, fmt.Sprintf("Version number: NTP Version %d (%d)", vn, vn)))
	b.Add("ntp.flags.mode", 0, 1, BitLine(8, 0x07, fl, fmt.Sprintf("Mode: %s (%d)", modeName, mode)))
	b.Close()
	st := d[1]
	stName := "secondary reference"
	switch {
	case st == 0:
		stName = "unspecified or invalid"
	case st == 1:
		stName = "primary reference"
	case st == 16:
		stName = "unsynchronized"
	case st > 16:
		stName = "reserved"
	}
	b.Addf("ntp.stratum", 1, 1, "Peer Clock Stratum: %s (%d)", stName, st)
	poll := int8(d[2])
	b.Addf("ntp.ppoll", 2, 1, "Peer Polling Interval: %d (%s seconds)", poll, ntpPow(poll))
	prec := int8(d[3])
	b.Addf("ntp.precision", 3, 1, "Peer Clock Precision: %8.6f seconds", math.Pow(2, float64(prec)))
	b.Addf("ntp.rootdelay", 4, 4, "Root Delay: %8.6f seconds", float64(be32(d[4:]))/65536)
	b.Addf("ntp.rootdispersion", 8, 4, "Root Dispersion: %8.6f seconds", float64(be32(d[8:]))/65536)
	if st <= 1 {
		b.Add("ntp.refid", 12, 4, "Reference ID: "+Esc(trimNUL(d[12:16])))
	} else {
		b.Add("ntp.refid", 12, 4, "Reference ID: "+netip.AddrFrom4([4]byte(d[12:16])).String())
	}
	for i, w := range [][2]string{{"ntp.reftime", "Reference Timestamp"}, {"ntp.org", "Origin Timestamp"}, {"ntp.rec", "Receive Timestamp"}, {"ntp.xmt", "Transmit Timestamp"}} {
		o := 16 + 8*i
		ns, zero := decode.NTPTime(d[o : o+8])
		if zero {
			b.Add(w[0], o, 8, w[1]+": NULL")
		} else {
			b.Add(w[0], o, 8, w[1]+": "+AbsTime(ns))
		}
	}
}

func ntpPow(e int8) string {
	if e >= 0 && e < 63 {
		return fmt.Sprint(uint64(1) << uint(e))
	}
	return fmt.Sprint(math.Pow(2, float64(e)))
}

func trimNUL(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return b
}
