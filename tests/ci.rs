//! The CI gate: JSON schemas, SARIF, GitHub annotations, configuration,
//! baselines and many-file runs, through the command line.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Parser;
use msica::render::Style;
use msica::testing::MsiBuilder;
use serde_json::Value;

const IE: &str = "InstallExecuteSequence";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs msica in process: (exit code, stdout, stderr).
fn msica<I: AsRef<std::ffi::OsStr>>(args: impl IntoIterator<Item = I>) -> (i32, String, String) {
    let mut argv: Vec<std::ffi::OsString> = vec!["msica".into()];
    argv.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
    let cli = msica::cli::Cli::try_parse_from(argv).expect("arguments parse");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = msica::run_with(cli, Style::plain(), &mut out, &mut err);
    (
        status as i32,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// Runs the msica binary in `dir`: (exit code, stdout, stderr).
fn msica_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_msica"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("msica runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

// ---------------------------------------------------------------------- //
// schemas

fn validator(name: &str) -> jsonschema::Validator {
    let path = root().join("schemas").join(name);
    let schema =
        json(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
    jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"))
}

#[track_caller]
fn assert_valid(schema: &jsonschema::Validator, name: &str, what: &str, value: &Value) {
    let errors: Vec<String> = schema
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match {name}:\n{}",
        errors.join("\n")
    );
}

fn samples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "msi"))
        .collect();
    files.sort();
    assert!(files.len() > 10, "the samples are there");
    files
}

#[test]
fn lint_json_matches_the_report_schema() {
    let schema = validator("report.schema.json");
    let (code, out, _) = msica(["lint", "--no-config", "--format", "json", "samples"]);
    assert_eq!(code, 1, "the samples have error-level findings");
    let report = json(&out);
    assert_valid(&schema, "report.schema.json", "lint samples", &report);
    assert_eq!(report["files"].as_array().unwrap().len(), samples().len());
    assert!(report["summary"]["errors"].as_u64().unwrap() > 0);
    for sample in samples() {
        let (_, out, _) = msica([
            "lint".as_ref(),
            "--no-config".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            sample.as_os_str(),
        ]);
        assert_valid(
            &schema,
            "report.schema.json",
            &sample.display().to_string(),
            &json(&out),
        );
    }
}

#[test]
fn lint_json_with_config_findings_and_unreadable_files_matches_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = fixture().write_to(dir.path(), "foo.msi");
    std::fs::write(dir.path().join("broken.msi"), b"not a database").unwrap();
    let config = write_config(
        dir.path(),
        "[[ignore]]\nrule = \"MCA104\"\naction = \"Gone\"\nreason = \"was removed\"\n",
    );
    let (code, out, _) = msica([
        "lint".as_ref(),
        "--config".as_ref(),
        config.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        pkg.as_os_str(),
        dir.path().join("broken.msi").as_os_str(),
    ]);
    assert_eq!(code, 2, "an unreadable file");
    let report = json(&out);
    assert_valid(
        &validator("report.schema.json"),
        "report.schema.json",
        "lint with config",
        &report,
    );
    assert_eq!(report["config"]["findings"][0]["code"], "MCA001");
    assert_eq!(report["config"]["findings"][0]["line"], 1);
    assert!(report["files"][1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not a Windows Installer database"));
}

/// The corpus holds transforms, ICE databases and merge modules, whose JSON
/// takes the less common shapes (notes, no sequence table).
#[test]
fn corpus_inspection_json_matches_the_schemas() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/msi");
    if !dir.is_dir() {
        eprintln!("!!! corpus folder missing: corpus schema check SKIPPED !!!");
        return;
    }
    let checks = [
        ("actions", "actions.schema.json"),
        ("sequence", "sequence.schema.json"),
        ("info", "info.schema.json"),
        ("scenarios", "scenarios.schema.json"),
    ];
    let validators: Vec<_> = checks.iter().map(|(_, schema)| validator(schema)).collect();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in &files {
        let f = file.to_str().unwrap();
        for ((command, schema), validator) in checks.iter().zip(&validators) {
            let (code, out, _) = msica([*command, f, "--format", "json"]);
            if code == 2 {
                continue; // unreadable file: an error message, not a document
            }
            assert_valid(validator, schema, f, &json(&out));
        }
    }
}

