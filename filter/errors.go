package filter

import (
	"errors"
	"sort"
	"strings"
)

// ErrSyntax is matched (errors.Is) by every error Compile returns for a bad
// filter, so callers can tell a bad filter from other failures.
var ErrSyntax = errors.New("invalid display filter")

// Error is one problem in a filter: Msg (worded like Wireshark's) about the
// source bytes [Pos, End). End == Pos means "at the end of the filter" (no
// caret); Pos == len(filter) with End == Pos+1 points just past the end
// (an unterminated string or slice).
// It serialises to JSON for a web UI: {"pos":4,"end":7,"message":"..."}.
type Error struct {
	Pos int    `json:"pos"`
	End int    `json:"end"`
	Msg string `json:"message"`
}

func (e *Error) Error() string { return e.Msg }

// Unwrap makes errors.Is(err, ErrSyntax) true.
func (e *Error) Unwrap() error { return ErrSyntax }

// ErrorList is a list of filter errors sorted by position; the filter text is
// kept so the error can be shown with a caret under the offending token, the
// way tshark does.
type ErrorList struct {
	Src    string   `json:"filter"`
	Errors []*Error `json:"errors"`
}

func (l *ErrorList) add(pos, end int, msg string) {
	l.Errors = append(l.Errors, &Error{Pos: pos, End: end, Msg: msg})
}

// sort orders the errors by position (stable: first reported wins ties).
func (l *ErrorList) sort() {
	sort.SliceStable(l.Errors, func(i, j int) bool { return l.Errors[i].Pos < l.Errors[j].Pos })
}

// err returns l as an error, or nil when it is empty.
func (l *ErrorList) err() error {
	if len(l.Errors) == 0 {
		return nil
	}
	return l
}

// Error returns the first error as tshark prints it: the message, then the
// filter and a caret line underlining the offending token, each indented by
// four spaces. Errors about the end of the filter have no caret.
func (l *ErrorList) Error() string {
	if len(l.Errors) == 0 {
		return "no errors"
	}
	e := l.Errors[0]
	if e.End <= e.Pos || e.Pos > len(l.Src) {
		return e.Msg
	}
	var b strings.Builder
	b.WriteString(e.Msg)
	b.WriteString("\n    ")
	b.WriteString(l.Src)
	b.WriteString("\n    ")
	b.WriteString(strings.Repeat(" ", runeCount(l.Src[:e.Pos])))
	b.WriteByte('^')
	if n := runeCount(l.Src[e.Pos:min(e.End, len(l.Src))]); n > 1 {
		b.WriteString(strings.Repeat("~", n-1))
	}
	return b.String()
}

// Unwrap returns the individual errors.
func (l *ErrorList) Unwrap() []error {
	out := make([]error, len(l.Errors))
	for i, e := range l.Errors {
		out[i] = e
	}
	return out
}

// First returns the first (left-most) error.
func (l *ErrorList) First() *Error {
	if len(l.Errors) == 0 {
		return nil
	}
	return l.Errors[0]
}

func runeCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i]&0xC0 != 0x80 {
			n++
		}
	}
	return n
}
