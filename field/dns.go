package field

// dnsFields is filled by the owner of this protocol.
var dnsFields = []Field{}
