use std::collections::BTreeMap;

use crate::condition::{Condition, ParseError, RefKind};
use crate::finding::Location;
use crate::model::action_type::{BaseKind, SourceKind};
use crate::model::{Package, Sequence, SequenceRow};
use crate::rules::{referenced_properties, Context, Report, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds two actions that share a positive sequence number in one table when their
    /// relative order can change the outcome:
    ///
    /// - one sets a property or directory that the other reads (in its Source, its
    ///   Target or its condition), or both set the same one;
    /// - one is a standard action whose position others depend on (`InstallInitialize`,
    ///   `InstallFinalize`, `InstallExecute`, `InstallExecuteAgain`, `CostInitialize`,
    ///   `FileCost`, `CostFinalize`, `InstallValidate`, `InstallFiles`, `RemoveFiles`,
    ///   `RemoveExistingProducts`, `ExecuteAction`, `AppSearch`, `FindRelatedProducts`);
    /// - both run code of the package (DLL, EXE or script), or one of them runs in the
    ///   installation script (deferred, rollback or commit).
    ///
    /// Each pair is reported once, naming every table where the two share a number.
    /// Other shared numbers are left alone: two independent property setters, such as the
    /// directory actions the merge tool generates for merge modules
    /// (`SystemFolder.<ModuleGuid>`), do the same whichever runs first.
    ///
    /// ## Why is this bad?
    /// The relative order of actions with the same number is undefined: it may change
    /// between Windows Installer versions or after a transform. A setter may run after the
    /// action that reads its property, a deferred action that shares InstallFinalize's
    /// number may or may not be in the script, and two pieces of code may see each other's
    /// work or not. ICE82 warns about every shared number; msica only about those where
    /// the order can matter.
    ///
    /// ## Example
    /// | Action | Type | Source | Target | Sequence |
    /// |---|---|---|---|---|
    /// | `SetInstallFoo` | 51 | `InstallFoo` | `[INSTALLDIR]` | 4001 |
    /// | `InstallFoo` | 3073 | `FooCA` | `InstallFoo` | 4001 |
    ///
    /// When one of the two reads what the other sets (a property or directory, or the
    /// certificate store a `certutil -addstore` action fills and a driver installation
    /// checks signatures against), the finding says which must come first.
    ///
    /// ## Use instead
    /// Give each action its own number, the setter first (WiX does this when you use
    /// `Before`/`After`).
    ///
    /// ## References
    /// ICE82; "Sequence Table Detailed Example".
    pub struct DuplicateSequence {
        code: "MCA115",
        name: "duplicate-sequence",
        severity: Warning,
        summary: "Two actions share a sequence number in one table and their order can change the outcome",
    }
}

/// Standard actions whose position other actions depend on: the script
/// window and the execution of the script, costing, validation, file
/// installation and removal, upgrades, searches, and the hand-over from the
/// UI sequence.
const POSITION_MATTERS: [&str; 14] = [
    "AppSearch",
    "CostFinalize",
    "CostInitialize",
    "ExecuteAction",
    "FileCost",
    "FindRelatedProducts",
    "InstallExecute",
    "InstallExecuteAgain",
    "InstallFiles",
    "InstallFinalize",
    "InstallInitialize",
    "InstallValidate",
    "RemoveExistingProducts",
    "RemoveFiles",
];

/// What a sequenced action does, as far as order is concerned.
struct Step<'a> {
    row: &'a SequenceRow,
    /// The property or directory a set-property or set-directory action sets.
    sets: Option<&'a str>,
    /// Properties and directories read in the Source, Target and condition.
    reads: Vec<String>,
    runs_code: bool,
    in_script: bool,
    custom: bool,
    /// Adds a certificate to a store (`certutil -addstore`, `certmgr -add`).
    adds_certificate: bool,
    /// Installs driver packages, whose signature is checked against the
    /// certificate stores (DIFxApp's `MsiProcessDrivers`).
    installs_drivers: bool,
}

