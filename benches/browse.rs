//! `msica browse`: the time to the first screen (open the package, build
//! the views, draw 120x40), and moving a page through a 100,000-row table
//! (key handling and drawing the new frame).
//!
//! ```text
//! cargo bench --bench browse
//! ```

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use msica::model::load::Input;
use msica::tui::{render, App, Data, View};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn first_screen(path: &Path) -> App {
    let mut app = App::new(Data::load(&Input::file(path)).expect("the package opens"));
    render(&mut app, 120, 40);
    app
}

fn files(c: &mut Criterion) {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/msi");
    // 4.1 MB, the largest package of the corpus.
    let path = corpus.join("WorkingOnPhP__msodbcsql.msi");
    if !path.is_file() {
        eprintln!(
            "*** no corpus at {}: the 4 MB package is not timed",
            corpus.display()
        );
        return;
    }
    c.bench_function("browse first screen msodbcsql.msi (4 MB)", |b| {
        b.iter(|| first_screen(&path))
    });
    for view in [View::Actions, View::Sequence, View::Findings] {
        c.bench_function(
            &format!("browse first screen msodbcsql.msi {view:?} view"),
            |b| {
                b.iter(|| {
                    let mut app = App::new(Data::load(&Input::file(&path)).unwrap());
                    app.start(view, None).unwrap();
                    render(&mut app, 120, 40)
                })
            },
        );
    }
}

/// A package with a 100,000-row table. Its keys are integers: the `msi`
/// writer holds at most 65,535 strings.
fn write_large_table(path: &Path) {
    use msi::{Column, Insert, PackageType, Value};
    let file = std::fs::File::create_new(path).unwrap();
    let mut pkg = msi::Package::create(PackageType::Installer, file).unwrap();
    pkg.create_table(
        "Big",
        vec![
            Column::build("Id").primary_key().int32(),
            Column::build("Group").int16(),
            Column::build("Name").nullable().string(72),
            Column::build("Text").nullable().formatted_string(255),
        ],
    )
    .unwrap();
    let rows = (0..100_000)
        .map(|i| {
            vec![
                Value::Int(i),
                Value::Int(i % 97),
                Value::from(format!("name {}", i % 1000)),
                Value::from(format!("[INSTALLDIR]folder {}\\file.txt", i % 5000)),
            ]
        })
        .collect();
    pkg.insert_rows(Insert::into("Big").rows(rows)).unwrap();
}

fn large_table(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("100k-rows.msi");
    write_large_table(&path);
    let mut app = first_screen(&path);
    app.start(View::Tables, Some("Big")).unwrap();
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    c.bench_function("browse page down in a 100,000-row table", |b| {
        b.iter(|| {
            app.handle_key(key(KeyCode::PageDown));
            render(&mut app, 120, 40)
        })
    });
    // Sorting cycles up, down and off: the figure is the mean of the three.
    c.bench_function("browse sort a 100,000-row table by its Name column", |b| {
        b.iter(|| {
            for code in ['h', 'h', 'l', 'l', 's'] {
                app.handle_key(key(KeyCode::Char(code)));
            }
            render(&mut app, 120, 40)
        })
    });
    c.bench_function("browse search a 100,000-row table", |b| {
        b.iter(|| {
            app.search_for("folder 4999\\");
            render(&mut app, 120, 40)
        })
    });
    c.bench_function("browse jump to the end of a 100,000-row table", |b| {
        b.iter(|| {
            app.handle_key(key(KeyCode::Char('g')));
            app.handle_key(key(KeyCode::Char('G')));
            render(&mut app, 120, 40)
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(500));
    targets = files, large_table
}
criterion_main!(benches);