#[test]
fn inspection_json_matches_the_schemas() {
    let (actions, sequence, tables, table, info) = (
        validator("actions.schema.json"),
        validator("sequence.schema.json"),
        validator("tables.schema.json"),
        validator("table.schema.json"),
        validator("info.schema.json"),
    );
    let scenarios = validator("scenarios.schema.json");
    for sample in samples() {
        let s = sample.to_str().unwrap();
        let run = |args: &[&str]| {
            let (code, out, err) = msica(args.iter().copied());
            assert_eq!(code, 0, "{args:?}: {err}");
            json(&out)
        };
        assert_valid(
            &actions,
            "actions.schema.json",
            s,
            &run(&["actions", s, "--format", "json"]),
        );
        assert_valid(
            &sequence,
            "sequence.schema.json",
            s,
            &run(&["sequence", s, "--format", "json"]),
        );
        assert_valid(
            &sequence,
            "sequence.schema.json",
            s,
            &run(&["sequence", s, "InstallUISequence", "--format", "json"]),
        );
        assert_valid(
            &info,
            "info.schema.json",
            s,
            &run(&["info", s, "--format", "json"]),
        );
        for args in [
            &["scenarios", s, "--format", "json"][..],
            &[
                "scenarios",
                s,
                "--scenario",
                "uninstall",
                "--format",
                "json",
            ],
        ] {
            assert_valid(&scenarios, "scenarios.schema.json", s, &run(args));
        }
        let list = run(&["tables", s, "--format", "json"]);
        assert_valid(&tables, "tables.schema.json", s, &list);
        for t in list.as_array().unwrap() {
            let name = t["name"].as_str().unwrap();
            assert_valid(
                &table,
                "table.schema.json",
                &format!("{s} {name}"),
                &run(&["table", s, name, "--format", "json"]),
            );
        }
    }
}

#[test]
fn rules_and_explain_json_match_the_schema() {
    let schema = validator("rules.schema.json");
    let (code, out, _) = msica(["rules", "--format", "json"]);
    assert_eq!(code, 0);
    let rules = json(&out);
    assert_valid(&schema, "rules.schema.json", "rules", &rules);
    assert_eq!(rules.as_array().unwrap().len(), msica::rules::RULES.len());
    for rule in msica::rules::RULES {
        let (code, out, _) = msica(["explain", rule.meta().code, "--format", "json"]);
        assert_eq!(code, 0);
        assert_valid(&schema, "rules.schema.json", rule.meta().code, &json(&out));
    }
}

#[test]
fn the_schemas_are_strict() {
    let schema = validator("report.schema.json");
    let (_, out, _) = msica([
        "lint",
        "--no-config",
        "--format",
        "json",
        "samples/MCA104-missing-rollback.msi",
    ]);
    let good = json(&out);
    assert_valid(&schema, "report.schema.json", "original", &good);
    let mut extra = good.clone();
    extra["files"][0]["findings"][0]["surprise"] = Value::Bool(true);
    assert!(
        !schema.is_valid(&extra),
        "an unknown finding field is drift"
    );
    let mut missing = good.clone();
    missing["files"][0]["findings"][0]
        .as_object_mut()
        .unwrap()
        .remove("table");
    assert!(!schema.is_valid(&missing), "a missing field is drift");
    let mut wrong = good.clone();
    wrong["files"][0]["findings"][0]["severity"] = "fatal".into();
    assert!(!schema.is_valid(&wrong), "an unknown severity is drift");
    let mut top = good;
    top["extra"] = Value::Null;
    assert!(!schema.is_valid(&top));
}

// ---------------------------------------------------------------------- //
// fixtures

