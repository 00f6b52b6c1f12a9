//! How each custom action is reached at run time: sequenced, called by a
//! DoAction event, or scheduled through `MsiDoAction` by a sequenced action.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::names::{normalize_name, scheduler_key, strip_module_suffix};
use crate::model::{CustomAction, Package, WindowPosition};

/// How a custom action is reached at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionRole {
    /// Listed in at least one sequence table.
    Sequenced,
    /// Called by a DoAction control event.
    DoAction,
    /// Not sequenced, but scheduled at run time through `MsiDoAction` by a
    /// sequenced immediate action (the scheduler/executor pattern).
    ScheduledBy {
        scheduler: String,
        reason: &'static str,
    },
    /// Not sequenced, but a sequenced set-property action writes its
    /// CustomActionData: something runs it at run time.
    DataSetBy { setter: String },
    /// Not sequenced, but a known vendor action reached at run time.
    Vendor(&'static str),
}

impl ActionRole {
    pub fn describe(&self) -> String {
        match self {
            Self::Sequenced => "sequenced".into(),
            Self::DoAction => "called by a DoAction control event".into(),
            Self::ScheduledBy { scheduler, reason } => {
                format!("scheduled at run time by {scheduler} through MsiDoAction ({reason})")
            }
            Self::DataSetBy { setter } => {
                format!(
                    "run at run time by code msica cannot see; {setter} sets its CustomActionData"
                )
            }
            Self::Vendor(what) => format!("reached at run time: {what}"),
        }
    }
}

pub type Roles = HashMap<String, ActionRole>;

/// The role of every custom action that is reached; an action missing from
/// the map is reached by nothing msica can see.
pub fn roles(pkg: &Package) -> Roles {
    let mut roles = Roles::new();
    for ca in &pkg.custom_actions {
        if pkg.schedules(&ca.name).next().is_some() {
            roles.insert(ca.name.clone(), ActionRole::Sequenced);
        } else if pkg.do_action_callers(&ca.name).next().is_some() {
            roles.insert(ca.name.clone(), ActionRole::DoAction);
        }
    }
    let sequenced = Sequenced::new(pkg, &roles);
    for ca in &pkg.custom_actions {
        if roles.contains_key(&ca.name) {
            continue;
        }
        if let Some(role) = run_time_role(pkg, ca, &sequenced) {
            roles.insert(ca.name.clone(), role);
        }
    }
    roles
}

/// The first of a group of possible schedulers, and the first of them that
/// runs inside a script window, the only place from which `MsiDoAction` can
/// write an in-script action into the script (2762 otherwise).
#[derive(Debug, Default, Clone, Copy)]
struct FirstScheduler<'a> {
    any: Option<&'a CustomAction>,
    in_window: Option<&'a CustomAction>,
}

impl<'a> FirstScheduler<'a> {
    fn add(&mut self, scheduler: &'a CustomAction, in_window: bool) {
        self.any.get_or_insert(scheduler);
        if in_window {
            self.in_window.get_or_insert(scheduler);
        }
    }

    /// The scheduler that can run `ca`.
    fn of(&self, ca: &CustomAction) -> Option<&'a CustomAction> {
        if ca.action_type.in_script() {
            self.in_window
        } else {
            self.any
        }
    }
}

/// Lookups over the sequenced custom actions, built once per package.
struct Sequenced<'a> {
    /// Names with any merge-module suffix removed.
    names: HashSet<&'a str>,
    /// Immediate code actions by their Source (a scheduler's Binary or File).
    by_source: HashMap<&'a str, FirstScheduler<'a>>,
    /// The same by Source and [`scheduler_key`], so that the scheduler whose
    /// name matches wins (`Write_sqlFileSDDL` for `Do_sqlFileSDDL`).
    by_source_and_name: HashMap<(&'a str, String), FirstScheduler<'a>>,
    /// The same by normalised Source.
    by_normalized_source: HashMap<String, FirstScheduler<'a>>,
}

impl<'a> Sequenced<'a> {
    fn new(pkg: &'a Package, roles: &Roles) -> Self {
        let mut this = Self {
            names: HashSet::new(),
            by_source: HashMap::new(),
            by_source_and_name: HashMap::new(),
            by_normalized_source: HashMap::new(),
        };
        for ca in pkg
            .custom_actions
            .iter()
            .filter(|ca| roles.get(&ca.name) == Some(&ActionRole::Sequenced))
        {
            this.names.insert(strip_module_suffix(&ca.name));
            let Some(source) = ca.source.as_deref() else {
                continue;
            };
            if ca.action_type.in_script() || !ca.action_type.runs_code() {
                continue;
            }
            let in_window = pkg.schedules(&ca.name).any(|(seq, row)| {
                seq.kind.is_execute() && seq.window_position(row) == WindowPosition::Inside
            });
            this.by_source.entry(source).or_default().add(ca, in_window);
            if let Some(key) = scheduler_key(&ca.name) {
                this.by_source_and_name
                    .entry((source, key))
                    .or_default()
                    .add(ca, in_window);
            }
            this.by_normalized_source
                .entry(normalize_name(source))
                .or_default()
                .add(ca, in_window);
        }
        this
    }
}

