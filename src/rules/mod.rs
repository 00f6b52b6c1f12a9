//! The rule catalogue: one rule per file, one registry ([`RULES`]) that the
//! CLI, the docs, JSON and SARIF all read.
//!
//! A rule reads the [`Package`] model and the shared [`analysis`](crate::analysis)
//! and pushes [`Report`]s into its [`Context`]; it does no I/O and knows nothing of
//! output formats. The engine stamps code, name and severity.

use crate::analysis::scenarios::ScenarioMatrix;
use crate::analysis::{Roles, Siblings};
use crate::finding::{Finding, Location, Severity};
use crate::model::action_type::TypeProblem;
use crate::model::{ActionType, CustomAction, Package};

/// Declares a rule: a unit struct plus its static metadata, with the doc
/// comment as the rule's documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])+
        pub struct $name:ident {
            code: $code:literal,
            name: $kebab:literal,
            severity: $severity:ident,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        pub struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $kebab,
                severity: $crate::finding::Severity::$severity,
                summary: $summary,
                docs: concat!($($doc, "\n"),+),
            };
        }
    };
}

mod advertise_sequence_action;
mod condition_mismatch;
mod condition_syntax;
mod customactiondata_after_action;
mod customactiondata_name_mismatch;
mod deferred_in_ui_sequence;
mod deferred_outside_script;
mod deferred_via_doaction;
mod dll_architecture_mismatch;
mod dll_dependency_not_on_windows;
mod duplicate_sequence;
mod empty_target;
mod entry_point_not_exported;
mod file_action_before_install;
mod file_removed_before_action;
mod insecure_ui_property;
mod invalid_flags;
mod invalid_type;
mod managed_dll_without_exports;
mod missing_rollback;
mod missing_source;
mod misspelled_property;
mod mixed_logical_precedence;
mod nested_install;
mod never_runs;
mod no_impersonate_ignored;
mod not_an_executable;
mod orphan_action;
mod patch_action_skipped;
mod patch_not_applicable;
mod patch_uninstall_action;
mod rollback_after_action;
mod rollback_context_mismatch;
mod runs_in_both_sequences;
mod script_action;
mod script_function_missing;
mod set_directory_too_early;
mod shadows_standard_action;
mod state_condition_too_early;
mod system_context_network_path;
mod system_context_user_profile;
mod transform_conflict;
mod transform_not_applicable;
mod ui_only_property;
mod unconditional_error;
mod unhidden_secret;
mod unknown_action;
mod unreadable_table;
mod unused_ignore;
mod upgrade_runs_uninstall_action;
mod x64_script_flag;

/// A rule's permanent identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Permanent code, e.g. `MCA101`. Never reused.
    pub code: &'static str,
    /// Kebab-case name of the problem, e.g. `deferred-outside-script`.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Markdown documentation with fixed sections.
    pub docs: &'static str,
}

impl RuleMeta {
    /// The documentation with the leading space of each doc-comment line removed.
    pub fn documentation(&self) -> String {
        self.docs
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }
}

/// A lint rule.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &mut Context);
}

