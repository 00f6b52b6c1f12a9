//! Mutation harness: corrupts real databases in many ways and runs the whole
//! pipeline on each, in-process.
//!
//! ```text
//! cargo run --release --example mutate -- --inputs 100000 --jobs 2
//! cargo run --release --example mutate -- --seed 7 --only 1234 --write case.msi
//! ```
//!
//! Options: `--seed N` (default 1), `--inputs N` (default 10000), `--jobs N`
//! (threads, default 1), `--corpus DIR` (repeatable; default `samples` and,
//! when present, `../shared/corpus/msi` and `../shared/corpus/msp`), `--timeout SECS` (an input running
//! longer is reported as a hang and stops the run; default 10), `--only N`
//! with `--write FILE` (write input N of the run and exit).
//!
//! Prints the counts, the slowest input, peak memory (VmHWM) and every
//! escaped panic with the numbers that reproduce it. Exit status 1 when a
//! panic escaped or an input was slow (over `--slow`, default 1 s).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use msica::testing::fuzzing::{self, Layout, Mutation};

struct Args {
    seed: u64,
    inputs: u64,
    jobs: usize,
    corpus: Vec<PathBuf>,
    timeout: Duration,
    slow: Duration,
    only: Option<u64>,
    write: Option<PathBuf>,
}

fn parse_args() -> Args {
    let mut args = Args {
        seed: 1,
        inputs: 10_000,
        jobs: 1,
        corpus: Vec::new(),
        timeout: Duration::from_secs(10),
        slow: Duration::from_secs(1),
        only: None,
        write: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--seed" => args.seed = value().parse().expect("--seed N"),
            "--inputs" => args.inputs = value().parse().expect("--inputs N"),
            "--jobs" => args.jobs = value().parse::<usize>().expect("--jobs N").max(1),
            "--corpus" => args.corpus.push(value().into()),
            "--timeout" => {
                args.timeout = Duration::from_secs_f64(value().parse().expect("--timeout SECS"))
            }
            "--slow" => args.slow = Duration::from_secs_f64(value().parse().expect("--slow SECS")),
            "--only" => args.only = Some(value().parse().expect("--only N")),
            "--write" => args.write = Some(value().into()),
            other => panic!("unknown option {other}"),
        }
    }
    if args.corpus.is_empty() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        args.corpus.push(root.join("samples"));
        for shared in ["../shared/corpus/msi", "../shared/corpus/msp"] {
            let shared = root.join(shared);
            if shared.is_dir() {
                args.corpus.push(shared);
            }
        }
    }
    args
}

/// The input a job is working on, and since when.
type Running = Option<(u64, Instant)>;

#[derive(Default)]
struct Totals {
    inputs: u64,
    loaded: u64,
    load_errors: u64,
    panics_contained: u64,
    commands: u64,
    escaped: Vec<String>,
    slow: Vec<String>,
    max_time: Duration,
    max_time_input: String,
    total_time: Duration,
    errors_by_kind: BTreeMap<String, u64>,
    by_mutation: BTreeMap<Mutation, u64>,
}

