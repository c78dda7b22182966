package decode

import "strings"

// DCE/RPC interfaces Wireshark names: the UUID (as text), the name in a
// Bind's Info, the Protocol column of its calls, and its operation names
// by opnum (from the interfaces' IDL, as Wireshark's PIDL dissectors name
// them). Operations not listed print "Unknown operation N".

type dceIface struct {
	uuid, bind, column string
	ops                []string
}

func ops(s string) []string { return strings.Fields(s) }

var dceIfaces = []dceIface{
	{"e1af8308-5d1f-11c9-91a4-08002b14a0fa", "EPMv4", "EPM",
		ops("Insert Delete Lookup Map LookupHandleFree InqObject MgmtDelete")},
	{"12345778-1234-abcd-ef00-0123456789ab", "LSARPC", "LSARPC", ops(`lsa_Close lsa_Delete lsa_EnumPrivs
		lsa_QuerySecurity lsa_SetSecObj lsa_ChangePassword lsa_OpenPolicy lsa_QueryInfoPolicy lsa_SetInfoPolicy
		lsa_ClearAuditLog lsa_CreateAccount lsa_EnumAccounts lsa_CreateTrustedDomain lsa_EnumTrustDom
		lsa_LookupNames lsa_LookupSids lsa_CreateSecret lsa_OpenAccount lsa_EnumPrivsAccount
		lsa_AddPrivilegesToAccount lsa_RemovePrivilegesFromAccount lsa_GetQuotasForAccount lsa_SetQuotasForAccount
		lsa_GetSystemAccessAccount lsa_SetSystemAccessAccount lsa_OpenTrustedDomain lsa_QueryTrustedDomainInfo
		lsa_SetInformationTrustedDomain lsa_OpenSecret lsa_SetSecret lsa_QuerySecret lsa_LookupPrivValue
		lsa_LookupPrivName lsa_LookupPrivDisplayName lsa_DeleteObject lsa_EnumAccountsWithUserRight
		lsa_EnumAccountRights lsa_AddAccountRights lsa_RemoveAccountRights lsa_QueryTrustedDomainInfoBySid
		lsa_SetTrustedDomainInfo lsa_DeleteTrustedDomain lsa_StorePrivateData lsa_RetrievePrivateData
		lsa_OpenPolicy2 lsa_GetUserName lsa_QueryInfoPolicy2 lsa_SetInfoPolicy2 lsa_QueryTrustedDomainInfoByName
		lsa_SetTrustedDomainInfoByName lsa_EnumTrustedDomainsEx lsa_CreateTrustedDomainEx lsa_CloseTrustedDomainEx
		lsa_QueryDomainInformationPolicy lsa_SetDomainInformationPolicy lsa_OpenTrustedDomainByName lsa_TestCall
		lsa_LookupSids2 lsa_LookupNames2 lsa_CreateTrustedDomainEx2`)},
	{"12345778-1234-abcd-ef00-0123456789ac", "SAMR", "SAMR", ops(`samr_Connect samr_Close samr_SetSecurity
		samr_QuerySecurity samr_Shutdown samr_LookupDomain samr_EnumDomains samr_OpenDomain samr_QueryDomainInfo
		samr_SetDomainInfo samr_CreateDomainGroup samr_EnumDomainGroups samr_CreateUser samr_EnumDomainUsers
		samr_CreateDomAlias samr_EnumDomainAliases samr_GetAliasMembership samr_LookupNames samr_LookupRids
		samr_OpenGroup samr_QueryGroupInfo samr_SetGroupInfo samr_AddGroupMember samr_DeleteDomainGroup
		samr_DeleteGroupMember samr_QueryGroupMember samr_SetMemberAttributesOfGroup samr_OpenAlias
		samr_QueryAliasInfo samr_SetAliasInfo samr_DeleteDomAlias samr_AddAliasMember samr_DeleteAliasMember
		samr_GetMembersInAlias samr_OpenUser samr_DeleteUser samr_QueryUserInfo samr_SetUserInfo
		samr_ChangePasswordUser samr_GetGroupsForUser samr_QueryDisplayInfo samr_GetDisplayEnumerationIndex
		samr_TestPrivateFunctionsDomain samr_TestPrivateFunctionsUser samr_GetUserPwInfo
		samr_RemoveMemberFromForeignDomain samr_QueryDomainInfo2 samr_QueryUserInfo2 samr_QueryDisplayInfo2
		samr_GetDisplayEnumerationIndex2 samr_CreateUser2 samr_QueryDisplayInfo3 samr_AddMultipleMembersToAlias
		samr_RemoveMultipleMembersFromAlias samr_OemChangePasswordUser2 samr_ChangePasswordUser2 samr_GetDomPwInfo
		samr_Connect2 samr_SetUserInfo2 samr_SetBootKeyInformation samr_GetBootKeyInformation samr_Connect3
		samr_Connect4 samr_ChangePasswordUser3 samr_Connect5 samr_RidToSid samr_SetDsrmPassword
		samr_ValidatePassword`)},
	{"4b324fc8-1670-01d3-1278-5a47bf6ee188", "SRVSVC", "SRVSVC", ops(`NetCharDevEnum NetCharDevGetInfo
		NetCharDevControl NetCharDevQEnum NetCharDevQGetInfo NetCharDevQSetInfo NetCharDevQPurge
		NetCharDevQPurgeSelf NetConnEnum NetFileEnum NetFileGetInfo NetFileClose NetSessEnum NetSessDel
		NetShareAdd NetShareEnumAll NetShareGetInfo NetShareSetInfo NetShareDel NetShareDelSticky NetShareCheck
		NetSrvGetInfo NetSrvSetInfo NetDiskEnum NetServerStatisticsGet NetTransportAdd NetTransportEnum
		NetTransportDel NetRemoteTOD NetSetServiceBits NetPathType NetPathCanonicalize NetPathCompare
		NetNameValidate NETRPRNAMECANONICALIZE NetPRNameCompare NetShareEnum NetShareDelStart NetShareDelCommit
		NetGetFileSecurity NetSetFileSecurity NetServerTransportAddEx NetServerSetServiceBitsEx`)},
	{"367abb81-9844-35f1-ad32-98f038001003", "SVCCTL", "SVCCTL", ops(`CloseServiceHandle ControlService
		DeleteService LockServiceDatabase QueryServiceObjectSecurity SetServiceObjectSecurity QueryServiceStatus
		SetServiceStatus UnlockServiceDatabase NotifyBootConfigStatus SetServiceBitsW ChangeServiceConfigW
		CreateServiceW EnumDependentServicesW EnumServicesStatusW OpenSCManagerW OpenServiceW QueryServiceConfigW
		QueryServiceLockStatusW StartServiceW GetServiceDisplayNameW GetServiceKeyNameW SetServiceBitsA
		ChangeServiceConfigA CreateServiceA EnumDependentServicesA EnumServicesStatusA OpenSCManagerA OpenServiceA
		QueryServiceConfigA QueryServiceLockStatusA StartServiceA GetServiceDisplayNameA GetServiceKeyNameA
		GetCurrentGroupStateW EnumServiceGroupW ChangeServiceConfig2A ChangeServiceConfig2W QueryServiceConfig2A
		QueryServiceConfig2W QueryServiceStatusEx EnumServicesStatusExA EnumServicesStatusExW SCSendTSMessage`)},
	{"6bffd098-a112-3610-9833-46c3f87e345a", "WKSSVC", "WKSSVC", ops(`wkssvc_NetWkstaGetInfo
		wkssvc_NetWkstaSetInfo wkssvc_NetWkstaEnumUsers wkssvc_NetrWkstaUserGetInfo wkssvc_NetrWkstaUserSetInfo
		wkssvc_NetWkstaTransportEnum wkssvc_NetrWkstaTransportAdd wkssvc_NetrWkstaTransportDel wkssvc_NetrUseAdd
		wkssvc_NetrUseGetInfo wkssvc_NetrUseDel wkssvc_NetrUseEnum wkssvc_NetrMessageBufferSend
		wkssvc_NetrWorkstationStatisticsGet wkssvc_NetrLogonDomainNameAdd wkssvc_NetrLogonDomainNameDel
		wkssvc_NetrJoinDomain wkssvc_NetrUnjoinDomain wkssvc_NetrRenameMachineInDomain wkssvc_NetrValidateName
		wkssvc_NetrGetJoinInformation wkssvc_NetrGetJoinableOus wkssvc_NetrJoinDomain2 wkssvc_NetrUnjoinDomain2`)},
	{"338cd001-2244-31f1-aaaa-900038001003", "WINREG", "WINREG", ops(`winreg_OpenHKCR winreg_OpenHKCU
		winreg_OpenHKLM winreg_OpenHKPD winreg_OpenHKU winreg_CloseKey winreg_CreateKey winreg_DeleteKey
		winreg_DeleteValue winreg_EnumKey winreg_EnumValue winreg_FlushKey winreg_GetKeySecurity winreg_LoadKey
		winreg_NotifyChangeKeyValue winreg_OpenKey winreg_QueryInfoKey winreg_QueryValue winreg_ReplaceKey
		winreg_RestoreKey winreg_SaveKey winreg_SetKeySecurity winreg_SetValue winreg_UnLoadKey
		winreg_InitiateSystemShutdown winreg_AbortSystemShutdown winreg_GetVersion winreg_OpenHKCC
		winreg_OpenHKDD winreg_QueryMultipleValues winreg_InitiateSystemShutdownEx winreg_SaveKeyEx
		winreg_OpenHKPT winreg_OpenHKPN winreg_QueryMultipleValues2 winreg_DeleteKeyEx`)},
	{"12345678-1234-abcd-ef00-01234567cffb", "RPC_NETLOGON", "RPC_NETLOGON", nil},
	{"f5cc5a18-4264-101a-8c59-08002b2f8426", "NSPI", "NSPI", ops(`NspiBind NspiUnbind NspiUpdateStat
		NspiQueryRows NspiSeekEntries NspiGetMatches NspiResortRestriction NspiDNToEph NspiGetPropList
		NspiGetProps NspiCompareDNTs NspiModProps NspiGetHierarchyInfo NspiGetTemplateInfo NspiModLinkAtt
		NspiDeleteEntries NspiQueryColumns NspiGetNamesFromIDs NspiGetIDsFromNames NspiResolveNames
		NspiResolveNamesW`)},
	{"a4f1db00-ca47-1067-b31f-00dd010662da", "MAPI", "MAPI", ops(`EcDoConnect EcDoDisconnect EcDoRpc
		EcGetMoreRpc EcRRegisterPushNotification EcRUnregisterPushNotification EcDummyRpc EcRGetDCName
		EcRNetGetDCName EcDoRpcExt EcDoConnectEx EcDoRpcExt2 EcUnknown0xC EcUnknown0xD EcDoAsyncConnectEx`)},
	{"e3514235-4b06-11d1-ab04-00c04fc2dcd2", "DRSUAPI", "DRSUAPI", nil},
	{"3919286a-b10c-11d0-9ba8-00c04fd92ef5", "LSA_DS", "LSA_DS", nil},
	{"1ff70682-0a51-30e8-076d-740be8cee98b", "ATSVC", "ATSVC", nil},
	{"12345678-1234-abcd-ef00-0123456789ab", "SPOOLSS", "SPOOLSS", nil},
	{"99fcfec4-5260-101b-bbcb-00aa0021347a", "IOXIDResolver", "IOXIDResolver", nil},
	{"000001a0-0000-0000-c000-000000000046", "ISystemActivator", "ISystemActivator", nil},
	{"4d9f4ab8-7d1c-11cf-861e-0020af6e7c57", "IRemoteActivation", "IRemoteActivation", nil},
	{"86d35949-83c9-4044-b424-db363231fd0c", "ITaskSchedulerService", "ITaskSchedulerService", nil},
	{"3d267954-eeb7-11d1-b94e-00c04fa3080d", "TermServLicensing", "TermServLicensing", nil},
}

// dceTransferSyntaxes names the transfer syntaxes of a Bind.
var dceTransferSyntaxes = map[string]string{
	"8a885d04-1ceb-11c9-9fe8-08002b104860": "32bit NDR",
	"71710533-beba-4937-8319-b5dbef9ccc36": "64bit NDR",
}
