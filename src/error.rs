//! The few errors that stop msica from doing its job on a file (exit code 2).

use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

/// A file that cannot be read as an installer database at all.
#[derive(Debug, Error, Diagnostic)]
pub enum LoadError {
    #[error("{}: cannot open: {source}", path.display())]
    #[diagnostic(code(msica::open))]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{}: not a Windows Installer database: {reason}", path.display())]
    #[diagnostic(
        code(msica::not_a_database),
        help("msica reads .msi, .msm, .msp, .mst and .cub files")
    )]
    NotADatabase { path: PathBuf, reason: String },

    #[error("{}: damaged Windows Installer database: {reason}", path.display())]
    #[diagnostic(
        code(msica::damaged),
        help("the file may be truncated or corrupted; rebuild or download it again")
    )]
    Damaged { path: PathBuf, reason: String },

    #[error(
        "{}: a transform holds changes to another database: its records for {table} cannot be shown: {reason}",
        path.display()
    )]
    #[diagnostic(
        code(msica::transform),
        help("apply the transform to its database and read the result: `msica table BASE.msi TABLE -t FILE.mst`")
    )]
    TransformTable {
        path: PathBuf,
        table: String,
        reason: String,
    },

    #[error("{}: not a transform", path.display())]
    #[diagnostic(
        code(msica::not_a_transform),
        help("`-t` takes a transform (.mst) or `:NAME` for one embedded in the package")
    )]
    NotATransform { path: PathBuf },

    #[error("{}: not a patch (.msp)", path.display())]
    #[diagnostic(
        code(msica::not_a_patch),
        help("`-p` takes a patch (.msp); a transform (.mst) goes with `-t`")
    )]
    NotAPatch { path: PathBuf },

    #[error("{}: no embedded transform `{name}`: {known}", path.display())]
    #[diagnostic(
        code(msica::no_such_transform),
        help("`msica info FILE` lists the embedded transforms")
    )]
    NoSuchTransform {
        path: PathBuf,
        name: String,
        known: String,
    },

    #[error("{}: table {table} not found", path.display())]
    #[diagnostic(
        code(msica::no_such_table),
        help("`msica tables FILE` lists the tables")
    )]
    NoSuchTable { path: PathBuf, table: String },
}

impl LoadError {
    pub fn path(&self) -> &std::path::Path {
        match self {
            Self::Open { path, .. }
            | Self::NotADatabase { path, .. }
            | Self::Damaged { path, .. }
            | Self::TransformTable { path, .. }
            | Self::NotATransform { path }
            | Self::NotAPatch { path }
            | Self::NoSuchTransform { path, .. }
            | Self::NoSuchTable { path, .. } => path,
        }
    }
}
