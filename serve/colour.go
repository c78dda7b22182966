package serve

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
)

// defaultColourFilters is Wireshark 4.0's default colouring rules, as
// /usr/share/wireshark/colorfilters has them: @name@filter@[bg][fg], colours
// as 16-bit RGB.
const defaultColourFilters = `@Bad TCP@tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack@[4718,10030,11796][63479,34695,34695]
@HSRP State Change@hsrp.state != 8 && hsrp.state != 16@[4718,10030,11796][65535,64764,40092]
@Spanning Tree Topology  Change@stp.type == 0x80@[4718,10030,11796][65535,64764,40092]
@OSPF State Change@ospf.msg != 1@[4718,10030,11796][65535,64764,40092]
@ICMP errors@icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }@[4718,10030,11796][47031,63479,29812]
@ARP@arp@[64250,61680,55255][4718,10030,11796]
@ICMP@icmp || icmpv6@[64764,57568,65535][4718,10030,11796]
@TCP RST@tcp.flags.reset eq 1@[42148,0,0][65535,64764,40092]
@SCTP ABORT@sctp.chunk_type eq ABORT@[42148,0,0][65535,64764,40092]
@TTL low or unexpected@(ip.dst != 224.0.0.0/4 && ip.ttl < 5 && !pim && !ospf) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1 && !(vrrp || carp))@[42148,0,0][60652,61680,60395]
@Checksum Errors@eth.fcs.status=="Bad" || ip.checksum.status=="Bad" || tcp.checksum.status=="Bad" || udp.checksum.status=="Bad" || sctp.checksum.status=="Bad" || mstp.checksum.status=="Bad" || cdp.checksum.status=="Bad" || edp.checksum.status=="Bad" || wlan.fcs.status=="Bad" || stt.checksum.status=="Bad"@[4718,10030,11796][63479,34695,34695]
@SMB@smb || nbss || nbns || netbios@[65278,65535,53456][4718,10030,11796]
@HTTP@http || tcp.port == 80 || http2@[58596,65535,51143][4718,10030,11796]
@DCERPC@dcerpc@[51199,38706,65533][4718,10030,11796]
@Routing@hsrp || eigrp || ospf || bgp || cdp || vrrp || carp || gvrp || igmp || ismp@[65534,62325,54808][4718,10030,11796]
@TCP SYN/FIN@tcp.flags & 0x02 || tcp.flags.fin == 1@[41026,41026,41026][4718,10030,11796]
@TCP@tcp@[59345,58980,65535][4718,10030,11796]
@UDP@udp@[56026,61166,65535][4718,10030,11796]
@Broadcast@eth[0] & 1@[65535,65535,65535][47802,48573,46774]
@System Event@systemd_journal || sysdig@[59110,59110,59110][11565,28527,39578]`

// colourRule is one colouring rule: the first whose display filter matches
// a frame gives its row colours.
type colourRule struct {
	Name, Filter, FG, BG string
	flt                  *filter.Filter
}

var (
	colourLine  = regexp.MustCompile(`^@([^@]*)@(.*)@\[(\d+),(\d+),(\d+)\]\[(\d+),(\d+),(\d+)\]$`)
	unknownName = regexp.MustCompile(`^([A-Za-z0-9_]+) is neither a field nor a protocol name`)
)

// colourRules are the default rules wirewatch can evaluate. A protocol it
// does not decode never matches, so its bare name is replaced by a filter
// that is always false (the rule keeps its other terms); a rule that
// still does not compile (a field of such a protocol) is left out.
var colourRules = compileColourRules()

// colourSets are compiled copies of the rules, one per goroutine using
// them at a time (a compiled filter keeps scratch buffers).
var colourSets = sync.Pool{New: func() any { return compileColourRules() }}

func compileColourRules() []*colourRule {
	var out []*colourRule
	for _, line := range strings.Split(defaultColourFilters, "\n") {
		m := colourLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		hex := func(r, g, b string) string {
			c := func(s string) int { v, _ := strconv.Atoi(s); return v >> 8 }
			return fmt.Sprintf("#%02x%02x%02x", c(r), c(g), c(b))
		}
		r := &colourRule{Name: m[1], Filter: m[2], BG: hex(m[3], m[4], m[5]), FG: hex(m[6], m[7], m[8])}
		expr := r.Filter
		for range 16 {
			flt, err := filter.Compile(expr, field.Std())
			if err == nil {
				r.flt = flt
				break
			}
			u := unknownName.FindStringSubmatch(err.Error())
			if u == nil {
				break
			}
			expr = regexp.MustCompile(`\b`+regexp.QuoteMeta(u[1])+`\b`).ReplaceAllString(expr, "frame.number == 0")
		}
		if r.flt != nil {
			out = append(out, r)
		}
	}
	return out
}

// colourLater in a row: the frame decoded alone gives its colour (the
// rules see the same fields as in the pass), so the index pass leaves it.
const colourLater = 0xff

// colorOf returns 1 + the index of the first rule matching f, 0 for none.
// It may run on several goroutines at once.
func colorOf(f *decode.Frame) uint8 {
	rules := colourSets.Get().([]*colourRule)
	defer colourSets.Put(rules)
	for i, r := range rules {
		if r.flt.Match(f) {
			return uint8(i + 1)
		}
	}
	return 0
}