impl<'a> Step<'a> {
    fn new(
        pkg: &'a Package,
        row: &'a SequenceRow,
        condition: Option<&Result<Condition, ParseError>>,
    ) -> Self {
        let mut step = Step {
            row,
            sets: None,
            reads: Vec::new(),
            runs_code: false,
            in_script: false,
            custom: false,
            adds_certificate: false,
            installs_drivers: false,
        };
        if let Some(Ok(parsed)) = condition {
            step.reads.extend(
                parsed
                    .references
                    .iter()
                    .filter(|r| r.kind == RefKind::Property)
                    .map(|r| r.name.clone()),
            );
        }
        let Some(ca) = pkg.custom_action(&row.action) else {
            return step;
        };
        let t = ca.action_type;
        step.custom = true;
        step.runs_code = t.runs_code();
        step.in_script = t.in_script();
        let kind = t.kind();
        let source = ca.source.as_deref();
        if matches!(kind, BaseKind::SetProperty | BaseKind::SetDirectory) {
            step.sets = source;
        } else if matches!(t.source(), SourceKind::Property | SourceKind::Directory) {
            step.reads.extend(source.map(str::to_owned));
        }
        // Targets that are formatted text; a DLL entry point or an inline
        // script is not.
        if matches!(
            kind,
            BaseKind::SetProperty
                | BaseKind::SetDirectory
                | BaseKind::ErrorMessage
                | BaseKind::Exe
                | BaseKind::NestedInstall
        ) {
            step.reads.extend(
                ca.target
                    .as_deref()
                    .into_iter()
                    .flat_map(referenced_properties)
                    .map(str::to_owned),
            );
        }
        if step.in_script {
            // Its CustomActionData, fixed when the script is written.
            step.reads.push(ca.name.clone());
        }
        let command = format!(
            "{} {}",
            ca.source.as_deref().unwrap_or_default(),
            ca.target.as_deref().unwrap_or_default()
        )
        .to_ascii_lowercase();
        step.adds_certificate = kind == BaseKind::Exe
            && ((command.contains("certutil") && command.contains("addstore"))
                || (command.contains("certmgr") && command.contains("add")));
        step.installs_drivers = crate::analysis::is_microsoft_module_action(&ca.name);
        step
    }

    fn name(&self) -> &'a str {
        &self.row.action
    }
}

/// Why the order of two actions matters, and which must come first when
/// one reads what the other sets.
struct Why {
    text: String,
    /// (first, then).
    order: Option<(String, String)>,
}

impl Why {
    fn plain(text: String) -> Self {
        Self { text, order: None }
    }

    fn first(text: String, first: &str, then: &str) -> Self {
        Self {
            text,
            order: Some((first.to_owned(), then.to_owned())),
        }
    }
}

/// Why the order of the custom action `a` and the action `b` can change the
/// outcome, if it can.
fn why_order_matters(a: &Step, b: &Step) -> Option<Why> {
    if !b.custom && POSITION_MATTERS.contains(&b.name()) {
        return Some(Why::plain(format!(
            "`{}` may run before or after `{}`, whose position other actions depend on",
            a.name(),
            b.name()
        )));
    }
    for (setter, reader) in [(a, b), (b, a)] {
        if let Some(p) = setter.sets.filter(|p| reader.reads.iter().any(|r| r == p)) {
            return Some(Why::first(
                format!(
                    "`{}` sets `{p}`, which `{}` reads",
                    setter.name(),
                    reader.name()
                ),
                setter.name(),
                reader.name(),
            ));
        }
        if setter.adds_certificate && reader.installs_drivers {
            return Some(Why::first(
                format!(
                    "`{}` adds a certificate to a store, and the driver installation `{}` schedules checks the driver's signature against the certificate stores",
                    setter.name(),
                    reader.name()
                ),
                setter.name(),
                reader.name(),
            ));
        }
    }
    if let Some(p) = a.sets.filter(|p| b.sets == Some(p)) {
        return Some(Why::plain(format!("both set `{p}`")));
    }
    if a.runs_code && b.runs_code {
        return Some(Why::plain("both run code of the package".into()));
    }
    [a, b]
        .into_iter()
        .find(|s| s.in_script)
        .map(|s| Why::plain(format!("`{}` runs in the installation script", s.name())))
}

/// Two actions sharing numbers: where, and why it matters.
struct Shared<'a> {
    first: (&'a Sequence, &'a SequenceRow),
    second: &'a str,
    places: Vec<(&'static str, i32)>,
    why: Why,
}

