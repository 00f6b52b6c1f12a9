//! The rows a WiX source authors, read with an XML parser.
//!
//! WiX v3 (`http://schemas.microsoft.com/wix/2006/wi`) and v4 and later
//! (`http://wixtoolset.org/schemas/v4/wxs`) name the elements that author
//! custom actions alike; where they differ (v4 moved inner-text conditions
//! into attributes and renamed some), both spellings are read. Elements of
//! other namespaces (extensions) author nothing here. Include files
//! (`<?include file.wxi?>`) are read where they are included, relative to
//! the including file, so that a `Custom` element of an include lands in
//! the sequence element around the `<?include?>`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use roxmltree::{Document, Node, NodeType, ParsingOptions};

use super::{LineIndex, RowIndex, SourceLine};

const WIX3: &str = "http://schemas.microsoft.com/wix/2006/wi";
const WIX4: &str = "http://wixtoolset.org/schemas/v4/wxs";

/// Include files nested deeper than this are taken for a cycle.
const MAX_INCLUDE_DEPTH: usize = 16;

/// The sequence elements and the tables they fill.
const SEQUENCES: [(&str, &str); 5] = [
    ("InstallExecuteSequence", "InstallExecuteSequence"),
    ("InstallUISequence", "InstallUISequence"),
    ("AdminExecuteSequence", "AdminExecuteSequence"),
    ("AdminUISequence", "AdminUISequence"),
    ("AdvertiseExecuteSequence", "AdvtExecuteSequence"),
];

/// What encloses an element: the sequence table, dialog and control.
#[derive(Debug, Clone, Default)]
struct Context {
    sequence: Option<&'static str>,
    dialog: Option<String>,
    control: Option<String>,
}

/// One file being read: its path, text positions and where rows go.
struct Reader<'i, 'w> {
    rows: &'i mut RowIndex<SourceLine>,
    done: &'i mut HashSet<PathBuf>,
    warn: &'w mut dyn FnMut(String),
}

/// Indexes one source file (and the files it includes) unless it was read
/// already as an include.
pub(super) fn index_file(
    path: &Path,
    rows: &mut RowIndex<SourceLine>,
    done: &mut HashSet<PathBuf>,
    warn: &mut dyn FnMut(String),
) {
    let mut reader = Reader { rows, done, warn };
    reader.file(path, &Context::default(), 0);
}

/// Reads a source file as text: UTF-8 (with or without a byte-order mark)
/// or UTF-16 with a byte-order mark.
fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let utf16 = |bytes: &[u8], unit: fn([u8; 2]) -> u16| {
        char::decode_utf16(bytes.chunks_exact(2).map(|c| unit([c[0], c[1]])))
            .collect::<Result<String, _>>()
            .map_err(|_| "not valid UTF-16".to_owned())
    };
    match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        [0xEF, 0xBB, 0xBF, rest @ ..] => {
            String::from_utf8(rest.to_vec()).map_err(|_| "not valid UTF-8".to_owned())
        }
        _ => String::from_utf8(bytes).map_err(|_| "not valid UTF-8".to_owned()),
    }
}

impl Reader<'_, '_> {
    fn file(&mut self, path: &Path, context: &Context, depth: usize) {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        if !self.done.insert(key) {
            return;
        }
        let text = match read_text(path) {
            Ok(text) => text,
            Err(e) => return (self.warn)(format!("{}: {e}", path.display())),
        };
        let options = ParsingOptions {
            allow_dtd: true,
            ..ParsingOptions::default()
        };
        let doc = match Document::parse_with_options(&text, options) {
            Ok(doc) => doc,
            Err(e) => return (self.warn)(format!("{}: not well-formed XML: {e}", path.display())),
        };
        let lines = LineIndex::new(&text);
        let file = File {
            path,
            lines: &lines,
        };
        // The root (`Wix`, or `Include` of an include file) authors nothing.
        self.children(&file, doc.root_element(), context, depth);
    }

    fn children(&mut self, file: &File<'_>, parent: Node<'_, '_>, context: &Context, depth: usize) {
        for child in parent.children() {
            match child.node_type() {
                NodeType::Element => self.element(file, child, context, depth),
                NodeType::PI => {
                    if let Some(pi) = child.pi().filter(|pi| pi.target == "include") {
                        self.include(file, pi.value.unwrap_or("").trim(), context, depth);
                    }
                }
                _ => {}
            }
        }
    }

