//! The compound file that holds a database: opening it read-only through the
//! `cfb` crate, the installer's stream-name encoding, and a diagnosis of
//! files that end before the data their allocation table describes.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::strings::{le_u16, le_u32};
use crate::error::LoadError;

/// What a compound file is read through.
pub trait ReadSeek: Read + Seek + Send + Sync {}
impl<T: Read + Seek + Send + Sync> ReadSeek for T {}

pub type Storage = cfb::CompoundFile<Box<dyn ReadSeek>>;

/// The compound-file signature every installer database starts with.
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// An opened compound file.
pub struct Container {
    pub storage: Storage,
    /// Set when a read went past the real end of the file (into the zeros
    /// that stand in for a truncated tail).
    pub past_end: Arc<AtomicBool>,
    /// When the file ends before the data its allocation table describes.
    pub truncation: Option<Truncation>,
    pub file_len: u64,
}

/// A file that ends early: what is missing, and which streams it cuts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truncation {
    pub file_len: u64,
    /// Bytes the allocation table describes beyond the end of the file.
    pub missing: u64,
    /// Streams whose data runs past the end (decoded names).
    pub streams: Vec<String>,
}

/// Where the bytes of a compound file come from; a fresh reader can be made
/// at any time (a failed open consumes one, a diagnosis needs another).
#[derive(Clone)]
enum Source {
    File(std::path::PathBuf),
    Bytes(Arc<[u8]>),
}

impl Source {
    fn reader(&self) -> io::Result<Box<dyn ReadSeek>> {
        Ok(match self {
            Self::File(path) => Box::new(BufferedFile::new(File::open(path)?)),
            Self::Bytes(bytes) => Box::new(io::Cursor::new(bytes.clone())),
        })
    }
}

