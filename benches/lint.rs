//! In-process figures: load + lint of a few samples and corpus files, and of
//! the synthetic package (10,000 custom actions, 20,000 sequence rows), with
//! and without a large dummy stream, a transform or a patch; and a corpus
//! product with its patches.
//!
//! ```text
//! cargo bench --bench lint
//! MSICA_BENCH_STREAM_MB=500 cargo bench --bench lint   # size of the big stream (default 100)
//! ```

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use msica::engine::{lint_file, lint_input, Levels};
use msica::model::load::{self, Input, TransformSpec};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bench_file(c: &mut Criterion, label: &str, path: &Path) {
    let levels = Levels::default();
    c.bench_function(&format!("load+lint {label}"), |b| {
        b.iter(|| lint_file(path, &levels))
    });
    c.bench_function(&format!("load {label}"), |b| {
        b.iter(|| load::load_package(path))
    });
}

fn files(c: &mut Criterion) {
    for name in ["clean-app.msi", "MCA101-deferred-outside-script.msi"] {
        bench_file(c, name, &root().join("samples").join(name));
    }
    let corpus = root().join("../shared/corpus/msi");
    for name in [
        "WorkingOnPhP__msodbcsql.msi",
        "lessmsi__NUnit-2.5.2.9222.msi",
        "wix3__Hello_World_hello_world.msi",
    ] {
        let path = corpus.join(name);
        if path.is_file() {
            bench_file(c, name, &path);
        }
    }
}

fn synthetic(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let small = dir.path().join("synthetic.msi");
    let big = dir.path().join("synthetic-stream.msi");
    let stream_mb = std::env::var("MSICA_BENCH_STREAM_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let create = |path: &Path, mb: usize| {
        let file = std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .unwrap();
        msica::testing::write_synthetic(file, mb).unwrap();
    };
    create(&small, 0);
    create(&big, stream_mb);
    bench_file(c, "synthetic 10k actions", &small);
    // The same package with a transform that touches 100 rows: applying it
    // should cost in proportion to the transform, not the package.
    let transform = dir.path().join("synthetic.mst");
    std::fs::write(&transform, msica::testing::synthetic_transform().bytes()).unwrap();
    let input = Input {
        path: small.clone(),
        transforms: vec![TransformSpec::File(transform)],
        ..Input::default()
    };
    let levels = Levels::default();
    c.bench_function(
        "load+lint synthetic 10k actions -t 100-row transform",
        |b| b.iter(|| lint_input(&input, &levels)),
    );
    // The same changes carried by a patch: choosing and opening its pair
    // should add little to the transform's cost.
    let patch = dir.path().join("synthetic.msp");
    std::fs::write(
        &patch,
        msica::testing::PatchBuilder::new(&[])
            .pair("rtm.1", msica::testing::synthetic_transform())
            .bytes(),
    )
    .unwrap();
    let input = Input {
        path: small.clone(),
        patches: vec![patch],
        ..Input::default()
    };
    c.bench_function("load+lint synthetic 10k actions -p 100-row patch", |b| {
        b.iter(|| lint_input(&input, &levels))
    });
    bench_file(
        c,
        &format!("synthetic 10k actions + {stream_mb} MB stream"),
        &big,
    );
}

/// A corpus product with the two patches of its servicing chain.
fn patches(c: &mut Criterion) {
    let corpus = root().join("../shared/corpus");
    let base = corpus.join("msi/wix3__RtmProduct_product.msi");
    if !base.is_file() {
        return;
    }
    let levels = Levels::default();
    let input = Input {
        path: base.clone(),
        patches: ["wixtoolset__wix3_rtmldr.msp", "wixtoolset__wix3_gdr1.msp"]
            .iter()
            .map(|p| corpus.join("msp").join(p))
            .collect(),
        ..Input::default()
    };
    c.bench_function("load+lint RtmProduct", |b| {
        b.iter(|| lint_file(&base, &levels))
    });
    c.bench_function("load+lint RtmProduct -p rtmldr -p gdr1", |b| {
        b.iter(|| lint_input(&input, &levels))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_millis(500));
    targets = files, synthetic, patches
}
criterion_main!(benches);
