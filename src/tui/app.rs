//! The browser's state and how keys and the mouse change it: plain data and
//! functions, driven by the tests without a terminal. Drawing is in
//! [`super::ui`]; it reads this state and records where it drew each pane.

use std::cmp::Ordering;

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use super::data::Data;
use crate::inspect::sequence::SequenceView;
use crate::inspect::table::{RowMark, RowRef};

/// The five views, in the order of their number keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Tables,
    Actions,
    Sequence,
    Findings,
    Scenarios,
}

impl View {
    pub const ALL: [View; 5] = [
        View::Tables,
        View::Actions,
        View::Sequence,
        View::Findings,
        View::Scenarios,
    ];

    pub fn title(self) -> &'static str {
        match self {
            View::Tables => "Tables",
            View::Actions => "Actions",
            View::Sequence => "Sequence",
            View::Findings => "Findings",
            View::Scenarios => "Scenarios",
        }
    }
}

/// The pane that takes the arrow keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The table navigator (tables view only).
    Nav,
    /// The grid or list of the view.
    Main,
    /// The detail pane, which then scrolls.
    Detail,
}

/// A selection in a list and the first line shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListPos {
    pub selected: usize,
    pub offset: usize,
}

impl ListPos {
    fn move_by(&mut self, delta: isize, len: usize) {
        if len == 0 {
            self.selected = 0;
            return;
        }
        self.selected = self.selected.saturating_add_signed(delta).min(len - 1);
    }

    fn select(&mut self, index: usize, len: usize) {
        self.selected = index.min(len.saturating_sub(1));
    }

    /// Scrolls so that the selection is among the `height` lines shown.
    pub fn keep_visible(&mut self, height: usize, len: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

/// The open table: which rows are shown in which order, and the cursor.
#[derive(Debug, Clone)]
pub struct Grid {
    pub table: String,
    pub columns: usize,
    /// The rows shown, after the filter and the hiding of unchanged rows, sorted.
    pub order: Vec<RowRef>,
    pub pos: ListPos,
    pub column: usize,
    /// The first column shown (horizontal scrolling).
    pub column_offset: usize,
    /// Sorted by (column, ascending).
    pub sort: Option<(usize, bool)>,
    pub filter: Option<String>,
    pub hide_unchanged: bool,
    /// A cell to highlight after a jump to a finding: (row, column).
    pub highlight: Option<(RowRef, usize)>,
}

impl Grid {
    pub fn selected_row(&self) -> Option<RowRef> {
        self.order.get(self.pos.selected).copied()
    }
}

/// A place the selection can be, for the history and for search matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Table {
        table: String,
        row: Option<RowRef>,
        column: usize,
    },
    /// A position in the actions list.
    Action(usize),
    Sequence {
        table: usize,
        row: usize,
    },
    Finding(usize),
    /// A row of the scenario matrix.
    Scenario(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Search,
    Filter,
}

/// A line being typed in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
}

/// The last search: its matches and the one selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub query: String,
    pub matches: Vec<Place>,
    pub current: usize,
}

/// Where the last frame drew each pane, for the mouse and page sizes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    pub tabs: Rect,
    pub nav: Rect,
    pub main: Rect,
    pub detail: Rect,
    /// Lines above the first row of `main` inside it (border, header).
    pub main_header: u16,
}

/// The most matches a search collects, so that a search for `a` in a large
/// package stays quick.
pub const MAX_MATCHES: usize = 10_000;

pub struct App {
    pub data: Data,
    pub view: View,
    pub focus: Focus,
    /// The table navigator.
    pub nav: ListPos,
    pub grid: Option<Grid>,
    pub actions: ListPos,
    /// The sequence table shown, as an index into `data.sequences`.
    pub sequence_index: usize,
    pub sequence: Option<SequenceView>,
    pub sequence_pos: ListPos,
    pub findings: ListPos,
    /// The scenario matrix's selected row.
    pub scenarios: ListPos,
    pub detail_scroll: usize,
    pub history: Vec<Place>,
    pub prompt: Option<Prompt>,
    pub search: Option<Search>,
    pub message: Option<String>,
    pub help: bool,
    pub quit: bool,
    pub areas: Areas,
}

