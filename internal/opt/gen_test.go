package opt_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/opt"
	"github.com/wirewatch/wirewatch/internal/testenv"
)

func script(t *testing.T, shell string) string {
	t.Helper()
	var b bytes.Buffer
	if err := opt.WriteCompletion(&b, shell); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "wirewatch."+shell)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCompletionBash loads the bash script and asks it to complete, as bash
// does on TAB.
func TestCompletionBash(t *testing.T) {
	bash := testenv.Tool(t, "bash")
	path := script(t, "bash")
	for _, c := range []struct{ line, want string }{
		{"wirewatch re", "read"},
		{"wirewatch read -T ", "fields"},
		{"wirewatch read --disp", "--display-filter"},
		{"wirewatch -r x.pcap -z ", "conv,tcp"},
		{"wirewatch capture -b ", "filesize:"},
		{"wirewatch stats ", "hierarchy"},
		{"wirewatch completion ", "fish"},
		{"wirewatch diagnose --format ", "html"},
	} {
		words := strings.Fields(c.line)
		if strings.HasSuffix(c.line, " ") {
			words = append(words, "")
		}
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, "'"+w+"'")
		}
		cmd := "source " + path + "; COMP_WORDS=(" + strings.Join(quoted, " ") + "); COMP_CWORD=" +
			string(rune('0'+len(words)-1)) + "; _wirewatch; printf '%s\\n' \"${COMPREPLY[@]}\""
		out, err := exec.Command(bash, "-c", cmd).CombinedOutput()
		if err != nil || !strings.Contains("\n"+string(out), "\n"+c.want+"\n") {
			t.Errorf("bash completion of %q: %v\n%s\nwant %q", c.line, err, out, c.want)
		}
	}
}

// TestCompletionFish asks fish itself to complete (complete -C).
func TestCompletionFish(t *testing.T) {
	fish := testenv.Tool(t, "fish")
	path := script(t, "fish")
	if out, err := exec.Command(fish, "-n", path).CombinedOutput(); err != nil {
		t.Fatalf("fish -n: %v\n%s", err, out)
	}
	for _, c := range []struct{ line, want string }{
		{"wirewatch ", "diagnose"},
		{"wirewatch read -T ", "jsonl"},
		{"wirewatch read --display", "--display-filter"},
		{"wirewatch capture -a ", "duration:"},
	} {
		out, err := exec.Command(fish, "-c", "source "+path+"; complete -C '"+c.line+"'").CombinedOutput()
		if err != nil || !strings.Contains(string(out), c.want) {
			t.Errorf("fish completion of %q: %v\n%s\nwant %q", c.line, err, out, c.want)
		}
	}
}

// TestCompletionZsh checks the zsh script's syntax and that zsh's
// completion system loads it and knows every command.
func TestCompletionZsh(t *testing.T) {
	zsh := testenv.Tool(t, "zsh")
	path := script(t, "zsh")
	if out, err := exec.Command(zsh, "-n", path).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
	dir := filepath.Dir(path)
	if err := os.Rename(path, filepath.Join(dir, "_wirewatch")); err != nil {
		t.Fatal(err)
	}
	cmd := "fpath=(" + dir + " $fpath); autoload -Uz compinit; compinit -u -d " + filepath.Join(dir, "zcd") +
		"; print -r -- ${_comps[wirewatch]}; autoload -Uz +X _wirewatch; functions _wirewatch | grep -c display-filter"
	out, err := exec.Command(zsh, "-f", "-c", cmd).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "_wirewatch\n") {
		t.Errorf("zsh compinit: %v\n%s", err, out)
	}
}

// TestManPage renders the generated page with man(1) and checks that every
// command and option made it in, without groff warnings.
func TestManPage(t *testing.T) {
	man := testenv.Tool(t, "man")
	dir := t.TempDir()
	var b bytes.Buffer
	opt.WriteMan(&b, "test")
	if err := os.MkdirAll(filepath.Join(dir, "man1"), 0o755); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "man1", "wirewatch.1")
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(man, "-P", "cat", "wirewatch")
	cmd.Env = append(os.Environ(), "MANPATH="+dir, "MANWIDTH=100")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("man wirewatch: %v\n%s", err, out)
	}
	text := string(out)
	for _, c := range opt.Commands {
		if !strings.Contains(text, "WIREWATCH "+strings.ToUpper(c.Name)) {
			t.Errorf("man page lacks the section for %s", c.Name)
		}
		for _, f := range c.Flags {
			if f.Hidden {
				continue
			}
			if f.Long != "" && !strings.Contains(text, "--"+f.Long) || f.Short != 0 && !strings.Contains(text, "-"+string(f.Short)) {
				t.Errorf("man page lacks %s of %s", f.Names(), c.Name)
			}
		}
	}
	if groff, err := exec.LookPath("groff"); err == nil {
		w, _ := exec.Command(groff, "-man", "-ww", "-z", page).CombinedOutput()
		if len(w) > 0 {
			t.Errorf("groff warnings:\n%s", w)
		}
	}
}

// TestParse covers the getopt forms.
func TestParse(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string // key=value pairs and args, as rendered below
	}{
		{[]string{"-nn", "-c1", "-tad", "-Yhttp", "f"}, "count=1 display-filter=http n= n= t=ad | f"},
		{[]string{"-Vx", "--count=3", "--display-filter", "dns", "f", "tcp"}, "V= count=3 display-filter=dns x= | f tcp"},
		{[]string{"-single-core", "-e", "ip.src", "-eip.dst", "--", "-r"}, "e=ip.src e=ip.dst single-core= | -r"},
		{[]string{"-nr", "f", "-"}, "n= read-file=f | -"},
	} {
		s, err := opt.Parse(opt.Read, c.args)
		if err != nil {
			t.Errorf("%v: %v", c.args, err)
			continue
		}
		var parts []string
		for _, k := range []string{"V", "count", "display-filter", "e", "n", "read-file", "single-core", "t", "x"} {
			for _, v := range s.List(k) {
				parts = append(parts, k+"="+v)
			}
		}
		if got := strings.Join(parts, " ") + " | " + strings.Join(s.Args, " "); got != c.want {
			t.Errorf("%v: got %q, want %q", c.args, got, c.want)
		}
	}
}

// FuzzParse: no command line makes the parser panic, and an error is one line.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"-nr\x00f.pcap\x00tcp", "-c\x00", "--count=\x00-Yx", "-Vx\x00--\x00-r", "-\x00--bogus", "-nrc1", "---", "-o\x00tls.keylog_file:k"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Split(s, "\x00")
		for _, c := range opt.Commands {
			if _, err := opt.Parse(c, args); err != nil && strings.Contains(err.Error(), "\n") {
				t.Fatalf("%q: multi-line error %q", args, err)
			}
		}
	})
}
