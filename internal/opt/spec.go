package opt

// The flag definitions of every subcommand. Help, completions and the man
// page are generated from them; internal/cli reads the parsed values by key
// (the long name, or the letter for short-only flags).

var (
	fCount     = Flag{Short: 'c', Long: "count", Arg: "N", Help: "stop after N displayed packets"}
	fDisplay   = Flag{Short: 'Y', Long: "display-filter", Arg: "FILTER", Help: "display filter, Wireshark syntax (wireshark-filter(4))"}
	fKeylog    = Flag{Long: "tls-keylog", Arg: "FILE", Complete: "file", Help: "decrypt TLS 1.2/1.3 with this key log (SSLKEYLOGFILE format); same as -o tls.keylog_file:FILE"}
	fPref      = Flag{Short: 'o', Arg: "NAME:VALUE", Help: "a tshark preference: tls.keylog_file:FILE, tcp.desegment_tcp_streams:TRUE|FALSE,\ntcp.relative_sequence_numbers:TRUE (the default; FALSE: use -e tcp.seq_raw)", Values: []string{"tls.keylog_file:", "tcp.desegment_tcp_streams:FALSE", "tcp.relative_sequence_numbers:TRUE"}}
	fSingle    = Flag{Long: "single-core", Help: "decode and analyse on one core (default for a regular file: two)"}
	fMaxFlows  = Flag{Long: "max-flows", Arg: "N", Help: "memory budget: live conversations per protocol in the flow table (default 65536); when\nfull, the least recently active is ended early and a note counts them (diagnose also keeps\nN/2 TCP connections, default 32768, and N hosts, default 100000, the least recently\nactive evicted)"}
	fNoResolve = Flag{Short: 'n', Help: "no name resolution (the default; accepted for tshark and tcpdump habits)"}
	fFormatTJ  = Flag{Long: "format", Arg: "FORMAT", Values: []string{"text", "json"}, Help: "output format: text (default) or json"}
	fWriteFmt  = Flag{Short: 'F', Arg: "FORMAT", Values: []string{"pcapng", "pcap"}, Help: "file format for -w: pcapng (default) or pcap (default when the name ends in .pcap)"}
)

