package field

// tlsFields is filled by the owner of this protocol.
var tlsFields = []Field{}
