//! Bytes -> loader -> every rule -> every renderer, as `msica` runs them.
//!
//! The loader runs on the bytes in memory; the commands (`info`, `tables`,
//! `table`, `actions`, `sequence`, `lint` in every format, and the browser's
//! views) run in-process on a scratch copy, exactly as the mutation harness does. Any panic that
//! escapes, or an input that takes too long, is a finding.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("msica-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        dir.join("input.msi")
    })
}

fuzz_target!(|data: &[u8]| {
    let outcome = msica::testing::fuzzing::run_all(data, scratch());
    assert!(
        outcome.panics_escaped.is_empty(),
        "{:?}",
        outcome.panics_escaped
    );
});
