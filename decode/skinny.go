package decode

import (
	"net/netip"
	"sort"
	"strconv"
)

// Skinny (SCCP, Cisco's Skinny Client Control Protocol) on TCP 2000, as
// Wireshark 4.0's packet-skinny.c shows it: each segment holds one or more
// messages of a 12-byte little-endian header (data length, header
// version, message ID) and a body. The Info column lists every message
// name followed by a space; the Protocol column is SKINNY, or SKINNY/REQ
// or SKINNY/RESP after the last request or response message of the
// segment. The media messages register the RTP address and port they
// announce (rtp.setup-method SKINNY), as SDP does for SIP (voip.go).
//
// Hand-written: no Go library decodes SCCP; the message table is the
// protocol's own (names and kinds as Wireshark's message_id list).

// SkinnyPort is Skinny's TCP port.
const SkinnyPort = 2000

// Skinny header versions Wireshark accepts (Basic, V10, V11, V15..V22).
func skinnyVersionOK(v uint32) bool {
	return v == 0 || v == 0x0a || v == 0x0b || v >= 0x0f && v <= 0x16
}

// skinnyHeaderOK reports whether b starts like a Skinny message:
// Wireshark's test (8 bytes, a data length of at least 4, a known header
// version).
func skinnyHeaderOK(b []byte) bool {
	return len(b) >= 8 && le32(b) >= 4 && skinnyVersionOK(le32(b[4:]))
}

// SkinnyMessages calls fn with each complete message of a Skinny payload
// (header included); it stops at a message the bytes do not hold whole.
func SkinnyMessages(b []byte, fn func(msg []byte) bool) {
	for len(b) >= 12 {
		n := uint64(le32(b)) + 8
		if n < 12 || n > uint64(len(b)) {
			return
		}
		if !fn(b[:n]) {
			return
		}
		b = b[n:]
	}
}

// decodeSkinny records p as Skinny when its first message header passes
// Wireshark's test and registers the media its messages announce.
func (d *Decoder) decodeSkinny(f *Frame, p []byte) bool {
	if !skinnyHeaderOK(p) {
		return false
	}
	f.voipLayer(ProtoSkinny, p)
	SkinnyMessages(p, func(m []byte) bool {
		d.skinnyMedia(f, m)
		return true
	})
	return true
}

// skinnyMedia registers the RTP address and port of a media message:
// each address-then-port pair (Wireshark's "ipport" fields) sets up RTP
// on it, set up by this frame.
func (d *Decoder) skinnyMedia(f *Frame, m []byte) {
	ver := le32(m[4:])
	body := m[12:]
	var off int // where the address starts in body
	switch le32(m[8:]) {
	case 0x0022, 0x0031: // OpenReceiveChannelAck, OpenMultiMediaReceiveChannelAck: status first
		off = 4
	case 0x002a, 0x008a, 0x0101, 0x0102: // conferenceId, passThroughPartyId first
		off = 8
	case 0x0132, 0x0154, 0x0155: // conferenceId, passThroughPartyId, a third word
		off = 12
	default:
		return
	}
	addr, n, ok := skinnyAddr(body, off, ver)
	if !ok || off+n+4 > len(body) {
		return
	}
	port := uint16(le32(body[off+n:]))
	d.voip.addMediaBy(addr, port, mediaRTP, SetupSkinny, f.Number)
}

// skinnyAddr reads a Skinny IPv4-or-IPv6 address at body[off:]: from
// header version 0x11 on a 4-byte type word (0 IPv4, 1 IPv6, 2 both)
// precedes a 16-byte address field; before it, 4 bytes of IPv4. n is the
// bytes the address takes.
func skinnyAddr(body []byte, off int, ver uint32) (a netip.Addr, n int, ok bool) {
	if ver < 0x11 {
		if off+4 > len(body) {
			return a, 0, false
		}
		return netip.AddrFrom4([4]byte(body[off : off+4])), 4, true
	}
	if off+20 > len(body) {
		return a, 0, false
	}
	switch le32(body[off:]) {
	case 0:
		return netip.AddrFrom4([4]byte(body[off+4 : off+8])), 20, true
	case 1, 2:
		return netip.AddrFrom16([16]byte(body[off+4 : off+20])), 20, true
	}
	return a, 20, false
}

