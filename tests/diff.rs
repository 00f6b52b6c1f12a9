//! `msica diff`: every kind of change on fixtures built through the msi
//! writer, the JSON checked against its schema, the Markdown snapshot, and
//! the exit codes.

mod common;

use std::path::{Path, PathBuf};

use msica::testing::pe::{Arch, PeBuilder};
use msica::testing::MsiBuilder;
use msica::testing::TransformBuilder;
use msica::ExitStatus;
use serde_json::Value;

const IE: &str = "InstallExecuteSequence";

fn write(dir: &Path, name: &str, builder: &MsiBuilder) -> PathBuf {
    builder.write_to(dir, name)
}

fn validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/diff.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::draft202012::new(&schema).expect("diff.schema.json is a valid schema")
}

/// Runs `msica diff ARGS --format json`, checks the document against the
/// schema and returns it.
fn diff_json(args: &[&Path]) -> Value {
    let mut argv: Vec<std::ffi::OsString> = vec!["diff".into()];
    argv.extend(args.iter().map(|p| p.as_os_str().to_owned()));
    argv.extend(["--format".into(), "json".into()]);
    let run = common::run(argv);
    assert_eq!(run.status, ExitStatus::Success, "stderr: {}", run.err);
    let value: Value = serde_json::from_str(&run.out).expect("JSON output");
    let errors: Vec<String> = validator()
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema: {}", errors.join("\n"));
    value
}

fn compare(old: &MsiBuilder, new: &MsiBuilder) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "old.msi", old);
    let b = write(dir.path(), "new.msi", new);
    diff_json(&[&a, &b])
}

fn action<'a>(diff: &'a Value, name: &str) -> &'a Value {
    diff["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no change for action {name}: {:#}", diff["actions"]))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn table<'a>(diff: &'a Value, name: &str) -> &'a Value {
    diff["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no table {name}"))
}

/// The schedule change of `action` in `table`.
fn schedule<'a>(diff: &'a Value, name: &str, table: &str) -> &'a Value {
    action(diff, name)["scheduling"]
        .as_array()
        .unwrap_or_else(|| panic!("{name} has no scheduling change"))
        .iter()
        .find(|s| s["table"] == table)
        .unwrap_or_else(|| panic!("{name} has no change in {table}"))
}

fn base() -> MsiBuilder {
    MsiBuilder::new()
        .standard_execute()
        .property("ProductCode", "{11111111-2222-3333-4444-555555555555}")
        .property("ProductVersion", "1.0.0")
        .binary("Lib")
}

#[test]
fn type_changes_are_explained_field_by_field() {
    let old = base()
        .action("Elevate", 1025, Some("Lib"), Some("Run"))
        .action("Quiet", 3073, Some("Lib"), Some("Quiet"))
        .action("Hidden", 11265, Some("Lib"), Some("Hidden"))
        .action("Later", 1, Some("Lib"), Some("Later"))
        .seq(IE, "Elevate", None, 4001)
        .seq(IE, "Quiet", None, 4002)
        .seq(IE, "Hidden", None, 4003)
        .seq(IE, "Later", None, 4004);
    let new = base()
        .action("Elevate", 3073, Some("Lib"), Some("Run"))
        .action("Quiet", 3137, Some("Lib"), Some("Quiet"))
        .action("Hidden", 3073, Some("Lib"), Some("Hidden"))
        .action("Later", 1025, Some("Lib"), Some("Later"))
        .seq(IE, "Elevate", None, 4001)
        .seq(IE, "Quiet", None, 4002)
        .seq(IE, "Hidden", None, 4003)
        .seq(IE, "Later", None, 4004);
    let diff = compare(&old, &new);
    let elevate = action(&diff, "Elevate");
    assert_eq!(elevate["change"], "changed");
    assert_eq!(
        (elevate["old_type"].clone(), elevate["new_type"].clone()),
        (1025.into(), 3073.into())
    );
    assert!(
        strings(&elevate["type_changes"])
            .iter()
            .any(|c| c.starts_with("now runs as LocalSystem (no impersonation)")),
        "{elevate:#}"
    );
    assert_eq!(
        strings(&elevate["bits_set"]),
        ["msidbCustomActionTypeNoImpersonate (0x0800)"]
    );
    assert!(strings(&action(&diff, "Quiet")["type_changes"])
        .iter()
        .any(|c| c.starts_with("return code now ignored")));
    assert!(strings(&action(&diff, "Hidden")["type_changes"])
        .iter()
        .any(|c| c.starts_with("hide-target removed")));
    assert!(strings(&action(&diff, "Later")["type_changes"])
        .iter()
        .any(|c| c == "now deferred (was immediate)"));
}

