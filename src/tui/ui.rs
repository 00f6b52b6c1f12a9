//! Drawing: reads the state of [`App`] and draws one frame. Only the rows
//! and columns that fit are formatted, so a table of any size draws in the
//! same time.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::app::{App, Focus, Grid, PromptKind, View};
use super::data::{action_detail, finding_line, DetailLine, LineStyle};
use crate::analysis::scenarios::Scenario;
use crate::condition::Truth;
use crate::finding::Severity;
use crate::inspect::table::{RowMark, RowRef};
use crate::model::action_type::BaseKind;
use crate::model::ActionType;

/// The smallest terminal the browser draws in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

const SELECTED: Style = Style::new().add_modifier(Modifier::REVERSED);
const DIM: Style = Style::new().fg(Color::DarkGray);
const HEADING: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);

pub fn draw(frame: &mut Frame, app: &mut App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "The terminal is too small ({}x{}): msica browse needs at least {MIN_WIDTH}x{MIN_HEIGHT}. \
             Enlarge it, or press q to quit.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        app.areas = Default::default();
        return;
    }
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(frame, app, tabs);
    app.areas.tabs = tabs;
    app.areas.nav = Rect::default();
    match app.view {
        View::Tables => draw_tables(frame, app, body),
        View::Actions => draw_actions(frame, app, body),
        View::Sequence => draw_sequence(frame, app, body),
        View::Findings => draw_findings(frame, app, body),
        View::Scenarios => draw_scenarios(frame, app, body),
    }
    draw_status(frame, app, status);
    if app.help {
        draw_help(frame, area);
    }
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    let mut spans = Vec::new();
    for (i, view) in View::ALL.iter().enumerate() {
        let style = if *view == app.view {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        spans.push(Span::styled(format!(" {} {} ", i + 1, view.title()), style));
        spans.push(Span::styled("│", DIM));
    }
    let counts = severity_counts(app);
    spans.push(Span::raw(format!(" {}", app.data.title)));
    if !counts.is_empty() {
        spans.push(Span::styled(format!("  {counts}"), DIM));
    }
    frame.render_widget(Line::from(spans), area);
}

fn severity_counts(app: &App) -> String {
    let count = |s| {
        app.data
            .findings
            .findings
            .iter()
            .filter(|f| f.severity == s)
            .count()
    };
    let (e, w, i) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    if e + w + i == 0 {
        return String::new();
    }
    format!("{e}E {w}W {i}I")
}

fn pane(title: String, focused: bool) -> Block<'static> {
    let block = Block::bordered().title(title);
    if focused {
        block.border_style(Style::new().fg(Color::Cyan))
    } else {
        block.border_style(DIM)
    }
}

// ---------------------------------------------------------------------- //
// tables view

fn draw_tables(frame: &mut Frame, app: &mut App, area: Rect) {
    let longest = app
        .data
        .tables
        .iter()
        .map(|t| t.name.width() + t.rows_text().len() + 4)
        .max()
        .unwrap_or(10) as u16;
    let nav_width = longest.clamp(16, 34).min(area.width / 3);
    let [nav, right] =
        Layout::horizontal([Constraint::Length(nav_width), Constraint::Min(20)]).areas(area);
    let detail_height = (right.height / 3).clamp(5, 12);
    let [grid, detail] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(detail_height)]).areas(right);
    app.areas.nav = nav;
    app.areas.main = grid;
    app.areas.detail = detail;
    app.areas.main_header = 3;

    // Navigator.
    let height = nav.height.saturating_sub(2) as usize;
    let len = app.data.tables.len();
    app.nav.keep_visible(height, len);
    let inner_width = nav.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = app
        .data
        .tables
        .iter()
        .enumerate()
        .skip(app.nav.offset)
        .take(height)
        .map(|(i, t)| {
            let count = t.rows_text();
            let mark = if t.change.is_empty() { " " } else { "*" };
            let name_width = inner_width.saturating_sub(count.len() + 2);
            let text = format!(
                "{mark}{} {count}",
                pad(&fit(&t.name, name_width), name_width)
            );
            let mut style = if t.change.is_empty() {
                Style::new()
            } else {
                Style::new().fg(Color::Yellow)
            };
            if i == app.nav.selected {
                style = style.patch(SELECTED);
            }
            Line::styled(text, style)
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(pane(format!("Tables ({len})"), app.focus == Focus::Nav)),
        nav,
    );

    let Some(mut g) = app.grid.take() else {
        frame.render_widget(pane("no table".into(), false), grid);
        return;
    };
    draw_grid(frame, app, &mut g, grid);
    draw_cell_detail(frame, app, &g, detail);
    app.grid = Some(g);
}

