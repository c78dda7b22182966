package field

// frameFields is filled by the owner of this protocol.
var frameFields = []Field{}
