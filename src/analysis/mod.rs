//! Analysis shared by the rules: how each custom action is reached, and which
//! rollback and commit actions belong to which deferred action.

pub mod property_flow;
pub mod scenarios;

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::condition::{self, Condition, RefKind, Reference};
use crate::finding::Location;
use crate::model::{CustomAction, Package, Sequence, SequenceKind, SequenceRow, WindowPosition};

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

/// Strips WiX v4+ prefixes, platform suffixes and a merge-module GUID
/// suffix, so that names from different builds compare equal.
pub fn normalize_name(name: &str) -> String {
    normalized(name).to_owned()
}

fn normalized(name: &str) -> &str {
    let mut s = strip_module_suffix(name);
    for prefix in ["Wix4", "Wix5", "Wix6"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            if rest.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                s = rest;
                break;
            }
        }
    }
    for suffix in [
        "_X86", "_X64", "_A64", "_A32", "_ARM", "_x64", "_64", "_ARM64", "_x86",
    ] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest;
            break;
        }
    }
    s
}

/// `Name.0123ABCD_...` (a merge-module key) → `Name`.
pub fn strip_module_suffix(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, guid)) if is_module_guid(guid) => stem,
        _ => name,
    }
}

/// The merge-module GUID suffix of a name, if it has one.
fn module_guid(name: &str) -> Option<&str> {
    name.rsplit_once('.')
        .map(|(_, guid)| guid)
        .filter(|guid| is_module_guid(guid))
}

fn is_module_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('_').collect();
    parts.len() == 5
        && [8, 4, 4, 4, 12]
            .iter()
            .zip(&parts)
            .all(|(len, p)| p.len() == *len && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Words that mark the deferred half of a pair, in any position of a name or
/// entry point (`ExecFoo`, `Foo_Deferred`, `DoFoo`, `InstallFoo`).
const DEFERRED_WORDS: [&str; 5] = ["Deferred", "Exec", "Execute", "Do", "Install"];
/// Words that mark a rollback action; `Un` as in `DoUnRegisterTypeLib`, the
/// rollback of `DoRegisterTypeLib`.
const ROLLBACK_WORDS: [&str; 4] = ["Rollback", "Undo", "Rb", "Un"];
const COMMIT_WORDS: [&str; 1] = ["Commit"];
/// Words of a scheduler's name that the actions it schedules do not carry
/// (`SchedXmlFile` schedules `ExecXmlFile`, `WrRegisterTypeLib` schedules
/// `DoRegisterTypeLib`).
const SCHEDULER_WORDS: [&str; 5] = ["Sched", "Schedule", "Write", "Wr", "Configure"];

/// The words of a name: split at `_`, `.` and other punctuation, where a
/// lower-case letter or digit meets a capital (`ExecFoo`), and before the
/// last capital of a run followed by lower case (`DDSECa` → `DDSE`, `Ca`).
fn words(name: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(4);
    let mut start = None;
    let mut prev = '\0';
    let mut chars = name.char_indices().peekable();
    while let Some((pos, c)) = chars.next() {
        if !c.is_alphanumeric() {
            if let Some(s) = start.take() {
                out.push(&name[s..pos]);
            }
        } else if let Some(s) = start {
            let next_is_lower = chars.peek().is_some_and(|&(_, n)| n.is_lowercase());
            if c.is_uppercase()
                && (prev.is_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_uppercase() && next_is_lower))
            {
                out.push(&name[s..pos]);
                start = Some(pos);
            }
        } else {
            start = Some(pos);
        }
        prev = c;
    }
    if let Some(s) = start {
        out.push(&name[s..]);
    }
    out
}

fn is_one_of(word: &str, lists: &[&[&str]]) -> bool {
    lists
        .iter()
        .any(|list| list.iter().any(|w| w.eq_ignore_ascii_case(word)))
}

/// The words of `text` that are not in `lists`.
fn words_without<'a>(text: &'a str, lists: &[&[&str]]) -> Vec<&'a str> {
    without(&words(text), lists)
}

/// `words` without those in `lists`.
fn without<'a>(words: &[&'a str], lists: &[&[&str]]) -> Vec<&'a str> {
    words
        .iter()
        .copied()
        .filter(|w| !is_one_of(w, lists))
        .collect()
}

/// Words joined with `_`; `None` when there is none.
fn joined(words: Vec<&str>) -> Option<String> {
    (!words.is_empty()).then(|| words.join("_"))
}

