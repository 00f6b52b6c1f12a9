//! File paths as reports and configuration files write them, for Windows
//! paths as well as Unix ones.
//!
//! Reports name files with forward slashes, relative to the working
//! directory when the file lies under it (SARIF, GitHub annotations, GitLab
//! code quality), and absolute files as `file://` URIs in SARIF:
//! `C:\build\dist\app.msi` is `file:///C:/build/dist/app.msi`, the UNC path
//! `\\server\share\app.msi` is `file://server/share/app.msi`, and the
//! `\\?\C:\...` form that `canonicalize` returns on Windows is read as the
//! drive path it names. Windows compares drive letters, share names and file
//! names without regard to case, so `c:\Build` is under `C:\build`.
//!
//! The functions work on text with an explicit [`Style`], so that the tests
//! check Windows paths on every platform; the callers pass
//! [`Style::NATIVE`]. Paths in `msica.toml` are shared between Windows
//! developers and Linux runners: [`portable_path`] reads `\` as a separator
//! everywhere.

use std::path::{Path, PathBuf};

/// Which platform's rules a path follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `/` separates; names are compared exactly.
    Unix,
    /// `\` and `/` separate; drive letters, UNC shares and `\\?\`
    /// prefixes; names are compared without regard to case.
    Windows,
}

impl Style {
    /// The style of the platform msica runs on.
    pub const NATIVE: Style = if cfg!(windows) {
        Style::Windows
    } else {
        Style::Unix
    };

    fn is_separator(self, c: char) -> bool {
        c == '/' || (self == Style::Windows && c == '\\')
    }

    fn same_name(self, a: &str, b: &str) -> bool {
        match self {
            Style::Unix => a == b,
            Style::Windows => a == b || a.to_lowercase() == b.to_lowercase(),
        }
    }
}

/// Where a path starts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Root<'a> {
    /// A relative path (Windows: also `C:name`, relative to the drive's
    /// current directory, kept as written).
    None,
    /// `/` (Windows: the root of the current drive).
    Slash,
    /// `C:\`.
    Drive(char),
    /// `\\server\share\`.
    Unc { server: &'a str, share: &'a str },
}

/// A path split into its root and its names.
#[derive(Debug)]
struct Parsed<'a> {
    root: Root<'a>,
    names: Vec<&'a str>,
}

fn parse(text: &str, style: Style) -> Parsed<'_> {
    let mut rest = text;
    let mut root = Root::None;
    if style == Style::Windows {
        // `\\?\C:\...` and `\\?\UNC\server\share\...` (verbatim paths), and
        // the device form `\\.\C:\...`, name what the plain forms name.
        for prefix in [r"\\?\", r"\\.\", "//?/", "//./"] {
            if let Some(after) = rest.strip_prefix(prefix) {
                let unc = after.get(..4).filter(|p| p.eq_ignore_ascii_case(r"UNC\"));
                if let Some(share) = unc.and_then(|_| parse_unc(&after[4..])) {
                    return share;
                }
                rest = after;
                break;
            }
        }
        let bytes = rest.as_bytes();
        let sep = |i: usize| bytes.get(i).is_some_and(|b| *b == b'\\' || *b == b'/');
        if let Some(share) = (sep(0) && sep(1)).then(|| parse_unc(&rest[2..])).flatten() {
            return share;
        }
        if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && sep(2) {
            root = Root::Drive(bytes[0].to_ascii_uppercase() as char);
            rest = &rest[2..];
        }
    }
    if root == Root::None && rest.starts_with(|c| style.is_separator(c)) {
        root = Root::Slash;
    }
    Parsed {
        root,
        names: rest
            .split(|c| style.is_separator(c))
            .filter(|n| !n.is_empty() && *n != ".")
            .collect(),
    }
}

/// `server\share\names` after the leading `\\` of a UNC path.
fn parse_unc(text: &str) -> Option<Parsed<'_>> {
    let mut parts = text
        .split(['\\', '/'])
        .filter(|p| !p.is_empty() && *p != ".");
    let (server, share) = (parts.next()?, parts.next()?);
    Some(Parsed {
        root: Root::Unc { server, share },
        names: parts.collect(),
    })
}

