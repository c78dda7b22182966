package analyze_test

import (
	"encoding/binary"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
)

// synth builds small Ethernet/IPv4 captures packet by packet.
type synth struct {
	t    *testing.T
	w    *capture.PcapWriter
	fh   *os.File
	base int64
}

func newSynth(t *testing.T, path string) *synth {
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := capture.NewPcapWriter(fh, capture.LinkEthernet, 65535, true)
	if err != nil {
		t.Fatal(err)
	}
	return &synth{t: t, w: w, fh: fh, base: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC).UnixNano()}
}

func (s *synth) close() {
	if err := s.w.Close(); err != nil {
		s.t.Fatal(err)
	}
	s.fh.Close()
}

func ipv4(src, dst netip.Addr, ttl, proto uint8, payload []byte) []byte {
	b := make([]byte, 14+20+len(payload))
	b[0], b[6] = 2, 2
	b[5], b[11] = 1, 2
	binary.BigEndian.PutUint16(b[12:], 0x0800)
	ip := b[14:34]
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(20+len(payload)))
	ip[8], ip[9] = ttl, proto
	s4, d4 := src.As4(), dst.As4()
	copy(ip[12:], s4[:])
	copy(ip[16:], d4[:])
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(ip[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
	copy(b[34:], payload)
	return b
}

func tcpSeg(sp, dp uint16, seq, ack uint32, flags uint16, data string) []byte {
	b := make([]byte, 20+len(data))
	binary.BigEndian.PutUint16(b[0:], sp)
	binary.BigEndian.PutUint16(b[2:], dp)
	binary.BigEndian.PutUint32(b[4:], seq)
	binary.BigEndian.PutUint32(b[8:], ack)
	b[12] = 5 << 4
	b[13] = byte(flags)
	binary.BigEndian.PutUint16(b[14:], 64240)
	copy(b[20:], data)
	return b
}

func (s *synth) put(ms float64, pkt []byte) {
	if err := s.w.WritePacket(capture.Info{TS: s.base + int64(ms*1e6), Len: len(pkt)}, pkt); err != nil {
		s.t.Fatal(err)
	}
}

// TestICMPFailedDependency: the agent's connection to its server fails with
// an ICMP host unreachable from the router (after the router's own ARP gave
// up), and the held request leaves right after. The stall must be blamed on
// that server, with the ICMP error as evidence.
func TestICMPFailedDependency(t *testing.T) {
	path := filepath.Join(t.TempDir(), "icmp.pcap")
	s := newSynth(t, path)
	cli := netip.MustParseAddr("10.9.8.7")
	web := netip.MustParseAddr("203.0.113.9")
	dep := netip.MustParseAddr("172.31.4.4")
	rtr := netip.MustParseAddr("10.9.8.1")
	const ack, syn, psh, rst = decode.TCPAck, decode.TCPSyn, decode.TCPPsh, decode.TCPRst
	for i := 0; i < 3; i++ {
		t0 := float64(i) * 5000
		cp, dp := uint16(40000+i), uint16(50000+i)
		s.put(t0, ipv4(cli, web, 64, 6, tcpSeg(cp, 80, 100, 0, syn, "")))
		s.put(t0+20, ipv4(web, cli, 55, 6, tcpSeg(80, cp, 900, 101, syn|ack, "")))
		s.put(t0+20.1, ipv4(cli, web, 64, 6, tcpSeg(cp, 80, 101, 901, ack, "")))
		// the agent asks its server first
		agentSYN := tcpSeg(dp, 8081, 7000, 0, syn, "")
		s.put(t0+21, ipv4(cli, dep, 64, 6, agentSYN))
		s.put(t0+1021, ipv4(cli, dep, 64, 6, agentSYN))
		// after 3.1 s the router gives up on ARP and says so
		icmp := make([]byte, 8+20+8)
		icmp[0], icmp[1] = 3, 1 // destination unreachable, host unreachable
		copy(icmp[8:], ipv4(cli, dep, 63, 6, agentSYN)[14:14+20+8])
		s.put(t0+3121, ipv4(rtr, cli, 64, 1, icmp))
		// the request leaves right after
		req := "GET /page" + string(rune('a'+i)) + " HTTP/1.1\r\nHost: web\r\n\r\n"
		s.put(t0+3125, ipv4(cli, web, 64, 6, tcpSeg(cp, 80, 101, 901, psh|ack, req)))
		resp := "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
		s.put(t0+3150, ipv4(web, cli, 55, 6, tcpSeg(80, cp, 901, 101+uint32(len(req)), psh|ack, resp)))
		s.put(t0+3151, ipv4(cli, web, 64, 6, tcpSeg(cp, 80, 101+uint32(len(req)), 901+uint32(len(resp)), rst, "")))
	}
	s.close()
	eng := diagnoseFile(t, path, analyze.Config{})
	for _, f := range eng.Findings() {
		t.Logf("%s %s: %s", f.Severity, f.Category, f.Title)
		if f.Category == analyze.CatBlockedDependency && f.Culprit != nil && f.Culprit.Host == dep && f.Culprit.Port == 8081 {
			if f.StallCount != 3 || f.Severity != analyze.Critical {
				t.Errorf("want 3 stalls, critical; got %d, %s", f.StallCount, f.Severity)
			}
			if a := f.Stalls[0].Attempt; a == nil || a.Outcome != "icmp-error" {
				t.Errorf("the culprit attempt should end with the ICMP error: %+v", a)
			}
			return
		}
	}
	t.Errorf("no blocked-on-unreachable-dependency finding blaming %s:8081", dep)
}

// TestServerBlockedOnDependency: a server holds each answer while it tries a
// back end that never answers, and answers 4.4 s later (not a round number);
// the capture sees the server's own SYNs. The stalls are the server's, the
// culprit is the back end, the victims are the clients.
func TestServerBlockedOnDependency(t *testing.T) {
	path := filepath.Join(t.TempDir(), "backend.pcap")
	s := newSynth(t, path)
	srv := netip.MustParseAddr("10.50.0.10")
	db := netip.MustParseAddr("10.50.9.99")
	const ack, syn, psh, fin = decode.TCPAck, decode.TCPSyn, decode.TCPPsh, decode.TCPFin
	clients := []netip.Addr{netip.MustParseAddr("10.60.0.1"), netip.MustParseAddr("10.60.0.2"), netip.MustParseAddr("10.60.0.3"), netip.MustParseAddr("10.60.0.4")}
	for i, cli := range clients {
		t0 := float64(i) * 6000
		cp, dp := uint16(41000+i), uint16(52000+i)
		s.put(t0, ipv4(cli, srv, 64, 6, tcpSeg(cp, 443, 100, 0, syn, "")))
		s.put(t0+1, ipv4(srv, cli, 64, 6, tcpSeg(443, cp, 900, 101, syn|ack, "")))
		s.put(t0+2, ipv4(cli, srv, 64, 6, tcpSeg(cp, 443, 101, 901, ack, "")))
		s.put(t0+3, ipv4(cli, srv, 64, 6, tcpSeg(cp, 443, 101, 901, psh|ack, "QUERY 1\r\n")))
		s.put(t0+4, ipv4(srv, cli, 64, 6, tcpSeg(443, cp, 901, 110, ack, "")))
		if i == 3 {
			// the last client asks for something that needs no back end
			s.put(t0+10, ipv4(srv, cli, 64, 6, tcpSeg(443, cp, 901, 110, psh|ack, "OK\r\n")))
		} else {
			dbSYN := tcpSeg(dp, 5432, 5000, 0, syn, "")
			s.put(t0+5, ipv4(srv, db, 64, 6, dbSYN))
			s.put(t0+1005, ipv4(srv, db, 64, 6, dbSYN))
			s.put(t0+3005, ipv4(srv, db, 64, 6, dbSYN))
			s.put(t0+4405, ipv4(srv, cli, 64, 6, tcpSeg(443, cp, 901, 110, psh|ack, "ERR backend\r\n")))
		}
		s.put(t0+4500, ipv4(cli, srv, 64, 6, tcpSeg(cp, 443, 110, 914, fin|ack, "")))
	}
	s.close()
	eng := diagnoseFile(t, path, analyze.Config{})
	for _, f := range eng.Findings() {
		t.Logf("%s %s: %s (timeout %.3f)", f.Severity, f.Category, f.Title, timeoutOf(f))
		if f.Category == analyze.CatBlockedDependency && f.Culprit != nil && f.Culprit.Host == db && f.Culprit.Port == 5432 {
			if f.StallCount != 3 || f.Stalls[0].WaitingOn != analyze.WaitServer {
				t.Errorf("want 3 stalls waiting on the server; got %d, %s", f.StallCount, f.Stalls[0].WaitingOn)
			}
			if d := f.Culprit.TimeoutS; d < 4.3 || d > 4.5 {
				t.Errorf("timeout %.3f s, want about 4.4 s", d)
			}
			for _, a := range f.Affected {
				if a == clients[3] {
					t.Errorf("%s had a fast answer, yet is affected", a)
				}
			}
			return
		}
	}
	t.Errorf("no blocked-on-unreachable-dependency finding blaming %s:5432", db)
}

func timeoutOf(f analyze.Finding) float64 {
	if f.Culprit == nil {
		return 0
	}
	return f.Culprit.TimeoutS
}

// TestUDPDependency: before each request the client sends datagrams to a
// service that never answers, and the request leaves 2.5 s after the first.
func TestUDPDependency(t *testing.T) {
	path := filepath.Join(t.TempDir(), "udp.pcap")
	s := newSynth(t, path)
	cli := netip.MustParseAddr("10.9.8.7")
	web := netip.MustParseAddr("203.0.113.9")
	svc := netip.MustParseAddr("198.18.7.7")
	const ack, syn, psh = decode.TCPAck, decode.TCPSyn, decode.TCPPsh
	udp := func(sp, dp uint16, data string) []byte {
		b := make([]byte, 8+len(data))
		binary.BigEndian.PutUint16(b[0:], sp)
		binary.BigEndian.PutUint16(b[2:], dp)
		binary.BigEndian.PutUint16(b[4:], uint16(8+len(data)))
		copy(b[8:], data)
		return b
	}
	for i := 0; i < 3; i++ {
		t0 := float64(i) * 4000
		cp := uint16(40100 + i)
		s.put(t0, ipv4(cli, web, 64, 6, tcpSeg(cp, 80, 100, 0, syn, "")))
		s.put(t0+20, ipv4(web, cli, 55, 6, tcpSeg(80, cp, 900, 101, syn|ack, "")))
		s.put(t0+20.1, ipv4(cli, web, 64, 6, tcpSeg(cp, 80, 101, 901, ack, "")))
		for j := 0; j < 3; j++ {
			s.put(t0+21+float64(j)*800, ipv4(cli, svc, 64, 17, udp(33000+uint16(i), 7777, "rep?")))
		}
		req := "GET /x HTTP/1.1\r\nHost: web\r\n\r\n"
		s.put(t0+2521, ipv4(cli, web, 64, 6, tcpSeg(cp, 80, 101, 901, psh|ack, req)))
		s.put(t0+2545, ipv4(web, cli, 55, 6, tcpSeg(80, cp, 901, 101+uint32(len(req)), psh|ack, "HTTP/1.1 204 No Content\r\n\r\n")))
	}
	s.close()
	eng := diagnoseFile(t, path, analyze.Config{})
	for _, f := range eng.Findings() {
		t.Logf("%s %s: %s", f.Severity, f.Category, f.Title)
		if f.Category == analyze.CatBlockedDependency && f.Culprit != nil && f.Culprit.Host == svc && f.Culprit.Port == 7777 && f.Culprit.Proto == "udp" {
			if f.StallCount != 3 {
				t.Errorf("want 3 stalls, got %d", f.StallCount)
			}
			return
		}
	}
	t.Errorf("no blocked-on-unreachable-dependency finding blaming %s:7777/udp", svc)
}
