use crate::finding::Location;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a table the analysis needs (CustomAction, the sequence tables, Property,
    /// Binary, File, Directory, Dialog, ControlEvent) that exists but cannot be decoded.
    /// The rest of the analysis still runs, without that table's rows.
    ///
    /// ## Why is this bad?
    /// A table that msica cannot read is usually damaged, and Windows Installer may not
    /// read it either; in any case every rule that needs the table has checked nothing.
    ///
    /// ## Example
    /// | Table | Problem |
    /// |---|---|
    /// | CustomAction | the table stream is shorter than its rows require |
    ///
    /// ## Use instead
    /// Rebuild the package; check it with `msica table FILE TABLE`.
    ///
    /// ## References
    /// "Database Tables".
    pub struct UnreadableTable {
        code: "MCA901",
        name: "unreadable-table",
        severity: Error,
        summary: "A table the analysis needs exists but cannot be decoded; the rest of the analysis still runs",
    }
}

impl Rule for UnreadableTable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        for problem in &cx.pkg.problems {
            cx.report(
                Report::new(format!("table {} cannot be read: {}", problem.table, problem.message), Location::table(&problem.table))
                    .help("rebuild the package; the findings of rules that need this table are incomplete"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TableProblem;
    use crate::testing::MsiBuilder;

    #[test]
    fn reports_each_problem_and_nothing_on_a_sound_package() {
        let mut pkg = MsiBuilder::new().standard_execute().load();
        let levels = crate::engine::Levels::default();
        assert!(crate::engine::run_rules(&pkg, &[&UnreadableTable], &levels).is_empty());
        pkg.problems.push(TableProblem {
            table: "CustomAction".into(),
            message: "truncated".into(),
        });
        let f = crate::engine::run_rules(&pkg, &[&UnreadableTable], &levels);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .message
            .contains("CustomAction cannot be read: truncated"));
    }
}
