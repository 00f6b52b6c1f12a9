//! Output of `msica lint`, `rules`, `explain` and `condition`, in every format.

pub mod github;
pub mod gitlab;
mod human;
pub mod json;
pub mod sarif;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::baseline::Baseline;
use crate::cli::{LintArgs, LintFormat};
use crate::condition::{Condition, Expr, Operand, RefKind};
use crate::config::Config;
use crate::engine::{self, FileReport, Levels};
use crate::finding::Severity;
use crate::model::load::Input;
use crate::render::{self, Style};
use crate::rules::{find_rule, RULES};
use crate::suppress::{self, ConfigFinding};
use crate::{write_out, ExitStatus};

pub use human::print_error;

/// Applies `--allow`, `--warn` and `--deny` on top of `levels` (they override
/// the configuration file).
pub fn apply_args(levels: &mut Levels, args: &LintArgs) -> Result<(), engine::UnknownRule> {
    for rule in &args.allow {
        levels.set(rule, None)?;
    }
    for rule in &args.warn {
        levels.set(rule, Some(Severity::Warning))?;
    }
    for rule in &args.deny {
        if rule.eq_ignore_ascii_case("warnings") {
            levels.warnings_are_errors = true;
        } else {
            levels.set(rule, Some(Severity::Error))?;
        }
    }
    Ok(())
}

/// How a lint run ends, for the last part of every format.
#[derive(Debug)]
pub struct RunEnd<'a> {
    pub files: usize,
    /// Files that could not be read.
    pub files_with_errors: usize,
    /// (errors, warnings, infos) over every finding reported, the findings
    /// about the configuration included.
    pub counts: (usize, usize, usize),
    /// Findings hidden by `[[ignore]]` entries and by the baseline.
    pub ignored: usize,
    pub baselined: usize,
    /// The configuration file used, and the findings about it.
    pub config: Option<&'a Config>,
    pub config_findings: &'a [ConfigFinding],
}

/// A lint report in one format, written as the files' reports arrive.
pub trait LintWriter {
    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> std::io::Result<()>;
    fn finish(&mut self, end: &RunEnd, out: &mut dyn Write) -> std::io::Result<()>;
}

/// Where output paths are relative to: SARIF and GitHub make paths relative
/// to the working directory.
#[derive(Debug, Clone, Default)]
pub struct Paths {
    pub cwd: Option<PathBuf>,
}

impl Paths {
    /// `path` as SARIF and GitHub want it: relative to the working directory
    /// with forward slashes when it is under it, else absolute.
    pub fn display(&self, path: &Path) -> (String, bool) {
        relative_path(self.cwd.as_deref(), path)
    }
}

/// `path` relative to `cwd` with `/` separators, and whether it is relative.
pub fn relative_path(cwd: Option<&Path>, path: &Path) -> (String, bool) {
    let slashes = |p: &Path| {
        let text = p.to_string_lossy().into_owned();
        if std::path::MAIN_SEPARATOR == '\\' {
            text.replace('\\', "/")
        } else {
            text
        }
    };
    let Some(cwd) = cwd else {
        return (slashes(path), path.is_relative());
    };
    let absolute = normalize(&cwd.join(path));
    let cwd = normalize(cwd);
    match absolute.strip_prefix(&cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => (slashes(rel), true),
        _ => (slashes(&absolute), false),
    }
}

