//! `msica diff`: the whole comparison in process (open both packages, lint
//! both, compare custom actions, tables and streams), on the largest
//! packages of the corpus.
//!
//! ```text
//! cargo bench --bench diff
//! ```

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use msica::diff::diff_inputs;
use msica::model::load::Input;

fn corpus_file(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/msi")
        .join(name);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("*** {} not found: not timed", path.display());
        None
    }
}

fn pairs(c: &mut Criterion) {
    // (label, old, new). The same 4 MB package twice is the worst case for
    // streams: every size is equal, so every stream is read and hashed.
    let cases = [
        (
            "diff msodbcsql.msi (4.1 MB) against itself",
            "WorkingOnPhP__msodbcsql.msi",
            "WorkingOnPhP__msodbcsql.msi",
        ),
        (
            "diff msodbcsql.msi (4.1 MB) against FreeEDR setup.msi (3.7 MB)",
            "WorkingOnPhP__msodbcsql.msi",
            "jymcheong__FreeEDR-agents_setup.msi",
        ),
        (
            "diff ZeroTier 1.0.0 against 1.0.1 (1.7 MB each)",
            "ZeroTierOne__ZeroTierOne_NDIS6_x86_AI14.5.msi",
            "ZeroTierOne__ZeroTierOne_NDIS6_x86_AI17.6.msi",
        ),
    ];
    for (label, old, new) in cases {
        let (Some(old), Some(new)) = (corpus_file(old), corpus_file(new)) else {
            continue;
        };
        let (old, new) = (Input::file(old), Input::file(new));
        c.bench_function(label, |b| {
            b.iter(|| diff_inputs(&old, &new).expect("both packages open"))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(500));
    targets = pairs
}
criterion_main!(benches);
