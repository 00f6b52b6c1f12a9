//! The standard actions of Windows Installer.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_unique() {
        assert!(STANDARD_ACTIONS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn recognises_names_case_sensitively() {
        assert!(is_standard_action("InstallFinalize"));
        assert!(is_standard_action("RMCCPSearch"));
        assert!(!is_standard_action("installfinalize"));
        assert!(!is_standard_action("MyAction"));
        assert!(is_reserved_action("INSTALL"));
        assert_eq!(
            standard_action_ignoring_case("installfiles"),
            Some("InstallFiles")
        );
    }
}