/// The words of a normalised action name without the role words in
/// `lists`, joined with `_` ([`keyed`]).
fn name_key(name: &str, lists: &[&[&str]]) -> Option<String> {
    keyed(words_without(normalized(name), lists), name)
}

/// Words joined with `_`, plus the merge-module GUID of `name` that both
/// halves of a pair carry; `None` when there is no word.
fn keyed(words: Vec<&str>, name: &str) -> Option<String> {
    let key = joined(words)?;
    Some(match module_guid(name) {
        Some(guid) => format!("{key}.{guid}"),
        None => key,
    })
}

/// The same for an entry point (a Target), which carries no build decoration.
fn entry_key(target: &str, lists: &[&[&str]]) -> Option<String> {
    joined(words_without(target, lists))
}

/// What is left of a name to compare with a scheduler's name.
fn scheduler_key(name: &str) -> Option<String> {
    name_key(
        name,
        &[
            &DEFERRED_WORDS,
            &ROLLBACK_WORDS,
            &COMMIT_WORDS,
            &SCHEDULER_WORDS,
        ],
    )
}

/// Whether a rollback or commit action undoes or completes which deferred action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiblingKind {
    Rollback,
    Commit,
}

impl SiblingKind {
    fn of(ca: &CustomAction) -> Option<Self> {
        if ca.action_type.is_rollback() {
            Some(Self::Rollback)
        } else if ca.action_type.is_commit() {
            Some(Self::Commit)
        } else {
            None
        }
    }

    fn words(self) -> &'static [&'static str] {
        match self {
            Self::Rollback => &ROLLBACK_WORDS,
            Self::Commit => &COMMIT_WORDS,
        }
    }
}

/// A deferred action and one of its rollback or commit siblings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sibling {
    pub deferred: String,
    pub sibling: String,
    pub kind: SiblingKind,
    /// How the pair was found, for messages.
    pub reason: &'static str,
    /// The pairing leaves no doubt (see [`siblings`]); only such a pair may
    /// produce an error.
    pub certain: bool,
}

/// The rollback and commit siblings of a package's deferred actions.
#[derive(Debug, Clone, Default)]
pub struct Siblings {
    pub pairs: Vec<Sibling>,
    /// Deferred actions that have a sibling, and those that a rollback or
    /// commit action may belong to when it cannot be told which of several.
    with_sibling: HashSet<String>,
}

impl Siblings {
    /// Whether `deferred` has, or may have, a rollback or commit sibling.
    pub fn may_have_sibling(&self, deferred: &str) -> bool {
        self.with_sibling.contains(deferred)
    }
}

