//! How msica reaches its users: `--version`, the release targets, and the
//! rule by which the GitHub Action picks the release binary of a runner.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(root())
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    Some(String::from_utf8(out.stdout).ok()?.trim().to_owned())
}

#[test]
fn version_names_the_commit_of_a_checkout() {
    let out = Command::new(env!("CARGO_BIN_EXE_msica"))
        .arg("--version")
        .output()
        .expect("msica runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let version = format!("msica {}", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&version), "{text}");
    let top = git(&["rev-parse", "--show-toplevel"]).map(PathBuf::from);
    let is_checkout = top.is_some_and(|top| top.canonicalize().ok() == root().canonicalize().ok());
    if !is_checkout {
        eprintln!("!!! not a git checkout: the commit in --version is not checked !!!");
        return;
    }
    let hash = git(&["rev-parse", "--short=10", "HEAD"]).unwrap();
    let date = git(&["log", "-1", "--format=%cs", "HEAD"]).unwrap();
    assert_eq!(text.trim_end(), format!("{version} ({hash} {date})"));
}

/// The targets the release workflow builds.
fn release_targets() -> Vec<String> {
    let workflow = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    let mut targets: Vec<String> = workflow
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- target: "))
        .map(str::to_owned)
        .collect();
    targets.sort();
    targets
}

/// Runs scripts/release-asset.sh as the Action's step does: Ok(stdout) or
/// Err(stderr) when it finds no release binary.
#[cfg(not(windows))]
fn pick(os: &str, arch: &str, action_path: &str, env: &[(&str, &str)]) -> Result<String, String> {
    let out = Command::new("bash")
        .arg(root().join("scripts/release-asset.sh"))
        .env("RUNNER_OS", os)
        .env("RUNNER_ARCH", arch)
        .env("GITHUB_ACTION_PATH", action_path)
        .env("VERSION", "0.2.0")
        .env_remove("ACTION_REF")
        .env_remove("ACTION_REPOSITORY")
        .envs(env.iter().copied())
        .output()
        .expect("bash runs");
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    match out.status.code() {
        Some(0) => Ok(text(out.stdout)),
        Some(1) => Err(text(out.stderr)),
        other => panic!("exit {other:?}: {}", text(out.stderr)),
    }
}

#[test]
#[cfg(not(windows))]
fn every_runner_of_a_release_gets_its_binary_and_every_binary_a_runner() {
    let linux_path = "/home/runner/work/_actions/acme/msica/v0.2.0";
    let mut picked = Vec::new();
    for os in ["Linux", "macOS", "Windows"] {
        for arch in ["X64", "ARM64"] {
            let out = pick(os, arch, linux_path, &[]).unwrap();
            let target = out
                .lines()
                .find_map(|l| l.strip_prefix("target="))
                .unwrap()
                .to_owned();
            let expected_os = match os {
                "Linux" => "-linux-musl",
                "macOS" => "-apple-darwin",
                _ => "-pc-windows-msvc",
            };
            let expected_arch = if arch == "X64" { "x86_64-" } else { "aarch64-" };
            assert!(
                target.starts_with(expected_arch) && target.ends_with(expected_os),
                "{os} {arch}: {target}"
            );
            assert!(out.contains("tag=v0.2.0\n") && out.contains("repository=acme/msica\n"));
            picked.push(target);
        }
    }
    picked.sort();
    assert_eq!(
        picked,
        release_targets(),
        "the release builds what runners get"
    );

    for (os, arch) in [("Linux", "X86"), ("Windows", "ARM"), ("FreeBSD", "X64")] {
        let why = pick(os, arch, linux_path, &[]).unwrap_err();
        assert!(why.contains("no release binary"), "{why}");
    }
}

#[test]
#[cfg(not(windows))]
fn the_ref_and_repository_come_from_the_context_or_the_actions_folder() {
    // A Windows runner, github.action_ref and action_repository empty.
    let out = pick("Windows", "X64", r"D:\a\_actions\acme\msica\v0.2.0\", &[]).unwrap();
    assert_eq!(
        out,
        "tag=v0.2.0\ntarget=x86_64-pc-windows-msvc\nrepository=acme/msica\n"
    );
    // The context wins when it is set.
    let out = pick(
        "macOS",
        "ARM64",
        "/Users/runner/work/_actions/fork/msica/v0.2.0",
        &[
            ("ACTION_REF", "v0.2.0"),
            ("ACTION_REPOSITORY", "acme/msica"),
        ],
    )
    .unwrap();
    assert!(out.ends_with("repository=acme/msica\n"), "{out}");

    // A branch, a commit, a major-version tag, another version, a local
    // `uses: ./`: built from the sources.
    for (path, reference) in [
        ("/w/_actions/acme/msica/main", ""),
        ("/w/_actions/acme/msica/0123456789abcdef", ""),
        ("/w/_actions/acme/msica/v0", ""),
        ("/w/_actions/acme/msica/v0.2.0", "v0.1.0"),
        ("/home/runner/work/app/app", ""),
    ] {
        let why = pick("Linux", "X64", path, &[("ACTION_REF", reference)]).unwrap_err();
        assert!(
            why.contains("is not the release tag v0.2.0"),
            "{path}: {why}"
        );
    }
}

#[test]
fn the_action_downloads_the_archives_the_release_uploads() {
    let workflow = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    for line in ["archive: msica-$target", "tar: all", "checksum: sha256"] {
        assert!(workflow.contains(line), "release.yml: {line}");
    }
    for name in ["msica-$TARGET.tar.gz", "$base.sha256"] {
        assert!(action.contains(name), "action.yml: {name}");
    }
    assert!(Path::new(&root().join("scripts/release-asset.sh")).is_file());
}