/// Every rule, in code order.
pub static RULES: &[&dyn Rule] = &[
    &unused_ignore::UnusedIgnore,
    &deferred_outside_script::DeferredOutsideScript,
    &deferred_in_ui_sequence::DeferredInUiSequence,
    &rollback_after_action::RollbackAfterAction,
    &missing_rollback::MissingRollback,
    &runs_in_both_sequences::RunsInBothSequences,
    &file_action_before_install::FileActionBeforeInstall,
    &set_directory_too_early::SetDirectoryTooEarly,
    &advertise_sequence_action::AdvertiseSequenceAction,
    &unknown_action::UnknownAction,
    &orphan_action::OrphanAction,
    &deferred_via_doaction::DeferredViaDoaction,
    &customactiondata_after_action::CustomactiondataAfterAction,
    &customactiondata_name_mismatch::CustomactiondataNameMismatch,
    &shadows_standard_action::ShadowsStandardAction,
    &duplicate_sequence::DuplicateSequence,
    &never_runs::NeverRuns,
    &file_removed_before_action::FileRemovedBeforeAction,
    &ui_only_property::UiOnlyProperty,
    &insecure_ui_property::InsecureUiProperty,
    &upgrade_runs_uninstall_action::UpgradeRunsUninstallAction,
    &rollback_context_mismatch::RollbackContextMismatch,
    &invalid_type::InvalidType,
    &invalid_flags::InvalidFlags,
    &nested_install::NestedInstall,
    &script_action::ScriptAction,
    &unconditional_error::UnconditionalError,
    &empty_target::EmptyTarget,
    &no_impersonate_ignored::NoImpersonateIgnored,
    &x64_script_flag::X64ScriptFlag,
    &missing_source::MissingSource,
    &entry_point_not_exported::EntryPointNotExported,
    &managed_dll_without_exports::ManagedDllWithoutExports,
    &dll_dependency_not_on_windows::DllDependencyNotOnWindows,
    &script_function_missing::ScriptFunctionMissing,
    &not_an_executable::NotAnExecutable,
    &dll_architecture_mismatch::DllArchitectureMismatch,
    &condition_syntax::ConditionSyntax,
    &condition_mismatch::ConditionMismatch,
    &mixed_logical_precedence::MixedLogicalPrecedence,
    &state_condition_too_early::StateConditionTooEarly,
    &misspelled_property::MisspelledProperty,
    &system_context_network_path::SystemContextNetworkPath,
    &system_context_user_profile::SystemContextUserProfile,
    &unhidden_secret::UnhiddenSecret,
    &transform_conflict::TransformConflict,
    &transform_not_applicable::TransformNotApplicable,
    &patch_not_applicable::PatchNotApplicable,
    &patch_action_skipped::PatchActionSkipped,
    &patch_uninstall_action::PatchUninstallAction,
    &unreadable_table::UnreadableTable,
];