    fn include(&mut self, file: &File<'_>, name: &str, context: &Context, depth: usize) {
        // A path built from preprocessor variables cannot be resolved here;
        // the file is still read on its own if it lies under a source directory.
        if name.is_empty() || name.contains("$(") {
            return;
        }
        // Sources authored on Windows name includes with `\` and in any
        // case (`Parts\Actions.wxi` for parts/actions.wxi).
        let dir = file.path.parent().unwrap_or(Path::new(""));
        let target = crate::paths::resolve_relative(dir, name).unwrap_or_else(|| dir.join(name));
        if depth >= MAX_INCLUDE_DEPTH {
            return (self.warn)(format!(
                "{}: includes nest more than {MAX_INCLUDE_DEPTH} deep at {}",
                file.path.display(),
                target.display()
            ));
        }
        if !target.is_file() {
            return (self.warn)(format!(
                "{}: included file {} not found",
                file.path.display(),
                target.display()
            ));
        }
        self.file(&target, context, depth + 1);
    }

    fn element(&mut self, file: &File<'_>, node: Node<'_, '_>, context: &Context, depth: usize) {
        let namespace = node.tag_name().namespace().unwrap_or("");
        if ![WIX3, WIX4, ""].contains(&namespace) {
            return;
        }
        let name = node.tag_name().name();
        let attr = |a: &str| node.attribute(a).filter(|v| !v.is_empty());
        let mut add = |table: &str, key: &str| {
            if !key.is_empty() {
                self.rows.insert(table, key, file.line(node));
            }
        };
        let mut inner = context.clone();
        if let Some(table) = context.sequence {
            // Every child of a sequence element schedules one action.
            let action = match name {
                "Custom" => attr("Action"),
                "Show" => attr("Dialog"),
                _ => Some(name),
            };
            if let Some(action) = action {
                add(table, action);
            }
            inner.sequence = None;
        }
        match name {
            "CustomAction" | "Property" | "Binary" => {
                if let Some(id) = attr("Id") {
                    add(name, id);
                }
            }
            // One custom action, scheduled in the execute sequence, the UI
            // sequence or both.
            "SetProperty" | "SetDirectory" => {
                if let Some(id) = attr("Id") {
                    let action = attr("Action").map_or_else(|| format!("Set{id}"), str::to_owned);
                    add("CustomAction", &action);
                    let sequence = attr("Sequence").unwrap_or("both");
                    if sequence != "ui" {
                        add("InstallExecuteSequence", &action);
                    }
                    if sequence != "execute" {
                        add("InstallUISequence", &action);
                    }
                }
            }
            "Dialog" => {
                if let Some(id) = attr("Id") {
                    add("Dialog", id);
                }
                inner.dialog = attr("Id").map(str::to_owned);
            }
            "Control" => inner.control = attr("Id").map(str::to_owned),
            "Publish" => {
                let dialog = attr("Dialog").or(context.dialog.as_deref());
                let control = attr("Control").or(context.control.as_deref());
                // `Property="X"` publishes set a property: the event is `[X]`.
                let event = attr("Event")
                    .map(str::to_owned)
                    .or_else(|| attr("Property").map(|p| format!("[{p}]")));
                if let (Some(dialog), Some(control), Some(event)) = (dialog, control, event) {
                    let argument = attr("Value").unwrap_or("");
                    add(
                        "ControlEvent",
                        &format!("{dialog}/{control}/{event}/{argument}"),
                    );
                }
            }
            // v4 launch conditions.
            "Launch" => {
                if let Some(condition) = attr("Condition") {
                    add("LaunchCondition", condition);
                }
            }
            // v3 conditions are inner text, which WiX trims: a launch
            // condition (it has a Message) or a control's condition.
            "Condition" => {
                let text = node.text().unwrap_or("").trim();
                let condition = attr("Condition").unwrap_or(text);
                if attr("Message").is_some() {
                    add("LaunchCondition", condition);
                } else if let (Some(action), Some(dialog), Some(control)) =
                    (attr("Action"), &context.dialog, &context.control)
                {
                    add(
                        "ControlCondition",
                        &format!("{dialog}/{control}/{action}/{condition}"),
                    );
                }
            }
            _ => {}
        }
        if let Some((_, table)) = SEQUENCES.iter().find(|(element, _)| *element == name) {
            inner.sequence = Some(table);
        }
        self.children(file, node, &inner, depth);
    }
}

/// A file's path and line table, for positions of its elements.
struct File<'a> {
    path: &'a Path,
    lines: &'a LineIndex<'a>,
}

