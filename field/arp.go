package field

// arpFields is filled by the owner of this protocol.
var arpFields = []Field{}
