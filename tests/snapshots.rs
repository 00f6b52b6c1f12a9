//! Output that is the product, pinned: `explain`, and `actions` and
//! `sequence` of the clean sample, in every format they offer.

mod common;

use common::{run, samples_dir};
use msica::ExitStatus;

/// Runs msica on the clean sample, with its directory shown as `[samples]`.
fn on_clean_app(args: &[&str]) -> String {
    let dir = samples_dir();
    let file = dir.join("clean-app.msi").display().to_string();
    let mut argv: Vec<&str> = vec![args[0], &file];
    argv.extend(&args[1..]);
    let r = run(&argv);
    assert_eq!(r.status, ExitStatus::Success, "{}", r.err);
    r.out.replace(&dir.display().to_string(), "[samples]")
}

#[test]
fn explain_3073() {
    let r = run(["explain", "3073"]);
    assert_eq!(r.status, ExitStatus::Success);
    insta::assert_snapshot!(r.out);
}

#[test]
fn explain_3073_json() {
    let r = run(["explain", "0xC01", "--format", "json"]);
    assert_eq!(r.status, ExitStatus::Success);
    insta::assert_snapshot!(r.out);
}

#[test]
fn actions_clean_app() {
    insta::assert_snapshot!(on_clean_app(&["actions"]));
}

#[test]
fn actions_clean_app_json() {
    insta::assert_snapshot!(on_clean_app(&["actions", "--format", "json"]));
}

#[test]
fn sequence_clean_app() {
    insta::assert_snapshot!(on_clean_app(&["sequence"]));
}

#[test]
fn sequence_clean_app_ui() {
    insta::assert_snapshot!(on_clean_app(&["sequence", "InstallUISequence"]));
}

#[test]
fn sequence_clean_app_tsv() {
    insta::assert_snapshot!(on_clean_app(&["sequence", "--format", "tsv"]));
}

#[test]
fn table_clean_app_custom_action_idt() {
    insta::assert_snapshot!(
        on_clean_app(&["table", "CustomAction", "--format", "idt"]).replace("\r\n", "⏎\n")
    );
}

#[test]
fn scenarios_clean_app() {
    insta::assert_snapshot!(on_clean_app(&["scenarios"]));
}

#[test]
fn scenarios_clean_app_uninstall() {
    insta::assert_snapshot!(on_clean_app(&["scenarios", "--scenario", "uninstall"]));
}

#[test]
fn scenarios_clean_app_json() {
    insta::assert_snapshot!(on_clean_app(&["scenarios", "--format", "json"]));
}