// Read is 'wirewatch read' (also 'wirewatch -r FILE ...', as tshark).
var Read = &Command{
	Name:     "read",
	Summary:  "print the packets of a capture, like tshark -r (columns, fields, JSON, details, hex)",
	Synopsis: "[options] [-r] FILE [DISPLAY FILTER]",
	Args:     "file",
	Intro: `Prints one line per packet: No., Time, Source, Destination, Protocol, Length,
Info, as tshark -n -r does. Reads pcap and pcapng, plain, gzip or zstd
compressed, whatever the file name says; FILE "-" is standard input. Words
after FILE are a display filter, as in tshark ('wirewatch -r f.pcap tcp.port == 80').`,
	Flags: []Flag{
		{Short: 'r', Long: "read-file", Arg: "FILE", Complete: "file", Help: "the capture to read (or give FILE as the first argument)"},
		fCount,
		fDisplay,
		{Short: 'R', Long: "read-filter", Arg: "FILTER", Help: "with -2, a read filter as tshark's: a first pass selects the frames, the second sees only\nthose (renumbered, analysed without the others); without -2 the same as -Y"},
		{Short: 'w', Long: "write", Arg: "FILE", Complete: "file", Help: "write the displayed packets to FILE instead of printing them (\"-\": pcapng on stdout)"},
		fWriteFmt,
		{Short: 't', Arg: "FORMAT", Values: []string{"r", "a", "ad", "d", "dd", "e", "u", "ud"}, Help: "Time column: r relative (default), a absolute, ad absolute with date, d delta,\ndd delta displayed, e epoch seconds, u UTC, ud UTC with date (local time is UTC)"},
		{Short: 'T', Arg: "FORMAT", Values: []string{"text", "fields", "json", "jsonl"}, Help: "output: text (default), fields (the -e fields), json, jsonl (one object per line)"},
		{Short: 'e', Arg: "FIELD", Complete: "field", Help: "a field to print with -T fields (repeatable; 'wirewatch fields' lists them)"},
		{Short: 'E', Arg: "OPTION", Values: []string{"header=y", "separator=,", "occurrence=f", "aggregator=,", "quote=d"}, Help: "-T fields options: header=y|n, separator=/t|/s|C, occurrence=f|l|a,\naggregator=C, quote=d|s|n"},
		{Short: 'V', Help: "print the packet details tree, as tshark -V"},
		{Short: 'O', Arg: "PROTOCOLS", Help: "details of these protocols only (comma separated), as tshark -O"},
		{Short: 'x', Help: "hex and ASCII dump of each packet (after the details with -V)"},
		{Short: 'N', Arg: "FLAGS", Values: []string{"m", "n", "t", "mnt"}, Help: "resolve names: m MAC vendors, n addresses (from the capture's DNS and --hosts), t ports"},
		{Long: "hosts", Arg: "FILE", Complete: "file", Help: "an /etc/hosts-style file of names for -N n"},
		fNoResolve,
		{Short: 'q', Help: "print no packets (with -z: only the statistics, as tshark -q)"},
		{Short: 'z', Arg: "STATISTICS", Values: []string{"conv,tcp", "conv,udp", "conv,ip", "conv,eth", "endpoints,ip", "endpoints,tcp", "endpoints,udp", "endpoints,eth", "expert", "io,stat,1", "io,phs", "follow,tcp,ascii,0", "follow,udp,ascii,0"},
			Help: "statistics after the packets, as tshark -z: conv,TYPE endpoints,TYPE expert io,stat,INTERVAL\nio,phs follow,tcp|udp,ascii|hex|raw,STREAM (repeatable; 'wirewatch stats' has them too)"},
		{Short: '2', Help: "two passes, as tshark: needed for -R; otherwise wirewatch's one pass already sees every\nframe it analyses"},
		fPref,
		fKeylog,
		fSingle,
		fMaxFlows,
	},
	Refused: map[string]string{
		"-d":  "decode-as is not supported; wirewatch dissects by port and content",
		"-i":  "use 'wirewatch capture -i IFACE' to capture live",
		"-f":  "capture filters apply to live capture: 'wirewatch capture -f FILTER'; use -Y here",
		"-D":  "use 'wirewatch capture -D' to list interfaces",
		"-s":  "the snapshot length applies to live capture: 'wirewatch capture -s N'",
		"-b":  "ring buffers apply to live capture: 'wirewatch capture -b ...'",
		"-a":  "autostop applies to live capture; use -c N to stop after N packets",
		"-C":  "configuration profiles are not supported; use -o NAME:VALUE",
		"-nr": "write -n -r FILE (or -nr FILE with the file as the next word)",
	},
	Footer: `Exit status: 0 ok; 1 the file is unreadable, truncated or corrupt (the message
names the file, the byte offset and the problem, after every good packet was
printed); 2 bad options or filter; 130 interrupted (Ctrl-C).

Examples:
  wirewatch -r examples/http.pcapng -c 8
  wirewatch -nr examples/http.pcapng 'tcp.flags.syn == 1 && tcp.flags.ack == 0'
  wirewatch read -T fields -e frame.number -e ip.src -e tcp.srcport -E header=y examples/http.pcapng
  wirewatch read -V -O http -Yhttp.request examples/http.pcapng
  wirewatch -r examples/http.pcapng -q -z conv,tcp
  tcpdump -w - -i eth0 | wirewatch read -`,
}

