//! `docs/rules.md` is generated from the rule registry; this test fails when
//! it is stale. `MSICA_BLESS=1 cargo test --test docs` rewrites it.

use std::path::Path;

#[test]
fn rules_documentation_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let expected = msica::report::rules_markdown();
    if std::env::var_os("MSICA_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is stale: run `MSICA_BLESS=1 cargo test --test docs`"
    );
}
