//! Transforms applied to databases built in the test: every kind of change,
//! provenance in findings, embedded transforms, a transform on its own, and
//! damaged transforms.

mod common;

use common::run;
use msica::db::transform::{error_flags, ConflictKind};
use msica::model::load::{self, Input, TransformSpec};
use msica::model::Origin;
use msica::testing::{embed_transform, Cell, MsiBuilder, TransformBuilder};
use msica::ExitStatus;

const IE: &str = "InstallExecuteSequence";

/// A clean package: a deferred action with its rollback, inside the script window.
fn base() -> MsiBuilder {
    MsiBuilder::new()
        .standard_execute()
        .property("ProductCode", "{11111111-1111-1111-1111-111111111111}")
        .property("ProductVersion", "1.0.0")
        .binary("FooCA")
        .action("RollbackFoo", 3329, Some("FooCA"), Some("RollbackFoo"))
        .action("InstallFoo", 3073, Some("FooCA"), Some("InstallFoo"))
        .seq(IE, "RollbackFoo", Some("NOT Installed"), 4001)
        .seq(IE, "InstallFoo", Some("NOT Installed"), 4002)
}

fn write(dir: &std::path::Path, name: &str, bytes: Vec<u8>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

#[test]
fn adds_changes_and_deletes_custom_actions_and_sequence_rows() {
    let t = TransformBuilder::new()
        // A new action, scheduled; the rollback's condition changed; one row gone.
        .insert(
            "CustomAction",
            vec!["LogIt".into(), 1.into(), "FooCA".into(), "LogIt".into()],
        )
        .insert(IE, vec!["LogIt".into(), Cell::Null, 4003.into()])
        .update(IE, vec!["RollbackFoo".into()], vec![(1, "1".into())])
        .delete(IE, vec!["InstallFoo".into()]);
    let pkg = base().load_with(&[t]);
    let log = pkg.custom_action("LogIt").expect("the added action");
    assert_eq!(log.row.origin, Origin::Added("t1.mst".into()));
    let ie = pkg
        .sequence(msica::model::SequenceKind::InstallExecuteSequence)
        .unwrap();
    assert!(ie.row("InstallFoo").is_none());
    let rollback = ie.row("RollbackFoo").unwrap();
    assert_eq!(rollback.condition.as_deref(), Some("1"));
    assert_eq!(rollback.row.origin, Origin::Changed("t1.mst".into()));
    assert_eq!(
        pkg.custom_action("InstallFoo").unwrap().row.origin,
        Origin::Base
    );
    let applied = &pkg.transforms[0];
    assert_eq!(
        (
            applied.changes.inserted,
            applied.changes.updated,
            applied.changes.deleted
        ),
        (2, 1, 1)
    );
    assert!(applied.conflicts.is_empty());
}

#[test]
fn adds_a_table_and_a_column_and_a_stream() {
    let t = TransformBuilder::new()
        .add_table("MyTable", &[("Id", "s72*"), ("Count", "I2")])
        .add_column("Property", 3, "Note", "S64")
        .insert("MyTable", vec!["a".into(), 7.into()])
        .insert("Binary", vec!["NewCA".into(), Cell::Stream])
        .stream("Binary.NewCA", b"MZ fake dll");
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base.msi", base().property("A", "1").bytes());
    let mst = write(dir.path(), "t.mst", t.bytes());
    let r = run(["table", &base, "MyTable", "-t", &mst, "--format", "tsv"]);
    assert_eq!(r.status, ExitStatus::Success, "{}", r.err);
    assert_eq!(r.out, "Id\tCount\na\t7\n");
    let r = run(["table", &base, "Property", "-t", &mst, "--format", "tsv"]);
    assert!(r.out.starts_with("Property\tValue\tNote\n"), "{}", r.out);
    assert!(r.out.contains("A\t1\t\n"), "{}", r.out);
    let input = Input {
        path: base.into(),
        transforms: vec![TransformSpec::File(mst.into())],
        ..Input::default()
    };
    let db = load::open_database(&input).unwrap();
    assert_eq!(db.read_stream("Binary.NewCA").unwrap(), b"MZ fake dll");
    assert!(db.read_stream("Binary.Nothing").is_err());
    let applied = &db.transforms[0];
    assert_eq!(
        (applied.changes.tables_added, applied.changes.columns_added),
        (1, 1)
    );
}

#[test]
fn a_transform_codepage_decodes_its_own_strings() {
    let t = TransformBuilder::new()
        .codepage(1251)
        .insert("Property", vec!["Greeting".into(), "Привет".into()]);
    let pkg = base().property("A", "1").codepage(0).load_with(&[t]);
    assert_eq!(pkg.property("Greeting"), Some("Привет"));
    assert!(pkg.transforms[0].conflicts.is_empty());
}

#[test]
fn long_string_references_are_read() {
    let t = TransformBuilder::new().long_string_refs().update(
        "CustomAction",
        vec!["InstallFoo".into()],
        vec![(3, "Other".into())],
    );
    let pkg = base().load_with(&[t]);
    assert_eq!(
        pkg.custom_action("InstallFoo").unwrap().target.as_deref(),
        Some("Other")
    );
}

#[test]
fn each_error_condition_is_a_conflict_or_suppressed_by_its_flag() {
    use error_flags::*;
    let cases = [
        (
            TransformBuilder::new().insert("Property", vec!["A".into(), "2".into()]),
            ADD_EXISTING_ROW,
            ConflictKind::AddExistingRow,
        ),
        (
            TransformBuilder::new().delete("Property", vec!["Missing".into()]),
            DELETE_MISSING_ROW,
            ConflictKind::DeleteMissingRow,
        ),
        (
            TransformBuilder::new().update(
                "Property",
                vec!["Missing".into()],
                vec![(1, "x".into())],
            ),
            UPDATE_MISSING_ROW,
            ConflictKind::UpdateMissingRow,
        ),
        (
            TransformBuilder::new().add_table("Binary", &[("Name", "s72*"), ("Data", "v0")]),
            ADD_EXISTING_TABLE,
            ConflictKind::AddExistingTable,
        ),
        (
            TransformBuilder::new().drop_table("AppId"),
            DELETE_MISSING_TABLE,
            ConflictKind::DeleteMissingTable,
        ),
    ];
    let b = base().property("A", "1");
    for (t, flag, kind) in cases {
        let pkg = b.load_with(std::slice::from_ref(&t));
        let kinds: Vec<_> = pkg.transforms[0].conflicts.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [kind]);
        let pkg = b.load_with(&[t.ignore_errors(flag)]);
        assert!(pkg.transforms[0].conflicts.is_empty(), "{kind:?}");
        let suppressed: Vec<_> = pkg.transforms[0]
            .suppressed
            .iter()
            .map(|c| c.kind)
            .collect();
        assert_eq!(suppressed, [kind]);
        // A suppressed error ignores the record, except that an added row
        // that exists replaces it (as Wine's msi.dll does).
        let expected = if kind == ConflictKind::AddExistingRow {
            "2"
        } else {
            "1"
        };
        assert_eq!(pkg.property("A"), Some(expected));
        assert!(!pkg.properties.contains_key("Missing"));
    }
}