#[test]
fn actions_added_removed_and_source_target_changes() {
    let old = base()
        .action("Gone", 1, Some("Lib"), Some("Gone"))
        .action("Retarget", 1, Some("Lib"), Some("Old"))
        .seq(IE, "Gone", None, 4001)
        .seq(IE, "Retarget", None, 4002);
    let new = base()
        .binary("Other")
        .action("Fresh", 3073, Some("Lib"), Some("Fresh"))
        .action("Retarget", 1, Some("Other"), Some("New"))
        .seq(IE, "Fresh", None, 4001)
        .seq(IE, "Retarget", None, 4002);
    let diff = compare(&old, &new);
    let fresh = action(&diff, "Fresh");
    assert_eq!(fresh["change"], "added");
    assert!(fresh["summary"].as_str().unwrap().contains("deferred"));
    let placed = schedule(&diff, "Fresh", IE);
    assert_eq!(placed["change"], "added");
    assert_eq!(placed["new_position"], "4001");
    assert_eq!(strings(&placed["notes"]), ["inside the script window"]);
    assert_eq!(action(&diff, "Gone")["change"], "removed");
    assert_eq!(schedule(&diff, "Gone", IE)["change"], "removed");
    let retarget = action(&diff, "Retarget");
    assert_eq!(retarget["source"]["old"], "Lib");
    assert_eq!(retarget["source"]["new"], "Other");
    assert_eq!(retarget["target"]["new"], "New");
    // Added first, then removed, then changed.
    let order: Vec<&str> = diff["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["change"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["added", "removed", "changed"]);
}

#[test]
fn moves_say_what_they_cross() {
    let old = base()
        .action("Moved", 1025, Some("Lib"), Some("Moved"))
        .action(
            "SetDir",
            35,
            Some("INSTALLDIR"),
            Some("[ProgramFilesFolder]App"),
        )
        .action("Work", 1025, Some("Lib"), Some("Work"))
        .action("WorkRollback", 1281, Some("Lib"), Some("WorkRollback"))
        .seq(IE, "Moved", None, 4001)
        .seq(IE, "SetDir", None, 1001)
        .seq(IE, "WorkRollback", None, 4100)
        .seq(IE, "Work", None, 4101);
    let new = base()
        .action("Moved", 1025, Some("Lib"), Some("Moved"))
        .action(
            "SetDir",
            35,
            Some("INSTALLDIR"),
            Some("[ProgramFilesFolder]App"),
        )
        .action("Work", 1025, Some("Lib"), Some("Work"))
        .action("WorkRollback", 1281, Some("Lib"), Some("WorkRollback"))
        .seq(IE, "Moved", None, 6700)
        .seq(IE, "SetDir", None, 950)
        .seq(IE, "WorkRollback", None, 4102)
        .seq(IE, "Work", None, 4101);
    let diff = compare(&old, &new);
    let moved = schedule(&diff, "Moved", IE);
    assert_eq!(
        (
            moved["old_position"].as_str(),
            moved["new_position"].as_str()
        ),
        (Some("4001"), Some("6700"))
    );
    assert!(strings(&moved["notes"]).contains(
        &"now after InstallFinalize, outside the script window (was inside the script window)"
            .to_owned()
    ));
    assert!(strings(&schedule(&diff, "SetDir", IE)["notes"])
        .iter()
        .any(|n| n.starts_with("now runs before CostFinalize (was after)")));
    // Work did not move, but its rollback now runs after it.
    assert!(strings(&schedule(&diff, "Work", IE)["notes"])
        .contains(&"now runs before its rollback action WorkRollback (was after)".to_owned()));
    // Stay, while InstallFinalize moves in front: out of the window all the same.
    let old = base()
        .action("Stay", 1025, Some("Lib"), Some("Stay"))
        .seq(IE, "Stay", None, 6000);
    let new = MsiBuilder::new()
        .property("ProductCode", "{11111111-2222-3333-4444-555555555555}")
        .property("ProductVersion", "1.0.0")
        .binary("Lib")
        .seq(IE, "InstallInitialize", None, 1500)
        .seq(IE, "InstallFinalize", None, 5000)
        .action("Stay", 1025, Some("Lib"), Some("Stay"))
        .seq(IE, "Stay", None, 6000);
    let stay = compare(&old, &new);
    let row = schedule(&stay, "Stay", IE);
    assert_eq!(row["old_position"], row["new_position"]);
    assert!(strings(&row["notes"])
        .iter()
        .any(|n| n.starts_with("now after InstallFinalize")));
    assert!(strings(&schedule(&diff, "WorkRollback", IE)["notes"])
        .iter()
        .any(|n| n.contains("after the deferred action it belongs to, Work (was before)")));
}

#[test]
fn conditions_are_compared_by_meaning() {
    let old = base()
        .action("Same", 1, Some("Lib"), Some("Same"))
        .action("Narrowed", 1, Some("Lib"), Some("Narrowed"))
        .seq(IE, "Same", Some("NOT Installed AND NOT REMOVE"), 4001)
        .seq(IE, "Narrowed", Some("NOT Installed"), 4002);
    let new = base()
        .action("Same", 1, Some("Lib"), Some("Same"))
        .action("Narrowed", 1, Some("Lib"), Some("Narrowed"))
        .seq(IE, "Same", Some("(NOT REMOVE) AND (NOT Installed)"), 4001)
        .seq(IE, "Narrowed", Some("NOT Installed AND NOT PATCH"), 4002);
    let diff = compare(&old, &new);
    let same = &schedule(&diff, "Same", IE)["condition"];
    assert_eq!(same["verdict"], "equivalent");
    assert_eq!(same["words"], "condition rewritten, equivalent");
    let narrowed = &schedule(&diff, "Narrowed", IE)["condition"];
    assert_eq!(narrowed["verdict"], "changed");
    assert!(strings(&narrowed["properties"]).contains(&"PATCH".to_owned()));
    assert_eq!(narrowed["only_old"], "NOT Installed AND PATCH");
    assert!(narrowed.get("only_new").is_none(), "{narrowed:#}");
    assert!(narrowed["words"].as_str().unwrap().contains("PATCH"));
}

#[test]
fn custom_action_data_wiring_that_breaks_or_appears() {
    let deferred = |b: MsiBuilder| {
        b.action("DoThing", 1025, Some("Lib"), Some("DoThing"))
            .action("DoOther", 1025, Some("Lib"), Some("DoOther"))
            .seq(IE, "DoThing", None, 4001)
            .seq(IE, "DoOther", None, 4010)
    };
    let old = deferred(base())
        .action("SetDoThing", 51, Some("DoThing"), Some("[INSTALLDIR]"))
        .seq(IE, "SetDoThing", None, 3999);
    let new = deferred(base())
        .action("SetDoThing", 51, Some("DoThing"), Some("[INSTALLDIR]"))
        .action("SetDoOther", 51, Some("DoOther"), Some("[INSTALLDIR]"))
        .seq(IE, "SetDoThing", None, 4002)
        .seq(IE, "SetDoOther", None, 4009);
    let diff = compare(&old, &new);
    assert_eq!(
        strings(&action(&diff, "DoThing")["custom_action_data"]),
        ["CustomActionData wiring broke: SetDoThing now runs after the action"]
    );
    assert_eq!(
        strings(&action(&diff, "DoOther")["custom_action_data"]),
        ["CustomActionData now set by SetDoOther"]
    );
}

#[test]
fn tables_streams_and_package_facts() {
    let old = base()
        .property("OLDPROP", "x")
        .binary_data("Code", b"version 1")
        .binary_data("Big", b"small")
        .action("UsesCode", 1, Some("Code"), Some("Entry"))
        .seq(IE, "UsesCode", None, 4001);
    let new = MsiBuilder::new()
        .standard_execute()
        .property("ProductCode", "{11111111-2222-3333-4444-555555555555}")
        .property("ProductVersion", "1.0.1")
        .binary("Lib")
        .property("NEWPROP", "y")
        .binary_data("Code", b"version 2")
        .binary_data("Big", b"much larger data")
        .launch_condition("VersionNT >= 601", "Windows 7 or later")
        .action("UsesCode", 1, Some("Code"), Some("Entry"))
        .seq(IE, "UsesCode", None, 4001);
    let diff = compare(&old, &new);
    assert_eq!(diff["version"], 1);
    let property = table(&diff, "Property");
    assert_eq!(property["status"], "changed");
    assert_eq!(property["added"], serde_json::json!([["NEWPROP"]]));
    assert_eq!(property["removed"], serde_json::json!([["OLDPROP"]]));
    assert_eq!(
        property["changed"],
        serde_json::json!([{"key": ["ProductVersion"], "cells": [{"column": "Value", "old": "1.0.0", "new": "1.0.1"}]}])
    );
    let launch = table(&diff, "LaunchCondition");
    assert_eq!(launch["status"], "added");
    assert_eq!(launch["added"], serde_json::json!([["VersionNT >= 601"]]));
    assert_eq!(table(&diff, "CustomAction")["status"], "unchanged");
    let facts = diff["package"].as_array().unwrap();
    assert!(facts
        .iter()
        .any(|f| f["name"] == "ProductVersion" && f["old"] == "1.0.0" && f["new"] == "1.0.1"));
    let streams = diff["streams"].as_array().unwrap();
    let code = streams.iter().find(|s| s["name"] == "Binary.Code").unwrap();
    // Equal sizes: the data was hashed, and the hashes differ.
    assert_eq!(code["old_size"], 9);
    assert_ne!(code["old_sha256"], code["new_sha256"]);
    assert_eq!(code["old_sha256"].as_str().unwrap().len(), 64);
    let big = streams.iter().find(|s| s["name"] == "Binary.Big").unwrap();
    assert_eq!(
        (big["old_size"].clone(), big["new_size"].clone()),
        (5.into(), 16.into())
    );
    assert!(
        big.get("old_sha256").is_none(),
        "different sizes are not hashed"
    );
    assert!(action(&diff, "UsesCode")["code"]
        .as_str()
        .unwrap()
        .contains("Binary.Code"));
}

#[test]
fn the_same_package_twice_has_no_differences() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.msi",
        &base()
            .binary_data("Code", b"data")
            .action("X", 3073, Some("Code"), Some("X"))
            .seq(IE, "X", None, 4001),
    );
    let diff = diff_json(&[&a, &a]);
    assert!(diff["actions"].as_array().unwrap().is_empty());
    assert!(diff["streams"].as_array().unwrap().is_empty());
    assert!(diff["package"].as_array().unwrap().is_empty());
    assert!(diff["tables"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["status"] == "unchanged"));
    let run = common::run(["diff".as_ref(), a.as_os_str(), a.as_os_str()]);
    assert_eq!(run.status, ExitStatus::Success);
    assert!(run.out.contains("no differences"), "{}", run.out);
}