impl App {
    pub fn new(data: Data) -> Self {
        let mut app = Self {
            data,
            view: View::Tables,
            focus: Focus::Nav,
            nav: ListPos::default(),
            grid: None,
            actions: ListPos::default(),
            sequence_index: 0,
            sequence: None,
            sequence_pos: ListPos::default(),
            findings: ListPos::default(),
            scenarios: ListPos::default(),
            detail_scroll: 0,
            history: Vec::new(),
            prompt: None,
            search: None,
            message: None,
            help: false,
            quit: false,
            areas: Areas::default(),
        };
        if let Some(first) = app.data.tables.first().map(|t| t.name.clone()) {
            app.open_table(&first);
        }
        // The sequence view opens on the table `msica sequence` shows.
        app.sequence_index =
            crate::inspect::sequence::sequence_view(&app.data.db, &app.data.pkg, None)
                .ok()
                .flatten()
                .and_then(|v| app.data.sequences.iter().position(|s| *s == v.table))
                .unwrap_or(0);
        app
    }

    /// Opens a view (and, for the tables and sequence views, a table) as
    /// `--view` and `--table` ask; an unknown table is an error.
    pub fn start(&mut self, view: View, table: Option<&str>) -> Result<(), String> {
        match (view, table) {
            (View::Sequence, Some(name)) => {
                let index = self
                    .data
                    .sequences
                    .iter()
                    .position(|s| s.eq_ignore_ascii_case(name))
                    .ok_or_else(|| format!("no sequence table named {name}"))?;
                self.show_sequence(index);
            }
            (View::Actions | View::Findings | View::Scenarios, Some(_)) => {
                return Err(format!(
                    "--table goes with the tables or the sequence view, not the {} view",
                    view.title().to_lowercase()
                ))
            }
            (View::Tables, Some(name)) => {
                let found = self
                    .data
                    .db
                    .find_table(name)
                    .map(|t| t.name.clone())
                    .ok_or_else(|| format!("no table named {name}"))?;
                self.open_table(&found);
                self.focus = Focus::Main;
                return Ok(());
            }
            _ => {}
        }
        self.switch(view);
        Ok(())
    }

    // ------------------------------------------------------------------ //
    // moving around

    fn switch(&mut self, view: View) {
        if view == View::Sequence && self.sequence.is_none() {
            self.show_sequence(self.sequence_index);
        }
        self.view = view;
        self.focus = if view == View::Tables && self.focus == Focus::Nav {
            Focus::Nav
        } else {
            Focus::Main
        };
        self.detail_scroll = 0;
    }

    /// Opens a table in the grid, with the navigator on it.
    pub fn open_table(&mut self, name: &str) {
        if let Some(i) = self.data.tables.iter().position(|t| t.name == name) {
            self.nav.selected = i;
        }
        let columns = self.data.table(name).map_or(0, |t| t.columns.len());
        let mut grid = Grid {
            table: name.to_owned(),
            columns,
            order: Vec::new(),
            pos: ListPos::default(),
            column: 0,
            column_offset: 0,
            sort: None,
            filter: None,
            hide_unchanged: false,
            highlight: None,
        };
        self.refresh_rows(&mut grid);
        self.grid = Some(grid);
        self.detail_scroll = 0;
    }

    fn show_sequence(&mut self, index: usize) {
        self.sequence_index = index.min(self.data.sequences.len().saturating_sub(1));
        self.sequence = self.data.sequence(self.sequence_index);
        self.sequence_pos = ListPos::default();
        self.detail_scroll = 0;
    }

    /// Rebuilds the rows shown: filter, hidden unchanged rows, sort. The
    /// selected row stays selected when it is still shown.
    fn refresh_rows(&self, grid: &mut Grid) {
        let keep = grid.selected_row();
        let data = &self.data;
        let table = grid.table.clone();
        let mut order = data.rows_of(&table);
        if grid.hide_unchanged {
            order.retain(|r| data.mark(&table, *r) != RowMark::Base);
        }
        if let Some(filter) = grid.filter.as_deref().map(str::to_lowercase) {
            order.retain(|r| {
                (0..grid.columns).any(|c| data.cell(&table, *r, c).to_lowercase().contains(&filter))
            });
        }
        if let Some((column, ascending)) = grid.sort {
            let mut keyed: Vec<(String, RowRef)> = order
                .into_iter()
                .map(|r| (data.cell(&table, r, column).into_owned(), r))
                .collect();
            keyed.sort_by(|a, b| {
                let ord = compare_cells(&a.0, &b.0);
                if ascending {
                    ord
                } else {
                    ord.reverse()
                }
            });
            order = keyed.into_iter().map(|(_, r)| r).collect();
        }
        grid.order = order;
        let index = keep
            .and_then(|k| grid.order.iter().position(|r| *r == k))
            .unwrap_or(0);
        grid.pos.select(index, grid.order.len());
    }

