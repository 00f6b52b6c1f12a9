use crate::finding::Location;
use crate::rules::{
    referenced_properties, texts_reaching, Context, Report, Rule, RuleMeta, TextPlace,
};

declare_rule! {
    /// ## What it does
    /// Finds in-script actions (deferred, rollback or commit) without the hide-target bit
    /// (`0x2000`) whose Target or CustomActionData includes a secret: a property listed in
    /// `MsiHiddenProperties`, or one named like a password, secret, token, API key or
    /// credential (`[DB_PASSWORD]`).
    ///
    /// ## Why is this bad?
    /// The installer writes a deferred action's Target and CustomActionData into the
    /// verbose log unless the Type has the hide-target bit. Logs end up in support
    /// tickets and build artefacts, with the password in clear text.
    ///
    /// ## Example
    /// | Action | Type | Source | Target |
    /// |---|---|---|---|
    /// | `SetConfigureDb` | 51 | `ConfigureDb` | `PWD=[DB_PASSWORD]` |
    /// | `ConfigureDb` | 3073 | `DbCA` | `ConfigureDb` |
    ///
    /// ## Use instead
    /// Add `0x2000` to the deferred action's Type (3073 → 11265), and list the property
    /// and the CustomActionData property in `MsiHiddenProperties`.
    ///
    /// ## References
    /// "Custom Action Hidden Target Option"; "MsiHiddenProperties Property".
    pub struct UnhiddenSecret {
        code: "MCA503",
        name: "unhidden-secret",
        severity: Warning,
        summary: "Data that looks secret reaches a deferred action whose Type lacks the hide-target bit",
    }
}

const SECRET_WORDS: [&str; 8] = [
    "PASSWORD",
    "PASSWD",
    "PWD",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "API_KEY",
    "CREDENTIAL",
];

impl Rule for UnhiddenSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        let hidden: Vec<&str> = cx
            .pkg
            .property("MsiHiddenProperties")
            .map(|v| v.split(';').map(str::trim).collect())
            .unwrap_or_default();
        let is_secret = |name: &str| {
            let upper = name.to_ascii_uppercase();
            hidden.contains(&name) || SECRET_WORDS.iter().any(|w| upper.contains(w))
        };
        for ca in cx
            .pkg
            .custom_actions
            .iter()
            .filter(|ca| ca.action_type.in_script() && !ca.action_type.hide_target())
        {
            let found = texts_reaching(cx.pkg, ca)
                .into_iter()
                .filter(|(place, _)| *place != TextPlace::Source)
                .find_map(|(place, text)| {
                    referenced_properties(text)
                        .find(|p| is_secret(p))
                        .map(|p| (place, p))
                });
            let Some((place, property)) = found else {
                continue;
            };
            cx.report(
                Report::new(
                    format!("secret property `{property}` reaches {} action `{}` through {place}, and the action's Type does not hide it from the log", ca.action_type.execution_short(), ca.name),
                    Location::custom_action(ca, "Type"),
                )
                .help(format!("add the hide-target bit (Type {} instead of {}) and list `{property}` and `{}` in MsiHiddenProperties", ca.action_type.raw | 0x2000, ca.action_type.raw, ca.name))
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
    fn fires_when_a_secret_reaches_an_unhidden_deferred_action() {
        let b = MsiBuilder::new()
            .property("MsiHiddenProperties", "LICENSE_BLOB")
            .action("ConfigureDb", 3073, Some("Bin"), Some("ConfigureDb"))
            .action(
                "SetConfigureDb",
                51,
                Some("ConfigureDb"),
                Some("PWD=[DB_PASSWORD];DIR=[INSTALLDIR]"),
            )
            .action("Hidden", 11265, Some("Bin"), Some("Hidden"))
            .action("SetHidden", 51, Some("Hidden"), Some("[DB_PASSWORD]"))
            .action("Licensed", 3106, Some("D"), Some("lic.exe [LICENSE_BLOB]"))
            .action("Plain", 3106, Some("D"), Some("x.exe [INSTALLDIR]"));
        let f = assert_actions(&UnhiddenSecret, b, &["ConfigureDb", "Licensed"]);
        assert!(f[0]
            .message
            .contains("reaches deferred action `ConfigureDb`"));
    }

    #[test]
    fn names_a_commit_action_as_such() {
        let b = MsiBuilder::new()
            .action("SetPasswords", 3585, Some("Bin"), Some("SetPasswords"))
            .action(
                "SetDataForPasswords",
                51,
                Some("SetPasswords"),
                Some("[VALUE_OF_PASSWORD]"),
            );
        let f = assert_actions(&UnhiddenSecret, b, &["SetPasswords"]);
        assert!(
            f[0].message
                .contains("reaches commit action `SetPasswords`"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn extracts_property_references() {
        let refs: Vec<_> = referenced_properties("a [A] [#file] [%PATH] [B_C] [\\[]").collect();
        assert_eq!(refs, ["A", "B_C"]);
    }
}
