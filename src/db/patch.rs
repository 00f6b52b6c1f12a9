//! Patches (.msp): reading them, and applying them to a database as Windows
//! Installer does.
//!
//! A patch is a compound file with its own small database (MsiPatchMetadata,
//! MsiPatchSequence) and, as substorages, transforms that come in pairs:
//! `NAME` changes the product, `#NAME` adds the patch's own rows
//! (PatchPackage, Media, MsiPatchSequence ...). Its summary information lists
//! the ProductCodes it targets (PID 7), the pairs in order (PID 8,
//! `:NAME;:#NAME;...`) and its patch code (PID 9). For each patch the first
//! pair whose `NAME` transform validates against the database as it is at
//! that point is applied, both transforms in turn; the others are skipped.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::transform::NotApplicable;
use super::{container, summary, Class, Database, Opened, PropertySet, Transform};
use crate::error::LoadError;

/// What the summary information of a patch says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PatchInfo {
    /// The patch code (the first GUID of PID 9).
    pub patch_code: Option<String>,
    /// Patches this one replaces (the GUIDs after the first in PID 9).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub obsoletes: Vec<String>,
    /// The ProductCodes it may be applied to (PID 7).
    pub targets: Vec<String>,
    /// Its transforms in the order PID 8 lists them, without the `:`.
    pub transforms: Vec<String>,
    /// The minimum Windows Installer version times 100 (PID 14).
    pub minimum_installer: Option<i32>,
}

/// One transform pair of a patch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pair {
    /// The transform that changes the product (`rtm.1`).
    pub name: String,
    /// The transform that adds the patch's own rows (`#rtm.1`), when listed.
    pub own: Option<String>,
}

impl PatchInfo {
    pub fn read(set: Option<&PropertySet>) -> Self {
        let text = |pid| set.and_then(|s| s.text(pid)).unwrap_or_default();
        let list = |pid| -> Vec<String> {
            text(pid)
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let mut codes = guids(text(summary::PID_REVISION));
        let patch_code = (!codes.is_empty()).then(|| codes.remove(0));
        Self {
            patch_code,
            obsoletes: codes,
            targets: list(summary::PID_TEMPLATE)
                .into_iter()
                .map(|t| t.to_uppercase())
                .collect(),
            transforms: list(summary::PID_LAST_SAVED_BY)
                .into_iter()
                .map(|t| t.strip_prefix(':').map_or(t.clone(), str::to_owned))
                .collect(),
            minimum_installer: set.and_then(|s| s.int(summary::PID_PAGE_COUNT)),
        }
    }

    /// The transform pairs, in order: each name without `#` starts a pair,
    /// and the `#` name right after it completes it. A name listed again is
    /// the same pair, tried once.
    pub fn pairs(&self) -> Vec<Pair> {
        let mut pairs: Vec<Pair> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for name in self.transforms.iter().filter(|n| seen.insert(n.as_str())) {
            match (name.strip_prefix('#'), pairs.last_mut()) {
                (Some(own), Some(last)) if last.own.is_none() && own == last.name => {
                    last.own = Some(name.clone());
                }
                // A `#` transform on its own is never the first of a pair.
                (Some(_), _) => {}
                (None, _) => pairs.push(Pair {
                    name: name.clone(),
                    own: None,
                }),
            }
        }
        pairs
    }
}

/// `{A}{B}` → [`{A}`, `{B}`] (upper case).
fn guids(text: &str) -> Vec<String> {
    text.split('}')
        .filter_map(|part| part.find('{').map(|at| &part[at..]))
        .filter(|g| g.len() > 1)
        .map(|g| format!("{}}}", g.to_uppercase()))
        .collect()
}

/// A patch, opened: its own tables and what its summary says.
pub struct Patch {
    /// Its file name, which names its transforms (`fix.msp:rtm.1`).
    pub name: String,
    pub path: PathBuf,
    pub info: PatchInfo,
    /// The patch's own database (MsiPatchMetadata, MsiPatchSequence).
    pub db: Database,
    /// Its substorages (its transforms), read once from the directory.
    storages: Vec<String>,
    /// The file's bytes when it was read from memory (its transforms are
    /// opened from them); `None` for a file, which is reopened instead.
    bytes: Option<Vec<u8>>,
}

impl std::fmt::Debug for Patch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Patch")
            .field("name", &self.name)
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

impl Patch {
    pub fn open(path: &Path) -> Result<Self, LoadError> {
        Self::from_opened(path, super::open(path)?, None)
    }

    /// Opens a patch held in memory; `path` names it in messages.
    pub fn open_bytes(path: &Path, bytes: Vec<u8>) -> Result<Self, LoadError> {
        let opened = super::open_bytes(path, bytes.clone())?;
        Self::from_opened(path, opened, Some(bytes))
    }

    fn from_opened(path: &Path, opened: Opened, bytes: Option<Vec<u8>>) -> Result<Self, LoadError> {
        match opened {
            Opened::Database(db) if db.class == Class::Patch => Ok(Self {
                name: path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                ),
                path: path.to_owned(),
                info: PatchInfo::read(db.summary.as_ref()),
                storages: db.storages(),
                db,
                bytes,
            }),
            _ => Err(LoadError::NotAPatch {
                path: path.to_owned(),
            }),
        }
    }

