//! Runs the rules over packages and applies severity settings, in one place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use crate::analysis;
use crate::error::LoadError;
use crate::finding::{Finding, Severity};
use crate::model::load::{self, Input};
use crate::model::{Package, PackageKind};
use crate::rules::{find_rule, Context, Rule, RULES};

/// Effective severity per rule code; `None` means the rule is off.
#[derive(Debug, Clone, Default)]
pub struct Levels {
    overrides: BTreeMap<&'static str, Option<Severity>>,
    /// `--deny warnings`: every warning is reported as an error.
    pub warnings_are_errors: bool,
}

/// A rule name or code that matches no rule.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("unknown rule `{0}`")]
#[diagnostic(
    code(msica::unknown_rule),
    help("`msica rules` lists every rule code and name")
)]
pub struct UnknownRule(pub String);

impl Levels {
    /// Sets a rule (code or name) to a level; `None` turns it off.
    pub fn set(&mut self, rule: &str, level: Option<Severity>) -> Result<(), UnknownRule> {
        let rule = find_rule(rule).ok_or_else(|| UnknownRule(rule.to_owned()))?;
        self.overrides.insert(rule.meta().code, level);
        Ok(())
    }

    /// The level a rule reports at, or `None` when it is off.
    pub fn level(&self, rule: &dyn Rule) -> Option<Severity> {
        let meta = rule.meta();
        let level = self
            .overrides
            .get(meta.code)
            .copied()
            .unwrap_or(Some(meta.severity))?;
        Some(if self.warnings_are_errors && level == Severity::Warning {
            Severity::Error
        } else {
            level
        })
    }
}

/// Runs `rules` on a package and returns the findings in a stable order.
pub fn run_rules(pkg: &Package, rules: &[&dyn Rule], levels: &Levels) -> Vec<Finding> {
    let roles = analysis::roles(pkg);
    let siblings = analysis::siblings(pkg);
    let conditions = analysis::condition_sites(pkg);
    let scenarios = std::cell::OnceCell::new();
    let mut findings = Vec::new();
    for rule in rules {
        let Some(level) = levels.level(*rule) else {
            continue;
        };
        let mut cx = Context {
            pkg,
            roles: &roles,
            siblings: &siblings,
            conditions: &conditions,
            scenarios: &scenarios,
            meta: rule.meta(),
            reports: Vec::new(),
        };
        rule.check(&mut cx);
        let meta = cx.meta;
        findings.extend(cx.reports.into_iter().map(|r| {
            let mut f = r.into_finding(meta, level);
            if levels.warnings_are_errors && f.severity == Severity::Warning {
                f.severity = Severity::Error;
            }
            f
        }));
    }
    // A finding about a row whose cells are partly lost would be built on
    // text msica cannot see; the damage itself is reported (MCA901).
    findings.retain(|f| !f.location.damaged);
    findings.sort_by(|a, b| {
        (a.code, &a.location.table, &a.location.key, &a.message).cmp(&(
            b.code,
            &b.location.table,
            &b.location.key,
            &b.message,
        ))
    });
    findings.dedup();
    findings
}

/// What a report keeps of a package once it has been linted: the facts
/// that identify it and that the outputs print. The package itself is
/// dropped as soon as its findings exist, so memory does not grow with the
/// number of files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFacts {
    pub kind: PackageKind,
    pub product_name: Option<String>,
    pub product_version: Option<String>,
    pub product_code: Option<String>,
    pub upgrade_code: Option<String>,
    pub package_code: Option<String>,
    pub producer: Option<String>,
    pub custom_actions: usize,
    /// Damage msica read past (a cut-off stream, lost strings), in words.
    pub damage: Vec<String>,
}

impl PackageFacts {
    pub fn of(pkg: &Package) -> Self {
        let property = |name| pkg.property(name).map(str::to_owned);
        Self {
            kind: pkg.kind,
            product_name: property("ProductName"),
            product_version: property("ProductVersion"),
            product_code: property("ProductCode"),
            upgrade_code: property("UpgradeCode"),
            package_code: pkg.summary.package_code.clone(),
            producer: pkg.summary.creating_application.clone(),
            custom_actions: pkg.custom_actions.len(),
            damage: pkg.damage.clone(),
        }
    }
}

/// The outcome of linting one file.
#[derive(Debug)]
pub struct FileReport {
    pub path: PathBuf,
    pub package: Option<PackageFacts>,
    pub findings: Vec<Finding>,
    pub error: Option<LoadError>,
}

impl FileReport {
    /// A file that could not be linted.
    pub fn failed(path: &Path, error: LoadError) -> Self {
        Self {
            path: path.to_owned(),
            package: None,
            findings: Vec::new(),
            error: Some(error),
        }
    }
}

