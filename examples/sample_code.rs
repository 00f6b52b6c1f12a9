//! Writes the code the sample packages carry (real PE images built by the
//! test support's PE builder, and scripts) into a folder, for
//! `samples/build.sh`:
//!
//!     cargo run --example sample_code -- DIR

use msica::testing::pe::{Arch, PeBuilder};

/// Every entry point the samples' DLL actions call (and `EarlyFoo`, which
/// the WiX fixture of tests/fixtures/wix calls, for the SARIF check of CI).
const ENTRY_POINTS: &[&str] = &[
    "BindImage",
    "CheckBar",
    "CheckFoo",
    "CheckLicense",
    "CleanupData",
    "CleanupFoo",
    "Configure",
    "ConfigureDatabase",
    "ConfigureDatabaseRollback",
    "DeleteUserData",
    "EarlyFoo",
    "InstallFoo",
    "InstallFooRollback",
    "Reregister",
    "RestoreUserData",
    "RollbackCleanupData",
    "RollbackFoo",
    "RunToolRollback",
    "Tune",
    "Unconfigure",
    "Unregister",
    "Untune",
];

fn main() -> std::io::Result<()> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: sample_code DIR"));
    std::fs::create_dir_all(&dir)?;
    let dll = |arch| {
        ENTRY_POINTS.iter().fold(
            PeBuilder::dll(arch)
                .import("ADVAPI32.dll")
                .import("msi.dll"),
            |b, e| b.export(e),
        )
    };
    let files: Vec<(&str, Vec<u8>)> = vec![
        // The custom action DLL of every sample.
        ("ca.dll", dll(Arch::X86).build()),
        // MCA307: the same DLL built for x64, in a 32-bit package.
        ("ca64.dll", dll(Arch::X64).build()),
        // MCA302: a __stdcall entry point exported without a .def file.
        (
            "decorated.dll",
            PeBuilder::dll(Arch::X86)
                .import("msi.dll")
                .export("_ConfigureDb@4")
                .build(),
        ),
        // MCA303: a managed assembly, not the .CA.dll MakeSfxCA builds from it.
        ("managed.dll", PeBuilder::managed(Arch::X86).build()),
        // MCA304: linked against the Visual C++ 2013 runtime DLL.
        (
            "vcruntime.dll",
            dll(Arch::X86).import("MSVCR120.dll").build(),
        ),
        // The program the file-based EXE action runs.
        (
            "tool.exe",
            PeBuilder::exe(Arch::X86).import("ADVAPI32.dll").build(),
        ),
        // The VBScript of the script samples.
        (
            "checks.vbs",
            b"Option Explicit\r\n\r\nFunction CheckFoo()\r\n    CheckFoo = 1\r\nEnd Function\r\n"
                .to_vec(),
        ),
    ];
    for (name, data) in files {
        std::fs::write(dir.join(name), data)?;
    }
    Ok(())
}