fn error_kind(text: &str) -> String {
    // "path: damaged ...: reason" -> the first words of the reason
    let reason = text.split(": ").skip(2).collect::<Vec<_>>().join(": ");
    let reason = if reason.is_empty() {
        text.to_string()
    } else {
        reason
    };
    reason
        .split(|c: char| c.is_ascii_digit() || c == '(' || c == '"')
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

fn main() {
    let args = parse_args();
    let corpus: Vec<(PathBuf, Vec<u8>, Option<Layout>)> = fuzzing::load_corpus(&args.corpus)
        .into_iter()
        .map(|(p, b)| {
            let layout = Layout::parse(&b);
            (p, b, layout)
        })
        .collect();
    assert!(
        !corpus.is_empty(),
        "no seed databases found in {:?}",
        args.corpus
    );

    if let Some(index) = args.only {
        let (which, bytes, applied) = fuzzing::input(&corpus, args.seed, index);
        println!(
            "input {index}: {} with {applied:?}, {} bytes",
            corpus[which].0.display(),
            bytes.len()
        );
        if let Some(path) = &args.write {
            std::fs::write(path, &bytes).expect("write the input");
            println!("written to {}", path.display());
        }
        let scratch = tempfile::NamedTempFile::new().expect("scratch file");
        let base = fuzzing::base_for(&corpus[which].0).and_then(|b| std::fs::read(b).ok());
        let outcome = fuzzing::run_all_with_base(&bytes, scratch.path(), base.as_deref());
        println!("{outcome:#?}");
        return;
    }

    eprintln!(
        "{} seed databases ({} with a readable layout), seed {}, {} inputs, {} jobs",
        corpus.len(),
        corpus.iter().filter(|c| c.2.is_some()).count(),
        args.seed,
        args.inputs,
        args.jobs
    );
    let corpus = Arc::new(corpus);
    let totals = Arc::new(Mutex::new(Totals::default()));
    let next = Arc::new(AtomicU64::new(0));
    // What each job is working on, for the hang watchdog.
    let running: Arc<Mutex<Vec<Running>>> = Arc::new(Mutex::new(vec![None; args.jobs]));
    let started = Instant::now();
    let scratch_dir = if std::path::Path::new("/dev/shm").is_dir() {
        tempfile::tempdir_in("/dev/shm")
    } else {
        tempfile::tempdir()
    }
    .expect("scratch directory");

    {
        let running = Arc::clone(&running);
        let corpus = Arc::clone(&corpus);
        let timeout = args.timeout;
        let seed = args.seed;
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(500));
            for slot in running.lock().unwrap().iter().flatten() {
                if slot.1.elapsed() > timeout {
                    let (which, _, applied) = fuzzing::input(&corpus, seed, slot.0);
                    eprintln!(
                        "HANG: input {} (seed {seed}) from {} with {applied:?} has run for {:?}",
                        slot.0,
                        corpus[which].0.display(),
                        slot.1.elapsed()
                    );
                    std::process::exit(3);
                }
            }
        });
    }

    let workers: Vec<_> = (0..args.jobs)
        .map(|job| {
            let corpus = Arc::clone(&corpus);
            let totals = Arc::clone(&totals);
            let next = Arc::clone(&next);
            let running = Arc::clone(&running);
            let scratch = scratch_dir.path().join(format!("input-{job}.msi"));
            let (seed, inputs, slow) = (args.seed, args.inputs, args.slow);
            std::thread::spawn(move || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= inputs {
                    break;
                }
                let (which, bytes, applied) = fuzzing::input(&corpus, seed, index);
                running.lock().unwrap()[job] = Some((index, Instant::now()));
                let base = fuzzing::base_for(&corpus[which].0).and_then(|b| std::fs::read(b).ok());
                let outcome = fuzzing::run_all_with_base(&bytes, &scratch, base.as_deref());
                running.lock().unwrap()[job] = None;
                let name = corpus[which]
                    .0
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                let mut t = totals.lock().unwrap();
                t.inputs += 1;
                t.commands += outcome.commands as u64;
                t.panics_contained += outcome.panics_contained as u64;
                if outcome.loaded {
                    t.loaded += 1;
                } else {
                    t.load_errors += 1;
                }
                if let Some(e) = &outcome.load_error {
                    *t.errors_by_kind.entry(error_kind(e)).or_default() += 1;
                }
                for m in &applied {
                    *t.by_mutation.entry(*m).or_default() += 1;
                }
                let id = format!("input {index} (seed {seed}, {name}, {applied:?})");
                for p in &outcome.panics_escaped {
                    t.escaped.push(format!("{id}: {p}"));
                }
                if outcome.elapsed > slow {
                    t.slow.push(format!("{id}: {:?}", outcome.elapsed));
                }
                t.total_time += outcome.elapsed;
                if outcome.elapsed > t.max_time {
                    t.max_time = outcome.elapsed;
                    t.max_time_input = id;
                }
                if t.inputs % 5000 == 0 {
                    eprintln!(
                        "{} inputs, {} escaped panics, max {:?}, VmHWM {} kB, {:?}",
                        t.inputs,
                        t.escaped.len(),
                        t.max_time,
                        fuzzing::peak_rss_kb().unwrap_or(0),
                        started.elapsed()
                    );
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker");
    }

    let t = totals.lock().unwrap();
    println!("seed:                {}", args.seed);
    println!("seed databases:      {}", corpus.len());
    println!("inputs:              {}", t.inputs);
    println!("loaded (ok):         {}", t.loaded);
    println!("refused with error:  {}", t.load_errors);
    println!("commands run:        {}", t.commands);
    println!("panics contained:    {}", t.panics_contained);
    println!("panics escaped:      {}", t.escaped.len());
    println!("inputs over {:?}:    {}", args.slow, t.slow.len());
    println!(
        "max time per input:  {:?} ({})",
        t.max_time, t.max_time_input
    );
    println!(
        "mean time per input: {:?}",
        t.total_time / (t.inputs.max(1) as u32)
    );
    println!(
        "peak memory (VmHWM): {} kB",
        fuzzing::peak_rss_kb().unwrap_or(0)
    );
    println!("wall time:           {:?}", started.elapsed());
    println!("mutations applied:");
    for (m, n) in &t.by_mutation {
        println!("  {m:?}: {n}");
    }
    println!("load errors by kind (top 25):");
    let mut kinds: Vec<_> = t.errors_by_kind.iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(a.1));
    for (k, n) in kinds.into_iter().take(25) {
        println!("  {n:7}  {k}");
    }
    for e in t.escaped.iter().take(50) {
        println!("ESCAPED PANIC: {e}");
    }
    for s in t.slow.iter().take(50) {
        println!("SLOW: {s}");
    }
    if !t.escaped.is_empty() || !t.slow.is_empty() {
        std::process::exit(1);
    }
}