impl Parsed<'_> {
    fn is_absolute(&self) -> bool {
        self.root != Root::None
    }

    /// The path with forward slashes: `C:/a/b`, `//server/share/a`, `/a`, `a/b`.
    fn slashes(&self) -> String {
        let mut out = match &self.root {
            Root::None => String::new(),
            Root::Slash => "/".to_owned(),
            Root::Drive(letter) => format!("{letter}:/"),
            Root::Unc { server, share } => format!("//{server}/{share}/"),
        };
        out.push_str(&self.names.join("/"));
        out
    }

    /// The `file://` URI of an absolute path, or the URI reference of a
    /// relative one, percent-encoded.
    fn uri(&self) -> String {
        let mut out = match &self.root {
            Root::None => String::new(),
            Root::Slash => "file:///".to_owned(),
            Root::Drive(letter) => format!("file:///{letter}:/"),
            Root::Unc { server, share } => {
                format!("file://{}/{}/", encode(server), encode(share))
            }
        };
        let names: Vec<String> = self.names.iter().map(|n| encode(n)).collect();
        out.push_str(&names.join("/"));
        out
    }

    /// The names after `base` when this path lies under it (or is it).
    fn after(&self, base: &Parsed<'_>, style: Style) -> Option<Vec<&str>> {
        let same_root = match (&self.root, &base.root) {
            (Root::Drive(a), Root::Drive(b)) => a == b,
            (
                Root::Unc { server, share },
                Root::Unc {
                    server: base_server,
                    share: base_share,
                },
            ) => style.same_name(server, base_server) && style.same_name(share, base_share),
            (a, b) => a == b,
        };
        if !same_root || self.names.len() < base.names.len() {
            return None;
        }
        let under = self
            .names
            .iter()
            .zip(&base.names)
            .all(|(a, b)| style.same_name(a, b));
        under.then(|| self.names[base.names.len()..].to_vec())
    }
}

/// Percent-encodes one path name for a URI (RFC 3986 unreserved characters
/// stay as they are).
fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A file as a report names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// Forward slashes; relative to the base directory when `relative`.
    pub text: String,
    /// A relative URI reference when `relative`, else a `file://` URI.
    pub uri: String,
    /// Whether the file lies under the base directory (or the path was
    /// relative and no base was given).
    pub relative: bool,
}

/// `path` relative to `base` when it lies under it, else absolute (or as
/// written, when it is relative and there is no base). Both are taken as
/// they are: resolve `..` and links before (see [`Paths`](crate::report::Paths)).
pub fn locate(path: &str, base: Option<&str>, style: Style) -> Located {
    let parsed = parse(path, style);
    if let Some(base) = base.map(|b| parse(b, style)) {
        if let Some(names) = parsed.after(&base, style).filter(|n| !n.is_empty()) {
            let relative = Parsed {
                root: Root::None,
                names,
            };
            return Located {
                text: relative.slashes(),
                uri: relative.uri(),
                relative: true,
            };
        }
    }
    Located {
        text: parsed.slashes(),
        uri: parsed.uri(),
        relative: !parsed.is_absolute(),
    }
}