/// Every rollback/commit sibling pair in the package. Windows Installer
/// records no link between the two, so a pair is found, in this order, by:
///
/// 1. names equal once one rollback/commit word is removed (`ExecFooRollback`,
///    `RollbackRegisterPort0` ↔ `RegisterPort0`);
/// 2. names equal once every role word is removed, in any position
///    (`RollbackServiceConfig` ↔ `ExecServiceConfig`,
///    `DDSE_CA_Uninstall_Rollback` ↔ `DDSE_CA_Uninstall_Deferred`);
/// 3. the same Source and entry points equal once role words are removed;
/// 4. the in-script action scheduled right after the sibling.
///
/// A name or entry point shared by several deferred actions identifies none
/// of them: such a sibling is paired by adjacency at most, and every deferred
/// action it may belong to counts as having a sibling. Name pairs are certain
/// when both actions share the Source, entry-point pairs always are,
/// adjacency never is.
pub fn siblings(pkg: &Package) -> Siblings {
    let index = DeferredIndex::new(pkg);
    let mut out = Siblings::default();
    let mut ambiguous_buckets = HashSet::new();
    for ca in &pkg.custom_actions {
        let Some(kind) = SiblingKind::of(ca) else {
            continue;
        };
        let roles: &[&[&str]] = &[kind.words(), &DEFERRED_WORDS];
        let name_words = words(normalized(&ca.name));
        let exact = (0..name_words.len())
            .filter(|&i| is_one_of(name_words[i], &[kind.words()]))
            .filter_map(|i| keyed([&name_words[..i], &name_words[i + 1..]].concat(), &ca.name))
            .filter_map(|key| index.by_name.get(&key).copied());
        let by_name = index.find(exact);
        // A name or entry point that does not say rollback (or commit) is not
        // compared: a rollback that calls the same entry point as an uninstall
        // action undoes something else (`RollbackPrivileges` and
        // `UninstallPrivileges` both call `RevokeGroupPrivileges`).
        let says_kind = |words: &[&str]| words.iter().any(|w| is_one_of(w, &[kind.words()]));
        let by_role_name = index.find(
            Some(&name_words)
                .filter(|w| says_kind(w))
                .and_then(|w| keyed(without(w, roles), &ca.name))
                .and_then(|key| index.by_role_key.get(&key).copied()),
        );
        let by_entry = index.find(ca.source.as_deref().zip(ca.target.as_deref()).and_then(
            |(source, target)| {
                let target_words = words(target);
                let key =
                    joined(without(&target_words, roles)).filter(|_| says_kind(&target_words))?;
                index.by_entry.get(&(source, key)).copied()
            },
        ));
        let found = match (by_name, by_role_name, by_entry) {
            (Found::One(d), ..) => Some((d, Via::Name)),
            (Found::Nothing, Found::One(d), Found::One(e)) if d == e => {
                Some((d, Via::NameAndEntry))
            }
            (Found::Nothing, Found::One(d), Found::One(e)) => {
                let names = [d, e].map(|i| pkg.custom_actions[i].name.clone());
                out.with_sibling.extend(names);
                None
            }
            (Found::Nothing, Found::One(d), _) => Some((d, Via::RoleName)),
            (Found::Nothing, _, Found::One(e)) => Some((e, Via::Entry)),
            (Found::Several(buckets), ..)
            | (_, Found::Several(buckets), _)
            | (_, _, Found::Several(buckets)) => {
                ambiguous_buckets.extend(buckets);
                None
            }
            (Found::Nothing, Found::Nothing, Found::Nothing) => None,
        };
        let pair = match found {
            Some((i, via)) => {
                let d = &pkg.custom_actions[i];
                let (reason, certain) = via.reason(ca.source.is_some() && ca.source == d.source);
                Some(Sibling {
                    deferred: d.name.clone(),
                    sibling: ca.name.clone(),
                    kind,
                    reason,
                    certain,
                })
            }
            None => adjacent_sibling(pkg, ca, kind),
        };
        if let Some(pair) = pair {
            out.with_sibling.insert(pair.deferred.clone());
            out.pairs.push(pair);
        }
    }
    // Each bucket once, so that this stays linear however many siblings share it.
    for b in ambiguous_buckets {
        let names = index.buckets[b]
            .iter()
            .map(|&i| &pkg.custom_actions[i].name);
        out.with_sibling.extend(names.cloned());
    }
    out
}

/// How a pair was found.
#[derive(Debug, Clone, Copy)]
enum Via {
    Name,
    RoleName,
    NameAndEntry,
    Entry,
}

impl Via {
    /// The reason in words, and whether the pair is certain.
    fn reason(self, same_source: bool) -> (&'static str, bool) {
        match (self, same_source) {
            (Self::Name, true) => (
                "names differ only by a rollback/commit word and share the source",
                true,
            ),
            (Self::Name, false) => ("names differ only by a rollback/commit word", false),
            (Self::RoleName, true) => (
                "names differ only by role words (Rollback, Commit, Exec, Deferred ...) and share the source",
                true,
            ),
            (Self::RoleName, false) => (
                "names differ only by role words (Rollback, Commit, Exec, Deferred ...)",
                false,
            ),
            (Self::NameAndEntry, _) => (
                "names and entry points differ only by role words in the same source",
                true,
            ),
            (Self::Entry, _) => (
                "entry points differ only by role words in the same source, where no other deferred action has that entry point",
                true,
            ),
        }
    }
}

/// The deferred actions a key identifies.
enum Found {
    Nothing,
    /// Exactly one deferred action, by its position.
    One(usize),
    /// Several, as the buckets that hold them.
    Several(Vec<usize>),
}

/// Deferred actions indexed by the keys a rollback or commit action may
/// share with them, so that pairing stays linear. Each map holds the
/// number of a bucket of positions in `custom_actions`.
struct DeferredIndex<'a> {
    buckets: Vec<Vec<usize>>,
    /// Whole normalised name.
    by_name: HashMap<String, usize>,
    /// Name without role words.
    by_role_key: HashMap<String, usize>,
    /// Source and entry point without role words.
    by_entry: HashMap<(&'a str, String), usize>,
}

