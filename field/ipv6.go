package field

// ipv6Fields is filled by the owner of this protocol.
var ipv6Fields = []Field{}
