//! Structure-aware mutation of installer databases, for robustness testing.
//!
//! [`Layout`] parses just enough of a compound file (header, DIFAT, FAT,
//! MiniFAT, directory) to find where every structure and every stream byte
//! lives in the file. [`mutate`] uses it to corrupt a database precisely:
//! sector chains that loop or point outside the file, absurd sizes in
//! directory entries, the string pool and the table streams, mangled
//! directory trees, string references past the pool, duplicated or missing
//! system tables, plus plain bit flips, byte runs and truncation.
//! [`run_all`] runs the whole pipeline on one input in-process: the loader
//! and every rule, then every command through [`crate::run_with`].
//!
//! Everything is deterministic: one seed and one input index always produce
//! the same bytes, so any finding can be reproduced from its numbers.

use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Parser;

use crate::cli::Cli;
use crate::engine::{run_rules, Levels};
use crate::model::load;
use crate::render::Style;
use crate::rules::RULES;

// ------------------------------------------------------------------------ //
// A small deterministic random number generator (SplitMix64)

/// SplitMix64: tiny, fast and good enough to pick mutations.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The generator for input `index` of a run seeded with `seed`.
    pub fn for_input(seed: u64, index: u64) -> Self {
        let mut r = Self(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[self.below(items.len())])
        }
    }

    /// An "interesting" 32-bit value: boundaries, the special sector ids,
    /// huge and small numbers.
    pub fn interesting_u32(&mut self) -> u32 {
        const VALUES: [u32; 16] = [
            0,
            1,
            2,
            0x7F,
            0x80,
            0xFF,
            0xFFF,
            0x1000,
            0xFFFF,
            0x1_0000,
            0x7FFF_FFFF,
            0x8000_0000,
            0xFFFF_FFFA, // MAXREGSECT
            0xFFFF_FFFC, // DIFSECT
            0xFFFF_FFFD, // FATSECT
            0xFFFF_FFFF, // FREESECT
        ];
        match self.below(4) {
            0 => self.next_u32(),
            1 => self.next_u32() & 0xFFFF,
            _ => VALUES[self.below(VALUES.len())],
        }
    }
}

// ------------------------------------------------------------------------ //
// Compound file layout

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;
const HEADER_LEN: usize = 512;
const DIR_ENTRY_LEN: usize = 128;

/// One directory entry, as found in the file.
#[derive(Debug, Clone)]
pub struct DirEntry {
    /// Index in the directory (the id siblings and children refer to).
    pub id: u32,
    /// File offset of the 128-byte entry.
    pub offset: usize,
    /// The raw name, decoded from UTF-16.
    pub raw_name: String,
    /// The name with the installer's stream-name compression undone.
    pub name: String,
    /// Whether the name carries the installer's table prefix.
    pub is_table: bool,
    pub object_type: u8,
    pub start: u32,
    pub size: u64,
}

/// Where the structures of a compound file live.
#[derive(Debug, Clone)]
pub struct Layout {
    pub sector_len: usize,
    pub mini_sector_len: usize,
    pub mini_cutoff: u64,
    /// File offsets of the FAT sectors, in FAT order.
    pub fat_sectors: Vec<u32>,
    pub fat: Vec<u32>,
    pub minifat_chain: Vec<u32>,
    pub minifat: Vec<u32>,
    pub dir_chain: Vec<u32>,
    pub entries: Vec<DirEntry>,
    /// Sectors of the mini stream (the root entry's chain).
    pub mini_stream_chain: Vec<u32>,
    pub num_sectors: u32,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn put_u16(b: &mut [u8], at: usize, v: u16) {
    if let Some(s) = b.get_mut(at..at + 2) {
        s.copy_from_slice(&v.to_le_bytes());
    }
}

fn set_byte(b: &mut [u8], at: usize, v: u8) {
    if let Some(x) = b.get_mut(at) {
        *x = v;
    }
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    if let Some(s) = b.get_mut(at..at + 4) {
        s.copy_from_slice(&v.to_le_bytes());
    }
}

impl Layout {
    /// Parses the layout of a well-formed compound file (`None` otherwise).
    pub fn parse(b: &[u8]) -> Option<Layout> {
        if b.len() < HEADER_LEN || b[..8] != CFB_MAGIC {
            return None;
        }
        let shift = u16_at(b, 0x1E)?;
        let sector_len = match shift {
            9 => 512,
            12 => 4096,
            _ => return None,
        };
        let mini_sector_len = 1usize << u16_at(b, 0x20)?.min(12);
        let num_sectors = ((b.len().saturating_sub(sector_len)).div_ceil(sector_len)) as u32;
        let sector = |id: u32| -> Option<&[u8]> {
            let start = (id as usize + 1) * sector_len;
            b.get(start..start + sector_len)
        };
        // DIFAT
        let mut difat: Vec<u32> = (0..109).filter_map(|i| u32_at(b, 0x4C + 4 * i)).collect();
        let mut next = u32_at(b, 0x44)?;
        let mut seen = HashSet::new();
        while next <= MAX_REGULAR_SECTOR && seen.insert(next) {
            let s = sector(next)?;
            let per = sector_len / 4;
            difat.extend((0..per - 1).filter_map(|i| u32_at(s, 4 * i)));
            next = u32_at(s, 4 * (per - 1))?;
        }
        let fat_sectors: Vec<u32> = difat
            .into_iter()
            .filter(|&s| s <= MAX_REGULAR_SECTOR && s < num_sectors)
            .collect();
        let mut fat = Vec::new();
        for &s in &fat_sectors {
            let s = sector(s)?;
            fat.extend((0..sector_len / 4).filter_map(|i| u32_at(s, 4 * i)));
        }
        let chain = |start: u32, table: &[u32]| -> Vec<u32> {
            let mut out = Vec::new();
            let mut seen = HashSet::new();
            let mut cur = start;
            while (cur as usize) < table.len() && seen.insert(cur) {
                out.push(cur);
                cur = table[cur as usize];
            }
            out
        };
        let dir_chain = chain(u32_at(b, 0x30)?, &fat);
        let minifat_chain = chain(u32_at(b, 0x3C)?, &fat);
        let mut minifat = Vec::new();
        for &s in &minifat_chain {
            let s = sector(s)?;
            minifat.extend((0..sector_len / 4).filter_map(|i| u32_at(s, 4 * i)));
        }
        let mut entries = Vec::new();
        for &s in &dir_chain {
            for k in 0..sector_len / DIR_ENTRY_LEN {
                let offset = (s as usize + 1) * sector_len + k * DIR_ENTRY_LEN;
                let Some(e) = b.get(offset..offset + DIR_ENTRY_LEN) else {
                    continue;
                };
                let name_len = (u16_at(e, 0x40)? as usize).min(64);
                let units: Vec<u16> = (0..name_len / 2)
                    .filter_map(|i| u16_at(e, 2 * i))
                    .take_while(|&u| u != 0)
                    .collect();
                let raw_name = String::from_utf16_lossy(&units);
                let (name, is_table) = crate::db::container::decode_stream_name(&raw_name);
                let mut size = u32_at(e, 0x78)? as u64;
                if sector_len == 4096 {
                    size |= (u32_at(e, 0x7C)? as u64) << 32;
                }
                entries.push(DirEntry {
                    id: entries.len() as u32,
                    offset,
                    raw_name,
                    name,
                    is_table,
                    object_type: e[0x42],
                    start: u32_at(e, 0x74)?,
                    size,
                });
            }
        }
        let mini_stream_chain = entries
            .first()
            .map(|root| chain(root.start, &fat))
            .unwrap_or_default();
        Some(Layout {
            sector_len,
            mini_sector_len,
            mini_cutoff: u32_at(b, 0x38)? as u64,
            fat_sectors,
            fat,
            minifat_chain,
            minifat,
            dir_chain,
            entries,
            mini_stream_chain,
            num_sectors,
        })
    }