/// Column widths from the header and the visible rows, capped.
fn draw_grid(frame: &mut Frame, app: &App, g: &mut Grid, area: Rect) {
    let data = &app.data;
    let table = data.table(&g.table);
    let mut title = format!(
        "{}  {}",
        g.table,
        crate::inspect::plural(g.order.len(), "row")
    );
    if let Some((c, ascending)) = g.sort {
        let name = table
            .and_then(|t| t.columns.get(c))
            .map_or("", |c| c.name.as_str());
        title += &format!("  sorted by {name} {}", if ascending { "↑" } else { "↓" });
    }
    if let Some(f) = &g.filter {
        title += &format!("  filter \"{f}\"");
    }
    if g.hide_unchanged {
        title += "  changed rows only";
    }
    let block = pane(title, app.focus == Focus::Main);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(table) = table else { return };
    if let Some(problem) = data.problem(&g.table) {
        frame.render_widget(
            Paragraph::new(format!("The rows cannot be read: {problem}"))
                .style(Style::new().fg(Color::Red))
                .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let height = inner.height.saturating_sub(2) as usize;
    g.pos.keep_visible(height, g.order.len());
    let visible: Vec<RowRef> = g
        .order
        .iter()
        .skip(g.pos.offset)
        .take(height)
        .copied()
        .collect();

    // Gutter: transform mark and finding mark.
    const GUTTER: usize = 3;
    let widths: Vec<usize> = table
        .columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            let header = col.name.width() + usize::from(col.is_key()) + 1;
            let cells = visible
                .iter()
                .map(|r| one_line(&data.cell(&g.table, *r, c)).width())
                .max()
                .unwrap_or(0);
            header.max(col.idt_type().len()).max(cells).max(3)
        })
        .collect();
    // Long texts get 40 columns, and more when the screen has room to spare.
    let natural = widths;
    let widths: Vec<usize> = natural.iter().map(|w| (*w).min(40)).collect();
    // The key columns stay in place (they name the row); the others scroll
    // so that the selected column is shown whole.
    let available = (inner.width as usize).saturating_sub(GUTTER);
    let frozen = table.columns.iter().take_while(|c| c.is_key()).count();
    let frozen = if frozen == table.columns.len() {
        0
    } else {
        frozen
    };
    // Frozen columns take at most half the width.
    let mut widths = widths;
    if let Some(share) = (available / 2).checked_div(frozen) {
        for w in &mut widths[..frozen] {
            *w = (*w).min(share.saturating_sub(1).max(6));
        }
    }
    let frozen_width: usize = widths[..frozen].iter().map(|w| w + 1).sum();
    g.column_offset = g.column_offset.clamp(frozen, g.column.max(frozen));
    while g.column_offset < g.column
        && frozen_width
            + widths[g.column_offset..=g.column]
                .iter()
                .map(|w| w + 1)
                .sum::<usize>()
            > available
    {
        g.column_offset += 1;
    }
    let mut shown = Vec::new();
    let mut used = 0;
    let columns = (0..frozen).chain(g.column_offset..widths.len());
    for c in columns {
        if used >= available {
            break;
        }
        let w = widths[c].min(available - used);
        shown.push((c, w));
        used += w + 1;
    }
    let mut spare = available.saturating_sub(used);
    for (c, w) in shown.iter_mut() {
        let grow = natural[*c].saturating_sub(*w).min(spare);
        *w += grow;
        spare -= grow;
    }
    let mut lines = Vec::with_capacity(height + 2);
    let more_left = if g.column_offset > frozen { "◀" } else { " " };
    let more_right = if shown
        .last()
        .is_some_and(|(c, _)| c + 1 < table.columns.len())
    {
        "▶"
    } else {
        " "
    };
    let mut names = vec![Span::styled(format!("{more_left}{more_right} "), DIM)];
    let mut types = vec![Span::raw(" ".repeat(GUTTER))];
    for &(c, w) in &shown {
        let col = &table.columns[c];
        let name = if col.is_key() {
            format!("{}*", col.name)
        } else {
            col.name.clone()
        };
        let mut style = Style::new().add_modifier(Modifier::BOLD);
        if col.is_key() {
            style = style.fg(Color::Yellow);
        }
        if c == g.column {
            style = style.add_modifier(Modifier::UNDERLINED);
        }
        if g.sort.is_some_and(|(s, _)| s == c) {
            style = style.fg(Color::Cyan);
        }
        names.push(Span::styled(pad(&fit(&name, w), w) + " ", style));
        types.push(Span::styled(pad(&fit(&col.idt_type(), w), w) + " ", DIM));
    }
    lines.push(Line::from(names));
    lines.push(Line::from(types));
    for (i, row) in visible.iter().enumerate() {
        let selected = g.pos.offset + i == g.pos.selected;
        let mark = data.mark(&g.table, *row);
        let (mark_text, row_style) = match mark {
            RowMark::Base => (" ", Style::new()),
            RowMark::Added => ("+", Style::new().fg(Color::Green)),
            RowMark::Changed(_) => ("~", Style::new()),
            RowMark::Deleted => (
                "-",
                Style::new()
                    .fg(Color::Red)
                    .add_modifier(Modifier::CROSSED_OUT),
            ),
        };
        let finding = data.finding_mark(&g.table, *row);
        let mut spans = vec![
            Span::styled(mark_text, mark_style(mark)),
            match finding {
                Some(s) => Span::styled(severity_letter(s), severity(s)),
                None => Span::raw(" "),
            },
            Span::raw(if selected { ">" } else { " " }),
        ];
        for &(c, w) in &shown {
            let text = pad(&fit(&one_line(&data.cell(&g.table, *row, c)), w), w);
            let mut style = row_style;
            if matches!(mark, RowMark::Changed(mask) if mask & (1 << c.min(63)) != 0) {
                style = style.fg(Color::Black).bg(Color::Yellow);
            }
            if g.highlight == Some((*row, c)) {
                style = style.fg(Color::White).bg(Color::Red);
            }
            if selected {
                style = if c == g.column && app.focus != Focus::Nav {
                    style.add_modifier(Modifier::REVERSED | Modifier::BOLD)
                } else if style.bg.is_none() {
                    style.bg(Color::DarkGray)
                } else {
                    // A changed or highlighted cell keeps its colour.
                    style
                };
            }
            spans.push(Span::styled(text, style));
            spans.push(Span::raw(" "));
        }
        lines.push(Line::from(spans));
    }
    if g.order.is_empty() {
        lines.push(Line::styled(
            if g.filter.is_some() || g.hide_unchanged {
                "no row matches (Esc shows every row)"
            } else {
                "the table has no rows"
            },
            DIM,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_cell_detail(frame: &mut Frame, app: &mut App, g: &Grid, area: Rect) {
    let data = &app.data;
    let mut lines: Vec<Line> = Vec::new();
    let table = data.table(&g.table);
    let column = table.and_then(|t| t.columns.get(g.column));
    let title = match column {
        Some(c) => format!(
            "{}.{} ({}{})",
            g.table,
            c.name,
            c.idt_type(),
            if c.is_key() { ", key" } else { "" }
        ),
        None => g.table.clone(),
    };
    if let Some(row) = g.selected_row() {
        let text = data.cell(&g.table, row, g.column);
        if let Some((target, target_row)) = data.reference(&g.table, row, g.column) {
            let key = table
                .and_then(|_| data.table(&target))
                .and_then(|t| t.key_columns().next())
                .map(|k| data.cell(&target, target_row, k).into_owned())
                .unwrap_or_default();
            lines.push(Line::styled(
                format!("→ {target} row {key} (Enter follows, Backspace comes back)"),
                Style::new().fg(Color::Cyan),
            ));
        }
        if let Some(origin) = data.origin_text(&g.table, row) {
            let colour = match data.mark(&g.table, row) {
                RowMark::Added => Color::Green,
                RowMark::Deleted => Color::Red,
                _ => Color::Yellow,
            };
            lines.push(Line::styled(origin, Style::new().fg(colour)));
        }
        if let RowRef::Live(i) = row {
            for f in data.findings.at(&g.table, i) {
                let l = finding_line(f);
                lines.push(Line::styled(l.text, line_style(l.style)));
            }
        }
        if text.is_empty() {
            lines.push(Line::styled("(empty)", DIM));
        }
        lines.extend(text.lines().map(|l| Line::raw(l.to_owned())));
        // A condition cell: how Windows Installer reads it.
        let is_condition = column.is_some_and(|c| c.name == "Condition");
        if is_condition && !text.trim().is_empty() {
            match crate::condition::parse(&text) {
                Ok(parsed) => lines.extend(
                    parsed
                        .explain()
                        .lines()
                        .map(|l| Line::styled(format!("  {l}"), DIM)),
                ),
                Err(e) => lines.push(Line::styled(
                    format!("does not parse at {}: {}", e.offset, e.message),
                    severity(Severity::Error),
                )),
            }
        }
    }
    app.detail_scroll = app.detail_scroll.min(lines.len().saturating_sub(1));
    let block = pane(title, app.focus == Focus::Detail);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((app.detail_scroll.min(u16::MAX as usize) as u16, 0)),
        area,
    );
}

// ---------------------------------------------------------------------- //
// actions view

fn draw_actions(frame: &mut Frame, app: &mut App, area: Rect) {
    let list_width = (area.width * 2 / 5).clamp(24, 60);
    let [list, detail] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Min(20)]).areas(area);
    app.areas.main = list;
    app.areas.detail = detail;
    app.areas.main_header = 1;
    let height = list.height.saturating_sub(2) as usize;
    let len = app.data.actions.len();
    app.actions.keep_visible(height, len);
    let width = list.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = app
        .data
        .actions
        .iter()
        .enumerate()
        .skip(app.actions.offset)
        .take(height)
        .map(|(i, a)| {
            let ca = app.data.action(a);
            let finding = app
                .data
                .findings
                .about_action(&a.name)
                .map(|f| f.severity)
                .max();
            let exec = format!(" {}", a.execution);
            let name_width = width.saturating_sub(exec.len() + 2);
            let mut style = kind_style(ca.action_type);
            if i == app.actions.selected {
                style = style.patch(SELECTED);
            }
            Line::from(vec![
                match finding {
                    Some(s) => Span::styled(severity_letter(s), severity(s)),
                    None => Span::raw(" "),
                },
                Span::raw(" "),
                Span::styled(pad(&fit(&a.name, name_width), name_width), style),
                Span::styled(exec, DIM),
            ])
        })
        .collect();
    let mut lines = lines;
    if len == 0 {
        lines.push(Line::styled("no custom actions", DIM));
    }
    frame.render_widget(
        Paragraph::new(lines).block(pane(
            format!("Custom actions ({len})"),
            app.focus == Focus::Main,
        )),
        list,
    );
    let detail_lines = app
        .data
        .actions
        .get(app.actions.selected)
        .map(|a| action_detail(&app.data, app.data.action(a)))
        .unwrap_or_default();
    draw_detail_lines(frame, app, "Decoded", detail_lines, detail);
}

fn draw_detail_lines(
    frame: &mut Frame,
    app: &App,
    title: &str,
    lines: Vec<DetailLine>,
    area: Rect,
) {
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| Line::styled(l.text, line_style(l.style)))
        .collect();
    frame.render_widget(
        Paragraph::new(lines)
            .block(pane(title.to_owned(), app.focus == Focus::Detail))
            .wrap(Wrap { trim: false })
            .scroll((app.detail_scroll.min(u16::MAX as usize) as u16, 0)),
        area,
    );
}

