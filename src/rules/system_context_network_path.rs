use crate::finding::Location;
use crate::rules::{system_context_matches, Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds deferred no-impersonate actions (running as LocalSystem) whose Source,
    /// Target or CustomActionData reaches a network share (`\\server\share\...`).
    ///
    /// ## Why is this bad?
    /// LocalSystem authenticates on the network as the computer account, which usually
    /// has no access to file shares; in session 0 it also has none of the user's
    /// mapped drives or credentials. The action fails only on real machines, not on the
    /// author's test box where the share is open.
    ///
    /// ## Example
    /// | Action | Type | Target |
    /// |---|---|---|
    /// | `RunSetup` | 3106 | `\\fileserver\tools\setup.exe /quiet` |
    ///
    /// ## Use instead
    /// Ship the file in the package (Binary or File table), or run the action
    /// impersonated (without `0x800`) if it only needs the user's access.
    ///
    /// ## References
    /// "Custom Action Security"; msi-reference 1.7.
    pub struct SystemContextNetworkPath {
        code: "MCA501",
        name: "system-context-network-path",
        severity: Warning,
        summary: "A no-impersonate deferred action whose Source or Target reaches a network share",
    }
}

/// The first `\\server\share` in `text` (not `\\?\` or `\\.\` device paths).
pub(crate) fn unc_path(text: &str) -> Option<&str> {
    let mut rest = text;
    while let Some(pos) = rest.find(r"\\") {
        let candidate = &rest[pos..];
        let server: String = candidate[2..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || "-_.$[]".contains(*c))
            .collect();
        let after = &candidate[2 + server.len()..];
        if !server.is_empty()
            && server != "."
            && server != "?"
            && after.starts_with('\\')
            && after.len() > 1
        {
            let end = candidate
                .find(|c: char| c.is_whitespace() || c == '"' || c == ';')
                .unwrap_or(candidate.len());
            return Some(&candidate[..end]);
        }
        rest = &rest[pos + 2..];
    }
    None
}

impl Rule for SystemContextNetworkPath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for (ca, place, path) in system_context_matches(cx.pkg, unc_path) {
            cx.report(
                Report::new(
                    format!("`{}` runs as LocalSystem but {place} reaches the network share `{path}`", ca.name),
                    Location::custom_action(ca, place.column()),
                )
                .help("ship the file in the package, or run the action impersonated if it only needs the user's access")
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
    fn finds_unc_paths_but_not_device_paths() {
        assert_eq!(
            unc_path(r#""\\srv\share\a.exe" /q"#),
            Some(r"\\srv\share\a.exe")
        );
        assert_eq!(unc_path(r"\\?\C:\x"), None);
        assert_eq!(unc_path(r"\\.\pipe\x"), None);
        assert_eq!(unc_path(r"[INSTALLDIR]app.exe"), None);
    }

    #[test]
    fn fires_for_system_context_only() {
        let b = MsiBuilder::new()
            .directory("INSTALLDIR", None)
            .action(
                "System",
                3106,
                Some("INSTALLDIR"),
                Some(r"\\server\tools\setup.exe /q"),
            )
            .action(
                "User",
                1058,
                Some("INSTALLDIR"),
                Some(r"\\server\tools\setup.exe /q"),
            )
            .action("Data", 3073, Some("Bin"), Some("Entry"))
            .action("SetData", 51, Some("Data"), Some(r"SRC=\\server\share\cfg"));
        assert_actions(&SystemContextNetworkPath, b, &["Data", "System"]);
    }
}
