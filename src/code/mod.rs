//! What a custom action's code is: the readers of the DLLs, EXEs and scripts
//! that DLL, EXE and script actions call.
//!
//! The loader hands each reader a stream (a Binary row's data, or an
//! installed file taken from the package's embedded cabinet); the readers
//! look at headers and directories only, never at a whole image, and
//! return plain data ([`Code`]) that the model keeps, the rules judge and
//! the views show. Nothing here knows about databases.

pub mod cabinet;
pub mod dtf;
pub mod pe;
pub mod script;
pub mod system_dlls;

use std::io::{Read, Seek, SeekFrom};

use serde::Serialize;

pub use pe::{Machine, PeInfo};

/// A stream a reader can seek in (a database stream, a file, bytes).
pub trait Source: Read + Seek {}
impl<T: Read + Seek> Source for T {}

/// The largest script msica reads: scripts of custom actions are a few
/// kilobytes; a stream larger than this is read up to here.
pub const MAX_SCRIPT_LEN: u64 = 4 << 20;

/// The largest installed file msica takes out of a cabinet to read its
/// headers (a cabinet can only be read front to back).
pub const MAX_CABINET_FILE_LEN: u64 = 64 << 20;

/// What an action's code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeKind {
    /// A native DLL.
    NativeDll,
    /// A native program.
    NativeExe,
    /// A WiX DTF managed custom action: the SfxCA stub with its managed
    /// assemblies in an appended cabinet.
    Dtf,
    /// A Visual Studio setup project's InstallUtil, which runs the
    /// Installer classes of a managed assembly the package installs.
    InstallerClass,
    /// InstallShield's InstallScript engine (ISScriptBridge).
    InstallScript,
    /// A .NET assembly with no native entry point.
    ManagedAssembly,
    /// A .NET program.
    ManagedExe,
    #[serde(rename = "vbscript")]
    VbScript,
    #[serde(rename = "jscript")]
    JScript,
    /// Data that is no code: text, an image, a database...
    NotCode,
    /// Code msica could not read: the stream or file is missing, the file
    /// is in an external cabinet or uncompressed source, or it is damaged.
    Unavailable,
}

impl CodeKind {
    pub fn describe(self) -> &'static str {
        match self {
            Self::NativeDll => "native DLL",
            Self::NativeExe => "native program",
            Self::Dtf => "WiX DTF managed custom action (SfxCA stub)",
            Self::InstallerClass => "Installer-class action (InstallUtil)",
            Self::InstallScript => "InstallScript engine (ISScriptBridge)",
            Self::ManagedAssembly => ".NET assembly without native exports",
            Self::ManagedExe => ".NET program",
            Self::VbScript => "VBScript",
            Self::JScript => "JScript",
            Self::NotCode => "not code",
            Self::Unavailable => "not available",
        }
    }
}

/// What msica read of one stream or installed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// Where the code was read: `Binary.FooCA`, `file app.dll (cabinet #cab1.cab)`.
    pub origin: String,
    pub content: Content,
    /// What a DTF stub carries (its managed entry points, cabinet, runtime).
    pub dtf: Option<dtf::Stub>,
}

/// The content of a code stream, as far as msica reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// A PE image (its headers and directories).
    Pe(PeInfo),
    /// A script, with the functions and subs it defines.
    Script(script::ScriptInfo),
    /// Not code: what it is instead ("text", "a PNG image" ...).
    Data(String),
    /// Not read: the reason in words.
    Missing(String),
}

impl Code {
    pub fn missing(origin: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            origin: origin.into(),
            content: Content::Missing(reason.into()),
            dtf: None,
        }
    }

    pub fn pe(&self) -> Option<&PeInfo> {
        match &self.content {
            Content::Pe(pe) => Some(pe),
            _ => None,
        }
    }

    pub fn script(&self) -> Option<&script::ScriptInfo> {
        match &self.content {
            Content::Script(s) => Some(s),
            _ => None,
        }
    }
}

