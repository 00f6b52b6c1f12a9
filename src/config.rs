//! `msica.toml`: per-rule severity and targeted ignores.
//!
//! ```toml
//! source = ["installer"]                # WiX sources, relative to this file (before any table)
//!
//! [rules]
//! deferred-outside-script = "warning"   # code or name; allow | info | warning | error
//! MCA110 = "allow"
//!
//! [[ignore]]
//! rule = "MCA104"                       # code or name
//! action = "InstallFoo"                 # the action (or row key) the finding names
//! package = "Foo Product"               # optional: ProductName, ProductCode, UpgradeCode or file name
//! table = "CustomAction"                # optional: the table the finding points at
//! reason = "FooCA rolls itself back"    # required
//!
//! [[transforms]]
//! package = "dist/app.msi"              # a path (relative to this file) or a file name
//! apply = ["site.mst", ":1033"]         # in order; `:NAME` is embedded in the package
//!
//! [[patches]]
//! package = "dist/app.msi"              # as for transforms
//! apply = ["fix1.msp", "fix2.msp"]      # in order, after the transforms
//! ```
//!
//! The file is found by walking up from the working directory, or named with
//! `--config`. Every problem in it (an unknown key, rule or level, a missing
//! `reason`) is an error that points at the line. An ignore that matches no
//! finding is reported as `MCA001 unused-ignore`.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use miette::{LabeledSpan, MietteDiagnostic, NamedSource, Report};
use serde::Deserialize;
use toml::Spanned;

use crate::engine::PackageFacts;
use crate::finding::{Finding, Severity};
use crate::paths::portable_path;
use crate::rules::find_rule;

/// The name of the configuration file.
pub const FILE_NAME: &str = "msica.toml";

/// A loaded configuration file.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    /// The file's text, for diagnostics that point into it.
    pub source: String,
    /// Severity per rule code, in file order; `None` turns the rule off.
    pub rules: Vec<(&'static str, Option<Severity>)>,
    pub ignores: Vec<Ignore>,
    /// WiX source directories (`source = [...]`), relative to the file's folder.
    pub sources: Vec<PathBuf>,
    /// Transforms to apply to packages before linting them.
    pub transforms: Vec<TransformSet>,
    /// Patches to apply to packages after their transforms (`apply` holds
    /// their paths, resolved against the file's directory).
    pub patches: Vec<TransformSet>,
}

/// One `[[transforms]]` or `[[patches]]` entry: what msiexec would apply to a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransformSet {
    /// The package: a path (resolved against the file's directory) or a file name.
    pub package: String,
    /// The transforms, in order: paths resolved against the file's
    /// directory, or `:NAME` for an embedded one.
    pub apply: Vec<String>,
}

/// One `[[ignore]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignore {
    /// The rule's code.
    pub code: &'static str,
    pub action: String,
    pub package: Option<String>,
    pub table: Option<String>,
    pub reason: String,
    /// Byte range of the entry in the file.
    pub span: Range<usize>,
    /// 1-based line of the entry.
    pub line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<RawIgnore>>,
    #[serde(default)]
    source: Vec<String>,
    #[serde(default)]
    transforms: Vec<RawTransforms>,
    #[serde(default)]
    patches: Vec<RawTransforms>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTransforms {
    package: Spanned<String>,
    apply: Spanned<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    rule: Spanned<String>,
    action: Spanned<String>,
    package: Option<Spanned<String>>,
    table: Option<Spanned<String>>,
    reason: Spanned<String>,
}