fn line_style(style: LineStyle) -> Style {
    match style {
        LineStyle::Heading => HEADING,
        LineStyle::Plain => Style::new(),
        LineStyle::Dim => DIM,
        LineStyle::Code => Style::new().fg(Color::Green),
        LineStyle::Error => severity(Severity::Error),
        LineStyle::Warning => severity(Severity::Warning),
        LineStyle::Info => severity(Severity::Info),
    }
}

/// Custom actions coloured by what they run.
fn kind_style(t: ActionType) -> Style {
    let style = match t.kind() {
        BaseKind::Dll => Style::new().fg(Color::Cyan),
        BaseKind::Exe => Style::new().fg(Color::Magenta),
        BaseKind::JScript | BaseKind::VBScript => Style::new().fg(Color::LightRed),
        BaseKind::SetProperty | BaseKind::SetDirectory => Style::new().fg(Color::Green),
        BaseKind::NestedInstall => Style::new().fg(Color::Blue),
        BaseKind::ErrorMessage => Style::new().fg(Color::Red),
        _ => Style::new(),
    };
    if t.in_script() {
        style.add_modifier(Modifier::BOLD)
    } else {
        style
    }
}

// ---------------------------------------------------------------------- //
// sequence view

fn draw_sequence(frame: &mut Frame, app: &mut App, area: Rect) {
    let detail_height = (area.height / 3).clamp(5, 12);
    let [list, detail] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(detail_height)]).areas(area);
    app.areas.main = list;
    app.areas.detail = detail;
    app.areas.main_header = 2;
    let Some(view) = app.sequence.as_ref() else {
        frame.render_widget(
            Paragraph::new("no sequence tables: nothing is scheduled in this database")
                .block(pane("Sequence".into(), true)),
            list,
        );
        return;
    };
    let title = format!(
        "{}  ({} of {}; [ and ] switch)",
        view.table,
        app.sequence_index + 1,
        app.data.sequences.len()
    );
    let block = pane(title, app.focus == Focus::Main);
    let inner = block.inner(list);
    frame.render_widget(block, list);
    let height = inner.height.saturating_sub(1) as usize;
    app.sequence_pos.keep_visible(height, view.rows.len());
    let seq_width = view
        .rows
        .iter()
        .map(|r| r.position.width())
        .max()
        .unwrap_or(3)
        .clamp(3, 24);
    let action_width = view
        .rows
        .iter()
        .map(|r| r.action.width())
        .max()
        .unwrap_or(6)
        .clamp(6, 32);
    let kind_width = view
        .rows
        .iter()
        .map(|r| r.kind.width())
        .max()
        .unwrap_or(4)
        .clamp(8, 44);
    let cond_width =
        (inner.width as usize).saturating_sub(seq_width + action_width + kind_width + 7);
    let band = |script: &str| -> (&'static str, Style) {
        let style = Style::new().fg(Color::Black).bg(Color::Magenta);
        match script {
            "begin" => ("┏", style),
            "inside" => ("┃", style),
            "end" => ("┗", style),
            _ => (" ", Style::new()),
        }
    };
    let mut lines = vec![Line::styled(
        format!(
            "  {}  {}  {}  Condition",
            pad("Seq", seq_width),
            pad("Action", action_width),
            pad("Kind", kind_width)
        ),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    for (i, row) in view
        .rows
        .iter()
        .enumerate()
        .skip(app.sequence_pos.offset)
        .take(height)
    {
        let selected = i == app.sequence_pos.selected;
        let (bar, bar_style) = band(row.script);
        let finding = row
            .stored_row
            .and_then(|r| app.data.findings.mark(&view.table, r));
        let mut action_style = row.custom.map_or(Style::new(), kind_style);
        if row.kind == "unknown" {
            action_style = Style::new().fg(Color::Red);
        }
        let inside = !row.script.is_empty();
        let mut base = if inside {
            Style::new().bg(Color::Indexed(236))
        } else {
            Style::new()
        };
        if selected {
            base = SELECTED;
        }
        lines.push(Line::from(vec![
            Span::styled(bar, bar_style),
            match finding {
                Some(s) => Span::styled(severity_letter(s), severity(s)),
                None => Span::raw(" "),
            },
            Span::styled(
                format!("{:>seq_width$}  ", fit(&row.position, seq_width)),
                base,
            ),
            Span::styled(
                pad(&fit(&row.action, action_width), action_width) + "  ",
                base.patch(action_style),
            ),
            Span::styled(
                pad(&fit(&row.kind, kind_width), kind_width) + "  ",
                base.patch(DIM),
            ),
            Span::styled(
                fit(
                    &one_line(row.condition.as_deref().unwrap_or_default()),
                    cond_width,
                ),
                base,
            ),
        ]));
    }
    if view.rows.is_empty() {
        lines.push(Line::styled("the table has no rows", DIM));
    }
    frame.render_widget(Paragraph::new(lines), inner);

    let mut detail_lines: Vec<DetailLine> = view
        .notes
        .iter()
        .map(|n| DetailLine {
            style: LineStyle::Dim,
            text: n.clone(),
        })
        .collect();
    if let Some(row) = view.rows.get(app.sequence_pos.selected) {
        let plain = |text: String| DetailLine {
            style: LineStyle::Plain,
            text,
        };
        detail_lines.push(DetailLine {
            style: LineStyle::Heading,
            text: format!("{} at {}: {}", row.action, row.position, row.kind),
        });
        if let Some(r) = row.stored_row {
            detail_lines.extend(app.data.findings.at(&view.table, r).map(finding_line));
        }
        if let Some(ca) = app.data.pkg.custom_action(&row.action) {
            detail_lines.push(plain(ca.action_type.summary()));
            detail_lines.push(DetailLine {
                style: LineStyle::Dim,
                text: "Enter: the action decoded".into(),
            });
        }
        match row.condition.as_deref() {
            Some(cond) => {
                detail_lines.push(plain(format!("if {cond}")));
                match crate::condition::parse(cond) {
                    Ok(parsed) => {
                        detail_lines.extend(parsed.explain().lines().map(|l| DetailLine {
                            style: LineStyle::Dim,
                            text: format!("  {l}"),
                        }))
                    }
                    Err(e) => detail_lines.push(DetailLine {
                        style: LineStyle::Error,
                        text: format!("  does not parse at {}: {}", e.offset, e.message),
                    }),
                }
            }
            None => detail_lines.push(plain(
                "no condition: runs whenever the sequence does".into(),
            )),
        }
    }
    draw_detail_lines(frame, app, "Row", detail_lines, detail);
}

// ---------------------------------------------------------------------- //
// findings view

fn draw_findings(frame: &mut Frame, app: &mut App, area: Rect) {
    let detail_height = (area.height * 2 / 5).clamp(6, 16);
    let [list, detail] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(detail_height)]).areas(area);
    app.areas.main = list;
    app.areas.detail = detail;
    app.areas.main_header = 1;
    let findings = &app.data.findings.findings;
    let height = list.height.saturating_sub(2) as usize;
    app.findings.keep_visible(height, findings.len());
    let width = list.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = findings
        .iter()
        .enumerate()
        .skip(app.findings.offset)
        .take(height)
        .map(|(i, f)| {
            let mut style = Style::new();
            if i == app.findings.selected {
                style = SELECTED;
            }
            let place = format!("{} {}", f.location.table, f.location.key);
            let text = format!("{} {:<28} {}", f.code, f.rule, place);
            Line::from(vec![
                Span::styled(severity_letter(f.severity), severity(f.severity)),
                Span::raw(" "),
                Span::styled(fit(&text, width.saturating_sub(2)), style),
            ])
        })
        .collect();
    if findings.is_empty() {
        lines.push(Line::styled(
            "no findings: msica lint finds nothing here",
            DIM,
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).block(pane(
            format!("Findings ({})  {}", findings.len(), severity_counts(app)),
            app.focus == Focus::Main,
        )),
        list,
    );
    let mut detail_lines = Vec::new();
    if let Some(f) = findings.get(app.findings.selected) {
        let line = |style, text: String| DetailLine { style, text };
        detail_lines.push(finding_line(f));
        detail_lines.push(line(LineStyle::Plain, format!("help: {}", f.help)));
        for n in &f.notes {
            detail_lines.push(line(LineStyle::Dim, format!("note: {n}")));
        }
        let mut at = format!("at {} {}", f.location.table, f.location.key);
        if let Some(c) = &f.location.column {
            at += &format!(", column {c}");
        }
        if f.location.row.is_some() {
            at += " (Enter shows the row)";
        }
        detail_lines.push(line(LineStyle::Heading, at));
        for (column, value) in &f.location.cells {
            detail_lines.push(line(
                LineStyle::Code,
                format!("  {column:<12} {}", one_line(value)),
            ));
        }
    }
    draw_detail_lines(frame, app, "Finding", detail_lines, detail);
}