    fn sector_offset(&self, id: u32) -> usize {
        (id as usize + 1) * self.sector_len
    }

    /// File offset of FAT entry `index`.
    pub fn fat_entry_offset(&self, index: u32) -> Option<usize> {
        let per = self.sector_len / 4;
        let s = *self.fat_sectors.get(index as usize / per)?;
        Some(self.sector_offset(s) + 4 * (index as usize % per))
    }

    /// File offset of MiniFAT entry `index`.
    pub fn minifat_entry_offset(&self, index: u32) -> Option<usize> {
        let per = self.sector_len / 4;
        let s = *self.minifat_chain.get(index as usize / per)?;
        Some(self.sector_offset(s) + 4 * (index as usize % per))
    }

    fn chain(&self, start: u32, table: &[u32]) -> Vec<u32> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut cur = start;
        while (cur as usize) < table.len() && seen.insert(cur) {
            out.push(cur);
            cur = table[cur as usize];
        }
        out
    }

    /// Whether the stream lives in the mini stream.
    pub fn in_mini_stream(&self, e: &DirEntry) -> bool {
        e.object_type == 2 && e.size < self.mini_cutoff
    }

    /// The sector chain of a stream (mini sectors for small streams).
    pub fn stream_chain(&self, e: &DirEntry) -> Vec<u32> {
        if self.in_mini_stream(e) {
            self.chain(e.start, &self.minifat)
        } else {
            self.chain(e.start, &self.fat)
        }
    }

    /// The file offsets of a stream's bytes, as contiguous pieces in stream
    /// order (only as far as the file holds them).
    pub fn stream_pieces(&self, e: &DirEntry, file_len: usize) -> Vec<(usize, usize)> {
        let mut pieces = Vec::new();
        let mut remaining = e.size.min(file_len as u64) as usize;
        if self.in_mini_stream(e) {
            let per_sector = self.sector_len / self.mini_sector_len;
            for mini in self.chain(e.start, &self.minifat) {
                let Some(&host) = self.mini_stream_chain.get(mini as usize / per_sector) else {
                    break;
                };
                let at =
                    self.sector_offset(host) + (mini as usize % per_sector) * self.mini_sector_len;
                let len = remaining.min(self.mini_sector_len);
                if at + len > file_len || len == 0 {
                    break;
                }
                pieces.push((at, len));
                remaining -= len;
            }
        } else {
            for s in self.chain(e.start, &self.fat) {
                let at = self.sector_offset(s);
                let len = remaining.min(self.sector_len);
                if at + len > file_len || len == 0 {
                    break;
                }
                pieces.push((at, len));
                remaining -= len;
            }
        }
        pieces
    }

    /// File offset of byte `pos` of a stream.
    pub fn stream_byte_offset(&self, pieces: &[(usize, usize)], mut pos: usize) -> Option<usize> {
        for &(at, len) in pieces {
            if pos < len {
                return Some(at + pos);
            }
            pos -= len;
        }
        None
    }

    pub fn entry(&self, name: &str, is_table: bool) -> Option<&DirEntry> {
        self.entries
            .iter()
            .find(|e| e.object_type == 2 && e.name == name && e.is_table == is_table)
    }

    /// Table streams (user and system tables).
    pub fn table_streams(&self) -> Vec<&DirEntry> {
        self.entries
            .iter()
            .filter(|e| e.object_type == 2 && e.is_table)
            .collect()
    }

    /// Whether the string pool uses 3-byte string references.
    pub fn long_string_refs(&self, b: &[u8]) -> bool {
        self.entry("_StringPool", true)
            .and_then(|e| self.stream_pieces(e, b.len()).first().copied())
            .and_then(|(at, _)| u32_at(b, at))
            .is_some_and(|cp| cp & 0x8000_0000 != 0)
    }
}

// ------------------------------------------------------------------------ //
// Mutations

/// The kinds of corruption [`mutate`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mutation {
    BitFlips,
    ByteRun,
    TruncateAtSector,
    TruncateInHeader,
    HeaderField,
    DifatCorrupt,
    FatLoop,
    FatOutOfRange,
    MiniFatLoop,
    MiniFatOutOfRange,
    DirEntrySize,
    DirEntryName,
    DirEntryColour,
    DirEntryLinks,
    DirEntryStart,
    DirEntryType,
    StringPoolSizes,
    StringPoolCodepage,
    StringDataShrink,
    TableStreamSize,
    StringRefPastPool,
    TableBytes,
    DuplicateTables,
    MissingSystemTable,
    ColumnsMangle,
    Splice,
}

