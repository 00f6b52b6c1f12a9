//! Builds a large synthetic installer database with the `msi` writer, for
//! benchmarks: 10,000 custom actions, 20,000 sequence rows split over the
//! four sequence tables, and (unless `--no-stream`) a 500 MB dummy stream
//! standing in for an embedded cabinet, written in chunks.
//!
//! ```text
//! cargo run --release --example synthetic -- OUT.msi [--no-stream] [--stream-mb N]
//! ```

use std::fs::File;

fn main() -> std::io::Result<()> {
    let mut out = None;
    let mut stream_mb = 500usize;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-stream" => stream_mb = 0,
            "--stream-mb" => {
                stream_mb = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--stream-mb N")
            }
            _ => out = Some(a),
        }
    }
    let out = out.expect("usage: synthetic OUT.msi [--no-stream] [--stream-mb N]");
    let file = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&out)?;
    msica::testing::write_synthetic(file, stream_mb)?;
    eprintln!("wrote {out}");
    Ok(())
}
