//! Corrupted databases never make msica panic, hang or balloon.
//!
//! A fast, seeded run of the mutation harness (`examples/mutate.rs` runs the
//! long one), every truncation point of a small database, and the inputs
//! under `tests/regressions/` that once crashed or stalled the loader.

use std::path::{Path, PathBuf};
use std::time::Duration;

use msica::testing::fuzzing::{self, Layout};

/// Generous: a debug build on a busy machine. Release runs stay far below.
const PER_INPUT_LIMIT: Duration = Duration::from_secs(3);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Samples, and the small files of the shared corpus when it is present.
fn seeds(max_len: usize) -> Vec<(PathBuf, Vec<u8>, Option<Layout>)> {
    let dirs = [
        root().join("samples"),
        root().join("../shared/corpus/msi"),
        root().join("../shared/corpus/msp"),
    ];
    fuzzing::load_corpus(&dirs)
        .into_iter()
        .filter(|(_, b)| b.len() <= max_len)
        .map(|(p, b)| {
            let layout = Layout::parse(&b);
            (p, b, layout)
        })
        .collect()
}

fn check(label: &str, bytes: &[u8], scratch: &Path) {
    let outcome = fuzzing::run_all(bytes, scratch);
    assert!(
        outcome.panics_escaped.is_empty(),
        "{label}: {:?}",
        outcome.panics_escaped
    );
    assert!(
        outcome.elapsed < PER_INPUT_LIMIT,
        "{label}: took {:?}",
        outcome.elapsed
    );
}

