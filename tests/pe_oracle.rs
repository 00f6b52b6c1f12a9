//! Differential test of msica's PE reader against Python's `pefile`.
//!
//! `tests/data/pe_oracle.tsv` holds, for every DLL action (a DLL in the
//! Binary table) of every corpus database, the machine and whether the
//! action's entry point is exported, as `pefile` reads them
//! (`tests/data/pe_oracle.py`). This test requires msica's `code.machine` and
//! `code.entry_exported` to agree on every row, and that msica reads no DLL
//! action the oracle lacks. Where python3 with pefile and msitools' msiinfo
//! are installed, it also runs the oracle afresh and requires the committed
//! data to be what it prints.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use msica::model::action_type::{BaseKind, SourceKind};
use msica::model::load::load_package;

const DATA: &str = "tests/data/pe_oracle.tsv";

/// (package, action) → (machine, entry_exported)
fn parse(text: &str) -> BTreeMap<(String, String), (String, String)> {
    text.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 5, "malformed oracle line: {l}");
            ((c[0].into(), c[1].into()), (c[3].into(), c[4].into()))
        })
        .collect()
}

#[test]
fn machine_and_entry_point_agree_with_pefile() {
    let Some(files) = common::corpus_files() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let oracle = parse(&std::fs::read_to_string(root.join(DATA)).expect("oracle data"));
    let mut ours = BTreeMap::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(pkg) = load_package(&path) else {
            continue;
        };
        for ca in &pkg.custom_actions {
            let t = ca.action_type;
            if t.kind() != BaseKind::Dll || t.source() != SourceKind::Binary {
                continue;
            }
            let Some(code) = pkg.code(&ca.name) else {
                continue;
            };
            if code.code.pe().is_none() {
                continue;
            }
            let machine = code.summary.machine.unwrap_or("null").to_owned();
            let exported = code.summary.entry_exported.unwrap_or(false).to_string();
            ours.insert((name.clone(), ca.name.clone()), (machine, exported));
        }
    }
    let mut differences = Vec::new();
    for (key, expected) in &oracle {
        match ours.get(key) {
            Some(got) if got == expected => {}
            got => differences.push(format!("{key:?}: pefile {expected:?}, msica {got:?}")),
        }
    }
    for key in ours.keys().filter(|k| !oracle.contains_key(*k)) {
        differences.push(format!("{key:?}: read by msica, not in the oracle"));
    }
    assert!(
        differences.is_empty(),
        "{} of {} DLL actions differ:\n{}",
        differences.len(),
        oracle.len(),
        differences.join("\n")
    );
    assert!(
        oracle.len() > 600,
        "the oracle covers {} actions",
        oracle.len()
    );
}

#[test]
fn the_committed_oracle_is_what_pefile_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = common::corpus_dir();
    let has = |cmd: &mut Command| cmd.output().is_ok_and(|o| o.status.success());
    if !corpus.is_dir()
        || !has(Command::new("python3").args(["-c", "import pefile"]))
        || !has(Command::new("msiinfo").arg("--version"))
    {
        eprintln!(
            "*** PE ORACLE NOT REGENERATED: needs the corpus, python3 with pefile, and msiinfo"
        );
        return;
    }
    let out = Command::new("python3")
        .arg(root.join("tests/data/pe_oracle.py"))
        .arg(&corpus)
        .output()
        .expect("run the oracle");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fresh = String::from_utf8(out.stdout).expect("UTF-8 oracle output");
    let committed = std::fs::read_to_string(root.join(DATA)).expect("oracle data");
    assert!(
        fresh == committed,
        "tests/data/pe_oracle.tsv is stale: rerun `python3 tests/data/pe_oracle.py ../shared/corpus/msi > tests/data/pe_oracle.tsv`"
    );
}

/// The managed code the corpus' DTF and Visual Studio setup packages run.
#[test]
fn managed_actions_name_their_method_and_runtime() {
    if common::corpus_files().is_none() {
        return;
    }
    let managed = |file: &str, action: &str| {
        let pkg = load_package(&common::corpus_dir().join(file)).expect("the package loads");
        let code = pkg.code(action).expect("the action's code was read");
        (
            code.summary.kind,
            code.summary.managed.clone().expect("managed code"),
        )
    };
    let (kind, m) = managed(
        "oleg-shilo__wixsharp_ManagedSetup_wix4.msi",
        "WixSharp_InitRuntime_Action",
    );
    assert_eq!(kind, msica::code::CodeKind::Dtf);
    assert_eq!(
        (
            m.assembly.as_deref(),
            m.class.as_deref(),
            m.method.as_deref(),
            m.runtime.as_deref()
        ),
        (
            Some("WixSharp"),
            Some("WixSharp.ManagedProjectActions"),
            Some("WixSharp_InitRuntime_Action"),
            Some("v4.0.30319")
        )
    );
    let (kind, m) = managed("emilbrun97__JitsiOutlook_0.7.0.msi", "UpdateConfigXml");
    assert_eq!(kind, msica::code::CodeKind::Dtf);
    assert_eq!(
        (
            m.assembly.as_deref(),
            m.class.as_deref(),
            m.method.as_deref(),
            m.runtime.as_deref()
        ),
        (
            Some("SettingsInstallerParameters"),
            Some("SettingsInstallerParameters.CustomActions"),
            Some("UpdateConfigXml"),
            Some("v4.0")
        )
    );
    // A DTF action whose Target differs from its export's method name.
    let (_, m) = managed(
        "AlexanderCalle__mysql-installer-web-community-8.0.23.0.msi",
        "DeleteFiles",
    );
    assert_eq!(m.method.as_deref(), Some("DeleteFilesIfProductUninstalled"));
    // A Visual Studio setup project's Installer class: the assembly its CustomActionData names.
    let pkg =
        load_package(&common::corpus_dir().join("packagedService__Setup1.msi")).expect("loads");
    let installer: Vec<_> = pkg
        .action_code
        .values()
        .filter(|c| c.summary.kind == msica::code::CodeKind::InstallerClass)
        .map(|c| c.summary.managed.as_ref().and_then(|m| m.assembly.clone()))
        .collect();
    assert_eq!(installer.len(), 4);
    assert!(installer
        .iter()
        .all(|a| a.as_deref() == Some("sampleService2.exe")));
}
