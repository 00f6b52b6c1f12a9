use crate::finding::Location;
use crate::rules::{system_context_matches, Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds deferred no-impersonate actions (running as LocalSystem) that refer to the
    /// installing user's profile, registry hive or desktop: per-user folder properties
    /// (`[AppDataFolder]`, `[LocalAppDataFolder]`, `[PersonalFolder]`, ... and
    /// `[DesktopFolder]` in a per-user package), `%USERPROFILE%`, `%APPDATA%`, or `HKCU`.
    ///
    /// ## Why is this bad?
    /// A LocalSystem action runs in session 0 with the system account's profile, so
    /// `HKCU` is the system's hive and environment variables point at the system
    /// profile. Folder properties are resolved for the installing user, but the action
    /// writes there as SYSTEM, leaving files the user may not own.
    ///
    /// ## Example
    /// | Action | Type | Target |
    /// |---|---|---|
    /// | `WriteSettings` | 3106 | `"[INSTALLDIR]cfg.exe" --out "[AppDataFolder]App"` |
    ///
    /// ## Use instead
    /// Do per-user work in an impersonated action (without `0x800`), or at first run of
    /// the application; write machine-wide data to `[CommonAppDataFolder]`.
    ///
    /// ## References
    /// "Custom Action Security"; msi-reference 1.7.
    pub struct SystemContextUserProfile {
        code: "MCA502",
        name: "system-context-user-profile",
        severity: Warning,
        summary: "A no-impersonate deferred action that refers to the installing user's profile, registry hive or desktop",
    }
}

const USER_FOLDERS: [&str; 11] = [
    "[AppDataFolder]",
    "[LocalAppDataFolder]",
    "[PersonalFolder]",
    "[MyPicturesFolder]",
    "[FavoritesFolder]",
    "[RecentFolder]",
    "[SendToFolder]",
    "[NetHoodFolder]",
    "[PrintHoodFolder]",
    "[TemplateFolder]",
    "[StartupFolder]",
];

const USER_MARKERS: [&str; 8] = [
    "%USERPROFILE%",
    "%APPDATA%",
    "%LOCALAPPDATA%",
    "[%USERPROFILE]",
    "[%APPDATA]",
    "[%LOCALAPPDATA]",
    "HKCU",
    "HKEY_CURRENT_USER",
];

/// The first user folder in `text`, else its first user marker, else (in a
/// per-user package) the desktop. One pass over the text: this runs on every
/// text that reaches a LocalSystem action.
fn user_reference(text: &str, per_user_package: bool) -> Option<&'static str> {
    let bytes = text.as_bytes();
    // A marker stands alone: `HKCU` but not `HKCUX`; case does not matter.
    let marker_at = |i: usize, marker: &str| {
        let end = i + marker.len();
        bytes.len() >= end
            && bytes[i..end].eq_ignore_ascii_case(marker.as_bytes())
            && !(i > 0 && bytes[i - 1].is_ascii_alphanumeric())
            && !bytes.get(end).is_some_and(u8::is_ascii_alphanumeric)
    };
    let mut marker = None;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'[' {
            if let Some(folder) = USER_FOLDERS
                .iter()
                .find(|f| bytes[i..].starts_with(f.as_bytes()))
            {
                return Some(folder);
            }
        }
        if marker.is_none() && matches!(b, b'%' | b'[' | b'h' | b'H') {
            marker = USER_MARKERS.iter().find(|m| marker_at(i, m)).copied();
        }
    }
    marker.or_else(|| {
        (per_user_package && text.contains("[DesktopFolder]")).then_some("[DesktopFolder]")
    })
}

impl Rule for SystemContextUserProfile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        let per_user = !matches!(cx.pkg.property("ALLUSERS"), Some("1" | "2"));
        for (ca, place, reference) in
            system_context_matches(cx.pkg, |text| user_reference(text, per_user))
        {
            cx.report(
                Report::new(
                    format!("`{}` runs as LocalSystem but {place} refers to the user's profile (`{reference}`)", ca.name),
                    Location::custom_action(ca, place.column()),
                )
                .help("do per-user work in an impersonated action or at first run; use CommonAppDataFolder for machine-wide data")
                .action(&ca.name)
                .action_type(ca.action_type),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    #[test]
    fn fires_on_user_profile_references_as_system() {
        let b = MsiBuilder::new()
            .property("ALLUSERS", "1")
            .action("AppData", 3106, Some("D"), Some("x.exe [AppDataFolder]"))
            .action("Hive", 3106, Some("D"), Some("reg add HKCU\\Software\\X"))
            .action("Desktop", 3106, Some("D"), Some("x.exe [DesktopFolder]"))
            .action(
                "Impersonated",
                1058,
                Some("D"),
                Some("x.exe [AppDataFolder]"),
            )
            .action(
                "Common",
                3106,
                Some("D"),
                Some("x.exe [CommonAppDataFolder]"),
            )
            .action("NotHive", 3106, Some("D"), Some("HKCUX"));
        assert_actions(&SystemContextUserProfile, b, &["AppData", "Hive"]);
    }

    #[test]
    fn desktop_counts_in_per_user_packages() {
        let b = MsiBuilder::new().action("Desktop", 3106, Some("D"), Some("x.exe [DesktopFolder]"));
        assert_actions(&SystemContextUserProfile, b, &["Desktop"]);
    }
}