/// Opens the file at `path` read-only.
pub fn open_path(path: &Path) -> Result<Container, LoadError> {
    let open_error = |source| LoadError::Open {
        path: path.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(open_error)?;
    let meta = file.metadata().map_err(open_error)?;
    if meta.is_dir() {
        return Err(open_error(io::Error::other("is a directory")));
    }
    let mut magic = [0u8; 8];
    let got = read_up_to(&mut file, &mut magic).map_err(open_error)?;
    check_magic(path, &magic[..got])?;
    open_source(path, &Source::File(path.to_owned()), meta.len())
}

/// Opens a database held in memory.
pub fn open_bytes(path: &Path, bytes: Vec<u8>) -> Result<Container, LoadError> {
    check_magic(path, &bytes[..bytes.len().min(8)])?;
    let len = bytes.len() as u64;
    open_source(path, &Source::Bytes(bytes.into()), len)
}

fn check_magic(path: &Path, magic: &[u8]) -> Result<(), LoadError> {
    if magic == CFB_MAGIC {
        return Ok(());
    }
    Err(LoadError::NotADatabase {
        path: path.to_owned(),
        reason: if magic.is_empty() {
            "the file is empty".into()
        } else {
            "it is not an OLE compound file".into()
        },
    })
}

fn open_source(path: &Path, source: &Source, file_len: u64) -> Result<Container, LoadError> {
    let open_error = |source| LoadError::Open {
        path: path.to_owned(),
        source,
    };
    let past_end = Arc::new(AtomicBool::new(false));
    let mut reader = source.reader().map_err(open_error)?;
    let sector_len = sector_len(&mut reader).unwrap_or(512);
    // A partial last sector reads as zeros, and the read is noticed.
    let rounded = file_len.div_ceil(sector_len) * sector_len;
    let padded = Padded::new(reader, file_len, rounded, past_end.clone());
    let storage = match cfb::CompoundFile::open(Box::new(padded) as Box<dyn ReadSeek>) {
        Ok(storage) => storage,
        Err(first) => {
            // The allocation table may describe sectors the file lacks (a
            // cut-off cabinet at the end): read them as zeros, if that is
            // all that is wrong.
            let refused = || classify_open_error(path, &first, Some(file_len));
            let mut reader = source.reader().map_err(|_| refused())?;
            let needed = allocated_len(&mut reader, file_len)
                .filter(|&n| n > rounded)
                .ok_or_else(refused)?;
            let padded = Padded::new(reader, file_len, needed, past_end.clone());
            cfb::CompoundFile::open(Box::new(padded) as Box<dyn ReadSeek>).map_err(|_| refused())?
        }
    };
    let truncation = if rounded != file_len || storage_needs_more(&storage, file_len) {
        source
            .reader()
            .ok()
            .and_then(|mut r| diagnose(&mut r, file_len))
    } else {
        None
    };
    Ok(Container {
        storage,
        past_end,
        truncation,
        file_len,
    })
}

/// Whether the directory describes streams that end past the file's end;
/// a cheap check on the sizes `cfb` already read.
fn storage_needs_more(storage: &Storage, file_len: u64) -> bool {
    storage.walk().any(|e| e.is_stream() && e.len() > file_len)
}

fn sector_len<R: Read + Seek + ?Sized>(r: &mut R) -> Option<u64> {
    let mut header = [0u8; 32];
    r.seek(SeekFrom::Start(0)).ok()?;
    r.read_exact(&mut header).ok()?;
    r.seek(SeekFrom::Start(0)).ok()?;
    match le_u16(&header, 30)? {
        9 => Some(512),
        12 => Some(4096),
        _ => None,
    }
}

/// A reader that reads zeros from `real_len` up to `len`, and flags it.
struct Padded<R> {
    inner: R,
    pos: u64,
    /// Where `inner` is, so that a read in sequence does not seek it.
    inner_pos: Option<u64>,
    real_len: u64,
    len: u64,
    past_end: Arc<AtomicBool>,
}

impl<R> Padded<R> {
    fn new(inner: R, real_len: u64, len: u64, past_end: Arc<AtomicBool>) -> Self {
        Self {
            inner,
            pos: 0,
            inner_pos: None,
            real_len,
            len: len.max(real_len),
            past_end,
        }
    }
}

impl<R: Read + Seek> Read for Padded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let want = buf.len().min((self.len - self.pos) as usize);
        let n = if self.pos < self.real_len {
            let avail = want.min((self.real_len - self.pos) as usize);
            if self.inner_pos != Some(self.pos) {
                self.inner_pos = None;
                self.inner.seek(SeekFrom::Start(self.pos))?;
            }
            let n = self.inner.read(&mut buf[..avail])?;
            self.inner_pos = Some(self.pos + n as u64);
            n
        } else {
            self.past_end.store(true, Ordering::Relaxed);
            buf[..want].fill(0);
            want
        };
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for Padded<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.pos)
    }
}

/// A buffered file whose seeks stay inside the buffer when they can: cfb
/// seeks before it reads each sector, and a plain `BufReader` throws its
/// buffer away on every seek (two system calls per 512-byte sector).
struct BufferedFile {
    inner: BufReader<File>,
    pos: u64,
}

impl BufferedFile {
    fn new(file: File) -> Self {
        Self {
            inner: BufReader::new(file),
            pos: 0,
        }
    }
}

impl Read for BufferedFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for BufferedFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(_) => None,
        };
        let delta = target.and_then(|t| i64::try_from(i128::from(t) - i128::from(self.pos)).ok());
        self.pos = match (target, delta) {
            (Some(target), Some(delta)) => {
                self.inner.seek_relative(delta)?;
                target
            }
            _ => self.inner.seek(to)?,
        };
        Ok(self.pos)
    }
}

// ------------------------------------------------------------------------ //
// Truncated files

const FREE: u32 = 0xFFFF_FFFF;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const MAX_REGULAR: u32 = 0xFFFF_FFFA;

/// The allocation table of a compound file, read directly (only to
/// diagnose a file `cfb` will not open or that ends early).
struct Fat {
    sector_len: u64,
    entries: Vec<u32>,
    header: Vec<u8>,
}