impl Rule for DuplicateSequence {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context) {
        let mut shared: BTreeMap<(&str, &str), Shared> = BTreeMap::new();
        for seq in cx.pkg.sequences.iter().filter(|s| !s.kind.is_module()) {
            // Rows are in run order, so rows that share a number are neighbours.
            let numbered: Vec<&SequenceRow> = seq
                .rows
                .iter()
                .filter(|r| r.order.is_some() && r.sequence.is_some_and(|n| n > 0))
                .collect();
            for group in numbered.chunk_by(|x, y| x.sequence == y.sequence) {
                if group.len() < 2 {
                    continue;
                }
                let steps: Vec<Step> = group
                    .iter()
                    .map(|r| Step::new(cx.pkg, r, cx.conditions.of_row(seq.kind, &r.action)))
                    .collect();
                for (i, a) in steps.iter().enumerate() {
                    for b in &steps[i + 1..] {
                        // The custom action first: it is the one to move.
                        let (a, b) = match (a.custom, b.custom) {
                            (false, false) => continue,
                            (false, true) => (b, a),
                            _ => (a, b),
                        };
                        let Some(why) = why_order_matters(a, b) else {
                            continue;
                        };
                        let number = a.row.sequence.unwrap_or_default();
                        shared
                            .entry((a.name(), b.name()))
                            .or_insert_with(|| Shared {
                                first: (seq, a.row),
                                second: b.name(),
                                places: Vec::new(),
                                why,
                            })
                            .places
                            .push((seq.kind.table_name(), number));
                    }
                }
            }
        }
        for pair in shared.into_values() {
            let (seq, row) = pair.first;
            let places = match pair.places.as_slice() {
                [(table, number)] => format!("sequence number {number} in {table}"),
                places => {
                    let listed: Vec<String> =
                        places.iter().map(|(t, n)| format!("{t} ({n})")).collect();
                    format!("a sequence number in {}", listed.join(", "))
                }
            };
            cx.report(
                Report::new(
                    format!(
                        "`{}` and `{}` share {places}, and their order matters: {}",
                        row.action, pair.second, pair.why.text
                    ),
                    Location::sequence_row(seq, row, "Sequence"),
                )
                .help(match &pair.why.order {
                    Some((first, then)) => format!(
                        "give `{first}` a lower sequence number than `{then}`: it must come first"
                    ),
                    None => {
                        "give each action its own sequence number so their order is defined".into()
                    }
                })
                .action(&row.action)
                .row(row)
                .related(pair.second),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::assert_actions;
    use crate::testing::MsiBuilder;

    const IE: &str = "InstallExecuteSequence";

    /// Two custom actions at 4001 in the execute sequence.
    fn pair(a: (&str, i32, &str, &str), b: (&str, i32, &str, &str)) -> MsiBuilder {
        MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action(a.0, a.1, Some(a.2), Some(a.3))
            .action(b.0, b.1, Some(b.2), Some(b.3))
            .seq(IE, a.0, None, 4001)
            .seq(IE, b.0, None, 4001)
    }

    #[test]
    fn fires_when_one_sets_what_the_other_reads() {
        let f = assert_actions(
            &DuplicateSequence,
            pair(
                ("SetFoo", 51, "FOO", "1"),
                ("UseFoo", 51, "BAR", "[FOO]\\x"),
            ),
            &["SetFoo"],
        );
        assert!(f[0]
            .message
            .contains("`SetFoo` sets `FOO`, which `UseFoo` reads"));
        // A directory set by a type 35 action and read by a program's working directory.
        assert_actions(
            &DuplicateSequence,
            pair(
                ("SetDir", 35, "APPDIR", "[ProgramFilesFolder]App"),
                ("Run", 34, "APPDIR", "app.exe"),
            ),
            &["Run"],
        );
        // The setter of a deferred action's CustomActionData.
        assert_actions(
            &DuplicateSequence,
            pair(
                ("InstallFoo", 3073, "Bin", "InstallFoo"),
                ("SetInstallFoo", 51, "InstallFoo", "[INSTALLDIR]"),
            ),
            &["InstallFoo"],
        );
    }

    #[test]
    fn fires_when_a_condition_reads_what_the_other_sets() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("Detect", 51, Some("FOUND"), Some("1"))
            .action("Warn", 19, None, Some("Old version found"))
            .seq(IE, "Detect", None, 1001)
            .seq(IE, "Warn", Some("FOUND"), 1001);
        assert_actions(&DuplicateSequence, b, &["Detect"]);
    }

    #[test]
    fn fires_when_both_set_the_same_property() {
        let f = assert_actions(
            &DuplicateSequence,
            pair(("SetA", 51, "MODE", "a"), ("SetB", 51, "MODE", "b")),
            &["SetA"],
        );
        assert!(f[0].message.contains("both set `MODE`"));
    }

    #[test]
    fn fires_next_to_a_standard_action_whose_position_matters() {
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("LastWork", 3073, Some("Bin"), Some("LastWork"))
            .action("SetLate", 51, Some("LATE"), Some("1"))
            .seq(IE, "LastWork", None, 6600)
            .seq(IE, "SetLate", None, 1000);
        let f = assert_actions(&DuplicateSequence, b, &["LastWork", "SetLate"]);
        assert!(f[0]
            .message
            .contains("`LastWork` may run before or after `InstallFinalize`"));
        assert!(f[1]
            .message
            .contains("`SetLate` may run before or after `CostFinalize`"));
    }

    #[test]
    fn fires_when_both_run_code_or_one_is_in_script() {
        assert_actions(
            &DuplicateSequence,
            pair(
                ("CheckA", 1, "Bin", "CheckA"),
                ("CheckB", 1, "Bin", "CheckB"),
            ),
            &["CheckA"],
        );
        assert_actions(
            &DuplicateSequence,
            pair(
                ("Cert", 3106, "INSTALLDIR", "certutil.exe"),
                ("Script", 38, "", "x = 1"),
            ),
            &["Cert"],
        );
        let f = assert_actions(
            &DuplicateSequence,
            pair(
                ("Deferred", 3073, "Bin", "Work"),
                ("SetOther", 51, "OTHER", "1"),
            ),
            &["Deferred"],
        );
        assert!(f[0]
            .message
            .contains("`Deferred` runs in the installation script"));
    }

    #[test]
    fn reports_a_pair_once_naming_every_table() {
        let b = ["InstallUISequence", IE].into_iter().fold(
            MsiBuilder::new()
                .action("SetFoo", 51, Some("FOO"), Some("1"))
                .action("UseFoo", 51, Some("BAR"), Some("[FOO]")),
            |b, table| {
                b.seq(table, "SetFoo", None, 7)
                    .seq(table, "UseFoo", None, 7)
            },
        );
        let f = assert_actions(&DuplicateSequence, b, &["SetFoo"]);
        assert!(
            f[0].message
                .contains("a sequence number in InstallUISequence (7), InstallExecuteSequence (7)"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn quiet_for_independent_setters_such_as_merge_module_directories() {
        const GUID: &str = "AFA96EB4_FA9F_335C_A7CB_36079407553D";
        let (system, windows) = (
            format!("SystemFolder_x86_VC.{GUID}"),
            format!("WindowsFolder_x86_VC.{GUID}"),
        );
        let b = [
            "InstallUISequence",
            IE,
            "AdminUISequence",
            "AdminExecuteSequence",
            "AdvtExecuteSequence",
        ]
        .into_iter()
        .fold(
            MsiBuilder::new()
                .action(&system, 51, Some(&system), Some("[SystemFolder]"))
                .action(&windows, 51, Some(&windows), Some("[WindowsFolder]")),
            |b, table| b.seq(table, &system, None, 1).seq(table, &windows, None, 1),
        );
        assert_actions(&DuplicateSequence, b, &[]);
    }

    #[test]
    fn quiet_when_order_cannot_matter() {
        // An immediate DLL next to an unrelated setter or an ordinary standard action.
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("Check", 1, Some("Bin"), Some("Check"))
            .action("SetOther", 51, Some("OTHER"), Some("1"))
            .seq(IE, "Check", None, 4100)
            .seq(IE, "SetOther", None, 4100)
            .seq(IE, "WriteRegistryValues", None, 4100)
            .dialog("WelcomeDlg")
            .dialog("ResumeDlg")
            .seq("InstallUISequence", "WelcomeDlg", None, 1298)
            .seq("InstallUISequence", "ResumeDlg", None, 1298)
            .seq(IE, "Off1", None, 0)
            .seq(IE, "Off2", None, 0);
        assert_actions(&DuplicateSequence, b, &[]);
    }

    #[test]
    fn says_which_comes_first() {
        let f = assert_actions(
            &DuplicateSequence,
            pair(("UseFoo", 51, "BAR", "[FOO]"), ("SetFoo", 51, "FOO", "1")),
            &["SetFoo"],
        );
        assert!(
            f[0].help
                .contains("give `SetFoo` a lower sequence number than `UseFoo`"),
            "{}",
            f[0].help
        );
        let f = assert_actions(
            &DuplicateSequence,
            MsiBuilder::new()
                .standard_execute()
                .binary("DIFxApp.dll")
                .file("certutil.exe", "Tools")
                .action(
                    "MsiProcessDrivers",
                    1,
                    Some("DIFxApp.dll"),
                    Some("ProcessDriverPackages"),
                )
                .action(
                    "certutil.exe",
                    3090,
                    Some("certutil.exe"),
                    Some("-addstore -f TrustedPublisher [#cert]"),
                )
                .seq(IE, "MsiProcessDrivers", None, 4001)
                .seq(IE, "certutil.exe", None, 4001),
            &["MsiProcessDrivers"],
        );
        assert!(
            f[0].message.contains("adds a certificate"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].help
                .contains("give `certutil.exe` a lower sequence number than `MsiProcessDrivers`"),
            "{}",
            f[0].help
        );
    }
}