/// Reads what a stream holds: a PE image's headers and directories, a
/// script's functions (when `script` says the action runs a script), or
/// the kind of data it is.
pub fn read<S: Source>(origin: String, mut source: S, script: Option<script::Language>) -> Code {
    let mut head = [0u8; 16];
    let mut stub = None;
    let content = match read_head(&mut source, &mut head) {
        Err(e) => Content::Missing(format!("the data cannot be read ({e})")),
        Ok(n) => {
            let head = &head[..n];
            match script {
                Some(language) if !head.starts_with(b"MZ") => {
                    match script::read(&mut source, language) {
                        Ok(s) => Content::Script(s),
                        Err(e) => Content::Missing(format!("the script cannot be read ({e})")),
                    }
                }
                _ if head.starts_with(b"MZ") => match pe::read(&mut source) {
                    Ok(info) => {
                        if dtf::is_stub(&info) {
                            stub = Some(dtf::read(&mut source, &info));
                        }
                        Content::Pe(info)
                    }
                    Err(pe::NotPe::Dos) => {
                        Content::Data("a DOS program, not a Windows image".into())
                    }
                    Err(pe::NotPe::Damaged(reason)) => {
                        Content::Missing(format!("a damaged PE image ({reason})"))
                    }
                },
                _ => Content::Data(what_data(head, &mut source)),
            }
        }
    };
    Code {
        origin,
        content,
        dtf: stub,
    }
}

fn read_head<S: Source>(source: &mut S, head: &mut [u8]) -> std::io::Result<usize> {
    source.seek(SeekFrom::Start(0))?;
    let mut n = 0;
    while n < head.len() {
        match source.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    source.seek(SeekFrom::Start(0))?;
    Ok(n)
}

/// Names data that is not code by its signature, or as text.
fn what_data<S: Source>(head: &[u8], source: &mut S) -> String {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            "an OLE compound file (an installer database, a transform, an Office document)",
        ),
        (b"\x89PNG", "a PNG image"),
        (b"GIF8", "a GIF image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"BM", "a bitmap image"),
        (&[0, 0, 1, 0], "an icon"),
        (b"MSCF", "a cabinet"),
        (b"PK\x03\x04", "a zip archive"),
        (b"%PDF", "a PDF document"),
        (b"{\\rtf", "an RTF document"),
        (b"\x7FELF", "an ELF (Linux) program"),
    ];
    if head.is_empty() {
        return "empty".into();
    }
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| head.starts_with(sig)) {
        return (*what).into();
    }
    let mut sample = Vec::new();
    let _ = source.by_ref().take(4096).read_to_end(&mut sample);
    let text = sample
        .iter()
        .filter(|&&b| b >= 0x20 || b"\t\r\n".contains(&b))
        .count();
    if text * 10 >= sample.len() * 9 || sample.starts_with(&[0xFF, 0xFE]) {
        "text".into()
    } else {
        "unrecognised binary data".into()
    }
}

/// What an action calls in its code, judged against its Target and the
/// package: the answers the rules and the views share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeSummary {
    pub kind: CodeKind,
    /// `x86`, `x64`, `arm64`; null for scripts, data and unknown machines.
    pub machine: Option<&'static str>,
    /// Whether the action's entry point is an export of its DLL (null
    /// where that does not apply: not a DLL action, code not read).
    pub entry_exported: Option<bool>,
    /// The DLLs the image imports (its import directory), as stored.
    pub imports: Vec<String>,
    /// Imported DLLs a clean Windows does not have.
    pub not_on_windows: Vec<String>,
    /// The managed code a DTF or Installer-class action runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed: Option<ManagedEntry>,
    /// Where the code was read.
    pub origin: String,
    /// In words: what the code is, or why it could not be read.
    pub detail: String,
}

/// The managed method an action runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ManagedEntry {
    pub assembly: Option<String>,
    pub class: Option<String>,
    pub method: Option<String>,
    /// The .NET runtime CustomAction.config asks for (`v4.0` ...).
    pub runtime: Option<String>,
}

impl CodeSummary {
    /// One line for a finding's notes: `code: Binary.FooCA, native DLL (DLL, x86, 2 exports)`.
    pub fn note(&self) -> String {
        let mut note = format!("code: {}, {}", self.origin, self.kind.describe());
        if !self.detail.is_empty() {
            note.push_str(&format!(" ({})", self.detail));
        }
        if let Some(m) = &self.managed {
            if let (Some(a), Some(c), Some(method)) = (&m.assembly, &m.class, &m.method) {
                note.push_str(&format!("; runs {a}!{c}.{method}"));
            }
            if let Some(r) = &m.runtime {
                note.push_str(&format!(" on .NET {r}"));
            }
        }
        note
    }
}
