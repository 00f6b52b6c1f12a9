//! Findings at the WiX source line that authored their row (`--source`, a
//! `.wixpdb` beside the package), in every output format, and one run that
//! writes a report file while the terminal gets the human report.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{run, Run};
use msica::testing::pe::{Arch, PeBuilder};
use msica::ExitStatus;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The WiX sources of the wixl-built fixture, as a path relative to the
/// crate root (the tests' working directory).
const INSTALLER: &str = "tests/fixtures/wix/installer";
/// The sources behind the hand-written `.wixpdb` files.
const PDB_SOURCES: &str = "tests/fixtures/wixpdb/installer";

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// Builds the fixture package with wixl into `dir/dist/app.msi`; `None`
/// (after a loud message) where wixl is not installed.
fn build_fixture(dir: &Path) -> Option<PathBuf> {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    let msi = dist.join("app.msi");
    // FooCA is a real DLL with the fixture's entry points, built by the
    // test support; wixl takes only relative source paths.
    let code = dir.join("code");
    std::fs::create_dir_all(&code).unwrap();
    let dll = PeBuilder::dll(Arch::X86)
        .export("CheckFoo")
        .export("EarlyFoo")
        .build();
    std::fs::write(code.join("ca.dll"), dll).unwrap();
    let sources = std::fs::canonicalize(root().join(INSTALLER)).unwrap();
    let code = std::fs::canonicalize(&code).unwrap();
    let up = "../".repeat(sources.components().count() - 1);
    let code_dir = format!("CodeDir={up}{}", code.strip_prefix("/").unwrap().display());
    let built = Command::new("wixl")
        .args([
            "-D".as_ref(),
            code_dir.as_ref(),
            "-o".as_ref(),
            msi.as_os_str(),
            "Product.wxs".as_ref(),
        ])
        .current_dir(root().join(INSTALLER))
        .output();
    match built {
        Ok(out) if out.status.success() => Some(msi),
        Ok(out) => panic!(
            "wixl failed on {INSTALLER}/Product.wxs:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => {
            eprintln!();
            eprintln!("**************************************************************");
            eprintln!("*** WIXL MISSING: WiX source-location test SKIPPED");
            eprintln!("*** (apt-get install wixl; .ci/run installs it)");
            eprintln!("**************************************************************");
            None
        }
    }
}

fn lint(args: &[&str], paths: &[&Path]) -> Run {
    let mut all: Vec<std::ffi::OsString> = vec!["lint".into(), "--no-config".into()];
    all.extend(args.iter().map(Into::into));
    all.extend(paths.iter().map(|p| p.as_os_str().to_owned()));
    run(all)
}

/// (code, key) → (source path, line, column) of every finding of a JSON report.
fn sources_of(report: &Value) -> Vec<(String, String, Value)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap())
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["key"].as_str().unwrap().to_owned(),
                f["source"].clone(),
            )
        })
        .collect()
}

fn at(path: &str, line: u64, column: Option<u64>) -> Value {
    serde_json::json!({"path": path, "line": line, "column": column})
}

