//! The code each DLL, EXE and script action calls, read by the loader.
//!
//! Binary-table code (types 1, 2, 5, 6) is read from its `Binary.NAME`
//! stream; installed-file code (17, 18, 21, 22) from the package's embedded
//! cabinet, found through the File and Media tables (a file in an external
//! cabinet or uncompressed source is not in the package: it is reported
//! as not available, never guessed). Each stream or file is read once,
//! however many actions call it, and only its headers and directories.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::sync::Arc;

use super::action_type::{BaseKind, SourceKind};
use super::{CustomAction, Package};
use crate::code::script::Language;
use crate::code::system_dlls::{self, Availability};
use crate::code::{self, dtf, CodeKind, CodeSummary, Content, ManagedEntry};
use crate::db::Database;

pub use crate::code::Code;

/// The code one action calls, and what msica makes of it for that action.
#[derive(Debug, Clone)]
pub struct ActionCode {
    /// What was read (shared by every action that calls the same code).
    pub code: Arc<Code>,
    pub summary: CodeSummary,
}

/// Reads the code of every action that has code.
pub(super) fn read(db: &Database, pkg: &Package) -> BTreeMap<String, ActionCode> {
    let files = FileIndex::new(db);
    // (an installed file?, Binary or File key, script language) → what was read
    let mut cache: HashMap<(bool, String, Option<Language>), Arc<Code>> = HashMap::new();
    let mut out = BTreeMap::new();
    for ca in &pkg.custom_actions {
        let t = ca.action_type;
        let language = match t.kind() {
            BaseKind::Dll | BaseKind::Exe => None,
            BaseKind::JScript => Some(Language::JScript),
            BaseKind::VBScript => Some(Language::VbScript),
            _ => continue,
        };
        let Some(source) = ca.source.as_deref().filter(|s| !s.is_empty()) else {
            continue;
        };
        let code = match t.source() {
            SourceKind::Binary => {
                if !pkg.binaries.contains(source) {
                    continue; // missing-source says so
                }
                cache
                    .entry((false, source.to_owned(), language))
                    .or_insert_with(|| Arc::new(binary_code(db, source, language)))
                    .clone()
            }
            SourceKind::File => {
                if !pkg.files.contains_key(source) {
                    continue;
                }
                cache
                    .entry((true, source.to_owned(), language))
                    .or_insert_with(|| Arc::new(files.code(db, source, language)))
                    .clone()
            }
            _ => continue,
        };
        let summary = summarize(ca, &code, pkg, &files);
        out.insert(ca.name.clone(), ActionCode { code, summary });
    }
    out
}

/// Reads code under the loader's panic guard (quiet): a reader that fails
/// on hostile data costs that action its code, not the package. (The `cab`
/// crate panics on some damaged folders; the mutation harness finds them.)
pub(crate) fn guarded(origin: &str, f: impl FnOnce() -> Code) -> Code {
    super::load::guarded(std::path::Path::new(origin), || Ok(f()))
        .unwrap_or_else(|_| Code::missing(origin, "the data is malformed: msica cannot decode it"))
}

fn binary_code(db: &Database, name: &str, language: Option<Language>) -> Code {
    let stream = format!("Binary.{name}");
    if !db.has_stream(&stream) {
        return Code::missing(stream, "the Binary row has no data");
    }
    let origin = stream.clone();
    guarded(&origin, || {
        db.with_stream(&stream, |s| code::read(stream.clone(), s, language))
            .unwrap_or_else(|e| {
                Code::missing(stream.clone(), format!("the stream cannot be read ({e})"))
            })
    })
}

/// The File and Media rows that say where an installed file's data is.
struct FileIndex {
    /// File key → (long file name, sequence).
    files: HashMap<String, (String, Option<i32>)>,
    /// (last sequence, cabinet) of each Media row, by last sequence.
    media: Vec<(i32, Option<String>)>,
}

impl FileIndex {
    fn new(db: &Database) -> Self {
        let mut files = HashMap::new();
        if let Some(t) = db.table("File") {
            let (key, name, seq) = (t.column("File"), t.column("FileName"), t.column("Sequence"));
            for row in &db.data(t).rows {
                let text = |c: Option<usize>| c.map(|c| db.text(t, row, c).into_owned());
                let Some(k) = text(key) else { continue };
                let long = text(name).unwrap_or_default();
                let long = long.rsplit('|').next().unwrap_or_default().to_owned();
                let sequence = text(seq).and_then(|s| s.trim().parse().ok());
                files.insert(k, (long, sequence));
            }
        }
        let mut media = Vec::new();
        if let Some(t) = db.table("Media") {
            let (last, cab) = (t.column("LastSequence"), t.column("Cabinet"));
            for row in &db.data(t).rows {
                let text = |c: Option<usize>| c.map(|c| db.text(t, row, c).into_owned());
                let Some(last) = text(last).and_then(|s| s.trim().parse().ok()) else {
                    continue;
                };
                media.push((last, text(cab).filter(|c| !c.is_empty())));
            }
        }
        media.sort_by_key(|m| m.0);
        Self { files, media }
    }

    /// Whether the package installs a file of this name (any case).
    fn installs(&self, file_name: &str) -> bool {
        self.files
            .values()
            .any(|(name, _)| name.eq_ignore_ascii_case(file_name))
    }