/// Finds a rule by code or name, ignoring case.
pub fn find_rule(code_or_name: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| {
        let m = r.meta();
        m.code.eq_ignore_ascii_case(code_or_name) || m.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// What a rule sees, and where it reports.
pub struct Context<'a> {
    pub pkg: &'a Package,
    pub roles: &'a Roles,
    pub siblings: &'a Siblings,
    /// Every condition of the package, parsed once.
    pub conditions: &'a crate::analysis::Conditions<'a>,
    /// The scenario matrix, built by the first rule that asks for it.
    pub(crate) scenarios: &'a std::cell::OnceCell<ScenarioMatrix<'a>>,
    pub(crate) meta: &'static RuleMeta,
    pub(crate) reports: Vec<Report>,
}

impl<'a> Context<'a> {
    /// Which actions run in which scenario.
    pub fn scenarios(&self) -> &'a ScenarioMatrix<'a> {
        self.scenarios
            .get_or_init(|| crate::analysis::scenarios::matrix(self.pkg, self.conditions))
    }

    pub fn report(&mut self, report: Report) {
        self.reports.push(report);
    }
}

/// A finding as a rule states it; the engine adds code, name and severity.
#[derive(Debug, Clone)]
pub struct Report {
    pub message: String,
    pub help: String,
    pub location: Location,
    pub action: Option<String>,
    pub sequence: Option<i32>,
    pub condition: Option<String>,
    pub related: Vec<String>,
    pub action_type: Option<ActionType>,
    pub notes: Vec<String>,
    /// The highest severity this finding may have (a heuristic pairing must
    /// not produce an error).
    pub cap: Option<Severity>,
}

impl Report {
    pub fn new(message: impl Into<String>, location: Location) -> Self {
        Self {
            message: message.into(),
            help: String::new(),
            location,
            action: None,
            sequence: None,
            condition: None,
            related: Vec::new(),
            action_type: None,
            notes: Vec::new(),
            cap: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    pub fn action(mut self, name: &str) -> Self {
        self.action = Some(name.to_owned());
        self
    }

    /// Attaches the action's decoded Type (also as a note in words).
    pub fn action_type(mut self, t: ActionType) -> Self {
        self.notes.push(format!("Type {} = {}", t.raw, t.summary()));
        self.action_type = Some(t);
        self
    }

    /// Names the action, its decoded Type and what its code is (a note).
    pub fn code_of(self, ca: &crate::model::CustomAction, code: &crate::code::CodeSummary) -> Self {
        self.action(&ca.name)
            .action_type(ca.action_type)
            .note(code.note())
    }

    pub fn row(mut self, row: &crate::model::SequenceRow) -> Self {
        self.sequence = row.sequence;
        self.condition = row.condition.clone().filter(|c| !c.trim().is_empty());
        self
    }

    pub fn related(mut self, name: &str) -> Self {
        self.related.push(name.to_owned());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Names the action and sequence row a condition belongs to, or, for a
    /// condition outside the sequence tables, records its text.
    pub fn site(mut self, site: &crate::analysis::ConditionSiteRef) -> Self {
        if let Some(action) = site.action() {
            self = self.action(action);
        }
        match site.row() {
            Some(row) => self.row(row),
            None => {
                self.condition = Some(site.text.to_owned());
                self
            }
        }
    }

    pub fn cap(mut self, severity: Severity) -> Self {
        self.cap = Some(severity);
        self
    }

    pub(crate) fn into_finding(self, meta: &'static RuleMeta, severity: Severity) -> Finding {
        let severity = self.cap.map_or(severity, |cap| severity.min(cap));
        Finding {
            code: meta.code,
            rule: meta.name,
            severity,
            message: name_the_empty(self.message),
            help: name_the_empty(self.help),
            action: self.action,
            location: self.location,
            sequence: self.sequence,
            condition: self.condition,
            related: self.related,
            action_type: self.action_type.map(|t| t.raw),
            notes: self.notes,
        }
    }
}

/// Rules quote names in backticks; a name that a damaged database left
/// empty would print as ``` `` ```, which reads as nothing at all.
fn name_the_empty(text: String) -> String {
    if text.contains("``") {
        text.replace("``", "(an empty or unreadable name)")
    } else {
        text
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Runs one rule on a package built through the real `msi` writer.
    use super::*;
    use crate::testing::MsiBuilder;

    pub fn run(rule: &dyn Rule, builder: MsiBuilder) -> Vec<Finding> {
        let pkg = builder.load();
        crate::engine::run_rules(&pkg, &[rule], &crate::engine::Levels::default())
    }

    /// Asserts the rule reports exactly the given actions (in order).
    #[track_caller]
    pub fn assert_actions(rule: &dyn Rule, builder: MsiBuilder, expected: &[&str]) -> Vec<Finding> {
        let findings = run(rule, builder);
        let got: Vec<&str> = findings
            .iter()
            .map(|f| f.action.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(got, expected, "findings: {findings:#?}");
        for f in &findings {
            assert_eq!(f.code, rule.meta().code);
        }
        findings
    }

    /// Several deferred actions that call the same entry point with different
    /// CustomActionData, each with its own rollback: per group `i`, the setter
    /// `SetRegisterPort{i}`, the rollback `RollbackRegisterPort{i}` (entry point
    /// `NetLib!RollbackRegisterPort`) and the action `RegisterPort{i}` (entry
    /// point `NetLib!RegisterPort`), scheduled in that order inside the script
    /// window. The groups in `without_rollback` have no rollback.
    pub fn register_port_groups(groups: usize, without_rollback: &[usize]) -> MsiBuilder {
        const IE: &str = "InstallExecuteSequence";
        let b = MsiBuilder::new()
            .binary("NetLib")
            .seq(IE, "InstallInitialize", None, 1500)
            .seq(IE, "InstallFinalize", None, 30000);
        (0..groups).fold(b, |b, i| {
            let (setter, rollback, action) = (
                format!("SetRegisterPort{i}"),
                format!("RollbackRegisterPort{i}"),
                format!("RegisterPort{i}"),
            );
            let n = 2000 + 3 * i as i32;
            let b = b
                .action(&setter, 51, Some(&action), Some(&format!("port={i}")))
                .action(&action, 3073, Some("NetLib"), Some("RegisterPort"))
                .seq(IE, &setter, None, n)
                .seq(IE, &action, None, n + 2);
            if without_rollback.contains(&i) {
                return b;
            }
            b.action(
                &rollback,
                3329,
                Some("NetLib"),
                Some("RollbackRegisterPort"),
            )
            .seq(IE, &rollback, None, n + 1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_name_is_never_printed_as_empty_backticks() {
        // The msi writer refuses an empty key, so the report is made here
        // as a rule would make it for a row whose name a damaged pool lost.
        let report = Report::new(
            format!(
                "`{}` in InstallExecuteSequence is not a standard action",
                ""
            ),
            Location::table("InstallExecuteSequence"),
        )
        .help(format!("add a CustomAction row named `{}`", ""));
        let f = report.into_finding(unknown_action::UnknownAction.meta(), Severity::Error);
        for text in [&f.message, &f.help] {
            assert!(!text.contains("``"), "{text}");
            assert!(text.contains("(an empty or unreadable name)"), "{text}");
        }
    }

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes: Vec<&str> = RULES.iter().map(|r| r.meta().code).collect();
        let mut names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
        for (code, name) in codes.iter().zip(&names) {
            assert!(
                code.len() == 6
                    && code.starts_with("MCA")
                    && code[3..].chars().all(|c| c.is_ascii_digit()),
                "{code}"
            );
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{name}"
            );
        }
        let n = codes.len();
        codes.sort();
        codes.dedup();
        names.sort();
        names.dedup();
        assert_eq!(codes.len(), n);
        assert_eq!(names.len(), n);
    }

    #[test]
    fn registry_is_in_code_order() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.meta().code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn every_rule_has_the_documentation_sections() {
        for rule in RULES {
            let doc = rule.meta().documentation();
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
                "## References",
            ] {
                assert!(
                    doc.contains(section),
                    "{} lacks {section}",
                    rule.meta().name
                );
            }
            assert!(!rule.meta().summary.ends_with('.'), "{}", rule.meta().name);
        }
    }

    #[test]
    fn every_rule_file_has_tests() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        for rule in RULES {
            let file = dir.join(format!("{}.rs", rule.meta().name.replace('-', "_")));
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|_| panic!("{} has no file {file:?}", rule.meta().name));
            assert!(
                text.contains("#[cfg(test)]") && text.contains("#[test]"),
                "{} has no tests",
                rule.meta().name
            );
        }
    }

    #[test]
    fn find_rule_accepts_code_or_name() {
        assert_eq!(
            find_rule("mca101").unwrap().meta().name,
            "deferred-outside-script"
        );
        assert_eq!(
            find_rule("deferred-outside-script").unwrap().meta().code,
            "MCA101"
        );
        assert!(find_rule("nope").is_none());
    }
}

/// Every sequence row that names a custom action: (table, row, action).
pub fn scheduled_custom_actions(
    pkg: &Package,
) -> impl Iterator<
    Item = (
        &crate::model::Sequence,
        &crate::model::SequenceRow,
        &crate::model::CustomAction,
    ),
> {
    pkg.sequences.iter().flat_map(move |seq| {
        seq.rows
            .iter()
            .filter_map(move |row| pkg.custom_action(&row.action).map(|ca| (seq, row, ca)))
    })
}

/// Reports, for every custom action, the listed Type problems it has (one
/// finding per action, naming all of them). Several rules share this: each
/// owns a subset of [`TypeProblem`]. Problems in `warnings_alone` make only a
/// warning when the action has no other problem of the rule.
pub fn report_type_problems(
    cx: &mut Context,
    owned: &[TypeProblem],
    help: impl Fn(&Package, &CustomAction) -> String,
    warnings_alone: &[TypeProblem],
) {
    for ca in &cx.pkg.custom_actions {
        let problems: Vec<_> = ca
            .action_type
            .problems()
            .into_iter()
            .filter(|p| owned.contains(p))
            .collect();
        if problems.is_empty() {
            continue;
        }
        let words: Vec<&str> = problems.iter().map(|p| p.describe()).collect();
        let column = if problems.contains(&TypeProblem::UnknownExtendedBits) {
            "ExtendedType"
        } else {
            "Type"
        };
        let mut report = Report::new(
            format!(
                "Type {} of `{}`: {}",
                ca.action_type.raw,
                ca.name,
                words.join("; ")
            ),
            Location::custom_action(ca, column),
        )
        .help(help(cx.pkg, ca))
        .action(&ca.name)
        .action_type(ca.action_type);
        if problems.iter().all(|p| warnings_alone.contains(p)) {
            report = report.cap(Severity::Warning);
        }
        // The tool's engine wrote the row and works with it as it is.
        if let Some(g) = crate::analysis::generated_by_tool(cx.pkg, ca) {
            report.help = format!(
                "nothing to change in the package: {} writes this row, and only a newer version of it can change the Type",
                g.tool
            );
            report = report.cap(Severity::Info).note(format!(
                "generated by {} ({}), not by the package's author, who cannot change it",
                g.tool, g.recognised_by
            ));
        }
        cx.report(report);
    }
}

/// Property names referenced as `[NAME]` in formatted text.
pub fn referenced_properties(text: &str) -> impl Iterator<Item = &str> {
    text.split('[')
        .skip(1)
        .filter_map(|part| part.split_once(']').map(|(name, _)| name))
        .filter(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
                && !name.starts_with(['#', '!', '$', '%', '\\', '~'])
        })
}

/// Where a text that reaches a deferred action comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPlace<'a> {
    Target,
    Source,
    /// The value of the property that a type 50 action runs.
    Property(&'a str),
    /// The Target of a set-property action that writes its CustomActionData.
    Data {
        setter: &'a str,
    },
}

impl TextPlace<'_> {
    /// The CustomAction column a finding on this text points at.
    pub fn column(self) -> &'static str {
        match self {
            Self::Source => "Source",
            _ => "Target",
        }
    }
}

impl std::fmt::Display for TextPlace<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Target => f.write_str("its Target"),
            Self::Source => f.write_str("its Source"),
            Self::Property(name) => write!(f, "property {name}"),
            Self::Data { setter } => write!(f, "its CustomActionData, set by `{setter}`"),
        }
    }
}

