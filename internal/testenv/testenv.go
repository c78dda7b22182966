// Package testenv gives tests the external programs they compare against
// (tshark, capinfos, tcpdump, chromium, ip, setpriv). On a Debian machine
// where the test runs as root, a missing program is installed with apt-get,
// so `go test ./...` works on a fresh machine; otherwise the test is skipped
// with a visible message, and fails when CI=true.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
)

// debianPackage maps a program to the Debian package that provides it.
var debianPackage = map[string]string{
	"tshark":            "tshark",
	"capinfos":          "wireshark-common",
	"editcap":           "wireshark-common",
	"tcpdump":           "tcpdump",
	"chromium":          "chromium",
	"ip":                "iproute2",
	"setpriv":           "util-linux",
	"man":               "man-db",
	"zsh":               "zsh",
	"fish":              "fish",
	"clickhouse-server": "clickhouse-server",
}

var mu sync.Mutex

// Package returns the Debian package that provides program name.
func Package(name string) string {
	if p := debianPackage[name]; p != "" {
		return p
	}
	return name
}

// Install makes program name available, installing its Debian package with
// apt-get when it is missing and this process runs as root. It returns nil
// when the program is on PATH afterwards.
func Install(name string) error {
	if _, err := exec.LookPath(name); err == nil {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	if _, err := exec.LookPath(name); err == nil {
		return nil
	}
	pkg := Package(name)
	apt, err := exec.LookPath("apt-get")
	if err != nil || os.Geteuid() != 0 {
		return fmt.Errorf("%s is not installed: apt-get install %s", name, pkg)
	}
	env := append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	up := exec.Command(apt, "-o", "DPkg::Lock::Timeout=600", "update", "-qq")
	up.Env = env
	_ = up.Run()
	in := exec.Command(apt, "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", pkg)
	in.Env = env
	if out, err := in.CombinedOutput(); err != nil {
		return fmt.Errorf("apt-get install %s: %v\n%s", pkg, err, out)
	}
	if _, err := exec.LookPath(name); err != nil {
		return fmt.Errorf("%s still missing after apt-get install %s", name, pkg)
	}
	return nil
}

// Tool returns the path of program name, installing it when it can (see
// Install); otherwise it skips t visibly, or fails it when CI=true.
func Tool(t testing.TB, name string) string {
	t.Helper()
	if err := Install(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v (required under CI=true)", err)
		}
		t.Skipf("SKIP: %v", err)
	}
	p, _ := exec.LookPath(name)
	return p
}
