//! Builds small, valid PE images (DLLs and EXEs) for fixtures and samples:
//! chosen machine, exports (decorated or not), imports, a CLR header, and
//! data appended after the image (the cabinet of a DTF stub).
//!
//! The image has one section holding a `ret` that every export points at,
//! the export and import directories and the CLR header: enough for
//! Windows' loader, `pefile` and `object` to read, not to run anything.

use std::io::Cursor;

/// The target machine of a built image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    X86,
    X64,
    Arm64,
}

impl Arch {
    fn machine(self) -> u16 {
        match self {
            Self::X86 => 0x014c,
            Self::X64 => 0x8664,
            Self::Arm64 => 0xaa64,
        }
    }

    fn is_64(self) -> bool {
        self != Self::X86
    }
}

#[derive(Debug, Clone)]
pub struct PeBuilder {
    arch: Arch,
    dll: bool,
    exports: Vec<String>,
    imports: Vec<String>,
    clr: bool,
    strings: Vec<String>,
    overlay: Vec<u8>,
}

const SECTION_RVA: u32 = 0x1000;
const FILE_ALIGN: usize = 0x200;

impl PeBuilder {
    /// A DLL importing KERNEL32.dll.
    pub fn dll(arch: Arch) -> Self {
        Self {
            arch,
            dll: true,
            exports: Vec::new(),
            imports: vec!["KERNEL32.dll".into()],
            clr: false,
            strings: Vec::new(),
            overlay: Vec::new(),
        }
    }

    /// A program (no DLL flag) importing KERNEL32.dll.
    pub fn exe(arch: Arch) -> Self {
        Self {
            dll: false,
            ..Self::dll(arch)
        }
    }

    /// A managed assembly: a DLL with a CLR header, importing mscoree.dll, no exports.
    pub fn managed(arch: Arch) -> Self {
        Self {
            clr: true,
            imports: vec!["mscoree.dll".into()],
            ..Self::dll(arch)
        }
    }

    /// Exports a function by this exact name (decorate it yourself: `_Name@4`).
    pub fn export(mut self, name: &str) -> Self {
        self.exports.push(name.into());
        self
    }

    /// Imports a function of this DLL.
    pub fn import(mut self, dll: &str) -> Self {
        self.imports.push(dll.into());
        self
    }

    /// Stores a UTF-16 string in the image's data.
    pub fn utf16(mut self, text: &str) -> Self {
        self.strings.push(text.into());
        self
    }

    /// Appends data after the image.
    pub fn overlay(mut self, data: &[u8]) -> Self {
        self.overlay = data.to_vec();
        self
    }