fn validate_report(report: &Value) {
    let path = root().join("schemas/report.schema.json");
    let schema = json(&std::fs::read_to_string(path).unwrap());
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn each_finding_of_a_wixl_built_package_points_at_its_wix_line() {
    let dir = tempfile::tempdir().unwrap();
    let Some(msi) = build_fixture(dir.path()) else {
        return;
    };
    let result = lint(&["--source", INSTALLER, "--format", "json"], &[&msi]);
    assert_eq!(result.status, ExitStatus::Failure, "{}", result.err);
    assert!(result.err.is_empty(), "{}", result.err);
    let report = json(&result.out);
    validate_report(&report);
    let product = format!("{INSTALLER}/Product.wxs");
    let schedule = format!("{INSTALLER}/Schedule.wxi");
    // CheckFoo, a DLL in both sequences before InstallValidate, is the
    // detection pattern that MCA105 leaves alone.
    let expected = [
        // The row's `Custom` element, read inside the sequence that includes Schedule.wxi.
        ("MCA101", "EarlyFoo", at(&schedule, 7, Some(3))),
        ("MCA104", "EarlyFoo", at(&product, 34, Some(5))),
        ("MCA109", "Migrate", at(&product, 41, Some(7))),
        ("MCA115", "BadSource", at(&schedule, 5, Some(3))),
        ("MCA207", "SetFooData", at(&product, 37, Some(5))),
        ("MCA301", "BadSource", at(&product, 36, Some(5))),
        ("MCA401", "BadSource", at(&schedule, 5, Some(3))),
        ("MCA403", "CheckFoo", at(&schedule, 4, Some(3))),
    ];
    let expected: Vec<(String, String, Value)> = expected
        .into_iter()
        .map(|(c, k, v)| (c.to_owned(), k.to_owned(), v))
        .collect();
    assert_eq!(sources_of(&report), expected);

    // Without --source, the same findings have no source.
    let plain = json(&lint(&["--format", "json"], &[&msi]).out);
    assert!(sources_of(&plain).iter().all(|(_, _, s)| s.is_null()));
}

#[test]
fn sarif_puts_the_source_line_first_and_keeps_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let Some(msi) = build_fixture(dir.path()) else {
        return;
    };
    // The command line of the issue: one run, the SARIF to a file, the
    // human report to the terminal.
    let sarif_path = dir.path().join("msica.sarif");
    let result = lint(
        &[
            "--source",
            INSTALLER,
            "--format",
            "sarif",
            "-o",
            sarif_path.to_str().unwrap(),
        ],
        &[msi.parent().unwrap()],
    );
    assert_eq!(result.status, ExitStatus::Failure);
    assert!(
        result.out.contains(&format!(
            "defined at {INSTALLER}/Schedule.wxi:7\n  help: schedule in-script actions"
        )),
        "{}",
        result.out
    );
    let sarif = json(&std::fs::read_to_string(&sarif_path).unwrap());
    let run = &sarif["runs"][0];
    let srcroot = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    let cwd = std::env::current_dir().unwrap().canonicalize().unwrap();
    assert_eq!(
        srcroot,
        format!("file://{}/", cwd.display()),
        "the working directory, as an absolute directory URI"
    );
    let results = run["results"].as_array().unwrap();
    // Every finding of the package is in the log, each at its source line.
    let report = json(&lint(&["--format", "json"], &[&msi]).out);
    assert_eq!(
        results.len(),
        report["files"][0]["findings"].as_array().unwrap().len()
    );
    for result in results {
        let location = &result["locations"][0];
        let physical = &location["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with(INSTALLER), "{uri}");
        assert!(physical["region"]["startLine"].as_u64().unwrap() > 1);
        let row = &location["logicalLocations"][0]["fullyQualifiedName"];
        let related = &result["relatedLocations"][0];
        assert_eq!(related["logicalLocations"][0]["fullyQualifiedName"], *row);
        let package = related["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(package.ends_with("/dist/app.msi"), "{package}");
        assert!(related["message"]["text"].as_str().unwrap().contains("row"));
    }
    let mca101 = &results[0];
    assert_eq!(mca101["ruleId"], "MCA101");
    assert_eq!(
        mca101["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        format!("{INSTALLER}/Schedule.wxi")
    );
    assert_eq!(
        mca101["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 7, "startColumn": 3})
    );
}

#[test]
fn human_output_says_where_the_row_was_defined() {
    let dir = tempfile::tempdir().unwrap();
    let Some(msi) = build_fixture(dir.path()) else {
        return;
    };
    let result = lint(&["--source", INSTALLER], &[&msi]);
    assert!(
        result.out.contains(&format!(
            "   ╰────\n  defined at {INSTALLER}/Schedule.wxi:7\n  help: schedule in-script actions"
        )),
        "{}",
        result.out
    );
}

#[test]
fn github_annotations_carry_the_source_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let Some(msi) = build_fixture(dir.path()) else {
        return;
    };
    let result = lint(&["--source", INSTALLER, "--format", "github"], &[&msi]);
    assert_eq!(result.status, ExitStatus::Failure);
    let out = result
        .out
        .replace(&dir.path().display().to_string(), "[TMP]");
    insta::assert_snapshot!("github_with_sources", out);
}

#[test]
fn gitlab_issues_sit_on_the_source_line() {
    let dir = tempfile::tempdir().unwrap();
    let Some(msi) = build_fixture(dir.path()) else {
        return;
    };
    let result = lint(&["--source", INSTALLER, "--format", "gitlab"], &[&msi]);
    let issues = json(&result.out);
    let first = &issues[0];
    assert_eq!(first["check_name"], "MCA101");
    assert_eq!(
        first["location"],
        serde_json::json!({"path": format!("{INSTALLER}/Schedule.wxi"), "lines": {"begin": 7}})
    );
}

/// Copies a sample and the hand-written `.wixpdb` of the same name into a
/// folder, as a WiX build leaves them.
fn sample_with_pdb(dir: &Path, name: &str) -> PathBuf {
    let msi = dir.join(format!("{name}.msi"));
    std::fs::copy(root().join(format!("samples/{name}.msi")), &msi).unwrap();
    std::fs::copy(
        root().join(format!("tests/fixtures/wixpdb/{name}.wixpdb")),
        dir.join(format!("{name}.wixpdb")),
    )
    .unwrap();
    msi
}

#[test]
fn a_wixpdb_beside_the_package_gives_the_exact_line() {
    let dir = tempfile::tempdir().unwrap();
    let doaction = sample_with_pdb(dir.path(), "MCA111-deferred-via-doaction");
    let setter = sample_with_pdb(dir.path(), "MCA112-customactiondata-after-action");
    let result = lint(
        &["--source", PDB_SOURCES, "--format", "json"],
        &[&doaction, &setter],
    );
    assert!(result.err.is_empty(), "{}", result.err);
    let report = json(&result.out);
    validate_report(&report);
    // A .wixpdb records lines, not columns: a null column shows the line
    // came from it and not from reading the source.
    let ui = format!("{PDB_SOURCES}/Ui.wxs");
    let product = format!("{PDB_SOURCES}/Product.wxs");
    assert_eq!(
        sources_of(&report),
        [
            (
                "MCA111".to_owned(),
                "WelcomeDlg/Next/DoAction/InstallFoo".to_owned(),
                at(&ui, 8, None)
            ),
            (
                "MCA112".to_owned(),
                "InstallFoo".to_owned(),
                at(&product, 11, None)
            ),
        ]
    );

    // Without the .wixpdb the sources themselves give the same lines.
    std::fs::remove_file(dir.path().join("MCA111-deferred-via-doaction.wixpdb")).unwrap();
    let report = json(&lint(&["--source", PDB_SOURCES, "--format", "json"], &[&doaction]).out);
    assert_eq!(sources_of(&report)[0].2, at(&ui, 8, Some(11)));

    // A .wixpdb whose files are under no --source directory maps nothing,
    // and says so.
    let result = lint(&["--format", "json"], &[&setter]);
    assert!(sources_of(&json(&result.out))[0].2.is_null());
    assert!(
        result.err.contains("MCA112-customactiondata-after-action.wixpdb: none of the source files it records (such as C:\\build\\msica-fixture\\installer\\Product.wxs) is under a --source directory"),
        "{}",
        result.err
    );
}

#[test]
fn bad_sources_and_a_broken_wixpdb_are_warnings_that_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let msi = sample_with_pdb(dir.path(), "MCA111-deferred-via-doaction");
    let pdb = dir.path().join("MCA111-deferred-via-doaction.wixpdb");
    std::fs::write(&pdb, "<wixPdb><wixOutput>").unwrap();
    let sources = dir.path().join("src");
    std::fs::create_dir(&sources).unwrap();
    std::fs::write(sources.join("Broken.wxs"), "<Wix><Fragment></Wix>").unwrap();
    std::fs::copy(
        root().join(PDB_SOURCES).join("Ui.wxs"),
        sources.join("Ui.wxs"),
    )
    .unwrap();
    let missing = dir.path().join("no-such-dir");
    let result = lint(
        &[
            "--source",
            sources.to_str().unwrap(),
            "--source",
            missing.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[&msi],
    );
    assert_eq!(result.status, ExitStatus::Failure, "the lint went on");
    let lines: Vec<&str> = result.err.lines().collect();
    assert_eq!(lines.len(), 3, "{}", result.err);
    assert!(lines[0].starts_with(&format!(
        "warning: {}: source directory not found",
        missing.display()
    )));
    assert!(lines[1].starts_with(&format!(
        "warning: {}: not well-formed XML",
        sources.join("Broken.wxs").display()
    )));
    assert!(lines[2].starts_with(&format!("warning: {}: not well-formed XML", pdb.display())));
    assert!(
        lines[2].ends_with("its source lines are not used"),
        "{}",
        lines[2]
    );
    assert!(!result.err.contains("panicked"));
    // The readable source still maps the finding.
    let report = json(&result.out);
    let found = &sources_of(&report)[0].2;
    assert_eq!(found["line"], 8, "{found}");
}

#[test]
fn source_directories_of_the_config_file_are_relative_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let msi = sample_with_pdb(dir.path(), "MCA112-customactiondata-after-action");
    std::fs::remove_file(msi.with_extension("wixpdb")).unwrap();
    let sources = dir.path().join("repo/wix");
    std::fs::create_dir_all(&sources).unwrap();
    for name in ["Product.wxs", "Actions.wxi"] {
        std::fs::copy(root().join(PDB_SOURCES).join(name), sources.join(name)).unwrap();
    }
    std::fs::write(dir.path().join("repo/msica.toml"), "source = [\"wix\"]\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_msica"))
        .args([
            "lint",
            "--format",
            "json",
            "../MCA112-customactiondata-after-action.msi",
        ])
        .current_dir(dir.path().join("repo"))
        .output()
        .unwrap();
    let report = json(&String::from_utf8(output.stdout).unwrap());
    assert_eq!(sources_of(&report)[0].2, at("wix/Product.wxs", 11, Some(7)));
}

#[test]
fn output_file_gets_the_format_and_the_terminal_the_human_report() {
    let dir = tempfile::tempdir().unwrap();
    let sample = root().join("samples/MCA104-missing-rollback.msi");
    let human = lint(&[], &[&sample]);
    for format in ["human", "json", "sarif", "github"] {
        let file = dir.path().join(format!("report.{format}"));
        let alone = lint(&["--format", format], &[&sample]);
        let both = lint(
            &["--format", format, "--output-file", file.to_str().unwrap()],
            &[&sample],
        );
        assert_eq!(both.status, alone.status, "{format}: same exit code");
        assert_eq!(
            both.out, human.out,
            "{format}: the terminal gets the human report"
        );
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            alone.out,
            "{format}: the file gets what --format prints"
        );
    }
    let unwritable = dir.path().join("missing/report.sarif");
    let result = lint(
        &["--format", "sarif", "-o", unwritable.to_str().unwrap()],
        &[&sample],
    );
    assert_eq!(result.status, ExitStatus::Error);
    assert!(
        result.err.contains(&format!(
            "error: {}: cannot write the report",
            unwritable.display()
        )),
        "{}",
        result.err
    );
}