/// "Foo Product": `EarlyFoo` is deferred before InstallInitialize (MCA101
/// error, and MCA104 warning: no rollback); `InstallFoo` is deferred inside
/// the script with no rollback, and a standard action after it can fail
/// (MCA104 warning).
fn fixture() -> MsiBuilder {
    MsiBuilder::new()
        .standard_execute()
        .property("ProductName", "Foo Product")
        .property("ProductCode", "{11111111-2222-3333-4444-555555555555}")
        .binary("FooCA")
        .action("EarlyFoo", 3073, Some("FooCA"), Some("Early"))
        .action("InstallFoo", 3073, Some("FooCA"), Some("Install"))
        .seq(IE, "EarlyFoo", None, 1401)
        .seq(IE, "InstallFoo", None, 4001)
        .seq(IE, "RegisterProduct", None, 6100)
}

fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("msica.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap())
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["action"].as_str().unwrap_or("").to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn lint_json(args: &[&std::ffi::OsStr]) -> (i32, Value) {
    let mut all: Vec<&std::ffi::OsStr> =
        vec!["lint".as_ref(), "--format".as_ref(), "json".as_ref()];
    all.extend(args);
    let (code, out, err) = msica(all);
    assert!(!out.is_empty(), "no output; stderr: {err}");
    (code, json(&out))
}

fn triple(code: &str, action: &str, severity: &str) -> (String, String, String) {
    (code.into(), action.into(), severity.into())
}

// ---------------------------------------------------------------------- //
// configuration

#[test]
fn a_per_action_ignore_and_a_changed_severity_change_findings_and_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = fixture().write_to(dir.path(), "foo.msi");
    let none = std::ffi::OsStr::new("--no-config");

    let (code, report) = lint_json(&[none, pkg.as_os_str()]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        [
            triple("MCA101", "EarlyFoo", "error"),
            triple("MCA104", "EarlyFoo", "warning"),
            triple("MCA104", "InstallFoo", "warning")
        ]
    );

    // MCA101 down to a warning, and InstallFoo's missing rollback accepted.
    let config = write_config(
        dir.path(),
        "[rules]\ndeferred-outside-script = \"warning\"\n\n[[ignore]]\nrule = \"missing-rollback\"\naction = \"InstallFoo\"\npackage = \"Foo Product\"\nreason = \"FooCA undoes its own changes\"\n",
    );
    let flag = std::ffi::OsStr::new("--config");
    let (code, report) = lint_json(&[flag, config.as_os_str(), pkg.as_os_str()]);
    assert_eq!(code, 0, "no error-level finding is left");
    assert_eq!(
        findings(&report),
        [
            triple("MCA101", "EarlyFoo", "warning"),
            triple("MCA104", "EarlyFoo", "warning")
        ]
    );
    assert_eq!(report["summary"]["ignored"], 1);
    assert_eq!(
        report["config"]["findings"].as_array().unwrap().len(),
        0,
        "the ignore was used"
    );

    // Command-line flags override the file.
    let deny = std::ffi::OsStr::new("--deny");
    let (code, report) = lint_json(&[
        flag,
        config.as_os_str(),
        deny,
        "MCA101".as_ref(),
        pkg.as_os_str(),
    ]);
    assert_eq!(code, 1);
    assert_eq!(findings(&report)[0], triple("MCA101", "EarlyFoo", "error"));
    let (code, _) = lint_json(&[
        flag,
        config.as_os_str(),
        deny,
        "warnings".as_ref(),
        pkg.as_os_str(),
    ]);
    assert_eq!(code, 1, "--deny warnings makes the remaining warnings fail");
    let allow = std::ffi::OsStr::new("--allow");
    let (code, report) = lint_json(&[
        flag,
        config.as_os_str(),
        allow,
        "MCA104".as_ref(),
        pkg.as_os_str(),
    ]);
    assert_eq!(code, 0);
    assert_eq!(findings(&report), [triple("MCA101", "EarlyFoo", "warning")]);

    // An ignore for another package hides nothing here and is not stale here.
    let config = write_config(
        dir.path(),
        "[[ignore]]\nrule = \"MCA101\"\naction = \"EarlyFoo\"\npackage = \"Bar Product\"\nreason = \"r\"\n",
    );
    let (code, report) = lint_json(&[flag, config.as_os_str(), pkg.as_os_str()]);
    assert_eq!(code, 1);
    assert_eq!(findings(&report).len(), 3);
    assert_eq!(report["config"]["findings"].as_array().unwrap().len(), 0);
    // ... but the same ignore by file name or product code applies.
    for package in ["foo.msi", "{11111111-2222-3333-4444-555555555555}"] {
        let config = write_config(
            dir.path(),
            &format!("[[ignore]]\nrule = \"MCA101\"\naction = \"EarlyFoo\"\npackage = \"{package}\"\nreason = \"r\"\n"),
        );
        let (code, report) = lint_json(&[flag, config.as_os_str(), pkg.as_os_str()]);
        assert_eq!(code, 0, "{package}");
        assert_eq!(findings(&report).len(), 2, "{package}");
    }
}

