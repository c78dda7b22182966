package cli

import "github.com/wirewatch/wirewatch/pipeline"

// writeSelected runs the pipeline and writes the displayed frames to path
// instead of printing them, as tshark -w does ("-" is standard output).
func writeSelected(env *Env, in, path, format string, o pipeline.Config) error {
	cw := pipeline.NewFileWriter(path, format, env.Stdout)
	onOpen := o.OnOpen
	o.OnOpen = func(r pipeline.Meta) {
		if onOpen != nil {
			onOpen(r)
		}
		cw.Open(r)
	}
	err := runFile(env, in, o, cw.Write)
	if cerr := cw.Close(); err == nil {
		err = cerr
	}
	return err
}
