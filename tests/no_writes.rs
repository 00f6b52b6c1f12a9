//! msica never modifies what it reads: every sample and corpus file hashes
//! the same before and after every command has run on it.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

use clap::Parser;
use msica::cli::Cli;
use msica::render::Style;

fn fingerprint(path: &PathBuf) -> (u64, u64, Option<std::time::SystemTime>) {
    let bytes = std::fs::read(path).unwrap();
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    let meta = std::fs::metadata(path).unwrap();
    (h.finish(), meta.len(), meta.modified().ok())
}

#[test]
fn no_command_writes_to_its_input() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [
        root.join("samples"),
        root.join("../shared/corpus/msi"),
        root.join("../shared/corpus/msp"),
        root.join("tests/regressions"),
    ] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_file()));
    }
    files.sort();
    assert!(files.len() > 10);
    let before: Vec<_> = files.iter().map(fingerprint).collect();

    for file in &files {
        let f = file.display().to_string();
        for line in msica::testing::fuzzing::command_lines() {
            let args: Vec<String> = std::iter::once("msica".to_string())
                .chain(
                    line.iter()
                        .map(|a| if a == "{}" { f.clone() } else { a.clone() }),
                )
                .collect();
            let Ok(cli) = Cli::try_parse_from(&args) else {
                continue;
            };
            let (mut out, mut err) = (Vec::new(), Vec::new());
            msica::run_with(cli, Style::plain(), &mut out, &mut err);
        }
        // A patch is also applied to the base it was made for.
        let Some(base) = msica::testing::fuzzing::base_for(file)
            .filter(|_| file.extension().is_some_and(|e| e == "msp"))
        else {
            continue;
        };
        let base = base.display().to_string();
        for line in msica::testing::fuzzing::patch_command_lines() {
            let args: Vec<String> = std::iter::once("msica".to_string())
                .chain(line.iter().map(|a| match a.as_str() {
                    "{}" => f.clone(),
                    "{base}" => base.clone(),
                    _ => a.clone(),
                }))
                .collect();
            let cli = Cli::try_parse_from(&args).unwrap();
            let (mut out, mut err) = (Vec::new(), Vec::new());
            msica::run_with(cli, Style::plain(), &mut out, &mut err);
        }
    }
    let dirs: Vec<String> = [root.join("samples"), root.join("../shared/corpus/msi")]
        .iter()
        .filter(|d| d.is_dir())
        .map(|d| d.display().to_string())
        .collect();
    for format in ["human", "json"] {
        let mut args = vec![
            "msica".to_string(),
            "lint".into(),
            "--format".into(),
            format.into(),
        ];
        args.extend(dirs.iter().cloned());
        let cli = Cli::try_parse_from(&args).unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        msica::run_with(cli, Style::plain(), &mut out, &mut err);
    }

    let after: Vec<_> = files.iter().map(fingerprint).collect();
    for ((file, b), a) in files.iter().zip(&before).zip(&after) {
        assert_eq!(b, a, "{} changed", file.display());
    }
}