impl<'a> DeferredIndex<'a> {
    fn new(pkg: &'a Package) -> Self {
        fn add<K: std::hash::Hash + Eq>(
            buckets: &mut Vec<Vec<usize>>,
            map: &mut HashMap<K, usize>,
            key: Option<K>,
            i: usize,
        ) {
            if let Some(key) = key {
                let b = *map.entry(key).or_insert_with(|| {
                    buckets.push(Vec::new());
                    buckets.len() - 1
                });
                buckets[b].push(i);
            }
        }
        let mut this = Self {
            buckets: Vec::new(),
            by_name: HashMap::new(),
            by_role_key: HashMap::new(),
            by_entry: HashMap::new(),
        };
        for (i, d) in pkg.custom_actions.iter().enumerate() {
            if !d.action_type.is_deferred() {
                continue;
            }
            let b = &mut this.buckets;
            add(b, &mut this.by_name, name_key(&d.name, &[]), i);
            add(
                b,
                &mut this.by_role_key,
                name_key(&d.name, &[&DEFERRED_WORDS]),
                i,
            );
            let entry =
                d.source
                    .as_deref()
                    .zip(d.target.as_deref())
                    .and_then(|(source, target)| {
                        Some((source, entry_key(target, &[&DEFERRED_WORDS])?))
                    });
            add(b, &mut this.by_entry, entry, i);
        }
        this
    }

    /// What the buckets `ids` identify, without walking large buckets.
    fn find(&self, ids: impl IntoIterator<Item = usize>) -> Found {
        let mut ids: Vec<usize> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Found::Nothing;
        }
        if ids.iter().all(|&b| self.buckets[b].len() == 1) {
            let mut actions: Vec<usize> = ids.iter().map(|&b| self.buckets[b][0]).collect();
            actions.sort_unstable();
            actions.dedup();
            if actions.len() == 1 {
                return Found::One(actions[0]);
            }
        }
        Found::Several(ids)
    }
}

/// A rollback or commit action whose next in-script action in an execute
/// sequence is a deferred action from the same source.
fn adjacent_sibling(pkg: &Package, ca: &CustomAction, kind: SiblingKind) -> Option<Sibling> {
    ca.source.as_ref()?;
    for seq in pkg.sequences.iter().filter(|s| s.kind.is_execute()) {
        let Some(order) = seq.order_of(&ca.name) else {
            continue;
        };
        let next = seq
            .rows_after(&ca.name)
            .iter()
            .filter(|r| r.order.is_some_and(|o| o > order))
            .filter_map(|r| pkg.custom_action(&r.action))
            .find(|other| other.action_type.in_script());
        if let Some(d) = next.filter(|d| d.action_type.is_deferred() && d.source == ca.source) {
            return Some(Sibling {
                deferred: d.name.clone(),
                sibling: ca.name.clone(),
                kind,
                reason: "shares the source and is the in-script action scheduled just before it",
                certain: false,
            });
        }
    }
    None
}

/// Where a condition is stored.
#[derive(Debug, Clone, Copy)]
pub enum ConditionOwner<'a> {
    /// A sequence row: the action runs when the condition holds.
    SequenceRow(&'a Sequence, &'a SequenceRow),
    /// A ControlEvent row: the event is published when the condition holds.
    ControlEvent(&'a crate::model::ControlEvent),
    /// A LaunchCondition, ControlCondition or Condition row.
    Other(&'a crate::model::ConditionSite),
}

/// One non-empty condition of the package, wherever it is stored.
#[derive(Debug, Clone)]
pub struct ConditionSiteRef<'a> {
    pub owner: ConditionOwner<'a>,
    /// The condition text as stored.
    pub text: &'a str,
    /// The condition parsed, once for every rule that reads it and once for
    /// every site with the same text.
    pub parsed: Arc<Result<Condition, condition::ParseError>>,
}

impl<'a> ConditionSiteRef<'a> {
    /// The row and its condition cell.
    pub fn location(&self) -> Location {
        match self.owner {
            ConditionOwner::SequenceRow(seq, row) => Location::sequence_row(seq, row, "Condition"),
            ConditionOwner::ControlEvent(event) => Location::control_event(event, "Condition"),
            ConditionOwner::Other(site) => Location::condition_site(site),
        }
    }