impl Fat {
    fn read<R: Read + Seek + ?Sized>(r: &mut R, file_len: u64) -> Option<Self> {
        let mut header = vec![0u8; 512];
        r.seek(SeekFrom::Start(0)).ok()?;
        r.read_exact(&mut header).ok()?;
        let sector_len = match le_u16(&header, 30)? {
            9 => 512u64,
            12 => 4096,
            _ => return None,
        };
        let per_sector = (sector_len / 4) as usize;
        let max_sectors = (file_len / sector_len) as usize + 1;
        let read_sector = |r: &mut R, id: u32| -> Option<Vec<u8>> {
            let at = (u64::from(id) + 1) * sector_len;
            if id > MAX_REGULAR || at + sector_len > file_len {
                return None;
            }
            let mut buf = vec![0u8; sector_len as usize];
            r.seek(SeekFrom::Start(at)).ok()?;
            r.read_exact(&mut buf).ok()?;
            Some(buf)
        };
        let mut difat: Vec<u32> = (0..109)
            .filter_map(|i| le_u32(&header, 76 + 4 * i))
            .collect();
        let mut next = le_u32(&header, 68)?;
        let mut seen = 0;
        while next <= MAX_REGULAR && seen < max_sectors {
            let Some(sector) = read_sector(r, next) else {
                break;
            };
            difat.extend((0..per_sector - 1).filter_map(|i| le_u32(&sector, 4 * i)));
            next = le_u32(&sector, 4 * (per_sector - 1))?;
            seen += 1;
        }
        let mut entries = Vec::new();
        for id in difat.into_iter().filter(|&id| id <= MAX_REGULAR) {
            if entries.len() > max_sectors * 4 {
                break;
            }
            match read_sector(r, id) {
                Some(sector) => {
                    entries.extend((0..per_sector).filter_map(|i| le_u32(&sector, 4 * i)))
                }
                None => entries.extend(std::iter::repeat_n(FREE, per_sector)),
            }
        }
        Some(Self {
            sector_len,
            entries,
            header,
        })
    }

    /// The sectors of the chain starting at `start` (stops at a loop).
    fn chain(&self, start: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut at = start;
        while at <= MAX_REGULAR && out.len() <= self.entries.len() {
            out.push(at);
            at = self
                .entries
                .get(at as usize)
                .copied()
                .unwrap_or(END_OF_CHAIN);
        }
        out
    }
}

/// The length the allocation table describes: the end of its last used sector.
fn allocated_len<R: Read + Seek + ?Sized>(r: &mut R, file_len: u64) -> Option<u64> {
    let fat = Fat::read(r, file_len)?;
    let last = fat.entries.iter().rposition(|&e| e != FREE)?;
    Some((last as u64 + 2) * fat.sector_len)
}

/// Names the streams a truncated file cuts short. Reads the directory
/// directly: `cfb` does not say where a stream's sectors are.
fn diagnose(file: &mut dyn ReadSeek, file_len: u64) -> Option<Truncation> {
    let fat = Fat::read(file, file_len)?;
    let mini_cutoff = u64::from(le_u32(&fat.header, 56).unwrap_or(4096));
    // Where the last byte of a chain of `size` bytes lies in the file.
    let end_of = |start: u32, size: u64| -> u64 {
        let len = fat.sector_len;
        fat.chain(start)
            .iter()
            .enumerate()
            .take_while(|(k, _)| (*k as u64) * len < size)
            .map(|(k, &id)| (u64::from(id) + 1) * len + (size - k as u64 * len).min(len))
            .max()
            .unwrap_or(0)
    };
    let mut streams = Vec::new();
    let mut missing = 0;
    let mut buf = vec![0u8; fat.sector_len as usize];
    for (index, sector) in fat.chain(le_u32(&fat.header, 48)?).into_iter().enumerate() {
        let at = (u64::from(sector) + 1) * fat.sector_len;
        if at + fat.sector_len > file_len || index > 100_000 {
            break;
        }
        file.seek(SeekFrom::Start(at)).ok()?;
        file.read_exact(&mut buf).ok()?;
        for entry in buf.chunks_exact(128) {
            let kind = entry[66];
            let start = le_u32(entry, 116).unwrap_or(END_OF_CHAIN);
            let size = u64::from(le_u32(entry, 120).unwrap_or(0));
            // Small streams live in the mini stream, the root entry's chain.
            let big = kind == 5 || (kind == 2 && size >= mini_cutoff);
            if !big {
                continue;
            }
            let end = end_of(start, size);
            if end <= file_len {
                continue;
            }
            missing = missing.max(end - file_len);
            if kind == 5 {
                streams.push("the mini stream (every stream under 4 KB)".into());
            } else {
                let name_len = (le_u16(entry, 64).unwrap_or(0) as usize).min(64);
                let units: Vec<u16> = entry[..name_len]
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .take_while(|&u| u != 0)
                    .collect();
                streams.push(decode_stream_name(&String::from_utf16_lossy(&units)).0);
            }
        }
    }
    (!streams.is_empty()).then_some(Truncation {
        file_len,
        missing,
        streams,
    })
}

