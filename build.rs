//! Records the commit msica is built from, for `msica --version`
//! (`msica 0.1.0 (1a2b3c4d5e 2026-12-04)`): asked of git when the crate is
//! the root of its own checkout, else read from the `.cargo_vcs_info.json`
//! that `cargo package` writes (a build from crates.io). Without either (a
//! source archive, no git installed) the version is printed alone.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed=build.rs");
    let version = env!("CARGO_PKG_VERSION");
    let commit = from_checkout(&dir).or_else(|| from_vcs_info(&dir));
    let text = match commit {
        Some(commit) => format!("{version} ({commit})"),
        None => version.to_owned(),
    };
    println!("cargo:rustc-env=MSICA_VERSION={text}");
}

/// Runs git in `dir`; `None` when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()
        .filter(|out| out.status.success())?;
    let text = String::from_utf8(out.stdout).ok()?;
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The short hash and date of HEAD, when `dir` is the top of a checkout:
/// a crate unpacked inside another repository (vendored) must not take
/// that repository's commit.
fn from_checkout(dir: &Path) -> Option<String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same(Path::new(&top), dir) {
        return None;
    }
    // Build again when HEAD moves: HEAD itself (a checkout) and the branch
    // it points at (a commit). Paths that do not exist are not watched, or
    // cargo would run this script on every build.
    let mut watched = vec!["HEAD".to_owned()];
    watched.extend(git(dir, &["symbolic-ref", "-q", "HEAD"]));
    watched.push("packed-refs".to_owned());
    for name in watched {
        if let Some(path) = git(dir, &["rev-parse", "--git-path", &name]) {
            let path = dir.join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    let hash = git(dir, &["rev-parse", "--short=10", "HEAD"])?;
    Some(match git(dir, &["log", "-1", "--format=%cs", "HEAD"]) {
        Some(date) => format!("{hash} {date}"),
        None => hash,
    })
}

/// The commit `cargo package` recorded in `.cargo_vcs_info.json`
/// (`{"git": {"sha1": "..."}}`), shortened.
fn from_vcs_info(dir: &Path) -> Option<String> {
    let path = dir.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&path).ok()?;
    println!("cargo:rerun-if-changed={}", path.display());
    let start = text.find("\"sha1\"")? + "\"sha1\"".len();
    let hash: String = text[start..]
        .trim_start_matches([' ', ':', '"'])
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .take(10)
        .collect();
    (hash.len() == 10).then_some(hash)
}
