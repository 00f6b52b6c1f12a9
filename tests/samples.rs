//! Every sample in `samples/` produces exactly the finding its name announces,
//! and the clean samples produce no warning or error.

use std::collections::BTreeSet;
use std::path::Path;

use msica::engine::{lint_file, lint_input, Levels};
use msica::finding::Severity;
use msica::model::load::{Input, TransformSpec};

#[test]
fn each_seeded_defect_produces_exactly_its_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "msi") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let report = lint_file(&path, &Levels::default());
        assert!(report.error.is_none(), "{name}: {:?}", report.error);
        let codes: BTreeSet<&str> = report
            .findings
            .iter()
            // An information-level rule is seen in its own sample.
            .filter(|f| f.severity > Severity::Info || name.starts_with(f.code))
            .map(|f| f.code)
            .collect();
        if name.starts_with("clean-") {
            assert!(
                codes.is_empty(),
                "{name} should be clean: {:#?}",
                report.findings
            );
        } else {
            let expected = &name[..6];
            let mut expected = BTreeSet::from([expected]);
            // A script action whose function is missing is a script action too.
            if expected.contains("MCA305") {
                expected.insert("MCA204");
            }
            assert_eq!(codes, expected, "{name}: {:#?}", report.findings);
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} samples found");
}

#[test]
fn the_site_transform_brings_its_defect_and_names_itself() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let input = Input {
        path: dir.join("clean-app.msi"),
        transforms: vec![TransformSpec::File(dir.join("site.mst"))],
        ..Input::default()
    };
    let report = lint_input(&input, &Levels::default());
    assert!(report.error.is_none(), "{:?}", report.error);
    let found: Vec<(&str, Option<&str>, Option<&str>)> = report
        .findings
        .iter()
        .filter(|f| f.severity > Severity::Info)
        .map(|f| (f.code, f.action.as_deref(), f.location.origin.as_deref()))
        .collect();
    assert_eq!(
        found,
        [("MCA101", Some("InstallFoo"), Some("changed by site.mst"))]
    );
}
