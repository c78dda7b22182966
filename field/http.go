package field

// httpFields is filled by the owner of this protocol.
var httpFields = []Field{}