/// Vendor schedulers whose deferred actions live in a different Binary:
/// (scheduler, actions it schedules through MsiDoAction, who ships it).
const VENDOR_SCHEDULERS: [(&str, &[&str], &str); 1] = [(
    "MsiProcessDrivers",
    &[
        "MsiInstallDrivers",
        "MsiUninstallDrivers",
        "MsiRollbackInstall",
        "MsiCleanupOnSuccess",
    ],
    "Microsoft DIFxApp driver installation",
)];

/// Names Microsoft's own redistributable modules give their custom actions
/// (DIFxApp), which use the otherwise reserved `Msi` prefix.
pub fn is_microsoft_module_action(name: &str) -> bool {
    let name = strip_module_suffix(name);
    VENDOR_SCHEDULERS
        .iter()
        .any(|(scheduler, scheduled, _)| *scheduler == name || scheduled.contains(&name))
}

fn run_time_role(pkg: &Package, ca: &CustomAction, sequenced: &Sequenced) -> Option<ActionRole> {
    if pkg.validation_actions.contains(&ca.name) {
        return Some(ActionRole::Vendor(
            "run by the _ICESequence of this validation database",
        ));
    }
    let name = strip_module_suffix(&ca.name);
    for (scheduler, scheduled, vendor) in VENDOR_SCHEDULERS {
        if scheduled.contains(&name) && sequenced.names.contains(scheduler) {
            return Some(ActionRole::Vendor(vendor));
        }
    }
    let scheduled_by = |scheduler: &CustomAction, reason| ActionRole::ScheduledBy {
        scheduler: scheduler.name.clone(),
        reason,
    };
    if let Some(source) = ca.source.as_deref() {
        // A sequenced immediate action running code from the same Binary or
        // File: the WiX/vendor scheduler that MsiDoAction's this one.
        let by_name = scheduler_key(&ca.name)
            .and_then(|key| sequenced.by_source_and_name.get(&(source, key)))
            .and_then(|first| first.of(ca));
        if let Some(s) = by_name {
            return Some(scheduled_by(
                s,
                "same source as the scheduler, and a matching name",
            ));
        }
        if let Some(s) = sequenced.by_source.get(source).and_then(|f| f.of(ca)) {
            return Some(scheduled_by(s, "same source as the scheduler"));
        }
        // WiX splits scheduler and executor into ...Sched/...Exec binaries
        // (ScaSchedule/ScaExecute, IIsSchedule/IIsExecute, WixCPSched/WixCPExec ...).
        let stem = normalize_name(source);
        for (sched, exec) in [("Schedule", "Execute"), ("Sched", "Exec")] {
            let Some(prefix) = stem.strip_suffix(exec) else {
                continue;
            };
            if let Some(s) = sequenced
                .by_normalized_source
                .get(&format!("{prefix}{sched}"))
                .and_then(|f| f.of(ca))
            {
                return Some(scheduled_by(s, "executor binary of the scheduler's binary"));
            }
        }
    }
    // A deferred action whose data property is set by a sequenced setter is
    // being prepared for an MsiDoAction call or a DoAction.
    if ca.action_type.in_script() {
        if let Some(setter) = pkg
            .setters_of(&ca.name)
            .find(|o| sequenced.names.contains(strip_module_suffix(&o.name)))
        {
            return Some(ActionRole::DataSetBy {
                setter: setter.name.clone(),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::MsiBuilder;

    fn scheduler_of(pkg: &Package, action: &str) -> Option<String> {
        match roles(pkg).remove(action)? {
            ActionRole::ScheduledBy { scheduler, .. } => Some(scheduler),
            other => panic!("{action}: {other:?}"),
        }
    }

    #[test]
    fn deferred_actions_are_credited_to_a_scheduler_inside_the_window() {
        const IE: &str = "InstallExecuteSequence";
        let pkg = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .binary("Late")
            .action("EarlyCheck", 1, Some("Bin"), Some("EarlyCheck"))
            .action("SchedBar", 1, Some("Bin"), Some("SchedBar"))
            .action("SchedFoo", 1, Some("Bin"), Some("SchedFoo"))
            .action("Cleanup", 1, Some("Late"), Some("Cleanup"))
            .action("ExecFoo", 3073, Some("Bin"), Some("ExecFoo"))
            .action(
                "ExecFooRollback",
                3329,
                Some("Bin"),
                Some("ExecFooRollback"),
            )
            .action("ExecOther", 3073, Some("Bin"), Some("ExecOther"))
            .action("Helper", 1, Some("Bin"), Some("Helper"))
            .action("ExecLate", 3073, Some("Late"), Some("ExecLate"))
            .seq(IE, "EarlyCheck", None, 1000)
            .seq(IE, "SchedBar", None, 3000)
            .seq(IE, "SchedFoo", None, 4001)
            .seq(IE, "Cleanup", None, 6700)
            .load();
        assert_eq!(scheduler_of(&pkg, "ExecFoo").as_deref(), Some("SchedFoo"));
        assert_eq!(
            scheduler_of(&pkg, "ExecFooRollback").as_deref(),
            Some("SchedFoo")
        );
        assert_eq!(scheduler_of(&pkg, "ExecOther").as_deref(), Some("SchedBar"));
        // An immediate action may be run from anywhere.
        assert_eq!(scheduler_of(&pkg, "Helper").as_deref(), Some("EarlyCheck"));
        // MsiDoAction of a deferred action after InstallFinalize fails (2762).
        assert_eq!(scheduler_of(&pkg, "ExecLate"), None);
    }
}
