//! Windows paths in every report format, checked on every platform: drive
//! letters, UNC shares, `\\?\` paths and backslashes.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{github, gitlab, json, sarif, LintWriter, Paths, RunEnd};
use crate::engine::FileReport;
use crate::finding::Finding;
use crate::paths::Style;
use crate::source::SourceLine;
use crate::suppress::ConfigFinding;

/// A package with two findings, the first authored at a source line.
fn report(package: &str, source: &str) -> FileReport {
    let finding = |key: &str, source: Option<&str>| {
        let mut finding = Finding::missing_rollback(key);
        finding.location.authored_at = source.map(|path| SourceLine {
            path: PathBuf::from(path),
            line: 42,
            column: Some(7),
        });
        finding
    };
    FileReport {
        path: PathBuf::from(package),
        package: None,
        findings: vec![finding("InstallFoo", Some(source)), finding("Other", None)],
        error: None,
    }
}

/// The report of `writer` on one package and a finding about `config`.
fn render(writer: &mut dyn LintWriter, package: &str, source: &str, config: &str) -> String {
    let config_finding = ConfigFinding {
        finding: report(package, source).findings.remove(1),
        path: PathBuf::from(config),
        line: 3,
        span: 0..1,
    };
    let end = RunEnd {
        files: 1,
        files_with_errors: 0,
        counts: (0, 3, 0),
        ignored: 0,
        baselined: 0,
        config: None,
        config_findings: std::slice::from_ref(&config_finding),
    };
    let mut out = Vec::new();
    writer
        .file(&report(package, source), &mut out)
        .expect("writes");
    writer.finish(&end, &mut out).expect("writes");
    String::from_utf8(out).expect("UTF-8")
}

fn windows(cwd: &str) -> Paths {
    Paths::text(cwd, Style::Windows)
}

/// SARIF: the package's URI, the source's URI and its base, and the URI of
/// the configuration file.
fn sarif_uris(cwd: &str, package: &str, source: &str, config: &str) -> Vec<Value> {
    let text = render(
        &mut sarif::Writer::new(windows(cwd)),
        package,
        source,
        config,
    );
    let log: Value = serde_json::from_str(&text).expect("SARIF is JSON");
    let run = &log["runs"][0];
    let uri = |i: usize, field: &str| {
        run["results"][i][field][0]["physicalLocation"]["artifactLocation"].clone()
    };
    vec![
        uri(0, "relatedLocations"),
        uri(0, "locations"),
        uri(1, "locations"),
        uri(2, "locations"),
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"].clone(),
    ]
}

#[test]
fn sarif_uris_of_drive_paths_are_relative_under_the_checkout_and_file_uris_elsewhere() {
    let uris = sarif_uris(
        r"C:\build",
        r"C:\build\dist\My App.msi",
        r"c:\Build\installer\Product.wxs",
        r"C:\build\msica.toml",
    );
    assert_eq!(
        uris,
        [
            serde_json::json!({"uri": "dist/My%20App.msi"}),
            serde_json::json!({"uri": "installer/Product.wxs", "uriBaseId": "%SRCROOT%"}),
            serde_json::json!({"uri": "dist/My%20App.msi"}),
            serde_json::json!({"uri": "msica.toml"}),
            Value::from("file:///C:/build/"),
        ]
    );

    let uris = sarif_uris(
        r"C:\build",
        r"D:\out\app.msi",
        r"\\?\E:\src\Product.wxs",
        r"C:\msica.toml",
    );
    assert_eq!(
        uris[0],
        serde_json::json!({"uri": "file:///D:/out/app.msi"})
    );
    assert_eq!(
        uris[1],
        serde_json::json!({"uri": "file:///E:/src/Product.wxs"}),
        "a source outside the checkout has no %SRCROOT%"
    );
    assert_eq!(uris[3], serde_json::json!({"uri": "file:///C:/msica.toml"}));
    assert_eq!(uris[4], Value::Null, "no result is relative to %SRCROOT%");
}