// ------------------------------------------------------------------------ //
// Errors

/// Turns what the compound-file reader says into a cause a user can act on.
pub fn classify_open_error(path: &Path, e: &io::Error, len: Option<u64>) -> LoadError {
    let text = e.to_string();
    let lower = text.to_ascii_lowercase();
    let truncated = e.kind() == io::ErrorKind::UnexpectedEof
        || lower.contains("sector count is only")
        || lower.contains("but file has only")
        || lower.contains("fill whole buffer")
        || lower.contains("beyond the end")
        || lower.contains("past the end");
    if truncated {
        let at = len.map(|n| format!(" at {n} bytes")).unwrap_or_default();
        damaged(
            path,
            format!("truncated{at}, before the end of the data it refers to"),
        )
    } else {
        damaged(
            path,
            format!("its compound-file structure is broken ({text})"),
        )
    }
}

pub fn damaged(path: &Path, reason: String) -> LoadError {
    LoadError::Damaged {
        path: path.to_owned(),
        reason,
    }
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

// ------------------------------------------------------------------------ //
// Stream names

fn b64_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        'A'..='Z' => Some(10 + c as u32 - 'A' as u32),
        'a'..='z' => Some(36 + c as u32 - 'a' as u32),
        '.' => Some(62),
        '_' => Some(63),
        _ => None,
    }
}

fn b64_char(v: u32) -> char {
    match v {
        0..=9 => char::from(b'0' + v as u8),
        10..=35 => char::from(b'A' + (v - 10) as u8),
        36..=61 => char::from(b'a' + (v - 36) as u8),
        62 => '.',
        _ => '_',
    }
}

/// Undoes the installer's stream-name compression (two name characters per
/// UTF-16 unit in 0x3800..0x4840); the flag says whether the name carries
/// the 0x4840 prefix of table streams.
pub fn decode_stream_name(raw: &str) -> (String, bool) {
    let (rest, is_table) = match raw.strip_prefix('\u{4840}') {
        Some(rest) => (rest, true),
        None => (raw, false),
    };
    let mut out = String::new();
    for c in rest.chars() {
        let v = c as u32;
        if (0x3800..0x4800).contains(&v) {
            out.push(b64_char((v - 0x3800) & 0x3f));
            out.push(b64_char((v - 0x3800) >> 6));
        } else if (0x4800..0x4840).contains(&v) {
            out.push(b64_char(v - 0x4800));
        } else {
            out.push(c);
        }
    }
    (out, is_table)
}

/// The compound-file name of a stream: table streams carry a prefix, and
/// pairs of name characters are packed into one.
pub fn encode_stream_name(name: &str, table: bool) -> String {
    let mut out = String::new();
    if table {
        out.push('\u{4840}');
    }
    let mut chars = name.chars().peekable();
    while let Some(c1) = chars.next() {
        match (b64_value(c1), chars.peek().copied().and_then(b64_value)) {
            (Some(v1), Some(v2)) => {
                chars.next();
                out.extend(char::from_u32(0x3800 + (v2 << 6) + v1));
            }
            (Some(v1), None) => out.extend(char::from_u32(0x4800 + v1)),
            (None, _) => out.push(c1),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_names_round_trip() {
        for (name, table) in [
            ("CustomAction", true),
            ("Binary.FooCA", false),
            ("a_b.c9", true),
        ] {
            let encoded = encode_stream_name(name, table);
            assert!(encoded.chars().count() < name.len() + 1);
            assert_eq!(decode_stream_name(&encoded), (name.to_string(), table));
        }
        // Characters outside the alphabet are kept as they are.
        assert_eq!(
            decode_stream_name(&encode_stream_name("a-b", false)).0,
            "a-b"
        );
    }
}
