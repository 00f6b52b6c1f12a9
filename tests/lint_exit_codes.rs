//! Exit codes of `msica lint`, run in-process as a user would run it.

use std::path::Path;

use clap::Parser;
use msica::cli::Cli;
use msica::render::Style;
use msica::testing::MsiBuilder;
use msica::ExitStatus;

fn lint(args: &[&str]) -> (ExitStatus, String, String) {
    let cli = Cli::parse_from(
        std::iter::once("msica")
            .chain(std::iter::once("lint"))
            .chain(args.iter().copied()),
    );
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = msica::run_with(cli, Style::plain(), &mut out, &mut err);
    (
        status,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("msica-exit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Only a warning: a deferred action without rollback (MCA104).
fn warning_only(dir: &Path) -> String {
    MsiBuilder::new()
        .standard_execute()
        .binary("Bin")
        .action("Lonely", 3073, Some("Bin"), Some("Lonely"))
        .seq("InstallExecuteSequence", "Lonely", None, 4001)
        // Something after it can fail, so its missing rollback matters.
        .seq("InstallExecuteSequence", "RegisterProduct", None, 6100)
        .write_to(dir, "warning.msi")
        .display()
        .to_string()
}

/// An error: a deferred action before InstallInitialize (MCA101).
fn with_error(dir: &Path) -> String {
    MsiBuilder::new()
        .standard_execute()
        .binary("Bin")
        .action("Early", 3073, Some("Bin"), Some("Early"))
        .action("EarlyRollback", 3329, Some("Bin"), Some("EarlyRollback"))
        .seq("InstallExecuteSequence", "EarlyRollback", None, 1401)
        .seq("InstallExecuteSequence", "Early", None, 1402)
        .write_to(dir, "error.msi")
        .display()
        .to_string()
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = temp_dir("warn");
    let file = warning_only(&dir);
    let (status, out, _) = lint(&[&file]);
    assert_eq!(status, ExitStatus::Success, "{out}");
    assert!(out.contains("MCA104"), "{out}");
    assert_eq!(lint(&[&file, "--deny", "warnings"]).0, ExitStatus::Failure);
    assert_eq!(
        lint(&[&file, "--deny", "missing-rollback"]).0,
        ExitStatus::Failure
    );
    let (status, out, _) = lint(&[&file, "--allow", "MCA104"]);
    assert_eq!(status, ExitStatus::Success);
    assert!(!out.contains("MCA104"), "{out}");
}

#[test]
fn errors_fail_and_can_be_downgraded() {
    let dir = temp_dir("error");
    let file = with_error(&dir);
    let (status, out, _) = lint(&[&file]);
    assert_eq!(status, ExitStatus::Failure, "{out}");
    assert!(out.contains("MCA101"));
    assert_eq!(
        lint(&[&file, "--warn", "deferred-outside-script"]).0,
        ExitStatus::Success
    );
}

#[test]
fn unknown_rule_is_a_usage_error() {
    let dir = temp_dir("unknown");
    let file = warning_only(&dir);
    let (status, _, err) = lint(&[&file, "--allow", "no-such-rule"]);
    assert_eq!(status, ExitStatus::Error);
    assert!(err.contains("no-such-rule"), "{err}");
}

#[test]
fn a_directory_with_an_unreadable_file_lints_the_rest_and_exits_2() {
    let dir = temp_dir("dir");
    warning_only(&dir);
    std::fs::write(dir.join("broken.msi"), b"not a database at all").unwrap();
    let (status, out, err) = lint(&[dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(status, ExitStatus::Error);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert!(files[0]["path"].as_str().unwrap().ends_with("broken.msi"));
    assert!(files[0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not a Windows Installer database"));
    assert_eq!(files[1]["findings"][0]["code"], "MCA104");
    assert!(err.is_empty() || !err.contains("panicked"), "{err}");
}

#[test]
fn a_transform_is_named_as_such_and_passes() {
    let mst = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/msi/psmsi__Example.mst");
    if !mst.exists() {
        eprintln!("!!! corpus missing: transform lint check SKIPPED !!!");
        return;
    }
    let (status, out, _) = lint(&[mst.to_str().unwrap()]);
    assert_eq!(status, ExitStatus::Success);
    assert!(out.contains("is a transform"), "{out}");
}

/// Symbolic links inside a directory are followed only with `-L`; a loop
/// they make is reported as an unreadable directory (exit 2), not skipped.
#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_only_when_asked_and_loops_are_reported() {
    let dir = temp_dir("links");
    let real = temp_dir("links-target");
    warning_only(&real);
    std::os::unix::fs::symlink(real.join("warning.msi"), dir.join("linked.msi")).unwrap();
    let d = dir.display().to_string();
    let (status, _, err) = lint(&["--no-config", &d]);
    assert_eq!(status, ExitStatus::Error, "no package without -L: {err}");
    assert!(err.contains("no .msi or .msm files found"), "{err}");
    let (status, out, _) = lint(&["--no-config", "-L", "--format", "json", &d]);
    assert_eq!(status, ExitStatus::Success);
    assert!(
        out.contains("linked.msi") && out.contains("MCA104"),
        "{out}"
    );
    // A link back to its own directory.
    std::os::unix::fs::symlink(&dir, dir.join("loop")).unwrap();
    let (status, out, _) = lint(&["--no-config", "-L", "--format", "json", &d]);
    assert_eq!(status, ExitStatus::Error, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["error"]["message"].as_str())
        .collect();
    assert_eq!(errors.len(), 1, "{out}");
    assert!(errors[0].contains("loop"), "{errors:?}");
}

/// Many files stream through in input order, whatever order they finish in.
#[test]
fn many_files_are_reported_in_input_order() {
    let dir = temp_dir("order");
    for i in 0..40 {
        let name = format!("p{i:02}.msi");
        let b = if i % 3 == 0 {
            // Larger packages take longer, so they finish out of order.
            (0..300).fold(MsiBuilder::new().standard_execute(), |b, k| {
                b.property(&format!("P{k}"), "v")
            })
        } else {
            MsiBuilder::new().standard_execute()
        };
        b.write_to(&dir, &name);
    }
    let (status, out, _) = lint(&[
        "--no-config",
        "--format",
        "json",
        &dir.display().to_string(),
    ]);
    assert_eq!(status, ExitStatus::Success);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let names: Vec<String> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    let expected: Vec<String> = (0..40).map(|i| format!("p{i:02}.msi")).collect();
    assert_eq!(names, expected);
    assert_eq!(doc["summary"]["files"], 40);
}
