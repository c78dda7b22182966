// Package testenv gives tests the external programs they compare against
// (tshark, capinfos, tcpdump, chromium, ip, setpriv). On a Debian machine
// where the test runs as root, a missing program is installed with apt-get,
// so `go test ./...` works on a fresh machine; otherwise the test is skipped
// with a visible message, and fails when CI=true.
package testenv

import (
	"os"
	"os/exec"
	"sync"
	"testing"
)

// debianPackage maps a program to the Debian package that provides it.
var debianPackage = map[string]string{
	"tshark":   "tshark",
	"capinfos": "wireshark-common",
	"editcap":  "wireshark-common",
	"tcpdump":  "tcpdump",
	"chromium": "chromium",
	"ip":       "iproute2",
	"setpriv":  "util-linux",
}

var mu sync.Mutex

// Tool returns the path of program name, installing its Debian package when it
// is missing and the test runs as root on a machine with apt-get.
func Tool(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	pkg := debianPackage[name]
	if pkg == "" {
		pkg = name
	}
	mu.Lock()
	defer mu.Unlock()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if os.Geteuid() == 0 {
		if apt, err := exec.LookPath("apt-get"); err == nil {
			t.Logf("installing %s (apt-get install %s) for this test", name, pkg)
			env := append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
			up := exec.Command(apt, "-o", "DPkg::Lock::Timeout=600", "update", "-qq")
			up.Env = env
			_ = up.Run()
			in := exec.Command(apt, "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", pkg)
			in.Env = env
			if out, err := in.CombinedOutput(); err != nil {
				t.Logf("apt-get install %s failed: %v\n%s", pkg, err, out)
			}
			if p, err := exec.LookPath(name); err == nil {
				return p
			}
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed and could not be installed: apt-get install %s", name, pkg)
	}
	t.Skipf("SKIP: %s is not installed: apt-get install %s", name, pkg)
	return ""
}
