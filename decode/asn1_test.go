package decode

import (
	"encoding/hex"
	"testing"
)

// kerberosSeeds are Kerberos over TCP records (marker included) from a
// Windows domain: an AS-REQ, a KRB-ERROR PREAUTH_REQUIRED with METHOD-DATA
// e-data, a KRB-ERROR BADOPTION whose PA-PW-SALT holds an NT status.
var kerberosSeeds = []string{
	"000000eb6a81e83081e5a103020105a20302010aa31530133011a10402020080a20904073005a0030101ffa481c13081bea00703050040810010a1183016a003020101a10f300d1b0b6a6f686e736f6e2d706324a2101b0e686170707963726166742e6f7267a3233021a003020102a11a30181b066b72627467741b0e686170707963726166742e6f7267a511180f32303337303931333032343830355aa611180f32303337303931333032343830355aa70602044ec01617a81530130201120201110201170201180202ff79020103a91d301b3019a003020114a11204104a4f484e534f4e2d5043202020202020",
	"000001127e82010e3082010aa003020105a10302011ea411180f32303139303230353033333834385aa5050203063520a603020119a9101b0e686170707963726166742e6f7267aa233021a003020102a11a30181b066b72627467741b0e686170707963726166742e6f7267ac81a70481a43081a1307ea103020113a277047530733034a003020112a12d1b2b484150505943524146542e4f5247686f73746a6f686e736f6e2d70632e686170707963726166742e6f72673005a0030201173034a003020103a12d1b2b484150505943524146542e4f5247686f73746a6f686e736f6e2d70632e686170707963726166742e6f72673009a103020102a20204003009a103020110a20204003009a10302010fa2020400",
	"000000847e8181307fa003020105a10302011ea411180f32303139303230353033333834395aa50502030c9c32a60302010da9101b0e484150505943524146542e4f5247aa273025a00302010aa11e301c1b1a6a6f686e736f6e2d70632440484150505943524146542e4f5247ac1904173015a103020103a20e040cbb0000c00000000003000000",
}

func seedBytes(t testing.TB, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKerberosInfo(t *testing.T) {
	want := []string{"AS-REQ", "KRB Error: KRB5KDC_ERR_PREAUTH_REQUIRED", "KRB Error: KRB5KDC_ERR_BADOPTION NT Status: STATUS_NOT_SUPPORTED"}
	for i, s := range kerberosSeeds {
		b := seedBytes(t, s)
		var f Frame
		f.Data = b
		if !decodeKerberosTCP(&f, b) {
			t.Fatalf("seed %d: not Kerberos", i)
		}
		if got := string(appendKerberosInfo(nil, b)); got != want[i] {
			t.Errorf("seed %d: Info %q, want %q", i, got, want[i])
		}
	}
	// The names of an AS-REQ in Wireshark's order: cname, then sname.
	var names []string
	WalkKerberos(KerberosMessage(seedBytes(t, kerberosSeeds[0])), func(it KrbItem, e BER) {
		if it == KrbCNameString || it == KrbSNameString {
			names = append(names, string(e.Val))
		}
	})
	if got := len(names); got != 3 || names[0] != "johnson-pc$" || names[1] != "krbtgt" {
		t.Errorf("names %q", names)
	}
}

func TestBERReader(t *testing.T) {
	// long-form length, indefinite length, high tag number
	b := seedBytes(t, "30810302010530800201010000df7f00")
	e, rest, ok := ReadBER(b)
	if !ok || !e.Is(BERUniversal, BERTagSequence) || len(e.Val) != 3 {
		t.Fatalf("long form: %+v %v", e, ok)
	}
	e, rest, ok = ReadBER(rest)
	if !ok || len(e.Val) != 3 || e.Len != 7 {
		t.Fatalf("indefinite: %+v %v", e, ok)
	}
	e, _, ok = ReadBER(rest)
	if !ok || e.Tag != 0x7f || e.Class != BERPrivate || len(e.Val) != 0 {
		t.Fatalf("high tag: %+v %v", e, ok)
	}
	if oid, _ := AppendOID(nil, seedBytes(t, "2b0601020101050000")); string(oid) != "1.3.6.1.2.1.1.5.0.0" {
		t.Errorf("OID %s", oid)
	}
	if ns, ok := BERGeneralizedTime([]byte("20370913024805Z")); !ok || ns != 2136422885*1e9 {
		t.Errorf("time %d %v", ns, ok)
	}
	for _, bad := range []string{"30", "3005020105", "3084ffffffff", "1f", "3080", "04800000"} {
		if _, _, ok := ReadBER(seedBytes(t, bad)); ok {
			t.Errorf("%s read", bad)
		}
	}
}

// TestBERNoAlloc: reading and walking allocate nothing.
func TestBERNoAlloc(t *testing.T) {
	b := KerberosMessage(seedBytes(t, kerberosSeeds[1]))
	n := 0
	allocs := testing.AllocsPerRun(50, func() {
		WalkKerberos(b, func(it KrbItem, e BER) { n++ })
		_ = kerberosMsg(b)
	})
	if allocs != 0 {
		t.Errorf("%v allocs per walk", allocs)
	}
}

// FuzzBER reads hostile input as BER elements, OIDs, times, and as
// Kerberos, LDAP and SNMP messages with their Info writers.
func FuzzBER(f *testing.F) {
	for _, s := range kerberosSeeds {
		f.Add(seedBytes(f, s))
	}
	for _, s := range asn1MoreSeeds {
		f.Add(seedBytes(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for v := b; len(v) > 0; {
			e, rest, ok := ReadBER(v)
			if !ok {
				break
			}
			_, _ = AppendOID(nil, e.Val)
			_, _ = BERInt(e.Val)
			_, _ = BERUint(e.Val)
			_, _ = BERGeneralizedTime(e.Val)
			_, _ = BERUTCTime(e.Val)
			v = rest
		}
		fuzzASN1(b)
		if len(b) > 4 {
			fuzzASN1(b[4:])
		}
	})
}

func fuzzASN1(b []byte) {
	var f Frame
	f.Data = b
	f.Layers = append(f.Layers, Layer{Proto: ProtoUDP})
	WalkKerberos(b, func(KrbItem, BER) {})
	_ = SPNEGOKerberos(b)
	_ = appendKerberosInfo(nil, b)
	_ = decodeKerberosTCP(&f, b)
	_ = decodeKerberosUDP(&f, b)
	_ = decodeSNMP(&f, b)
	_ = decodeLDAP(&f, b)
	_ = decodeCLDAP(&f, b)
	_, _ = appendASN1Info(nil, &f)
	_ = f.asn1Column()
	fuzzMoreASN1(b)
}

func TestLDAPSNMPInfo(t *testing.T) {
	var f Frame
	b := seedBytes(t, asn1MoreSeeds[2])
	f.Data = b
	f.Layers = append(f.Layers, Layer{Proto: ProtoTCP})
	if !decodeLDAP(&f, b) || !f.Has(ProtoLDAP) || !f.Has(ProtoNTLMSSP) {
		t.Fatalf("bindRequest not decoded: %v", f.Layers)
	}
	if got := string(f.appendLDAPInfo(nil)); got != `bindRequest(1) "user01" , NTLMSSP_NEGOTIATE` {
		t.Errorf("LDAP Info %q", got)
	}
	if got := string(appendSNMPInfo(nil, seedBytes(t, asn1MoreSeeds[0]))); got != "getBulkRequest 1.3.6.1.2.1.1.1.0" {
		t.Errorf("SNMP Info %q", got)
	}
}
