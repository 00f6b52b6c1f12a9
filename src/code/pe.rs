//! PE images (DLLs and EXEs), through the `object` crate: machine, DLL or
//! program, subsystem, exports, imports, the CLR header, and what follows
//! the image (the cabinet a DTF stub carries).
//!
//! The image is read through `object`'s [`ReadCache`], which reads only the
//! ranges asked for: the headers, the section table, the export and import
//! directories. Every read is bounded by the stream's length.

use object::pe;
use object::read::pe::{ImageNtHeaders, ImageOptionalHeader, PeFile};
use object::{FileKind, LittleEndian as LE, ReadCache, ReadRef};
use serde::Serialize;

use super::Source;

/// More imported DLLs or exports than this is no real custom action DLL:
/// the rest are not listed.
const MAX_NAMES: usize = 8192;

/// The target machine of an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Machine {
    X86,
    X64,
    Arm64,
    /// Another machine (Itanium, ARM32 ...), by its COFF number.
    Other(u16),
}

impl Machine {
    fn from_coff(m: pe::Machine) -> Self {
        match m {
            pe::IMAGE_FILE_MACHINE_I386 => Self::X86,
            pe::IMAGE_FILE_MACHINE_AMD64 => Self::X64,
            pe::IMAGE_FILE_MACHINE_ARM64 => Self::Arm64,
            other => Self::Other(other.0),
        }
    }

    /// `x86`, `x64`, `arm64`; `None` for other machines.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Self::X86 => Some("x86"),
            Self::X64 => Some("x64"),
            Self::Arm64 => Some("arm64"),
            Self::Other(_) => None,
        }
    }

    pub fn describe(self) -> String {
        match self {
            Self::Other(0x0200) => "Itanium".into(),
            Self::Other(0x01c4) => "ARM (32-bit)".into(),
            Self::Other(m) => format!("machine 0x{m:04x}"),
            known => known.name().unwrap_or_default().into(),
        }
    }

    pub fn is_64_bit(self) -> bool {
        matches!(self, Self::X64 | Self::Arm64 | Self::Other(0x0200))
    }
}

/// What msica reads of a PE image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeInfo {
    pub machine: Machine,
    /// The COFF header's DLL flag.
    pub is_dll: bool,
    /// The optional header's subsystem (2: GUI, 3: console ...).
    pub subsystem: u16,
    /// Export names, in the order of their functions (an export without a
    /// name is not listed; a name that is not UTF-8 is read lossily).
    pub exports: Vec<String>,
    /// Imported DLL names as stored, in directory order.
    pub imports: Vec<String>,
    /// The image has a CLR (.NET) header.
    pub clr: bool,
    /// Where the image's last section ends in the file: data after it is
    /// an overlay (the cabinet a DTF stub carries).
    pub image_end: u64,
    /// The stream's length.
    pub len: u64,
    /// Directories that could not be read, in words (the rest was read).
    pub damage: Vec<String>,
}

impl PeInfo {
    /// Whether `name` is an export, with GetProcAddress's semantics: exact
    /// and case-sensitive; an empty name matches nothing.
    pub fn exports_name(&self, name: &str) -> bool {
        !name.is_empty() && self.exports.iter().any(|e| e == name)
    }

    /// Exports that differ from `name` only by stdcall decoration
    /// (`_Name@4`, `Name@4`) or letter case: what a person meant.
    pub fn near_exports(&self, name: &str) -> Vec<&str> {
        self.exports
            .iter()
            .filter(|e| e.as_str() != name && !e.is_empty())
            .filter(|e| undecorated(e).eq_ignore_ascii_case(name))
            .map(String::as_str)
            .collect()
    }

    /// Named exports that are not empty strings.
    pub fn named_exports(&self) -> impl Iterator<Item = &str> {
        self.exports
            .iter()
            .map(String::as_str)
            .filter(|e| !e.is_empty())
    }
}

/// `_Name@4` and `Name@4` → `Name`; other names unchanged.
pub fn undecorated(name: &str) -> &str {
    let base = match name.rsplit_once('@') {
        Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => name,
    };
    if base.len() < name.len() {
        base.strip_prefix('_').unwrap_or(base)
    } else {
        base
    }
}