#[test]
fn transforms_apply_in_order() {
    let first = TransformBuilder::new().insert("Property", vec!["Site".into(), "one".into()]);
    let second =
        TransformBuilder::new().update("Property", vec!["Site".into()], vec![(1, "two".into())]);
    let pkg = base()
        .property("A", "1")
        .load_with(&[first.clone(), second.clone()]);
    assert_eq!(pkg.property("Site"), Some("two"));
    // The other way round the update finds no row.
    let pkg = base().property("A", "1").load_with(&[second, first]);
    assert_eq!(pkg.property("Site"), Some("one"));
    assert_eq!(
        pkg.transforms[0].conflicts[0].kind,
        ConflictKind::UpdateMissingRow
    );
}

#[test]
fn lint_finds_a_defect_only_the_transform_introduces_and_names_it() {
    // The transform moves the deferred action after InstallFinalize.
    let t = TransformBuilder::new().update(IE, vec!["InstallFoo".into()], vec![(2, 6700.into())]);
    let dir = tempfile::tempdir().unwrap();
    let base_path = write(dir.path(), "app.msi", base().bytes());
    let mst = write(dir.path(), "site.mst", t.bytes());
    let clean = run(["lint", "--no-config", &base_path]);
    assert_eq!(clean.status, ExitStatus::Success, "{}", clean.out);
    let r = run(["lint", "--no-config", &base_path, "-t", &mst]);
    assert_eq!(r.status, ExitStatus::Failure, "{}", r.out);
    assert!(r.out.contains("MCA101"), "{}", r.out);
    assert!(r.out.contains("changed by site.mst"), "{}", r.out);
    let json = run([
        "lint",
        "--no-config",
        "--format",
        "json",
        &base_path,
        "-t",
        &mst,
    ]);
    let doc: serde_json::Value = serde_json::from_str(&json.out).unwrap();
    let finding = &doc["files"][0]["findings"][0];
    assert_eq!(finding["code"], "MCA101");
    assert_eq!(finding["origin"], "changed by site.mst");
    let sarif = run([
        "lint",
        "--no-config",
        "--format",
        "sarif",
        &base_path,
        "-t",
        &mst,
    ]);
    assert!(
        sarif.out.contains("(row changed by site.mst)"),
        "{}",
        sarif.out
    );
}