    fn code(&self, db: &Database, key: &str, language: Option<Language>) -> Code {
        let origin = format!("file {key}");
        let Some((name, sequence)) = self.files.get(key) else {
            return Code::missing(origin, "the File row cannot be read");
        };
        let origin = format!("file {key} ({name})");
        let Some(sequence) = sequence else {
            return Code::missing(origin, "the File row has no Sequence");
        };
        let Some((_, cabinet)) = self.media.iter().find(|(last, _)| last >= sequence) else {
            return Code::missing(origin, "no Media row holds the file's sequence");
        };
        let Some(embedded) = cabinet.as_deref().and_then(|c| c.strip_prefix('#')) else {
            let reason = match cabinet {
                Some(c) => format!("the file is in the external cabinet {c}, not in the package"),
                None => "the file is uncompressed beside the package, not in it".into(),
            };
            return Code::missing(origin, reason);
        };
        let origin = format!("file {key} ({name}) in cabinet #{embedded}");
        if !db.has_stream(embedded) {
            return Code::missing(origin, format!("the package has no stream {embedded}"));
        }
        guarded(&origin.clone(), || {
            let bytes = db
                .with_stream(embedded, |s| {
                    code::cabinet::read_file(s, key, code::MAX_CABINET_FILE_LEN)
                })
                .map_err(|e| format!("the cabinet stream cannot be read ({e})"))
                .and_then(|r| r);
            match bytes {
                Ok(bytes) => code::read(origin.clone(), Cursor::new(bytes), language),
                Err(reason) => Code::missing(origin.clone(), reason),
            }
        })
    }

    /// The long name of the file a `[#key]` reference names.
    fn name_of(&self, key: &str) -> Option<&str> {
        self.files.get(key).map(|(name, _)| name.as_str())
    }
}

/// What an action's code means for that action.
fn summarize(ca: &CustomAction, code: &Code, pkg: &Package, files: &FileIndex) -> CodeSummary {
    let t = ca.action_type;
    let target = ca.target.as_deref().unwrap_or_default();
    let mut summary = CodeSummary {
        kind: CodeKind::Unavailable,
        machine: None,
        entry_exported: None,
        imports: Vec::new(),
        not_on_windows: Vec::new(),
        managed: None,
        origin: code.origin.clone(),
        detail: String::new(),
    };
    match &code.content {
        Content::Missing(reason) => summary.detail = reason.clone(),
        Content::Data(what) => {
            summary.kind = CodeKind::NotCode;
            summary.detail = what.clone();
        }
        Content::Script(script) => {
            summary.kind = match script.language {
                Language::VbScript => CodeKind::VbScript,
                Language::JScript => CodeKind::JScript,
            };
            summary.detail = match script.functions.len() {
                0 => "defines no function".into(),
                _ => format!("defines {}", script.functions.join(", ")),
            };
        }
        Content::Pe(pe) => {
            summary.machine = pe.machine.name();
            summary.imports = pe.imports.clone();
            summary.not_on_windows = pe
                .imports
                .iter()
                .filter(|i| system_dlls::availability(i) == Availability::NotOnWindows)
                .filter(|i| !files.installs(i))
                .cloned()
                .collect();
            if t.kind() == BaseKind::Dll {
                summary.entry_exported = Some(pe.exports_name(target));
            }
            let managed_exports = pe.named_exports().next().is_none() && pe.clr;
            summary.kind = if let Some(stub) = &code.dtf {
                let mut managed = ManagedEntry {
                    runtime: stub.runtimes.first().cloned(),
                    ..ManagedEntry::default()
                };
                if let Some(entry) = stub.entry_for(pe, target) {
                    let (assembly, class, method) = dtf::split_entry(entry);
                    managed.assembly = Some(assembly);
                    managed.class = Some(class);
                    managed.method = Some(method);
                }
                summary.managed = Some(managed);
                CodeKind::Dtf
            } else if pe.clr && !pe.is_dll {
                CodeKind::ManagedExe
            } else if managed_exports {
                CodeKind::ManagedAssembly
            } else if t.kind() == BaseKind::Dll
                && target == "ManagedInstall"
                && pe.exports_name(target)
            {
                summary.managed = Some(ManagedEntry {
                    assembly: installer_class_assembly(ca, pkg, files),
                    ..ManagedEntry::default()
                });
                CodeKind::InstallerClass
            } else if pe.exports_name("f1")
                && pe.exports_name("f2")
                && ca
                    .source
                    .as_deref()
                    .is_some_and(|s| s.to_ascii_lowercase().contains("isscriptbridge"))
            {
                CodeKind::InstallScript
            } else if pe.is_dll {
                CodeKind::NativeDll
            } else {
                CodeKind::NativeExe
            };
            summary.detail = describe_pe(pe);
        }
    }
    summary
}

/// `native DLL, x86, 3 exports, 2 imported DLLs` in words.
fn describe_pe(pe: &code::PeInfo) -> String {
    let mut parts = vec![
        if pe.is_dll { "DLL" } else { "program" }.to_owned(),
        pe.machine.describe(),
    ];
    if pe.clr {
        parts.push(".NET (CLR header)".into());
    }
    let exports = pe.named_exports().count();
    parts.push(match exports {
        0 => "no exports".into(),
        1 => "1 export".into(),
        n => format!("{n} exports"),
    });
    for d in &pe.damage {
        parts.push(format!("damaged: {d}"));
    }
    parts.join(", ")
}

/// The assembly an Installer-class action runs: the installed file its
/// CustomActionData names (`/installtype=... "[#file]"`).
fn installer_class_assembly(ca: &CustomAction, pkg: &Package, files: &FileIndex) -> Option<String> {
    pkg.setters_of(&ca.name)
        .filter_map(|s| s.target.as_deref())
        .find_map(|data| {
            let mut rest = data;
            while let Some(at) = rest.find("[#") {
                rest = &rest[at + 2..];
                let key = &rest[..rest.find(']')?];
                if let Some(name) = files.name_of(key) {
                    return Some(name.to_owned());
                }
            }
            None
        })
}