/// Why a stream that starts with `MZ` is no PE image.
#[derive(Debug)]
pub enum NotPe {
    /// An MS-DOS program without a PE header.
    Dos,
    /// The headers cannot be read.
    Damaged(String),
}

/// Reads the headers and directories of a PE image.
pub fn read<S: Source>(source: &mut S) -> Result<PeInfo, NotPe> {
    let cache = ReadCache::new(source);
    match FileKind::parse(&cache) {
        Ok(FileKind::Pe32) => read_image::<pe::ImageNtHeaders32, _>(&cache),
        Ok(FileKind::Pe64) => read_image::<pe::ImageNtHeaders64, _>(&cache),
        Ok(_) => Err(NotPe::Dos),
        // `object` names an MZ header without a PE header so.
        Err(e) if e.to_string().contains("MS-DOS") => Err(NotPe::Dos),
        Err(e) => Err(NotPe::Damaged(e.to_string())),
    }
}

fn read_image<'data, Pe: ImageNtHeaders, R: ReadRef<'data>>(data: R) -> Result<PeInfo, NotPe> {
    let file = PeFile::<Pe, R>::parse(data).map_err(|e| NotPe::Damaged(e.to_string()))?;
    let header = file.nt_headers().file_header();
    let characteristics = header.characteristics.get(LE);
    let mut damage = Vec::new();
    let mut exports = Vec::new();
    match file.export_table() {
        Ok(Some(table)) => {
            let mut named = Vec::new();
            for (pointer, index) in table.name_iter().take(MAX_NAMES) {
                match table.name_from_pointer(pointer) {
                    Ok(name) => named.push((index.0, String::from_utf8_lossy(name).into_owned())),
                    Err(_) => {
                        damage.push("an export name lies outside the image".into());
                        break;
                    }
                }
            }
            // Address order: the order the functions were defined in.
            named.sort_by_key(|(index, _)| *index);
            exports = named.into_iter().map(|(_, name)| name).collect();
        }
        Ok(None) => {}
        Err(e) => damage.push(format!("the export directory cannot be read ({e})")),
    }
    let mut imports = Vec::new();
    match file.import_table() {
        Ok(Some(table)) => match table.descriptors() {
            Ok(mut descriptors) => loop {
                match descriptors.next() {
                    Ok(Some(d)) if imports.len() < MAX_NAMES => match table.name(d.name.get(LE)) {
                        Ok(name) => imports.push(String::from_utf8_lossy(name).into_owned()),
                        Err(_) => {
                            damage.push("an imported DLL's name lies outside the image".into());
                            break;
                        }
                    },
                    Ok(_) => break,
                    Err(e) => {
                        damage.push(format!("the import directory cannot be read ({e})"));
                        break;
                    }
                }
            },
            Err(e) => damage.push(format!("the import directory cannot be read ({e})")),
        },
        Ok(None) => {}
        Err(e) => damage.push(format!("the import directory cannot be read ({e})")),
    }
    let clr = file
        .data_directory(pe::IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR)
        .is_some_and(|d| d.virtual_address.get(LE) != 0 && d.size.get(LE) != 0);
    let image_end = file
        .section_table()
        .iter()
        .map(|s| u64::from(s.pointer_to_raw_data.get(LE)) + u64::from(s.size_of_raw_data.get(LE)))
        .max()
        .unwrap_or(0);
    Ok(PeInfo {
        machine: Machine::from_coff(header.machine.get(LE)),
        is_dll: characteristics.0 & pe::IMAGE_FILE_DLL.0 != 0,
        subsystem: file.nt_headers().optional_header().subsystem().0,
        exports,
        imports,
        clr,
        image_end,
        len: data.len().unwrap_or(0),
        damage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoration_is_removed_only_where_it_is_decoration() {
        assert_eq!(undecorated("_ConfigureDb@4"), "ConfigureDb");
        assert_eq!(undecorated("ConfigureDb@4"), "ConfigureDb");
        assert_eq!(undecorated("ConfigureDb"), "ConfigureDb");
        assert_eq!(undecorated("_Private"), "_Private");
        assert_eq!(undecorated("a@b"), "a@b");
    }
}