impl Mutation {
    pub const ALL: [Mutation; 26] = [
        Mutation::BitFlips,
        Mutation::ByteRun,
        Mutation::TruncateAtSector,
        Mutation::TruncateInHeader,
        Mutation::HeaderField,
        Mutation::DifatCorrupt,
        Mutation::FatLoop,
        Mutation::FatOutOfRange,
        Mutation::MiniFatLoop,
        Mutation::MiniFatOutOfRange,
        Mutation::DirEntrySize,
        Mutation::DirEntryName,
        Mutation::DirEntryColour,
        Mutation::DirEntryLinks,
        Mutation::DirEntryStart,
        Mutation::DirEntryType,
        Mutation::StringPoolSizes,
        Mutation::StringPoolCodepage,
        Mutation::StringDataShrink,
        Mutation::TableStreamSize,
        Mutation::StringRefPastPool,
        Mutation::TableBytes,
        Mutation::DuplicateTables,
        Mutation::MissingSystemTable,
        Mutation::ColumnsMangle,
        Mutation::Splice,
    ];
}

/// Applies one to three mutations to `input` and returns the kinds applied.
/// `layout` must be the layout of `input` (it is not re-parsed between
/// stacked mutations, which is itself a source of variety).
pub fn mutate(input: &mut Vec<u8>, layout: Option<&Layout>, rng: &mut Rng) -> Vec<Mutation> {
    let count = 1 + usize::from(rng.chance(3)) + usize::from(rng.chance(6));
    let mut applied = Vec::new();
    for _ in 0..count {
        let kind = Mutation::ALL[rng.below(Mutation::ALL.len())];
        apply(kind, input, layout, rng);
        applied.push(kind);
    }
    applied
}

/// Applies one mutation of kind `kind` (falls back to a bit flip when the
/// structure it targets does not exist).
pub fn apply(kind: Mutation, b: &mut Vec<u8>, layout: Option<&Layout>, rng: &mut Rng) {
    if b.is_empty() {
        return;
    }
    let done = match layout {
        Some(l) => apply_structured(kind, b, l, rng),
        None => false,
    };
    if !done {
        apply_plain(kind, b, rng);
    }
}

fn apply_plain(kind: Mutation, b: &mut Vec<u8>, rng: &mut Rng) {
    let len = b.len();
    match kind {
        Mutation::ByteRun => {
            let at = rng.below(len);
            let n = (1 + rng.below(64)).min(len - at);
            let fill = match rng.below(3) {
                0 => Some(0u8),
                1 => Some(0xFF),
                _ => None,
            };
            for x in &mut b[at..at + n] {
                *x = fill.unwrap_or_else(|| rng.next_u32() as u8);
            }
        }
        Mutation::TruncateAtSector => {
            let sectors = len / 512;
            b.truncate(512 * rng.below(sectors + 1));
        }
        Mutation::TruncateInHeader => b.truncate(rng.below(HEADER_LEN.min(len))),
        Mutation::Splice => {
            let n = 1 + rng.below(4096.min(len));
            let from = rng.below(len - n + 1);
            let to = rng.below(len - n + 1);
            b.copy_within(from..from + n, to);
        }
        _ => {
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(len);
                b[at] ^= 1 << rng.below(8);
            }
        }
    }
}

fn set_dir_size(b: &mut [u8], l: &Layout, e: &DirEntry, size: u64) {
    put_u32(b, e.offset + 0x78, size as u32);
    if l.sector_len == 4096 || size > u32::MAX as u64 {
        put_u32(b, e.offset + 0x7C, (size >> 32) as u32);
    }
}

/// Overwrites a few string references in a table stream. The columns are
/// stored one after the other, so aligned 2- or 3-byte cells at random
/// offsets hit string and integer columns alike.
fn poke_refs(
    b: &mut [u8],
    l: &Layout,
    e: &DirEntry,
    rng: &mut Rng,
    value: impl Fn(&mut Rng) -> u32,
) -> bool {
    let pieces = l.stream_pieces(e, b.len());
    let size: usize = pieces.iter().map(|p| p.1).sum();
    if size < 2 {
        return false;
    }
    let width = if l.long_string_refs(b) && rng.chance(2) {
        3
    } else {
        2
    };
    for _ in 0..1 + rng.below(4) {
        let pos = rng.below(size / 2) * 2;
        let v = value(rng);
        for k in 0..width {
            if let Some(at) = l.stream_byte_offset(&pieces, pos + k) {
                b[at] = (v >> (8 * k)) as u8;
            }
        }
    }
    true
}