/// Column headers of the scenario matrix, short enough for 80 columns.
fn scenario_header(s: Scenario) -> &'static str {
    match s {
        Scenario::Install => "install",
        Scenario::InstallSilent => "silent",
        Scenario::Repair => "repair",
        Scenario::Modify => "modify",
        Scenario::Uninstall => "uninst",
        Scenario::Upgrade => "upgrade",
        Scenario::UpgradeRemoval => "upg-rm",
        Scenario::Patch => "patch",
        Scenario::PatchRemoval => "pat-rm",
    }
}

/// The scenario matrix (actions in run order against scenarios) over the
/// selected action's verdicts in words.
fn draw_scenarios(frame: &mut Frame, app: &mut App, area: Rect) {
    let detail_height = (area.height * 2 / 5).clamp(6, 16);
    let [list, detail] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(detail_height)]).areas(area);
    app.areas.main = list;
    app.areas.detail = detail;
    app.areas.main_header = 2;
    let table = &app.data.scenarios;
    let height = list.height.saturating_sub(3) as usize;
    app.scenarios.keep_visible(height, table.rows.len());
    let cell = 8;
    let width = list.width.saturating_sub(2) as usize;
    let name_width = width.saturating_sub(table.columns.len() * cell).max(12);
    let mut header = vec![Span::styled(pad("action", name_width), DIM)];
    header.extend(
        table
            .columns
            .iter()
            .map(|s| Span::styled(pad(scenario_header(*s), cell), DIM)),
    );
    let mut lines = vec![Line::from(header)];
    lines.extend(
        table
            .rows
            .iter()
            .enumerate()
            .skip(app.scenarios.offset)
            .take(height)
            .map(|(i, (name, runs))| {
                let style = if i == app.scenarios.selected {
                    SELECTED
                } else {
                    Style::new()
                };
                // One column of space before the first verdict, however long the name.
                let mut spans = vec![Span::styled(
                    pad(&fit(name, name_width - 1), name_width),
                    style,
                )];
                spans.extend(runs.iter().map(|v| {
                    let (text, style) = match v.truth {
                        Truth::Yes => ("yes", Style::new().fg(Color::Green)),
                        Truth::Maybe => ("maybe", Style::new().fg(Color::Yellow)),
                        Truth::No => ("no", DIM),
                    };
                    Span::styled(pad(text, cell), style)
                }));
                Line::from(spans)
            }),
    );
    if table.rows.is_empty() {
        lines.push(Line::styled("no custom action is scheduled", DIM));
    }
    frame.render_widget(
        Paragraph::new(lines).block(pane(
            format!("Scenarios ({} actions)", table.rows.len()),
            app.focus == Focus::Main,
        )),
        list,
    );
    let mut detail_lines = Vec::new();
    if let Some((name, _)) = table.rows.get(app.scenarios.selected) {
        let line = |style, text: String| DetailLine { style, text };
        detail_lines.push(line(
            LineStyle::Heading,
            format!("{name}  (Enter opens the action)"),
        ));
        for l in table.lines_of(name) {
            detail_lines.push(line(LineStyle::Plain, format!("  {l}")));
        }
        for s in &table.columns {
            detail_lines.push(line(
                LineStyle::Dim,
                format!("  {:<16} {}", s.name(), s.describe()),
            ));
        }
    }
    draw_detail_lines(frame, app, "Runs", detail_lines, detail);
}

