//! Files msica cannot read: each gives exit 2 and one clear message that
//! names the file and the cause, never a panic or a backtrace. And msica
//! never writes to what it reads.

mod common;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use common::{assert_clear_error, run, samples_dir};

/// Every command that opens FILE, in the forms a user would type.
fn file_commands(path: &Path) -> Vec<Vec<String>> {
    let p = path.display().to_string();
    [
        vec!["info", &p],
        vec!["tables", &p],
        vec!["table", &p, "Property"],
        vec!["actions", &p],
        vec!["sequence", &p],
        vec!["lint", &p],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(str::to_owned).collect())
    .collect()
}

fn assert_every_command_fails_clearly(path: &Path, cause: &str) {
    for args in file_commands(path) {
        let r = run(&args);
        assert_clear_error(&r, path, cause);
        assert!(
            r.out.trim().is_empty() || args[0] == "lint",
            "msica {args:?} printed: {}",
            r.out
        );
    }
}

fn sample() -> PathBuf {
    samples_dir().join("clean-app.msi")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    assert_every_command_fails_clearly(&dir.path().join("nothing-here.msi"), "no such file");
}

#[test]
fn directory_as_file() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("folder.msi");
    fs::create_dir(&sub).unwrap();
    for args in file_commands(&sub).into_iter().filter(|a| a[0] != "lint") {
        assert_clear_error(&run(&args), &sub, "is a directory");
    }
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    assert_every_command_fails_clearly(&write(dir.path(), "empty.msi", b""), "the file is empty");
}

#[test]
fn text_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "notes.msi",
        b"This is not an installer.\nJust text.\n",
    );
    assert_every_command_fails_clearly(&path, "not an OLE compound file");
}

#[test]
fn compound_file_that_is_not_an_installer_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.msi");
    let mut cfb = cfb::create(&path).unwrap();
    cfb.create_stream("WordDocument")
        .unwrap()
        .write_all(b"hello")
        .unwrap();
    cfb.flush().unwrap();
    drop(cfb);
    assert_every_command_fails_clearly(
        &path,
        "not a Windows Installer database: it is an OLE compound file",
    );
}

#[test]
fn installer_database_with_another_clsid() {
    // The sample with its root storage CLSID set to that of a Word document.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("relabelled.msi");
    fs::copy(sample(), &path).unwrap();
    let mut cfb = cfb::open_rw(&path).unwrap();
    let word = "00020906-0000-0000-c000-000000000046".parse().unwrap();
    cfb.set_storage_clsid("/", word).unwrap();
    cfb.flush().unwrap();
    drop(cfb);
    assert_every_command_fails_clearly(
        &path,
        "not a Windows Installer database: it is an OLE compound file",
    );
}

#[test]
fn installer_clsid_without_database_streams() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hollow.msi");
    let mut cfb = cfb::create(&path).unwrap();
    let installer = "000c1084-0000-0000-c000-000000000046".parse().unwrap();
    cfb.set_storage_clsid("/", installer).unwrap();
    cfb.flush().unwrap();
    drop(cfb);
    assert_every_command_fails_clearly(&path, "without the string pool of a database");
}

#[test]
fn truncated_databases() {
    let bytes = fs::read(sample()).unwrap();
    assert!(bytes.len() > 4096, "the sample is big enough to cut");
    let dir = tempfile::tempdir().unwrap();
    let cuts = [
        ("512 bytes", 512),
        ("half", bytes.len() / 2),
        ("last sector missing", bytes.len() - 512),
    ];
    for (what, len) in cuts {
        let path = write(dir.path(), &format!("cut-{len}.msi"), &bytes[..len]);
        for args in file_commands(&path) {
            let r = run(&args);
            assert_clear_error(&r, &path, &format!("truncated at {len} bytes"));
            assert!(!r.err.contains("DIFAT"), "{what}: {}", r.err);
        }
    }
}

#[test]
fn every_sample_cut_anywhere_never_panics() {
    // Cuts at every sector boundary of one sample: exit 0 or 2, never a panic.
    let bytes = fs::read(sample()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for len in (0..bytes.len())
        .step_by(512)
        .chain([1, 7, 8, 100, bytes.len() - 1])
    {
        let path = write(dir.path(), "cut.msi", &bytes[..len]);
        for args in file_commands(&path) {
            let r = run(&args);
            assert!(
                !r.err.contains("panicked") && !r.err.contains("unwrap"),
                "cut at {len}, msica {args:?}: {}",
                r.err
            );
        }
    }
}

#[test]
fn files_are_opened_read_only_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("read-only.msi");
    fs::copy(sample(), &path).unwrap();
    let before = fs::read(&path).unwrap();
    let mut perms = fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(&path, perms).unwrap();
    let p = path.display().to_string();
    for args in [
        vec!["info", &p],
        vec!["tables", &p],
        vec!["table", &p, "Property", "--format", "idt"],
        vec!["actions", &p],
        vec!["sequence", &p],
        vec!["lint", &p],
    ] {
        let r = run(&args);
        assert_ne!(
            r.status,
            msica::ExitStatus::Error,
            "msica {args:?} on a read-only file: {}",
            r.err
        );
    }
    assert_eq!(fs::read(&path).unwrap(), before, "the database changed");
}

#[test]
fn neutral_codepage_is_read_through_an_overlay_without_writing() {
    // The codepage adjustment of a neutral database happens in memory.
    let Some(_) = common::corpus_files() else {
        return;
    };
    let original = common::corpus_dir().join("psadt__TestInstallation_1.0.0_EN_01.msi");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("neutral.msi");
    fs::copy(&original, &path).unwrap();
    let before = fs::read(&path).unwrap();
    let r = run([
        "table",
        &path.display().to_string(),
        "Control",
        "--format",
        "tsv",
    ]);
    assert_eq!(r.status, msica::ExitStatus::Success, "{}", r.err);
    assert!(
        r.out.contains("Wise Installation Wizard®"),
        "the ® is decoded as Windows-1252"
    );
    assert!(!r.out.contains('\u{FFFD}'));
    assert_eq!(fs::read(&path).unwrap(), before);
}