    /// The action concerned: the sequenced action, or the action a DoAction
    /// event calls.
    pub fn action(&self) -> Option<&'a str> {
        match self.owner {
            ConditionOwner::SequenceRow(_, row) => Some(&row.action),
            ConditionOwner::ControlEvent(event) => event.do_action(),
            ConditionOwner::Other(_) => None,
        }
    }

    /// The sequence row, when the condition belongs to one.
    pub fn row(&self) -> Option<&'a SequenceRow> {
        match self.owner {
            ConditionOwner::SequenceRow(_, row) => Some(row),
            _ => None,
        }
    }

    /// Where the condition is, in words, e.g. "the condition of `Foo` in
    /// InstallExecuteSequence".
    pub fn describe(&self) -> String {
        match self.owner {
            ConditionOwner::SequenceRow(seq, row) => {
                format!(
                    "the condition of `{}` in {}",
                    row.action,
                    seq.kind.table_name()
                )
            }
            ConditionOwner::ControlEvent(e) => {
                format!(
                    "the condition of the {} event `{}` of control {}/{}",
                    e.event, e.argument, e.dialog, e.control
                )
            }
            ConditionOwner::Other(site) => match site.table.as_str() {
                "LaunchCondition" => "a launch condition".to_owned(),
                "ControlCondition" => format!("the ControlCondition of {}", site.key),
                "Condition" => format!("the Condition row of feature {}", site.key),
                table => format!("the {table} row {}", site.key),
            },
        }
    }
}

/// Every non-empty condition of a package, each parsed once for every rule
/// that reads it, in the order of [`condition_sites`].
#[derive(Debug)]
pub struct Conditions<'a> {
    sites: Vec<ConditionSiteRef<'a>>,
    /// Sequence rows by table and action, to their site.
    by_row: HashMap<(SequenceKind, &'a str), usize>,
}

impl<'a> std::ops::Deref for Conditions<'a> {
    type Target = [ConditionSiteRef<'a>];

    fn deref(&self) -> &Self::Target {
        &self.sites
    }
}

impl Conditions<'_> {
    /// The parsed condition of a sequence row; `None` when it is empty
    /// (the row always runs).
    pub fn of_row(
        &self,
        kind: SequenceKind,
        action: &str,
    ) -> Option<&Result<Condition, condition::ParseError>> {
        self.by_row
            .get(&(kind, action))
            .map(|&i| &*self.sites[i].parsed)
    }
}

impl<'b, 'a> IntoIterator for &'b Conditions<'a> {
    type Item = &'b ConditionSiteRef<'a>;
    type IntoIter = std::slice::Iter<'b, ConditionSiteRef<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.sites.iter()
    }
}

/// Every non-empty condition of the package: sequence rows of every
/// sequence table, ControlEvent rows, and LaunchCondition, ControlCondition
/// and Condition rows, in that order, each parsed.
pub fn condition_sites(pkg: &Package) -> Conditions<'_> {
    fn non_empty(c: &Option<String>) -> Option<&str> {
        c.as_deref().filter(|t| !t.trim().is_empty())
    }
    // Packages repeat the same few conditions (`NOT Installed`) on many rows.
    let mut parsed: HashMap<&str, Arc<_>> = HashMap::new();
    let mut site = |owner, text| ConditionSiteRef {
        owner,
        text,
        parsed: parsed
            .entry(text)
            .or_insert_with(|| Arc::new(condition::parse(text)))
            .clone(),
    };
    let mut sites = Vec::new();
    let mut by_row = HashMap::new();
    for seq in &pkg.sequences {
        for row in &seq.rows {
            if let Some(text) = non_empty(&row.condition) {
                by_row.insert((seq.kind, row.action.as_str()), sites.len());
                sites.push(site(ConditionOwner::SequenceRow(seq, row), text));
            }
        }
    }
    for event in &pkg.control_events {
        if let Some(text) = non_empty(&event.condition) {
            sites.push(site(ConditionOwner::ControlEvent(event), text));
        }
    }
    for other in pkg.conditions.iter().filter(|s| !s.text.trim().is_empty()) {
        sites.push(site(ConditionOwner::Other(other), &other.text));
    }
    Conditions { sites, by_row }
}

/// What decides whether one sequenced action runs: what its condition reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowCondition {
    pub table: SequenceKind,
    pub action: String,
    /// The parsed condition (never empty).
    pub condition: Condition,
}

impl RowCondition {
    /// The properties read, in order of first appearance.
    pub fn properties(&self) -> Vec<&str> {
        self.references_of(RefKind::Property)
    }

    /// Every value read: properties, environment variables, component and
    /// feature states.
    pub fn references(&self) -> Vec<Reference> {
        self.condition.references()
    }

    fn references_of(&self, kind: RefKind) -> Vec<&str> {
        self.condition
            .references
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.name.as_str())
            .collect()
    }
}

