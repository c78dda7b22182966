package pipeline

import (
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
)

// Stages is the plan of a run: which pipeline stages it needs.
type Stages struct {
	// Need is the highest stage any field read needs (field.Stage): the
	// filter's fields and, when the consumer says which fields it reads
	// (Config.Fields), those; otherwise field.StageColumns (everything).
	Need field.Stage
	// EarlyFilter: every field the filter names is field.StageDecode, so
	// its verdict is the same before the tracker runs and the two-core
	// variant filters while decoding, off the tracker's core.
	EarlyFilter bool
}

// Plan decides the stages for a filter (nil: none) and the consumer's
// fields (nil: the consumer may read anything), from the stage each field
// declares (field.Field.Need).
func Plan(flt *filter.Filter, fields []*field.Field) Stages {
	s := Stages{Need: field.StageColumns}
	if fields != nil {
		s.Need = field.StageDecode
		for _, fl := range fields {
			s.Need = max(s.Need, fl.Need())
		}
	}
	if flt != nil {
		reg := field.Std()
		filterNeed := field.StageDecode
		for _, name := range flt.Fields() {
			need := field.StageColumns
			if fl := reg.Lookup(name); fl != nil {
				need = fl.Need()
			}
			filterNeed = max(filterNeed, need)
		}
		s.EarlyFilter = filterNeed == field.StageDecode
		s.Need = max(s.Need, filterNeed)
	}
	return s
}
