use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an `[[ignore]]` entry of `msica.toml` that hid no finding in a run that
    /// linted the package it is for (any package, when it names none). Entries for a
    /// rule that is turned off, or for a package that was not linted, are not reported.
    ///
    /// ## Why is this bad?
    /// An ignore outlives the problem it accepted: the action was renamed, fixed or
    /// removed, and the entry now waits to hide a new problem that nobody has looked at.
    /// Reporting it keeps suppressions from rotting, as ruff does for unused `noqa`.
    ///
    /// ## Example
    /// ```toml
    /// [[ignore]]
    /// rule = "missing-rollback"
    /// action = "InstallFoo"        # renamed to InstallFooDeferred long ago
    /// reason = "FooCA undoes its own changes"
    /// ```
    ///
    /// ## Use instead
    /// Delete the entry, or correct its `rule`, `action`, `package` or `table` so that
    /// it names the finding it is meant for.
    ///
    /// ## References
    /// The `msica.toml` section of the documentation ("Use in CI").
    pub struct UnusedIgnore {
        code: "MCA001",
        name: "unused-ignore",
        severity: Warning,
        summary: "An ignore in msica.toml that matches no finding",
    }
}

impl Rule for UnusedIgnore {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Nothing to check in a package: the lint run reports unused ignores
    /// once every file has been linted.
    fn check(&self, _cx: &mut Context) {}
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::engine::{lint_file, Levels};
    use crate::suppress::{apply_ignores, ConfigFinding};
    use crate::testing::MsiBuilder;

    fn stale(config: &str) -> Vec<ConfigFinding> {
        let dir = tempfile::tempdir().unwrap();
        let path = MsiBuilder::new()
            .standard_execute()
            .property("ProductName", "Foo Product")
            .binary("FooCA")
            .action("InstallFoo", 3073, Some("FooCA"), Some("Install"))
            .seq("InstallExecuteSequence", "InstallFoo", None, 5000)
            .write_to(dir.path(), "foo.msi");
        let config = Config::parse(std::path::Path::new("msica.toml"), config).unwrap();
        let mut reports = vec![lint_file(&path, &Levels::default())];
        apply_ignores(&config, &mut reports, &Levels::default())
    }

    #[test]
    fn a_used_ignore_is_not_reported() {
        assert!(
            stale("[[ignore]]\nrule = \"MCA104\"\naction = \"InstallFoo\"\nreason = \"r\"\n")
                .is_empty()
        );
    }

    #[test]
    fn an_ignore_that_matches_nothing_is_reported_at_its_line() {
        let found =
            stale("\n[[ignore]]\nrule = \"MCA104\"\naction = \"InstallBar\"\nreason = \"r\"\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].finding.code, "MCA001");
        assert_eq!(found[0].line, 2);
        assert!(
            found[0].finding.message.contains("InstallBar"),
            "{}",
            found[0].finding.message
        );
    }

    #[test]
    fn an_ignore_for_another_package_or_a_rule_turned_off_is_not_reported() {
        let other =
            "[[ignore]]\nrule = \"MCA104\"\naction = \"X\"\npackage = \"Other\"\nreason = \"r\"\n";
        assert!(stale(other).is_empty());
        let off = "[rules]\nMCA104 = \"allow\"\n[[ignore]]\nrule = \"MCA104\"\naction = \"X\"\nreason = \"r\"\n";
        let dir = tempfile::tempdir().unwrap();
        let path = MsiBuilder::new()
            .standard_execute()
            .write_to(dir.path(), "a.msi");
        let config = Config::parse(std::path::Path::new("msica.toml"), off).unwrap();
        let mut levels = Levels::default();
        config.apply_levels(&mut levels);
        let mut reports = vec![lint_file(&path, &levels)];
        assert!(apply_ignores(&config, &mut reports, &levels).is_empty());
    }
}
