package cli

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/internal/opt"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the outputs shown in README.md")

// readmeCmd is one example of README.md: a "$ " command with the output
// shown under it, or a plain command line in a code block.
type readmeCmd struct {
	cmd        string
	shown      bool // "$ " form: the output below it is compared
	start, end int  // the output's lines in the file: [start, end)
}

func readmeCommands(lines []string) []readmeCmd {
	var out []readmeCmd
	in := false
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "```") {
			in = !in
			continue
		}
		if !in {
			continue
		}
		shown := strings.HasPrefix(l, "$ ")
		if !shown && !strings.HasPrefix(l, "wirewatch ") && !strings.HasPrefix(l, "source <(wirewatch") {
			continue
		}
		cmd := strings.TrimPrefix(l, "$ ")
		for strings.HasSuffix(cmd, `\`) && i+1 < len(lines) {
			i++
			cmd = strings.TrimSuffix(cmd, `\`) + " " + strings.TrimSpace(lines[i])
		}
		c := readmeCmd{cmd: cmd, shown: shown, start: i + 1, end: i + 1}
		if shown {
			for c.end < len(lines) && !strings.HasPrefix(lines[c.end], "$ ") && !strings.HasPrefix(lines[c.end], "```") {
				c.end++
			}
			i = c.end - 1 // the output is not commands
		} else if k := strings.Index(c.cmd, "  #"); k > 0 {
			c.cmd = strings.TrimSpace(c.cmd[:k])
		}
		out = append(out, c)
	}
	return out
}

// shellWords splits a command line as sh does for the simple quoting the
// README uses ('...' and "...").
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	var quote byte
	have := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(c)
		case c == '\'' || c == '"':
			quote, have = c, true
		case c == ' ' || c == '\t':
			if have || cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteByte(c)
		}
	}
	if have || cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// TestREADMEExamples runs every example of README.md with the wirewatch of
// this tree, in a directory where the repository's examples/ and testdata/
// and the shared corpus are where the README says, and compares each
// output shown with what the command prints (stdout and stderr). Plain
// command lines must exit 0 (3 for diagnose --fail-on); live captures on a
// named interface are only parsed. -update-readme rewrites the outputs.
func TestREADMEExamples(t *testing.T) {
	readme := filepath.Join("..", "..", "README.md")
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	cmds := readmeCommands(lines)
	if len(cmds) < 20 {
		t.Fatalf("found only %d examples in README.md", len(cmds))
	}
	tmp := t.TempDir()
	work, bin := filepath.Join(tmp, "repo"), filepath.Join(tmp, "bin")
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	for _, d := range []string{work, bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"examples", "testdata"} {
		if err := os.Symlink(filepath.Join(root, d), filepath.Join(work, d)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Dir(corpus.Dir(t)), filepath.Join(tmp, "shared")); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	wrapper := "#!/bin/sh\nWIREWATCH_CAPTURE_HELPER=1 exec " + exe + " -test.run='^TestCaptureHelperProcess$' -- \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "wirewatch"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "TZ=UTC", "COLUMNS=100", "MANWIDTH=100")
	compared, ran, parsed := 0, 0, 0
	for i := len(cmds) - 1; i >= 0; i-- { // backwards: -update-readme replaces lines
		c := cmds[i]
		if words := shellWords(c.cmd); len(words) > 2 && (words[1] == "capture" && (strings.Contains(c.cmd, " -i ") || strings.Contains(c.cmd, " --diagnose")) || words[1] == "serve") {
			// live capture and the server run until stopped: only parsed
			cmdSpec := opt.Capture
			if words[1] == "serve" {
				cmdSpec = opt.Serve
			}
			if _, err := opt.Parse(cmdSpec, words[2:]); err != nil {
				t.Errorf("README: %s: %v", c.cmd, err)
			}
			parsed++
			continue
		}
		cmd := exec.Command("bash", "-c", c.cmd)
		cmd.Dir, cmd.Env = work, env
		out, err := cmd.CombinedOutput()
		if !c.shown {
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != 0 && !(code == ExitFindings && strings.Contains(c.cmd, "--fail-on")) {
				t.Errorf("README line %d: %s: exit %d\n%s", c.start, c.cmd, code, clipOut(string(out)))
			}
			ran++
			continue
		}
		wantLines := lines[c.start:c.end]
		for len(wantLines) > 0 && wantLines[len(wantLines)-1] == "" {
			wantLines = wantLines[:len(wantLines)-1]
		}
		// (follow's ASCII output carries the HTTP lines' CRs; the README shows the lines)
		gotLines := strings.Split(strings.TrimRight(strings.ReplaceAll(string(out), "\r\n", "\n"), "\n"), "\n")
		if n := len(wantLines) - 1; n >= 0 && wantLines[n] == "..." && len(gotLines) > n {
			gotLines = append(gotLines[:n:n], "...") // the README shows the first n lines
		}
		got, want := strings.Join(gotLines, "\n"), strings.Join(wantLines, "\n")
		if *updateREADME {
			lines = append(lines[:c.start], append(gotLines, lines[c.start+len(wantLines):]...)...)
		} else if got != want {
			t.Errorf("README line %d: %s: output differs:\n%s\nREADME shows:\n%s", c.start, c.cmd, clipOut(got), clipOut(want))
		}
		compared++
	}
	if *updateREADME {
		if err := os.WriteFile(readme, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("README: %d outputs compared, %d command lines run, %d live captures parsed", compared, ran, parsed)
}