/// A package with an in-script action after InstallFinalize (MCA101).
fn broken() -> MsiBuilder {
    base()
        .action("Late", 1025, Some("Lib"), Some("Late"))
        .seq(IE, "Late", None, 6700)
}

fn clean() -> MsiBuilder {
    base()
        .action("Late", 1025, Some("Lib"), Some("Late"))
        .seq(IE, "Late", None, 4001)
}

#[test]
fn findings_are_matched_by_fingerprint() {
    let diff = compare(&clean(), &broken());
    let introduced = diff["findings"]["introduced"].as_array().unwrap();
    assert!(introduced
        .iter()
        .any(|f| f["code"] == "MCA101" && f["action"] == "Late"));
    assert!(diff["findings"]["resolved"].as_array().unwrap().is_empty());
    let back = compare(&broken(), &clean());
    assert!(back["findings"]["resolved"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "MCA101"));
    assert!(back["findings"]["introduced"]
        .as_array()
        .unwrap()
        .is_empty());
    // A package against itself: everything matches.
    let same = compare(&broken(), &broken());
    assert!(same["findings"]["introduced"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(same["findings"]["unchanged"].as_u64().unwrap() >= 1);
}

#[test]
fn fail_on_gates_on_introduced_findings() {
    let dir = tempfile::tempdir().unwrap();
    let clean = write(dir.path(), "clean.msi", &clean());
    let broken = write(dir.path(), "broken.msi", &broken());
    let status = |a: &Path, b: &Path, extra: &[&str]| {
        let mut argv: Vec<std::ffi::OsString> = vec![
            "diff".into(),
            a.as_os_str().to_owned(),
            b.as_os_str().to_owned(),
        ];
        argv.extend(extra.iter().map(|s| s.into()));
        common::run(argv).status
    };
    assert_eq!(status(&clean, &broken, &[]), ExitStatus::Success);
    assert_eq!(
        status(&clean, &broken, &["--fail-on", "error"]),
        ExitStatus::Failure
    );
    assert_eq!(
        status(&clean, &broken, &["--fail-on", "warning"]),
        ExitStatus::Failure
    );
    // Resolving findings never fails.
    assert_eq!(
        status(&broken, &clean, &["--fail-on", "info"]),
        ExitStatus::Success
    );
    // A finding both sides have is not introduced.
    assert_eq!(
        status(&broken, &broken, &["--fail-on", "info"]),
        ExitStatus::Success
    );
}

#[test]
fn what_a_transform_changes() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = write(
        dir.path(),
        "base.msi",
        &base()
            .action("Tweak", 1025, Some("Lib"), Some("Tweak"))
            .seq(IE, "Tweak", None, 4001),
    );
    let mst = TransformBuilder::new()
        .update("CustomAction", vec!["Tweak".into()], vec![(1, 3073.into())])
        .insert("Property", vec!["SITE".into(), "1".into()])
        .write_to(dir.path(), "site.mst");
    let mut argv: Vec<std::ffi::OsString> = vec!["diff".into(), pkg.as_os_str().to_owned()];
    argv.extend(["-t".into(), mst.as_os_str().to_owned()]);
    argv.extend(["--format".into(), "json".into()]);
    let run = common::run(argv);
    assert_eq!(run.status, ExitStatus::Success, "{}", run.err);
    let diff: Value = serde_json::from_str(&run.out).unwrap();
    assert_eq!(diff["old"]["transforms"], serde_json::json!([]));
    assert_eq!(
        strings(&diff["new"]["transforms"]),
        [mst.display().to_string()]
    );
    assert_eq!(action(&diff, "Tweak")["new_type"], 3073);
    assert_eq!(
        table(&diff, "Property")["added"],
        serde_json::json!([["SITE"]])
    );
    // The old side can take transforms too: the same one on both sides
    // leaves nothing to report.
    let run = common::run([
        "diff".as_ref(),
        pkg.as_os_str(),
        pkg.as_os_str(),
        "--old-transform".as_ref(),
        mst.as_os_str(),
        "-t".as_ref(),
        mst.as_os_str(),
    ]);
    assert!(run.out.contains("no differences"), "{}", run.out);
}

#[test]
fn unreadable_input_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.msi", &base());
    let missing = dir.path().join("missing.msi");
    let run = common::run(["diff".as_ref(), good.as_os_str(), missing.as_os_str()]);
    common::assert_clear_error(&run, &missing, "cannot");
    let text = dir.path().join("notes.msi");
    std::fs::write(&text, "not a database").unwrap();
    let run = common::run(["diff".as_ref(), text.as_os_str(), good.as_os_str()]);
    common::assert_clear_error(&run, &text, "not");
    assert!(run.out.is_empty());
}