#[test]
fn mutated_databases_never_panic_or_stall() {
    let corpus = seeds(64 * 1024);
    assert!(corpus.len() >= 10, "the samples are missing");
    let inputs: u64 = std::env::var("MSICA_ROBUSTNESS_INPUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let scratch = dir.path().join("input.msi");
    let seed = 0x6D_7369_6361;
    let mut loaded = 0;
    for index in 0..inputs {
        let (which, bytes, applied) = fuzzing::input(&corpus, seed, index);
        let base = fuzzing::base_for(&corpus[which].0).and_then(|b| std::fs::read(b).ok());
        let outcome = fuzzing::run_all_with_base(&bytes, &scratch, base.as_deref());
        let label = format!(
            "input {index} (seed {seed}, {}, {applied:?})",
            corpus[which].0.display()
        );
        assert!(
            outcome.panics_escaped.is_empty(),
            "{label}: {:?}",
            outcome.panics_escaped
        );
        assert!(
            outcome.elapsed < PER_INPUT_LIMIT,
            "{label}: took {:?}",
            outcome.elapsed
        );
        loaded += usize::from(outcome.loaded);
    }
    // The mutations must leave a good share readable, or they test nothing
    // past the header.
    assert!(
        loaded as u64 > inputs / 5,
        "only {loaded} of {inputs} inputs loaded"
    );
}

/// Transforms cut at every point and with corrupted records, on their own
/// and applied to the base they were made for.
#[test]
fn every_truncation_of_a_transform_is_handled() {
    let transform = std::fs::read(root().join("samples/site.mst")).unwrap();
    let base = std::fs::read(root().join("samples/clean-app.msi")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let scratch = dir.path().join("cut.mst");
    for cut in (0..transform.len())
        .step_by(61)
        .chain([transform.len() - 1])
    {
        let outcome = fuzzing::run_all_with_base(&transform[..cut], &scratch, Some(&base));
        assert!(
            outcome.panics_escaped.is_empty(),
            "cut at {cut}: {:?}",
            outcome.panics_escaped
        );
    }
    let whole = fuzzing::run_all_with_base(&transform, &scratch, Some(&base));
    assert!(
        whole.commands > fuzzing::command_lines().len(),
        "the transform was applied"
    );
}

/// A patch cut at every point, on its own and applied to a base it targets.
#[test]
fn every_truncation_of_a_patch_is_handled() {
    use msica::db::transform::validation_flags::*;
    use msica::testing::{MsiBuilder, PatchBuilder, TransformBuilder};
    const CODE: &str = "{11111111-1111-1111-1111-111111111111}";
    let base = MsiBuilder::new()
        .standard_execute()
        .property("ProductCode", CODE)
        .property("ProductVersion", "1.0.0")
        .bytes();
    let patch = PatchBuilder::new(&[CODE])
        .pair(
            "rtm",
            TransformBuilder::new()
                .products((CODE, "1.0.0"), (CODE, "1.0.1"), "")
                .validation(PRODUCT | UPDATE_VERSION | NEW_EQUAL_BASE)
                .insert(
                    "CustomAction",
                    vec!["Fix".into(), 1.into(), "Lib".into(), "Run".into()],
                )
                .insert(
                    "InstallExecuteSequence",
                    vec!["Fix".into(), "NOT Installed".into(), 4000.into()],
                ),
        )
        .bytes();
    let dir = tempfile::tempdir().unwrap();
    let scratch = dir.path().join("cut.msp");
    for cut in (0..patch.len()).step_by(97).chain([patch.len() - 1]) {
        let outcome = fuzzing::run_all_with_base(&patch[..cut], &scratch, Some(&base));
        assert!(
            outcome.panics_escaped.is_empty(),
            "cut at {cut}: {:?}",
            outcome.panics_escaped
        );
    }
    let whole = fuzzing::run_all_with_base(&patch, &scratch, Some(&base));
    assert!(
        whole.commands >= fuzzing::command_lines().len() + fuzzing::patch_command_lines().len(),
        "the patch was applied"
    );
}

#[test]
fn every_truncation_of_a_database_is_handled() {
    let bytes = std::fs::read(root().join("samples/MCA101-deferred-outside-script.msi")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let scratch = dir.path().join("cut.msi");
    let mut cuts: Vec<usize> = (0..512).step_by(7).collect();
    cuts.extend(
        (512..bytes.len())
            .step_by(512)
            .flat_map(|s| [s - 1, s, s + 1]),
    );
    for cut in cuts {
        check(&format!("cut at {cut}"), &bytes[..cut], &scratch);
    }
}

#[test]
fn regression_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let scratch = dir.path().join("input.msi");
    let mut count = 0;
    for entry in std::fs::read_dir(root().join("tests/regressions")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "msi") {
            let bytes = std::fs::read(&path).unwrap();
            check(&path.display().to_string(), &bytes, &scratch);
            count += 1;
        }
    }
    assert!(
        count > 0
            || std::fs::read_dir(root().join("tests/regressions"))
                .unwrap()
                .count()
                <= 1
    );
}

/// Size fields that promise more than the file holds are read as damage,
/// never allocated by: these inputs once made the loader ask for 4 GB.
#[test]
fn size_fields_beyond_the_data_are_reported_as_damage() {
    for (file, expected) in [
        (
            "string-pool-length-past-data.msi",
            "string pool: the string pool lists",
        ),
        (
            "summary-string-length-past-stream.msi",
            "summary information: 1 of its properties cannot be read",
        ),
    ] {
        let bytes = std::fs::read(root().join("tests/regressions").join(file)).unwrap();
        let pkg = msica::model::load::load_from_bytes(bytes).expect(file);
        assert!(
            pkg.damage.iter().any(|d| d.starts_with(expected)),
            "{file}: {:?}",
            pkg.damage
        );
    }
}

/// The checks refuse nothing real: every sample and corpus file passes them.
#[test]
fn real_databases_pass_the_size_checks() {
    for (path, bytes, _) in seeds(usize::MAX) {
        if let Err(e) = msica::model::load::load_from_bytes(bytes) {
            let e = e.to_string();
            assert!(
                !e.contains("promises") && !e.contains("summary information:"),
                "{}: {e}",
                path.display()
            );
        }
    }
}

/// Damaged PE images, cabinets and scripts: every reader ends in data or a
/// reason, never a panic, and quickly; and a package carrying damaged code
/// still loads and lints.
#[test]
fn damaged_code_never_panics_or_stalls() {
    let inputs: u64 = std::env::var("MSICA_ROBUSTNESS_INPUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let seed = 0x636F_6465;
    for index in 0..inputs {
        let (kind, bytes) = fuzzing::code_input(seed, index);
        let outcome = fuzzing::read_damaged_code(kind, &bytes);
        assert!(!outcome.panicked, "input {index} ({kind:?}) panicked");
        assert!(
            outcome.elapsed < PER_INPUT_LIMIT,
            "input {index} ({kind:?}) took {:?}",
            outcome.elapsed
        );
    }
    // Through the loader and every rule: a few damaged images in a package.
    for index in 0..20 {
        let (_, dll) = fuzzing::code_input(seed, 1_000_000 + index);
        let (_, vbs) = fuzzing::code_input(seed ^ 1, 1_000_000 + index);
        let builder = msica::testing::MsiBuilder::new()
            .binary_data("Dll", &dll)
            .binary_data("Vbs", &vbs)
            .installed_file("ca.dll", "ca.dll", &dll)
            .action("A", 1, Some("Dll"), Some("Configure"))
            .action("B", 6, Some("Vbs"), Some("Check"))
            .action("C", 17, Some("ca.dll"), Some("Configure"));
        let pkg = builder.load();
        let _ =
            msica::engine::run_rules(&pkg, msica::rules::RULES, &msica::engine::Levels::default());
    }
}
