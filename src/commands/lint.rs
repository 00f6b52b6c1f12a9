//! `msica lint PATH...`: lint packages and report the findings in the chosen format.

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::baseline::Baseline;
use crate::cli::{LintArgs, LintFormat};
use crate::config::Config;
use crate::engine::{self, FileReport, Levels};
use crate::finding::Severity;
use crate::model::load::Input;
use crate::render::Style;
use crate::report::{
    apply_args, exit_status, github, gitlab, human, json, print_error, sarif, LintWriter, Paths,
    RunEnd,
};
use crate::suppress;
use crate::ExitStatus;

/// The configuration of a run: `--config`, else `msica.toml` above the
/// working directory, unless `--no-config`.
fn find_config(args: &LintArgs, cwd: Option<&Path>) -> Result<Option<Config>, miette::Report> {
    if args.no_config {
        return Ok(None);
    }
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        // Shown relative to the working directory when it is there.
        None => cwd.and_then(|cwd| {
            Config::discover(cwd).map(|p| p.strip_prefix(cwd).map_or(p.clone(), Path::to_path_buf))
        }),
    };
    path.map(|p| Config::load(&p)).transpose()
}

/// `msica lint PATH...`.
pub fn run(args: &LintArgs, style: Style, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let cwd = std::env::current_dir().ok();
    let config = match find_config(args, cwd.as_deref()) {
        Ok(config) => config,
        Err(report) => {
            human::print_diagnostic(err, report.as_ref(), style);
            return ExitStatus::Error;
        }
    };
    let mut levels = Levels::default();
    if let Some(config) = &config {
        config.apply_levels(&mut levels);
    }
    if let Err(e) = apply_args(&mut levels, args) {
        human::print_diagnostic(err, &e, style);
        return ExitStatus::Error;
    }
    let baseline = match args.baseline.as_deref().map(Baseline::read).transpose() {
        Ok(baseline) => baseline,
        Err(e) => {
            human::print_diagnostic(err, &e, style);
            return ExitStatus::Error;
        }
    };
    let missing = args.paths.iter().filter(|p| !p.exists()).count();
    let mut inputs = Vec::new();
    let mut unreadable = Vec::new();
    for found in engine::collect_inputs(&args.paths, args.follow_links) {
        match found {
            engine::Found::File(path) => {
                let mut transforms: Vec<String> = config
                    .as_ref()
                    .map(|c| c.transforms_for(&path))
                    .unwrap_or_default();
                transforms.extend(args.transforms.iter().cloned());
                let mut patches: Vec<std::path::PathBuf> = config
                    .as_ref()
                    .map(|c| c.patches_for(&path))
                    .unwrap_or_default();
                patches.extend(args.patches.iter().cloned());
                inputs.push(Input {
                    transforms: crate::cli::transform_specs(&transforms),
                    patches,
                    path,
                });
            }
            engine::Found::Unreadable(path, source) => unreadable.push(FileReport::failed(
                &path,
                crate::error::LoadError::Open {
                    path: path.clone(),
                    source,
                },
            )),
        }
    }
    if inputs.is_empty() && unreadable.is_empty() && missing == 0 {
        let _ = writeln!(
            err,
            "error: no .msi or .msm files found in {}",
            display_paths(&args.paths)
        );
        return ExitStatus::Error;
    }
    let paths = Paths::new(cwd);
    let writer_for = |format: LintFormat, style: Style| -> Box<dyn LintWriter> {
        match format {
            LintFormat::Human => Box::new(human::Writer::new(style)),
            LintFormat::Json => Box::new(json::Writer::default()),
            LintFormat::Sarif => Box::new(sarif::Writer::new(paths.clone())),
            LintFormat::Github => Box::new(github::Writer::new(paths.clone())),
            LintFormat::Gitlab => Box::new(gitlab::Writer::new(paths.clone())),
        }
    };
    // With `--output-file`, the report goes to the file and the terminal
    // gets the human report.
    let mut report_file = match &args.output_file {
        Some(path) => match std::fs::File::create(path) {
            Ok(file) => Some(ReportFile {
                path,
                out: std::io::BufWriter::new(file),
                writer: writer_for(args.format, Style::plain()),
                failed: None,
            }),
            Err(e) => {
                let _ = writeln!(
                    err,
                    "error: {}: cannot write the report: {e}",
                    path.display()
                );
                return ExitStatus::Error;
            }
        },
        None => None,
    };
    let human_out = args.format == LintFormat::Human || report_file.is_some();
    let mut writer = if report_file.is_some() {
        writer_for(LintFormat::Human, style)
    } else {
        writer_for(args.format, style)
    };
    let source_dirs = match (&args.source, &config) {
        (dirs, Some(config)) if dirs.is_empty() => config.sources.clone(),
        (dirs, _) => dirs
            .iter()
            .map(|dir| crate::paths::portable_path(&dir.to_string_lossy()))
            .collect(),
    };
    let mut locator = crate::source::Locator::new(source_dirs);
    // Progress only for people: human output on a terminal, stderr a terminal too.
    let progress = human_out && style.terminal && std::io::stderr().is_terminal();
    let mut suppressor = suppress::Suppressor::new(
        config.as_ref(),
        baseline.as_ref(),
        args.write_baseline.is_some(),
    );
    let mut tally = Tally::default();
    // Once writing fails (a closed pipe), the run goes on for the exit code.
    let mut write_error: Option<std::io::Error> = None;
    let mut emit = |mut report: FileReport| {
        suppressor.filter(&mut report);
        tally.add(&report);
        locator.locate(&mut report, &mut |warning| {
            let _ = writeln!(err, "warning: {warning}");
        });
        // Errors go to stderr in human output; the other formats carry them.
        if human_out {
            if let Some(e) = &report.error {
                print_error(err, e, style);
            }
        }
        if let Some(file) = &mut report_file {
            file.write(|writer, out| writer.file(&report, out));
        }
        if write_error.is_none() {
            write_error = writer.file(&report, out).err();
        }
    };
    engine::lint_stream(&inputs, &levels, progress, &mut emit);
    for report in unreadable {
        emit(report);
    }

    if let Some(path) = &args.write_baseline {
        let new = suppressor
            .recorded()
            .unwrap_or_else(|| Baseline::new(Vec::new()));
        if let Err(e) = new.write(path) {
            human::print_diagnostic(err, &e, style);
            return ExitStatus::Error;
        }
        if human_out {
            let n = new.findings.len();
            let _ = writeln!(
                err,
                "wrote {n} finding{} to the baseline {}",
                if n == 1 { "" } else { "s" },
                path.display()
            );
        }
    }
    let config_findings = suppressor.stale(&levels);
    for cf in &config_findings {
        tally.count(cf.finding.severity);
    }
    let end = RunEnd {
        files: tally.files,
        files_with_errors: tally.files_with_errors,
        counts: tally.counts,
        ignored: suppressor.ignored,
        baselined: suppressor.baselined,
        config: config.as_ref(),
        config_findings: &config_findings,
    };
    if let Some(mut file) = report_file {
        file.write(|writer, out| writer.finish(&end, out));
        let path = file.path;
        if let Err(e) = file.close() {
            let _ = writeln!(
                err,
                "error: {}: cannot write the report: {e}",
                path.display()
            );
            return ExitStatus::Error;
        }
    }
    let written = match write_error {
        Some(e) => Err(e),
        None => writer.finish(&end, out).and_then(|()| out.flush()),
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => ExitStatus::Error,
        _ => exit_status(&end),
    }
}

