package cli

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/detail"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/internal/testenv"
)

// detailFrameLimit is how many frames of each capture the -V/-x comparison
// reads: WIREWATCH_DETAIL_FRAMES=N (0: all of them; the PDML of the largest
// captures then takes gigabytes of memory), else the first 200 (to keep
// tshark's share of the default suite small).
func detailFrameLimit() int {
	if v := os.Getenv("WIREWATCH_DETAIL_FRAMES"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			return n
		}
	}
	return 200
}

// detailFiles keeps the captures whose name matches WIREWATCH_DETAIL_FILES
// (a regexp; unset: all of them). WIREWATCH_DETAIL_ORDER=1 prints each
// frame whose protocol order differs.
func detailFiles(t *testing.T, names []string) []string {
	v := os.Getenv("WIREWATCH_DETAIL_FILES")
	if v == "" {
		return names
	}
	re, err := regexp.Compile(v)
	if err != nil {
		t.Fatalf("WIREWATCH_DETAIL_FILES: %v", err)
	}
	var out []string
	for _, n := range names {
		if re.MatchString(n) {
			out = append(out, n)
		}
	}
	return out
}

// tsharkCached runs tshark with args on capture path (TZ=UTC) and caches
// its output, gzipped, under $WIREWATCH_TSHARK_CACHE or the user cache
// directory, keyed by the capture's name, size and time and the arguments.
func tsharkCached(t *testing.T, tshark, path string, args ...string) []byte {
	t.Helper()
	out, err := tsharkRun(tshark, path, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type tsharkJob struct {
	path string
	args []string
}

// tsharkPrefetch runs the jobs' tshark commands on every core at once, so
// that the tests' own calls find the outputs cached.
func tsharkPrefetch(t *testing.T, tshark string, jobs []tsharkJob) {
	t.Helper()
	ch := make(chan tsharkJob)
	errs := make(chan error, len(jobs))
	var wg sync.WaitGroup
	for w := 0; w < max(runtime.NumCPU(), 2); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				if _, err := tsharkRun(tshark, j.path, j.args...); err != nil {
					errs <- err
				}
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func tsharkRun(tshark, path string, args ...string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	dir := os.Getenv("WIREWATCH_TSHARK_CACHE")
	if dir == "" {
		if d, err := os.UserCacheDir(); err == nil {
			dir = filepath.Join(d, "wirewatch", "tshark")
		}
	}
	key := fmt.Sprintf("%s.%d.%d.%s.gz", filepath.Base(path), st.Size(), st.ModTime().UnixNano(),
		strings.NewReplacer(" ", "_", "/", "_", ":", "_").Replace(strings.Join(args, " ")))
	if dir != "" {
		if b, err := os.ReadFile(filepath.Join(dir, key)); err == nil {
			if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
				if out, err := io.ReadAll(zr); err == nil {
					return out, nil
				}
			}
		}
	}
	cmd := exec.Command(tshark, append([]string{"-r", path}, args...)...)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("tshark %v on %s: %v", args, path, err)
	}
	if dir != "" && os.MkdirAll(dir, 0o755) == nil {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(out)
		zw.Close()
		tmp, err := os.CreateTemp(dir, key+".tmp*")
		if err == nil {
			_, werr := tmp.Write(buf.Bytes())
			tmp.Close()
			if werr == nil {
				os.Rename(tmp.Name(), filepath.Join(dir, key))
			} else {
				os.Remove(tmp.Name())
			}
		}
	}
	return out, nil
}

// vxFrame is one frame of `-V -x` output: its tree lines and its hex part.
type vxFrame struct {
	tree []string
	hex  string
}

var frameLine = regexp.MustCompile(`^(?:Frame|PCAPNG Custom Block) (\d+): `)

// splitVX splits tshark -V -x output into frames keyed by frame number.
// A frame is its tree, an empty line, its hex dump and an empty line; the
// tree itself may hold empty lines (tshark prints the hex of ICMP echo data
// inside it), so the hex dump is the frame's last block.
func splitVX(out []byte) map[int]*vxFrame {
	frames := map[int]*vxFrame{}
	var cur *vxFrame
	var lines []string
	flush := func() {
		if cur == nil {
			return
		}
		for len(lines) > 0 && lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1]
		}
		last := -1
		for i := len(lines) - 1; i >= 0; i-- {
			if lines[i] == "" {
				last = i
				break
			}
		}
		tree := lines
		if last >= 0 {
			tree = lines[:last]
			cur.hex = strings.Join(lines[last+1:], "\n") + "\n"
		}
		for _, l := range tree {
			if l != "" {
				cur.tree = append(cur.tree, l)
			}
		}
		lines = nil
	}
	var pending []string // "Packet comments" lines before a Frame line
	seen := map[int]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	prevBlank := true
	for sc.Scan() {
		l := sc.Text()
		if m := frameLine.FindStringSubmatch(l); m != nil && (prevBlank || pending != nil) {
			flush()
			n, _ := strconv.Atoi(m[1])
			cur = &vxFrame{}
			lines = append(pending, l)
			pending = nil
			if _, dup := frames[n]; dup || seen[n] {
				// tshark repeats a number (pcapng sections): which is which is unknown
				delete(frames, n)
				seen[n] = true
				cur = &vxFrame{}
			} else {
				frames[n] = cur
			}
			prevBlank = false
			continue
		}
		if l == "Packet comments" && prevBlank {
			flush()
			cur = nil
			pending = []string{l}
			prevBlank = false
			continue
		}
		prevBlank = l == ""
		if cur == nil {
			if pending != nil && l != "" {
				pending = append(pending, l)
			}
			continue
		}
		lines = append(lines, l)
	}
	flush()
	return frames
}

