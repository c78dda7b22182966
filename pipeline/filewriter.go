package pipeline

import (
	"fmt"
	"io"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
)

// FileWriter saves the frames a pipeline displays (read -w FILE): pcapng,
// or classic pcap when FILE ends in .pcap (or Format says so). Timestamps, original and captured
// lengths, interfaces (link type, snap length, name, description, FCS length)
// and packet comments are preserved, so tshark reads the new file as it
// reads the selected frames of the original. pcapng custom blocks that may
// be copied are copied (pcapng output), as tshark -w does.
type FileWriter struct {
	path     string // "-" writes pcapng to stdout
	format   string // -F pcap|pcapng; "" as the name says
	stdout   io.Writer
	src      Meta
	w        capture.Writer
	declared int // interfaces of src declared in the output so far
	err      error
}

// NewFileWriter returns a writer to path ("-": stdout) in format ("pcap",
// "pcapng", "": as the name says). Use its Open as Config.OnOpen, its Write
// as the Consumer (on one core: Config.Parallel false), then Close it.
func NewFileWriter(path, format string, stdout io.Writer) *FileWriter {
	return &FileWriter{path: path, format: format, stdout: stdout}
}

// Open creates the output file once the source capture is open, declaring
// the interfaces the source has announced so far.
func (cw *FileWriter) Open(r Meta) {
	cw.src = r
	ifs := r.Interfaces()
	if cw.path == "-" {
		if cw.format == "pcap" && len(ifs) > 0 {
			cw.w, cw.err = capture.NewPcapWriter(cw.stdout, ifs[0].LinkType, ifs[0].SnapLen, true)
		} else {
			cw.w, cw.err = capture.NewPcapngWriter(cw.stdout, capture.PcapngWriterOptions{Interfaces: ifs})
		}
	} else {
		cw.w, cw.err = capture.CreateFormat(cw.path, ifs, cw.format)
	}
	if cw.err != nil {
		cw.err = fmt.Errorf("-w %s: %w", cw.path, cw.err)
		return
	}
	cw.declared = len(ifs)
}

// Write appends one displayed frame.
func (cw *FileWriter) Write(f *decode.Frame) error {
	if cw.err != nil {
		return cw.err
	}
	if cw.w == nil {
		return fmt.Errorf("-w %s: the capture was not opened", cw.path)
	}
	if f.LinkType == capture.LinkCustomBlock {
		// A pcapng custom block: copied when its type allows it, as tshark -w
		// copies it, so the frame numbers of the new file match the old.
		info := capture.Info{CapLen: len(f.Data), Len: f.Len, LinkType: f.LinkType, Interface: -1, NoTS: true,
			CustomType: f.CustomType, CustomPEN: f.CustomPEN}
		if err := cw.w.WritePacket(info, f.Data); err != nil {
			cw.err = fmt.Errorf("-w %s: %w", cw.path, err)
		}
		return cw.err
	}
	idx := cw.fileIndex(f)
	// Declare interfaces the source announced after the output was created.
	if ad, ok := cw.w.(capture.InterfaceAdder); ok {
		ifs := cw.src.Interfaces()
		for cw.declared < len(ifs) && cw.declared <= idx {
			ad.AddInterface(ifs[cw.declared])
			cw.declared++
		}
	}
	info := capture.Info{TS: f.TS, CapLen: len(f.Data), Len: f.Len, LinkType: f.LinkType, Interface: max(idx, 0), Comments: f.Comments}
	if err := cw.w.WritePacket(info, f.Data); err != nil {
		cw.err = fmt.Errorf("-w %s: %w", cw.path, err)
	}
	return cw.err
}

// fileIndex maps the frame's interface (its ID within its pcapng section, as
// tshark numbers it) back to the index in the file's interface list: the
// last interface with that ID, since frames arrive in file order and the
// newest section is the frame's own.
func (cw *FileWriter) fileIndex(f *decode.Frame) int {
	ifs := cw.src.Interfaces()
	for i := len(ifs) - 1; i >= 0; i-- {
		if ifs[i].ID == f.Interface {
			return i
		}
	}
	return f.Interface
}

// Close finishes the file.
func (cw *FileWriter) Close() error {
	if cw.w == nil {
		return cw.err
	}
	err := cw.w.Close()
	cw.w = nil
	if cw.err != nil {
		return cw.err
	}
	if err != nil {
		return fmt.Errorf("-w %s: %w", cw.path, err)
	}
	return nil
}