/// For every sequence row with a non-empty condition that parses, what its
/// condition reads, in table and run order. Rows without a condition always
/// run and are left out; conditions that do not parse are left to MCA401.
pub fn row_conditions(pkg: &Package) -> Vec<RowCondition> {
    let mut out = Vec::new();
    for seq in &pkg.sequences {
        for row in &seq.rows {
            let Some(text) = row.condition.as_deref() else {
                continue;
            };
            let Ok(condition) = condition::parse(text) else {
                continue;
            };
            if !condition.is_empty() {
                out.push(RowCondition {
                    table: seq.kind,
                    action: row.action.clone(),
                    condition,
                });
            }
        }
    }
    out
}

/// The properties that decide whether `action` runs in `table`: those its
/// condition reads. Empty when the row has no condition; `None` when the
/// action is not in the table or its condition does not parse.
pub fn deciding_properties(
    pkg: &Package,
    table: SequenceKind,
    action: &str,
) -> Option<Vec<String>> {
    let row = pkg.sequence(table)?.row(action)?;
    let condition = condition::parse(row.condition.as_deref().unwrap_or_default()).ok()?;
    Some(
        condition
            .references()
            .into_iter()
            .filter(|r| r.kind == RefKind::Property)
            .map(|r| r.name)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::MsiBuilder;

    #[test]
    fn conditions_tell_which_properties_decide_each_action() {
        let pkg = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("Cleanup", 1, Some("Bin"), Some("Cleanup"))
            .action("Always", 1, Some("Bin"), Some("Always"))
            .action("Broken", 1, Some("Bin"), Some("Broken"))
            .seq(
                "InstallExecuteSequence",
                "Cleanup",
                Some(r#"REMOVE~="ALL" AND NOT UPGRADINGPRODUCTCODE AND $Comp=2 AND %TEMP"#),
                3000,
            )
            .seq("InstallExecuteSequence", "Always", None, 3001)
            .seq("InstallExecuteSequence", "Broken", Some("A ="), 3002)
            .load();
        let ie = SequenceKind::InstallExecuteSequence;
        let rows = row_conditions(&pkg);
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].action, "Cleanup");
        assert_eq!(rows[0].properties(), ["REMOVE", "UPGRADINGPRODUCTCODE"]);
        assert_eq!(rows[0].references().len(), 4);
        assert_eq!(
            deciding_properties(&pkg, ie, "Cleanup").unwrap(),
            ["REMOVE", "UPGRADINGPRODUCTCODE"]
        );
        assert_eq!(
            deciding_properties(&pkg, ie, "Always").unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(deciding_properties(&pkg, ie, "Broken"), None);
        assert_eq!(deciding_properties(&pkg, ie, "Missing"), None);
    }

    #[test]
    fn condition_sites_cover_every_condition_table() {
        let pkg = MsiBuilder::new()
            .standard_execute()
            .seq("InstallExecuteSequence", "LaunchConditions", Some("1"), 100)
            .dialog("Dlg")
            .control_event("Dlg", "Next", "NewDialog", "Other", "Ready = 1")
            .launch_condition("Privileged", "Administrator rights are needed")
            .control_condition("Dlg", "Next", "Disable", "NOT Ready")
            .feature_condition("Main", 0, "VersionNT < 600")
            .load();
        let sites = condition_sites(&pkg);
        let tables: Vec<String> = sites.iter().map(|s| s.location().table).collect();
        assert_eq!(
            tables,
            [
                "InstallExecuteSequence",
                "ControlEvent",
                "LaunchCondition",
                "ControlCondition",
                "Condition"
            ]
        );
        let feature = sites.iter().find(|s| s.text == "VersionNT < 600").unwrap();
        assert_eq!(feature.location().key, "Main/0");
        assert_eq!(feature.location().column.as_deref(), Some("Condition"));
        assert_eq!(sites[3].location().key, "Dlg/Next/Disable/NOT Ready");
    }

    #[test]
    fn normalises_wix_and_module_names() {
        assert_eq!(normalize_name("Wix4ExecXmlFile_X64"), "ExecXmlFile");
        assert_eq!(normalize_name("ExecXmlFile_64"), "ExecXmlFile");
        assert_eq!(
            normalize_name("CA_Help.3643236F_FC70_11D3_A536_0090278A1BB8"),
            "CA_Help"
        );
        assert_eq!(normalize_name("Wix4"), "Wix4");
    }

    #[test]
    fn words_split_at_case_digits_and_punctuation() {
        assert_eq!(
            words("ExecXmlFileRollback"),
            ["Exec", "Xml", "File", "Rollback"]
        );
        assert_eq!(
            words("DDSE_CA_Uninstall_Deferred"),
            ["DDSE", "CA", "Uninstall", "Deferred"]
        );
        assert_eq!(words("Do_sqlFileSDDL"), ["Do", "sql", "File", "SDDL"]);
        assert_eq!(words("RegisterPort10"), ["Register", "Port10"]);
        assert_eq!(
            words("DoUnRegisterTypeLib"),
            ["Do", "Un", "Register", "Type", "Lib"]
        );
        assert_eq!(words("_ID.rollback"), ["ID", "rollback"]);
    }

    /// (sibling, deferred, certain) for every pair, in table order.
    fn pairs(b: MsiBuilder) -> Vec<(String, String, bool)> {
        siblings(&b.load())
            .pairs
            .into_iter()
            .map(|p| (p.sibling, p.deferred, p.certain))
            .collect()
    }

    fn pair(sibling: &str, deferred: &str, certain: bool) -> (String, String, bool) {
        (sibling.into(), deferred.into(), certain)
    }

    #[test]
    fn role_words_pair_siblings_in_any_position() {
        const GUID: &str = "0A1B2C3D_1111_2222_3333_444455556666";
        let guid = |name: &str| format!("{name}.{GUID}");
        let b = MsiBuilder::new()
            .binary("Bin")
            .action("ExecXmlFile_64", 3073, Some("Bin"), Some("ExecXmlFile"))
            .action(
                "ExecXmlFileRollback_64",
                3329,
                Some("Bin"),
                Some("ExecXmlFileRollback"),
            )
            .action(
                "ExecServiceConfig",
                3073,
                Some("Bin"),
                Some("ExecServiceConfig"),
            )
            .action(
                "RollbackServiceConfig",
                3329,
                Some("Other"),
                Some("RollbackServiceConfig"),
            )
            .action(
                "DDSE_CA_Uninstall_Deferred_amd64",
                3073,
                Some("Stub"),
                Some("DDSE_CA_Uninstall_Deferred"),
            )
            .action(
                "DDSE_CA_Uninstall_Rollback_amd64",
                3329,
                Some("Stub"),
                Some("DDSE_CA_Uninstall_Rollback"),
            )
            .action(
                "DDSE_CA_Uninstall_Commit_amd64",
                3585,
                Some("Stub"),
                Some("DDSE_CA_Uninstall_Commit"),
            )
            .action(
                &guid("CA_AddSourceDeferred"),
                3073,
                Some("Help"),
                Some("AddSource"),
            )
            .action(
                &guid("CA_AddSourceCommit"),
                3585,
                Some("Help"),
                Some("CommitSource"),
            )
            .action(
                "WixExecFirewallExceptionsInstall",
                3073,
                Some("Fw"),
                Some("ExecFirewallExceptions"),
            )
            .action(
                "WixRollbackFirewallExceptionsInstall",
                3329,
                Some("Fw"),
                Some("ExecFirewallExceptions"),
            )
            .action(
                "WixExecFirewallExceptionsUninstall",
                3073,
                Some("Fw"),
                Some("ExecFirewallExceptions"),
            )
            .action(
                "WixRollbackFirewallExceptionsUninstall",
                3329,
                Some("Fw"),
                Some("ExecFirewallExceptions"),
            )
            .action(
                "_0A1B.install",
                3073,
                Some("InstallUtil"),
                Some("ManagedInstall"),
            )
            .action(
                "_0A1B.rollback",
                3329,
                Some("InstallUtil"),
                Some("ManagedInstall"),
            )
            .action(
                "Wd_DoRegisterTypeLib",
                3073,
                Some("Wd"),
                Some("Wd_DoRegisterTypeLib"),
            )
            .action(
                "Wd_DoUnRegisterTypeLib",
                3329,
                Some("Wd"),
                Some("Wd_DoUnRegisterTypeLib"),
            );
        assert_eq!(
            pairs(b),
            [
                pair("ExecXmlFileRollback_64", "ExecXmlFile_64", true),
                pair("RollbackServiceConfig", "ExecServiceConfig", false),
                pair(
                    "DDSE_CA_Uninstall_Rollback_amd64",
                    "DDSE_CA_Uninstall_Deferred_amd64",
                    true
                ),
                pair(
                    "DDSE_CA_Uninstall_Commit_amd64",
                    "DDSE_CA_Uninstall_Deferred_amd64",
                    true
                ),
                pair(
                    &guid("CA_AddSourceCommit"),
                    &guid("CA_AddSourceDeferred"),
                    true
                ),
                pair(
                    "WixRollbackFirewallExceptionsInstall",
                    "WixExecFirewallExceptionsInstall",
                    true
                ),
                pair(
                    "WixRollbackFirewallExceptionsUninstall",
                    "WixExecFirewallExceptionsUninstall",
                    true
                ),
                pair("_0A1B.rollback", "_0A1B.install", true),
                pair("Wd_DoUnRegisterTypeLib", "Wd_DoRegisterTypeLib", true),
            ]
        );
    }

    #[test]
    fn an_exact_name_beats_a_shared_entry_point() {
        let b = (0..3).fold(MsiBuilder::new().binary("NetLib"), |b, i| {
            b.action(
                &format!("RegisterPort{i}"),
                3073,
                Some("NetLib"),
                Some("RegisterPort"),
            )
            .action(
                &format!("RollbackRegisterPort{i}"),
                3329,
                Some("NetLib"),
                Some("RollbackRegisterPort"),
            )
        });
        assert_eq!(
            pairs(b),
            (0..3)
                .map(|i| pair(
                    &format!("RollbackRegisterPort{i}"),
                    &format!("RegisterPort{i}"),
                    true
                ))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_shared_entry_point_identifies_no_one() {
        let b = MsiBuilder::new()
            .binary("NetLib")
            .action("RegisterPortA", 3073, Some("NetLib"), Some("RegisterPort"))
            .action("RegisterPortB", 3073, Some("NetLib"), Some("RegisterPort"))
            .action("Lonely", 3073, Some("NetLib"), Some("Lonely"))
            .action(
                "UndoPorts",
                3329,
                Some("NetLib"),
                Some("RollbackRegisterPort"),
            );
        let found = siblings(&b.load());
        assert_eq!(found.pairs, []);
        assert!(found.may_have_sibling("RegisterPortA"));
        assert!(found.may_have_sibling("RegisterPortB"));
        assert!(!found.may_have_sibling("Lonely"));
    }

    #[test]
    fn name_and_entry_point_that_disagree_pair_nothing() {
        let b = MsiBuilder::new()
            .binary("Bin")
            .action("InstallFoo", 3073, Some("Bin"), Some("Bar"))
            .action("InstallBar", 3073, Some("Bin"), Some("Foo"))
            .action("RollbackFoo", 3329, Some("Bin"), Some("RollbackFoo"));
        let found = siblings(&b.load());
        assert_eq!(found.pairs, []);
        assert!(found.may_have_sibling("InstallFoo") && found.may_have_sibling("InstallBar"));
    }

    #[test]
    fn merge_module_siblings_pair_inside_their_module() {
        let b = MsiBuilder::new()
            .binary("Bin")
            .action(
                "ExecFoo.11111111_2222_3333_4444_555555555555",
                3073,
                Some("Bin"),
                Some("ExecFoo"),
            )
            .action(
                "ExecFoo.AAAAAAAA_2222_3333_4444_555555555555",
                3073,
                Some("Bin"),
                Some("ExecFoo"),
            )
            .action(
                "ExecFooRollback.AAAAAAAA_2222_3333_4444_555555555555",
                3329,
                Some("Bin"),
                Some("ExecFooRollback"),
            );
        assert_eq!(
            pairs(b),
            [pair(
                "ExecFooRollback.AAAAAAAA_2222_3333_4444_555555555555",
                "ExecFoo.AAAAAAAA_2222_3333_4444_555555555555",
                true
            )]
        );
    }

    #[test]
    fn a_rollback_on_an_uninstall_entry_point_is_not_its_sibling() {
        // Undoing a grant is a revoke: the rollback calls the uninstall
        // action's entry point, but it belongs to the action it follows.
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action(
                "GrantPrivileges",
                3073,
                Some("Bin"),
                Some("GrantGroupPrivileges"),
            )
            .action(
                "RollbackPrivileges",
                3329,
                Some("Bin"),
                Some("RevokeGroupPrivileges"),
            )
            .action(
                "UninstallPrivileges",
                3073,
                Some("Bin"),
                Some("RevokeGroupPrivileges"),
            )
            .seq("InstallExecuteSequence", "UninstallPrivileges", None, 1999)
            .seq("InstallExecuteSequence", "RollbackPrivileges", None, 5803)
            .seq("InstallExecuteSequence", "GrantPrivileges", None, 5804);
        assert_eq!(
            pairs(b),
            [pair("RollbackPrivileges", "GrantPrivileges", false)]
        );
    }

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