    fn update_grid(&mut self, change: impl FnOnce(&mut Grid)) {
        if let Some(mut grid) = self.grid.take() {
            change(&mut grid);
            self.refresh_rows(&mut grid);
            self.grid = Some(grid);
        }
    }

    /// Where the selection is now, for the history.
    pub fn place(&self) -> Place {
        match self.view {
            View::Tables => Place::Table {
                table: self
                    .grid
                    .as_ref()
                    .map(|g| g.table.clone())
                    .unwrap_or_default(),
                row: self.grid.as_ref().and_then(Grid::selected_row),
                column: self.grid.as_ref().map_or(0, |g| g.column),
            },
            View::Actions => Place::Action(self.actions.selected),
            View::Sequence => Place::Sequence {
                table: self.sequence_index,
                row: self.sequence_pos.selected,
            },
            View::Findings => Place::Finding(self.findings.selected),
            View::Scenarios => Place::Scenario(self.scenarios.selected),
        }
    }

    /// Moves the selection to a place (and its view).
    pub fn go(&mut self, place: &Place) {
        match place {
            Place::Table { table, row, column } => {
                if self.grid.as_ref().is_none_or(|g| g.table != *table) {
                    self.open_table(table);
                }
                self.switch(View::Tables);
                self.focus = Focus::Main;
                let Some(grid) = self.grid.as_mut() else {
                    return;
                };
                grid.column = (*column).min(grid.columns.saturating_sub(1));
                grid.highlight = None;
                if let Some(row) = row {
                    if !grid.order.contains(row) {
                        // The filter hides the row: show every row again.
                        self.update_grid(|g| {
                            g.filter = None;
                            g.hide_unchanged = false;
                        });
                    }
                    if let Some(g) = self.grid.as_mut() {
                        if let Some(i) = g.order.iter().position(|r| r == row) {
                            g.pos.select(i, g.order.len());
                        }
                    }
                }
            }
            Place::Action(i) => {
                self.switch(View::Actions);
                self.actions.select(*i, self.data.actions.len());
            }
            Place::Sequence { table, row } => {
                if *table != self.sequence_index || self.sequence.is_none() {
                    self.show_sequence(*table);
                }
                self.switch(View::Sequence);
                let len = self.sequence.as_ref().map_or(0, |s| s.rows.len());
                self.sequence_pos.select(*row, len);
            }
            Place::Finding(i) => {
                self.switch(View::Findings);
                self.findings.select(*i, self.data.findings.findings.len());
            }
            Place::Scenario(i) => {
                self.switch(View::Scenarios);
                self.scenarios.select(*i, self.data.scenarios.rows.len());
            }
        }
        self.detail_scroll = 0;
    }

    /// Goes to a place, remembering where the selection was.
    fn jump(&mut self, place: Place) {
        self.history.push(self.place());
        self.go(&place);
    }

    fn back(&mut self) {
        match self.history.pop() {
            Some(place) => self.go(&place),
            None => self.message = Some("nothing to go back to".into()),
        }
    }

