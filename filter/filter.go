package filter

import (
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// Filter is a compiled display filter. Not safe for concurrent use (it owns
// scratch buffers); compile one per goroutine.
type Filter struct {
	src string
}

// Compile parses, checks and compiles expr against reg. Errors are *ErrorList
// values carrying positions.
func Compile(expr string, reg *field.Registry) (*Filter, error) {
	// TODO(filter owner)
	return &Filter{src: expr}, nil
}

// Match reports whether f passes the filter.
func (fl *Filter) Match(f *decode.Frame) bool {
	// TODO(filter owner)
	return true
}

// String returns the normalised filter text.
func (fl *Filter) String() string { return fl.src }