// pdmlNode is one element of a PDML packet.
type pdmlNode struct {
	depth  int
	name   string
	label  string
	proto  bool
	hidden bool
}

// parsePDML returns each packet's nodes in document order.
func parsePDML(t *testing.T, out []byte) [][]pdmlNode {
	dec := xml.NewDecoder(bytes.NewReader(out))
	var pkts [][]pdmlNode
	var cur []pdmlNode
	depth := -1
	var hiddenAt []bool
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("pdml: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "packet":
				cur = nil
				depth = -1
				hiddenAt = hiddenAt[:0]
			case "proto", "field":
				depth++
				n := pdmlNode{depth: depth, proto: e.Name.Local == "proto"}
				var show string
				for _, a := range e.Attr {
					switch a.Name.Local {
					case "name":
						n.name = a.Value
					case "showname":
						n.label = a.Value
					case "show":
						show = a.Value
					case "hide":
						n.hidden = a.Value == "yes"
					}
				}
				if n.label == "" {
					n.label = show
				}
				if len(hiddenAt) > 0 && hiddenAt[len(hiddenAt)-1] {
					n.hidden = true
				}
				hiddenAt = append(hiddenAt, n.hidden)
				cur = append(cur, n)
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "packet":
				pkts = append(pkts, cur)
			case "proto", "field":
				depth--
				hiddenAt = hiddenAt[:len(hiddenAt)-1]
			}
		}
	}
	return pkts
}

// unbracket strips the brackets of a generated field's line (PDML omits them).
func unbracket(s string) string {
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		return s[1 : len(s)-1]
	}
	return s
}

// coreProtos are the protocols of the "core" frames.
var coreProtos = map[string]bool{"frame": true, "eth": true, "sll": true, "ethertype": true, "arp": true, "ip": true,
	"ipv6": true, "icmp": true, "icmpv6": true, "tcp": true, "udp": true, "dns": true, "http": true, "data": true, "vlan": true, "null": true, "raw": true}

