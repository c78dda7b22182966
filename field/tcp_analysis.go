package field

// tcpAnalysisFields is filled by the owner of this protocol.
var tcpAnalysisFields = []Field{}
