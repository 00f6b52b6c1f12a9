//! `msica diff OLD NEW` / `msica diff BASE -t MST`: renders the comparison
//! of [`crate::diff`] as compact human text, JSON or Markdown.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use crate::cli::{DiffArgs, DiffFormat};
use crate::config::Config;
use crate::diff::actions::{ActionChange, ScheduleChange};
use crate::diff::{self, Diff, FindingEntry, Side, TableDiff, TableStatus};
use crate::render::Style;
use crate::report::print_error;
use crate::{write_out, ExitStatus};

/// Rows listed per table in human output; JSON lists every one.
const HUMAN_ROWS: usize = 20;
/// Rows listed per table in Markdown.
const MARKDOWN_ROWS: usize = 100;
/// Longest cell value shown in human output.
const HUMAN_CELL: usize = 80;

/// `msica diff`.
pub fn run(args: &DiffArgs, style: Style, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let config = match find_config(args) {
        Ok(config) => config,
        Err(report) => {
            crate::report::human::print_diagnostic(err, report.as_ref(), style);
            return ExitStatus::Error;
        }
    };
    let mut levels = crate::engine::Levels::default();
    if let Some(config) = &config {
        config.apply_levels(&mut levels);
    }
    let settings = diff::LintSettings {
        levels: Some(&levels),
        config: config.as_ref(),
    };
    let (old, new) = args.inputs();
    let diff = match diff::diff_inputs_with(&old, &new, settings) {
        Ok(diff) => diff,
        Err(e) => {
            print_error(err, &e, style);
            return ExitStatus::Error;
        }
    };
    let text = match args.format {
        DiffFormat::Human => human(&diff, style),
        DiffFormat::Json => {
            let mut text = serde_json::to_string_pretty(&diff).expect("the diff serialises");
            text.push('\n');
            text
        }
        DiffFormat::Markdown => markdown(&diff),
    };
    let written = write_out(out, &text);
    if written != ExitStatus::Success {
        return written;
    }
    match args.fail_on {
        Some(level) if diff.introduced_at(level.severity()) > 0 => ExitStatus::Failure,
        _ => ExitStatus::Success,
    }
}

/// The configuration: `--config`, else `msica.toml` above the working
/// directory, unless `--no-config` (as `msica lint` finds it).
fn find_config(args: &DiffArgs) -> Result<Option<Config>, miette::Report> {
    if args.no_config {
        return Ok(None);
    }
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => std::env::current_dir().ok().and_then(|cwd| {
            Config::discover(&cwd)
                .map(|p| p.strip_prefix(&cwd).map_or(p.clone(), Path::to_path_buf))
        }),
    };
    path.map(|p| Config::load(&p)).transpose()
}

/// ANSI colours, only when the style allows them.
struct Paint {
    on: bool,
}

impl Paint {
    fn code(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.code("1", text)
    }
    fn mark(&self, mark: char) -> String {
        let code = match mark {
            '+' => "32",
            '-' => "31",
            _ => "33",
        };
        self.code(code, &mark.to_string())
    }
    fn dim(&self, text: &str) -> String {
        self.code("2", text)
    }
}

fn mark_of(change: diff::ChangeKind) -> char {
    match change {
        diff::ChangeKind::Added => '+',
        diff::ChangeKind::Removed => '-',
        diff::ChangeKind::Changed => '~',
    }
}

/// How a side is named: the path, with its transforms and patches.
fn side_label(side: &Side) -> String {
    let mut label = side.path.clone();
    for t in &side.transforms {
        label.push_str(" -t ");
        label.push_str(t);
    }
    for p in &side.patches {
        label.push_str(" -p ");
        label.push_str(p);
    }
    label
}

fn side_facts(side: &Side) -> String {
    let mut parts = Vec::new();
    if let Some(name) = &side.product_name {
        parts.push(name.clone());
    }
    if let Some(version) = &side.product_version {
        parts.push(version.clone());
    }
    parts.join(" ")
}

