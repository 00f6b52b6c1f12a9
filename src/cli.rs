//! Command-line interface (clap derive).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Analyse and lint the custom actions of Windows Installer databases (.msi, .msm).
#[derive(Debug, Parser)]
// `--version` prints the commit too when built from a checkout (build.rs).
#[command(name = "msica", version = env!("MSICA_VERSION"), about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files; directories are searched recursively for .msi and .msm files.
    Lint(LintArgs),
    /// Every custom action with its Type decoded and every place it is scheduled or called from.
    Actions {
        #[command(flatten)]
        package: PackageArgs,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// A sequence table in run order, with the InstallInitialize..InstallFinalize script window marked.
    Sequence {
        #[command(flatten)]
        package: PackageArgs,
        /// The sequence table (default: InstallExecuteSequence, or its Module* form in a merge module).
        table: Option<String>,
        #[arg(long, value_enum, default_value_t = TableFormat::Human)]
        format: TableFormat,
    },
    /// The tables of a database with their row counts (of a transform: the changes per table).
    Tables {
        #[command(flatten)]
        package: PackageArgs,
        #[arg(long, value_enum, default_value_t = TableFormat::Human)]
        format: TableFormat,
    },
    /// Every row of one table (`--format idt` prints what `msiinfo export` prints); of a
    /// transform: its change records for the table.
    Table {
        #[command(flatten)]
        package: PackageArgs,
        name: String,
        #[arg(long, value_enum, default_value_t = TableFormat::Human)]
        format: TableFormat,
    },
    /// Which custom actions run in which scenario (install, install-silent, repair, modify,
    /// uninstall, upgrade, upgrade-removal, patch, patch-removal): yes, no, or maybe with
    /// the properties it depends on.
    Scenarios {
        #[command(flatten)]
        package: PackageArgs,
        /// One scenario: the actions that may run in it, in the order they run, and as whom.
        #[arg(long, value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(crate::analysis::scenarios::SCENARIO_NAMES))]
        scenario: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Summary information and package facts (of a transform: what it applies to).
    Info {
        #[command(flatten)]
        package: PackageArgs,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Explain a custom action Type (`3073`, `0xC01`) bit by bit, or a rule (`MCA101`, `deferred-outside-script`).
    Explain {
        what: String,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// The rule catalogue.
    Rules {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Browse a package interactively, like Orca: tables, custom actions, sequences, findings.
    Browse(BrowseArgs),
    /// What changed between two packages (or what transforms change in one): custom actions
    /// first, then findings introduced and resolved, then every table by primary key.
    Diff(DiffArgs),
    /// Parse an MSI condition and show how Windows Installer reads it.
    Condition {
        expression: String,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print a shell completion script (for example `msica completions bash > /etc/bash_completion.d/msica`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page in roff (`msica man | man -l -`); with a command, that command's page.
    Man { command: Option<String> },
}

/// A package to read, and the transforms and patches to apply to it.
#[derive(Debug, Clone, clap::Args)]
pub struct PackageArgs {
    /// The package (.msi, .msm, .cub), or a transform (.mst) or patch (.msp) to show on its own.
    pub file: PathBuf,
    /// Apply a transform first: a .mst file, or `:NAME` for one embedded in the package.
    /// Repeatable; applied in the order given, as msiexec applies TRANSFORMS. With a patch
    /// as FILE, `-t :NAME` shows that transform of the patch (`msica info` lists them).
    #[arg(short = 't', long = "transform", value_name = "MST")]
    pub transforms: Vec<String>,
    /// Apply a patch (.msp) after the transforms: the first of its transform pairs that
    /// validates against the package as it is then. Repeatable; applied in the order given.
    #[arg(short = 'p', long = "patch", value_name = "MSP")]
    pub patches: Vec<PathBuf>,
}

impl PackageArgs {
    pub fn input(&self) -> crate::model::load::Input {
        crate::model::load::Input {
            path: self.file.clone(),
            transforms: transform_specs(&self.transforms),
            patches: self.patches.clone(),
        }
    }
}

/// `-t` arguments as transforms to apply.
pub fn transform_specs(args: &[String]) -> Vec<crate::model::load::TransformSpec> {
    args.iter()
        .map(|a| crate::model::load::TransformSpec::parse(a))
        .collect()
}

#[derive(Debug, Clone, clap::Args)]
pub struct BrowseArgs {
    #[command(flatten)]
    pub package: PackageArgs,
    /// The view to open.
    #[arg(long, value_enum)]
    pub view: Option<BrowseView>,
    /// The table to open (in the sequence view: the sequence table).
    #[arg(long, value_name = "NAME")]
    pub table: Option<String>,
}

/// `msica diff OLD NEW`, or `msica diff BASE -t MST`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  msica diff app-1.0.msi app-1.1.msi               what changed between two builds
  msica diff app.msi -t site.mst                   what the transform changes
  msica diff app.msi -p fix.msp                    what the patch changes
  msica diff old.msi new.msi --fail-on warning     exit 1 if NEW introduces warnings or errors")]
pub struct DiffArgs {
    /// The old package (with `-t` or `-p` and no NEW: the package they apply to).
    pub old: PathBuf,
    /// The new package. Without it, NEW is OLD with the `-t` transforms and `-p` patches applied.
    #[arg(required_unless_present_any = ["transforms", "patches"])]
    pub new: Option<PathBuf>,
    /// Apply a transform to the new side: a .mst file, or `:NAME` for one embedded in the
    /// package. Repeatable; applied in the order given, as msiexec applies TRANSFORMS.
    #[arg(short = 't', long = "transform", value_name = "MST")]
    pub transforms: Vec<String>,
    /// Apply a transform to the old side first (repeatable, in order).
    #[arg(long = "old-transform", value_name = "MST")]
    pub old_transforms: Vec<String>,
    /// Apply a patch (.msp) to the new side, after its transforms. Repeatable; applied in
    /// the order given.
    #[arg(short = 'p', long = "patch", value_name = "MSP")]
    pub patches: Vec<PathBuf>,
    /// Apply a patch to the old side (repeatable, in order).
    #[arg(long = "old-patch", value_name = "MSP")]
    pub old_patches: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Exit 1 when the new side introduces findings at or above this level.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailLevel>,
    /// Read this configuration file (its rule levels and ignores apply to both sides)
    /// instead of the `msica.toml` found by walking up from the working directory.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Read no configuration file.
    #[arg(long)]
    pub no_config: bool,
}

impl DiffArgs {
    /// The two sides to compare.
    pub fn inputs(&self) -> (crate::model::load::Input, crate::model::load::Input) {
        let old = crate::model::load::Input {
            path: self.old.clone(),
            transforms: transform_specs(&self.old_transforms),
            patches: self.old_patches.clone(),
        };
        let new = match &self.new {
            Some(path) => crate::model::load::Input {
                path: path.clone(),
                transforms: transform_specs(&self.transforms),
                patches: self.patches.clone(),
            },
            // BASE against BASE with the transforms: the old side's own
            // transforms come first.
            None => crate::model::load::Input {
                path: self.old.clone(),
                transforms: transform_specs(
                    &self
                        .old_transforms
                        .iter()
                        .chain(&self.transforms)
                        .cloned()
                        .collect::<Vec<_>>(),
                ),
                // Transforms come before patches, as msiexec applies them.
                patches: self
                    .old_patches
                    .iter()
                    .chain(&self.patches)
                    .cloned()
                    .collect(),
            },
        };
        (old, new)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
    /// Markdown, to paste into a release pull request or review.
    Markdown,
}

/// The finding level `--fail-on` gates on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailLevel {
    Error,
    Warning,
    Info,
}

impl FailLevel {
    pub fn severity(self) -> crate::finding::Severity {
        match self {
            Self::Error => crate::finding::Severity::Error,
            Self::Warning => crate::finding::Severity::Warning,
            Self::Info => crate::finding::Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BrowseView {
    Tables,
    Actions,
    Sequence,
    Findings,
    Scenarios,
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Files or directories to lint.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Apply a transform to every package before linting it: a .mst file, or `:NAME` for
    /// one embedded in the package. Repeatable; applied in order, as msiexec does.
    #[arg(short = 't', long = "transform", value_name = "MST")]
    pub transforms: Vec<String>,
    /// Apply a patch (.msp) to every package after its transforms: the first of its
    /// transform pairs that validates. Repeatable; applied in order.
    #[arg(short = 'p', long = "patch", value_name = "MSP")]
    pub patches: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,
    /// Write the report in `--format` to this file; the terminal still gets the human report.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// WiX sources (.wxs, .wxi) under this directory: each finding points at the line that
    /// authored its row. Repeatable; replaces `source` of msica.toml.
    #[arg(long, value_name = "DIR")]
    pub source: Vec<PathBuf>,
    /// Treat a rule (code or name) as an error; `--deny warnings` makes every warning fail.
    #[arg(long, value_name = "RULE")]
    pub deny: Vec<String>,
    /// Report a rule (code or name) as a warning.
    #[arg(long, value_name = "RULE")]
    pub warn: Vec<String>,
    /// Do not report a rule (code or name).
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<String>,
    /// Read this configuration file instead of the `msica.toml` found by walking up
    /// from the working directory.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Read no configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// Follow symbolic links while searching directories (loops are detected).
    #[arg(short = 'L', long)]
    pub follow_links: bool,
    /// Hide the findings recorded in this baseline file and report only new ones.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (and hide them in this run).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Human,
    Json,
    Tsv,
    Idt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
    /// GitLab Code Quality report (`artifacts: reports: codequality:`).
    Gitlab,
}
