package decode

func decodeSNMP(f *Frame, p []byte) bool { return false }

func appendSNMPInfo(dst []byte, b []byte) []byte { return dst }
