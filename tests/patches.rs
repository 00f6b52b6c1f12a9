//! Patches applied to databases built in the test: defects only a patch
//! brings (named after the patch and its pair), a patch for another product,
//! a two-pair patch whose pair depends on the baseline, `-p` on every
//! command, `info` of a patch, and broken patches.

mod common;

use std::path::Path;

use common::run;
use msica::db::transform::validation_flags::*;
use msica::testing::{MsiBuilder, PatchBuilder, TransformBuilder};
use msica::ExitStatus;

const IE: &str = "InstallExecuteSequence";
const CODE: &str = "{11111111-1111-1111-1111-111111111111}";
const UPGRADE: &str = "{33333333-3333-3333-3333-333333333333}";

/// A clean product: a deferred action with its rollback, in the script window.
fn base(version: &str) -> MsiBuilder {
    MsiBuilder::new()
        .standard_execute()
        .property("ProductCode", CODE)
        .property("UpgradeCode", UPGRADE)
        .property("ProductVersion", version)
        .binary("FooCA")
        .action("RollbackFoo", 3329, Some("FooCA"), Some("RollbackFoo"))
        .action("InstallFoo", 3073, Some("FooCA"), Some("InstallFoo"))
        .seq(IE, "RollbackFoo", None, 4001)
        .seq(IE, "InstallFoo", None, 4002)
}

/// The product transform of a pair made against `from`, producing `to`.
fn upgrade(from: &str, to: &str) -> TransformBuilder {
    TransformBuilder::new()
        .products((CODE, from), (CODE, to), UPGRADE)
        .validation(PRODUCT | UPGRADE_CODE | UPDATE_VERSION | NEW_EQUAL_BASE)
        .update(
            "Property",
            vec!["ProductVersion".into()],
            vec![(1, to.into())],
        )
}

/// The 1.0.0 → 1.0.1 pair that adds the deferred action `FixFoo` at `sequence`.
fn adds_fix_foo_at(sequence: i32) -> TransformBuilder {
    upgrade("1.0.0", "1.0.1")
        .insert(
            "CustomAction",
            vec![
                "FixFoo".into(),
                3073.into(),
                "FooCA".into(),
                "FixFoo".into(),
            ],
        )
        .insert(
            IE,
            vec!["FixFoo".into(), msica::testing::Cell::Null, sequence.into()],
        )
}

