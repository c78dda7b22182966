package names

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
)

func TestMACName(t *testing.T) {
	for _, c := range []struct {
		a    [6]byte
		want string
	}{
		{[6]byte{0x00, 0x21, 0x70, 0xc0, 0x56, 0xf0}, "Dell_c0:56:f0"},
		{[6]byte{0x00, 0x26, 0x0b, 0x31, 0x07, 0x33}, "Cisco_31:07:33"},
		{[6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "Broadcast"},
		{[6]byte{0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa}, "IPv4mcast_7f:ff:fa"},
		{[6]byte{0x33, 0x33, 0x00, 0x01, 0x00, 0x02}, "IPv6mcast_01:00:02"},
		{[6]byte{0x01, 0x00, 0x5e, 0x00, 0x00, 0xfc}, "IPv4mcast_fc"},
		{[6]byte{0x33, 0x33, 0x00, 0x00, 0x00, 0xfb}, "IPv6mcast_fb"},
		{[6]byte{0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, "00:00:00_00:00:00"},
		{[6]byte{0x02, 0x42, 0xac, 0x11, 0x00, 0x02}, "02:42:ac:11:00:02"},
	} {
		if got := MACName(c.a); got != c.want {
			t.Errorf("MACName(% x) = %q, want %q", c.a, got, c.want)
		}
	}
}

func TestResolver(t *testing.T) {
	r, err := New("mnt")
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Port(decode.ProtoTCP, 80); got != "http" {
		t.Errorf("tcp 80 = %q", got)
	}
	if got := r.Port(decode.ProtoUDP, 53); got != "domain" {
		t.Errorf("udp 53 = %q", got)
	}
	if got := r.Port(decode.ProtoTCP, 52166); got != "52166" {
		t.Errorf("tcp 52166 = %q", got)
	}
	a := netip.MustParseAddr("199.181.132.250")
	if got := r.Addr(a); got != "199.181.132.250" {
		t.Errorf("unlearnt = %q", got)
	}
	r.Learn(a, "www.espn.com")
	if got := r.Addr(a); got != "www.espn.com" {
		t.Errorf("learnt = %q", got)
	}
	off, _ := New("")
	if off.MAC([6]byte{}) != "" || off.Addr(a) != "" || off.Port(decode.ProtoTCP, 80) != "" {
		t.Error("resolution off must name nothing")
	}
	if _, err := New("x"); err == nil {
		t.Error("-N x accepted")
	}
}

func TestHosts(t *testing.T) {
	r, _ := New("n")
	err := r.ReadHosts("hosts", strings.NewReader("# comment\n10.0.0.1 gateway gw # the router\n\n2001:db8::1\tsix\n"))
	if err != nil {
		t.Fatal(err)
	}
	r.Learn(netip.MustParseAddr("10.0.0.1"), "from-dns")
	if got := r.Addr(netip.MustParseAddr("10.0.0.1")); got != "gateway" {
		t.Errorf("hosts entry = %q, want gateway (a DNS answer must not replace it)", got)
	}
	if got := r.Addr(netip.MustParseAddr("2001:db8::1")); got != "six" {
		t.Errorf("IPv6 hosts entry = %q", got)
	}
	if err := r.ReadHosts("bad", strings.NewReader("not-an-address name\n")); err == nil {
		t.Error("a bad address was accepted")
	}
}

// FuzzNames feeds hostile hosts files and column texts: never a panic.
func FuzzNames(f *testing.F) {
	f.Add("10.0.0.1 gw\n", "00:21:70:c0:56:f0")
	f.Add("::1 localhost\n#x\n", "192.168.0.1")
	f.Add("", "ff:ff:ff:ff:ff:zz")
	f.Fuzz(func(t *testing.T, hosts, col string) {
		r, _ := New("mnt")
		_ = r.ReadHosts("fuzz", strings.NewReader(hosts))
		_ = r.Column([]byte(col))
		if len(col) >= 6 {
			_ = MACName([6]byte([]byte(col[:6])))
		}
	})
}
