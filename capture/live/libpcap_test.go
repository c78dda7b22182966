//go:build linux && !nolibpcap

package live

import (
	"errors"
	"strings"
	"testing"
)

func TestMissingLibpcapSaysWhatToInstall(t *testing.T) {
	_, err := openLibpcap([]string{"libpcap-not-installed.so.0.8"})
	if !errors.Is(err, ErrNoLibpcap) || !strings.Contains(err.Error(), "apt-get install libpcap0.8") {
		t.Fatalf("error %v: want ErrNoLibpcap naming the package to install", err)
	}
}
