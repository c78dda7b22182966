package field

// tcpFields is filled by the owner of this protocol.
var tcpFields = []Field{}
