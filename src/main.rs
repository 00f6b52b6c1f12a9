use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = msica::cli::Cli::parse();
    ExitCode::from(msica::run(cli) as u8)
}