// Skinny message kinds (Wireshark's SKINNY_MSGTYPE_*).
const (
	skEvent uint8 = iota
	skRequest
	skResponse
)

type skinnyMsg struct {
	id   uint32
	kind uint8
	name string
}

// skinnyLookup returns the table entry of message ID id.
func skinnyLookup(id uint32) (*skinnyMsg, bool) {
	i := sort.Search(len(skinnyMsgs), func(i int) bool { return skinnyMsgs[i].id >= id })
	if i < len(skinnyMsgs) && skinnyMsgs[i].id == id {
		return &skinnyMsgs[i], true
	}
	return nil, false
}

// SkinnyMessageName returns the name of Skinny message ID id ("" unknown).
func SkinnyMessageName(id uint32) string {
	if m, ok := skinnyLookup(id); ok {
		return m.name
	}
	return ""
}

// appendSkinnyInfo writes each message's name and a space; an unknown ID
// as "0x%08X (Unknown)".
func appendSkinnyInfo(dst []byte, b []byte) []byte {
	SkinnyMessages(b, func(m []byte) bool {
		id := le32(m[8:])
		if e, ok := skinnyLookup(id); ok {
			dst = append(dst, e.name...)
		} else {
			dst = append(dst, "0x"...)
			h := strconv.AppendUint(nil, uint64(id), 16)
			for i := len(h); i < 8; i++ {
				dst = append(dst, '0')
			}
			for _, c := range h {
				if c >= 'a' {
					c -= 'a' - 'A'
				}
				dst = append(dst, c)
			}
			dst = append(dst, " (Unknown)"...)
		}
		dst = append(dst, ' ')
		return true
	})
	return dst
}

// skinnyColumn is SKINNY, or SKINNY/REQ or SKINNY/RESP after the last
// request or response message.
func skinnyColumn(b []byte) string {
	col := "SKINNY"
	SkinnyMessages(b, func(m []byte) bool {
		if e, ok := skinnyLookup(le32(m[8:])); ok {
			switch e.kind {
			case skRequest:
				col = "SKINNY/REQ"
			case skResponse:
				col = "SKINNY/RESP"
			}
		}
		return true
	})
	return col
}