// ---------------------------------------------------------------------- //
// status line and help

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let line = if let Some(p) = &app.prompt {
        let label = match p.kind {
            PromptKind::Search => "/",
            PromptKind::Filter => "filter: ",
        };
        Line::from(vec![
            Span::styled(label, Style::new().fg(Color::Yellow)),
            Span::raw(p.text.clone()),
            Span::styled("█", Style::new().fg(Color::Yellow)),
        ])
    } else if let Some(m) = &app.message {
        Line::styled(m.clone(), Style::new().fg(Color::Yellow))
    } else {
        let hints = match app.view {
            View::Tables => "q quit  ? keys  Tab pane  Enter follow  ⌫ back  / find  f filter  s sort  t changed",
            View::Sequence => "q quit  ? keys  [ ] table  Enter open  ⌫ back  / find  n/N next",
            _ => "q quit  ? keys  Tab pane  Enter open  ⌫ back  / find  n/N next",
        };
        Line::styled(hints, DIM)
    };
    frame.render_widget(line, area);
}

const HELP: &[(&str, &str)] = &[
    ("q, Ctrl-C", "quit"),
    ("?", "this help (any key closes it)"),
    (
        "1 2 3 4 5",
        "tables, custom actions, sequence, findings, scenarios",
    ),
    ("Tab, Shift-Tab", "next, previous pane"),
    ("↑ ↓ j k", "move (in the detail pane: scroll)"),
    ("← → h l", "previous, next column"),
    ("PgUp PgDn", "a page up, down"),
    ("g G Home End", "first, last"),
    (
        "Enter",
        "follow a reference; open an action; show a finding's row",
    ),
    ("Backspace", "back to where Enter came from"),
    ("/ text Enter", "find (tables view: in every table)"),
    ("n N", "next, previous match"),
    ("f text Enter", "filter the rows of the table"),
    ("s", "sort by the column: up, down, off"),
    ("t", "only rows a transform added, changed or deleted"),
    ("[ ]", "previous, next sequence table"),
    ("Esc", "clear the search, filter and highlight"),
    ("mouse", "wheel scrolls, click selects"),
];

