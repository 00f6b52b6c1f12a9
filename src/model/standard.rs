//! The standard actions and properties of Windows Installer.

/// Every documented standard action (the 75 of the reference page plus
/// `InstallExecuteAgain`), sorted for binary search. Names are case-sensitive.
const STANDARD_ACTIONS: [&str; 76] = [
    "AllocateRegistrySpace",
    "AppSearch",
    "BindImage",
    "CCPSearch",
    "CostFinalize",
    "CostInitialize",
    "CreateFolders",
    "CreateShortcuts",
    "DeleteServices",
    "DisableRollback",
    "DuplicateFiles",
    "ExecuteAction",
    "FileCost",
    "FindRelatedProducts",
    "ForceReboot",
    "InstallAdminPackage",
    "InstallExecute",
    "InstallExecuteAgain",
    "InstallFiles",
    "InstallFinalize",
    "InstallInitialize",
    "InstallODBC",
    "InstallSFPCatalogFile",
    "InstallServices",
    "InstallValidate",
    "IsolateComponents",
    "LaunchConditions",
    "MigrateFeatureStates",
    "MoveFiles",
    "MsiConfigureServices",
    "MsiPublishAssemblies",
    "MsiUnpublishAssemblies",
    "PatchFiles",
    "ProcessComponents",
    "PublishComponents",
    "PublishFeatures",
    "PublishProduct",
    "RMCCPSearch",
    "RegisterClassInfo",
    "RegisterComPlus",
    "RegisterExtensionInfo",
    "RegisterFonts",
    "RegisterMIMEInfo",
    "RegisterProduct",
    "RegisterProgIdInfo",
    "RegisterTypeLibraries",
    "RegisterUser",
    "RemoveDuplicateFiles",
    "RemoveEnvironmentStrings",
    "RemoveExistingProducts",
    "RemoveFiles",
    "RemoveFolders",
    "RemoveIniValues",
    "RemoveODBC",
    "RemoveRegistryValues",
    "RemoveShortcuts",
    "ResolveSource",
    "ScheduleReboot",
    "SelfRegModules",
    "SelfUnregModules",
    "SetODBCFolders",
    "StartServices",
    "StopServices",
    "UnpublishComponents",
    "UnpublishFeatures",
    "UnregisterClassInfo",
    "UnregisterComPlus",
    "UnregisterExtensionInfo",
    "UnregisterFonts",
    "UnregisterMIMEInfo",
    "UnregisterProgIdInfo",
    "UnregisterTypeLibraries",
    "ValidateProductID",
    "WriteEnvironmentStrings",
    "WriteIniValues",
    "WriteRegistryValues",
];

/// Top-level actions: never in sequence tables, but reserved names.
const TOP_LEVEL_ACTIONS: [&str; 4] = ["ADMIN", "ADVERTISE", "INSTALL", "SEQUENCE"];

/// Whether `name` is a standard action (exact, case-sensitive).
pub fn is_standard_action(name: &str) -> bool {
    STANDARD_ACTIONS
        .binary_search_by(|probe| probe.cmp(&name))
        .is_ok()
}

/// Whether `name` is reserved for the installer: a standard or top-level action.
pub fn is_reserved_action(name: &str) -> bool {
    is_standard_action(name) || TOP_LEVEL_ACTIONS.contains(&name)
}

/// A standard action whose name equals `name` ignoring case, if `name` is not
/// itself one.
pub fn standard_action_ignoring_case(name: &str) -> Option<&'static str> {
    STANDARD_ACTIONS
        .iter()
        .copied()
        .find(|s| *s != name && s.eq_ignore_ascii_case(name))
}