/// Parses a severity as written in the file or on the command line.
pub fn parse_level(text: &str) -> Option<Option<Severity>> {
    match text {
        "allow" => Some(None),
        "info" => Some(Some(Severity::Info)),
        "warning" => Some(Some(Severity::Warning)),
        "error" => Some(Some(Severity::Error)),
        _ => None,
    }
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

/// The first line of `span`, without trailing blanks: `[[ignore]]` tables
/// span to the next header, and one line is enough to point at.
fn first_line(source: &str, span: Range<usize>) -> Range<usize> {
    let start = span.start.min(source.len());
    let end = span.end.min(source.len());
    let text = &source[start..end];
    let len = text.find('\n').unwrap_or(text.len());
    let len = text[..len].trim_end().len().max(1);
    start..(start + len).min(source.len().max(start + 1))
}

/// An error in a configuration file, pointing at `span`.
fn config_error(
    path: &Path,
    source: &str,
    span: Option<Range<usize>>,
    message: &str,
    label: &str,
    help: &str,
) -> Report {
    let mut diag =
        MietteDiagnostic::new(format!("{}: {message}", path.display())).with_code("msica::config");
    if !help.is_empty() {
        diag = diag.with_help(help.to_owned());
    }
    if let Some(span) = span {
        let end = span
            .end
            .max(span.start + 1)
            .min(source.len().max(span.start));
        diag = diag.with_label(LabeledSpan::at(
            span.start..end.max(span.start),
            label.to_owned(),
        ));
    }
    Report::new(diag).with_source_code(NamedSource::new(
        path.display().to_string(),
        source.to_owned(),
    ))
}

const LEVELS_HELP: &str = "a level is one of \"allow\", \"info\", \"warning\", \"error\"";
const RULES_HELP: &str = "`msica rules` lists every rule code and name";

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Self, Report> {
        let source = std::fs::read_to_string(path).map_err(|e| {
            Report::new(
                MietteDiagnostic::new(format!(
                    "{}: cannot read the configuration file: {e}",
                    path.display()
                ))
                .with_code("msica::config"),
            )
        })?;
        Self::parse(path, &source)
    }

    /// Checks a configuration file's text.
    pub fn parse(path: &Path, source: &str) -> Result<Self, Report> {
        let raw: RawConfig = toml::from_str(source).map_err(|e| {
            let message = e.message().trim().to_owned();
            let help = if message.contains("unknown field") {
                "the file has the key source and the tables [rules], [[ignore]], [[transforms]] and [[patches]]; an ignore has the keys rule, action, package, table and reason; a transforms or patches entry has package and apply"
            } else {
                ""
            };
            config_error(path, source, e.span(), &message, "here", help)
        })?;
        let err = |span: Range<usize>, message: &str, label: &str, help: &str| {
            config_error(path, source, Some(span), message, label, help)
        };
        // The map is sorted by name; keep the order of the file.
        let mut entries: Vec<_> = raw.rules.iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        let mut rules = Vec::new();
        for (key, value) in entries {
            let rule = find_rule(key.get_ref()).ok_or_else(|| {
                err(
                    key.span(),
                    &format!("unknown rule `{}`", key.get_ref()),
                    "unknown rule",
                    RULES_HELP,
                )
            })?;
            let level = parse_level(value.get_ref()).ok_or_else(|| {
                err(
                    value.span(),
                    &format!("`{}` is not a level", value.get_ref()),
                    "not a level",
                    LEVELS_HELP,
                )
            })?;
            rules.push((rule.meta().code, level));
        }

        let mut ignores = Vec::new();
        for entry in &raw.ignore {
            let span = entry.span();
            let e = entry.get_ref();
            let rule = find_rule(e.rule.get_ref()).ok_or_else(|| {
                err(
                    e.rule.span(),
                    &format!("unknown rule `{}`", e.rule.get_ref()),
                    "unknown rule",
                    RULES_HELP,
                )
            })?;
            for (value, what) in [(&e.action, "action"), (&e.reason, "reason")] {
                if value.get_ref().trim().is_empty() {
                    return Err(err(
                        value.span(),
                        &format!("the {what} of an ignore is empty"),
                        "empty",
                        "an ignore names the action it applies to and says why the finding is accepted",
                    ));
                }
            }
            for value in [&e.package, &e.table].into_iter().flatten() {
                if value.get_ref().trim().is_empty() {
                    return Err(err(
                        value.span(),
                        "an empty value matches nothing",
                        "empty",
                        "remove the key to match any",
                    ));
                }
            }
            ignores.push(Ignore {
                code: rule.meta().code,
                action: e.action.get_ref().clone(),
                package: e.package.as_ref().map(|p| p.get_ref().clone()),
                table: e.table.as_ref().map(|t| t.get_ref().clone()),
                reason: e.reason.get_ref().clone(),
                line: line_of(source, span.start),
                span: first_line(source, span),
            });
        }
        let base = path.parent().unwrap_or(Path::new(""));
        let sets = |entries: Vec<RawTransforms>, what: &str, example: &str| {
            entries
                .into_iter()
                .map(|entry| {
                    if entry.package.get_ref().trim().is_empty() || entry.apply.get_ref().is_empty()
                    {
                        let span = if entry.apply.get_ref().is_empty() {
                            entry.apply.span()
                        } else {
                            entry.package.span()
                        };
                        return Err(err(
                            span,
                            &format!("a {what}s entry needs a package and at least one {what}"),
                            "empty",
                            &format!("package = \"dist/app.msi\", apply = [\"{example}\"]"),
                        ));
                    }
                    Ok(TransformSet {
                        package: entry.package.into_inner(),
                        apply: entry
                            .apply
                            .into_inner()
                            .into_iter()
                            .map(|t| {
                                if t.starts_with(':') {
                                    t
                                } else {
                                    base.join(portable_path(&t)).display().to_string()
                                }
                            })
                            .collect(),
                    })
                })
                .collect::<Result<Vec<_>, Report>>()
        };
        let transforms = sets(raw.transforms, "transform", "site.mst")?;
        let patches = sets(raw.patches, "patch", "fix.msp")?;
        Ok(Self {
            path: path.to_owned(),
            source: source.to_owned(),
            rules,
            ignores,
            sources: raw
                .source
                .iter()
                .map(|dir| base.join(portable_path(dir)))
                .collect(),
            transforms,
            patches,
        })
    }

    /// The transforms the file names for the package at `path`: entries
    /// whose package is that path (relative to the file) or its file name
    /// (without regard to case, as on Windows).
    pub fn transforms_for(&self, path: &Path) -> Vec<String> {
        self.applied_to(&self.transforms, path)
    }

    /// The patches the file names for the package at `path`, in order.
    pub fn patches_for(&self, path: &Path) -> Vec<PathBuf> {
        self.applied_to(&self.patches, path)
            .into_iter()
            .map(PathBuf::from)
            .collect()
    }

    fn applied_to(&self, sets: &[TransformSet], path: &Path) -> Vec<String> {
        let base = self.path.parent().unwrap_or(Path::new(""));
        let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => a == b,
        };
        sets.iter()
            .filter(|t| {
                let named = portable_path(&t.package);
                same(&base.join(&named), path)
                    || (named.components().count() == 1
                        && path.file_name().is_some_and(|name| {
                            name.to_string_lossy()
                                .eq_ignore_ascii_case(&named.to_string_lossy())
                        }))
            })
            .flat_map(|t| t.apply.iter().cloned())
            .collect()
    }

    /// Sets the levels of the `[rules]` table (command-line flags come after).
    pub fn apply_levels(&self, levels: &mut crate::engine::Levels) {
        for (code, level) in &self.rules {
            levels
                .set(code, *level)
                .expect("codes were checked when the file was read");
        }
    }

    /// `msica.toml` in `dir` or the nearest directory above it.
    pub fn discover(dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }
}

