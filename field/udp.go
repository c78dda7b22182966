package field

// udpFields is filled by the owner of this protocol.
var udpFields = []Field{}
