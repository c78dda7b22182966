package opt

import "strings"

// ImpliedCommand is the command a line starting with an option means:
// capture for the live options -i and -D (without -r), else read.
func ImpliedCommand(args []string) string {
	live := false
	for _, a := range args {
		if a == "--" {
			break
		}
		if len(a) < 2 || a[0] != '-' || a[1] == '-' {
			continue
		}
		for j := 1; j < len(a); j++ {
			switch a[j] {
			case 'r':
				return "read"
			case 'i', 'D':
				live = true
			}
			if Read.TakesValue(a[j]) || Capture.TakesValue(a[j]) {
				break // the rest of the word is the value
			}
		}
	}
	if live {
		return "capture"
	}
	return "read"
}

// CommandList names the commands, comma-separated.
func CommandList() string {
	var n []string
	for _, c := range Commands {
		n = append(n, c.Name)
	}
	return strings.Join(n, ", ")
}