fn apply_structured(kind: Mutation, b: &mut Vec<u8>, l: &Layout, rng: &mut Rng) -> bool {
    let len = b.len();
    match kind {
        Mutation::TruncateAtSector => {
            let sectors = len.div_ceil(l.sector_len);
            let cut = rng.below(sectors + 1) * l.sector_len;
            // Sometimes a few bytes either side of the boundary.
            let cut = match rng.below(4) {
                0 => cut.saturating_sub(1 + rng.below(16)),
                1 => cut + 1 + rng.below(16),
                _ => cut,
            };
            b.truncate(cut.min(len));
            true
        }
        Mutation::HeaderField => {
            const FIELDS: [(usize, usize); 14] = [
                (0x18, 2),
                (0x1A, 2),
                (0x1C, 2),
                (0x1E, 2),
                (0x20, 2),
                (0x28, 4),
                (0x2C, 4),
                (0x30, 4),
                (0x38, 4),
                (0x3C, 4),
                (0x40, 4),
                (0x44, 4),
                (0x48, 4),
                (0x4C, 4),
            ];
            let (at, width) = FIELDS[rng.below(FIELDS.len())];
            let v = rng.interesting_u32();
            if width == 2 {
                put_u16(b, at, v as u16);
            } else {
                put_u32(b, at, v);
            }
            true
        }
        Mutation::DifatCorrupt => {
            match rng.below(4) {
                // a header DIFAT slot pointing elsewhere (possibly at a FAT
                // sector twice, the header, or past the file)
                0 => {
                    let slot = rng.below(l.fat_sectors.len().clamp(1, 109));
                    let v = if rng.chance(2) {
                        rng.interesting_u32()
                    } else {
                        rng.below(l.num_sectors as usize + 2) as u32
                    };
                    put_u32(b, 0x4C + 4 * slot, v);
                }
                // a DIFAT chain starting in a FAT sector (a loop) or nowhere
                1 => {
                    let target = l.fat_sectors.first().copied().unwrap_or(0);
                    put_u32(
                        b,
                        0x44,
                        if rng.chance(2) {
                            target
                        } else {
                            rng.interesting_u32()
                        },
                    );
                    put_u32(b, 0x48, rng.interesting_u32());
                }
                // absurd FAT sector count
                _ => put_u32(b, 0x2C, rng.interesting_u32()),
            }
            true
        }
        Mutation::FatLoop
        | Mutation::FatOutOfRange
        | Mutation::MiniFatLoop
        | Mutation::MiniFatOutOfRange => {
            let mini = matches!(kind, Mutation::MiniFatLoop | Mutation::MiniFatOutOfRange);
            let streams: Vec<&DirEntry> = l
                .entries
                .iter()
                .filter(|e| {
                    (e.object_type == 2 && l.in_mini_stream(e) == mini) || (!mini && e.id == 0)
                })
                .collect();
            let mut chains: Vec<Vec<u32>> = streams.iter().map(|e| l.stream_chain(e)).collect();
            if !mini {
                chains.push(l.dir_chain.clone());
                chains.push(l.minifat_chain.clone());
            }
            chains.retain(|c| !c.is_empty());
            let Some(chain) = rng.pick(&chains) else {
                return false;
            };
            let i = rng.below(chain.len());
            let value = if matches!(kind, Mutation::FatLoop | Mutation::MiniFatLoop) {
                chain[rng.below(i + 1)] // back to itself or an earlier sector
            } else if rng.chance(2) {
                rng.interesting_u32()
            } else {
                let limit = if mini {
                    l.minifat.len()
                } else {
                    l.num_sectors as usize
                };
                (limit + rng.below(16)) as u32
            };
            let offset = if mini {
                l.minifat_entry_offset(chain[i])
            } else {
                l.fat_entry_offset(chain[i])
            };
            let Some(offset) = offset else { return false };
            put_u32(b, offset, value);
            true
        }
        Mutation::DirEntrySize
        | Mutation::DirEntryName
        | Mutation::DirEntryColour
        | Mutation::DirEntryLinks
        | Mutation::DirEntryStart
        | Mutation::DirEntryType => {
            let live: Vec<&DirEntry> = l.entries.iter().filter(|e| e.object_type != 0).collect();
            let Some(e) = rng.pick(&live) else {
                return false;
            };
            let e = (*e).clone();
            match kind {
                Mutation::DirEntrySize => {
                    let size = match rng.below(6) {
                        0 => e.size.saturating_add(1 + rng.below(4096) as u64),
                        1 => e.size.saturating_sub(1 + rng.below(64) as u64),
                        2 => l
                            .mini_cutoff
                            .wrapping_add(rng.below(3) as u64)
                            .wrapping_sub(1),
                        3 => rng.interesting_u32() as u64,
                        4 => u64::MAX >> rng.below(40),
                        _ => (len as u64).saturating_mul(1 + rng.below(1000) as u64),
                    };
                    set_dir_size(b, l, &e, size);
                }
                Mutation::DirEntryName => match rng.below(4) {
                    0 => put_u16(b, e.offset + 0x40, rng.interesting_u32() as u16),
                    1 => {
                        // one UTF-16 unit changed: the stream goes missing
                        let units = (e.raw_name.encode_utf16().count()).max(1);
                        let at = e.offset + 2 * rng.below(units);
                        put_u16(b, at, rng.next_u32() as u16);
                    }
                    2 => {
                        // a copy of another entry's name: duplicate names
                        if let Some(other) = rng.pick(&live) {
                            let (from, to) = (other.offset, e.offset);
                            if to + 0x42 <= b.len() && from + 0x42 <= b.len() {
                                b.copy_within(from..from + 0x42, to);
                            }
                        }
                    }
                    _ => {
                        // no terminating NUL, odd length
                        for k in 0..32 {
                            put_u16(b, e.offset + 2 * k, 0x4841);
                        }
                        put_u16(b, e.offset + 0x40, 63 + rng.below(3) as u16);
                    }
                },
                Mutation::DirEntryColour => set_byte(b, e.offset + 0x43, rng.next_u32() as u8 % 4),
                Mutation::DirEntryLinks => {
                    let field = 0x44 + 4 * rng.below(3);
                    let n = l.entries.len() as u32;
                    let v = match rng.below(4) {
                        0 => e.id,                         // itself
                        1 => 0,                            // the root
                        2 => rng.below(n as usize) as u32, // anywhere: loops
                        _ => {
                            if rng.chance(2) {
                                n + rng.below(8) as u32
                            } else {
                                rng.interesting_u32()
                            }
                        }
                    };
                    put_u32(b, e.offset + field, v);
                }
                Mutation::DirEntryStart => {
                    let v = match rng.below(3) {
                        0 => l.fat_sectors.first().copied().unwrap_or(0),
                        1 => l.dir_chain.first().copied().unwrap_or(0),
                        _ => rng.interesting_u32(),
                    };
                    put_u32(b, e.offset + 0x74, v);
                }
                _ => set_byte(b, e.offset + 0x42, [0u8, 1, 2, 5, 3, 0xFF][rng.below(6)]),
            }
            true
        }
        Mutation::StringPoolSizes | Mutation::StringPoolCodepage => {
            let Some(e) = l.entry("_StringPool", true) else {
                return false;
            };
            let pieces = l.stream_pieces(e, len);
            let size: usize = pieces.iter().map(|p| p.1).sum();
            if size < 8 {
                return false;
            }
            if kind == Mutation::StringPoolCodepage {
                let v = match rng.below(3) {
                    0 => rng.interesting_u32(),
                    1 => 0x8000_0000 | 1252,
                    _ => 65001,
                };
                for k in 0..4 {
                    if let Some(at) = l.stream_byte_offset(&pieces, k) {
                        b[at] = (v >> (8 * k)) as u8;
                    }
                }
                return true;
            }
            let entries = (size - 4) / 4;
            for _ in 0..1 + rng.below(3) {
                let pos = 4 + 4 * rng.below(entries);
                // (length, refcount); a zero length with a refcount means the
                // next four bytes hold a 32-bit length.
                let (len16, refcount, long) = match rng.below(4) {
                    0 => (0xFFFFu16, 1u16, None),
                    1 => (0, 1, Some(rng.interesting_u32())),
                    2 => (0, 1, Some(0xFFFF_FFF0 - rng.below(16) as u32)),
                    _ => (rng.next_u32() as u16, rng.next_u32() as u16, None),
                };
                let mut bytes = Vec::new();
                bytes.extend_from_slice(&len16.to_le_bytes());
                bytes.extend_from_slice(&refcount.to_le_bytes());
                if let Some(long) = long {
                    bytes.extend_from_slice(&long.to_le_bytes());
                }
                for (k, v) in bytes.into_iter().enumerate() {
                    if let Some(at) = l.stream_byte_offset(&pieces, pos + k) {
                        b[at] = v;
                    }
                }
            }
            true
        }
        Mutation::StringDataShrink => {
            let Some(e) = l.entry("_StringData", true) else {
                return false;
            };
            let size = if rng.chance(2) {
                rng.below(e.size as usize + 1) as u64
            } else {
                rng.interesting_u32() as u64
            };
            set_dir_size(b, l, &e.clone(), size);
            true
        }
        Mutation::TableStreamSize => {
            let tables = l.table_streams();
            let Some(e) = rng.pick(&tables) else {
                return false;
            };
            let e = (*e).clone();
            let size = match rng.below(5) {
                0 => e.size + 1 + rng.below(7) as u64,
                1 => e.size.saturating_sub(1 + rng.below(7) as u64),
                2 => e.size * (2 + rng.below(100) as u64),
                3 => 65537 * (1 + rng.below(16) as u64),
                _ => rng.interesting_u32() as u64,
            };
            set_dir_size(b, l, &e, size);
            true
        }
        Mutation::StringRefPastPool | Mutation::TableBytes => {
            let tables = l.table_streams();
            let targets: Vec<&&DirEntry> = tables
                .iter()
                .filter(|e| !matches!(e.name.as_str(), "_StringPool" | "_StringData"))
                .collect();
            let Some(e) = rng.pick(&targets) else {
                return false;
            };
            let e = (**e).clone();
            if kind == Mutation::StringRefPastPool {
                poke_refs(b, l, &e, rng, |r| match r.below(3) {
                    0 => 0xFFFF,
                    1 => 0xFF_FFFF,
                    _ => 0x8000 + r.below(0x8000) as u32,
                })
            } else {
                poke_refs(b, l, &e, rng, |r| r.interesting_u32())
            }
        }
        Mutation::DuplicateTables => {
            // _Tables has one string column: copy one row's reference over
            // another, so a table is listed twice.
            let Some(e) = l.entry("_Tables", true) else {
                return false;
            };
            let pieces = l.stream_pieces(e, len);
            let width = if l.long_string_refs(b) { 3 } else { 2 };
            let rows = pieces.iter().map(|p| p.1).sum::<usize>() / width;
            if rows < 2 {
                return false;
            }
            let (from, to) = (rng.below(rows), rng.below(rows));
            for k in 0..width {
                if let (Some(f), Some(t)) = (
                    l.stream_byte_offset(&pieces, from * width + k),
                    l.stream_byte_offset(&pieces, to * width + k),
                ) {
                    b[t] = b[f];
                }
            }
            true
        }
        Mutation::MissingSystemTable => {
            let names = [
                "_Tables",
                "_Columns",
                "_StringPool",
                "_StringData",
                "_Validation",
            ];
            let name = names[rng.below(names.len())];
            let Some(e) = l.entry(name, true) else {
                return false;
            };
            // change the last UTF-16 unit of the name
            let units = e.raw_name.encode_utf16().count().max(1);
            put_u16(b, e.offset + 2 * (units - 1), 0x4841 + rng.below(8) as u16);
            true
        }
        Mutation::ColumnsMangle => {
            // _Columns: Table (string), Number (i2), Name (string), Type (i2),
            // stored column after column.
            let Some(e) = l.entry("_Columns", true) else {
                return false;
            };
            let pieces = l.stream_pieces(e, len);
            let width = if l.long_string_refs(b) { 3 } else { 2 };
            let size: usize = pieces.iter().map(|p| p.1).sum();
            let rows = size / (2 * width + 4);
            if rows == 0 {
                return false;
            }
            let row = rng.below(rows);
            let (column_start, cell) = match rng.below(4) {
                0 => (0, width),
                1 => (rows * width, 2),
                2 => (rows * (width + 2), width),
                _ => (rows * (2 * width + 2), 2),
            };
            let value = match rng.below(3) {
                0 => {
                    // copy another row's cell (duplicate columns, or a column
                    // moved to another table)
                    let other = rng.below(rows);
                    let mut v = 0u32;
                    for k in 0..cell {
                        if let Some(at) =
                            l.stream_byte_offset(&pieces, column_start + other * cell + k)
                        {
                            v |= (b[at] as u32) << (8 * k);
                        }
                    }
                    v
                }
                1 => 0x8000 ^ rng.below(70) as u32, // column numbers are stored +0x8000
                _ => rng.interesting_u32(),
            };
            for k in 0..cell {
                if let Some(at) = l.stream_byte_offset(&pieces, column_start + row * cell + k) {
                    b[at] = (value >> (8 * k)) as u8;
                }
            }
            true
        }
        Mutation::BitFlips | Mutation::ByteRun | Mutation::TruncateInHeader | Mutation::Splice => {
            // Aim plain mutations at structures half of the time.
            if rng.chance(2) {
                return false;
            }
            let mut targets: Vec<(usize, usize)> = vec![(0, HEADER_LEN.min(len))];
            for &s in l
                .fat_sectors
                .iter()
                .chain(&l.dir_chain)
                .chain(&l.minifat_chain)
            {
                targets.push((l.sector_offset(s), l.sector_len));
            }
            for e in l.table_streams() {
                targets.extend(l.stream_pieces(e, len));
            }
            let Some(&(at, n)) = rng.pick(&targets) else {
                return false;
            };
            if at >= len {
                return false;
            }
            let n = n.min(len - at).max(1);
            match kind {
                Mutation::ByteRun => {
                    let start = at + rng.below(n);
                    let run = (1 + rng.below(16)).min(len - start);
                    let fill = rng.next_u32() as u8;
                    b[start..start + run].fill(fill);
                }
                Mutation::TruncateInHeader => b.truncate(rng.below(HEADER_LEN.min(len))),
                _ => {
                    for _ in 0..1 + rng.below(4) {
                        let pos = at + rng.below(n);
                        b[pos] ^= 1 << rng.below(8);
                    }
                }
            }
            true
        }
    }
}