/// Resolves `.` and `..` without touching the file system (symbolic links
/// are resolved when the path exists).
fn normalize(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

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
pub fn lint_command(
    args: &LintArgs,
    style: Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitStatus {
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
                inputs.push(Input {
                    transforms: crate::cli::transform_specs(&transforms),
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
    let paths = Paths { cwd };
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
        (dirs, _) => dirs.clone(),
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

/// 2 when a file could not be read, else 1 when an error-level finding
/// exists (a finding about the configuration included), else 0.
pub fn exit_status(end: &RunEnd) -> ExitStatus {
    if end.files_with_errors > 0 {
        ExitStatus::Error
    } else if end.counts.0 > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// `msica explain X`: a Type number or a rule.
pub fn explain(what: &str, json: bool) -> Option<String> {
    if let Some(raw) = crate::inspect::explain::parse_type_number(what) {
        return Some(crate::inspect::explain::explain_type(raw, json));
    }
    let meta = find_rule(what)?.meta();
    Some(if json {
        crate::inspect::to_json(&json::rule_json(meta))
    } else {
        format!(
            "{} {} ({})\n\n{}\n",
            meta.code,
            meta.name,
            meta.severity.as_str(),
            meta.documentation()
        )
    })
}

/// `msica rules`.
pub fn rules_table(json: bool, style: Style) -> String {
    if json {
        return crate::inspect::to_json(
            &RULES
                .iter()
                .map(|r| json::rule_json(r.meta()))
                .collect::<Vec<_>>(),
        );
    }
    let rows = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            vec![
                m.code.to_string(),
                m.name.to_string(),
                m.severity.as_str().to_string(),
                m.summary.to_string(),
            ]
        })
        .collect();
    render::table(style, &["Code", "Name", "Default", "What it finds"], rows)
}

/// `msica condition EXPR`: the canonical form, the parse tree and what the
/// condition reads; a condition that does not parse is shown with the bad
/// spot underlined and exits 2.
pub fn condition_command(
    expression: &str,
    json: bool,
    style: Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitStatus {
    match crate::condition::parse(expression) {
        Ok(parsed) => {
            let text = if json {
                condition_json(expression, &parsed)
            } else {
                condition_human(expression, &parsed)
            };
            write_out(out, &text)
        }
        Err(error) => {
            if json {
                let doc = serde_json::json!({
                    "condition": expression,
                    "valid": false,
                    "error": {"message": error.message, "offset": error.offset, "len": error.len},
                });
                let _ = write_out(out, &crate::inspect::to_json(&doc));
            } else {
                human::print_condition_error(err, expression, &error, style);
            }
            ExitStatus::Error
        }
    }
}

/// The reference kinds in display order, with their human and JSON names.
const REFERENCE_KINDS: [(RefKind, &str, &str); 6] = [
    (RefKind::Property, "properties", "properties"),
    (
        RefKind::Env,
        "environment variables",
        "environment_variables",
    ),
    (
        RefKind::ComponentAction,
        "component action states ($)",
        "component_action_states",
    ),
    (
        RefKind::ComponentInstalled,
        "component installed states (?)",
        "component_installed_states",
    ),
    (
        RefKind::FeatureAction,
        "feature action states (&)",
        "feature_action_states",
    ),
    (
        RefKind::FeatureInstalled,
        "feature installed states (!)",
        "feature_installed_states",
    ),
];

fn names_of(parsed: &Condition, kind: RefKind) -> Vec<String> {
    parsed
        .references()
        .into_iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.name)
        .collect()
}

fn condition_human(expression: &str, parsed: &Condition) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    if parsed.is_empty() {
        let _ = writeln!(text, "canonical: (empty: the condition always holds)");
    } else {
        let _ = writeln!(text, "canonical: {parsed}");
    }
    let _ = writeln!(text, "\nparse tree:");
    for line in parsed.explain().lines() {
        let _ = writeln!(text, "  {line}");
    }
    let _ = writeln!(text, "\nreads:");
    let mut any = false;
    for (kind, label, _) in REFERENCE_KINDS {
        let names = names_of(parsed, kind);
        if !names.is_empty() {
            any = true;
            let _ = writeln!(text, "  {label}: {}", names.join(", "));
        }
    }
    if !any {
        let _ = writeln!(
            text,
            "  nothing: the result is the same for every installation"
        );
    }
    if parsed.uses_install_state() {
        let _ = writeln!(
            text,
            "\nnote: component and feature states are only known after CostFinalize"
        );
    }
    if let Some((offset, len)) = parsed.mixed_precedence() {
        let spot = expression.get(offset..offset + len).unwrap_or_default();
        let _ = writeln!(
            text,
            "\nwarning: `{spot}` mixes operators without parentheses; Windows reads it as shown above, Wine \
             left to right (MCA403)"
        );
    }
    text
}

fn condition_json(expression: &str, parsed: &Condition) -> String {
    let mut reads = serde_json::Map::new();
    for (kind, _, key) in REFERENCE_KINDS {
        reads.insert(key.to_owned(), serde_json::json!(names_of(parsed, kind)));
    }
    let references: Vec<serde_json::Value> = parsed
        .references()
        .iter()
        .map(|r| {
            serde_json::json!({
                "kind": ref_kind_name(r.kind),
                "name": r.name,
                "offset": r.offset,
                "len": r.len,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "condition": expression,
        "valid": true,
        "empty": parsed.is_empty(),
        "canonical": parsed.to_string(),
        "tree": parsed.expr().map(expr_json),
        "explain": parsed.explain(),
        "reads": reads,
        "references": references,
        "uses_install_state": parsed.uses_install_state(),
        "mixed_precedence": parsed
            .mixed_precedence()
            .map(|(offset, len)| serde_json::json!({"offset": offset, "len": len})),
    });
    crate::inspect::to_json(&doc)
}

fn ref_kind_name(kind: RefKind) -> &'static str {
    match kind {
        RefKind::Property => "property",
        RefKind::Env => "environment",
        RefKind::ComponentAction => "component_action",
        RefKind::ComponentInstalled => "component_installed",
        RefKind::FeatureAction => "feature_action",
        RefKind::FeatureInstalled => "feature_installed",
    }
}

fn operand_json(o: &Operand) -> serde_json::Value {
    match o {
        Operand::Integer(i) => serde_json::json!({"kind": "integer", "value": i}),
        Operand::Literal(s) => serde_json::json!({"kind": "string", "value": s}),
        other => {
            let (kind, name) = RefKind::of(other).expect("every other operand is read at run time");
            serde_json::json!({"kind": ref_kind_name(kind), "name": name})
        }
    }
}

/// The syntax tree as nested JSON objects.
fn expr_json(e: &Expr) -> serde_json::Value {
    match e {
        Expr::Value(o) => serde_json::json!({"node": "value", "operand": operand_json(o)}),
        Expr::Not(inner) => serde_json::json!({"node": "NOT", "operand": expr_json(inner)}),
        Expr::Compare {
            op,
            case_insensitive,
            left,
            right,
        } => serde_json::json!({
            "node": "compare",
            "operator": format!("{}{}", if *case_insensitive { "~" } else { "" }, op.symbol()),
            "case_insensitive": case_insensitive,
            "left": operand_json(left),
            "right": operand_json(right),
        }),
        _ => {
            let (op, l, r) = e.as_binary().expect("remaining nodes are binary");
            serde_json::json!({"node": op.keyword(), "left": expr_json(l), "right": expr_json(r)})
        }
    }
}

/// The path as given, for messages.
pub(crate) fn path_text(path: &Path) -> String {
    path.display().to_string()
}

/// The rule catalogue as Markdown (`docs/rules.md` is generated from it).
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# msica rules\n\n<!-- Generated from the rule registry by `MSICA_BLESS=1 cargo test --test docs`; do not edit. -->\n\n",
    );
    out.push_str("| Code | Name | Default | What it finds |\n|---|---|---|---|\n");
    for rule in RULES {
        let m = rule.meta();
        out.push_str(&format!(
            "| {} | [{}](#{}) | {} | {} |\n",
            m.code,
            m.name,
            m.name,
            m.severity.as_str(),
            m.summary
        ));
    }
    for rule in RULES {
        let m = rule.meta();
        let doc = m
            .documentation()
            .replace("\n## ", "\n### ")
            .replacen("## ", "### ", 1);
        out.push_str(&format!(
            "\n## {}\n\n`{}` · default severity: {}\n\n{}\n",
            m.name,
            m.code,
            m.severity.as_str(),
            doc
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(expression: &str, json: bool) -> (ExitStatus, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = condition_command(expression, json, Style::plain(), &mut out, &mut err);
        (
            status,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn condition_prints_canonical_form_tree_and_references() {
        let (status, out, err) = run(
            r#"not installed AND (REMOVE~="ALL" or $Comp=2) AND %TEMP AND !Feat"#,
            false,
        );
        assert_eq!(status, ExitStatus::Success, "{err}");
        let canonical =
            r#"canonical: NOT installed AND (REMOVE ~= "ALL" OR $Comp = 2) AND %TEMP AND !Feat"#;
        assert!(out.contains(canonical), "{out}");
        assert!(out.contains("parse tree:\n  AND\n"), "{out}");
        assert!(out.contains("compare ~= (case-insensitive)"), "{out}");
        assert!(out.contains("properties: installed, REMOVE"), "{out}");
        assert!(out.contains("environment variables: TEMP"), "{out}");
        assert!(out.contains("component action states ($): Comp"), "{out}");
        assert!(out.contains("feature installed states (!): Feat"), "{out}");
        assert!(out.contains("only known after CostFinalize"), "{out}");
    }

    #[test]
    fn condition_warns_about_mixed_precedence_and_handles_empty_text() {
        let (_, out, _) = run("A XOR B OR C", false);
        assert!(out.contains("canonical: A XOR (B OR C)"), "{out}");
        assert!(out.contains("`XOR B OR` mixes operators"), "{out}");
        let (status, out, _) = run("  ", false);
        assert_eq!(status, ExitStatus::Success);
        assert!(
            out.contains("always holds") && out.contains("nothing"),
            "{out}"
        );
    }

    #[test]
    fn condition_json_has_the_same_facts() {
        let (status, out, _) = run("NOT Installed AND VersionNT >= 600", true);
        assert_eq!(status, ExitStatus::Success);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["valid"], true);
        assert_eq!(v["canonical"], "NOT Installed AND VersionNT >= 600");
        assert_eq!(v["tree"]["node"], "AND");
        assert_eq!(v["tree"]["left"]["node"], "NOT");
        assert_eq!(v["tree"]["right"]["operator"], ">=");
        assert_eq!(
            v["tree"]["right"]["right"],
            serde_json::json!({"kind": "integer", "value": 600})
        );
        assert_eq!(
            v["reads"]["properties"],
            serde_json::json!(["Installed", "VersionNT"])
        );
        assert_eq!(v["references"][1]["offset"], 18);
        assert!(v["explain"].as_str().unwrap().starts_with("AND\n"));
    }

    #[test]
    fn syntax_error_is_underlined_and_exits_2() {
        let (status, out, err) = run(r#"REMOVE == "ALL""#, false);
        assert_eq!(status, ExitStatus::Error);
        assert!(out.is_empty());
        assert!(err.contains("`==` is not an operator, use `=`"), "{err}");
        assert!(err.contains(r#"REMOVE == "ALL""#), "{err}");
        // The underline sits under `==` (7 columns in), two columns wide.
        let source = err
            .lines()
            .find(|l| l.contains(r#"REMOVE == "ALL""#))
            .unwrap();
        let marks = err.lines().skip_while(|l| *l != source).nth(1).unwrap();
        let col = source[..source.find("REMOVE").unwrap()].chars().count();
        let under: String = marks.chars().skip(col).collect();
        assert_eq!(
            under.find(|c: char| c != ' '),
            Some(7),
            "{marks:?} under {source:?}"
        );
        assert!(
            under.chars().skip(7).take(2).all(|c| c != ' '),
            "{marks:?} under {source:?}"
        );

        let (status, out, _) = run("A AND", true);
        assert_eq!(status, ExitStatus::Error);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["valid"], false);
        assert_eq!(v["error"]["offset"], 5);
        assert!(v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expected an operand after `AND`"));
    }
}