#[test]
fn markdown_output() {
    let old = base()
        .property("OLDPROP", "x")
        .binary_data("Code", &PeBuilder::dll(Arch::X86).export("Run").build())
        .action("Elevate", 1025, Some("Code"), Some("Run"))
        .action("SetElevate", 51, Some("Elevate"), Some("[INSTALLDIR]"))
        .action("Gone", 1, Some("Lib"), Some("Gone"))
        .seq(IE, "SetElevate", None, 3999)
        .seq(IE, "Elevate", Some("NOT Installed"), 4001)
        .seq(IE, "Gone", None, 4002);
    let new = base()
        .property("NEWPROP", "y")
        .binary_data(
            "Code",
            &PeBuilder::dll(Arch::X86)
                .export("Run")
                .export("Stop")
                .build(),
        )
        .action("Elevate", 3073, Some("Code"), Some("Run"))
        .action("SetElevate", 51, Some("Elevate"), Some("[INSTALLDIR]"))
        .action("Fresh", 3137, Some("Lib"), Some("Fresh"))
        .seq(IE, "SetElevate", None, 3999)
        .seq(IE, "Elevate", Some("NOT Installed AND NOT PATCH"), 6700)
        .seq(IE, "Fresh", None, 4003);
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "old.msi", &old);
    let b = write(dir.path(), "new.msi", &new);
    let run = common::run([
        "diff".as_ref(),
        a.as_os_str(),
        b.as_os_str(),
        "--format".as_ref(),
        "markdown".as_ref(),
    ]);
    assert_eq!(run.status, ExitStatus::Success, "{}", run.err);
    let text = run.out.replace(&dir.path().display().to_string(), "<dir>");
    insta::assert_snapshot!("diff_markdown", text);
}