// skinnyMsgs are the message IDs Wireshark 4.0 names, sorted.
var skinnyMsgs = [...]skinnyMsg{
	{0x0000, skRequest, "KeepAliveReq"},
	{0x0001, skRequest, "RegisterReq"},
	{0x0002, skEvent, "IpPort"},
	{0x0003, skEvent, "KeypadButton"},
	{0x0004, skEvent, "EnblocCall"},
	{0x0005, skEvent, "Stimulus"},
	{0x0006, skEvent, "OffHook"},
	{0x0007, skEvent, "OnHook"},
	{0x0008, skEvent, "HookFlash"},
	{0x0009, skRequest, "ForwardStatReq"},
	{0x000a, skRequest, "SpeedDialStatReq"},
	{0x000b, skRequest, "LineStatReq"},
	{0x000c, skRequest, "ConfigStatReq"},
	{0x000d, skRequest, "TimeDateReq"},
	{0x000e, skRequest, "ButtonTemplateReq"},
	{0x000f, skRequest, "VersionReq"},
	{0x0010, skResponse, "CapabilitiesRes"},
	{0x0012, skRequest, "ServerReq"},
	{0x0020, skEvent, "Alarm"},
	{0x0021, skResponse, "MulticastMediaReceptionAck"},
	{0x0022, skResponse, "OpenReceiveChannelAck"},
	{0x0023, skResponse, "ConnectionStatisticsRes"},
	{0x0024, skEvent, "OffHookWithCallingPartyNumber"},
	{0x0025, skRequest, "SoftKeySetReq"},
	{0x0026, skEvent, "SoftKeyEvent"},
	{0x0027, skRequest, "UnregisterReq"},
	{0x0028, skRequest, "SoftKeyTemplateReq"},
	{0x0029, skRequest, "RegisterTokenReq"},
	{0x002a, skResponse, "MediaTransmissionFailure"},
	{0x002b, skEvent, "HeadsetStatus"},
	{0x002c, skEvent, "MediaResourceNotification"},
	{0x002d, skEvent, "RegisterAvailableLines"},
	{0x002e, skRequest, "DeviceToUserData"},
	{0x002f, skResponse, "DeviceToUserDataResponse"},
	{0x0030, skEvent, "UpdateCapabilities"},
	{0x0031, skResponse, "OpenMultiMediaReceiveChannelAck"},
	{0x0032, skEvent, "ClearConference"},
	{0x0033, skRequest, "ServiceURLStatReq"},
	{0x0034, skRequest, "FeatureStatReq"},
	{0x0035, skResponse, "CreateConferenceRes"},
	{0x0036, skResponse, "DeleteConferenceRes"},
	{0x0037, skResponse, "ModifyConferenceRes"},
	{0x0038, skResponse, "AddParticipantRes"},
	{0x0039, skResponse, "AuditConferenceRes"},
	{0x0040, skResponse, "AuditParticipantRes"},
	{0x0041, skRequest, "DeviceToUserDataVersion1"},
	{0x0042, skResponse, "DeviceToUserDataResponseVersion1"},
	{0x0043, skResponse, "CapabilitiesV2Res"},
	{0x0044, skResponse, "CapabilitiesV3Res"},
	{0x0045, skResponse, "PortRes"},
	{0x0046, skEvent, "QoSResvNotify"},
	{0x0047, skEvent, "QoSErrorNotify"},
	{0x0048, skRequest, "SubscriptionStatReq"},
	{0x0049, skEvent, "MediaPathEvent"},
	{0x004a, skEvent, "MediaPathCapability"},
	{0x004c, skRequest, "MwiNotification"},
	{0x0081, skResponse, "RegisterAck"},
	{0x0082, skEvent, "StartTone"},
	{0x0083, skEvent, "StopTone"},
	{0x0085, skEvent, "SetRinger"},
	{0x0086, skEvent, "SetLamp"},
	{0x0087, skEvent, "SetHookFlashDetect"},
	{0x0088, skEvent, "SetSpeakerMode"},
	{0x0089, skEvent, "SetMicroMode"},
	{0x008a, skRequest, "StartMediaTransmission"},
	{0x008b, skEvent, "StopMediaTransmission"},
	{0x008f, skEvent, "CallInfo"},
	{0x0090, skResponse, "ForwardStatRes"},
	{0x0091, skResponse, "SpeedDialStatRes"},
	{0x0092, skResponse, "LineStatRes"},
	{0x0093, skResponse, "ConfigStatRes"},
	{0x0094, skResponse, "TimeDateRes"},
	{0x0095, skEvent, "StartSessionTransmission"},
	{0x0096, skEvent, "StopSessionTransmission"},
	{0x0097, skResponse, "ButtonTemplateRes"},
	{0x0098, skResponse, "VersionRes"},
	{0x0099, skEvent, "DisplayText"},
	{0x009a, skEvent, "ClearDisplay"},
	{0x009b, skEvent, "CapabilitiesReq"},
	{0x009d, skEvent, "RegisterReject"},
	{0x009e, skResponse, "ServerRes"},
	{0x009f, skEvent, "Reset"},
	{0x0100, skResponse, "KeepAliveAck"},
	{0x0101, skRequest, "StartMulticastMediaReception"},
	{0x0102, skRequest, "StartMulticastMediaTransmission"},
	{0x0103, skEvent, "StopMulticastMediaReception"},
	{0x0104, skEvent, "StopMulticastMediaTransmission"},
	{0x0105, skRequest, "OpenReceiveChannel"},
	{0x0106, skEvent, "CloseReceiveChannel"},
	{0x0107, skRequest, "ConnectionStatisticsReq"},
	{0x0108, skResponse, "SoftKeyTemplateRes"},
	{0x0109, skResponse, "SoftKeySetRes"},
	{0x0110, skEvent, "SelectSoftKeys"},
	{0x0111, skEvent, "CallState"},
	{0x0112, skEvent, "DisplayPromptStatus"},
	{0x0113, skEvent, "ClearPromptStatus"},
	{0x0114, skEvent, "DisplayNotify"},
	{0x0115, skEvent, "ClearNotify"},
	{0x0116, skEvent, "ActivateCallPlane"},
	{0x0117, skEvent, "DeactivateCallPlane"},
	{0x0118, skResponse, "UnregisterAck"},
	{0x0119, skEvent, "BackSpaceRes"},
	{0x011a, skResponse, "RegisterTokenAck"},
	{0x011b, skResponse, "RegisterTokenReject"},
	{0x011c, skEvent, "StartMediaFailureDetection"},
	{0x011d, skEvent, "DialedNumber"},
	{0x011e, skEvent, "UserToDeviceData"},
	{0x011f, skResponse, "FeatureStatRes"},
	{0x0120, skEvent, "DisplayPriNotify"},
	{0x0121, skEvent, "ClearPriNotify"},
	{0x0122, skEvent, "StartAnnouncement"},
	{0x0123, skEvent, "StopAnnouncement"},
	{0x0124, skEvent, "AnnouncementFinish"},
	{0x0127, skEvent, "NotifyDtmfTone"},
	{0x0128, skEvent, "SendDtmfTone"},
	{0x0129, skRequest, "SubscribeDtmfPayloadReq"},
	{0x012a, skResponse, "SubscribeDtmfPayloadRes"},
	{0x012b, skResponse, "SubscribeDtmfPayloadErr"},
	{0x012c, skRequest, "UnSubscribeDtmfPayloadReq"},
	{0x012d, skResponse, "UnSubscribeDtmfPayloadRes"},
	{0x012e, skResponse, "UnSubscribeDtmfPayloadErr"},
	{0x012f, skResponse, "ServiceURLStatRes"},
	{0x0130, skEvent, "CallSelectStatRes"},
	{0x0131, skRequest, "OpenMultiMediaReceiveChannel"},
	{0x0132, skRequest, "StartMultiMediaTransmission"},
	{0x0133, skEvent, "StopMultiMediaTransmission"},
	{0x0134, skEvent, "MiscellaneousCommand"},
	{0x0135, skEvent, "FlowControlCommand"},
	{0x0136, skEvent, "CloseMultiMediaReceiveChannel"},
	{0x0137, skRequest, "CreateConferenceReq"},
	{0x0138, skRequest, "DeleteConferenceReq"},
	{0x0139, skRequest, "ModifyConferenceReq"},
	{0x013a, skRequest, "AddParticipantReq"},
	{0x013b, skRequest, "DropParticipantReq"},
	{0x013c, skRequest, "AuditConferenceReq"},
	{0x013d, skRequest, "AuditParticipantReq"},
	{0x013e, skRequest, "ChangeParticipantReq"},
	{0x013f, skEvent, "UserToDeviceDataVersion1"},
	{0x0140, skEvent, "VideoDisplayCommand"},
	{0x0141, skEvent, "FlowControlNotify"},
	{0x0142, skResponse, "ConfigStatV2Res"},
	{0x0143, skEvent, "DisplayNotifyV2"},
	{0x0144, skEvent, "DisplayPriNotifyV2"},
	{0x0145, skEvent, "DisplayPromptStatusV2"},
	{0x0146, skResponse, "FeatureStatV2Res"},
	{0x0147, skResponse, "LineStatV2Res"},
	{0x0148, skResponse, "ServiceURLStatV2Res"},
	{0x0149, skResponse, "SpeedDialStatV2Res"},
	{0x014a, skEvent, "CallInfoV2"},
	{0x014b, skRequest, "PortReq"},
	{0x014c, skEvent, "PortClose"},
	{0x014d, skEvent, "QoSListen"},
	{0x014e, skEvent, "QoSPath"},
	{0x014f, skEvent, "QoSTeardown"},
	{0x0150, skEvent, "UpdateDSCP"},
	{0x0151, skEvent, "QoSModify"},
	{0x0152, skResponse, "SubscriptionStatRes"},
	{0x0153, skEvent, "Notification"},
	{0x0154, skResponse, "StartMediaTransmissionAck"},
	{0x0155, skResponse, "StartMultiMediaTransmissionAck"},
	{0x0156, skEvent, "CallHistoryInfo"},
	{0x0157, skEvent, "LocationInfo"},
	{0x0158, skResponse, "MwiRes"},
	{0x0159, skEvent, "AddOnDeviceCapabilities"},
	{0x015a, skEvent, "EnhancedAlarm"},
	{0x015e, skRequest, "CallCountReq"},
	{0x015f, skResponse, "CallCountResp"},
	{0x0160, skEvent, "RecordingStatus"},
	{0x8000, skRequest, "SPCPRegisterTokenReq"},
	{0x8100, skResponse, "SPCPRegisterTokenAck"},
	{0x8101, skResponse, "SPCPRegisterTokenReject"},
}
