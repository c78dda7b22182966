package field

// vlanFields is filled by the owner of this protocol.
var vlanFields = []Field{}
