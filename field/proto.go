package field

// protoFields is filled by the owner of this protocol.
var protoFields = []Field{}
