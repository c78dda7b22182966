package field

// ipFields is filled by the owner of this protocol.
var ipFields = []Field{}