/// Whether `pattern` names the package: its ProductName, ProductCode or
/// UpgradeCode, or the file name (all without regard to case).
pub fn package_matches(pattern: &str, pkg: Option<&PackageFacts>, path: &Path) -> bool {
    let pattern = pattern.trim();
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let guid = |s: &str| {
        s.trim_matches(|c| c == '{' || c == '}')
            .to_ascii_lowercase()
    };
    if file_name.is_some_and(|n| n.eq_ignore_ascii_case(pattern)) {
        return true;
    }
    let Some(pkg) = pkg else { return false };
    if pkg
        .product_name
        .as_deref()
        .is_some_and(|n| n.trim().eq_ignore_ascii_case(pattern))
    {
        return true;
    }
    [&pkg.product_code, &pkg.upgrade_code]
        .iter()
        .any(|c| c.as_deref().is_some_and(|c| guid(c) == guid(pattern)))
}

impl Ignore {
    /// Whether this ignore applies to a package at all.
    pub fn applies_to(&self, pkg: Option<&PackageFacts>, path: &Path) -> bool {
        self.package
            .as_deref()
            .is_none_or(|p| package_matches(p, pkg, path))
    }

    /// Whether this ignore hides `finding` (of a package it applies to).
    pub fn matches(&self, finding: &Finding) -> bool {
        let action = finding.action.as_deref().unwrap_or(&finding.location.key);
        finding.code == self.code
            && action == self.action
            && self
                .table
                .as_deref()
                .is_none_or(|t| t.eq_ignore_ascii_case(&finding.location.table))
    }