// ------------------------------------------------------------------------ //
// Running the pipeline

/// What happened to one input.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The loader read the database.
    pub loaded: bool,
    /// The loader refused it with an error.
    pub load_error: Option<String>,
    /// Panics inside the `msi` crate that the loader turned into errors.
    pub panics_contained: usize,
    /// Panics that escaped a command or the rules (each is a bug).
    pub panics_escaped: Vec<String>,
    /// Commands that ran (each one in-process, through `run_with`).
    pub commands: usize,
    pub elapsed: Duration,
}

/// The command lines run on each input (`{}` stands for the file).
pub fn command_lines() -> Vec<Vec<String>> {
    let lines: &[&[&str]] = &[
        &["info", "{}"],
        &["info", "{}", "--format", "json"],
        &["tables", "{}"],
        &["tables", "{}", "--format", "json"],
        &["table", "{}", "CustomAction"],
        &["table", "{}", "InstallExecuteSequence", "--format", "idt"],
        &["table", "{}", "Property", "--format", "json"],
        &["table", "{}", "_Validation", "--format", "tsv"],
        &["actions", "{}"],
        &["actions", "{}", "--format", "json"],
        &["sequence", "{}"],
        &["sequence", "{}", "InstallUISequence", "--format", "json"],
        &["sequence", "{}", "AdvtExecuteSequence"],
        &["lint", "{}"],
        &["lint", "{}", "--format", "json"],
        &["lint", "{}", "--format", "sarif"],
        &["lint", "{}", "--format", "github"],
        &["diff", "{}", "{}"],
        &["diff", "{}", "{}", "--format", "markdown"],
    ];
    lines
        .iter()
        .map(|l| l.iter().map(|s| s.to_string()).collect())
        .collect()
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic".into())
}