fn opt(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

/// A value on one line, shortened for a terminal.
fn short(value: &str, limit: usize) -> String {
    let flat: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() > limit {
        format!("{}…", flat.chars().take(limit).collect::<String>())
    } else {
        flat
    }
}

/// Two values that differ, each shortened around where they start to
/// differ, so two long texts with a common start do not look the same.
fn quoted_pair(old: &Option<String>, new: &Option<String>, limit: usize) -> (String, String) {
    let (Some(a), Some(b)) = (old, new) else {
        return (quoted(old, limit), quoted(new, limit));
    };
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    // Keep a little context before the first difference.
    let skip = common.saturating_sub(10);
    if skip == 0 || a.chars().count() <= limit || b.chars().count() <= limit {
        return (quoted(old, limit), quoted(new, limit));
    }
    let tail = |s: &str| {
        format!(
            "\"…{}\"",
            short(&s.chars().skip(skip).collect::<String>(), limit)
        )
    };
    (tail(a), tail(b))
}

fn quoted(value: &Option<String>, limit: usize) -> String {
    match value {
        Some(v) => format!("\"{}\"", short(v, limit)),
        None => "(null)".into(),
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// `1 added, 2 changed` (zero counts left out); `what` when all are zero.
fn counts(parts: &[(usize, &str)], none: &str) -> String {
    let text: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| format!("{n} {w}"))
        .collect();
    if text.is_empty() {
        none.to_owned()
    } else {
        text.join(", ")
    }
}

fn action_counts(diff: &Diff) -> String {
    let n = |k| diff.actions.iter().filter(|a| a.change == k).count();
    counts(
        &[
            (n(diff::ChangeKind::Added), "added"),
            (n(diff::ChangeKind::Removed), "removed"),
            (n(diff::ChangeKind::Changed), "changed"),
        ],
        "none changed",
    )
}

fn table_counts(diff: &Diff) -> String {
    let n = |s| diff.tables.iter().filter(|t| t.status == s).count();
    counts(
        &[
            (n(TableStatus::Changed), "changed"),
            (n(TableStatus::Added), "added"),
            (n(TableStatus::Removed), "removed"),
            (n(TableStatus::Unreadable), "unreadable"),
            (n(TableStatus::Unchanged), "unchanged"),
        ],
        "none",
    )
}

fn row_counts(t: &TableDiff) -> String {
    counts(
        &[
            (t.added.len(), "added"),
            (t.removed.len(), "removed"),
            (t.changed.len(), "changed"),
        ],
        "columns changed",
    )
}

/// The lines explaining one action change (without its headline).
fn action_details(a: &ActionChange, limit: usize) -> Vec<String> {
    let mut lines = Vec::new();
    if a.change == diff::ChangeKind::Changed {
        if let (Some(old), Some(new)) = (a.old_type, a.new_type) {
            if old != new {
                lines.push(format!("Type {old} → {new}: {}", a.type_changes.join("; ")));
                let mut bits: Vec<String> = a.bits_set.iter().map(|b| format!("+{b}")).collect();
                bits.extend(a.bits_cleared.iter().map(|b| format!("-{b}")));
                if !bits.is_empty() {
                    lines.push(format!("  bits: {}", bits.join(", ")));
                }
            }
        }
        for (column, change) in [("Source", &a.source), ("Target", &a.target)] {
            if let Some(c) = change {
                let (old, new) = quoted_pair(&c.old, &c.new, limit);
                lines.push(format!("{column}: {old} → {new}"));
            }
        }
    } else if a.change == diff::ChangeKind::Added {
        for (column, change) in [("Source", &a.source), ("Target", &a.target)] {
            if let Some(value) = change.as_ref().and_then(|c| c.new.as_ref()) {
                lines.push(format!("{column}: \"{}\"", short(value, limit)));
            }
        }
    }
    for s in &a.scheduling {
        lines.push(schedule_line(s, limit));
    }
    lines.extend(a.code.iter().cloned());
    lines.extend(a.custom_action_data.iter().cloned());
    lines.extend(a.siblings.iter().cloned());
    lines.extend(a.scenarios.iter().cloned());
    lines
}

fn schedule_line(s: &ScheduleChange, limit: usize) -> String {
    let mut parts = Vec::new();
    match s.change {
        diff::ChangeKind::Added => parts.push(format!("scheduled at {}", opt(&s.new_position))),
        diff::ChangeKind::Removed => parts.push(format!(
            "no longer scheduled (was at {})",
            opt(&s.old_position)
        )),
        diff::ChangeKind::Changed if s.old_position != s.new_position => parts.push(format!(
            "moved {} → {}",
            opt(&s.old_position),
            opt(&s.new_position)
        )),
        diff::ChangeKind::Changed => {}
    }
    parts.extend(s.notes.iter().cloned());
    if let Some(c) = &s.condition {
        if c.verdict == "new" {
            parts.push(format!("runs when {}", short(opt(&c.new), limit)));
        } else {
            parts.push(format!(
                "condition {} → {}: {}",
                quoted(&c.old, limit),
                quoted(&c.new, limit),
                c.words
            ));
        }
    }
    format!("{}: {}", s.table, parts.join("; "))
}

fn finding_line(f: &FindingEntry) -> String {
    let subject = f
        .action
        .clone()
        .unwrap_or_else(|| format!("{} {}", f.table, f.key).trim().to_owned());
    format!(
        "{:<7} {} {}  {subject}: {}",
        f.severity.as_str(),
        f.code,
        f.rule,
        f.message
    )
}

fn key_text(key: &[String]) -> String {
    key.join("/")
}

/// Compact human text.
fn human(diff: &Diff, style: Style) -> String {
    let p = Paint { on: style.color() };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}  {}",
        p.bold("old"),
        side_label(&diff.old),
        p.dim(&side_facts(&diff.old))
    );
    let _ = writeln!(
        out,
        "{} {}  {}",
        p.bold("new"),
        side_label(&diff.new),
        p.dim(&side_facts(&diff.new))
    );
    if diff.is_empty() {
        out.push_str("\nno differences\n");
        return out;
    }
    if !diff.package.is_empty() {
        let _ = writeln!(out, "\n{}", p.bold("Package"));
        let width = diff.package.iter().map(|f| f.name.len()).max().unwrap_or(0);
        for f in &diff.package {
            let (old, new) = quoted_pair(&f.old, &f.new, HUMAN_CELL);
            let _ = writeln!(out, "  {:width$}  {old} → {new}", f.name);
        }
    }
    let _ = writeln!(
        out,
        "\n{}: {}",
        p.bold("Custom actions"),
        action_counts(diff)
    );
    for a in &diff.actions {
        let ty = match a.change {
            diff::ChangeKind::Added | diff::ChangeKind::Removed => format!(
                "  {}",
                p.dim(&format!(
                    "Type {}: {}",
                    a.new_type.or(a.old_type).unwrap_or_default(),
                    a.summary
                ))
            ),
            diff::ChangeKind::Changed => String::new(),
        };
        let _ = writeln!(out, "  {} {}{ty}", p.mark(mark_of(a.change)), a.name);
        for line in action_details(a, HUMAN_CELL) {
            let _ = writeln!(out, "      {line}");
        }
    }
    let f = &diff.findings;
    let _ = writeln!(
        out,
        "\n{}: {}",
        p.bold("Findings"),
        counts(
            &[
                (f.introduced.len(), "introduced"),
                (f.resolved.len(), "resolved"),
                (f.unchanged, "unchanged"),
            ],
            "none on either side"
        )
    );
    // An introduced finding is bad news (red), a resolved one good (green).
    for (mark, colour, list) in [('+', "31", &f.introduced), ('-', "32", &f.resolved)] {
        for finding in list {
            let mark = p.code(colour, &mark.to_string());
            let _ = writeln!(out, "  {mark} {}", finding_line(finding));
        }
    }
    let _ = writeln!(out, "\n{}: {}", p.bold("Tables"), table_counts(diff));
    for t in &diff.tables {
        match t.status {
            TableStatus::Unchanged => continue,
            TableStatus::Added => {
                let _ = writeln!(
                    out,
                    "  {} {} ({})",
                    p.mark('+'),
                    t.name,
                    plural(t.added.len(), "row")
                );
                continue;
            }
            TableStatus::Removed => {
                let _ = writeln!(
                    out,
                    "  {} {} ({})",
                    p.mark('-'),
                    t.name,
                    plural(t.removed.len(), "row")
                );
                continue;
            }
            TableStatus::Unreadable => {
                let _ = writeln!(
                    out,
                    "  ! {}: cannot be compared: {}",
                    t.name,
                    opt(&t.problem)
                );
                continue;
            }
            TableStatus::Changed => {}
        }
        let _ = writeln!(out, "  {} {}: {}", p.mark('~'), t.name, row_counts(t));
        if !t.columns_added.is_empty() {
            let _ = writeln!(out, "      columns added: {}", t.columns_added.join(", "));
        }
        if !t.columns_removed.is_empty() {
            let _ = writeln!(
                out,
                "      columns removed: {}",
                t.columns_removed.join(", ")
            );
        }
        let mut lines = Vec::new();
        for key in &t.added {
            lines.push(format!("{} {}", p.mark('+'), key_text(key)));
        }
        for key in &t.removed {
            lines.push(format!("{} {}", p.mark('-'), key_text(key)));
        }
        for row in &t.changed {
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|c| {
                    let (old, new) = quoted_pair(&c.old, &c.new, HUMAN_CELL / 2);
                    format!("{} {old} → {new}", c.column)
                })
                .collect();
            lines.push(format!(
                "{} {}: {}",
                p.mark('~'),
                key_text(&row.key),
                cells.join("; ")
            ));
        }
        let total = lines.len();
        for line in lines.into_iter().take(HUMAN_ROWS) {
            let _ = writeln!(out, "      {line}");
        }
        if total > HUMAN_ROWS {
            let _ = writeln!(
                out,
                "      {}",
                p.dim(&format!(
                    "… {} more (--format json lists every row)",
                    total - HUMAN_ROWS
                ))
            );
        }
    }
    if !diff.streams.is_empty() {
        let _ = writeln!(
            out,
            "\n{}: {} changed",
            p.bold("Streams"),
            diff.streams.len()
        );
        for s in &diff.streams {
            let _ = writeln!(out, "  {}", stream_line(s, &p));
        }
    }
    out
}