#[test]
fn a_table_one_side_cannot_read_is_reported_not_compared() {
    use std::io::Write as _;
    let good = base().action("X", 1, Some("Lib"), Some("X"));
    let mut cfb = cfb::CompoundFile::open(std::io::Cursor::new(good.bytes())).unwrap();
    let stream = msica::db::container::encode_stream_name("CustomAction", true);
    // 13 bytes do not divide into 8-byte CustomAction rows (a few bytes
    // of padding would be forgiven).
    cfb.create_stream(format!("/{stream}"))
        .unwrap()
        .write_all(&[1; 13])
        .unwrap();
    cfb.flush().unwrap();
    let damaged = cfb.into_inner().into_inner();
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "good.msi", &good);
    let b = dir.path().join("damaged.msi");
    std::fs::write(&b, damaged).unwrap();
    let diff = diff_json(&[&a, &b]);
    let actions = table(&diff, "CustomAction");
    assert_eq!(actions["status"], "unreadable");
    assert!(actions["problem"].as_str().unwrap().contains("damaged.msi"));
    assert!(actions["changed"].as_array().unwrap().is_empty());
    // Nothing is claimed about the actions the damaged side cannot show.
    assert!(
        diff["actions"].as_array().unwrap().is_empty(),
        "{:#}",
        diff["actions"]
    );
}

