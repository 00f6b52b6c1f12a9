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
        "{}: a transform holds changes to another database, not rows: table {table} cannot be shown",
        path.display()
    )]
    #[diagnostic(
        code(msica::transform),
        help("apply the transform to its database (for example with msitran) and read the result")
    )]
    TransformTable { path: PathBuf, table: String },

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
            | Self::NoSuchTable { path, .. } => path,
        }
    }
}