/// The report of `--output-file`, written alongside the terminal's.
struct ReportFile<'a> {
    path: &'a Path,
    out: std::io::BufWriter<std::fs::File>,
    writer: Box<dyn LintWriter>,
    /// The first error writing the file; nothing more is written after it.
    failed: Option<std::io::Error>,
}

impl ReportFile<'_> {
    fn write(
        &mut self,
        part: impl FnOnce(&mut dyn LintWriter, &mut dyn Write) -> std::io::Result<()>,
    ) {
        if self.failed.is_none() {
            self.failed = part(self.writer.as_mut(), &mut self.out).err();
        }
    }

    /// Flushes the file; the first error met while writing it.
    fn close(mut self) -> std::io::Result<()> {
        match self.failed.take() {
            Some(e) => Err(e),
            None => self.out.flush(),
        }
    }
}

/// Counts kept while reports stream past.
#[derive(Debug, Default)]
struct Tally {
    files: usize,
    files_with_errors: usize,
    counts: (usize, usize, usize),
}

impl Tally {
    fn add(&mut self, report: &FileReport) {
        self.files += 1;
        self.files_with_errors += usize::from(report.error.is_some());
        for f in &report.findings {
            self.count(f.severity);
        }
    }

    fn count(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.counts.0 += 1,
            Severity::Warning => self.counts.1 += 1,
            Severity::Info => self.counts.2 += 1,
        }
    }
}

fn display_paths(paths: &[std::path::PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