#[test]
fn a_stale_ignore_is_reported_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    fixture().write_to(dir.path(), "foo.msi");
    write_config(
        dir.path(),
        "[rules]\nMCA101 = \"warning\"\n\n[[ignore]]\nrule = \"MCA104\"\naction = \"RenamedLongAgo\"\nreason = \"was fine\"\n",
    );
    let base = ["lint", "foo.msi", "--format"];
    let run = |format: &str, extra: &[&str]| {
        let mut args = base.to_vec();
        args.push(format);
        args.extend(extra);
        msica_in(dir.path(), &args)
    };

    let (code, out, _) = run("human", &[]);
    assert_eq!(code, 0, "a stale ignore is a warning:\n{out}");
    assert!(out.contains("MCA001(unused-ignore)"), "{out}");
    assert!(
        out.contains("the ignore of MCA104 for `RenamedLongAgo` matched no finding"),
        "{out}"
    );
    assert!(
        out.contains("msica.toml:4:1"),
        "points at the entry:\n{out}"
    );
    assert!(out.contains("4 warnings"), "{out}");

    let (code, out, _) = run("json", &[]);
    assert_eq!(code, 0);
    let report = json(&out);
    assert!(report["config"]["path"]
        .as_str()
        .unwrap()
        .ends_with("msica.toml"));
    assert_eq!(report["config"]["findings"][0]["code"], "MCA001");
    assert_eq!(report["config"]["findings"][0]["line"], 4);
    assert_eq!(report["summary"]["warnings"], 4);

    let (code, out, _) = run("sarif", &[]);
    assert_eq!(code, 0);
    let sarif = json(&out);
    let stale: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "MCA001")
        .collect();
    assert_eq!(stale.len(), 1);
    let loc = &stale[0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "msica.toml");
    assert_eq!(loc["region"]["startLine"], 4);

    let (code, out, _) = run("github", &[]);
    assert_eq!(code, 0);
    assert!(
        out.lines().any(|l| l.starts_with("::warning file=msica.toml,line=4,title=MCA001 unused-ignore::")),
        "{out}"
    );

    let (code, _, _) = run("json", &["--deny", "warnings"]);
    assert_eq!(code, 1, "--deny warnings fails on it");
    let (code, out, _) = run("json", &["--allow", "unused-ignore"]);
    assert_eq!(code, 0);
    assert_eq!(
        json(&out)["config"]["findings"].as_array().unwrap().len(),
        0
    );
}

#[test]
fn the_config_file_is_found_by_walking_up() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("build/out");
    std::fs::create_dir_all(&nested).unwrap();
    fixture().write_to(&nested, "foo.msi");
    let (code, _, _) = msica_in(&nested, &["lint", "foo.msi"]);
    assert_eq!(code, 1);
    write_config(dir.path(), "[rules]\nMCA101 = \"warning\"\n");
    let (code, out, err) = msica_in(&nested, &["lint", "foo.msi"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, _) = msica_in(&nested, &["lint", "--no-config", "foo.msi"]);
    assert_eq!(code, 1);
}