// Capture is 'wirewatch capture'.
var Capture = &Command{
	Name:     "capture",
	Summary:  "capture packets from network interfaces (like dumpcap/tcpdump), optionally diagnosing live",
	Synopsis: "[options] [CAPTURE FILTER]",
	Args:     "iface",
	Intro: `Captures with Linux AF_PACKET (needs CAP_NET_RAW), promiscuously by default.
Without -w it prints the packet list as 'wirewatch read' does; with -w it
writes pcapng (pcap when the name ends in .pcap, or with -F pcap). SIGINT or
SIGTERM stops it cleanly: files are complete, and the counts are printed.
Words after the options are a capture filter (tcpdump syntax), as with tcpdump.`,
	Flags: []Flag{
		{Short: 'i', Long: "interface", Arg: "IFACE", Complete: "iface", Help: "interface to capture on; repeat for several; \"any\" for all (Linux cooked v2)"},
		{Short: 'f', Arg: "FILTER", Help: "capture filter in tcpdump/libpcap syntax, run in the kernel (or as arguments)"},
		{Short: 's', Long: "snapshot-length", Arg: "SNAPLEN", Help: "bytes kept per packet (default 262144)"},
		{Long: "no-promisc", Help: "do not put the interfaces in promiscuous mode"},
		{Short: 'p', Help: "the same as --no-promisc (tcpdump, dumpcap)"},
		{Short: 'B', Long: "buffer-size", Arg: "KIB", Help: "kernel ring size per interface in KiB (default 32768)"},
		{Short: 'w', Long: "write", Arg: "FILE", Complete: "file", Help: "write packets to FILE (pcapng; .pcap for pcap; \"-\" stdout)"},
		fWriteFmt,
		{Short: 'c', Long: "count", Arg: "N", Help: "stop after N packets"},
		{Short: 'a', Long: "autostop", Arg: "COND", Values: []string{"duration:", "filesize:", "packets:"}, Help: "stop when COND holds: duration:SECONDS, filesize:KB, packets:N (repeatable)"},
		{Short: 'b', Long: "ring-buffer", Arg: "COND", Values: []string{"filesize:", "duration:", "files:"}, Help: "ring buffer with -w: filesize:KB or duration:SECONDS starts a new file,\nfiles:N keeps the newest N (repeatable); files named PREFIX_NNNNN_YYYYMMDDhhmmss.EXT"},
		fDisplay,
		{Long: "diagnose", Help: "diagnose while capturing: each finding once certain, the full report at the end"},
		{Long: "export", Arg: "URL", Help: "write connections, DNS/HTTP/TLS, stalls and findings to ClickHouse at URL (docs/export.md),\nthrough an on-disk spool that keeps them while ClickHouse is down"},
		{Long: "database", Arg: "NAME", Help: "with --export: ClickHouse database (default wirewatch)"},
		{Long: "sensor", Arg: "NAME", Help: "with --export: sensor name on every row (default: this host's name)"},
		{Long: "spool", Arg: "DIR", Complete: "file", Help: "with --export: spool directory (default /var/spool/wirewatch); batches left there are sent by the next run"},
		{Long: "spool-max", Arg: "MiB", Help: "with --export: spool size limit (default 1024); batches beyond it are dropped and counted"},
		{Long: "settle", Arg: "DURATION", Help: "with --diagnose: how long a finding must go without new evidence (default 30s)"},
		{Short: 'q', Help: "do not print the packet list"},
		{Short: 'D', Long: "list-interfaces", Help: "list the interfaces and exit"},
		fNoResolve,
	},
	Refused: map[string]string{
		"-r": "use 'wirewatch read FILE' (or 'wirewatch -r FILE') to read a capture file",
		"-V": "use 'wirewatch capture -w FILE' and then 'wirewatch read -V FILE'",
		"-x": "use 'wirewatch capture -w FILE' and then 'wirewatch read -x FILE'",
		"-T": "the live packet list is text; use -w FILE and 'wirewatch read -T ...'",
		"-z": "use -w FILE and then 'wirewatch read -q -z ...' or 'wirewatch stats'",
		"-I": "monitor mode is not supported",
	},
	Footer: `Examples:
  wirewatch capture -D
  wirewatch capture -i eth0 -w trace.pcapng 'tcp port 443'
  wirewatch capture -i eth0 -w ring.pcapng -b filesize:100000 -b files:10
  wirewatch capture -i any --diagnose -q -a duration:60`,
}

