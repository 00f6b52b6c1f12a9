//! `msica browse` end to end: the real binary in a real terminal (tmux),
//! keys sent with `send-keys`, the screen read with `capture-pane`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of its own, killed when the test ends.
struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    /// `None` (after a loud message) when tmux is missing outside CI.
    fn new(name: &str) -> Option<Self> {
        let found = Command::new("tmux").arg("-V").output().is_ok();
        if !found {
            assert!(
                std::env::var_os("CI").is_none(),
                "tmux is missing; .ci/run installs it"
            );
            eprintln!("*** BROWSE TERMINAL TEST SKIPPED: tmux is not installed");
            return None;
        }
        Some(Self {
            socket: format!("msica-test-{}-{name}", std::process::id()),
            dir: tempfile::tempdir().unwrap(),
        })
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Starts `msica browse ARGS` in a `width` x `height` terminal; its exit
    /// status is written to a file when it ends.
    fn start(&self, args: &[&Path], width: u16, height: u16) {
        let status = self.dir.path().join("status");
        let mut command = format!("'{}' browse", env!("CARGO_BIN_EXE_msica"));
        for a in args {
            command += &format!(" '{}'", a.display());
        }
        command += &format!("; echo $? > '{}'; sleep 30", status.display());
        self.tmux(&[
            "new-session",
            "-d",
            "-s",
            "browse",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            &command,
        ]);
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "browse"];
        args.extend(keys);
        self.tmux(&args);
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "browse"])
    }

    /// Waits until the screen shows `text` and has stopped changing (a
    /// capture can land while the terminal is halfway through a redraw),
    /// and returns it.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        let mut previous = String::new();
        loop {
            let screen = self.screen();
            if screen.contains(text) && screen == previous {
                return screen;
            }
            previous = screen.clone();
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the screen never showed {text:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the browser to end and returns its exit status.
    fn exit_status(&self) -> i32 {
        let path = self.dir.path().join("status");
        let start = Instant::now();
        loop {
            if let Some(code) = std::fs::read_to_string(&path)
                .ok()
                .and_then(|s| s.trim().parse().ok())
            {
                return code;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "browse did not exit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

fn sample(name: &str) -> PathBuf {
    common::samples_dir().join(name)
}

#[test]
fn tables_actions_sequence_search_and_quit() {
    let Some(t) = Tmux::new("tour") else { return };
    t.start(&[&sample("clean-app.msi")], 100, 30);
    let screen = t.wait_for("Tables (28)");
    // The navigator: each table with its row count.
    let navigator: Vec<Vec<&str>> = screen
        .lines()
        .filter_map(|l| l.split('│').nth(1))
        .map(|entry| entry.split_whitespace().collect())
        .collect();
    assert!(navigator.contains(&vec!["CustomAction", "5"]), "{screen}");
    assert!(navigator.contains(&vec!["Binary", "1"]), "{screen}");

    // The last action in run order is InstallFoo, decoded.
    t.keys(&["2", "G"]);
    let screen = t.wait_for("InstallFoo  Type 3073 (0x0C01)");
    assert!(screen.contains("deferred (in-script)"), "{screen}");
    assert!(screen.contains("rollback RollbackFoo"), "{screen}");

    // The script window is a band beside the execute sequence.
    t.keys(&["3"]);
    let screen = t.wait_for("InstallExecuteSequence  (2 of 5");
    let start = screen
        .lines()
        .find(|l| l.contains("InstallInitialize"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(start.contains('┏'), "{start}");
    let inside = screen
        .lines()
        .find(|l| l.contains("ProcessComponents"))
        .unwrap();
    assert!(inside.contains('┃'), "{inside}");

    // Search across the tables; n goes on to the next match.
    t.keys(&["1", "/", "FooCA", "Enter"]);
    let screen = t.wait_for("for \"FooCA\"");
    assert!(screen.contains("match 1 of"), "{screen}");
    t.keys(&["n"]);
    t.wait_for("match 2 of");

    t.keys(&["q"]);
    assert_eq!(t.exit_status(), 0);
}

#[test]
fn a_finding_is_followed_to_its_row() {
    let Some(t) = Tmux::new("finding") else {
        return;
    };
    t.start(&[&sample("MCA101-deferred-outside-script.msi")], 100, 30);
    t.wait_for("Tables (");
    t.keys(&["4"]);
    t.wait_for("Findings (2)");
    t.keys(&["Enter"]);
    let screen = t.wait_for("InstallExecuteSequence  17 rows");
    // The selected row, marked as having an error.
    assert!(screen.contains("E>InstallFoo "), "{screen}");
    assert!(
        screen.contains("error MCA101 deferred-outside-script"),
        "{screen}"
    );
    t.keys(&["BSpace"]);
    t.wait_for("Findings (2)");
    t.keys(&["C-c"]);
    assert_eq!(t.exit_status(), 0);
}

#[test]
fn a_tiny_terminal_says_so_and_a_resize_redraws() {
    let Some(t) = Tmux::new("tiny") else { return };
    t.start(&[&sample("clean-app.msi")], 20, 5);
    t.wait_for("small (20x5)");
    t.tmux(&["resize-window", "-t", "browse", "-x", "100", "-y", "30"]);
    t.wait_for("Tables (28)");
    t.keys(&["q"]);
    assert_eq!(t.exit_status(), 0);
}