fn write(dir: &Path, name: &str, bytes: Vec<u8>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

#[test]
fn lint_finds_a_defect_only_the_patch_brings_and_names_the_patch() {
    // The patch adds a deferred action after InstallFinalize.
    let patch = PatchBuilder::new(&[CODE]).pair("rtm.1", adds_fix_foo_at(6700));
    let dir = tempfile::tempdir().unwrap();
    let app = write(dir.path(), "app.msi", base("1.0.0").bytes());
    let msp = write(dir.path(), "fix.msp", patch.bytes());
    let clean = run(["lint", "--no-config", &app]);
    assert_eq!(clean.status, ExitStatus::Success, "{}", clean.out);
    let r = run(["lint", "--no-config", &app, "-p", &msp]);
    assert_eq!(r.status, ExitStatus::Failure, "{}", r.out);
    assert!(r.out.contains("MCA101"), "{}", r.out);
    assert!(r.out.contains("added by fix.msp:rtm.1"), "{}", r.out);
    let json = run(["lint", "--no-config", "--format", "json", &app, "-p", &msp]);
    let doc: serde_json::Value = serde_json::from_str(&json.out).unwrap();
    let findings = doc["files"][0]["findings"].as_array().unwrap();
    let deferred = findings.iter().find(|f| f["code"] == "MCA101").unwrap();
    assert_eq!(deferred["origin"], "added by fix.msp:rtm.1");
    // The action the patch adds cannot be undone at patch removal: an info.
    let uninstall = findings.iter().find(|f| f["code"] == "MCA605").unwrap();
    assert_eq!(uninstall["severity"], "info");
    let sarif = run(["lint", "--no-config", "--format", "sarif", &app, "-p", &msp]);
    assert!(
        sarif.out.contains("(row added by fix.msp:rtm.1)"),
        "{}",
        sarif.out
    );
}

#[test]
fn a_not_installed_action_of_the_patch_is_reported() {
    let patch = PatchBuilder::new(&[CODE]).pair(
        "rtm.1",
        upgrade("1.0.0", "1.0.1")
            .update(
                IE,
                vec!["InstallFoo".into()],
                vec![(1, "NOT Installed".into())],
            )
            .update(
                "CustomAction",
                vec!["InstallFoo".into()],
                vec![(3, "InstallFoo2".into())],
            ),
    );
    let dir = tempfile::tempdir().unwrap();
    let app = write(dir.path(), "app.msi", base("1.0.0").bytes());
    let msp = write(dir.path(), "fix.msp", patch.bytes());
    let r = run(["lint", "--no-config", &app, "-p", &msp]);
    assert!(r.out.contains("MCA604"), "{}", r.out);
    assert!(
        r.out.contains("custom action `InstallFoo`, changed by fix.msp:rtm.1, cannot run while the patch installs"),
        "{}",
        r.out
    );
}

#[test]
fn a_patch_for_another_product_is_an_error() {
    let other = "{22222222-2222-2222-2222-222222222222}";
    let patch = PatchBuilder::new(&[other]).pair("rtm.1", upgrade("1.0.0", "1.0.1"));
    let dir = tempfile::tempdir().unwrap();
    let app = write(dir.path(), "app.msi", base("1.0.0").bytes());
    let msp = write(dir.path(), "other.msp", patch.bytes());
    let r = run(["lint", "--no-config", &app, "-p", &msp]);
    assert_eq!(r.status, ExitStatus::Failure, "{}", r.out);
    assert!(r.out.contains("MCA603"), "{}", r.out);
    assert!(
        r.out.contains("patch other.msp does not apply to this package: its ProductCode must be one of its targets"),
        "{}",
        r.out
    );
    // Nothing of it was applied.
    let info = run(["info", "--format", "json", &app, "-p", &msp]);
    let doc: serde_json::Value = serde_json::from_str(&info.out).unwrap();
    assert_eq!(doc["patches"][0]["pair"], serde_json::Value::Null);
    assert!(doc["facts"].to_string().contains("1.0.0"));
}

/// A patch with a pair for 1.0.0 and one for 1.0.1: which applies depends
/// on the patches before it.
#[test]
fn the_pair_follows_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let app = write(dir.path(), "app.msi", base("1.0.0").bytes());
    let sp1 = write(
        dir.path(),
        "sp1.msp",
        PatchBuilder::new(&[CODE])
            .code("{AAAAAAAA-0000-0000-0000-000000000001}")
            .pair("rtm", upgrade("1.0.0", "1.0.1"))
            .bytes(),
    );
    let qfe = write(
        dir.path(),
        "qfe.msp",
        PatchBuilder::new(&[CODE])
            .code("{AAAAAAAA-0000-0000-0000-000000000002}")
            .pair(
                "sp1",
                upgrade("1.0.1", "1.0.1").insert("Property", vec!["QFE".into(), "sp1".into()]),
            )
            .pair(
                "rtm",
                upgrade("1.0.0", "1.0.0").insert("Property", vec!["QFE".into(), "rtm".into()]),
            )
            .bytes(),
    );
    let pairs = |args: &[&str]| -> (Vec<String>, String) {
        let r = run([&["info", "--format", "json", &app][..], args].concat());
        let doc: serde_json::Value = serde_json::from_str(&r.out).unwrap();
        let pairs = doc["patches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["pair"].as_str().unwrap_or("none").to_owned())
            .collect();
        let t = run([&["table", "--format", "tsv", &app, "Property"][..], args].concat());
        let qfe = t
            .out
            .lines()
            .find(|l| l.starts_with("QFE\t"))
            .unwrap_or("")
            .to_owned();
        (pairs, qfe)
    };
    assert_eq!(
        pairs(&["-p", &qfe]),
        (vec!["rtm".to_owned()], "QFE\trtm".to_owned())
    );
    assert_eq!(
        pairs(&["-p", &sp1, "-p", &qfe]),
        (
            vec!["rtm".to_owned(), "sp1".to_owned()],
            "QFE\tsp1".to_owned()
        )
    );
}

#[test]
fn every_command_takes_patches() {
    let patch = PatchBuilder::new(&[CODE]).pair("rtm.1", adds_fix_foo_at(4003));
    let dir = tempfile::tempdir().unwrap();
    let app = write(dir.path(), "app.msi", base("1.0.0").bytes());
    let msp = write(dir.path(), "fix.msp", patch.bytes());
    for args in [
        vec!["actions", &app, "-p", &msp],
        vec!["sequence", &app, "-p", &msp],
        vec!["table", &app, "CustomAction", "-p", &msp],
        vec!["tables", &app, "-p", &msp],
        vec!["diff", &app, "-p", &msp],
    ] {
        let r = run(&args);
        assert_eq!(r.status, ExitStatus::Success, "{args:?}: {}", r.err);
        assert!(
            r.out.contains("FixFoo") || r.out.contains("+1"),
            "{args:?}: {}",
            r.out
        );
    }
    let diff = run(["diff", &app, "-p", &msp]);
    assert!(diff.out.contains(&format!("-p {msp}")), "{}", diff.out);
    let table = run([
        "table",
        &app,
        "CustomAction",
        "-p",
        &msp,
        "--format",
        "json",
    ]);
    assert!(table.out.contains("fix.msp:rtm.1"), "{}", table.out);
    let info = run(["info", &app, "-p", &msp]);
    assert!(
        info.out.contains("fix.msp: pair rtm.1 applied"),
        "{}",
        info.out
    );
    // `msica.toml` names patches as it names transforms.
    std::fs::write(
        dir.path().join("msica.toml"),
        "[[patches]]\npackage = \"app.msi\"\napply = [\"fix.msp\"]\n",
    )
    .unwrap();
    let config = dir.path().join("msica.toml").display().to_string();
    let r = run(["lint", "--config", &config, "--format", "json", &app]);
    assert!(r.out.contains("added by fix.msp:rtm.1"), "{}", r.out);
}

#[test]
fn info_describes_a_patch_on_its_own() {
    let patch = PatchBuilder::new(&[CODE])
        .code("{AAAAAAAA-0000-0000-0000-00000000000F}")
        .metadata("Classification", "Hotfix")
        .pair("rtm.1", upgrade("1.0.0", "1.0.1"));
    let dir = tempfile::tempdir().unwrap();
    let msp = write(dir.path(), "fix.msp", patch.bytes());
    let r = run(["info", &msp]);
    assert_eq!(r.status, ExitStatus::Success, "{}", r.err);
    assert!(!r.out.contains("Platform"), "{}", r.out);
    for expected in [
        format!("Targets     {CODE}"),
        "Patch code  {AAAAAAAA-0000-0000-0000-00000000000F}".to_owned(),
        "Metadata    Classification = Hotfix".to_owned(),
        "Sequence    TestFamily 1.0.1.0".to_owned(),
        format!(":rtm.1: made against {CODE} 1.0.0; produces {CODE} 1.0.1; validates same ProductCode, same UpgradeCode, major.minor.update version, version = target; changes Property"),
        ":#rtm.1: no validation; changes PatchPackage".to_owned(),
    ] {
        assert!(r.out.contains(&expected), "{expected}\n{}", r.out);
    }
    // Its transforms on their own, and the JSON against its schema.
    let t = run(["table", &msp, "Property", "-t", ":rtm.1"]);
    assert!(
        t.out.contains("update") && t.out.contains("1.0.1"),
        "{}",
        t.out
    );
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/info.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let app = write(dir.path(), "app.msi", base("1.0.0").bytes());
    for args in [vec!["info", &msp], vec!["info", &app, "-p", &msp]] {
        let r = run([&args[..], &["--format", "json"]].concat());
        let value: serde_json::Value = serde_json::from_str(&r.out).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}\n{}", r.out);
    }
}

