//! `msica browse` without a terminal: key sequences drive the state and the
//! selection, view and history are checked; each view is drawn through
//! ratatui's test backend and snapshotted at 80x24 and 120x40.

mod common;

use std::path::{Path, PathBuf};

use msica::inspect::table::RowRef;
use msica::model::load::{Input, TransformSpec};
use msica::testing::pe::{Arch, PeBuilder};
use msica::testing::{Cell, MsiBuilder, TransformBuilder};
use msica::tui::app::{Focus, Place};
use msica::tui::{render, screen_text, App, Data, View};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

fn sample(name: &str) -> PathBuf {
    common::samples_dir().join(name)
}

fn open(path: &Path) -> App {
    App::new(Data::load(&Input::file(path)).expect("the sample opens"))
}

/// Presses keys: characters as typed, `<Enter>`, `<Tab>`, `<BS>`, `<Esc>`,
/// `<Down>`, `<Up>`, `<Right>`, `<Left>`, `<PgDn>`, `<C-c>` by name.
fn press(app: &mut App, keys: &str) {
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        let (code, modifiers, len) = match rest.find('>').filter(|_| c == '<') {
            Some(end) => {
                let (code, modifiers) = match &rest[1..end] {
                    "Enter" => (KeyCode::Enter, KeyModifiers::NONE),
                    "Tab" => (KeyCode::Tab, KeyModifiers::NONE),
                    "BS" => (KeyCode::Backspace, KeyModifiers::NONE),
                    "Esc" => (KeyCode::Esc, KeyModifiers::NONE),
                    "Down" => (KeyCode::Down, KeyModifiers::NONE),
                    "Up" => (KeyCode::Up, KeyModifiers::NONE),
                    "Right" => (KeyCode::Right, KeyModifiers::NONE),
                    "Left" => (KeyCode::Left, KeyModifiers::NONE),
                    "PgDn" => (KeyCode::PageDown, KeyModifiers::NONE),
                    "C-c" => (KeyCode::Char('c'), KeyModifiers::CONTROL),
                    other => panic!("unknown key <{other}>"),
                };
                (code, modifiers, end + 1)
            }
            None => (KeyCode::Char(c), KeyModifiers::NONE, c.len_utf8()),
        };
        app.handle_key(KeyEvent::new(code, modifiers));
        rest = &rest[len..];
    }
}

/// The open table and the key of its selected row.
fn grid_at(app: &App) -> (String, String, usize) {
    let g = app.grid.as_ref().expect("a table is open");
    let row = g.selected_row().expect("a row is selected");
    (
        g.table.clone(),
        app.data.cell(&g.table, row, 0).into_owned(),
        g.column,
    )
}

fn open_table(app: &mut App, name: &str) {
    app.start(View::Tables, Some(name))
        .expect("the table exists");
}

#[test]
fn the_navigator_opens_each_table_and_tab_moves_to_the_grid() {
    let mut app = open(&sample("clean-app.msi"));
    assert_eq!(app.view, View::Tables);
    assert_eq!(app.focus, Focus::Nav);
    let first = app.data.tables[0].name.clone();
    assert_eq!(app.grid.as_ref().unwrap().table, first);
    press(&mut app, "jj");
    assert_eq!(app.grid.as_ref().unwrap().table, app.data.tables[2].name);
    press(&mut app, "<Tab>");
    assert_eq!(app.focus, Focus::Main);
    press(&mut app, "jG");
    let g = app.grid.as_ref().unwrap();
    assert_eq!(g.pos.selected, g.order.len() - 1);
    press(&mut app, "g");
    assert_eq!(app.grid.as_ref().unwrap().pos.selected, 0);
}