/// Whether a load error or table problem stands for a contained panic.
fn is_contained_panic(text: &str) -> bool {
    text.contains("malformed database structure") || text.contains("malformed table data")
}

/// The command lines run with a transform input applied to a base (`{}`
/// stands for the transform, `{base}` for the base).
pub fn transform_command_lines() -> Vec<Vec<String>> {
    let lines: &[&[&str]] = &[
        &["lint", "{base}", "-t", "{}"],
        &["lint", "{base}", "-t", "{}", "--format", "json"],
        &["info", "{base}", "-t", "{}"],
        &["tables", "{base}", "-t", "{}"],
        &["table", "{base}", "Property", "-t", "{}"],
        &[
            "table",
            "{base}",
            "CustomAction",
            "-t",
            "{}",
            "--format",
            "json",
        ],
        &["actions", "{base}", "-t", "{}"],
        &["sequence", "{base}", "-t", "{}"],
        &["diff", "{base}", "-t", "{}", "--format", "json"],
    ];
    lines
        .iter()
        .map(|l| l.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// The command lines run with a patch input applied to a base (`{}` stands
/// for the patch, `{base}` for the base).
pub fn patch_command_lines() -> Vec<Vec<String>> {
    let lines: &[&[&str]] = &[
        &["lint", "{base}", "-p", "{}"],
        &["lint", "{base}", "-p", "{}", "--format", "json"],
        &["info", "{base}", "-p", "{}"],
        &["tables", "{base}", "-p", "{}"],
        &[
            "table", "{base}", "Property", "-p", "{}", "--format", "json",
        ],
        &["actions", "{base}", "-p", "{}"],
        &["sequence", "{base}", "-p", "{}"],
        &["diff", "{base}", "-p", "{}", "--format", "json"],
    ];
    lines
        .iter()
        .map(|l| l.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// The base a corpus transform or patch was made for: the `BASE` of an
/// `oracle-transformed/BASE+TRANSFORM` folder, or of an
/// `oracle-patched/BASE+...+PATCH` folder, beside the corpus directory (a
/// patch's base is in the `msi` folder beside its own).
pub fn base_for(file: &Path) -> Option<PathBuf> {
    let name = file.file_name()?.to_str()?;
    let dir = file.parent()?;
    let corpus = dir.parent()?;
    let folders = |oracle: &str| -> Vec<String> {
        std::fs::read_dir(corpus.join(oracle))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .collect()
    };
    let transformed = folders("oracle-transformed")
        .into_iter()
        .find_map(|folder| {
            let (base, t) = folder.split_once('+')?;
            (t == name).then(|| dir.join(base))
        });
    transformed.or_else(|| {
        folders("oracle-patched").into_iter().find_map(|folder| {
            let mut parts = folder.split('+');
            let base = parts.next()?;
            parts
                .any(|p| p == name)
                .then(|| corpus.join("msi").join(base))
        })
    })
}

/// A small package for transforms without a known base to apply to: the
/// tables transforms most often change.
fn fixture_base() -> &'static [u8] {
    static BASE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        crate::testing::MsiBuilder::new()
            .standard_execute()
            .property("ProductCode", "{11111111-1111-1111-1111-111111111111}")
            .property("ProductVersion", "1.0.0")
            .binary("FooCA")
            .directory("TARGETDIR", None)
            .action("RollbackFoo", 3329, Some("FooCA"), Some("RollbackFoo"))
            .action("InstallFoo", 3073, Some("FooCA"), Some("InstallFoo"))
            .seq("InstallExecuteSequence", "RollbackFoo", None, 4001)
            .seq("InstallExecuteSequence", "InstallFoo", None, 4002)
            .bytes()
    })
}

/// Runs the whole pipeline on `bytes`: the loader and every rule in memory,
/// then every command of [`command_lines`] on a copy written to `scratch`.
/// Command lines this build does not know (a format not implemented yet)
/// are skipped. A transform is also applied to a base (see
/// [`run_all_with_base`]).
pub fn run_all(bytes: &[u8], scratch: &Path) -> Outcome {
    run_all_with_base(bytes, scratch, None)
}

/// Like [`run_all`]; a transform input is applied to `base` (or to a small
/// fixture package), in memory and through the commands' `-t`.
pub fn run_all_with_base(bytes: &[u8], scratch: &Path, base: Option<&[u8]>) -> Outcome {
    let mut outcome = run_alone(bytes, scratch);
    let start = Instant::now();
    match crate::db::open_bytes(Path::new("input"), bytes.to_vec()) {
        Ok(crate::db::Opened::Transform(_)) => {
            run_applied(bytes, base.unwrap_or(fixture_base()), scratch, &mut outcome);
        }
        Ok(crate::db::Opened::Database(db)) if db.class == crate::db::Class::Patch => {
            run_patched(bytes, base.unwrap_or(fixture_base()), scratch, &mut outcome);
        }
        _ => {}
    }
    outcome.elapsed += start.elapsed();
    outcome
}

/// A patch applied to a base: in memory with every rule, then through every
/// command of [`patch_command_lines`].
fn run_patched(patch: &[u8], base: &[u8], scratch: &Path, outcome: &mut Outcome) {
    run_on_base(
        patch,
        base,
        scratch,
        outcome,
        "patch+rules",
        patch_command_lines(),
        |db| {
            if let Ok(p) = crate::db::Patch::open_bytes(Path::new("input.msp"), patch.to_vec()) {
                db.apply_patch(&p);
                let _ = crate::inspect::info::PatchView::new(&p);
            }
        },
    );
}

/// A transform applied to a base: in memory with every rule, then through
/// every command of [`transform_command_lines`].
fn run_applied(transform: &[u8], base: &[u8], scratch: &Path, outcome: &mut Outcome) {
    run_on_base(
        transform,
        base,
        scratch,
        outcome,
        "apply+rules",
        transform_command_lines(),
        |db| {
            if let Ok(t) =
                crate::db::Transform::open_bytes(Path::new("input.mst"), transform.to_vec())
            {
                db.apply(t);
            }
        },
    );
}

/// `input` applied to `base` by `apply`, then every rule, in memory; then
/// `lines` with `{}` the input and `{base}` the base, written beside `scratch`.
fn run_on_base(
    input: &[u8],
    base: &[u8],
    scratch: &Path,
    outcome: &mut Outcome,
    label: &str,
    lines: Vec<Vec<String>>,
    apply: impl Fn(&mut crate::db::Database),
) {
    let in_memory = panic::catch_unwind(AssertUnwindSafe(|| {
        let Ok(crate::db::Opened::Database(mut db)) =
            crate::db::open_bytes(Path::new("base.msi"), base.to_vec())
        else {
            return;
        };
        apply(&mut db);
        let pkg = load::package(&db);
        let _ = run_rules(&pkg, RULES, &Levels::default());
    }));
    if let Err(payload) = in_memory {
        outcome
            .panics_escaped
            .push(format!("{label}: {}", panic_text(&*payload)));
    }
    let base_path = scratch.with_extension("base.msi");
    if std::fs::write(scratch, input).is_err() || std::fs::write(&base_path, base).is_err() {
        return;
    }
    let (file, base_file) = (
        scratch.display().to_string(),
        base_path.display().to_string(),
    );
    run_lines(lines, &file, Some(&base_file), outcome);
}

fn run_alone(bytes: &[u8], scratch: &Path) -> Outcome {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    let in_memory = panic::catch_unwind(AssertUnwindSafe(|| {
        match load::load_from_bytes(bytes.to_vec()) {
            Ok(pkg) => {
                let findings = run_rules(&pkg, RULES, &Levels::default());
                let contained = pkg
                    .problems
                    .iter()
                    .filter(|p| is_contained_panic(&p.message))
                    .count();
                (true, None, contained, findings.len())
            }
            Err(e) => {
                let text = e.to_string();
                let contained = usize::from(is_contained_panic(&text));
                (false, Some(text), contained, 0)
            }
        }
    }));
    match in_memory {
        Ok((loaded, error, contained, _)) => {
            outcome.loaded = loaded;
            outcome.load_error = error;
            outcome.panics_contained += contained;
        }
        Err(payload) => outcome
            .panics_escaped
            .push(format!("load+rules: {}", panic_text(&*payload))),
    }
    if std::fs::write(scratch, bytes).is_ok() {
        let file = scratch.display().to_string();
        run_lines(command_lines(), &file, None, &mut outcome);
        run_browse(scratch, &mut outcome);
    }
    outcome.elapsed = start.elapsed();
    outcome
}

/// `msica browse` without a terminal: every view drawn, and the keys that
/// follow, open and search pressed.
fn run_browse(file: &Path, outcome: &mut Outcome) {
    use crate::tui::{render, App, Data, View};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let ran = panic::catch_unwind(AssertUnwindSafe(|| {
        let Ok(data) = Data::load(&load::Input::file(file)) else {
            return;
        };
        let mut app = App::new(data);
        for view in View::ALL {
            let _ = app.start(view, None);
            for code in [KeyCode::Tab, KeyCode::End, KeyCode::Enter, KeyCode::Right] {
                render(&mut app, 80, 24);
                app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
            }
            app.search_for("a");
            render(&mut app, 80, 24);
        }
    }));
    outcome.commands += 1;
    if let Err(payload) = ran {
        outcome
            .panics_escaped
            .push(format!("browse: {}", panic_text(&*payload)));
    }
}

/// Runs command lines in-process with `{}` (and `{base}`) filled in.
fn run_lines(lines: Vec<Vec<String>>, file: &str, base: Option<&str>, outcome: &mut Outcome) {
    for line in lines {
        let args: Vec<String> = std::iter::once("msica".to_string())
            .chain(line.iter().map(|a| match a.as_str() {
                "{}" => file.to_owned(),
                "{base}" => base.unwrap_or_default().to_owned(),
                _ => a.clone(),
            }))
            .collect();
        let Ok(cli) = Cli::try_parse_from(&args) else {
            continue;
        };
        let mut out = Vec::new();
        let mut err = Vec::new();
        let ran = panic::catch_unwind(AssertUnwindSafe(|| {
            crate::run_with(cli, Style::plain(), &mut out, &mut err)
        }));
        outcome.commands += 1;
        if let Err(payload) = ran {
            outcome
                .panics_escaped
                .push(format!("{}: {}", line.join(" "), panic_text(&*payload)));
        }
    }
}

/// The seed databases: every `.msi`/`.msm`/`.mst`/... file of the given
/// directories that starts with the compound-file signature, sorted by path.
pub fn load_corpus(dirs: &[PathBuf]) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_file() {
                continue;
            }
            if let Ok(bytes) = std::fs::read(&path) {
                if bytes.starts_with(&CFB_MAGIC) {
                    files.push((path, bytes));
                }
            }
        }
    }
    files.sort();
    files
}