    /// A WiX DTF stub as MakeSfxCA builds it: each `(export, "Asm!Ns.Class.Method")`
    /// is an export and its entry string; the appended cabinet holds the
    /// assembly and a CustomAction.config asking for `runtime`.
    pub fn dtf_stub(arch: Arch, entries: &[(&str, &str)], runtime: &str) -> Self {
        let mut b = Self::dll(arch).import("msi.dll").import("Cabinet.dll");
        for (export, entry) in entries {
            b = b.export(export).utf16(entry);
        }
        let assembly = entries
            .first()
            .and_then(|(_, e)| e.split('!').next())
            .unwrap_or("CustomActions");
        let config = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\r\n<configuration>\r\n  <startup useLegacyV2RuntimeActivationPolicy=\"true\">\r\n    <supportedRuntime version=\"{runtime}\" />\r\n  </startup>\r\n</configuration>\r\n"
        );
        let managed = Self::managed(arch).build();
        let cab = cabinet(&[
            (&format!("{assembly}.dll"), &managed),
            ("CustomAction.config", config.as_bytes()),
        ]);
        b.export(crate::code::dtf::STUB_EXPORT).overlay(&cab)
    }

    pub fn build(&self) -> Vec<u8> {
        let wide = self.arch.is_64();
        let thunk = if wide { 8 } else { 4 };
        let mut sec = Section::default();
        // Code: one `ret` (x86/x64) or `ret` (ARM64) every export points at.
        let code_rva = sec.rva();
        match self.arch {
            Arch::Arm64 => sec.put(&0xd65f03c0u32.to_le_bytes()),
            _ => sec.put(&[0xc3]),
        }
        sec.align(8);
        for s in &self.strings {
            for u in s.encode_utf16() {
                sec.put(&u.to_le_bytes());
            }
            sec.put(&[0, 0]);
        }
        sec.align(8);

        // Export directory: functions in the order given, names sorted.
        let mut export_dir = (0, 0);
        if !self.exports.is_empty() {
            let n = self.exports.len() as u32;
            // The directory comes first: its size covers the tables and names.
            let dir = sec.rva();
            let at = sec.bytes.len();
            sec.put(&[0; 40]);
            let dll_name = sec.string(if self.dll {
                "fixture.dll"
            } else {
                "fixture.exe"
            });
            let name_rvas: Vec<u32> = self.exports.iter().map(|e| sec.string(e)).collect();
            sec.align(4);
            let functions = sec.rva();
            for _ in 0..n {
                sec.put(&code_rva.to_le_bytes());
            }
            let mut order: Vec<usize> = (0..self.exports.len()).collect();
            order.sort_by(|&a, &b| self.exports[a].as_bytes().cmp(self.exports[b].as_bytes()));
            let names = sec.rva();
            for &i in &order {
                sec.put(&name_rvas[i].to_le_bytes());
            }
            let ordinals = sec.rva();
            for &i in &order {
                sec.put(&(i as u16).to_le_bytes());
            }
            sec.align(4);
            // Characteristics, time stamp and versions stay zero.
            for (k, v) in [dll_name, 1, n, n, functions, names, ordinals]
                .into_iter()
                .enumerate()
            {
                let o = at + 12 + 4 * k;
                sec.bytes[o..o + 4].copy_from_slice(&v.to_le_bytes());
            }
            export_dir = (dir, sec.rva() - dir);
        }

        // Import directory: one function of each DLL.
        let mut import_dir = (0, 0);
        if !self.imports.is_empty() {
            let hint_name = sec.rva();
            sec.put(&[0, 0]);
            sec.string("Dummy");
            sec.align(8);
            let mut thunks = Vec::new();
            for dll in &self.imports {
                let name = sec.string(dll);
                sec.align(8);
                let lookup = sec.rva();
                sec.put(&u64::from(hint_name).to_le_bytes()[..thunk]);
                sec.put(&[0; 8][..thunk]);
                let address = sec.rva();
                sec.put(&u64::from(hint_name).to_le_bytes()[..thunk]);
                sec.put(&[0; 8][..thunk]);
                thunks.push((lookup, name, address));
            }
            let dir = sec.rva();
            for (lookup, name, address) in thunks {
                for v in [lookup, 0, 0, name, address] {
                    sec.put(&v.to_le_bytes());
                }
            }
            sec.put(&[0; 20]);
            import_dir = (dir, sec.rva() - dir);
        }

        let mut clr_dir = (0, 0);
        if self.clr {
            sec.align(4);
            let dir = sec.rva();
            sec.put(&72u32.to_le_bytes());
            sec.put(&2u16.to_le_bytes());
            sec.put(&5u16.to_le_bytes());
            sec.put(&[0; 8]); // metadata
            sec.put(&1u32.to_le_bytes()); // IL only
            sec.put(&[0; 4 + 48]);
            clr_dir = (dir, 72);
        }

        let virtual_size = sec.bytes.len().max(1) as u32;
        let raw_size = sec.bytes.len().div_ceil(FILE_ALIGN) * FILE_ALIGN;
        let image_size = SECTION_RVA + virtual_size.div_ceil(0x1000) * 0x1000;

        let mut out = vec![0u8; 0x40];
        out[..2].copy_from_slice(b"MZ");
        out[0x3c..0x40].copy_from_slice(&0x40u32.to_le_bytes());
        out.extend_from_slice(b"PE\0\0");
        let optional_len: u16 = if wide { 240 } else { 224 };
        let mut characteristics: u16 = 0x0002;
        characteristics |= if wide { 0x0020 } else { 0x0100 };
        if self.dll {
            characteristics |= 0x2000;
        }
        put16(&mut out, self.arch.machine());
        put16(&mut out, 1);
        put32(&mut out, 0);
        put32(&mut out, 0);
        put32(&mut out, 0);
        put16(&mut out, optional_len);
        put16(&mut out, characteristics);
        // Optional header.
        put16(&mut out, if wide { 0x20b } else { 0x10b });
        out.extend_from_slice(&[14, 0]);
        put32(&mut out, raw_size as u32);
        put32(&mut out, 0);
        put32(&mut out, 0);
        put32(&mut out, if self.dll { 0 } else { code_rva });
        put32(&mut out, SECTION_RVA);
        let base: u64 = if self.dll { 0x1000_0000 } else { 0x40_0000 };
        if wide {
            out.extend_from_slice(&(base | 0x1_4000_0000).to_le_bytes());
        } else {
            put32(&mut out, SECTION_RVA);
            put32(&mut out, base as u32);
        }
        put32(&mut out, 0x1000);
        put32(&mut out, FILE_ALIGN as u32);
        for v in [6u16, 0, 0, 0, 6, 0] {
            put16(&mut out, v);
        }
        put32(&mut out, 0);
        put32(&mut out, image_size);
        put32(&mut out, FILE_ALIGN as u32);
        put32(&mut out, 0);
        put16(&mut out, 2); // Windows GUI
        put16(&mut out, 0x0140); // dynamic base, NX compatible
        for v in [0x10_0000u64, 0x1000, 0x10_0000, 0x1000] {
            if wide {
                out.extend_from_slice(&v.to_le_bytes());
            } else {
                put32(&mut out, v as u32);
            }
        }
        put32(&mut out, 0);
        put32(&mut out, 16);
        let mut dirs = [(0u32, 0u32); 16];
        dirs[0] = export_dir;
        dirs[1] = import_dir;
        dirs[14] = clr_dir;
        for (rva, size) in dirs {
            put32(&mut out, rva);
            put32(&mut out, size);
        }
        // The section.
        out.extend_from_slice(b".text\0\0\0");
        put32(&mut out, virtual_size);
        put32(&mut out, SECTION_RVA);
        put32(&mut out, raw_size as u32);
        put32(&mut out, FILE_ALIGN as u32);
        out.extend_from_slice(&[0; 12]);
        put32(&mut out, 0x6000_0020); // code, execute, read
        out.resize(FILE_ALIGN, 0);
        out.extend_from_slice(&sec.bytes);
        out.resize(FILE_ALIGN + raw_size, 0);
        out.extend_from_slice(&self.overlay);
        out
    }
}