// Export is 'wirewatch export'.
var Export = &Command{
	Name:     "export",
	Summary:  "write connections, DNS/HTTP/TLS, stalls and findings to ClickHouse and/or Zeek logs",
	Synopsis: "[--clickhouse URL] [--zeek-logs DIR] [options] FILE...",
	Args:     "file",
	Intro: `Analyses each capture as diagnose does and writes what it finds into
ClickHouse over its HTTP interface (tables connections, dns, http, tls, stalls,
findings; schema created and migrated by wirewatch, see docs/export.md) and/or
as Zeek logs (conn.log, dns.log, http.log, ssl.log). Every row carries the
sensor and capture names; exporting a capture again replaces its rows.`,
	Flags: []Flag{
		{Long: "clickhouse", Arg: "URL", Help: "ClickHouse HTTP interface, e.g. http://localhost:8123/ (user:password@ allowed)"},
		{Long: "database", Arg: "NAME", Help: "ClickHouse database (default wirewatch; created when missing)"},
		{Long: "sensor", Arg: "NAME", Help: "sensor name on every row (default: this host's name)"},
		{Long: "capture-name", Arg: "NAME", Help: "capture name on every row (default: the file's base name)"},
		{Long: "zeek-logs", Arg: "DIR", Complete: "file", Help: "write Zeek logs into DIR (created when missing)"},
		{Long: "zeek-format", Arg: "FORMAT", Values: []string{"tsv", "json"}, Help: "Zeek log format: tsv (default, with #fields/#types headers) or json (one object a line)"},
		{Long: "min-stall", Arg: "DURATION", Help: "shortest gap ever called a stall (default 200ms)"},
		fPref,
		fKeylog,
		fMaxFlows,
	},
	Footer: `Examples:
  wirewatch export --clickhouse http://localhost:8123/ --sensor site-a trace.pcapng
  wirewatch export --zeek-logs logs/ --zeek-format json trace.pcapng`,
}

// Stats is 'wirewatch stats'.
var Stats = &Command{
	Name:     "stats",
	Summary:  "conversations, endpoints, expert info, IO, protocol hierarchy, capture summary",
	Synopsis: "REPORT [ARGS] FILE [options]",
	Args:     "conv endpoints expert io hierarchy summary",
	Intro: `Reports (tshark equivalents in brackets):
  conv tcp|udp|ip|eth       conversations: frames and bytes each way, relative start, duration
                            (-z conv,tcp); json adds Zeek conn_state and history for tcp/udp
  endpoints tcp|udp|ip|eth  per-endpoint frames and bytes sent and received (-z endpoints,tcp)
  expert [--all]            expert info by severity, group, protocol and summary (-z expert)
  io [--interval 1s]        frames, bytes, retransmissions, lost segments, dup ACKs per interval (-z io,stat)
  hierarchy                 protocol hierarchy (-z io,phs)
  summary                   capinfos-like summary of the capture; its TCP/UDP stream counts need
                            to know which conversations were seen, so it keeps a flow table of
                            4096 live conversations per protocol (--max-flows) and small tombs`,
	Flags: []Flag{
		fFormatTJ,
		{Short: 'T', Arg: "FORMAT", Hidden: true, Help: "the same as --format"},
		fDisplay,
		{Long: "interval", Arg: "DURATION", Help: "interval for io (default 1s)"},
		{Long: "max-texts", Arg: "N", Help: "expert: memory budget of distinct HTTP start lines and comments listed one by one\n(default 100000); further ones are counted in one item that says so"},
		fSingle,
		fMaxFlows,
		{Long: "all", Help: "expert: also the items that need HTTP reassembly and DNS transactions"},
		fPref,
		fKeylog,
	},
	Footer: `Examples:
  wirewatch stats conv tcp examples/http.pcapng
  wirewatch stats expert -Y 'ip.addr == 10.0.0.1' trace.pcapng
  wirewatch stats io --interval 100ms trace.pcap --format json`,
}

