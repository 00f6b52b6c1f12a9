//! Which rollback and commit actions belong to which deferred action.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::names::{
    entry_key, is_one_of, joined, keyed, name_key, normalized, without, words, COMMIT_WORDS,
    DEFERRED_WORDS, ROLLBACK_WORDS,
};
use crate::condition::{self, Condition};
use crate::model::{CustomAction, Package, Sequence};

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
        let inverse = match found {
            Some((i, Via::Name)) => inverse_sibling(pkg, ca, &pkg.custom_actions[i], kind),
            _ => None,
        };
        let pair = match found {
            Some((i, _)) if inverse.is_some() => {
                // The action it is named after keeps a partner of sorts: this
                // rollback runs its code.
                out.with_sibling.insert(pkg.custom_actions[i].name.clone());
                inverse
            }
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
/// sequence is a deferred action from the same source. When the two run
/// under conditions that exclude each other (`ALLUSERS`, `NOT ALLUSERS`), a
/// later deferred action from that source under the same condition wins.
fn adjacent_sibling(pkg: &Package, ca: &CustomAction, kind: SiblingKind) -> Option<Sibling> {
    ca.source.as_ref()?;
    let same_source = |d: &CustomAction| d.action_type.is_deferred() && d.source == ca.source;
    for seq in pkg.sequences.iter().filter(|s| s.kind.is_execute()) {
        let Some(next) = in_script_after(pkg, seq, &ca.name).next() else {
            continue;
        };
        if !same_source(next) {
            continue;
        }
        let own = condition_of(seq, &ca.name);
        let d = if condition::excludes(&own, &condition_of(seq, &next.name)) {
            in_script_after(pkg, seq, &ca.name)
                .filter(|d| same_source(d))
                .find(|d| condition::equivalent(&own, &condition_of(seq, &d.name)))
                .unwrap_or(next)
        } else {
            next
        };
        return Some(Sibling {
            deferred: d.name.clone(),
            sibling: ca.name.clone(),
            kind,
            reason: if d.name == next.name {
                "two actions share the source, and the rollback or commit action is the in-script action scheduled just before the other"
            } else {
                "two actions share the source and the condition, and the in-script action scheduled right after the rollback or commit action runs under a condition that excludes it"
            },
            certain: false,
        });
    }
    None
}

/// The in-script custom actions scheduled after `action` in `seq`, in order.
fn in_script_after<'a>(
    pkg: &'a Package,
    seq: &'a Sequence,
    action: &str,
) -> impl Iterator<Item = &'a CustomAction> + 'a {
    let order = seq.order_of(action);
    seq.rows_after(action)
        .iter()
        .filter(move |r| order.is_some_and(|o| r.order.is_some_and(|r| r > o)))
        .filter_map(|r| pkg.custom_action(&r.action))
        .filter(|other| other.action_type.in_script())
}

/// The condition of `action`'s row in `seq`; one that does not parse counts
/// as always true, which excludes nothing.
fn condition_of(seq: &Sequence, action: &str) -> Condition {
    let text = seq
        .row(action)
        .and_then(|r| r.condition.as_deref())
        .unwrap_or_default();
    condition::parse(text)
        .or_else(|_| condition::parse(""))
        .expect("an empty condition parses")
}

