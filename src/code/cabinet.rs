//! Cabinets, through the `cab` crate: an installed file taken from the
//! package's embedded cabinet, and the files a DTF stub carries.
//!
//! A cabinet folder can only be decompressed from its start, so reading a
//! file decompresses its folder up to that file and no further; nothing
//! larger than the caller's limit is held in memory.

use std::io::{self, Read, Seek, SeekFrom};

use super::Source;

/// A window onto a stream from `start` on (a cabinet appended to an image).
pub struct Tail<S> {
    inner: S,
    start: u64,
}

impl<S: Source> Tail<S> {
    pub fn new(mut inner: S, start: u64) -> io::Result<Self> {
        inner.seek(SeekFrom::Start(start))?;
        Ok(Self { inner, start })
    }
}

impl<S: Read> Read for Tail<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

impl<S: Seek> Seek for Tail<S> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let pos = match pos {
            SeekFrom::Start(n) => SeekFrom::Start(self.start.saturating_add(n)),
            other => other,
        };
        let at = self.inner.seek(pos)?;
        at.checked_sub(self.start)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the cabinet"))
    }
}

/// The names of the files in a cabinet, in order.
pub fn file_names<S: Source>(source: S) -> io::Result<Vec<String>> {
    let cabinet = cab::Cabinet::new(source)?;
    Ok(cabinet
        .folder_entries()
        .flat_map(|f| f.file_entries())
        .map(|f| f.name().to_owned())
        .collect())
}

/// Reads one file of a cabinet, if it is no larger than `limit`. Names are
/// compared exactly (installer cabinets name files by their File key).
pub fn read_file<S: Source>(source: S, name: &str, limit: u64) -> Result<Vec<u8>, String> {
    let mut cabinet =
        cab::Cabinet::new(source).map_err(|e| format!("the cabinet cannot be read ({e})"))?;
    let size = cabinet
        .get_file_entry(name)
        .ok_or_else(|| format!("the cabinet has no file `{name}`"))?
        .uncompressed_size() as u64;
    if size > limit {
        return Err(format!(
            "the file is {size} bytes, more than the {limit} msica takes out of a cabinet"
        ));
    }
    let reader = cabinet
        .read_file(name)
        .map_err(|e| format!("the cabinet cannot be read ({e})"))?;
    let mut bytes = Vec::with_capacity(size as usize);
    reader
        .take(size)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("the file cannot be decompressed ({e})"))?;
    Ok(bytes)
}