    /// A short description for messages: `MCA104 for action InstallFoo in package X`.
    pub fn describe(&self) -> String {
        let mut text = format!("the ignore of {} for `{}`", self.code, self.action);
        if let Some(table) = &self.table {
            text += &format!(" in table {table}");
        }
        if let Some(package) = &self.package {
            text += &format!(" in package `{package}`");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(Path::new("msica.toml"), text).map_err(|r| {
            let mut out = String::new();
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(100)
                .render_report(&mut out, r.as_ref())
                .unwrap();
            out
        })
    }

    #[test]
    fn reads_levels_by_code_or_name_and_ignores() {
        let c = parse(
            "[rules]\ndeferred-outside-script = \"warning\"\nMCA104 = \"allow\"\n\n[[ignore]]\nrule = \"missing-rollback\"\naction = \"Foo\"\nreason = \"rolls back itself\"\n\n[[ignore]]\nrule = \"MCA101\"\naction = \"Bar\"\npackage = \"Product\"\ntable = \"InstallExecuteSequence\"\nreason = \"known\"\n",
        )
        .unwrap();
        assert_eq!(
            c.rules,
            vec![("MCA101", Some(Severity::Warning)), ("MCA104", None)]
        );
        assert_eq!(c.ignores.len(), 2);
        assert_eq!(c.ignores[0].code, "MCA104");
        assert_eq!(c.ignores[0].line, 5);
        assert_eq!(c.ignores[1].line, 10);
        assert_eq!(c.ignores[1].package.as_deref(), Some("Product"));
    }

    #[test]
    fn an_unknown_rule_points_at_its_line() {
        let e = parse("[rules]\nMCA101 = \"error\"\nno-such-rule = \"warning\"\n").unwrap_err();
        assert!(e.contains("unknown rule `no-such-rule`"), "{e}");
        assert!(e.contains("msica.toml:3:1"), "{e}");
    }

    #[test]
    fn a_bad_level_points_at_the_value() {
        let e = parse("[rules]\nMCA101 = \"fatal\"\n").unwrap_err();
        assert!(e.contains("`fatal` is not a level"), "{e}");
        assert!(e.contains("msica.toml:2:10"), "{e}");
    }

    #[test]
    fn unknown_keys_and_missing_reasons_are_errors() {
        let e = parse("[rule]\nMCA101 = \"error\"\n").unwrap_err();
        assert!(e.contains("unknown field `rule`"), "{e}");
        let e =
            parse("[[ignore]]\nrule = \"MCA101\"\naction = \"A\"\nreson = \"typo\"\n").unwrap_err();
        assert!(e.contains("unknown field `reson`"), "{e}");
        assert!(e.contains("msica.toml:4:1"), "{e}");
        let e = parse("[[ignore]]\nrule = \"MCA101\"\naction = \"A\"\n").unwrap_err();
        assert!(e.contains("missing field `reason`"), "{e}");
        let e =
            parse("[[ignore]]\nrule = \"MCA101\"\naction = \"A\"\nreason = \" \"\n").unwrap_err();
        assert!(e.contains("the reason of an ignore is empty"), "{e}");
        let e =
            parse("[[ignore]]\nrule = \"MCA999\"\naction = \"A\"\nreason = \"r\"\n").unwrap_err();
        assert!(
            e.contains("unknown rule `MCA999`") && e.contains("msica.toml:2:8"),
            "{e}"
        );
        let e = parse("[rules\n").unwrap_err();
        assert!(e.contains("msica.toml:1"), "{e}");
    }

    #[test]
    fn source_directories_are_relative_to_the_file() {
        let c = Config::parse(
            Path::new("repo/msica.toml"),
            "source = [\"installer\", \"../shared/wix\"]\n[rules]\nMCA110 = \"allow\"\n",
        )
        .unwrap();
        assert_eq!(
            c.sources,
            [
                PathBuf::from("repo/installer"),
                PathBuf::from("repo/../shared/wix")
            ]
        );
        let e = parse("source = \"installer\"\n").unwrap_err();
        assert!(e.contains("msica.toml:1:10"), "{e}");
    }

    #[test]
    fn paths_written_on_windows_name_the_same_files_everywhere() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("dist")).unwrap();
        std::fs::write(dir.path().join("dist/App.msi"), "").unwrap();
        let c = Config::parse(
            &dir.path().join("msica.toml"),
            concat!(
                "source = ['installer\\wix']\n",
                "[[transforms]]\npackage = 'dist\\App.msi'\napply = ['mst\\site.mst']\n",
                "[[transforms]]\npackage = 'APP.MSI'\napply = [':1033']\n",
            ),
        )
        .unwrap();
        assert_eq!(c.sources, [dir.path().join("installer").join("wix")]);
        let site = dir.path().join("mst").join("site.mst");
        assert_eq!(
            c.transforms_for(&dir.path().join("dist").join("App.msi")),
            [site.display().to_string(), ":1033".to_owned()],
            "by path, and by file name without regard to case"
        );
    }

    #[test]
    fn discovery_walks_up() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        assert_eq!(
            Config::discover(&nested).filter(|p| p.starts_with(dir.path())),
            None
        );
        std::fs::write(dir.path().join("a/msica.toml"), "").unwrap();
        assert_eq!(
            Config::discover(&nested),
            Some(dir.path().join("a/msica.toml"))
        );
    }
}
