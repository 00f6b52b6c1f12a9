//! WiX DTF managed custom actions: the SfxCA stub that MakeSfxCA (or
//! WixSharp) builds.
//!
//! The stub is a native DLL whose exports are the managed entry points. For
//! each, MakeSfxCA writes `Assembly!Namespace.Class.Method` (UTF-16) into a
//! slot of the stub's data, and appends a cabinet holding the assemblies
//! and `CustomAction.config`, whose `supportedRuntime` elements say which
//! .NET runtime the action needs.

use std::io::{Read, SeekFrom};

use super::cabinet::{self, Tail};
use super::{PeInfo, Source};

/// The export every SfxCA stub has (DTF's out-of-process entry).
pub const STUB_EXPORT: &str = "zzzzInvokeManagedCustomActionOutOfProcW";

/// The most of a stub's image msica scans for entry points (stubs are a
/// few hundred kilobytes).
const MAX_SCAN: u64 = 4 << 20;

/// The largest CustomAction.config msica reads.
const MAX_CONFIG: u64 = 1 << 20;

/// What a DTF stub carries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stub {
    /// `Assembly!Namespace.Class.Method`, as MakeSfxCA wrote them.
    pub entries: Vec<String>,
    /// The files of the appended cabinet.
    pub files: Vec<String>,
    /// The runtimes CustomAction.config names, most preferred first.
    pub runtimes: Vec<String>,
    /// What could not be read, in words.
    pub damage: Vec<String>,
}

impl Stub {
    /// The managed method behind an export: the entry whose method has the
    /// export's name, or else, when the stub has as many entries as
    /// managed exports, the one in the same place.
    pub fn entry_for<'a>(&'a self, pe: &PeInfo, export: &str) -> Option<&'a str> {
        let method = |e: &str| e.rsplit('.').next().unwrap_or_default().to_owned();
        if let Some(e) = self.entries.iter().find(|e| method(e) == export) {
            return Some(e);
        }
        let managed: Vec<&str> = pe
            .named_exports()
            .filter(|e| !e.starts_with("zzz") && *e != "CancelRequestHandler")
            .collect();
        if managed.len() != self.entries.len() {
            return None;
        }
        let i = managed.iter().position(|e| *e == export)?;
        self.entries.get(i).map(String::as_str)
    }
}

/// Whether an image is an SfxCA stub.
pub fn is_stub(pe: &PeInfo) -> bool {
    pe.exports.iter().any(|e| e == STUB_EXPORT)
}

/// Reads the entry points and the appended cabinet of a stub.
pub fn read<S: Source>(source: &mut S, pe: &PeInfo) -> Stub {
    let mut stub = Stub::default();
    let mut image = Vec::new();
    let scanned = source.seek(SeekFrom::Start(0)).and_then(|_| {
        source
            .by_ref()
            .take(pe.image_end.min(MAX_SCAN))
            .read_to_end(&mut image)
    });
    match scanned {
        Ok(_) => stub.entries = entry_strings(&image),
        Err(e) => stub.damage.push(format!("the stub cannot be read ({e})")),
    }
    drop(image);
    if pe.len <= pe.image_end {
        stub.damage.push("the stub carries no cabinet".into());
        return stub;
    }
    match Tail::new(&mut *source, pe.image_end).and_then(cabinet::file_names) {
        Ok(files) => stub.files = files,
        Err(e) => {
            stub.damage
                .push(format!("the appended cabinet cannot be read ({e})"));
            return stub;
        }
    }
    if let Some(config) = stub
        .files
        .iter()
        .find(|f| f.eq_ignore_ascii_case("CustomAction.config"))
        .cloned()
    {
        match Tail::new(&mut *source, pe.image_end)
            .map_err(|e| e.to_string())
            .and_then(|t| cabinet::read_file(t, &config, MAX_CONFIG))
        {
            Ok(bytes) => stub.runtimes = supported_runtimes(&super::script::decode(&bytes)),
            Err(e) => stub.damage.push(format!("CustomAction.config: {e}")),
        }
    }
    stub
}

/// UTF-16 strings of the form `Assembly!Namespace.Class.Method`.
fn entry_strings(image: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut flush = |current: &mut String| {
        if looks_like_entry(current) && !out.contains(current) {
            out.push(std::mem::take(current));
        }
        current.clear();
    };
    for pair in image.chunks_exact(2) {
        let unit = u16::from_le_bytes([pair[0], pair[1]]);
        match char::from_u32(u32::from(unit)) {
            Some(c) if c.is_ascii_graphic() && current.len() < 1024 => current.push(c),
            _ => flush(&mut current),
        }
    }
    flush(&mut current);
    out
}

fn looks_like_entry(s: &str) -> bool {
    let Some((assembly, path)) = s.split_once('!') else {
        return false;
    };
    let ident = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '`' || c == '+')
    };
    !assembly.is_empty()
        && assembly
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && path.split('.').count() >= 2
        && path.split('.').all(ident)
}

/// The `version` of each `<supportedRuntime>` element.
fn supported_runtimes(config: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = config;
    while let Some(at) = rest.find("<supportedRuntime") {
        rest = &rest[at + "<supportedRuntime".len()..];
        let element = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(v) = element.find("version=") {
            let value = &element[v + "version=".len()..];
            let quote = value.chars().next().unwrap_or('"');
            let value = value.trim_start_matches(quote);
            if let Some(end) = value.find(quote) {
                out.push(value[..end].to_owned());
            }
        }
    }
    out
}

/// `Assembly!Namespace.Class.Method` → (assembly, `Namespace.Class`, method).
pub fn split_entry(entry: &str) -> (String, String, String) {
    let (assembly, path) = entry.split_once('!').unwrap_or(("", entry));
    let (class, method) = path.rsplit_once('.').unwrap_or(("", path));
    (assembly.to_owned(), class.to_owned(), method.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_and_runtimes_are_found() {
        let mut image = vec![0u8; 16];
        for u in "Setup!Company.Setup.CustomActions.ConfigureDb".encode_utf16() {
            image.extend_from_slice(&u.to_le_bytes());
        }
        image.extend_from_slice(&[0, 0, 0x41, 0]);
        assert_eq!(
            entry_strings(&image),
            ["Setup!Company.Setup.CustomActions.ConfigureDb"]
        );
        let config = r#"<configuration><startup useLegacyV2RuntimeActivationPolicy="true"><supportedRuntime version="v4.0" /><supportedRuntime version='v2.0.50727'/></startup></configuration>"#;
        assert_eq!(supported_runtimes(config), ["v4.0", "v2.0.50727"]);
        assert_eq!(
            split_entry("Setup!Company.Setup.CustomActions.ConfigureDb"),
            (
                "Setup".into(),
                "Company.Setup.CustomActions".into(),
                "ConfigureDb".into()
            )
        );
    }
}
