use crate::finding::Location;
use crate::rules::{Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a table the analysis needs (CustomAction, the sequence tables, Property,
    /// Binary, File, Directory, Dialog, ControlEvent) that exists but cannot be decoded,
    /// and, once per package, cells whose string ids lie beyond the end of the string
    /// pool (their text is lost). The rest of the analysis still runs, without that
    /// table's rows; rules say nothing about a row with lost text, since anything they
    /// said would be built on text msica cannot see.
    ///
    /// ## Why is this bad?
    /// A table that msica cannot read is usually damaged, and Windows Installer may not
    /// read it either; in any case every rule that needs the table has checked nothing.
    ///
    /// ## Example
    /// | Table | Problem |
    /// |---|---|
    /// | CustomAction | the table stream is shorter than its rows require |
    /// | Binary, Dialog | 40 cells refer to strings 1196..2003; the pool holds 1195 |
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
        let lost = &cx.pkg.unreadable_strings;
        if let Some(first) = lost.first() {
            let cells: usize = lost.iter().map(|u| u.cells).sum();
            let rows: usize = lost.iter().map(|u| u.rows).sum();
            let lowest = lost.iter().map(|u| u.lowest_id).min().unwrap_or(0);
            let highest = lost.iter().map(|u| u.highest_id).max().unwrap_or(0);
            let tables: Vec<&str> = lost.iter().map(|u| u.table.as_str()).collect();
            let mut report = Report::new(
                format!(
                    "the string pool is damaged: {cells} cells in {rows} rows of {} refer to strings {lowest}..{highest}, but the pool holds {} strings",
                    tables.join(", "),
                    first.pool
                ),
                Location::table(&first.table),
            )
            .help("rebuild the package; the text of those cells is lost, and msica reports nothing about the rows that hold them");
            for u in lost {
                report = report.note(crate::inspect::unreadable_text(u));
            }
            cx.report(report);
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

    #[test]
    fn lost_strings_are_one_finding_per_package() {
        let mut pkg = MsiBuilder::new().standard_execute().load();
        for (table, cells, low, high) in [("Binary", 4, 1196, 1300), ("Dialog", 12, 1250, 2003)] {
            pkg.unreadable_strings
                .push(crate::model::UnreadableStrings {
                    table: table.into(),
                    cells,
                    rows: cells / 2,
                    lowest_id: low,
                    highest_id: high,
                    pool: 1195,
                });
        }
        let f = crate::engine::run_rules(&pkg, &[&UnreadableTable], &Default::default());
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "the string pool is damaged: 16 cells in 8 rows of Binary, Dialog refer to strings 1196..2003, but the pool holds 1195 strings"
        );
        assert_eq!(f[0].notes.len(), 2);
    }
}