#[test]
fn enter_follows_a_reference_and_backspace_comes_back() {
    let mut app = open(&sample("clean-app.msi"));
    open_table(&mut app, "CustomAction");
    let row = app
        .data
        .find_row("CustomAction", "InstallFoo")
        .expect("InstallFoo");
    app.go(&Place::Table {
        table: "CustomAction".into(),
        row: Some(row),
        column: 0,
    });
    // Action, Type, Source: the Source of InstallFoo is the Binary row FooCA.
    press(&mut app, "ll<Enter>");
    assert_eq!(grid_at(&app), ("Binary".into(), "FooCA".into(), 0));
    assert_eq!(app.history.len(), 1);
    press(&mut app, "<BS>");
    assert_eq!(
        grid_at(&app),
        ("CustomAction".into(), "InstallFoo".into(), 2)
    );
    assert!(app.history.is_empty());
    // A cell that refers to nothing says so and stays.
    press(&mut app, "h<Enter>");
    assert_eq!(grid_at(&app).0, "CustomAction");
    assert!(app.message.as_deref().unwrap().contains("no reference"));
}

#[test]
fn a_sequence_row_opens_its_action_decoded() {
    let mut app = open(&sample("clean-app.msi"));
    press(&mut app, "3");
    assert_eq!(app.view, View::Sequence);
    let seq = app.sequence.as_ref().expect("a sequence is shown");
    assert_eq!(seq.table, "InstallExecuteSequence");
    let at = seq
        .rows
        .iter()
        .position(|r| r.action == "InstallFoo")
        .unwrap();
    app.go(&Place::Sequence {
        table: app.sequence_index,
        row: at,
    });
    press(&mut app, "<Enter>");
    assert_eq!(app.view, View::Actions);
    assert_eq!(app.data.actions[app.actions.selected].name, "InstallFoo");
    press(&mut app, "<BS>");
    assert_eq!(app.view, View::Sequence);
    assert_eq!(app.sequence_pos.selected, at);
    // ] and [ switch sequence tables.
    let index = app.sequence_index;
    press(&mut app, "]");
    assert_eq!(app.sequence_index, index + 1);
    press(&mut app, "[");
    assert_eq!(app.sequence_index, index);
}

#[test]
fn a_finding_is_followed_to_its_row_with_the_cell_highlighted() {
    let mut app = open(&sample("MCA101-deferred-outside-script.msi"));
    press(&mut app, "4");
    assert_eq!(app.view, View::Findings);
    let finding = app.data.findings.findings[0].clone();
    assert_eq!(finding.code, "MCA101");
    press(&mut app, "<Enter>");
    assert_eq!(app.view, View::Tables);
    let (table, key, column) = grid_at(&app);
    assert_eq!(table, "InstallExecuteSequence");
    assert_eq!(key, finding.location.key);
    let g = app.grid.as_ref().unwrap();
    let expected = app
        .data
        .table(&table)
        .unwrap()
        .column(finding.location.column.as_deref().unwrap());
    assert_eq!(Some(column), expected);
    assert_eq!(g.highlight, Some((g.selected_row().unwrap(), column)));
    // The row is marked as having an error, in the grid's gutter.
    assert_eq!(
        app.data.finding_mark(&table, g.selected_row().unwrap()),
        Some(msica::finding::Severity::Error)
    );
    press(&mut app, "<BS>");
    assert_eq!(app.view, View::Findings);
}

#[test]
fn search_finds_text_in_every_table_and_n_moves_between_matches() {
    let mut app = open(&sample("clean-app.msi"));
    press(&mut app, "/fooca<Enter>");
    let search = app.search.clone().expect("matches");
    let tables: Vec<&str> = search
        .matches
        .iter()
        .map(|m| match m {
            Place::Table { table, .. } => table.as_str(),
            other => panic!("a table match, not {other:?}"),
        })
        .collect();
    assert!(tables.contains(&"Binary"), "{tables:?}");
    assert!(tables.contains(&"CustomAction"), "{tables:?}");
    let first = app.place();
    press(&mut app, "n");
    assert_ne!(app.place(), first);
    assert_eq!(app.search.as_ref().unwrap().current, 1);
    press(&mut app, "N");
    assert_eq!(app.place(), first);
    // The selected cell holds the text.
    let g = app.grid.as_ref().unwrap();
    let text = app.data.cell(&g.table, g.selected_row().unwrap(), g.column);
    assert!(text.to_lowercase().contains("fooca"), "{text}");
    press(&mut app, "/no such text anywhere<Enter>");
    assert!(app.message.as_deref().unwrap().starts_with("not found"));
}

