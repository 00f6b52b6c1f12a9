//! Databases with damage msica must read past: what Windows and msiinfo
//! open, msica opens, and names the damage instead of refusing the file or
//! building findings on it.

mod common;

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use common::idt::msiinfo_export;
use common::run;
use msica::db::container::encode_stream_name;
use msica::testing::MsiBuilder;
use msica::ExitStatus;

const IE: &str = "InstallExecuteSequence";

fn package() -> MsiBuilder {
    MsiBuilder::new()
        .standard_execute()
        .property("ProductCode", "{11111111-1111-1111-1111-111111111111}")
        .binary("FooCA")
        .action("RollbackFoo", 3329, Some("FooCA"), Some("RollbackFoo"))
        .action("InstallFoo", 3073, Some("FooCA"), Some("InstallFoo"))
        .seq(IE, "RollbackFoo", None, 4001)
        .seq(IE, "InstallFoo", None, 4002)
}

/// Edits the compound file of a database in memory.
fn edit(
    bytes: Vec<u8>,
    f: impl FnOnce(&mut cfb::CompoundFile<std::io::Cursor<Vec<u8>>>),
) -> Vec<u8> {
    let mut cfb = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).unwrap();
    f(&mut cfb);
    cfb.flush().unwrap();
    cfb.into_inner().into_inner()
}

/// Every table of `path` exports as msiinfo exports it.
fn assert_tables_match_msiinfo(path: &Path) {
    let listing = run(["tables", path.to_str().unwrap(), "--format", "tsv"]);
    assert_eq!(listing.status, ExitStatus::Success, "{}", listing.err);
    let mut compared = 0;
    for line in listing.out.lines() {
        let table = line.split('\t').next().unwrap();
        let Some(theirs) = msiinfo_export(path, table) else {
            continue;
        };
        let ours = run(["table", path.to_str().unwrap(), table, "--format", "idt"]);
        assert_eq!(ours.out, theirs, "{table}");
        compared += 1;
    }
    if compared == 0 {
        eprintln!(
            "*** msiinfo is not installed: the msiinfo comparison of {} is skipped",
            path.display()
        );
    }
}

#[test]
fn a_database_without_summary_information_is_read() {
    let bytes = edit(package().bytes(), |cfb| {
        cfb.remove_stream("\u{5}SummaryInformation").unwrap();
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-summary.cub");
    std::fs::write(&path, bytes).unwrap();
    let p = path.to_str().unwrap();
    let info = run(["info", p]);
    assert_eq!(info.status, ExitStatus::Success, "{}", info.err);
    assert!(info.out.contains("Summary         missing"), "{}", info.out);
    let json: serde_json::Value =
        serde_json::from_str(&run(["info", p, "--format", "json"]).out).unwrap();
    assert_eq!(json["summary"]["missing"], true);
    let lint = run(["lint", "--no-config", p]);
    assert_eq!(lint.status, ExitStatus::Success, "{}{}", lint.out, lint.err);
    assert_tables_match_msiinfo(&path);
}

#[test]
fn a_cut_off_stream_msica_never_reads_is_named_not_fatal() {
    let cab: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
    let whole = edit(package().bytes(), |cfb| {
        cfb.create_stream(encode_stream_name("Disk1.cab", false))
            .unwrap()
            .write_all(&cab)
            .unwrap();
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("whole.msi");
    std::fs::write(&path, &whole).unwrap();
    assert!(!run(["info", path.to_str().unwrap()]).out.contains("Damage"));
    // A few hundred bytes short, and several sectors short.
    for short in [300, 3000] {
        let path = dir.path().join(format!("short-{short}.msi"));
        std::fs::write(&path, &whole[..whole.len() - short]).unwrap();
        let p = path.to_str().unwrap();
        let info = run(["info", p]);
        assert_eq!(info.status, ExitStatus::Success, "{short}: {}", info.err);
        assert!(
            info.out.contains("Damage")
                && info
                    .out
                    .contains("stream Disk1.cab: its data runs past the end of the file"),
            "{short}: {}",
            info.out
        );
        let lint = run(["lint", "--no-config", p]);
        assert_eq!(
            lint.status,
            ExitStatus::Success,
            "{short}: {}{}",
            lint.out,
            lint.err
        );
        assert_tables_match_msiinfo(&path);
    }
}

/// Points cells of a table at string ids beyond the end of the pool.
fn lose_strings(bytes: Vec<u8>, table: &str, cells: &[usize]) -> Vec<u8> {
    edit(bytes, |cfb| {
        let mut stream = cfb.open_stream(encode_stream_name(table, true)).unwrap();
        for &cell in cells {
            stream.seek(SeekFrom::Start(2 * cell as u64)).unwrap();
            stream
                .write_all(&(60_000u16 + cell as u16).to_le_bytes())
                .unwrap();
        }
        let mut rest = Vec::new();
        stream.rewind().unwrap();
        stream.read_to_end(&mut rest).unwrap();
    })
}

#[test]
fn string_ids_past_the_pool_make_one_diagnosis_and_no_findings_on_lost_text() {
    // The names of both actions are lost (the first column of CustomAction
    // holds the Action names, one 2-byte cell per row), and the Binary row too.
    let bytes = lose_strings(package().bytes(), "CustomAction", &[0, 1]);
    let bytes = lose_strings(bytes, "Binary", &[0]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lost.msi");
    std::fs::write(&path, bytes).unwrap();
    let p = path.to_str().unwrap();
    let lint = run(["lint", "--no-config", "--format", "json", p]);
    let doc: serde_json::Value = serde_json::from_str(&lint.out).unwrap();
    let findings = doc["files"][0]["findings"].as_array().unwrap();
    let codes: Vec<&str> = findings
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["MCA901"], "{findings:#?}");
    let message = findings[0]["message"].as_str().unwrap();
    assert!(
        message.contains("3 cells in 3 rows of Binary, CustomAction"),
        "{message}"
    );
    let table = run(["table", p, "CustomAction"]);
    assert!(
        table.out.contains("<unreadable string #60000>"),
        "{}",
        table.out
    );
    // Windows' own export writes such a cell empty; so does the IDT form.
    let idt = run(["table", p, "CustomAction", "--format", "idt"]);
    assert!(!idt.out.contains("unreadable"), "{}", idt.out);
    let info = run(["info", p]);
    assert!(
        info.out
            .contains("table CustomAction: 2 cells in 2 rows refer to strings 60000..60001"),
        "{}",
        info.out
    );
}