#[test]
fn the_configuration_levels_and_ignores_apply_to_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let clean = write(dir.path(), "clean.msi", &clean());
    let broken = write(dir.path(), "broken.msi", &broken());
    let config = dir.path().join("msica.toml");
    std::fs::write(&config, "[rules]\ndeferred-outside-script = \"allow\"\n").unwrap();
    let run = |extra: &[&std::ffi::OsStr]| {
        let mut argv: Vec<std::ffi::OsString> = vec![
            "diff".into(),
            clean.as_os_str().to_owned(),
            broken.as_os_str().to_owned(),
            "--fail-on".into(),
            "error".into(),
        ];
        argv.extend(extra.iter().map(|s| s.to_os_string()));
        common::run(argv)
    };
    assert_eq!(run(&[]).status, ExitStatus::Failure);
    let allowed = run(&["--config".as_ref(), config.as_os_str()]);
    assert_eq!(allowed.status, ExitStatus::Success, "{}", allowed.out);
    std::fs::write(
        &config,
        "[[ignore]]\nrule = \"MCA101\"\naction = \"Late\"\nreason = \"moved on purpose\"\n",
    )
    .unwrap();
    let ignored = run(&["--config".as_ref(), config.as_os_str()]);
    assert_eq!(ignored.status, ExitStatus::Success, "{}", ignored.out);
    std::fs::write(&config, "[rules]\nno-such-rule = \"allow\"\n").unwrap();
    let bad = run(&["--config".as_ref(), config.as_os_str()]);
    assert_eq!(bad.status, ExitStatus::Error);
    assert!(bad.err.contains("no-such-rule"), "{}", bad.err);
}

#[test]
fn scenario_changes_are_reported_in_words() {
    let package = |condition: &str| {
        MsiBuilder::new()
            .standard_execute()
            .binary("Bin")
            .action("Cleanup", 3073, Some("Bin"), Some("Cleanup"))
            .seq(IE, "Cleanup", Some(condition), 3000)
    };
    // From "on uninstall" to "whenever the product is installed".
    let diff = compare(
        &package("REMOVE~=\"ALL\""),
        &package("Installed AND NOT PURGE"),
    );
    let words = strings(&action(&diff, "Cleanup")["scenarios"]);
    assert!(
        words.contains(&"no longer always runs on upgrade-removal (depending on PURGE)".to_owned()),
        "{words:?}"
    );
    assert!(
        words.contains(&"now may run on repair (depending on PURGE)".to_owned()),
        "{words:?}"
    );
    assert!(
        words.contains(&"no longer always runs on uninstall (depending on PURGE)".to_owned()),
        "{words:?}"
    );
    assert!(
        !words.iter().any(|w| w.contains("install-silent")),
        "{words:?}"
    );
    // The same verdicts in other words: no scenario change.
    let same = compare(
        &package("REMOVE~=\"ALL\""),
        &package("REMOVE~=\"ALL\" AND Installed"),
    );
    assert!(
        action(&same, "Cleanup").get("scenarios").is_none(),
        "{same:#}"
    );
}