#[test]
fn sarif_uris_of_unc_paths_name_the_server() {
    let uris = sarif_uris(
        r"\\ci\work\build",
        r"\\ci\work\build\dist\app.msi",
        r"\\CI\Work\build\installer\Product.wxs",
        r"\\other\share\msica.toml",
    );
    assert_eq!(uris[0], serde_json::json!({"uri": "dist/app.msi"}));
    assert_eq!(
        uris[1],
        serde_json::json!({"uri": "installer/Product.wxs", "uriBaseId": "%SRCROOT%"})
    );
    assert_eq!(
        uris[3],
        serde_json::json!({"uri": "file://other/share/msica.toml"})
    );
    assert_eq!(uris[4], Value::from("file://ci/work/build/"));
}

/// The `file=` of every GitHub workflow command.
fn github_files(cwd: &str, package: &str, source: &str, config: &str) -> Vec<String> {
    let text = render(
        &mut github::Writer::new(windows(cwd)),
        package,
        source,
        config,
    );
    text.lines()
        .map(|line| {
            let file = line.split_once(" file=").expect("a file").1;
            file.split([',', ':']).next().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn github_annotations_name_files_relative_to_the_checkout_with_forward_slashes() {
    assert_eq!(
        github_files(
            r"D:\a\repo\repo",
            r"D:\a\repo\repo\dist\app.msi",
            r"D:\a\repo\repo\installer\Product.wxs",
            r"d:\A\repo\repo\msica.toml",
        ),
        ["installer/Product.wxs", "dist/app.msi", "msica.toml"]
    );
    // Outside the checkout: absolute, the drive's colon escaped as the
    // workflow-command syntax requires.
    let text = render(
        &mut github::Writer::new(windows(r"D:\a\repo\repo")),
        r"C:\out\app.msi",
        r"\\server\share\Product.wxs",
        r"D:\a\repo\repo\msica.toml",
    );
    assert!(text.contains("file=C%3A/out/app.msi,"), "{text}");
    assert!(
        text.contains("file=//server/share/Product.wxs,line=42,col=7,"),
        "{text}"
    );
}

#[test]
fn gitlab_paths_are_relative_to_the_checkout_with_forward_slashes() {
    let text = render(
        &mut gitlab::Writer::new(windows(r"C:\GitLab-Runner\builds\x\repo")),
        r"C:\GitLab-Runner\builds\x\repo\dist\app.msi",
        r"C:\GitLab-Runner\builds\x\repo\installer\Wix\Product.wxs",
        r"\\?\C:\GitLab-Runner\builds\x\repo\msica.toml",
    );
    let issues: Value = serde_json::from_str(&text).expect("JSON");
    let paths: Vec<&str> = issues
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["location"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["installer/Wix/Product.wxs", "dist/app.msi", "msica.toml"]
    );
}

#[test]
fn json_paths_are_as_given_with_forward_slashes() {
    let text = render(
        &mut json::Writer::new(Style::Windows),
        r"dist\app.msi",
        r"\\?\C:\build\installer\Product.wxs",
        r"\\server\share\msica.toml",
    );
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(doc["files"][0]["path"], "dist/app.msi");
    assert_eq!(
        doc["files"][0]["findings"][0]["source"]["path"],
        "C:/build/installer/Product.wxs"
    );
    assert_eq!(doc["files"][0]["findings"][1]["source"], Value::Null);
}

#[test]
fn native_paths_under_the_working_directory_are_relative() {
    let cwd = std::env::current_dir().unwrap();
    let paths = Paths::new(Some(cwd.clone()));
    let located = paths.locate(&cwd.join("dist").join("app.msi"));
    assert_eq!(
        (located.text.as_str(), located.relative),
        ("dist/app.msi", true)
    );
    let located = paths.locate(Path::new("samples/../samples/clean-app.msi"));
    assert_eq!(located.text, "samples/clean-app.msi");
    assert!(paths.cwd_uri().unwrap().starts_with("file:///"));
    assert!(paths.cwd_uri().unwrap().ends_with('/'));
}