fn size(n: Option<u64>) -> String {
    n.map_or_else(|| "-".into(), |n| format!("{n} bytes"))
}

fn stream_line(s: &diff::StreamChange, p: &Paint) -> String {
    match s.status {
        "added" => format!("{} {} ({})", p.mark('+'), s.name, size(s.new_size)),
        "removed" => format!("{} {} ({})", p.mark('-'), s.name, size(s.old_size)),
        _ if s.old_size != s.new_size => format!(
            "{} {}: {} → {}",
            p.mark('~'),
            s.name,
            size(s.old_size),
            size(s.new_size)
        ),
        _ => match &s.problem {
            Some(problem) => format!("{} {}: {problem}", p.mark('~'), s.name),
            None => format!(
                "{} {}: same size ({}), content differs (sha256 {} → {})",
                p.mark('~'),
                s.name,
                size(s.new_size),
                &opt(&s.old_sha256)[..opt(&s.old_sha256).len().min(12)],
                &opt(&s.new_sha256)[..opt(&s.new_sha256).len().min(12)]
            ),
        },
    }
}

/// Inline code in Markdown: backticks long enough not to clash with the text.
fn code(text: &str) -> String {
    let flat = short(text, 200);
    if flat.is_empty() {
        return "(empty)".into();
    }
    let fence = if flat.contains('`') { "``" } else { "`" };
    let pad = if flat.starts_with('`') || flat.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

fn code_opt(value: &Option<String>) -> String {
    value.as_deref().map_or_else(|| "(null)".into(), code)
}

/// Markdown for a release pull request or review.
fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## msica diff: {} → {}\n",
        code(&side_label(&diff.old)),
        code(&side_label(&diff.new))
    );
    if diff.is_empty() {
        out.push_str("No differences.\n");
        return out;
    }
    if !diff.package.is_empty() {
        out.push_str("| | old | new |\n| --- | --- | --- |\n");
        for f in &diff.package {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                f.name,
                code_opt(&f.old).replace('|', "\\|"),
                code_opt(&f.new).replace('|', "\\|")
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "### Custom actions: {}\n", action_counts(diff));
    for a in &diff.actions {
        let ty = match a.change {
            diff::ChangeKind::Changed => String::new(),
            _ => format!(
                " (Type {}: {})",
                a.new_type.or(a.old_type).unwrap_or_default(),
                a.summary
            ),
        };
        let _ = writeln!(out, "- **{}** {}{ty}", a.change.as_str(), code(&a.name));
        for line in action_details(a, 200) {
            let _ = writeln!(out, "  - {}", line.trim_start());
        }
    }
    if diff.actions.is_empty() {
        out.push_str("No custom action changed.\n");
    }
    let f = &diff.findings;
    let _ = writeln!(
        out,
        "\n### Findings: {}\n",
        counts(
            &[
                (f.introduced.len(), "introduced"),
                (f.resolved.len(), "resolved"),
                (f.unchanged, "unchanged"),
            ],
            "none on either side"
        )
    );
    for (word, list) in [("introduced", &f.introduced), ("resolved", &f.resolved)] {
        for finding in list {
            // The message names the action; other findings name their row.
            let subject = match &finding.action {
                Some(_) => String::new(),
                None => format!(
                    " ({})",
                    code(format!("{} {}", finding.table, finding.key).trim())
                ),
            };
            let _ = writeln!(
                out,
                "- **{word}** {} `{}` {}: {}{subject}",
                finding.severity.as_str(),
                finding.code,
                finding.rule,
                finding.message,
            );
        }
    }
    let _ = writeln!(out, "\n### Tables: {}\n", table_counts(diff));
    let changed: Vec<&TableDiff> = diff
        .tables
        .iter()
        .filter(|t| t.status != TableStatus::Unchanged)
        .collect();
    if !changed.is_empty() {
        out.push_str("| table | status | added | removed | changed |\n");
        out.push_str("| --- | --- | ---: | ---: | ---: |\n");
        for t in &changed {
            let status = match t.status {
                TableStatus::Added => "added",
                TableStatus::Removed => "removed",
                TableStatus::Changed => "changed",
                TableStatus::Unreadable => "unreadable",
                TableStatus::Unchanged => "unchanged",
            };
            let _ = writeln!(
                out,
                "| {} | {status} | {} | {} | {} |",
                t.name,
                t.added.len(),
                t.removed.len(),
                t.changed.len()
            );
        }
        out.push('\n');
    }
    for t in changed.iter().filter(|t| t.status == TableStatus::Changed) {
        let _ = writeln!(
            out,
            "<details><summary>{}: {}</summary>\n",
            t.name,
            row_counts(t)
        );
        let mut lines = Vec::new();
        for key in &t.added {
            lines.push(format!("- added {}", code(&key_text(key))));
        }
        for key in &t.removed {
            lines.push(format!("- removed {}", code(&key_text(key))));
        }
        for row in &t.changed {
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|c| format!("{} {} → {}", c.column, code_opt(&c.old), code_opt(&c.new)))
                .collect();
            lines.push(format!(
                "- changed {}: {}",
                code(&key_text(&row.key)),
                cells.join("; ")
            ));
        }
        let total = lines.len();
        for line in lines.into_iter().take(MARKDOWN_ROWS) {
            let _ = writeln!(out, "{line}");
        }
        if total > MARKDOWN_ROWS {
            let _ = writeln!(
                out,
                "- … {} more (`--format json` lists every row)",
                total - MARKDOWN_ROWS
            );
        }
        out.push_str("\n</details>\n\n");
    }
    if !diff.streams.is_empty() {
        let _ = writeln!(out, "### Streams: {} changed\n", diff.streams.len());
        let plain = Paint { on: false };
        for s in &diff.streams {
            let line = stream_line(s, &plain);
            let _ = writeln!(out, "- {}", line.replacen(['+', '-', '~'], s.status, 1));
        }
    }
    out
}
