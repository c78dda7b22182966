package detail

import "github.com/wirewatch/wirewatch/field"

// Values returns the occurrences of a registered field in the frame being
// built, so that a tree shows a generated field exactly when the field
// registry (and so the display filters) says it is present.
func (b *Builder) Values(name string) []field.Value {
	fl := field.Std().Lookup(name)
	if fl == nil {
		return nil
	}
	b.vals = fl.Get(b.Frame, b.vals[:0])
	return b.vals
}

// Value returns the first occurrence of a registered field.
func (b *Builder) Value(name string) (field.Value, bool) {
	v := b.Values(name)
	if len(v) == 0 {
		return field.Value{}, false
	}
	return v[0], true
}