/// Input `index` of a run: which seed file it mutates, and its bytes.
pub fn input(
    corpus: &[(PathBuf, Vec<u8>, Option<Layout>)],
    seed: u64,
    index: u64,
) -> (usize, Vec<u8>, Vec<Mutation>) {
    let mut rng = Rng::for_input(seed, index);
    let which = rng.below(corpus.len());
    let (_, bytes, layout) = &corpus[which];
    let mut bytes = bytes.clone();
    let applied = mutate(&mut bytes, layout.as_ref(), &mut rng);
    (which, bytes, applied)
}

/// Peak resident memory of this process in kB (Linux; `None` elsewhere).
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

// ------------------------------------------------------------------------ //
// Damaged code: PE images, cabinets and scripts

/// The code a mutated input is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSeed {
    NativeDll,
    NativeExe64,
    Managed,
    DtfStub,
    /// A cabinet holding a DLL, read as an installed file.
    Cabinet,
    VbScript,
    JScript,
}

impl CodeSeed {
    pub const ALL: [CodeSeed; 7] = [
        CodeSeed::NativeDll,
        CodeSeed::NativeExe64,
        CodeSeed::Managed,
        CodeSeed::DtfStub,
        CodeSeed::Cabinet,
        CodeSeed::VbScript,
        CodeSeed::JScript,
    ];

