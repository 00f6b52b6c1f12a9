//! Where a finding's row was authored: the WiX source line behind a table row.
//!
//! `msica lint --source DIR` indexes every `.wxs` and `.wxi` file under DIR
//! once per run ([`SourceIndex::build`]): each WiX element that authors a row
//! msica reports on (`CustomAction`, `Custom` in a sequence, `SetProperty`,
//! `Property`, `Binary`, `Dialog`, `Publish`, ...) is recorded under the
//! row's table and key, at the line of its start tag. When a WiX `.wixpdb`
//! sits next to a package, its exact line of every row is used first
//! ([`wixpdb`]). A [`Locator`] gives each finding, report by report, the
//! line that authored its row; a finding whose row is not found keeps its
//! place in the package.
//!
//! Everything here is I/O done by the command layer, after the rules ran:
//! rules never see sources. A source or `.wixpdb` that cannot be read is a
//! warning naming the file; the lint goes on.

pub mod wixpdb;
mod wxs;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::engine::FileReport;
use crate::finding::Finding;

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    pub path: PathBuf,
    /// 1-based.
    pub line: usize,
    /// 1-based, in UTF-16 code units (as SARIF counts them), when known.
    pub column: Option<usize>,
}

/// Rows by (table, key), the key as [`crate::finding::Location`] writes it.
#[derive(Debug)]
pub(crate) struct RowIndex<T> {
    rows: HashMap<(String, String), T>,
}

impl<T> Default for RowIndex<T> {
    fn default() -> Self {
        Self {
            rows: HashMap::new(),
        }
    }
}

impl<T> RowIndex<T> {
    /// Records where a row was authored; the first place found wins.
    pub(crate) fn insert(&mut self, table: &str, key: &str, value: T) {
        self.rows
            .entry((canonical_table(table).to_owned(), key.to_owned()))
            .or_insert(value);
    }

    pub(crate) fn get(&self, table: &str, key: &str) -> Option<&T> {
        self.rows
            .get(&(canonical_table(table).to_owned(), key.to_owned()))
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }
}

/// A merge module's `ModuleInstallExecuteSequence` is authored by the same
/// `InstallExecuteSequence` element as a product's.
fn canonical_table(table: &str) -> &str {
    table
        .strip_prefix("Module")
        .filter(|rest| rest.ends_with("Sequence"))
        .unwrap_or(table)
}

/// The WiX sources of a run, indexed once.
#[derive(Debug, Default)]
pub struct SourceIndex {
    rows: RowIndex<SourceLine>,
    /// Every source file found, for mapping the paths a `.wixpdb` recorded.
    files: Vec<PathBuf>,
}

impl SourceIndex {
    /// Indexes every `.wxs` and `.wxi` file under `dirs` (a file may be
    /// named directly). Problems are passed to `warn`, one message each.
    pub fn build(dirs: &[PathBuf], warn: &mut dyn FnMut(String)) -> Self {
        let mut files = Vec::new();
        for dir in dirs {
            if !dir.exists() {
                warn(format!("{}: source directory not found", dir.display()));
                continue;
            }
            for entry in walkdir::WalkDir::new(dir)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                })
            {
                match entry {
                    Ok(entry) if entry.file_type().is_file() && is_wix_source(entry.path()) => {
                        files.push(entry.into_path());
                    }
                    Ok(_) => {}
                    Err(e) => warn(format!(
                        "{}: cannot read: {}",
                        e.path().unwrap_or(dir).display(),
                        e.io_error()
                            .map_or_else(|| e.to_string(), ToString::to_string)
                    )),
                }
            }
        }
        let mut index = Self {
            rows: RowIndex::default(),
            files: Vec::new(),
        };
        // Sources before include files, so that an included file is read in
        // the context of its includer (a sequence element, a dialog).
        let (wxs, wxi): (Vec<_>, Vec<_>) = files.iter().partition(|p| !has_extension(p, "wxi"));
        let mut done = HashSet::new();
        for path in wxs.into_iter().chain(wxi) {
            wxs::index_file(path, &mut index.rows, &mut done, warn);
        }
        index.files = files;
        index
    }

    pub(crate) fn row(&self, table: &str, key: &str) -> Option<&SourceLine> {
        self.rows.get(table, key)
    }

    /// The source file behind a path a `.wixpdb` recorded on the build
    /// machine (`C:\src\installer\Product.wxs`): the indexed file that shares
    /// the most trailing path components with it (at least the file name,
    /// compared without regard to case, as Windows does), else the path
    /// itself when it exists here. Two equally good candidates match none.
    pub fn resolve_recorded(&self, recorded: &str) -> Option<PathBuf> {
        let wanted: Vec<String> = components(recorded);
        let mut best: Option<(usize, &PathBuf)> = None;
        let mut tie = false;
        for file in &self.files {
            let have = components(&file.to_string_lossy());
            let shared = wanted
                .iter()
                .rev()
                .zip(have.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            if shared == 0 {
                continue;
            }
            match best {
                Some((n, _)) if n > shared => {}
                Some((n, _)) if n == shared => tie = true,
                _ => {
                    best = Some((shared, file));
                    tie = false;
                }
            }
        }
        match best {
            Some((_, file)) if !tie => Some(file.clone()),
            _ => Some(PathBuf::from(recorded)).filter(|p| p.is_file()),
        }
    }
}