/// The text that reaches a deferred action at run time, with where it comes
/// from: its Source and Target, the value of the property a type 50 action
/// runs, and the Target of every setter of its CustomActionData.
pub fn texts_reaching<'a>(
    pkg: &'a Package,
    ca: &'a crate::model::CustomAction,
) -> Vec<(TextPlace<'a>, &'a str)> {
    let mut out = Vec::new();
    if let Some(target) = ca.target.as_deref() {
        out.push((TextPlace::Target, target));
    }
    if let Some(source) = ca.source.as_deref() {
        out.push((TextPlace::Source, source));
        if ca.action_type.source() == crate::model::action_type::SourceKind::Property {
            if let Some(value) = pkg.property(source) {
                out.push((TextPlace::Property(source), value));
            }
        }
    }
    for setter in pkg.setters_of(&ca.name) {
        if let Some(value) = setter.target.as_deref() {
            out.push((
                TextPlace::Data {
                    setter: &setter.name,
                },
                value,
            ));
        }
    }
    out
}

/// Deferred (in-script) actions that run as LocalSystem, with the first
/// match of `find` in the text that reaches each: (action, where the text
/// comes from, the match).
pub fn system_context_matches<'a, T>(
    pkg: &'a Package,
    find: impl Fn(&'a str) -> Option<T>,
) -> Vec<(&'a crate::model::CustomAction, TextPlace<'a>, T)> {
    pkg.custom_actions
        .iter()
        .filter(|ca| ca.action_type.in_script() && ca.action_type.no_impersonate())
        .filter_map(|ca| {
            texts_reaching(pkg, ca)
                .into_iter()
                .find_map(|(place, text)| find(text).map(|m| (ca, place, m)))
        })
        .collect()
}