    pub fn bytes(self) -> Vec<u8> {
        use super::pe::{cabinet, Arch, PeBuilder};
        let dll = || {
            PeBuilder::dll(Arch::X86)
                .export("_ConfigureDb@4")
                .export("Configure")
                .import("MSVCR120.dll")
                .build()
        };
        match self {
            Self::NativeDll => dll(),
            Self::NativeExe64 => PeBuilder::exe(Arch::X64).import("USER32.dll").build(),
            Self::Managed => PeBuilder::managed(Arch::X86).build(),
            Self::DtfStub => PeBuilder::dtf_stub(
                Arch::X86,
                &[("Configure", "Setup!Setup.Actions.Configure")],
                "v4.0",
            )
            .build(),
            Self::Cabinet => cabinet(&[("readme.txt", b"text"), ("ca.dll", &dll())]),
            Self::VbScript => b"Option Explicit\r\nFunction Check()\r\n  Check = 1\r\nEnd Function\r\nSub Other : End Sub\r\n".to_vec(),
            Self::JScript => b"// checks\nfunction Check() { var s = \"function x()\"; }\nvar Other = function () {};\n".to_vec(),
        }
    }
}

/// What reading one damaged code input did.
#[derive(Debug)]
pub struct CodeOutcome {
    pub seed: CodeSeed,
    pub panicked: bool,
    pub elapsed: Duration,
}

/// Damages `bytes`: bit flips, byte runs, truncation, and "interesting"
/// 32-bit values (sizes, offsets, counts) written at aligned offsets, where
/// PE and cabinet headers keep their size fields.
pub fn mutate_code(bytes: &mut Vec<u8>, rng: &mut Rng) {
    for _ in 0..1 + rng.below(4) {
        let len = bytes.len();
        if len == 0 {
            return;
        }
        match rng.below(4) {
            0 => {
                for _ in 0..1 + rng.below(8) {
                    let at = rng.below(len);
                    bytes[at] ^= 1 << rng.below(8);
                }
            }
            1 => {
                let at = rng.below(len);
                let run = (1 + rng.below(64)).min(len - at);
                let v = rng.next_u32() as u8;
                bytes[at..at + run].fill(v);
            }
            2 => bytes.truncate(rng.below(len)),
            _ => {
                // Header fields are in the first kilobyte of an image or cabinet.
                let at = (rng.below(len.min(1024)) / 4) * 4;
                let v = rng.interesting_u32().to_le_bytes();
                let end = (at + 4).min(len);
                bytes[at..end].copy_from_slice(&v[..end - at]);
            }
        }
    }
}

/// Reads one damaged code input the way the loader does: under the
/// loader's guard, which turns a reader's panic (the `cab` crate panics on
/// some damaged folders) into code "not available" with the reason, and
/// times it. `panicked` says a panic got past that guard.
pub fn read_damaged_code(seed: CodeSeed, bytes: &[u8]) -> CodeOutcome {
    use crate::code::{self, script::Language};
    use crate::model::action_code::guarded;
    use std::io::Cursor;
    let start = Instant::now();
    let language = match seed {
        CodeSeed::VbScript => Some(Language::VbScript),
        CodeSeed::JScript => Some(Language::JScript),
        _ => None,
    };
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        guarded("fuzz", || match seed {
            CodeSeed::Cabinet => {
                match code::cabinet::read_file(
                    Cursor::new(bytes),
                    "ca.dll",
                    code::MAX_CABINET_FILE_LEN,
                ) {
                    Ok(dll) => code::read("ca.dll".into(), Cursor::new(dll), None),
                    Err(reason) => code::Code::missing("ca.dll", reason),
                }
            }
            _ => code::read("fuzz".into(), Cursor::new(bytes), language),
        })
    }));
    CodeOutcome {
        seed,
        panicked: result.is_err(),
        elapsed: start.elapsed(),
    }
}

/// Input `index` of a damaged-code run seeded with `seed`: its seed kind and bytes.
pub fn code_input(seed: u64, index: u64) -> (CodeSeed, Vec<u8>) {
    let mut rng = Rng::for_input(seed, index);
    let kind = CodeSeed::ALL[rng.below(CodeSeed::ALL.len())];
    let mut bytes = kind.bytes();
    mutate_code(&mut bytes, &mut rng);
    (kind, bytes)
}