/// Lower-cased path components, split on either separator.
fn components(path: &str) -> Vec<String> {
    path.split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != ".")
        .map(str::to_lowercase)
        .collect()
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn is_wix_source(path: &Path) -> bool {
    has_extension(path, "wxs") || has_extension(path, "wxi")
}

/// The `.wixpdb` that WiX writes next to a package, with the same base name.
fn wixpdb_beside(package: &Path) -> Option<PathBuf> {
    Some(package.with_extension("wixpdb")).filter(|p| p.is_file())
}

/// Points findings at their WiX source lines, report by report: indexes
/// the source directories once, when the first report with findings
/// arrives, and reads the `.wixpdb` beside each package.
#[derive(Debug)]
pub struct Locator {
    dirs: Vec<PathBuf>,
    index: Option<SourceIndex>,
}

impl Locator {
    pub fn new(dirs: Vec<PathBuf>) -> Self {
        Self { dirs, index: None }
    }

    /// Gives each finding of `report` the source line that authored its
    /// row, from the package's `.wixpdb` when there is one, else from the
    /// sources. Problems are passed to `warn`, one message each.
    pub fn locate(&mut self, report: &mut FileReport, warn: &mut dyn FnMut(String)) {
        if report.findings.is_empty() {
            return;
        }
        let dirs = &self.dirs;
        let index = self
            .index
            .get_or_insert_with(|| SourceIndex::build(dirs, warn));
        let pdb = wixpdb_beside(&report.path).and_then(|path| match wixpdb::read(&path) {
            Ok(rows) => Some(wixpdb::resolve(&path, rows, index, warn)),
            Err(e) => {
                warn(format!(
                    "{}: {e}; its source lines are not used",
                    path.display()
                ));
                None
            }
        });
        for finding in &mut report.findings {
            finding.location.authored_at = authoring_line(finding, pdb.as_ref(), index);
        }
    }
}

/// The row's own line (the `.wixpdb` first), else, for a finding about an
/// action, the line that defines the action.
fn authoring_line(
    finding: &Finding,
    pdb: Option<&RowIndex<SourceLine>>,
    index: &SourceIndex,
) -> Option<SourceLine> {
    let loc = &finding.location;
    if loc.key.is_empty() {
        return None;
    }
    let lookup = |table: &str, key: &str| {
        pdb.and_then(|rows| rows.get(table, key))
            .or_else(|| index.row(table, key))
            .cloned()
    };
    lookup(&loc.table, &loc.key).or_else(|| {
        finding
            .action
            .as_deref()
            .filter(|_| loc.table != "CustomAction")
            .and_then(|action| lookup("CustomAction", action))
    })
}

/// Line and column (1-based; the column in UTF-16 code units) of each byte
/// offset of a text, from a table of line starts.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { text, starts }
    }

    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.encode_utf16().count());
        (line, column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_utf16_columns() {
        let text = "a\n  <é𝄞<X\n";
        let lines = LineIndex::new(text);
        assert_eq!(lines.position(0), (1, 1));
        assert_eq!(lines.position(4), (2, 3));
        let x = text.rfind("<X").unwrap();
        assert_eq!(lines.position(x), (2, 7), "é is one unit, 𝄞 two");
    }

    #[test]
    fn recorded_paths_map_onto_the_longest_matching_tail() {
        let index = SourceIndex {
            rows: RowIndex::default(),
            files: vec![
                PathBuf::from("repo/installer/Product.wxs"),
                PathBuf::from("repo/other/Product.wxs"),
                PathBuf::from("repo/installer/Fragments/Actions.wxs"),
            ],
        };
        assert_eq!(
            index.resolve_recorded(r"C:\build\installer\product.WXS"),
            Some(PathBuf::from("repo/installer/Product.wxs"))
        );
        assert_eq!(
            index.resolve_recorded(r"D:\a\Fragments\Actions.wxs"),
            Some(PathBuf::from("repo/installer/Fragments/Actions.wxs"))
        );
        assert_eq!(
            index.resolve_recorded(r"C:\elsewhere\Product.wxs"),
            None,
            "two files match equally well"
        );
        assert_eq!(index.resolve_recorded(r"C:\src\Missing.wxs"), None);
    }

    #[test]
    fn merge_module_sequences_match_the_sequence_elements_and_the_first_place_wins() {
        let mut rows = RowIndex::default();
        rows.insert("InstallExecuteSequence", "Foo", 1);
        rows.insert("InstallExecuteSequence", "Foo", 2);
        assert_eq!(rows.get("ModuleInstallExecuteSequence", "Foo"), Some(&1));
        assert_eq!(rows.get("Module", "Foo"), None);
    }
}