#[test]
fn search_in_the_actions_view_selects_the_action() {
    let mut app = open(&sample("clean-app.msi"));
    press(&mut app, "2/rollback<Enter>");
    let name = &app.data.actions[app.actions.selected].name;
    assert!(name.to_lowercase().contains("rollback"), "{name}");
}

#[test]
fn filter_sort_and_escape_change_the_rows_shown() {
    let mut app = open(&sample("clean-app.msi"));
    open_table(&mut app, "InstallExecuteSequence");
    let all = app.grid.as_ref().unwrap().order.len();
    press(&mut app, "fInstall<Enter>");
    let g = app.grid.as_ref().unwrap();
    assert!(g.order.len() < all && !g.order.is_empty());
    for row in &g.order {
        let cells: Vec<String> = (0..g.columns)
            .map(|c| app.data.cell(&g.table, *row, c).to_lowercase())
            .collect();
        assert!(cells.iter().any(|c| c.contains("install")), "{cells:?}");
    }
    press(&mut app, "<Esc>");
    assert_eq!(app.grid.as_ref().unwrap().order.len(), all);
    // Sort by Sequence (third column): numbers in numeric order, then reversed.
    press(&mut app, "lls");
    let numbers = |app: &App| -> Vec<i64> {
        let g = app.grid.as_ref().unwrap();
        g.order
            .iter()
            .map(|r| app.data.cell(&g.table, *r, 2).parse().unwrap())
            .collect()
    };
    let ascending = numbers(&app);
    assert!(ascending.windows(2).all(|w| w[0] <= w[1]), "{ascending:?}");
    press(&mut app, "s");
    let descending = numbers(&app);
    assert!(
        descending.windows(2).all(|w| w[0] >= w[1]),
        "{descending:?}"
    );
    press(&mut app, "s");
    assert_eq!(app.grid.as_ref().unwrap().sort, None);
}

#[test]
fn help_quit_and_ctrl_c() {
    let mut app = open(&sample("clean-minimal.msi"));
    press(&mut app, "?");
    assert!(app.help);
    press(&mut app, "j");
    assert!(!app.help && !app.quit);
    press(&mut app, "q");
    assert!(app.quit);
    let mut app = open(&sample("clean-minimal.msi"));
    press(&mut app, "<C-c>");
    assert!(app.quit);
}

#[test]
fn start_options_open_a_view_or_a_table_and_refuse_unknown_names() {
    let mut app = open(&sample("clean-app.msi"));
    app.start(View::Sequence, Some("InstallUISequence"))
        .unwrap();
    assert_eq!(app.view, View::Sequence);
    assert_eq!(app.sequence.as_ref().unwrap().table, "InstallUISequence");
    let mut app = open(&sample("clean-app.msi"));
    app.start(View::Tables, Some("property")).unwrap();
    assert_eq!(app.grid.as_ref().unwrap().table, "Property");
    assert!(app.start(View::Tables, Some("NoSuchTable")).is_err());
    assert!(app.start(View::Actions, Some("Property")).is_err());
    assert!(app.start(View::Sequence, Some("NoSuchTable")).is_err());
}