    // ------------------------------------------------------------------ //
    // keys

    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return;
        }
        if self.prompt.is_some() {
            self.prompt_key(key);
            return;
        }
        if self.help {
            match key.code {
                KeyCode::Char('q') => self.quit = true,
                _ => self.help = false,
            }
            return;
        }
        self.message = None;
        let page = self.page_size() as isize;
        match key.code {
            KeyCode::Char('q') => self.quit = true,
            KeyCode::Char('?') => self.help = true,
            KeyCode::Char(c @ '1'..='5') => {
                let view = View::ALL[c as usize - '1' as usize];
                if view == View::Tables {
                    self.focus = Focus::Main;
                }
                self.switch(view);
            }
            KeyCode::Tab => self.cycle_focus(true),
            KeyCode::BackTab => self.cycle_focus(false),
            KeyCode::Backspace => self.back(),
            KeyCode::Char('/') => {
                self.prompt = Some(Prompt {
                    kind: PromptKind::Search,
                    text: String::new(),
                })
            }
            KeyCode::Char('f') if self.view == View::Tables && self.grid.is_some() => {
                self.prompt = Some(Prompt {
                    kind: PromptKind::Filter,
                    text: self
                        .grid
                        .as_ref()
                        .and_then(|g| g.filter.clone())
                        .unwrap_or_default(),
                })
            }
            KeyCode::Char('n') => self.next_match(true),
            KeyCode::Char('N') => self.next_match(false),
            KeyCode::Esc => {
                self.search = None;
                if self.view == View::Tables {
                    self.update_grid(|g| {
                        g.filter = None;
                        g.highlight = None;
                    });
                }
            }
            KeyCode::Char('t') if self.view == View::Tables => self.toggle_unchanged(),
            KeyCode::Char('s') if self.view == View::Tables => self.cycle_sort(),
            KeyCode::Char('[') if self.view == View::Sequence => {
                self.show_sequence(self.sequence_index.saturating_sub(1))
            }
            KeyCode::Char(']') if self.view == View::Sequence => {
                self.show_sequence(self.sequence_index + 1)
            }
            KeyCode::Enter => self.enter(),
            KeyCode::Up | KeyCode::Char('k') => self.move_by(-1),
            KeyCode::Down | KeyCode::Char('j') => self.move_by(1),
            KeyCode::PageUp => self.page(-page),
            KeyCode::PageDown => self.page(page),
            KeyCode::Home | KeyCode::Char('g') => self.move_by(isize::MIN / 2),
            KeyCode::End | KeyCode::Char('G') => self.move_by(isize::MAX / 2),
            KeyCode::Left | KeyCode::Char('h') => self.move_column(-1),
            KeyCode::Right | KeyCode::Char('l') => self.move_column(1),
            _ => {}
        }
    }

    fn prompt_key(&mut self, key: KeyEvent) {
        let Some(prompt) = self.prompt.as_mut() else {
            return;
        };
        match key.code {
            KeyCode::Esc => self.prompt = None,
            KeyCode::Backspace => {
                prompt.text.pop();
            }
            KeyCode::Char(c) => prompt.text.push(c),
            KeyCode::Enter => {
                let prompt = self.prompt.take().expect("a prompt is open");
                match prompt.kind {
                    PromptKind::Search => self.search_for(&prompt.text),
                    PromptKind::Filter => {
                        let filter = Some(prompt.text).filter(|t| !t.is_empty());
                        self.update_grid(|g| g.filter = filter);
                        if let Some(g) = &self.grid {
                            if g.order.is_empty() {
                                self.message = Some("no row matches the filter".into());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn cycle_focus(&mut self, forward: bool) {
        let panes: &[Focus] = if self.view == View::Tables {
            &[Focus::Nav, Focus::Main, Focus::Detail]
        } else {
            &[Focus::Main, Focus::Detail]
        };
        let i = panes.iter().position(|f| *f == self.focus).unwrap_or(0);
        let next = if forward {
            (i + 1) % panes.len()
        } else {
            (i + panes.len() - 1) % panes.len()
        };
        self.focus = panes[next];
    }

    /// How many rows a page key moves: the rows the main pane shows.
    pub fn page_size(&self) -> usize {
        let area = if self.focus == Focus::Nav {
            self.areas.nav
        } else {
            self.areas.main
        };
        (area.height.saturating_sub(self.areas.main_header + 1) as usize).max(10)
    }

    fn move_by(&mut self, delta: isize) {
        let before = self.place();
        match (self.view, self.focus) {
            (_, Focus::Detail) => {
                self.detail_scroll = self.detail_scroll.saturating_add_signed(delta);
                return;
            }
            (View::Tables, Focus::Nav) => {
                let len = self.data.tables.len();
                self.nav.move_by(delta, len);
                let name = self
                    .data
                    .tables
                    .get(self.nav.selected)
                    .map(|t| t.name.clone());
                if let Some(name) = name {
                    if self.grid.as_ref().is_none_or(|g| g.table != name) {
                        self.open_table(&name);
                    }
                }
            }
            (View::Tables, _) => {
                if let Some(g) = self.grid.as_mut() {
                    g.pos.move_by(delta, g.order.len());
                }
            }
            (View::Actions, _) => self.actions.move_by(delta, self.data.actions.len()),
            (View::Sequence, _) => {
                let len = self.sequence.as_ref().map_or(0, |s| s.rows.len());
                self.sequence_pos.move_by(delta, len);
            }
            (View::Findings, _) => self
                .findings
                .move_by(delta, self.data.findings.findings.len()),
            (View::Scenarios, _) => self
                .scenarios
                .move_by(delta, self.data.scenarios.rows.len()),
        }
        if self.place() != before {
            self.detail_scroll = 0;
        }
    }

    fn page(&mut self, delta: isize) {
        let list = match (self.view, self.focus) {
            (View::Tables, Focus::Nav) => Some(&mut self.nav),
            (View::Tables, Focus::Main) => self.grid.as_mut().map(|g| &mut g.pos),
            (View::Actions, Focus::Main) => Some(&mut self.actions),
            (View::Sequence, Focus::Main) => Some(&mut self.sequence_pos),
            (View::Findings, Focus::Main) => Some(&mut self.findings),
            (View::Scenarios, Focus::Main) => Some(&mut self.scenarios),
            _ => None,
        };
        // Move the lines shown first: the selection then keeps its place on screen.
        if let Some(list) = list {
            list.offset = list.offset.saturating_add_signed(delta);
        }
        self.move_by(delta);
    }

    fn move_column(&mut self, delta: isize) {
        if self.view != View::Tables || self.focus == Focus::Nav {
            if self.view == View::Tables && delta > 0 {
                self.focus = Focus::Main;
            }
            return;
        }
        if let Some(g) = self.grid.as_mut() {
            g.column = g
                .column
                .saturating_add_signed(delta)
                .min(g.columns.saturating_sub(1));
            self.detail_scroll = 0;
        }
    }

    fn toggle_unchanged(&mut self) {
        if !self.data.transformed() {
            self.message = Some("no transform applied: every row is the database's own".into());
            return;
        }
        self.update_grid(|g| g.hide_unchanged = !g.hide_unchanged);
    }

    /// Sorts by the selected column: ascending, descending, then stored order.
    fn cycle_sort(&mut self) {
        self.update_grid(|g| {
            g.sort = match g.sort {
                Some((c, true)) if c == g.column => Some((c, false)),
                Some((c, false)) if c == g.column => None,
                _ => Some((g.column, true)),
            }
        });
    }

    /// Enter: follow the reference in a cell, open an action, jump to a
    /// finding's row.
    fn enter(&mut self) {
        match (self.view, self.focus) {
            (View::Tables, Focus::Nav) => self.focus = Focus::Main,
            (View::Tables, _) => {
                let Some(g) = &self.grid else { return };
                let Some(row) = g.selected_row() else { return };
                let column = g.column;
                match self.data.reference(&g.table, row, column) {
                    Some((table, target)) => {
                        let column = self
                            .data
                            .table(&table)
                            .and_then(|t| t.key_columns().next())
                            .unwrap_or(0);
                        self.jump(Place::Table {
                            table,
                            row: Some(target),
                            column,
                        })
                    }
                    None => {
                        let name = self
                            .data
                            .table(&g.table)
                            .and_then(|t| t.columns.get(column))
                            .map_or("", |c| c.name.as_str());
                        self.message = Some(format!("{name}: no reference to another row here"));
                    }
                }
            }
            (View::Actions, _) => {
                let Some(line) = self.data.actions.get(self.actions.selected) else {
                    return;
                };
                let row = self.data.action(line).row.index;
                self.jump(Place::Table {
                    table: "CustomAction".into(),
                    row: Some(RowRef::Live(row)),
                    column: 0,
                });
            }
            (View::Sequence, _) => {
                let Some(view) = &self.sequence else { return };
                let Some(row) = view.rows.get(self.sequence_pos.selected) else {
                    return;
                };
                let to_action = self.data.actions.iter().position(|a| a.name == row.action);
                let place = match (to_action, row.stored_row) {
                    (Some(i), _) => Place::Action(i),
                    (None, Some(stored)) => Place::Table {
                        table: view.table.clone(),
                        row: Some(RowRef::Live(stored)),
                        column: 0,
                    },
                    (None, None) => return,
                };
                self.jump(place);
            }
            (View::Scenarios, _) => {
                let Some((name, _)) = self.data.scenarios.rows.get(self.scenarios.selected) else {
                    return;
                };
                if let Some(i) = self.data.actions.iter().position(|a| a.name == *name) {
                    self.jump(Place::Action(i));
                }
            }
            (View::Findings, _) => {
                let Some(f) = self.data.findings.findings.get(self.findings.selected) else {
                    return;
                };
                let Some(row) = f.location.row else {
                    self.message = Some(format!(
                        "the finding is about table {} as a whole",
                        f.location.table
                    ));
                    return;
                };
                let table = f.location.table.clone();
                let column = self
                    .data
                    .table(&table)
                    .and_then(|t| f.location.column.as_deref().and_then(|c| t.column(c)));
                self.jump(Place::Table {
                    table,
                    row: Some(RowRef::Live(row)),
                    column: column.unwrap_or(0),
                });
                if let (Some(g), Some(column)) = (self.grid.as_mut(), column) {
                    g.highlight = Some((RowRef::Live(row), column));
                }
            }
        }
    }

    // ------------------------------------------------------------------ //
    // search

    /// Finds `query` (ignoring case) in the view: in the tables view across
    /// every table, from the selected row on, like Orca's Find.
    pub fn search_for(&mut self, query: &str) {
        if query.is_empty() {
            self.search = None;
            return;
        }
        let needle = query.to_lowercase();
        let matches = match self.view {
            View::Tables => self.table_matches(&needle),
            View::Actions => self
                .data
                .actions
                .iter()
                .enumerate()
                .filter(|(_, a)| {
                    let ca = self.data.action(a);
                    [Some(&ca.name), ca.source.as_ref(), ca.target.as_ref()]
                        .into_iter()
                        .flatten()
                        .chain(std::iter::once(&a.kind))
                        .any(|t| t.to_lowercase().contains(&needle))
                })
                .map(|(i, _)| Place::Action(i))
                .collect(),
            View::Sequence => self
                .sequence
                .iter()
                .flat_map(|s| s.rows.iter().enumerate())
                .filter(|(_, r)| {
                    [
                        Some(&r.action),
                        r.condition.as_ref(),
                        Some(&r.kind),
                        Some(&r.position),
                    ]
                    .into_iter()
                    .flatten()
                    .any(|t| t.to_lowercase().contains(&needle))
                })
                .map(|(i, _)| Place::Sequence {
                    table: self.sequence_index,
                    row: i,
                })
                .collect(),
            View::Findings => self
                .data
                .findings
                .findings
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    [
                        f.code,
                        f.rule,
                        &f.message,
                        &f.location.table,
                        &f.location.key,
                    ]
                    .into_iter()
                    .any(|t| t.to_lowercase().contains(&needle))
                })
                .map(|(i, _)| Place::Finding(i))
                .collect(),
            View::Scenarios => self
                .data
                .scenarios
                .rows
                .iter()
                .enumerate()
                .filter(|(_, (name, _))| name.to_lowercase().contains(&needle))
                .map(|(i, _)| Place::Scenario(i))
                .collect(),
        };
        if matches.is_empty() {
            self.message = Some(format!("not found: {query}"));
            self.search = None;
            return;
        }
        // The first match at or after the selection.
        let here = self.place();
        let current = match self.view {
            View::Tables => 0,
            _ => matches
                .iter()
                .position(|m| place_index(m) >= place_index(&here))
                .unwrap_or(0),
        };
        self.search = Some(Search {
            query: query.to_owned(),
            matches,
            current,
        });
        self.show_match();
    }

    /// Every cell holding the text, starting with the selected row of the
    /// open table and wrapping round through the other tables.
    fn table_matches(&self, needle: &str) -> Vec<Place> {
        let start = self.nav.selected;
        let names: Vec<&str> = self.data.tables.iter().map(|t| t.name.as_str()).collect();
        let from_row = self.grid.as_ref().and_then(Grid::selected_row);
        let mut before = Vec::new();
        let mut out = Vec::new();
        for (n, name) in names
            .iter()
            .cycle()
            .skip(start)
            .take(names.len())
            .enumerate()
        {
            let Some(table) = self.data.table(name) else {
                continue;
            };
            let columns = table.columns.len();
            for row in self.data.rows_of(name) {
                for column in 0..columns {
                    if self
                        .data
                        .cell(name, row, column)
                        .to_lowercase()
                        .contains(needle)
                    {
                        let place = Place::Table {
                            table: (*name).to_owned(),
                            row: Some(row),
                            column,
                        };
                        // Matches in the open table above the selection come last.
                        let earlier =
                            n == 0 && from_row.is_some_and(|f| row_index(row) < row_index(f));
                        if earlier {
                            before.push(place);
                        } else {
                            out.push(place);
                        }
                        if out.len() + before.len() >= MAX_MATCHES {
                            out.append(&mut before);
                            return out;
                        }
                    }
                }
            }
        }
        out.append(&mut before);
        out
    }

    fn next_match(&mut self, forward: bool) {
        let Some(search) = self.search.as_mut() else {
            self.message = Some("no search: / searches".into());
            return;
        };
        let len = search.matches.len();
        search.current = if forward {
            (search.current + 1) % len
        } else {
            (search.current + len - 1) % len
        };
        self.show_match();
    }

    fn show_match(&mut self) {
        let Some(search) = &self.search else { return };
        let place = search.matches[search.current].clone();
        self.message = Some(format!(
            "match {} of {}{} for \"{}\"",
            search.current + 1,
            search.matches.len(),
            if search.matches.len() >= MAX_MATCHES {
                "+"
            } else {
                ""
            },
            search.query
        ));
        self.go(&place);
        if let (
            Place::Table {
                row: Some(row),
                column,
                ..
            },
            Some(g),
        ) = (&place, self.grid.as_mut())
        {
            g.highlight = Some((*row, *column));
        }
    }

    // ------------------------------------------------------------------ //
    // mouse

    pub fn handle_mouse(&mut self, mouse: MouseEvent) {
        let at = Position::new(mouse.column, mouse.row);
        let pane = if self.areas.nav.contains(at) {
            Focus::Nav
        } else if self.areas.main.contains(at) {
            Focus::Main
        } else if self.areas.detail.contains(at) {
            Focus::Detail
        } else {
            if let (MouseEventKind::Down(MouseButton::Left), true) =
                (mouse.kind, self.areas.tabs.contains(at))
            {
                self.click_tab(mouse.column);
            }
            return;
        };
        match mouse.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let delta = if mouse.kind == MouseEventKind::ScrollDown {
                    3
                } else {
                    -3
                };
                let focus = self.focus;
                self.focus = pane;
                self.move_by(delta);
                self.focus = focus;
            }
            MouseEventKind::Down(MouseButton::Left) => {
                self.focus = pane;
                let (area, header) = match pane {
                    Focus::Nav => (self.areas.nav, 1),
                    Focus::Main => (self.areas.main, self.areas.main_header),
                    Focus::Detail => return,
                };
                let Some(line) = mouse.row.checked_sub(area.y + header) else {
                    return;
                };
                let offset = match (pane, self.view) {
                    (Focus::Nav, _) => self.nav.offset,
                    (_, View::Tables) => self.grid.as_ref().map_or(0, |g| g.pos.offset),
                    (_, View::Actions) => self.actions.offset,
                    (_, View::Sequence) => self.sequence_pos.offset,
                    (_, View::Findings) => self.findings.offset,
                    (_, View::Scenarios) => self.scenarios.offset,
                };
                let current = match (pane, self.view) {
                    (Focus::Nav, _) => self.nav.selected,
                    (_, View::Tables) => self.grid.as_ref().map_or(0, |g| g.pos.selected),
                    (_, View::Actions) => self.actions.selected,
                    (_, View::Sequence) => self.sequence_pos.selected,
                    (_, View::Findings) => self.findings.selected,
                    (_, View::Scenarios) => self.scenarios.selected,
                };
                let target = offset + line as usize;
                self.move_by(target as isize - current as isize);
            }
            _ => {}
        }
    }

    fn click_tab(&mut self, column: u16) {
        // The tabs are drawn as ` 1 Tables │ 2 Actions │ ...`.
        let mut x = self.areas.tabs.x;
        for view in View::ALL {
            let width = view.title().len() as u16 + 5;
            if column < x + width {
                self.switch(view);
                return;
            }
            x += width;
        }
    }
}

fn row_index(row: RowRef) -> usize {
    match row {
        RowRef::Live(i) => i,
        RowRef::Deleted(i) => usize::MAX / 2 + i,
    }
}

fn place_index(place: &Place) -> usize {
    match place {
        Place::Action(i) | Place::Finding(i) | Place::Scenario(i) => *i,
        Place::Sequence { row, .. } => *row,
        Place::Table { row, .. } => row.map_or(0, row_index),
    }
}

/// Cells compare as numbers when both are, else as text ignoring case.
fn compare_cells(a: &str, b: &str) -> Ordering {
    match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        _ => a
            .to_lowercase()
            .cmp(&b.to_lowercase())
            .then_with(|| a.cmp(b)),
    }
}
