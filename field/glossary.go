package field

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// WriteGlossary writes list as tshark -G fields does: a P line per
// protocol, an F line per field.
func WriteGlossary(out io.Writer, list []*Field) error {
	w := bufio.NewWriter(out)
	for _, f := range list {
		if f.Type == FTProtocol {
			fmt.Fprintf(w, "P\t%s\t%s\n", f.Desc, f.Name)
			continue
		}
		base := f.WiresharkBase()
		if base == "" {
			base = glossaryBase(f)
		}
		fmt.Fprintf(w, "F\t%s\t%s\t%s\t%s\t%s\t0x%x\t%s\n", f.Desc, f.Name, f.Type, f.Proto, base, f.Bitmask, f.Blurb)
	}
	return w.Flush()
}

// glossaryBase prints a field's display base as tshark -G fields does.
func glossaryBase(f *Field) string {
	switch f.Type {
	case FTBoolean:
		w := 0
		for m := f.Bitmask; m != 0; m >>= 1 {
			w++
		}
		switch {
		case w == 0:
			return "0"
		case w <= 8:
			return "8"
		case w <= 12:
			return "12"
		case w <= 16:
			return "16"
		case w <= 24:
			return "24"
		}
		return strconv.Itoa(32)
	case FTUint8, FTUint16, FTUint24, FTUint32, FTUint64, FTInt32, FTInt64:
		switch f.Base {
		case BaseHex:
			return "BASE_HEX"
		case BaseDecHex:
			return "BASE_DEC_HEX"
		case BaseHexDec:
			return "BASE_HEX_DEC"
		case BaseOct:
			return "BASE_OCT"
		}
		return "BASE_DEC"
	}
	return ""
}
