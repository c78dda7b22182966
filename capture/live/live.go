package live

import (
	"errors"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/capture"
)

// Config says what to capture. The zero value captures whole packets on the
// first interface that is up (not loopback), promiscuously, without a filter.
type Config struct {
	// Interfaces to capture on; "any" captures on all interfaces with Linux
	// cooked headers (SLL2), as tcpdump does. Empty: the first up, non-loopback
	// interface.
	Interfaces []string
	// SnapLen truncates each packet to this many bytes (default 262144, like
	// tcpdump and dumpcap).
	SnapLen int
	// Filter is a capture filter in tcpdump/libpcap syntax, run in the kernel
	// as classic BPF. Empty captures everything.
	Filter string
	// NoPromisc leaves the interfaces' promiscuous mode alone.
	NoPromisc bool
	// BufferSize is the kernel ring size per interface in bytes (default 32 MiB).
	BufferSize int
	// Timeout is how long the kernel may hold a partly filled block before
	// handing it over (default 100 ms): the latency of a quiet link.
	Timeout time.Duration
}

// DefaultSnapLen is the snapshot length tcpdump and dumpcap use by default.
const DefaultSnapLen = 262144

// Stats are the kernel's counters, as tcpdump reports them.
type Stats struct {
	Received uint64 // packets that passed the capture filter ("received by filter"), including Dropped
	Dropped  uint64 // packets the kernel dropped because the ring was full ("dropped by kernel")
}

// ErrPermission is returned (wrapped) when the process may not open packet
// sockets.
var ErrPermission = errors.New("capturing needs the CAP_NET_RAW capability: run as root, or grant it with `sudo setcap cap_net_raw,cap_net_admin=eip $(command -v wirewatch)`")

// ErrNoLibpcap is returned (wrapped) when a capture filter is given but
// libpcap, whose compiler wirewatch uses, cannot be loaded.
var ErrNoLibpcap = errors.New("capture filters (-f) are compiled by libpcap, which is not installed: install it with `apt-get install libpcap0.8` (Debian/Ubuntu), `dnf install libpcap` (Fedora/RHEL) or `apk add libpcap` (Alpine)")

// FilterError is a capture filter libpcap rejected.
type FilterError struct {
	Expr string
	Msg  string // libpcap's message
}

func (e *FilterError) Error() string {
	return fmt.Sprintf("capture filter %q: %s", e.Expr, e.Msg)
}

// ErrIdle is returned by Next when the idle timeout set with SetIdleTimeout
// passed without a packet; Next may be called again.
var ErrIdle = errors.New("no packet within the idle timeout")

// ErrUnsupported is returned by Open on systems without AF_PACKET.
var ErrUnsupported = errors.New("live capture is only supported on Linux")

// Interface describes one interface being captured, for pcapng IDBs.
func (s *Source) Interface(i int) capture.Interface { return s.ifaces[i] }

// Interfaces lists the interfaces being captured, in the order of
// Packet.Interface; each one's ID is its index (one pcapng section).
func (s *Source) Interfaces() []capture.Interface { return s.ifaces }

// Format is "live".
func (s *Source) Format() string { return "live" }

// NumInterfaces is the number of interfaces being captured.
func (s *Source) NumInterfaces() int { return len(s.ifaces) }