/// Lints one file with every rule.
pub fn lint_file(path: &Path, levels: &Levels) -> FileReport {
    lint_input(&Input::file(path), levels)
}

/// Lints one package, its transforms applied, with every rule. A panic in
/// a rule becomes an error for this file instead of ending the run.
pub fn lint_input(input: &Input, levels: &Levels) -> FileReport {
    let path = &input.path;
    let linted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        load::load(input).map(|pkg| (PackageFacts::of(&pkg), run_rules(&pkg, RULES, levels)))
    }));
    match linted {
        Ok(Ok((facts, findings))) => FileReport {
            path: path.to_owned(),
            package: Some(facts),
            findings,
            error: None,
        },
        Ok(Err(error)) => FileReport::failed(path, error),
        Err(_) => FileReport::failed(
            path,
            LoadError::Damaged {
                path: path.to_owned(),
                reason: "msica failed while analysing it (an internal error; please report it)"
                    .into(),
            },
        ),
    }
}

/// Lints packages on a work-stealing pool and hands each report to `emit`
/// in input order, as soon as it and every report before it are done. At
/// most a few reports per worker wait to be emitted, so memory does not
/// grow with the number of files. One package is linted on this thread.
/// `progress` shows a bar with rate and ETA on stderr once the run takes
/// more than a moment.
pub fn lint_stream(
    inputs: &[Input],
    levels: &Levels,
    progress: bool,
    mut emit: impl FnMut(FileReport),
) {
    if let [one] = inputs {
        emit(lint_input(one, levels));
        return;
    }
    let inputs: Arc<[Input]> = inputs.into();
    let levels = Arc::new(levels.clone());
    let window = rayon::current_num_threads() * 4;
    let (sender, receiver) = mpsc::channel::<(usize, FileReport)>();
    let bar = progress.then(|| Progress::new(inputs.len()));
    let spawn = |index: usize| {
        let (inputs, levels, sender) = (inputs.clone(), levels.clone(), sender.clone());
        rayon::spawn(move || {
            let report = lint_input(&inputs[index], &levels);
            // The receiver only goes away when the run is over.
            let _ = sender.send((index, report));
        });
    };
    let (mut spawned, mut emitted) = (0, 0);
    let mut waiting: BTreeMap<usize, FileReport> = BTreeMap::new();
    while emitted < inputs.len() {
        while spawned < inputs.len() && spawned < emitted + window {
            spawn(spawned);
            spawned += 1;
        }
        match receiver.recv_timeout(Duration::from_millis(100)) {
            Ok((index, report)) => {
                waiting.insert(index, report);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        while let Some(report) = waiting.remove(&emitted) {
            emit(report);
            emitted += 1;
        }
        if let Some(bar) = &bar {
            bar.update(emitted);
        }
    }
}

/// A progress bar on stderr for long runs on a terminal, never in CI logs.
struct Progress {
    bar: indicatif::ProgressBar,
    start: Instant,
}

impl Progress {
    fn new(len: usize) -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(len as u64),
            indicatif::ProgressDrawTarget::hidden(),
        );
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "linting {pos}/{len} files {per_sec:.dim} eta {eta} {wide_bar}",
            )
            .expect("a valid template"),
        );
        Self {
            bar,
            start: Instant::now(),
        }
    }

    fn update(&self, done: usize) {
        if self.bar.is_hidden() && self.start.elapsed() >= PROGRESS_DELAY {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        self.bar.set_position(done as u64);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // The report starts on a clean line.
        self.bar.finish_and_clear();
    }
}

/// How long a run goes before it shows progress.
const PROGRESS_DELAY: Duration = Duration::from_millis(500);

/// A file found under the paths given, or a directory that could not be read.
#[derive(Debug)]
pub enum Found {
    File(PathBuf),
    Unreadable(PathBuf, std::io::Error),
}

/// Expands directories (recursively) into their .msi and .msm files, each
/// directory sorted by name; files named on the command line are kept
/// whatever their extension. Symbolic links inside directories are followed
/// only with `follow_links` (loops are detected); a directory that cannot be
/// read is reported, not skipped.
pub fn collect_inputs(paths: &[PathBuf], follow_links: bool) -> Vec<Found> {
    let mut out = Vec::new();
    for path in paths {
        if !path.is_dir() {
            out.push(Found::File(path.clone()));
            continue;
        }
        let walker = walkdir::WalkDir::new(path)
            .follow_links(follow_links)
            .sort_by_file_name();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() && is_package(e.path()) => {
                    out.push(Found::File(e.into_path()))
                }
                Ok(_) => {}
                Err(e) => {
                    let at = e.path().unwrap_or(path).to_owned();
                    let error = e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("a symbolic link loop"));
                    out.push(Found::Unreadable(at, error));
                }
            }
        }
    }
    out
}

fn is_package(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("msi") || e.eq_ignore_ascii_case("msm"))
}
