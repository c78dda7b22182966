package live

import (
	"fmt"
	"io"
	"os"
)

// WriteInterfaceList writes the interfaces as tcpdump -D lists them,
// numbered, the "any" pseudo-device last.
func WriteInterfaceList(w io.Writer) error {
	ents, err := os.ReadDir("/sys/class/net")
	if err != nil {
		return fmt.Errorf("listing interfaces: %w", err)
	}
	for i, e := range ents {
		fmt.Fprintf(w, "%d.%s\n", i+1, e.Name())
	}
	fmt.Fprintf(w, "%d.any (Pseudo-device that captures on all interfaces)\n", len(ents)+1)
	return nil
}
