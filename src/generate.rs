//! Shell completions and manual pages, generated from the clap definitions
//! in [`crate::cli`] so that they never disagree with the parser.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> String {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "msica", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

/// The roff manual page of msica (`msica.1`), or of one of its commands
/// (`msica-lint.1`); `None` for a command that does not exist.
pub fn man_page(command: Option<&str>) -> Option<String> {
    let mut cli = Cli::command();
    // Building gives each command its display name (`msica-lint`), the
    // page's title, and the version.
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => cli
            .find_subcommand(name)?
            .clone()
            .version(env!("CARGO_PKG_VERSION")),
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut roff)
        .expect("writing to memory does not fail");
    Some(String::from_utf8_lossy(&roff).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Parser, ValueEnum};

    #[test]
    fn every_shell_gets_a_script_that_knows_the_commands_and_flags() {
        for shell in Shell::value_variants() {
            let script = completions(*shell);
            for word in ["msica", "lint", "completions", "output-file", "source"] {
                assert!(script.contains(word), "{shell}: no `{word}` in\n{script}");
            }
        }
        // The bash script at least parses, where bash is installed.
        let bash = completions(Shell::Bash);
        if let Ok(mut child) = std::process::Command::new("bash")
            .arg("-n")
            .stdin(std::process::Stdio::piped())
            .spawn()
        {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(bash.as_bytes())
                .unwrap();
            assert!(
                child.wait().unwrap().success(),
                "bash -n rejects the script"
            );
        }
    }

    #[test]
    fn man_pages_for_msica_and_each_command() {
        let page = man_page(None).unwrap();
        assert!(page.contains(".TH msica 1"), "{page}");
        for command in Cli::command().get_subcommands() {
            let name = command.get_name();
            assert!(page.contains(&format!("msica\\-{name}(1)")), "{name}");
            let sub = man_page(Some(name)).unwrap();
            let version = env!("CARGO_PKG_VERSION");
            assert!(
                sub.contains(&format!(".TH msica-{name} 1")) && sub.contains(version),
                "{sub}"
            );
        }
        let lint = man_page(Some("lint")).unwrap();
        assert!(
            lint.contains("\\-\\-output\\-file") && lint.contains("\\-\\-source"),
            "{lint}"
        );
        assert_eq!(man_page(Some("no-such-command")), None);
    }

    #[test]
    fn the_commands_print_and_an_unknown_page_is_an_error() {
        let run = |args: &[&str]| {
            let cli = Cli::try_parse_from(args).unwrap();
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let status = crate::run_with(cli, crate::render::Style::plain(), &mut out, &mut err);
            (
                status,
                String::from_utf8(out).unwrap(),
                String::from_utf8(err).unwrap(),
            )
        };
        let (status, out, _) = run(&["msica", "completions", "fish"]);
        assert_eq!(status, crate::ExitStatus::Success);
        assert_eq!(out, completions(Shell::Fish));
        let (status, out, _) = run(&["msica", "man"]);
        assert_eq!(status, crate::ExitStatus::Success);
        assert!(out.starts_with(".ie"), "{out}");
        let (status, out, err) = run(&["msica", "man", "lnt"]);
        assert_eq!(status, crate::ExitStatus::Error);
        assert!(out.is_empty());
        assert_eq!(err, "error: msica has no command `lnt`\n");
    }
}