impl File<'_> {
    /// Where an element's start tag begins.
    fn line(&self, node: Node<'_, '_>) -> SourceLine {
        let (line, column) = self.lines.position(node.range().start);
        SourceLine {
            path: self.path.to_owned(),
            line,
            column: Some(column),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Indexes `files` (name, text) written to a temporary folder, the first
    /// one as the source; returns the rows and the warnings.
    fn index(files: &[(&str, &str)]) -> (tempfile::TempDir, RowIndex<SourceLine>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let mut rows = RowIndex::default();
        let mut warnings = Vec::new();
        index_file(
            &dir.path().join(files[0].0),
            &mut rows,
            &mut HashSet::new(),
            &mut |w| warnings.push(w),
        );
        (dir, rows, warnings)
    }

    fn line(rows: &RowIndex<SourceLine>, table: &str, key: &str) -> Option<(usize, usize)> {
        rows.get(table, key).map(|s| (s.line, s.column.unwrap()))
    }

    #[test]
    fn wix3_elements_author_their_rows() {
        let source = r#"<?xml version="1.0"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*">
    <Binary Id="FooCA" SourceFile="foo.dll"/>
    <Property Id="DB_PASSWORD" Hidden="yes"/>
    <CustomAction Id="InstallFoo" BinaryKey="FooCA" DllEntry="Install" Execute="deferred"/>
    <SetProperty Id="InstallFoo" Value="[INSTALLDIR]" Before="InstallFoo" Sequence="execute"/>
    <SetDirectory Id="DATADIR" Value="[CommonAppDataFolder]Foo"/>
    <Condition Message="Windows Vista or later">
      VersionNT >= 600
    </Condition>
    <InstallExecuteSequence>
      <Custom Action="InstallFoo" After="InstallFiles">NOT Installed</Custom>
      <RemoveExistingProducts After="InstallValidate"/>
    </InstallExecuteSequence>
    <AdvertiseExecuteSequence>
        <Custom Action="InstallFoo" Sequence="4001"/>
    </AdvertiseExecuteSequence>
    <UI>
      <Dialog Id="WelcomeDlg" Width="370" Height="270">
        <Control Id="Next" Type="PushButton">
          <Publish Event="DoAction" Value="InstallFoo">1</Publish>
          <Condition Action="disable">NOT READY</Condition>
        </Control>
      </Dialog>
      <Publish Dialog="WelcomeDlg" Control="Back" Property="STEP" Value="1">1</Publish>
      <InstallUISequence>
        <Show Dialog="WelcomeDlg" Before="ProgressDlg"/>
      </InstallUISequence>
    </UI>
  </Product>
</Wix>
"#;
        let (_dir, rows, warnings) = index(&[("Product.wxs", source)]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(line(&rows, "Binary", "FooCA"), Some((4, 5)));
        assert_eq!(line(&rows, "Property", "DB_PASSWORD"), Some((5, 5)));
        assert_eq!(line(&rows, "CustomAction", "InstallFoo"), Some((6, 5)));
        assert_eq!(line(&rows, "CustomAction", "SetInstallFoo"), Some((7, 5)));
        assert_eq!(
            line(&rows, "InstallExecuteSequence", "SetInstallFoo"),
            Some((7, 5))
        );
        assert_eq!(
            line(&rows, "InstallUISequence", "SetInstallFoo"),
            None,
            "execute only"
        );
        assert_eq!(line(&rows, "CustomAction", "SetDATADIR"), Some((8, 5)));
        assert_eq!(line(&rows, "InstallUISequence", "SetDATADIR"), Some((8, 5)));
        assert_eq!(
            line(&rows, "LaunchCondition", "VersionNT >= 600"),
            Some((9, 5))
        );
        assert_eq!(
            line(&rows, "InstallExecuteSequence", "InstallFoo"),
            Some((13, 7))
        );
        assert_eq!(
            line(&rows, "InstallExecuteSequence", "RemoveExistingProducts"),
            Some((14, 7))
        );
        assert_eq!(
            line(&rows, "AdvtExecuteSequence", "InstallFoo"),
            Some((17, 9))
        );
        assert_eq!(line(&rows, "Dialog", "WelcomeDlg"), Some((20, 7)));
        assert_eq!(
            line(&rows, "ControlEvent", "WelcomeDlg/Next/DoAction/InstallFoo"),
            Some((22, 11))
        );
        assert_eq!(
            line(
                &rows,
                "ControlCondition",
                "WelcomeDlg/Next/disable/NOT READY"
            ),
            Some((23, 11))
        );
        assert_eq!(
            line(&rows, "ControlEvent", "WelcomeDlg/Back/[STEP]/1"),
            Some((26, 7))
        );
        assert_eq!(
            line(&rows, "InstallUISequence", "WelcomeDlg"),
            Some((28, 9))
        );
        assert_eq!(line(&rows, "InstallExecuteSequence", "Custom"), None);
    }

    #[test]
    fn wix4_spellings_author_the_same_rows() {
        let source = r#"<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs"
     xmlns:util="http://wixtoolset.org/schemas/v4/wxs/util">
  <Package Name="Foo" Version="1.0" UpgradeCode="{11111111-2222-3333-4444-555555555555}">
    <Launch Condition="VersionNT >= 600" Message="Windows Vista or later"/>
    <CustomAction Id="InstallFoo" BinaryRef="FooCA" DllEntry="Install" Execute="deferred" Return="check"/>
    <util:CloseApplication Id="CloseFoo" Target="foo.exe"/>
    <SetProperty Id="InstallFoo" Action="SetFooData" Value="x" Before="InstallFoo" Sequence="ui"/>
    <InstallExecuteSequence>
      <Custom Action="InstallFoo" After="InstallFiles" Condition="NOT Installed"/>
    </InstallExecuteSequence>
  </Package>
</Wix>
"#;
        let (_dir, rows, warnings) = index(&[("Package.wxs", source)]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            line(&rows, "LaunchCondition", "VersionNT >= 600"),
            Some((4, 5))
        );
        assert_eq!(line(&rows, "CustomAction", "InstallFoo"), Some((5, 5)));
        assert_eq!(
            line(&rows, "CustomAction", "CloseFoo"),
            None,
            "extension element"
        );
        assert_eq!(line(&rows, "CustomAction", "SetFooData"), Some((7, 5)));
        assert_eq!(line(&rows, "InstallUISequence", "SetFooData"), Some((7, 5)));
        assert_eq!(line(&rows, "InstallExecuteSequence", "SetFooData"), None);
        assert_eq!(
            line(&rows, "InstallExecuteSequence", "InstallFoo"),
            Some((9, 7))
        );
    }

    #[test]
    fn includes_are_read_in_the_context_of_the_includer() {
        let product = r#"<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*">
    <?include parts/actions.wxi?>
    <InstallExecuteSequence>
      <?include Parts\Schedule.WXI?>
    </InstallExecuteSequence>
    <?include $(var.Generated)?>
    <?include missing.wxi?>
  </Product>
</Wix>"#;
        let actions = "<Include>\n  <CustomAction Id=\"InstallFoo\" BinaryKey=\"B\" DllEntry=\"E\"/>\n</Include>";
        let schedule = "<?xml version=\"1.0\"?>\n<Include xmlns=\"http://schemas.microsoft.com/wix/2006/wi\">\n\n  <Custom Action=\"InstallFoo\" After=\"InstallFiles\"/>\n</Include>";
        let (dir, rows, warnings) = index(&[
            ("Product.wxs", product),
            ("parts/actions.wxi", actions),
            ("parts/schedule.wxi", schedule),
        ]);
        let found = rows.get("CustomAction", "InstallFoo").unwrap();
        assert_eq!(found.path, dir.path().join("parts/actions.wxi"));
        assert_eq!((found.line, found.column), (2, Some(3)));
        // Named as on Windows: a backslash and another case.
        let scheduled = rows.get("InstallExecuteSequence", "InstallFoo").unwrap();
        assert_eq!(
            scheduled.path.canonicalize().unwrap(),
            dir.path()
                .join("parts/schedule.wxi")
                .canonicalize()
                .unwrap()
        );
        assert_eq!(scheduled.line, 4);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("Product.wxs: included file")
                && warnings[0].contains("missing.wxi not found"),
            "{warnings:?}"
        );
    }

    #[test]
    fn an_include_cycle_and_bad_files_are_warnings() {
        let (_dir, _, warnings) = index(&[
            ("a.wxs", "<Wix><?include b.wxi?></Wix>"),
            ("b.wxi", "<Include><?include a.wxs?></Include>"),
        ]);
        assert!(warnings.is_empty(), "a file is read once: {warnings:?}");

        let (_dir, rows, warnings) = index(&[("bad.wxs", "<Wix><CustomAction Id=\"A\"></Wix>")]);
        assert_eq!(rows.len(), 0);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("bad.wxs: not well-formed XML"),
            "{warnings:?}"
        );

        let (_dir, _, warnings) = index(&[("latin1.wxs", "<Wix Id=\"\u{e9}\"/>")]);
        assert!(warnings.is_empty(), "{warnings:?}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.wxs"), b"<Wix Id=\"\xe9\"/>").unwrap();
        let mut warnings = Vec::new();
        index_file(
            &dir.path().join("x.wxs"),
            &mut RowIndex::default(),
            &mut HashSet::new(),
            &mut |w| warnings.push(w),
        );
        assert!(
            warnings[0].ends_with("x.wxs: not valid UTF-8"),
            "{warnings:?}"
        );
    }

    #[test]
    fn utf16_sources_are_read() {
        let text = "<Wix>\r\n<CustomAction Id=\"A\"/></Wix>";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("u.wxs"), bytes).unwrap();
        let mut rows = RowIndex::default();
        index_file(
            &dir.path().join("u.wxs"),
            &mut rows,
            &mut HashSet::new(),
            &mut |w| panic!("{w}"),
        );
        assert_eq!(line(&rows, "CustomAction", "A"), Some((2, 1)));
    }
}
