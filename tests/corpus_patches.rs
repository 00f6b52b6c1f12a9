//! What msica says about every patch of the corpus (`msp/`): `info` of the
//! patch, its lint on its own, and its lint applied to each corpus base a
//! corpus patch is made for (alone, and in the orders the patched oracle
//! uses), kept as a snapshot. Each finding here was read and is true.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::run;
use msica::engine::{lint_input, Levels};
use msica::model::load::Input;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

fn lint(out: &mut String, label: &str, input: &Input) {
    let report = lint_input(input, &Levels::default());
    let _ = writeln!(out, "{label}:");
    if let Some(e) = &report.error {
        let _ = writeln!(out, "  error: {e}");
    }
    for f in &report.findings {
        let _ = writeln!(
            out,
            "  {} {} {}: {}",
            f.code,
            f.severity.as_str(),
            f.action.as_deref().unwrap_or("-"),
            f.message
        );
    }
}

#[test]
fn corpus_patches() {
    let root = corpus();
    let Ok(entries) = std::fs::read_dir(root.join("msp")) else {
        eprintln!("\n!!! corpus folder msp/ is missing: corpus patches NOT checked !!!\n");
        return;
    };
    let mut patches: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    patches.sort();
    // The bases the oracle patches, and the chains it applies.
    let mut chains: Vec<Vec<String>> = std::fs::read_dir(root.join("oracle-patched"))
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().into_string().ok())
        .filter(|n| n.contains('+'))
        .map(|n| n.split('+').map(str::to_owned).collect())
        .collect();
    chains.sort();
    let mut bases: Vec<String> = chains.iter().map(|c| c[0].clone()).collect();
    bases.push("wixtoolset__wix3_prodAv101.msi".into());
    bases.sort();
    bases.dedup();

    let mut out = String::new();
    let prefix = format!("{}/", root.display());
    for patch in &patches {
        let name = patch.file_name().unwrap().to_string_lossy();
        let info = run(["info", &patch.display().to_string()]);
        let _ = writeln!(out, "== {name}\n{}", info.out.replace(&prefix, ""));
        let alone = lint_input(&Input::file(patch), &Levels::default());
        let _ = writeln!(
            out,
            "lint alone: {} ({} findings)\n",
            alone
                .package
                .as_ref()
                .map_or("unread", |p| p.kind.describe()),
            alone.findings.len()
        );
        for base in &bases {
            let input = Input {
                path: root.join("msi").join(base),
                patches: vec![patch.clone()],
                ..Input::default()
            };
            lint(&mut out, &format!("{base} -p {name}"), &input);
        }
        out.push('\n');
    }
    let _ = writeln!(out, "== chains");
    for chain in chains.iter().filter(|c| c.len() > 2) {
        let input = Input {
            path: root.join("msi").join(&chain[0]),
            patches: chain[1..]
                .iter()
                .map(|p| root.join("msp").join(p))
                .collect(),
            ..Input::default()
        };
        lint(&mut out, &chain.join(" -p "), &input);
    }
    insta::assert_snapshot!(out);
}
