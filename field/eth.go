package field

// ethFields is filled by the owner of this protocol.
var ethFields = []Field{}
