//! The findings view: the lint findings of a package, and the rows they mark.

use std::collections::HashMap;

use crate::engine::{run_rules, Levels};
use crate::finding::{Finding, Severity};
use crate::model::Package;
use crate::rules::RULES;

/// The findings of a package with every rule at its default level, in the
/// order `lint` reports them, indexed by the row they point at.
#[derive(Debug, Default)]
pub struct FindingsView {
    pub findings: Vec<Finding>,
    /// (table, stored row) → positions in `findings`.
    by_row: HashMap<(String, usize), Vec<usize>>,
}

impl FindingsView {
    pub fn new(pkg: &Package) -> Self {
        Self::from_findings(run_rules(pkg, RULES, &Levels::default()))
    }

    pub fn from_findings(findings: Vec<Finding>) -> Self {
        let mut by_row: HashMap<(String, usize), Vec<usize>> = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            if let Some(row) = f.location.row {
                by_row
                    .entry((f.location.table.clone(), row))
                    .or_default()
                    .push(i);
            }
        }
        Self { findings, by_row }
    }

    /// The findings about one stored row of a table.
    pub fn at(&self, table: &str, row: usize) -> impl Iterator<Item = &Finding> {
        self.by_row
            .get(&(table.to_owned(), row))
            .into_iter()
            .flatten()
            .map(|&i| &self.findings[i])
    }

    /// The most serious finding on a row, for marking it.
    pub fn mark(&self, table: &str, row: usize) -> Option<Severity> {
        self.at(table, row).map(|f| f.severity).max()
    }

    /// The findings that name an action (in any table).
    pub fn about_action<'a>(&'a self, action: &'a str) -> impl Iterator<Item = &'a Finding> {
        self.findings
            .iter()
            .filter(move |f| f.action.as_deref() == Some(action))
    }
}
