package field_test

import (
	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// exerciser decodes packets and reads every field it was given, the
// columns, frame.protocols and the expert items: the body of this package's
// fuzz targets, where nothing may panic on hostile bytes.
type exerciser struct {
	fields []*field.Field
	dec    *decode.Decoder
	fr     decode.Frame
	vals   []field.Value
}

func newExerciser(fields []*field.Field) *exerciser {
	return &exerciser{fields: fields, dec: decode.NewDecoder(decode.Options{})}
}

// fieldsOf returns the registered fields whose protocol keep accepts.
func fieldsOf(keep func(decode.Proto) bool) []*field.Field {
	var out []*field.Field
	for _, fl := range field.Std().All() {
		if keep(fl.Proto) {
			out = append(out, fl)
		}
	}
	return out
}

// packet decodes p as the next frame and reads everything a user could ask
// of it.
func (x *exerciser) packet(p capture.Packet) {
	x.fr.Number++ // numbered as in a capture: setup frames and responses refer to them
	x.dec.Decode(&x.fr, p)
	for _, fl := range x.fields {
		x.vals = fl.Get(&x.fr, x.vals[:0])
	}
	for _, c := range []decode.Column{decode.ColInfo, decode.ColProtocol, decode.ColSource, decode.ColDestination} {
		x.fr.ColumnText(c)
	}
	x.fr.Protocols()
	var ex [16]decode.Expert
	x.fr.AppendExpert(ex[:0])
}

// raw decodes pkt as a whole captured packet of link type lt.
func (x *exerciser) raw(lt capture.LinkType, pkt []byte) {
	x.packet(capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: lt}, Data: pkt})
}