type detailTally struct {
	fieldTotal, fieldEq map[decode.Proto]int
	fieldMiss           map[string]int // field name → misses
	fieldMissEx         map[string]string
	orderTotal, orderEq int
	orderKnown          int // frames whose protocols (in tshark) all have wirewatch dissectors
	orderKnownEq        int
	coreFrames          int
	coreLines, coreEq   int
	coreFrameRatio      float64 // sum of per-frame ratios
	allLines, allEq     int
	hexFrames, hexEq    int // frames without reassembly
	hexOther, hexOtherE int // frames with several data sources: the frame source equal
	hexOtherAll         int // frames with several data sources: every source equal
	lineMiss            map[string]int
	orderMiss           map[string]int // "tshark  ≠  ours" protocol sequences
	orderEx             map[string]string
	protoMiss           map[string]int
	where               string // capture#frame being compared
}

var digits = regexp.MustCompile(`\d+`)

// TestReadVerboseMatchesTshark compares `read -V -x` with `tshark -V -x`
// and tshark's PDML on every corpus capture tshark reads: each registered
// field's line, the protocol order, all lines of core-protocol frames, and
// the hex dump.
func TestReadVerboseMatchesTshark(t *testing.T) {
	dir := corpus.Dir(t)
	tshark := testenv.Tool(t, "tshark")
	reg := field.Std()
	limit := detailFrameLimit()
	tl := detailTally{fieldTotal: map[decode.Proto]int{}, fieldEq: map[decode.Proto]int{}, fieldMiss: map[string]int{},
		fieldMissEx: map[string]string{}, lineMiss: map[string]int{}, orderMiss: map[string]int{}, orderEx: map[string]string{}, protoMiss: map[string]int{}}
	names := detailFiles(t, corpus.OracleOK(t, dir))
	var jobs []tsharkJob
	for _, name := range names {
		args := []string{"-n"}
		if limit > 0 {
			args = append(args, "-c", strconv.Itoa(limit))
		}
		path := filepath.Join(dir, "real", name)
		jobs = append(jobs, tsharkJob{path, append(args[:len(args):len(args)], "-V", "-x")}, tsharkJob{path, append(args[:len(args):len(args)], "-T", "pdml")})
	}
	tsharkPrefetch(t, tshark, jobs)
	for _, name := range names {
		path := filepath.Join(dir, "real", name)
		args := []string{"-n"}
		if limit > 0 {
			args = append(args, "-c", strconv.Itoa(limit))
		}
		vx := splitVX(tsharkCached(t, tshark, path, append(args, "-V", "-x")...))
		pdml := parsePDML(t, tsharkCached(t, tshark, path, append(args, "-T", "pdml")...))
		o := &readOptions{file: path, count: limit, singleCore: true}
		env := &Env{Ctx: context.Background(), Stdout: io.Discard, Stderr: io.Discard}
		var text bytes.Buffer
		tw := bufio.NewWriter(&text)
		var srcs []detail.DataSource
		idx := 0
		err := detailFrames(env, o, true, func(f *decode.Frame, tr *detail.Tree) error {
			i := idx
			idx++
			want := vx[int(f.Number)]
			if want == nil || i >= len(pdml) {
				return nil
			}
			tl.where = fmt.Sprintf("%s#%d", name, f.Number)
			compareDetail(&tl, reg, tr, pdml[i], want, tw, &text)
			srcs = detail.Sources(f, tr, srcs[:0])
			text.Reset()
			detail.WriteHex(tw, srcs)
			tw.Flush()
			got := strings.TrimSuffix(text.String(), "\n")
			text.Reset()
			if len(srcs) == 1 && !strings.Contains(want.hex, " bytes):\n") {
				tl.hexFrames++
				if got == want.hex {
					tl.hexEq++
				} else if tl.hexFrames-tl.hexEq <= 3 {
					t.Logf("%s frame %d: -x differs:\n got %q\nwant %q", name, f.Number, got, want.hex)
				}
			} else {
				tl.hexOther++
				if got == want.hex {
					tl.hexOtherAll++
				}
				first := want.hex
				if i := strings.Index(first, " bytes):\n"); i >= 0 {
					first = first[i+len(" bytes):\n"):]
				}
				var one bytes.Buffer
				ow := bufio.NewWriter(&one)
				detail.HexDump(ow, f.Data)
				ow.Flush()
				if strings.HasPrefix(first, one.String()) {
					tl.hexOtherE++
				}
			}
			return nil
		})
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	reportDetail(t, &tl)
}

func compareDetail(tl *detailTally, reg *field.Registry, tr *detail.Tree, pkt []pdmlNode, want *vxFrame, tw *bufio.Writer, text *bytes.Buffer) {
	// Fields wirewatch registers: their lines, as multisets per field.
	got := map[string]map[string]int{}
	for _, n := range tr.Nodes {
		if n.Field == "" {
			continue
		}
		m := got[n.Field]
		if m == nil {
			m = map[string]int{}
			got[n.Field] = m
		}
		label, _, _ := strings.Cut(n.Label, "\n") // a label may carry a hex dump (ICMP echo data)
		m[unbracket(label)]++
	}
	var tProtos, gProtos []string
	wrapped := false
	for _, n := range pkt {
		if n.proto && n.depth == 0 && n.name != "geninfo" && n.name != "fake-field-wrapper" {
			tProtos = append(tProtos, n.name)
		}
		if n.name == "data" && !n.proto && n.depth == 1 && wrapped {
			tProtos = append(tProtos, "data") // PDML wraps a top-level Data in fake-field-wrapper
		}
		if n.depth == 0 {
			wrapped = n.name == "fake-field-wrapper"
		}
		if n.hidden || n.name == "" {
			continue
		}
		fl := reg.Lookup(n.name)
		if fl == nil || fl.Type == field.FTProtocol && !n.proto {
			continue
		}
		tl.fieldTotal[fl.Proto]++
		if m := got[n.name]; m[n.label] > 0 {
			m[n.label]--
			tl.fieldEq[fl.Proto]++
		} else {
			tl.fieldMiss[n.name]++
			if n.name == "frame.protocols" {
				tl.protoMiss[n.label]++
			}
			if _, ok := tl.fieldMissEx[n.name]; !ok {
				tl.fieldMissEx[n.name] = tl.where + ": " + n.label
			}
		}
	}
	for _, n := range tr.Nodes {
		if n.Depth == 0 && n.Field != "" && (!strings.Contains(n.Field, ".") || strings.HasPrefix(n.Field, "_ws.")) {
			gProtos = append(gProtos, n.Field)
		}
	}
	tl.orderTotal++
	known := true // every protocol tshark shows is one wirewatch decodes
	for _, p := range tProtos {
		if reg.Lookup(p) == nil && p != "pkt_comment" {
			known = false
		}
	}
	if known {
		tl.orderKnown++
	}
	if tp, gp := strings.Join(tProtos, ":"), strings.Join(gProtos, ":"); tp == gp {
		tl.orderEq++
		if known {
			tl.orderKnownEq++
		}
	} else {
		tl.orderMiss[tp+"  ≠  "+gp]++
		if os.Getenv("WIREWATCH_DETAIL_ORDER") != "" {
			fmt.Printf("order %s: %s  ≠  %s\n", tl.where, tp, gp)
		}
		if _, ok := tl.orderEx[tp+"  ≠  "+gp]; !ok {
			tl.orderEx[tp+"  ≠  "+gp] = tl.where
		}
	}
	// Every -V line, as multisets per frame (indentation removed).
	text.Reset()
	detail.WriteText(tw, tr, detail.TextOptions{})
	tw.Flush()
	have := map[string]int{}
	for _, l := range strings.Split(text.String(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			have[l]++
		}
	}
	core := true
	for _, p := range tProtos {
		if !coreProtos[p] {
			core = false
		}
	}
	eq := 0
	for _, l := range want.tree {
		l = strings.TrimSpace(l)
		if have[l] > 0 {
			have[l]--
			eq++
		} else {
			k := digits.ReplaceAllString(l, "N")
			if len(k) > 100 {
				k = k[:100]
			}
			if core {
				tl.lineMiss[k]++
			}
		}
	}
	tl.allLines += len(want.tree)
	tl.allEq += eq
	if core {
		tl.coreFrames++
		tl.coreLines += len(want.tree)
		tl.coreEq += eq
		if len(want.tree) > 0 {
			tl.coreFrameRatio += float64(eq) / float64(len(want.tree))
		}
	}
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}

func reportDetail(t *testing.T, tl *detailTally) {
	var protos []decode.Proto
	tot, eq := 0, 0
	for p := range tl.fieldTotal {
		protos = append(protos, p)
		tot += tl.fieldTotal[p]
		eq += tl.fieldEq[p]
	}
	sort.Slice(protos, func(i, j int) bool { return protos[i] < protos[j] })
	var sb strings.Builder
	fmt.Fprintf(&sb, "read -V vs tshark -V, registered fields' lines per protocol:\n%-12s %10s %10s %8s\n", "protocol", "tshark", "equal", "%")
	for _, p := range protos {
		fmt.Fprintf(&sb, "%-12s %10d %10d %7.2f%%\n", p, tl.fieldTotal[p], tl.fieldEq[p], pct(tl.fieldEq[p], tl.fieldTotal[p]))
	}
	fmt.Fprintf(&sb, "%-12s %10d %10d %7.2f%%\n", "all", tot, eq, pct(eq, tot))
	t.Log(sb.String())
	var miss []string
	for k := range tl.fieldMiss {
		miss = append(miss, k)
	}
	sort.Slice(miss, func(i, j int) bool { return tl.fieldMiss[miss[i]] > tl.fieldMiss[miss[j]] })
	for i, k := range miss {
		if i == 25 {
			break
		}
		t.Logf("field line differs %6d× %s (e.g. tshark %q)", tl.fieldMiss[k], k, tl.fieldMissEx[k])
	}
	t.Logf("protocol order equal on %d of %d frames (%.2f%%); on the %d frames whose protocols wirewatch all decodes: %d (%.2f%%)",
		tl.orderEq, tl.orderTotal, pct(tl.orderEq, tl.orderTotal), tl.orderKnown, tl.orderKnownEq, pct(tl.orderKnownEq, tl.orderKnown))
	var pm []string
	for k := range tl.protoMiss {
		pm = append(pm, k)
	}
	sort.Slice(pm, func(i, j int) bool { return tl.protoMiss[pm[i]] > tl.protoMiss[pm[j]] })
	for i, k := range pm {
		if i == 12 {
			break
		}
		t.Logf("frame.protocols differs %5d× tshark %s", tl.protoMiss[k], k)
	}
	var om []string
	for k := range tl.orderMiss {
		om = append(om, k)
	}
	sort.Slice(om, func(i, j int) bool { return tl.orderMiss[om[i]] > tl.orderMiss[om[j]] })
	for i, k := range om {
		if i == 15 {
			break
		}
		t.Logf("protocol order differs %6d× %s (e.g. %s)", tl.orderMiss[k], k, tl.orderEx[k])
	}
	t.Logf("core-protocol frames: %d; their -V lines equal: %d of %d (%.2f%%), mean per frame %.2f%%",
		tl.coreFrames, tl.coreEq, tl.coreLines, pct(tl.coreEq, tl.coreLines), 100*tl.coreFrameRatio/float64(max(tl.coreFrames, 1)))
	t.Logf("all frames: -V lines equal: %d of %d (%.2f%%)", tl.allEq, tl.allLines, pct(tl.allEq, tl.allLines))
	t.Logf("-x: %d of %d frames without reassembly byte-identical (%.2f%%); frames with several data sources: frame bytes equal in %d of %d, all sources in %d",
		tl.hexEq, tl.hexFrames, pct(tl.hexEq, tl.hexFrames), tl.hexOtherE, tl.hexOther, tl.hexOtherAll)
	var lm []string
	for k := range tl.lineMiss {
		lm = append(lm, k)
	}
	sort.Slice(lm, func(i, j int) bool { return tl.lineMiss[lm[i]] > tl.lineMiss[lm[j]] })
	for i, k := range lm {
		if i == 30 {
			break
		}
		t.Logf("core frames: tshark line not produced %6d× %s", tl.lineMiss[k], k)
	}
	gate := func(what string, got, want float64) {
		if got < want {
			t.Errorf("%s: %.2f%%, below the %.0f%% floor", what, got, want)
		}
	}
	gate("registered fields' lines", pct(eq, tot), floorFields)
	gate("protocol order", pct(tl.orderEq, tl.orderTotal), floorOrder)
	gate("core frames' lines", pct(tl.coreEq, tl.coreLines), floorCore)
	gate("-x frames without reassembly", pct(tl.hexEq, tl.hexFrames), floorHex)
}

// Floors the comparison must keep (ratchet them up as the trees improve).
// They sit a little under the figures at the last change, so that a new
// dissector without its tree yet does not fail the suite at once.
const (
	floorFields = 99.0
	floorOrder  = 99.0
	floorCore   = 98.7
	floorHex    = 100
)

// nameFields are the lines -N m, n and t change.
var nameFields = map[string]bool{"eth": true, "eth.src": true, "eth.dst": true, "eth.addr": true, "sll.src.eth": true,
	"arp.src.hw_mac": true, "arp.dst.hw_mac": true, "arp.src.proto_ipv4": true, "arp.dst.proto_ipv4": true,
	"ip": true, "ip.src": true, "ip.dst": true, "ipv6": true, "ipv6.src": true, "ipv6.dst": true,
	"tcp": true, "tcp.srcport": true, "tcp.dstport": true, "udp": true, "udp.srcport": true, "udp.dstport": true,
	"dns.a": true, "dns.aaaa": true, "icmpv6.opt.linkaddr": true, "icmpv6.nd.ns.target_address": true, "icmpv6.nd.na.target_address": true}

// capturesWithDNS lists the oracle captures whose frames hold DNS.
func capturesWithDNS(t *testing.T, dir string) []string {
	var out []string
	for _, name := range corpus.OracleOK(t, dir) {
		b, err := os.ReadFile(filepath.Join(dir, "oracle", name+".frames.tsv"))
		if err != nil {
			continue
		}
		head, rows := readTSV(b)
		col := -1
		for i, h := range head {
			if h == "dns.qry.name" {
				col = i
			}
		}
		for _, r := range rows {
			if col >= 0 && col < len(r) && r[col] != "" {
				out = append(out, name)
				break
			}
		}
	}
	return out
}

// TestReadNamesMatchTshark compares the lines that name resolution changes
// in `read -V -N mnt` with `tshark -V -N mntd` (names from the capture's own
// DNS answers, MAC vendors, port names) on the corpus captures with DNS.
func TestReadNamesMatchTshark(t *testing.T) {
	dir := corpus.Dir(t)
	tshark := testenv.Tool(t, "tshark")
	limit := detailFrameLimit()
	total, equal := map[string]int{}, map[string]int{}
	example := map[string]string{}
	files := capturesWithDNS(t, dir)
	var jobs []tsharkJob
	for _, name := range files {
		path := filepath.Join(dir, "real", name)
		c := []string{}
		if limit > 0 {
			c = []string{"-c", strconv.Itoa(limit)}
		}
		jobs = append(jobs, tsharkJob{path, append([]string{"-N", "mntd"}, append(c, "-T", "pdml")...)},
			tsharkJob{path, append([]string{"-N", "mnd", "-T", "fields", "-e", "_ws.col.Source", "-e", "_ws.col.Destination"}, c...)})
	}
	tsharkPrefetch(t, tshark, jobs)
	for _, name := range files {
		path := filepath.Join(dir, "real", name)
		args := []string{"-N", "mntd"}
		if limit > 0 {
			args = append(args, "-c", strconv.Itoa(limit))
		}
		pdml := parsePDML(t, tsharkCached(t, tshark, path, append(args, "-T", "pdml")...))
		o := &readOptions{file: path, count: limit, singleCore: true, names: "mnt"}
		env := &Env{Ctx: context.Background(), Stdout: io.Discard, Stderr: io.Discard}
		i := 0
		err := detailFrames(env, o, true, func(f *decode.Frame, tr *detail.Tree) error {
			if i >= len(pdml) {
				return nil
			}
			pkt := pdml[i]
			i++
			got := map[string]map[string]int{}
			for _, n := range tr.Nodes {
				if nameFields[n.Field] {
					if got[n.Field] == nil {
						got[n.Field] = map[string]int{}
					}
					got[n.Field][unbracket(n.Label)]++
				}
			}
			for _, n := range pkt {
				if n.hidden || !nameFields[n.name] {
					continue
				}
				total[n.name]++
				if got[n.name][n.label] > 0 {
					got[n.name][n.label]--
					equal[n.name]++
				} else if _, ok := example[n.name]; !ok {
					example[n.name] = fmt.Sprintf("%s frame %d: tshark %q", name, f.Number, n.label)
				}
			}
			return nil
		})
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	var keys []string
	tot, eq := 0, 0
	for k := range total {
		keys = append(keys, k)
		tot += total[k]
		eq += equal[k]
	}
	sort.Strings(keys)
	var sb strings.Builder
	fmt.Fprintf(&sb, "read -V -N mnt vs tshark -V -N mntd on %d captures with DNS:\n", len(files))
	for _, k := range keys {
		fmt.Fprintf(&sb, "%-28s %8d %8d %7.2f%%  %s\n", k, total[k], equal[k], pct(equal[k], total[k]), example[k])
	}
	fmt.Fprintf(&sb, "%-28s %8d %8d %7.2f%%", "all", tot, eq, pct(eq, tot))
	t.Log(sb.String())
	if pct(eq, tot) < 99 {
		t.Errorf("-N mnt: %.2f%% of cells equal, below 99%%", pct(eq, tot))
	}
	// The packet list: Source and Destination columns of `read -N mn`.
	cells, same := 0, 0
	for _, name := range files {
		path := filepath.Join(dir, "real", name)
		args := []string{"-N", "mnd", "-T", "fields", "-e", "_ws.col.Source", "-e", "_ws.col.Destination"}
		if limit > 0 {
			args = append(args, "-c", strconv.Itoa(limit))
		}
		want := strings.Split(strings.TrimSuffix(string(tsharkCached(t, tshark, path, args...)), "\n"), "\n")
		rargs := []string{"read", "-N", "mn", "--single-core", path}
		if limit > 0 {
			rargs = append(rargs, "-c", strconv.Itoa(limit))
		}
		code, out, errs := runReadCmd(t, nil, rargs...)
		if code != 0 && code != 1 {
			t.Errorf("%s: exit %d: %s", name, code, errs)
			continue
		}
		for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if i >= len(want) {
				break
			}
			w := strings.Split(want[i], "\t")
			src, dst, ok := strings.Cut(l, " → ")
			if !ok || len(w) != 2 {
				continue
			}
			sf, df := strings.Fields(src), strings.Fields(dst)
			if len(sf) == 0 || len(df) == 0 {
				continue
			}
			for j, g := range []string{sf[len(sf)-1], df[0]} {
				cells++
				if g == w[j] {
					same++
				} else if cells-same <= 3 {
					t.Logf("%s line %d: column %q, tshark %q", name, i+1, g, w[j])
				}
			}
		}
	}
	t.Logf("packet list with -N mn: Source/Destination equal in %d of %d cells (%.2f%%)", same, cells, pct(same, cells))
	if pct(same, cells) < 99 {
		t.Errorf("packet list -N mn: %.2f%% of cells equal, below 99%%", pct(same, cells))
	}
}
