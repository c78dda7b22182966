package cli

import (
	"bufio"
	"fmt"
	"strconv"

	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/opt"
)

func init() { register("fields", runFields) }

func runFields(env *Env, s *opt.Set) error {
	if len(s.Args) > 1 {
		return usagef("fields: at most one PREFIX, got %q", s.Args)
	}
	prefix := ""
	if len(s.Args) == 1 {
		prefix = s.Args[0]
	}
	list := field.Std().WithPrefix(prefix)
	if len(list) == 0 {
		return usagef("fields: no field starts with %q; run 'wirewatch fields' for all", prefix)
	}
	w := bufio.NewWriter(env.Stdout)
	for _, f := range list {
		if f.Type == field.FTProtocol {
			fmt.Fprintf(w, "P\t%s\t%s\n", f.Desc, f.Name)
			continue
		}
		base := f.WiresharkBase()
		if base == "" {
			base = baseName(f)
		}
		fmt.Fprintf(w, "F\t%s\t%s\t%s\t%s\t%s\t0x%x\t%s\n", f.Desc, f.Name, f.Type, f.Proto, base, f.Bitmask, f.Blurb)
	}
	return w.Flush()
}

// baseName prints a field's display base as tshark -G fields does.
func baseName(f *field.Field) string {
	switch f.Type {
	case field.FTBoolean:
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
	case field.FTUint8, field.FTUint16, field.FTUint24, field.FTUint32, field.FTUint64, field.FTInt32, field.FTInt64:
		switch f.Base {
		case field.BaseHex:
			return "BASE_HEX"
		case field.BaseDecHex:
			return "BASE_DEC_HEX"
		case field.BaseHexDec:
			return "BASE_HEX_DEC"
		case field.BaseOct:
			return "BASE_OCT"
		}
		return "BASE_DEC"
	}
	return ""
}