#[test]
fn a_large_table_pages_and_draws_only_what_fits() {
    let mut builder = MsiBuilder::new().standard_execute();
    for i in 0..20_000 {
        builder = builder.property(&format!("PROP{i:05}"), &format!("value {i}"));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.msi");
    std::fs::write(&path, builder.bytes()).unwrap();
    let mut app = open(&path);
    open_table(&mut app, "Property");
    render(&mut app, 80, 24);
    press(&mut app, "<PgDn><PgDn>G");
    let screen = screen_text(&render(&mut app, 80, 24));
    assert!(screen.contains("PROP19999"), "{screen}");
    press(&mut app, "/prop10000<Enter>");
    let screen = screen_text(&render(&mut app, 80, 24));
    assert!(screen.contains("PROP10000"), "{screen}");
}

// ---------------------------------------------------------------------- //
// transforms

/// A package and a transform that adds, changes and deletes rows.
fn transformed() -> (tempfile::TempDir, Input) {
    let dir = tempfile::tempdir().unwrap();
    // The DLL also exports LogIt, which the site transform calls.
    let dll = PeBuilder::dll(Arch::X86)
        .export("RollbackFoo")
        .export("InstallFoo")
        .export("LogIt")
        .build();
    let base = MsiBuilder::new()
        .standard_execute()
        .binary_data("FooCA", &dll)
        .action("RollbackFoo", 3329, Some("FooCA"), Some("RollbackFoo"))
        .action("InstallFoo", 3073, Some("FooCA"), Some("InstallFoo"))
        .seq(
            "InstallExecuteSequence",
            "RollbackFoo",
            Some("NOT Installed"),
            4001,
        )
        .seq(
            "InstallExecuteSequence",
            "InstallFoo",
            Some("NOT Installed"),
            4002,
        );
    let path = dir.path().join("base.msi");
    std::fs::write(&path, base.bytes()).unwrap();
    let t = TransformBuilder::new()
        .insert(
            "CustomAction",
            vec!["LogIt".into(), 1.into(), "FooCA".into(), "LogIt".into()],
        )
        .insert(
            "InstallExecuteSequence",
            vec!["LogIt".into(), Cell::Null, 4003.into()],
        )
        .update(
            "InstallExecuteSequence",
            vec!["RollbackFoo".into()],
            vec![(1, "REMOVE".into())],
        )
        .delete("InstallExecuteSequence", vec!["InstallFoo".into()]);
    let mst = t.write_to(dir.path(), "site.mst");
    let input = Input {
        path,
        transforms: vec![TransformSpec::File(mst)],
        ..Input::default()
    };
    (dir, input)
}

#[test]
fn transform_marks_rows_highlights_changed_cells_and_hides_unchanged_rows() {
    let (_dir, input) = transformed();
    let mut app = App::new(Data::load(&input).unwrap());
    open_table(&mut app, "InstallExecuteSequence");
    let screen = render(&mut app, 100, 30);
    let text = screen_text(&screen);
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} not on screen:\n{text}"))
    };
    for (action, mark) in [("LogIt", "+"), ("RollbackFoo", "~"), ("InstallFoo ", "-")] {
        // The grid's gutter follows the navigator's and the grid's borders.
        let line = text.lines().nth(line_of(action)).unwrap();
        let gutter = &line[line.find("││").unwrap() + "││".len()..];
        assert!(
            gutter.starts_with(mark),
            "{action} should be marked {mark}: {line:?}"
        );
    }
    // The changed Condition cell of RollbackFoo is highlighted.
    let y = line_of("RollbackFoo") as u16;
    let x = text
        .lines()
        .nth(y as usize)
        .unwrap()
        .find("REMOVE")
        .expect("the new condition") as u16;
    let x = text.lines().nth(y as usize).unwrap()[..x as usize]
        .chars()
        .count() as u16;
    assert_eq!(screen[(x, y)].bg, Color::Yellow);
    press(&mut app, "t");
    let g = app.grid.as_ref().unwrap();
    assert!(g.hide_unchanged);
    assert_eq!(g.order.len(), 3, "the added, changed and deleted rows");
    assert!(g.order.contains(&RowRef::Deleted(0)));
}

// ---------------------------------------------------------------------- //
// snapshots