// Follow is 'wirewatch follow'.
var Follow = &Command{
	Name:     "follow",
	Summary:  "print the data of one TCP or UDP conversation (like tshark -z follow)",
	Synopsis: "tcp|udp STREAM FILE [--format ascii|hex|raw]",
	Args:     "tcp udp",
	Intro: `STREAM is a tcp.stream / udp.stream number, or the two endpoints as
ip:port,ip:port (IPv6 as [addr]:port). The default ascii output is
byte-identical to 'tshark -q -z follow,tcp,ascii,STREAM'. TCP data is
reassembled: retransmitted and overlapping bytes appear once, and bytes never
captured are marked "[N bytes missing in capture]".`,
	Flags: []Flag{
		{Long: "format", Arg: "FORMAT", Values: []string{"ascii", "hex", "raw"}, Help: "ascii (default), hex or raw"},
		fPref,
		fKeylog,
	},
	Footer: `Examples:
  wirewatch follow tcp 0 examples/http.pcapng
  wirewatch follow tcp 10.0.0.1:51000,10.0.0.2:80 trace.pcap --format hex`,
}

// Diagnose is 'wirewatch diagnose'.
var Diagnose = &Command{
	Name:     "diagnose",
	Summary:  "find why it is slow: stalls, their culprits, evidence frames and filters (text, JSON, HTML)",
	Synopsis: "[options] FILE",
	Args:     "file",
	Intro: `Finds the stalls in every TCP connection and DNS lookup, works out who waited
for whom, correlates each stall with what the waiting host did meanwhile
(failed connection attempts, unanswered DNS or ARP, resets, ICMP errors) and
names the culprit, most important finding first.`,
	Flags: []Flag{
		{Long: "format", Arg: "FORMAT", Values: []string{"text", "json", "html"}, Help: "text (default), json (docs/diagnose-json.md) or html"},
		{Short: 'T', Arg: "FORMAT", Hidden: true, Help: "the same as --format"},
		{Short: 'o', Arg: "FILE", Complete: "file", Help: "write the report to FILE; or a preference NAME:VALUE as for read (tls.keylog_file:FILE)"},
		fKeylog,
		fDisplay,
		{Long: "all", Help: "text: every finding in full (default: a summary and the most important, about 100 lines)"},
		{Long: "fail-on", Arg: "SEVERITY", Values: []string{"info", "warning", "critical"}, Help: "exit 3 when a finding is at least this severe"},
		{Long: "min-stall", Arg: "DURATION", Help: "shortest gap ever called a stall (default 200ms)"},
		{Long: "zeek-logs", Arg: "DIR", Complete: "file", Help: "also write conn.log, dns.log, http.log, ssl.log into DIR (as 'wirewatch export --zeek-logs')"},
		{Long: "zeek-format", Arg: "FORMAT", Values: []string{"tsv", "json"}, Help: "with --zeek-logs: tsv (default) or json"},
		fSingle,
		fMaxFlows,
	},
	Footer: `Exit status: 0 when the capture was read, whatever was found; 1 unreadable,
damaged or truncated input (as read: what was read is diagnosed first); 2 usage;
3 with --fail-on when a finding reached that severity; 130 interrupted (Ctrl-C).

Examples:
  wirewatch diagnose examples/fail-open.pcapng
  wirewatch diagnose --format html -o report.html trace.pcapng
  wirewatch diagnose --fail-on critical trace.pcap || echo "problem found"`,
}

