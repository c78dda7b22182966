package field

// icmpv6Fields is filled by the owner of this protocol.
var icmpv6Fields = []Field{}