#[test]
fn a_bad_config_is_an_exit_2_error_that_points_at_the_line() {
    let dir = tempfile::tempdir().unwrap();
    fixture().write_to(dir.path(), "foo.msi");
    let cases = [
        (
            "[rules]\nMCA101 = \"warning\"\nno-such-rule = \"error\"\n",
            "unknown rule `no-such-rule`",
            "msica.toml:3:1",
        ),
        (
            "[rules]\nMCA101 = \"loud\"\n",
            "`loud` is not a level",
            "msica.toml:2:10",
        ),
        (
            "[rules]\nMCA101 = \"error\"\n[[ignore]]\nrule = \"MCA101\"\naction = \"A\"\n",
            "missing field `reason`",
            "msica.toml:3:1",
        ),
        (
            "[output]\nformat = \"json\"\n",
            "unknown field `output`",
            "msica.toml:1:",
        ),
    ];
    for (text, message, line) in cases {
        write_config(dir.path(), text);
        let (code, out, err) = msica_in(dir.path(), &["lint", "foo.msi"]);
        assert_eq!(code, 2, "{text}");
        assert!(out.is_empty());
        assert!(err.contains(message), "{text}:\n{err}");
        assert!(err.contains(line), "{text}:\n{err}");
    }
    let (code, _, err) = msica_in(dir.path(), &["lint", "--config", "missing.toml", "foo.msi"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read the configuration file"), "{err}");
}

// ---------------------------------------------------------------------- //
// baselines

#[test]
fn a_baseline_written_today_hides_todays_findings_and_reports_an_added_defect() {
    let dir = tempfile::tempdir().unwrap();
    let today = fixture().write_to(dir.path(), "foo-1.0.msi");
    let baseline = dir.path().join("msica-baseline.json");
    let none = std::ffi::OsStr::new("--no-config");

    let (code, report) = lint_json(&[
        none,
        "--write-baseline".as_ref(),
        baseline.as_os_str(),
        today.as_os_str(),
    ]);
    assert_eq!(code, 0, "the findings written to the baseline are accepted");
    assert_eq!(report["summary"]["baselined"], 3);
    assert_eq!(findings(&report).len(), 0);
    let written = json(&std::fs::read_to_string(&baseline).unwrap());
    assert_valid(
        &validator("baseline.schema.json"),
        "baseline.schema.json",
        "the baseline",
        &written,
    );
    assert_eq!(written["findings"].as_array().unwrap().len(), 3);
    assert!(written["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["package"] == "Foo Product"));
    assert!(
        !std::fs::read_to_string(&baseline)
            .unwrap()
            .contains("foo-1.0"),
        "paths are not part of the key"
    );

    let flag = std::ffi::OsStr::new("--baseline");
    let (code, report) = lint_json(&[none, flag, baseline.as_os_str(), today.as_os_str()]);
    assert_eq!(code, 0);
    assert_eq!(findings(&report).len(), 0);
    assert_eq!(report["summary"]["baselined"], 3);

    // Tomorrow's build: a new product code, renumbered sequences, another
    // file name, and one new defect.
    let tomorrow = MsiBuilder::new()
        .standard_execute()
        .property("ProductName", "Foo Product")
        .property("ProductCode", "{99999999-2222-3333-4444-555555555555}")
        .binary("FooCA")
        .action("EarlyFoo", 3073, Some("FooCA"), Some("Early"))
        .action("InstallFoo", 3073, Some("FooCA"), Some("Install"))
        .action("InstallFooRollback", 3329, Some("FooCA"), Some("Install"))
        .action("LateFoo", 1025, Some("FooCA"), Some("Late"))
        .seq(IE, "EarlyFoo", None, 1402)
        .seq(IE, "InstallFooRollback", None, 4100)
        .seq(IE, "InstallFoo", None, 4101)
        .seq(IE, "LateFoo", None, 6700)
        .write_to(dir.path(), "foo-1.1.msi");
    let (code, report) = lint_json(&[none, flag, baseline.as_os_str(), tomorrow.as_os_str()]);
    assert_eq!(code, 1, "the new defect fails the build");
    assert_eq!(
        findings(&report),
        [
            triple("MCA101", "LateFoo", "error"),
            triple("MCA104", "LateFoo", "warning")
        ]
    );
    assert_eq!(
        report["summary"]["baselined"], 2,
        "InstallFoo got its rollback, so its entry hides nothing"
    );

    // The human summary counts what the baseline hid.
    let (_, out, _) = msica([
        "lint".as_ref(),
        "--no-config".as_ref(),
        "--baseline".as_ref(),
        baseline.as_os_str(),
        tomorrow.as_os_str(),
    ]);
    assert!(
        out.contains("1 error, 1 warning, 0 infos; 2 hidden by the baseline"),
        "{out}"
    );

    // A broken baseline is an exit-2 error.
    std::fs::write(&baseline, "{\"version\": 1}").unwrap();
    let (code, _, err) = msica([
        "lint".as_ref(),
        "--baseline".as_ref(),
        baseline.as_os_str(),
        today.as_os_str(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("not a msica baseline"), "{err}");
}

// ---------------------------------------------------------------------- //
// SARIF and GitHub

#[test]
fn sarif_describes_every_rule_and_points_at_the_package() {
    let (code, out, _) = msica(["lint", "--no-config", "--format", "sarif", "samples"]);
    assert_eq!(code, 1);
    let sarif = json(&out);
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif"));
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "msica");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), msica::rules::RULES.len());
    for (rule, meta) in rules
        .iter()
        .zip(msica::rules::RULES.iter().map(|r| r.meta()))
    {
        assert_eq!(rule["id"], meta.code);
        assert_eq!(rule["name"], meta.name);
        assert!(rule["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .starts_with(meta.summary));
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
        assert!(rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## What it does"));
        assert_eq!(
            rule["defaultConfiguration"]["level"],
            msica::report::sarif::level(meta.severity)
        );
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        let physical = &result["locations"][0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("samples/") && uri.ends_with(".msi"),
            "{uri}"
        );
        assert_eq!(physical["region"]["startLine"], 1);
        let logical = &result["locations"][0]["logicalLocations"][0];
        assert!(logical["fullyQualifiedName"]
            .as_str()
            .unwrap()
            .contains('/'));
        let print = result["partialFingerprints"][msica::report::sarif::FINGERPRINT_KEY]
            .as_str()
            .unwrap();
        assert_eq!(print.len(), 16);
    }
    // Every sample with a defect shows up under its own name.
    let mca101 = results
        .iter()
        .find(|r| r["ruleId"] == "MCA101")
        .expect("MCA101 sample");
    assert_eq!(
        mca101["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "samples/MCA101-deferred-outside-script.msi"
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn sarif_fingerprints_survive_a_rebuild_that_moves_and_renumbers() {
    let dir = tempfile::tempdir().unwrap();
    let one = fixture().write_to(dir.path(), "a.msi");
    std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
    let two = MsiBuilder::new()
        .standard_execute()
        .property("ProductName", "Foo Product")
        .binary("FooCA")
        .action("EarlyFoo", 3073, Some("FooCA"), Some("Early"))
        .action("InstallFoo", 3073, Some("FooCA"), Some("Install"))
        .seq(IE, "EarlyFoo", None, 1450)
        .seq(IE, "InstallFoo", None, 5000)
        .seq(IE, "RegisterProduct", None, 6100)
        .write_to(&dir.path().join("elsewhere"), "b.msi");
    let prints = |path: &Path| -> Vec<String> {
        let (_, out, _) = msica([
            "lint".as_ref(),
            "--no-config".as_ref(),
            "--format".as_ref(),
            "sarif".as_ref(),
            path.as_os_str(),
        ]);
        json(&out)["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"][msica::report::sarif::FINGERPRINT_KEY]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let (a, b) = (prints(&one), prints(&two));
    assert_eq!(a.len(), 3);
    assert_eq!(a, b);
    let mut unique = a.clone();
    unique.dedup();
    assert_eq!(unique.len(), 3, "each finding has its own fingerprint");
}

#[test]
fn sarif_reports_unreadable_files_as_notifications() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad file.msi");
    std::fs::write(&bad, b"nope").unwrap();
    let (code, out, _) = msica([
        "lint".as_ref(),
        "--no-config".as_ref(),
        "--format".as_ref(),
        "sarif".as_ref(),
        bad.as_os_str(),
    ]);
    assert_eq!(code, 2);
    let sarif = json(&out);
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    let uri = note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        uri.starts_with("file:///") && uri.ends_with("/bad%20file.msi"),
        "{uri}"
    );
}

#[test]
fn github_format_is_one_escaped_command_per_finding() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = fixture().write_to(dir.path(), "a,b:c%.msi");
    let (code, out, err) = msica([
        "lint".as_ref(),
        "--no-config".as_ref(),
        "--format".as_ref(),
        "github".as_ref(),
        pkg.as_os_str(),
    ]);
    assert_eq!(code, 1);
    assert!(err.is_empty(), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    let file = msica::report::github::escape_property(pkg.to_str().unwrap());
    assert!(file.ends_with("a%2Cb%3Ac%25.msi"), "{file}");
    assert_eq!(
        lines[0].split("::").take(2).collect::<Vec<_>>(),
        [
            "",
            &format!("error file={file},title=MCA101 deferred-outside-script")
        ]
    );
    assert!(
        lines[1].starts_with(&format!(
            "::warning file={file},title=MCA104 missing-rollback::"
        )),
        "{}",
        lines[1]
    );
    assert!(
        lines[0].contains("%0Ahelp: "),
        "the help follows on a new line: {}",
        lines[0]
    );
    // Infos are notices.
    let config = write_config(dir.path(), "[rules]\nmissing-rollback = \"info\"\n");
    let (_, out, _) = msica([
        "lint".as_ref(),
        "--config".as_ref(),
        config.as_os_str(),
        "--format".as_ref(),
        "github".as_ref(),
        pkg.as_os_str(),
    ]);
    assert!(
        out.lines().nth(1).unwrap().starts_with("::notice "),
        "{out}"
    );
    // A relative path stays relative.
    let (_, out, _) = msica([
        "lint",
        "--no-config",
        "--format",
        "github",
        "samples/MCA104-missing-rollback.msi",
    ]);
    assert!(
        out.starts_with(
            "::warning file=samples/MCA104-missing-rollback.msi,title=MCA104 missing-rollback::"
        ),
        "{out}"
    );
}

#[test]
fn gitlab_code_quality_issues_are_stable_across_rebuilds() {
    let dir = tempfile::tempdir().unwrap();
    fixture().write_to(dir.path(), "foo.msi");
    write_config(
        dir.path(),
        "[[ignore]]\nrule = \"MCA101\"\naction = \"Gone\"\nreason = \"stale\"\n",
    );
    let (code, out, _) = msica_in(dir.path(), &["lint", "--format", "gitlab", "foo.msi"]);
    assert_eq!(code, 1);
    let issues = json(&out);
    let issues = issues.as_array().unwrap();
    let summary: Vec<(&str, &str, &str, u64)> = issues
        .iter()
        .map(|i| {
            (
                i["check_name"].as_str().unwrap(),
                i["severity"].as_str().unwrap(),
                i["location"]["path"].as_str().unwrap(),
                i["location"]["lines"]["begin"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("MCA101", "major", "foo.msi", 1),
            ("MCA104", "minor", "foo.msi", 1),
            ("MCA104", "minor", "foo.msi", 1),
            ("MCA001", "minor", "msica.toml", 1)
        ]
    );
    assert!(issues[0]["description"]
        .as_str()
        .unwrap()
        .starts_with("MCA101 deferred-outside-script: deferred action `EarlyFoo`"));
    let prints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let mut unique = prints.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), prints.len(), "one fingerprint per issue");

    // Another output folder and file name: the same fingerprints.
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::rename(
        dir.path().join("foo.msi"),
        dir.path().join("out/foo-1.1.msi"),
    )
    .unwrap();
    let (_, again, _) = msica_in(
        dir.path(),
        &["lint", "--format", "gitlab", "out/foo-1.1.msi"],
    );
    let again = json(&again);
    let moved: Vec<&str> = again
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(moved[..3], prints[..3]);
}

// ---------------------------------------------------------------------- //
// many files

#[test]
fn a_directory_is_linted_in_input_order_and_identically_twice() {
    let corpus = root().join("../shared/corpus/msi");
    let dir = if corpus.is_dir() {
        corpus
    } else {
        root().join("samples")
    };
    let run = |format: &str| {
        let (code, out, err) = msica([
            "lint".as_ref(),
            "--no-config".as_ref(),
            "--format".as_ref(),
            format.as_ref(),
            dir.as_os_str(),
        ]);
        assert_ne!(out, "", "{err}");
        (code, out, err)
    };
    let first = run("json");
    let second = run("json");
    assert_eq!(first, second, "two runs give identical output");
    let report = json(&first.1);
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "files are reported in sorted order");
    let on_disk = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            let p = e.as_ref().unwrap().path();
            p.extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("msi") || x.eq_ignore_ascii_case("msm"))
        })
        .count();
    assert!(paths.len() >= on_disk, "every file is reported");
    assert_valid(
        &validator("report.schema.json"),
        "report.schema.json",
        "the corpus",
        &report,
    );
    assert_eq!(run("sarif").1, run("sarif").1);
    assert_eq!(run("human").1, run("human").1);
    let (human, again) = (run("human"), run("human"));
    assert_eq!(human, again);
    assert!(
        !human.2.contains("linting:"),
        "no progress when not on a terminal"
    );
}

#[test]
fn sarif_and_github_output_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = fixture().write_to(dir.path(), "foo.msi");
    let config = write_config(
        dir.path(),
        "[[ignore]]\nrule = \"MCA104\"\naction = \"InstallFoo\"\nreason = \"undone by FooCA\"\n\n[[ignore]]\nrule = \"MCA101\"\naction = \"Gone\"\nreason = \"stale\"\n",
    );
    let run = |format: &str| {
        let (_, out, _) = msica([
            "lint".as_ref(),
            "--config".as_ref(),
            config.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
            pkg.as_os_str(),
        ]);
        out.replace(
            &dir.path().canonicalize().unwrap().display().to_string(),
            "[TMP]",
        )
        .replace(&dir.path().display().to_string(), "[TMP]")
    };
    let mut sarif = json(&run("sarif"));
    let driver = &mut sarif["runs"][0]["tool"]["driver"];
    driver["version"] = "[version]".into();
    driver["semanticVersion"] = "[version]".into();
    // The catalogue grows; its content is checked rule by rule elsewhere.
    driver["rules"] = "[rules]".into();
    insta::assert_json_snapshot!("sarif", sarif);
    insta::assert_snapshot!("github", run("github"));
}

/// `msica scenarios` reads the package as deployed: a transform that
/// changes a condition changes the verdicts.
#[test]
fn scenarios_with_a_transform_match_the_schema_and_follow_it() {
    use msica::testing::{MsiBuilder, TransformBuilder};
    let dir = tempfile::tempdir().unwrap();
    let package = MsiBuilder::new()
        .standard_execute()
        .binary("Bin")
        .action("Cleanup", 3073, Some("Bin"), Some("Cleanup"))
        .seq(
            "InstallExecuteSequence",
            "Cleanup",
            Some("NOT Installed"),
            3000,
        )
        .write_to(dir.path(), "app.msi");
    let transform = TransformBuilder::new()
        .update(
            "InstallExecuteSequence",
            vec!["Cleanup".into()],
            vec![(1, "REMOVE=\"ALL\"".into())],
        )
        .write_to(dir.path(), "site.mst");
    let runs = |extra: &[&str]| {
        let mut args = vec![package.to_str().unwrap(), "--format", "json"];
        args.extend(extra);
        let (code, out, err) = msica(["scenarios"].into_iter().chain(args));
        assert_eq!(code, 0, "{err}");
        let doc = json(&out);
        let schema = validator("scenarios.schema.json");
        assert_valid(&schema, "scenarios.schema.json", "app.msi", &doc);
        doc["actions"][0]["runs"].clone()
    };
    let alone = runs(&[]);
    let deployed = runs(&["-t", transform.to_str().unwrap()]);
    let pair = |runs: &Value| (runs["install"].clone(), runs["uninstall"].clone());
    assert_eq!(pair(&alone), ("yes".into(), "no".into()));
    assert_eq!(pair(&deployed), ("no".into(), "yes".into()));
}
