package capture

import (
	"bufio"
	"encoding/binary"
	"io"
	"os"
)

// secretsTLSKeyLog is the DSB secrets type of a TLS key log ("TLSK").
const secretsTLSKeyLog = 0x544c534b

// Embedded secrets are looked for among the first blocks only: tools put
// them before the packets that need them (editcap --inject-secrets writes
// them after the first section's interface blocks), and a scan of a whole
// large capture before reading it would cost a second pass.
const (
	secretsScanBlocks = 256
	secretsScanBytes  = 16 << 20
)

// EmbeddedTLSKeys returns the TLS key logs (SSLKEYLOGFILE format) held in
// Decryption Secrets Blocks near the start of the uncompressed pcapng file
// at path, concatenated; nil when there are none or the file is something
// else. Wireshark decrypts with such embedded secrets without being asked;
// so does wirewatch. The Reader itself skips DSBs.
func EmbeddedTLSKeys(path string) []byte {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	return embeddedTLSKeys(bufio.NewReaderSize(f, 64<<10))
}

func embeddedTLSKeys(r io.Reader) []byte {
	var hdr [12]byte
	var out []byte
	var bo binary.ByteOrder = binary.LittleEndian
	read := 0
	for n := 0; n < secretsScanBlocks && read < secretsScanBytes; n++ {
		if _, err := io.ReadFull(r, hdr[:8]); err != nil {
			return out
		}
		typ := binary.LittleEndian.Uint32(hdr[:4])
		if typ == blockSHB {
			if _, err := io.ReadFull(r, hdr[8:12]); err != nil {
				return out
			}
			switch binary.LittleEndian.Uint32(hdr[8:12]) {
			case byteOrderBOM:
				bo = binary.LittleEndian
			case 0x4D3C2B1A:
				bo = binary.BigEndian
			default:
				return out
			}
		} else if n == 0 {
			return nil // not pcapng
		}
		typ = bo.Uint32(hdr[:4])
		total := int(bo.Uint32(hdr[4:8]))
		if total < 12 || total%4 != 0 || total > secretsScanBytes {
			return out
		}
		rest := total - 8
		if typ == blockSHB {
			rest -= 4
		}
		read += total
		if typ != blockDSB {
			if _, err := io.CopyN(io.Discard, r, int64(rest)); err != nil {
				return out
			}
			continue
		}
		body := make([]byte, rest)
		if _, err := io.ReadFull(r, body); err != nil || len(body) < 12 {
			return out
		}
		stype, slen := bo.Uint32(body), int(bo.Uint32(body[4:]))
		if stype == secretsTLSKeyLog && slen <= len(body)-8-4 {
			out = append(out, body[8:8+slen]...)
			out = append(out, '\n')
		}
	}
	return out
}