fn draw_help(frame: &mut Frame, area: Rect) {
    let width = 70.min(area.width);
    let height = (HELP.len() as u16 + 4).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let mut lines: Vec<Line> = HELP
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!("{key:>15}  "), Style::new().fg(Color::Yellow)),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::styled(
        "marks: + added  ~ changed  - deleted  E W I findings  * key",
        DIM,
    ));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(pane("Keys".into(), true)),
        popup,
    );
}

// ---------------------------------------------------------------------- //
// text

fn severity(s: Severity) -> Style {
    match s {
        Severity::Error => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Severity::Warning => Style::new().fg(Color::Yellow),
        Severity::Info => Style::new().fg(Color::Blue),
    }
}

fn severity_letter(s: Severity) -> &'static str {
    match s {
        Severity::Error => "E",
        Severity::Warning => "W",
        Severity::Info => "I",
    }
}

fn mark_style(mark: RowMark) -> Style {
    match mark {
        RowMark::Base => Style::new(),
        RowMark::Added => Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        RowMark::Changed(_) => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        RowMark::Deleted => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}

/// Text on one line: line breaks and other controls as spaces.
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Cuts text to `width` columns, with `…` when it was longer.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Pads text with spaces to `width` columns.
fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    if w >= width {
        text.to_owned()
    } else {
        format!("{text}{}", " ".repeat(width - w))
    }
}