/// The properties Windows Installer defines or reads ("Property Reference"):
/// set by the installer (`Installed`, `VersionNT`), by the user on the
/// command line (`REMOVE`, `ALLUSERS`) or by the package for the installer
/// to read (`ARPNOREPAIR`). Sorted (byte order), for binary search.
const STANDARD_PROPERTIES: [&str; 215] = [
    "ACTION",
    "ADDDEFAULT",
    "ADDLOCAL",
    "ADDSOURCE",
    "ADVERTISE",
    "AFTERREBOOT",
    "ALLUSERS",
    "ARPAUTHORIZEDCDFPREFIX",
    "ARPCOMMENTS",
    "ARPCONTACT",
    "ARPHELPLINK",
    "ARPHELPTELEPHONE",
    "ARPINSTALLLOCATION",
    "ARPNOMODIFY",
    "ARPNOREMOVE",
    "ARPNOREPAIR",
    "ARPPRODUCTICON",
    "ARPREADME",
    "ARPSIZE",
    "ARPSYSTEMCOMPONENT",
    "ARPURLINFOABOUT",
    "ARPURLUPDATEINFO",
    "AdminProperties",
    "AdminToolsFolder",
    "AdminUser",
    "AppDataFolder",
    "BorderSide",
    "BorderTop",
    "CCP_DRIVE",
    "CLIENTPROCESSID",
    "CLIENTUILEVEL",
    "COMPADDDEFAULT",
    "COMPADDLOCAL",
    "COMPADDSOURCE",
    "COMPANYNAME",
    "CaptionHeight",
    "ColorBits",
    "CommonAppDataFolder",
    "CommonFiles6432Folder",
    "CommonFiles64Folder",
    "CommonFilesFolder",
    "ComponentDownload",
    "ComputerName",
    "CostingComplete",
    "DATABASE",
    "DISABLEADVTSHORTCUTS",
    "DISABLEMEDIA",
    "DISABLEROLLBACK",
    "Date",
    "DefaultUIFont",
    "DesktopFolder",
    "DiskPrompt",
    "EXECUTEACTION",
    "EXECUTEMODE",
    "EnableUserControl",
    "FASTOEM",
    "FILEADDDEFAULT",
    "FILEADDLOCAL",
    "FILEADDSOURCE",
    "FavoritesFolder",
    "FontsFolder",
    "INSTALLLEVEL",
    "Installed",
    "Intel",
    "Intel64",
    "IsAdminPackage",
    "LIMITUI",
    "LOGACTION",
    "LeftUnit",
    "LocalAppDataFolder",
    "LogonUser",
    "MEDIAPACKAGEPATH",
    "MSIARPSETTINGSIDENTIFIER",
    "MSICHECKCRCS",
    "MSIDISABLEEEUI",
    "MSIDISABLELUAPATCHING",
    "MSIDISABLERMRESTART",
    "MSIENFORCEUPGRADECOMPONENTRULES",
    "MSIFASTINSTALL",
    "MSIINSTALLPERUSER",
    "MSIINSTANCEGUID",
    "MSINEWINSTANCE",
    "MSINODISABLEMEDIA",
    "MSIPATCHDOWNLOADLOCALCACHE",
    "MSIPATCHREMOVE",
    "MSIRESTARTMANAGERCONTROL",
    "MSIRMSHUTDOWN",
    "MSIUNINSTALLSUPERSEDEDCOMPONENTS",
    "MSIUSEREALADMINDETECTION",
    "Manufacturer",
    "MediaSourceDir",
    "MsiAMD64",
    "MsiDeferredCustomActionData",
    "MsiHiddenProperties",
    "MsiLogFileLocation",
    "MsiLogging",
    "MsiNTProductType",
    "MsiNTSuiteBackOffice",
    "MsiNTSuiteDataCenter",
    "MsiNTSuiteEnterprise",
    "MsiNTSuitePersonal",
    "MsiNTSuiteSmallBusiness",
    "MsiNTSuiteSmallBusinessRestricted",
    "MsiNTSuiteWebServer",
    "MsiNetAssemblySupport",
    "MsiPatchRemovalList",
    "MsiRestartManagerSessionKey",
    "MsiRunningElevated",
    "MsiSystemRebootPending",
    "MsiTabletPC",
    "MsiUIHideCancel",
    "MsiUIProgressOnly",
    "MsiUISourceResOnly",
    "MsiWin32AssemblySupport",
    "Msix64",
    "MyPicturesFolder",
    "NOCOMPANYNAME",
    "NOUSERNAME",
    "NetHoodFolder",
    "OLEAdvtSupport",
    "OriginalDatabase",
    "OutOfDiskSpace",
    "OutOfNoRbDiskSpace",
    "PATCH",
    "PATCHNEWPACKAGECODE",
    "PATCHNEWSUMMARYCOMMENTS",
    "PATCHNEWSUMMARYSUBJECT",
    "PIDKEY",
    "PIDTemplate",
    "PRIMARYFOLDER",
    "PROMPTROLLBACKCOST",
    "PackageCode",
    "PackagecodeChanging",
    "PersonalFolder",
    "PhysicalMemory",
    "Preselected",
    "PrimaryVolumePath",
    "PrimaryVolumeSpaceAvailable",
    "PrimaryVolumeSpaceRemaining",
    "PrimaryVolumeSpaceRequired",
    "PrintHoodFolder",
    "Privileged",
    "ProductCode",
    "ProductID",
    "ProductLanguage",
    "ProductName",
    "ProductState",
    "ProductToBeRegistered",
    "ProductVersion",
    "ProgramFiles6432Folder",
    "ProgramFiles64Folder",
    "ProgramFilesFolder",
    "ProgramMenuFolder",
    "REBOOT",
    "REBOOTPROMPT",
    "REINSTALL",
    "REINSTALLMODE",
    "REMOVE",
    "RESUME",
    "ROOTDRIVE",
    "RecentFolder",
    "RedirectedDllSupport",
    "RegCompany",
    "RegOwner",
    "RemoteAdminTS",
    "ReplacedInUseFiles",
    "RestrictedUserControl",
    "Resume",
    "RollbackDisabled",
    "SECONDSEQUENCE",
    "SEQUENCE",
    "SHORTFILENAMES",
    "SOURCEDIR",
    "ScreenX",
    "ScreenY",
    "SecureCustomProperties",
    "SendToFolder",
    "ServicePackLevel",
    "ServicePackLevelMinor",
    "SharedWindows",
    "ShellAdvtSupport",
    "SourceDir",
    "StartMenuFolder",
    "StartupFolder",
    "System16Folder",
    "System6432Folder",
    "System64Folder",
    "SystemFolder",
    "SystemLanguageID",
    "TARGETDIR",
    "TRANSFORMS",
    "TRANSFORMSATSOURCE",
    "TRANSFORMSSECURE",
    "TTCSupport",
    "TempFolder",
    "TemplateFolder",
    "TerminalServer",
    "TextHeight",
    "Time",
    "UILevel",
    "UPGRADINGPRODUCTCODE",
    "USERNAME",
    "UpdateStarted",
    "UpgradeCode",
    "UserLanguageID",
    "UserSID",
    "Version9X",
    "VersionDatabase",
    "VersionMsi",
    "VersionNT",
    "VersionNT64",
    "VirtualMemory",
    "WindowsBuild",
    "WindowsFolder",
    "WindowsVolume",
];

/// Whether `name` is a standard property (exact, case-sensitive).
pub fn is_standard_property(name: &str) -> bool {
    STANDARD_PROPERTIES
        .binary_search_by(|probe| probe.cmp(&name))
        .is_ok()
}

/// The standard properties, for lookups by similarity.
pub fn standard_properties() -> &'static [&'static str] {
    &STANDARD_PROPERTIES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_unique() {
        assert!(STANDARD_ACTIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(STANDARD_PROPERTIES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn recognises_names_case_sensitively() {
        assert!(is_standard_action("InstallFinalize"));
        assert!(is_standard_action("RMCCPSearch"));
        assert!(!is_standard_action("installfinalize"));
        assert!(!is_standard_action("MyAction"));
        assert!(is_reserved_action("INSTALL"));
        assert!(is_standard_property("UPGRADINGPRODUCTCODE"));
        assert!(is_standard_property("VersionNT64"));
        assert!(!is_standard_property("versionnt64"));
        assert_eq!(
            standard_action_ignoring_case("installfiles"),
            Some("InstallFiles")
        );
    }
}
