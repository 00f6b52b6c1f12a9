//! Every inspection command and `lint` on every real-world corpus file:
//! exit 0 with output, or for the unreadable stub exit 2 with one clear
//! message. No input may panic.

mod common;

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use common::{assert_clear_error, corpus_files, run, Run};
use msica::model::load;
use msica::ExitStatus;

/// The compound-file stub msiinfo cannot open either.
const STUB: &str = "mimetype__msi.msi";

/// The command lines to run on `path`: the fixed ones, and `sequence` on
/// every sequence table the file has.
fn command_lines(path: &Path) -> Vec<Vec<String>> {
    let p = path.display().to_string();
    let mut lines: Vec<Vec<String>> = [
        vec!["info"],
        vec!["info", "--format", "json"],
        vec!["tables"],
        vec!["actions"],
        vec!["actions", "--format", "json"],
        vec!["scenarios"],
        vec!["scenarios", "--format", "json"],
        vec!["scenarios", "--scenario", "install-silent"],
        vec!["sequence"],
        vec!["lint"],
        vec!["lint", "--format", "json"],
    ]
    .into_iter()
    .map(|args| {
        let mut line: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        line.insert(1, p.clone());
        line
    })
    .collect();
    // `lint` takes its paths after the options; clap accepts either order.
    if let Ok(pkg) = load::load_package(path) {
        for seq in &pkg.sequences {
            lines.push(vec![
                "sequence".into(),
                p.clone(),
                seq.kind.table_name().into(),
            ]);
        }
        if pkg.tables.iter().any(|t| t == "_ICESequence") {
            lines.push(vec!["sequence".into(), p.clone(), "_ICESequence".into()]);
        }
    }
    lines
}

fn run_caught(args: &[String]) -> Result<Run, String> {
    panic::catch_unwind(AssertUnwindSafe(|| run(args))).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into())
    })
}

#[test]
fn every_command_on_every_corpus_file() {
    let Some(files) = corpus_files() else { return };
    let mut failures = Vec::new();
    let mut runs = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for args in command_lines(path) {
            runs += 1;
            let what = format!("msica {}", args.join(" "));
            let result = match run_caught(&args) {
                Ok(result) => result,
                Err(panic) => {
                    failures.push(format!("{what}: PANIC {panic}"));
                    continue;
                }
            };
            if name == STUB {
                // Human commands report on stderr; `lint --format json`
                // carries the error in the document.
                let json_lint = args[0] == "lint" && args.iter().any(|a| a == "json");
                let text = if json_lint { &result.out } else { &result.err };
                if result.status != ExitStatus::Error || !text.contains(&args[1]) {
                    failures.push(format!(
                        "{what}: expected exit 2 naming the file, got {:?}: {text}",
                        result.status
                    ));
                } else if !json_lint {
                    assert_clear_error(&result, path, "damaged");
                }
                continue;
            }
            // `lint` exits 1 when it finds errors: that is its job, not a failure.
            let ok = result.status == ExitStatus::Success
                || (args[0] == "lint" && result.status == ExitStatus::Failure);
            if !ok {
                failures.push(format!(
                    "{what}: exit {:?}, stderr: {}",
                    result.status,
                    result.err.trim()
                ));
            } else if result.out.trim().is_empty() {
                failures.push(format!("{what}: no output"));
            }
        }
    }
    println!("{} files, {runs} command runs", files.len());
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A transform is not a database: `info` and `tables` describe it, the
/// analysing commands say there is nothing to analyse, all with exit 0.
#[test]
fn transforms_say_what_they_are() {
    let Some(files) = corpus_files() else { return };
    let transforms: Vec<_> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "mst"))
        .collect();
    assert!(!transforms.is_empty());
    for path in transforms {
        let p = path.display().to_string();
        let info = run(["info", &p]);
        assert_eq!(info.status, ExitStatus::Success, "{}", info.err);
        assert!(
            info.out.contains("transform") && info.out.contains("Changes"),
            "{}",
            info.out
        );
        let tables = run(["tables", &p]);
        assert!(
            tables.out.contains("the tables it changes") && tables.out.contains(" ~"),
            "{}",
            tables.out
        );
        for cmd in ["actions", "sequence"] {
            let r = run([cmd, &p]);
            assert_eq!(r.status, ExitStatus::Success, "{cmd}: {}", r.err);
            assert!(r.out.contains("not a database"), "{cmd}: {}", r.out);
        }
    }
}

/// The ICE custom actions of a validation database are shown in the order
/// `_ICESequence` gives them.
#[test]
fn ice_cube_sequence_is_shown() {
    let Some(_) = corpus_files() else { return };
    let cube = common::corpus_dir().join("wix__darice.cub");
    let r = run(["sequence", &cube.display().to_string()]);
    assert_eq!(r.status, ExitStatus::Success, "{}", r.err);
    assert!(r.out.contains("_ICESequence"), "{}", r.out);
    let ice01 = r.out.find("ICE01").expect("ICE01 listed");
    let ice02 = r.out.find("ICE02").expect("ICE02 listed");
    assert!(ice01 < ice02);
}

/// `table --format idt` prints what `msiinfo export` prints, CR LF included.
#[test]
fn idt_export_is_msiinfo_export() {
    let Some(_) = corpus_files() else { return };
    let oracle = common::corpus_dir().join("../oracle/wix3__SimpleBinary_expected.msi/Binary.idt");
    let Ok(expected) = std::fs::read_to_string(&oracle) else {
        return;
    };
    let file = common::corpus_dir().join("wix3__SimpleBinary_expected.msi");
    let r = run([
        "table",
        &file.display().to_string(),
        "Binary",
        "--format",
        "idt",
    ]);
    assert_eq!(r.status, ExitStatus::Success, "{}", r.err);
    let sorted = |text: &str| {
        let mut lines: Vec<String> = text.split_inclusive("\r\n").map(str::to_owned).collect();
        let body = lines.split_off(3);
        let mut body = body;
        body.sort();
        lines.extend(body);
        lines.concat()
    };
    assert_eq!(sorted(&r.out), sorted(&expected));
}