fn snapshot(name: &str, app: &mut App) {
    for (width, height) in [(80, 24), (120, 40)] {
        let text = screen_text(&render(app, width, height));
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), text);
    }
}

#[test]
fn snapshot_tables_view() {
    let mut app = open(&sample("clean-app.msi"));
    open_table(&mut app, "CustomAction");
    snapshot("tables", &mut app);
}

#[test]
fn snapshot_actions_view() {
    let mut app = open(&sample("clean-app.msi"));
    let at = app.data.actions.iter().position(|a| a.name == "InstallFoo");
    app.go(&Place::Action(at.unwrap()));
    snapshot("actions", &mut app);
}

#[test]
fn snapshot_script_action() {
    let mut app = open(&sample("MCA204-script-action.msi"));
    press(&mut app, "2");
    snapshot("script_action", &mut app);
}

#[test]
fn snapshot_sequence_view() {
    let mut app = open(&sample("MCA101-deferred-outside-script.msi"));
    press(&mut app, "3");
    snapshot("sequence", &mut app);
}

#[test]
fn snapshot_findings_view() {
    let mut app = open(&sample("MCA101-deferred-outside-script.msi"));
    press(&mut app, "4");
    snapshot("findings", &mut app);
}

#[test]
fn snapshot_scenarios_view() {
    let mut app = open(&sample("MCA120-upgrade-runs-uninstall-action.msi"));
    press(&mut app, "5");
    snapshot("scenarios", &mut app);
}

#[test]
fn the_scenarios_view_opens_the_selected_action() {
    let mut app = open(&sample("MCA120-upgrade-runs-uninstall-action.msi"));
    press(&mut app, "5");
    assert_eq!(app.view, View::Scenarios);
    let names: Vec<&str> = app
        .data
        .scenarios
        .rows
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(names, ["RollbackDeleteUserData", "DeleteUserData"]);
    press(&mut app, "j");
    assert_eq!(app.scenarios.selected, 1);
    press(&mut app, "<Enter>");
    assert_eq!(app.view, View::Actions);
    assert_eq!(
        app.data.actions[app.actions.selected].name,
        "DeleteUserData"
    );
    press(&mut app, "<BS>");
    assert_eq!(app.view, View::Scenarios);
    assert_eq!(app.scenarios.selected, 1);
}

#[test]
fn snapshot_transform_view() {
    let (_dir, input) = transformed();
    let mut app = App::new(Data::load(&input).unwrap());
    open_table(&mut app, "InstallExecuteSequence");
    snapshot("transform", &mut app);
}

#[test]
fn snapshot_help_and_a_terminal_too_small() {
    let mut app = open(&sample("clean-app.msi"));
    press(&mut app, "?");
    snapshot("help", &mut app);
    let text = screen_text(&render(&mut app, 20, 5)).replace('\n', " ");
    assert!(text.contains("too small (20x5)"), "{text}");
}

// ---------------------------------------------------------------------- //
// the command

#[test]
fn without_a_terminal_browse_exits_2_and_says_why() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_msica"))
        .arg("browse")
        .arg(sample("clean-app.msi"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("browse needs a terminal"), "{err}");
}

#[test]
fn a_broken_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.msi");
    std::fs::write(&path, b"not a database").unwrap();
    let error = Data::load(&Input::file(&path)).err().expect("an error");
    assert!(error.to_string().contains("broken.msi"), "{error}");
    let mst = common::corpus_dir().join("psmsi__Example.mst");
    if mst.is_file() {
        let error = Data::load(&Input::file(&mst))
            .err()
            .expect("a transform alone");
        assert!(error.to_string().contains("-t"), "{error}");
    }
}