#[test]
fn what_is_not_a_patch_ends_in_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let app = write(dir.path(), "app.msi", base("1.0.0").bytes());
    let mst = write(dir.path(), "site.mst", upgrade("1.0.0", "1.0.1").bytes());
    let r = run(["lint", "--no-config", &app, "-p", &mst]);
    assert_eq!(r.status, ExitStatus::Error, "{}", r.out);
    common::assert_clear_error(&r, Path::new(&mst), "not a patch");
    let junk = write(dir.path(), "junk.msp", b"not a compound file".to_vec());
    let r = run(["info", &app, "-p", &junk]);
    assert_eq!(r.status, ExitStatus::Error);
    assert!(r.err.contains("junk.msp"), "{}", r.err);
    // A patch whose summary lists a transform it does not hold: named, not a panic.
    let mut bytes = PatchBuilder::new(&[CODE])
        .pair("rtm.1", upgrade("1.0.0", "1.0.1"))
        .bytes();
    let at = bytes.windows(7).position(|w| w == b":rtm.1;").unwrap();
    bytes[at + 1..at + 4].copy_from_slice(b"rtx");
    let broken = write(dir.path(), "broken.msp", bytes);
    let r = run(["info", &app, "-p", &broken]);
    assert_eq!(r.status, ExitStatus::Success, "{}", r.err);
    assert!(
        r.out
            .contains("broken.msp: does not apply (its transform rtx.1 cannot be read"),
        "{}",
        r.out
    );
    let r = run(["lint", "--no-config", &app, "-p", &broken]);
    assert!(r.out.contains("MCA603"), "{}", r.out);
    // On its own, the patch says what it lacks.
    let r = run(["lint", "--no-config", &broken]);
    assert!(
        r.out
            .contains("it lists the transform :rtx.1, which the patch does not hold"),
        "{}",
        r.out
    );
}

