package field

// icmpFields is filled by the owner of this protocol.
var icmpFields = []Field{}