#[test]
fn every_sample_and_corpus_database_draws_in_every_view() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(common::samples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "msi"))
        .collect();
    files.extend(
        common::corpus_files()
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e != "mst")),
    );
    files.sort();
    for path in &files {
        let data = match Data::load(&Input::file(path)) {
            Ok(data) => data,
            // A file `msica info` refuses is refused here too, with a message.
            Err(e) => {
                assert!(e
                    .to_string()
                    .contains(&*path.file_name().unwrap().to_string_lossy()));
                continue;
            }
        };
        let mut app = App::new(data);
        for keys in ["1<Tab>", "2", "3", "4", "5"] {
            press(&mut app, keys);
            for (width, height) in [(80, 24), (60, 12)] {
                let screen = screen_text(&render(&mut app, width, height));
                assert!(screen.contains("1 Tables"), "{}:\n{screen}", path.display());
            }
            // Every key that moves or opens, on whatever is selected.
            press(&mut app, "jG<Enter><BS>l<Enter>/a<Enter>n<Esc>");
            render(&mut app, 80, 24);
        }
    }
}

#[test]
fn the_mouse_selects_what_is_clicked_and_the_wheel_scrolls() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = open(&sample("clean-app.msi"));
    render(&mut app, 80, 24);
    let mouse = |kind, column, row| MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    };
    // The navigator's fourth line (below the tabs and its border) is the fourth table.
    let nav = app.areas.nav;
    app.handle_mouse(mouse(
        MouseEventKind::Down(MouseButton::Left),
        nav.x + 2,
        nav.y + 4,
    ));
    assert_eq!(app.grid.as_ref().unwrap().table, app.data.tables[3].name);
    assert_eq!(app.focus, Focus::Nav);
    // The wheel over the navigator moves three tables on.
    app.handle_mouse(mouse(MouseEventKind::ScrollDown, nav.x + 2, nav.y + 4));
    assert_eq!(app.nav.selected, 6);
    // A click in the grid selects that row and moves the focus there.
    open_table(&mut app, "InstallExecuteSequence");
    render(&mut app, 80, 24);
    let main = app.areas.main;
    app.handle_mouse(mouse(
        MouseEventKind::Down(MouseButton::Left),
        main.x + 5,
        main.y + app.areas.main_header + 2,
    ));
    assert_eq!(app.focus, Focus::Main);
    assert_eq!(app.grid.as_ref().unwrap().pos.selected, 2);
    // A click on a tab opens its view.
    let tabs = app.areas.tabs;
    app.handle_mouse(mouse(
        MouseEventKind::Down(MouseButton::Left),
        tabs.x + 15,
        tabs.y,
    ));
    assert_eq!(app.view, View::Actions);
}

/// A patch's rows are marked as a transform's are, and the title names the
/// patch and the pair it applied.
#[test]
fn a_patch_marks_its_rows_and_names_its_pair_in_the_title() {
    let (dir, transformed) = transformed();
    let t = TransformBuilder::new()
        .insert(
            "CustomAction",
            vec!["LogIt".into(), 1.into(), "FooCA".into(), "LogIt".into()],
        )
        .insert(
            "InstallExecuteSequence",
            vec!["LogIt".into(), Cell::Null, 4003.into()],
        );
    let msp = dir.path().join("fix.msp");
    std::fs::write(
        &msp,
        msica::testing::PatchBuilder::new(&[])
            .pair("rtm.1", t)
            .bytes(),
    )
    .unwrap();
    let input = Input {
        path: transformed.path,
        patches: vec![msp],
        ..Input::default()
    };
    let mut app = App::new(Data::load(&input).unwrap());
    open_table(&mut app, "InstallExecuteSequence");
    let text = screen_text(&render(&mut app, 100, 30));
    assert!(text.contains("base.msi + fix.msp:rtm.1"), "{text}");
    assert!(!text.contains("fix.msp:#rtm.1"), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("LogIt"))
        .unwrap_or_else(|| panic!("LogIt not on screen:\n{text}"));
    let gutter = &line[line.find("││").unwrap() + "││".len()..];
    assert!(gutter.starts_with('+'), "{line:?}");
}