/// A rollback named after a deferred action `X` that calls the very code `X`
/// calls does what `X` does rather than undo it (`AllowAppLaunch_rollback`
/// beside `AllowAppLaunch`, both `ReleaseAppEntryPoints`): when it is
/// scheduled just before another deferred action under the same condition
/// (`BlockAppLaunch`), it undoes that one.
fn inverse_sibling(
    pkg: &Package,
    ca: &CustomAction,
    named: &CustomAction,
    kind: SiblingKind,
) -> Option<Sibling> {
    let same_code = ca.source.is_some()
        && ca.source == named.source
        && ca.target.is_some()
        && ca.target == named.target;
    if kind != SiblingKind::Rollback || !same_code {
        return None;
    }
    for seq in pkg.sequences.iter().filter(|s| s.kind.is_execute()) {
        if seq.row(&named.name).is_none() {
            continue;
        }
        let Some(next) = in_script_after(pkg, seq, &ca.name).next() else {
            continue;
        };
        if next.name != named.name
            && next.action_type.is_deferred()
            && condition::equivalent(&condition_of(seq, &ca.name), &condition_of(seq, &next.name))
        {
            return Some(Sibling {
                deferred: next.name.clone(),
                sibling: ca.name.clone(),
                kind,
                reason: "rollback calls the same code as the action it is named after, so it redoes that action rather than undo it, and it is scheduled just before this one under the same condition",
                certain: false,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::MsiBuilder;

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

    #[test]
    fn role_words_in_any_case_beat_adjacency_under_opposite_conditions() {
        const IE: &str = "InstallExecuteSequence";
        let b = MsiBuilder::new()
            .standard_execute()
            .binary("GameUX")
            .action(
                "GameUXRollBackAddAsCurUser",
                3329,
                Some("GameUX"),
                Some("RemoveAsCurUser"),
            )
            .action("GameUXAddAsAdmin", 3073, Some("GameUX"), Some("AddAsAdmin"))
            .action(
                "GameUXAddAsCurUser",
                1025,
                Some("GameUX"),
                Some("AddAsCurUser"),
            )
            .seq(IE, "GameUXRollBackAddAsCurUser", Some("NOT ALLUSERS"), 4001)
            .seq(IE, "GameUXAddAsAdmin", Some("ALLUSERS"), 4002)
            .seq(IE, "GameUXAddAsCurUser", Some("NOT ALLUSERS"), 4003);
        assert_eq!(
            pairs(b),
            [pair(
                "GameUXRollBackAddAsCurUser",
                "GameUXAddAsCurUser",
                true
            )]
        );
    }

    #[test]
    fn adjacency_skips_an_action_under_an_excluding_condition() {
        const IE: &str = "InstallExecuteSequence";
        let b = |second: &str| {
            MsiBuilder::new()
                .standard_execute()
                .binary("Bin")
                .action("UndoTheWork", 3329, Some("Bin"), Some("Revert"))
                .action("PerMachine", 3073, Some("Bin"), Some("ApplyMachine"))
                .action("PerUser", 1025, Some("Bin"), Some("ApplyUser"))
                .seq(IE, "UndoTheWork", Some("NOT ALLUSERS"), 4001)
                .seq(IE, "PerMachine", Some("ALLUSERS"), 4002)
                .seq(IE, "PerUser", Some(second), 4003)
        };
        assert_eq!(
            pairs(b("NOT ALLUSERS")),
            [pair("UndoTheWork", "PerUser", false)]
        );
        // Without a candidate under the same condition, the adjacent one stays.
        assert_eq!(
            pairs(b("VersionNT")),
            [pair("UndoTheWork", "PerMachine", false)]
        );
        let found = siblings(&b("NOT ALLUSERS").load());
        assert!(found.pairs[0]
            .reason
            .starts_with("two actions share the source and the condition"));
    }

    #[test]
    fn a_rollback_that_runs_the_code_it_is_named_after_undoes_its_neighbour() {
        const IE: &str = "InstallExecuteSequence";
        const WHEN: &str = r#"Installed AND REMOVE="ALL""#;
        let b = |rollback_entry: &str| {
            MsiBuilder::new()
                .standard_execute()
                .binary("ADelRCP")
                .binary("BlockEntryPoints")
                .action(
                    "AllowAppLaunch",
                    3137,
                    Some("ADelRCP"),
                    Some("ReleaseAppEntryPoints"),
                )
                .action(
                    "AllowAppLaunch_rollback",
                    3393,
                    Some("ADelRCP"),
                    Some(rollback_entry),
                )
                .action("BlockAppLaunch", 3266, Some("BlockEntryPoints"), Some("/b"))
                .seq(IE, "AllowAppLaunch_rollback", Some(WHEN), 1516)
                .seq(IE, "BlockAppLaunch", Some(WHEN), 1517)
                .seq(IE, "AllowAppLaunch", Some(WHEN), 6566)
        };
        let found = siblings(&b("ReleaseAppEntryPoints").load());
        assert_eq!(
            found
                .pairs
                .iter()
                .map(|p| (p.sibling.as_str(), p.deferred.as_str()))
                .collect::<Vec<_>>(),
            [("AllowAppLaunch_rollback", "BlockAppLaunch")]
        );
        assert!(found.may_have_sibling("AllowAppLaunch"));
        // A rollback with code of its own undoes the action it is named after.
        assert_eq!(
            pairs(b("UndoReleaseAppEntryPoints")),
            [pair("AllowAppLaunch_rollback", "AllowAppLaunch", true)]
        );
    }
}