// Serve is 'wirewatch serve'.
var Serve = &Command{
	Name:     "serve",
	Summary:  "browse captures in a web app: packet list, filters, details and bytes, follow, stats, diagnose",
	Synopsis: "[--listen ADDR] FILE|DIR...",
	Args:     "file",
	Intro: `Serves a read-only web workbench over the capture files given (and no other
file): a packet list for millions of frames with Wireshark's colouring, the
display-filter bar checked as you type, the details tree linked to the bytes,
follow stream, statistics and the diagnose findings, whose evidence frames open
in the list with the finding's filter. The URL keeps the view
(?filter=EXPR&frame=N&tab=NAME). Several files (a DIR stands for the capture
files in it) are merged by time into one list, as mergecap would, numbered
over the merged frames. They are indexed once, in one pass (frame offsets,
times, streams, the TCP analysis of every frame, so any frame is read again
alone); the index is kept in the cache directory while the files are
unchanged, and the progress is printed while it builds.
On loopback (the default) no token is needed; any other address prints a URL
with a generated token, without which nothing is served.`,
	Flags: []Flag{
		{Long: "listen", Arg: "ADDR", Help: "address to listen on (default 127.0.0.1:8080; port 0 picks one)"},
		{Long: "cache-dir", Arg: "DIR", Complete: "file", Help: "where indexes are kept (default: the user cache directory's wirewatch/serve; - for none)"},
	},
	Footer: `Exit status: 0 after Ctrl-C; 1 when a capture cannot be opened or the address is taken; 2 usage.

Examples:
  wirewatch serve examples/fail-open.pcapng
  wirewatch serve ring/                              # every capture file in ring/, merged by time
  wirewatch serve --listen 0.0.0.0:8080 big.pcap     # prints http://0.0.0.0:8080/?token=...`,
}

// Fields is 'wirewatch fields'.
var Fields = &Command{
	Name:     "fields",
	Summary:  "list the field names usable with -e and -Y (like tshark -G fields)",
	Synopsis: "[PREFIX]",
	Args:     "field",
	Intro: `Lists the fields wirewatch knows, in Wireshark's names, tab separated like
tshark -G fields ("F description name type protocol base bitmask blurb";
"P description name" for protocols). PREFIX keeps the names starting with it.`,
	Footer: `Examples:
  wirewatch fields ip.
  wirewatch fields tcp.analysis | cut -f3`,
}

// Filter is 'wirewatch filter'.
var Filter = &Command{
	Name:     "filter",
	Summary:  "check a display filter (Wireshark syntax) and print it normalised",
	Synopsis: "check EXPR...",
	Args:     "check",
	Intro: `Validates a display filter (Wireshark 4.0 syntax, wireshark-filter(4)) and
prints it normalised; a bad filter exits with status 2 and a message pointing
at the offending token, as tshark does.`,
	Footer: `Examples:
  wirewatch filter check 'ip.addr == 10.0.0.1 && tcp.port in {80, 443}'`,
}

// Completion is 'wirewatch completion'.
var Completion = &Command{
	Name:     "completion",
	Summary:  "print the shell completion script for bash, zsh or fish",
	Synopsis: "bash|zsh|fish",
	Args:     "bash zsh fish",
	Footer: `Examples:
  source <(wirewatch completion bash)
  wirewatch completion zsh > "${fpath[1]}/_wirewatch"
  wirewatch completion fish > ~/.config/fish/completions/wirewatch.fish`,
}

// Man is 'wirewatch man'.
var Man = &Command{
	Name:     "man",
	Summary:  "print the manual page (roff), generated from the same option definitions",
	Synopsis: "",
	Footer: `Examples:
  wirewatch man | man -l -
  wirewatch man > /usr/local/share/man/man1/wirewatch.1`,
}

// Version is 'wirewatch version' (also --version).
var Version = &Command{
	Name:    "version",
	Summary: "print the version, commit, Go version and whether libpcap was found",
}

// Commands lists every subcommand, in help order.
var Commands = []*Command{Read, Capture, Diagnose, Export, Stats, Follow, Serve, Fields, Filter, Completion, Man, Version}

// Lookup returns the command called name, or nil.
func Lookup(name string) *Command {
	for _, c := range Commands {
		if c.Name == name {
			return c
		}
	}
	return nil
}