#[test]
fn embedded_transforms_are_listed_and_applied() {
    let t = TransformBuilder::new().insert("Property", vec!["Lang".into(), "de".into()]);
    let bytes = embed_transform(&base().property("A", "1").bytes(), "1031", &t.bytes());
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "app.msi", bytes);
    let info = run(["info", &path]);
    assert!(
        info.out.contains("Embedded transforms  :1031"),
        "{}",
        info.out
    );
    let r = run(["table", &path, "Property", "-t", ":1031", "--format", "tsv"]);
    assert_eq!(r.status, ExitStatus::Success, "{}", r.err);
    assert!(r.out.contains("Lang\tde"), "{}", r.out);
    let missing = run(["table", &path, "Property", "-t", ":1036"]);
    assert_eq!(missing.status, ExitStatus::Error);
    assert!(
        missing
            .err
            .contains("no embedded transform `1036`: it embeds 1031"),
        "{}",
        missing.err
    );
}

#[test]
fn a_transform_on_its_own_shows_its_change_records() {
    let t = TransformBuilder::new()
        .insert(
            "CustomAction",
            vec!["LogIt".into(), 1.into(), "FooCA".into(), "LogIt".into()],
        )
        .update(
            "CustomAction",
            vec!["InstallFoo".into()],
            vec![(1, 3329.into())],
        )
        .delete("CustomAction", vec!["Old".into()]);
    let dir = tempfile::tempdir().unwrap();
    let mst = write(dir.path(), "site.mst", t.bytes());
    let r = run(["table", &mst, "CustomAction", "--format", "tsv"]);
    assert_eq!(r.status, ExitStatus::Success, "{}", r.err);
    assert_eq!(
        r.out,
        "Change\tAction\tType\tSource\tTarget\tExtendedType\n\
         insert\tLogIt\t1\tFooCA\tLogIt\t\n\
         update\tInstallFoo\t3329\t\t\t\n\
         delete\tOld\t\t\t\t\n"
    );
    let tables = run(["tables", &mst]);
    assert!(
        tables.out.contains("CustomAction  +1 ~1 -1"),
        "{}",
        tables.out
    );
    let idt = run(["table", &mst, "CustomAction", "--format", "idt"]);
    assert_eq!(idt.status, ExitStatus::Error);
}

#[test]
fn the_transformed_table_marks_changed_rows() {
    let t = TransformBuilder::new()
        .insert("Property", vec!["B".into(), "2".into()])
        .update("Property", vec!["A".into()], vec![(1, "changed".into())])
        .delete("Property", vec!["C".into()]);
    let dir = tempfile::tempdir().unwrap();
    let base_path = write(
        dir.path(),
        "app.msi",
        base().property("A", "1").property("C", "3").bytes(),
    );
    let mst = write(dir.path(), "t.mst", t.bytes());
    let r = run(["table", &base_path, "Property", "-t", &mst]);
    let lines: Vec<&str> = r.out.lines().map(str::trim).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("~ Value") && l.contains("changed")),
        "{}",
        r.out
    );
    assert!(
        lines.iter().any(|l| l.starts_with("+") && l.contains("B")),
        "{}",
        r.out
    );
    assert!(
        lines.iter().any(|l| l.starts_with("-") && l.contains("C")),
        "{}",
        r.out
    );
    let json: serde_json::Value = serde_json::from_str(
        &run([
            "table", &base_path, "Property", "-t", &mst, "--format", "json",
        ])
        .out,
    )
    .unwrap();
    assert_eq!(json["deleted"][0][0], "C");
    assert!(json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["change"] == "added"));
}