/// A directory's `file://` URI, ending in `/` (SARIF's `originalUriBaseIds`).
pub fn directory_uri(dir: &str, style: Style) -> String {
    let mut uri = parse(dir, style).uri();
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// `path` with forward slashes and without a `\\?\` prefix, otherwise as
/// written (`..` kept): how the JSON report names files on every platform.
pub fn forward_slashes(path: &str, style: Style) -> String {
    if style == Style::Unix {
        return path.to_owned();
    }
    let parsed = parse(path, style);
    let mut text = parsed.slashes();
    if parsed.root == Root::None && path.ends_with(['/', '\\']) {
        text.push('/');
    }
    text
}

/// A path written in `msica.toml`, or given to `--source` by a workflow
/// shared between platforms: `\` separates names on every platform, so that
/// `installer\wix` written on Windows names the same folder on a Linux
/// runner.
pub fn portable_path(text: &str) -> PathBuf {
    if Style::NATIVE == Style::Windows || !text.contains('\\') {
        return PathBuf::from(text);
    }
    let parsed = parse(text, Style::Windows);
    match parsed.root {
        // A Windows absolute path cannot name a file here; leave it as
        // written so that the error names it.
        Root::Drive(_) | Root::Unc { .. } => PathBuf::from(text),
        Root::Slash => std::iter::once("/").chain(parsed.names).collect(),
        Root::None => parsed.names.iter().collect(),
    }
}

/// The file or directory `name` (relative, with either separator) under
/// `dir`, matching each name without regard to case when no exact match
/// exists: sources authored on Windows (`<?include Parts\Actions.wxi ?>`
/// for `parts/actions.wxi`) still resolve on a case-sensitive file system.
/// A name that two entries match equally is not resolved.
pub fn resolve_relative(dir: &Path, name: &str) -> Option<PathBuf> {
    let exact = dir.join(name);
    if exact.exists() {
        return Some(exact);
    }
    let parsed = parse(name, Style::Windows);
    if parsed.is_absolute() {
        return None;
    }
    let mut at = dir.to_path_buf();
    for part in parsed.names {
        let direct = at.join(part);
        if part == ".." || direct.exists() {
            at = direct;
            continue;
        }
        let wanted = part.to_lowercase();
        let mut found = std::fs::read_dir(&at)
            .ok()?
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().to_lowercase() == wanted);
        let entry = found.next()?;
        if found.next().is_some() {
            return None;
        }
        at = entry.path();
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Style::{Unix, Windows};

    fn at(path: &str, base: &str, style: Style) -> (String, String, bool) {
        let l = locate(path, Some(base), style);
        (l.text, l.uri, l.relative)
    }

    #[test]
    fn windows_drive_paths_under_the_base_become_relative_with_forward_slashes() {
        assert_eq!(
            at(r"C:\build\dist\My App.msi", r"C:\build", Windows),
            ("dist/My App.msi".into(), "dist/My%20App.msi".into(), true)
        );
        // Another case, mixed separators, a trailing separator on the base.
        assert_eq!(
            at(r"c:/Build\dist\app.msi", r"C:\BUILD\", Windows).0,
            "dist/app.msi"
        );
    }

    #[test]
    fn windows_drive_paths_elsewhere_become_file_uris() {
        assert_eq!(
            at(r"D:\out\app.msi", r"C:\build", Windows),
            (
                "D:/out/app.msi".into(),
                "file:///D:/out/app.msi".into(),
                false
            )
        );
        // A sibling whose name starts like the base is not under it.
        assert_eq!(
            at(r"C:\build2\app.msi", r"C:\build", Windows).1,
            "file:///C:/build2/app.msi"
        );
        assert_eq!(
            locate(r"c:\a\(x64)\b.msi", None, Windows).uri,
            "file:///C:/a/%28x64%29/b.msi"
        );
    }

    #[test]
    fn unc_paths_name_their_server_in_the_uri() {
        assert_eq!(
            at(r"\\server\share\dist\app.msi", r"C:\build", Windows),
            (
                "//server/share/dist/app.msi".into(),
                "file://server/share/dist/app.msi".into(),
                false
            )
        );
        assert_eq!(
            at(r"\\server\share\dist\app.msi", r"\\SERVER\Share", Windows).0,
            "dist/app.msi"
        );
        assert!(
            !at(r"\\server\other\app.msi", r"\\server\share", Windows).2,
            "another share on the same server"
        );
    }

    #[test]
    fn verbatim_paths_are_the_paths_they_name() {
        assert_eq!(
            at(r"\\?\C:\build\dist\app.msi", r"\\?\C:\build", Windows).0,
            "dist/app.msi"
        );
        assert_eq!(
            at(r"\\?\C:\build\dist\app.msi", r"C:\build", Windows).0,
            "dist/app.msi"
        );
        assert_eq!(
            locate(r"\\?\UNC\server\share\app.msi", None, Windows).uri,
            "file://server/share/app.msi"
        );
        assert_eq!(
            at(
                r"\\?\UNC\server\share\a\app.msi",
                r"\\server\share",
                Windows
            )
            .0,
            "a/app.msi"
        );
        assert_eq!(directory_uri(r"\\?\C:\build", Windows), "file:///C:/build/");
        assert_eq!(directory_uri(r"C:\", Windows), "file:///C:/");
        assert_eq!(
            directory_uri(r"\\server\share", Windows),
            "file://server/share/"
        );
    }

    #[test]
    fn unix_paths_compare_exactly_and_keep_backslashes_as_names() {
        assert_eq!(
            at("/home/ci/dist/app.msi", "/home/ci", Unix),
            ("dist/app.msi".into(), "dist/app.msi".into(), true)
        );
        assert!(!at("/home/CI/dist/app.msi", "/home/ci", Unix).2);
        assert_eq!(
            locate(r"/tmp/a\b.msi", None, Unix).uri,
            "file:///tmp/a%5Cb.msi"
        );
        assert_eq!(directory_uri("/home/ci", Unix), "file:///home/ci/");
        assert_eq!(directory_uri("/", Unix), "file:///");
    }

    #[test]
    fn relative_paths_without_a_base_stay_relative() {
        let l = locate(r"dist\app.msi", None, Windows);
        assert_eq!((l.text.as_str(), l.relative), ("dist/app.msi", true));
        let l = locate("dist/app.msi", None, Unix);
        assert_eq!((l.text.as_str(), l.relative), ("dist/app.msi", true));
    }

    #[test]
    fn json_paths_use_forward_slashes_as_written() {
        assert_eq!(
            forward_slashes(r"..\dist\app.msi", Windows),
            "../dist/app.msi"
        );
        assert_eq!(
            forward_slashes(r"\\?\C:\build\app.msi", Windows),
            "C:/build/app.msi"
        );
        assert_eq!(
            forward_slashes(r"\\server\share\app.msi", Windows),
            "//server/share/app.msi"
        );
        assert_eq!(forward_slashes(r"a\b.msi", Unix), r"a\b.msi");
    }

    #[test]
    #[cfg(not(windows))]
    fn configuration_paths_read_backslashes_as_separators() {
        assert_eq!(
            portable_path(r"installer\wix"),
            Path::new("installer").join("wix")
        );
        assert_eq!(portable_path(r"..\shared\wix"), Path::new("../shared/wix"));
        assert_eq!(portable_path("installer/wix"), Path::new("installer/wix"));
        assert_eq!(portable_path(r"C:\wix"), Path::new(r"C:\wix"));
    }

    #[test]
    fn relative_names_resolve_with_either_separator_and_any_case() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("parts/sub")).unwrap();
        std::fs::write(dir.path().join("parts/sub/Actions.wxi"), "").unwrap();
        let want = Some(dir.path().join("parts/sub/Actions.wxi"));
        assert_eq!(resolve_relative(dir.path(), "parts/sub/Actions.wxi"), want);
        assert_eq!(
            resolve_relative(dir.path(), r"Parts\SUB\actions.WXI")
                .map(|p| p.canonicalize().unwrap()),
            want.map(|p| p.canonicalize().unwrap())
        );
        assert_eq!(resolve_relative(dir.path(), r"parts\missing.wxi"), None);
    }
}