// ---------------------------------------------------------------------- //
// the real .wixpdb files of the corpus

fn corpus_pdb(name: &str) -> Option<PathBuf> {
    let path = root().join("../shared/corpus/wixpdb").join(name);
    if !path.is_file() {
        eprintln!(
            "\n!!! corpus file {} missing: .wixpdb check SKIPPED !!!\n",
            path.display()
        );
        return None;
    }
    Some(path)
}

fn recorded(
    rows: &[msica::source::wixpdb::RecordedRow],
    table: &str,
    key: &str,
) -> (String, usize) {
    let row = rows
        .iter()
        .find(|r| r.table == table && r.key == key)
        .unwrap_or_else(|| panic!("no {table} row {key}"));
    (row.file.clone(), row.line)
}

#[test]
fn corpus_wixpdb_files_of_every_shape_are_read() {
    use msica::source::wixpdb::read;
    // WiX v3, plain XML.
    if let Some(path) = corpus_pdb("t3knoid__Willie__Installer.wixpdb") {
        let rows = read(&path).unwrap();
        let product = r"H:\Workarea\GitHub\Willie\Installer\Product.wxs";
        assert_eq!(
            recorded(&rows, "InstallExecuteSequence", "RemoveExistingProducts"),
            (product.to_owned(), 30)
        );
        assert_eq!(
            recorded(&rows, "Property", "ARPNOREPAIR"),
            (product.to_owned(), 22)
        );
        // Mapped onto a checkout of the repository by its trailing path.
        let dir = tempfile::tempdir().unwrap();
        let checkout = dir.path().join("Willie/Installer");
        std::fs::create_dir_all(&checkout).unwrap();
        std::fs::write(checkout.join("Product.wxs"), "<Wix/>").unwrap();
        let index =
            msica::source::SourceIndex::build(&[dir.path().to_owned()], &mut |w| panic!("{w}"));
        assert_eq!(
            index.resolve_recorded(product),
            Some(checkout.join("Product.wxs"))
        );
    }
    // WiX v3 with bound files: a cabinet, then the XML.
    if let Some(path) = corpus_pdb("nhorspool__ARMSim__Installer.wixpdb") {
        let rows = read(&path).unwrap();
        assert!(rows.len() > 900, "{}", rows.len());
        assert_eq!(
            recorded(
                &rows,
                "ControlEvent",
                "BrowseDlg/OK/DoAction/WixUIValidatePath"
            ),
            (
                r"C:\src\wix39r2\src\ext\UIExtension\wixlib\WixUI_Advanced.wxs".to_owned(),
                78
            )
        );
    }
    // WiX 6: a zip holding wix-ir.json.
    if let Some(path) = corpus_pdb("rbaucells__controller-shortcuter__Setup.wixpdb") {
        let rows = read(&path).unwrap();
        let package = r"C:\Users\Ricardo\Documents\Projects\Shortcut-er\Setup\Package.wxs";
        assert_eq!(
            recorded(&rows, "InstallExecuteSequence", "RemoveExistingProducts"),
            (package.to_owned(), 2)
        );
        assert_eq!(
            recorded(&rows, "Property", "ProductName"),
            (package.to_owned(), 2)
        );
    }
}