#[test]
fn damaged_transforms_end_in_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let base_path = write(dir.path(), "app.msi", base().property("A", "1").bytes());
    let good = TransformBuilder::new()
        .insert("Property", vec!["B".into(), "2".into()])
        .bytes();
    // Cut anywhere: never a panic; an error naming the transform, or a
    // transform whose unreadable records are reported.
    for cut in (0..good.len()).step_by(97).chain([good.len() - 1]) {
        let mst = write(dir.path(), "cut.mst", good[..cut].to_vec());
        for args in [
            vec!["lint", "--no-config", &base_path, "-t", &mst],
            vec!["table", &base_path, "Property", "-t", &mst],
            vec!["tables", &mst],
            vec!["info", &mst],
        ] {
            let r = run(&args);
            assert!(!r.err.contains("panicked"), "{args:?}: {}", r.err);
            if r.status == ExitStatus::Error {
                assert!(
                    r.err.contains("cut.mst") || r.out.contains("cut.mst"),
                    "{args:?}: {}",
                    r.err
                );
            }
        }
    }
    // A database given as a transform.
    let r = run(["lint", "--no-config", &base_path, "-t", &base_path]);
    assert_eq!(r.status, ExitStatus::Error);
    assert!(
        r.out.contains("not a transform") || r.err.contains("not a transform"),
        "{}{}",
        r.out,
        r.err
    );
}

/// The JSON of `tables`, `table` and `info` with transforms and of a
/// transform on its own matches the schemas.
#[test]
fn transform_json_matches_the_schemas() {
    let schema = |name: &str| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schemas")
            .join(name);
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        jsonschema::validator_for(&value).unwrap()
    };
    let t = TransformBuilder::new()
        .insert("Property", vec!["B".into(), "2".into()])
        .update("Property", vec!["A".into()], vec![(1, "x".into())])
        .delete("Property", vec!["C".into()])
        .add_table("MyTable", &[("Id", "s72*")]);
    let dir = tempfile::tempdir().unwrap();
    let base = write(
        dir.path(),
        "app.msi",
        base().property("A", "1").property("C", "3").bytes(),
    );
    let mst = write(dir.path(), "t.mst", t.bytes());
    let cases: [(&str, Vec<&str>); 6] = [
        (
            "table.schema.json",
            vec!["table", &base, "Property", "-t", &mst],
        ),
        ("table.schema.json", vec!["table", &mst, "Property"]),
        ("tables.schema.json", vec!["tables", &base, "-t", &mst]),
        ("tables.schema.json", vec!["tables", &mst]),
        ("info.schema.json", vec!["info", &base, "-t", &mst]),
        ("info.schema.json", vec!["info", &mst]),
    ];
    for (name, mut args) in cases {
        args.extend(["--format", "json"]);
        let r = run(&args);
        assert_eq!(r.status, ExitStatus::Success, "{args:?}: {}", r.err);
        let value: serde_json::Value = serde_json::from_str(&r.out).unwrap();
        let validator = schema(name);
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{args:?} does not match {name}: {errors:#?}\n{}",
            r.out
        );
    }
}

/// `msica.toml` names the transforms a CI gate applies to a package.
#[test]
fn the_configuration_names_the_transforms_of_a_package() {
    let t = TransformBuilder::new().update(IE, vec!["InstallFoo".into()], vec![(2, 6700.into())]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("dist")).unwrap();
    let app = write(&dir.path().join("dist"), "app.msi", base().bytes());
    let other = write(&dir.path().join("dist"), "other.msi", base().bytes());
    write(dir.path(), "site.mst", t.bytes());
    let config = dir.path().join("msica.toml");
    std::fs::write(
        &config,
        "[[transforms]]\npackage = \"dist/app.msi\"\napply = [\"site.mst\"]\n",
    )
    .unwrap();
    let config = config.display().to_string();
    let r = run([
        "lint", "--config", &config, "--format", "json", &app, &other,
    ]);
    let doc: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    let codes = |i: usize| -> Vec<String> {
        doc["files"][i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{} {}", f["code"], f["origin"]))
            .collect()
    };
    assert_eq!(codes(0), [r#""MCA101" "changed by site.mst""#]);
    assert!(codes(1).is_empty(), "the other package has no transform");
    // An entry without transforms is a configuration error.
    std::fs::write(
        &config,
        "[[transforms]]\npackage = \"dist/app.msi\"\napply = []\n",
    )
    .unwrap();
    let r = run(["lint", "--config", &config, &app]);
    assert_eq!(r.status, ExitStatus::Error);
    assert!(
        r.err.contains("needs a package and at least one transform"),
        "{}",
        r.err
    );
}