    /// Opens one of its transforms (`rtm.1`, `#rtm.1`), named
    /// `FILE.msp:NAME` so that rows it touches name the patch and the pair.
    pub fn transform(&self, storage: &str) -> Result<Transform, LoadError> {
        // Checked against the directory read at opening, so that a summary
        // listing many names that do not exist costs no reopening.
        if !self.storages.iter().any(|s| s == storage) {
            return Err(LoadError::NoSuchTransform {
                path: self.path.clone(),
                name: storage.to_owned(),
                known: format!(
                    "the patch's transforms are {}",
                    listed_or_none(&self.storages)
                ),
            });
        }
        let c = match &self.bytes {
            Some(bytes) => container::open_bytes(&self.path, bytes.clone())?,
            None => container::open_path(&self.path)?,
        };
        let mut t = Transform::from_storage(&self.path, c.storage, Some(storage))?;
        t.name = format!("{}:{storage}", self.name);
        Ok(t)
    }
}

fn listed_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// What applying a patch to a database did.
#[derive(Debug, Clone)]
pub struct AppliedPatch {
    pub name: String,
    pub path: PathBuf,
    pub info: PatchInfo,
    /// The pair applied, if one validated.
    pub pair: Option<String>,
    /// The database's ProductCode when the patch does not list it among
    /// its targets (then no pair was tried).
    pub not_targeted: Option<NotApplicable>,
    /// The pairs tried before the one applied (all of them when none
    /// applied), with why each does not validate.
    pub rejected: Vec<RejectedPair>,
    /// Transforms of the patch that could not be opened, with the reason.
    pub unreadable: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct RejectedPair {
    pub name: String,
    pub reasons: Vec<NotApplicable>,
}

impl AppliedPatch {
    /// Why the patch does not apply, in words; `None` when a pair applied.
    pub fn refusal(&self) -> Option<String> {
        if self.pair.is_some() {
            return None;
        }
        if let Some(n) = &self.not_targeted {
            return Some(n.describe());
        }
        if self.rejected.is_empty() {
            return Some(match self.unreadable.first() {
                None => "it lists no transform pair".into(),
                Some((name, e)) => format!("its transform {name} cannot be read ({e})"),
            });
        }
        Some(
            self.rejected
                .iter()
                .map(|r| {
                    let reasons: Vec<String> = r.reasons.iter().map(|n| n.describe()).collect();
                    format!("pair {}: {}", r.name, reasons.join("; "))
                })
                .collect::<Vec<_>>()
                .join("; "),
        )
    }
}

impl Database {
    /// Applies a patch: the first pair whose product transform validates
    /// against the database as it is now, both of its transforms in turn.
    /// Rows they touch know the transform (`fix.msp:rtm.1`), and the
    /// transforms know their patch.
    pub fn apply_patch(&mut self, patch: &Patch) -> &AppliedPatch {
        let mut applied = AppliedPatch {
            name: patch.name.clone(),
            path: patch.path.clone(),
            info: patch.info.clone(),
            pair: None,
            not_targeted: None,
            rejected: Vec::new(),
            unreadable: Vec::new(),
        };
        let product = self.property("ProductCode").map(str::to_uppercase);
        let targeted = patch.info.targets.is_empty()
            || product
                .as_deref()
                .is_some_and(|p| patch.info.targets.iter().any(|t| t == p));
        if !targeted {
            applied.not_targeted = Some(NotApplicable {
                what: "ProductCode",
                required: format!("one of its targets ({})", patch.info.targets.join(", ")),
                actual: product,
            });
        } else {
            for pair in patch.info.pairs() {
                let first = match patch.transform(&pair.name) {
                    Ok(t) => t,
                    Err(e) => {
                        applied.unreadable.push((pair.name.clone(), e.to_string()));
                        continue;
                    }
                };
                let reasons = self.validate(&first.info());
                if !reasons.is_empty() {
                    applied.rejected.push(RejectedPair {
                        name: pair.name.clone(),
                        reasons,
                    });
                    continue;
                }
                self.apply(first);
                self.mark_patch_transform(&patch.name);
                if let Some(own) = &pair.own {
                    match patch.transform(own) {
                        Ok(t) => {
                            self.apply(t);
                            // The patch's own rows are not validated against
                            // the product: the pair as a whole was.
                            self.mark_patch_transform(&patch.name);
                        }
                        Err(e) => applied.unreadable.push((own.clone(), e.to_string())),
                    }
                }
                applied.pair = Some(pair.name);
                break;
            }
        }
        self.patches.push(applied);
        self.patches.last().expect("just pushed")
    }

    fn mark_patch_transform(&mut self, patch: &str) {
        if let Some(t) = self.transforms.last_mut() {
            t.patch = Some(patch.to_owned());
            t.not_applicable.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_follow_the_transform_list() {
        let info = PatchInfo {
            transforms: ["rtm.2", "#rtm.2", "rtmldr.1", "#rtmldr.1", "rtm.2", "lone"]
                .map(String::from)
                .to_vec(),
            ..PatchInfo::default()
        };
        let pairs = info.pairs();
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs[1].name, "rtmldr.1");
        assert_eq!(pairs[1].own.as_deref(), Some("#rtmldr.1"));
        assert_eq!(pairs[2].own, None);
    }

    #[test]
    fn patch_codes_and_what_they_obsolete() {
        assert_eq!(
            guids("{ab}{cd} "),
            vec!["{AB}".to_owned(), "{CD}".to_owned()]
        );
        assert!(guids("").is_empty());
    }
}