/// A cabinet of these files (uncompressed), written by the `cab` crate.
pub fn cabinet(files: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write as _;
    let mut builder = cab::CabinetBuilder::new();
    let folder = builder.add_folder(cab::CompressionType::MsZip);
    for (name, _) in files {
        folder.add_file(*name);
    }
    let mut writer = builder
        .build(Cursor::new(Vec::new()))
        .expect("the cabinet writer starts");
    let mut i = 0;
    while let Some(mut file) = writer.next_file().expect("next cabinet file") {
        file.write_all(files[i].1).expect("write cabinet file");
        i += 1;
    }
    writer.finish().expect("finish the cabinet").into_inner()
}

#[derive(Default)]
struct Section {
    bytes: Vec<u8>,
}

impl Section {
    fn rva(&self) -> u32 {
        SECTION_RVA + self.bytes.len() as u32
    }

    fn put(&mut self, data: &[u8]) {
        self.bytes.extend_from_slice(data);
    }

    fn align(&mut self, n: usize) {
        let len = self.bytes.len().div_ceil(n) * n;
        self.bytes.resize(len, 0);
    }

    /// A NUL-terminated ASCII string; its RVA.
    fn string(&mut self, s: &str) -> u32 {
        let rva = self.rva();
        self.put(s.as_bytes());
        self.put(&[0]);
        rva
    }
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::{self, Content, Machine};

    fn read(bytes: Vec<u8>) -> code::Code {
        code::read("fixture".into(), Cursor::new(bytes), None)
    }

    #[test]
    fn msica_reads_what_the_builder_wrote() {
        for (arch, machine) in [
            (Arch::X86, Machine::X86),
            (Arch::X64, Machine::X64),
            (Arch::Arm64, Machine::Arm64),
        ] {
            let image = PeBuilder::dll(arch)
                .export("_ConfigureDb@4")
                .export("Alpha")
                .import("MSVCR120.dll")
                .build();
            let Content::Pe(pe) = read(image).content else {
                panic!("not read as a PE image");
            };
            assert_eq!(pe.machine, machine);
            assert!(pe.is_dll && !pe.clr);
            assert_eq!(pe.exports, ["_ConfigureDb@4", "Alpha"]);
            assert_eq!(pe.imports, ["KERNEL32.dll", "MSVCR120.dll"]);
            assert_eq!(pe.near_exports("ConfigureDb"), ["_ConfigureDb@4"]);
        }
        let Content::Pe(pe) = read(PeBuilder::managed(Arch::X86).build()).content else {
            panic!("not read as a PE image");
        };
        assert!(pe.clr && pe.exports.is_empty());
    }

    #[test]
    fn a_dtf_stub_names_its_managed_method_and_runtime() {
        let image = PeBuilder::dtf_stub(
            Arch::X86,
            &[("ConfigureDb", "Setup!Company.Setup.Actions.ConfigureDb")],
            "v4.0",
        )
        .build();
        let code = read(image);
        let stub = code.dtf.as_ref().expect("read as a DTF stub");
        assert_eq!(stub.entries, ["Setup!Company.Setup.Actions.ConfigureDb"]);
        assert_eq!(stub.files, ["Setup.dll", "CustomAction.config"]);
        assert_eq!(stub.runtimes, ["v4.0"]);
        assert!(stub.damage.is_empty(), "{:?}", stub.damage);
    }
}