/// A stream a patch's transform carries (new code for a Binary row) is read
/// from the transform's substorage, over the base's.
#[test]
fn a_patch_replaces_the_code_of_an_action() {
    let patch = PatchBuilder::new(&[CODE]).pair(
        "rtm.1",
        upgrade("1.0.0", "1.0.1")
            .update(
                "Binary",
                vec!["FooCA".into()],
                vec![(1, msica::testing::Cell::Stream)],
            )
            .stream("Binary.FooCA", b"new code"),
    );
    let dir = tempfile::tempdir().unwrap();
    let app = write(
        dir.path(),
        "app.msi",
        MsiBuilder::new()
            .standard_execute()
            .property("ProductCode", CODE)
            .property("UpgradeCode", UPGRADE)
            .property("ProductVersion", "1.0.0")
            .binary_data("FooCA", b"old code")
            .action("InstallFoo", 3073, Some("FooCA"), Some("InstallFoo"))
            .seq(IE, "InstallFoo", None, 4002)
            .bytes(),
    );
    let msp = write(dir.path(), "fix.msp", patch.bytes());
    let db = msica::model::load::open_database(&msica::model::load::Input {
        path: app.clone().into(),
        patches: vec![msp.clone().into()],
        ..Default::default()
    })
    .unwrap();
    assert!(db.has_stream("Binary.FooCA"));
    assert_eq!(db.read_stream("Binary.FooCA").unwrap(), b"new code");
    assert_eq!(
        db.read_stream_head("Binary.FooCA", 3).unwrap(),
        (b"new".to_vec(), 8)
    );
    let diff = run(["diff", &app, "-p", &msp]);
    assert!(diff.out.contains("Binary.FooCA"), "{}", diff.out);
}
