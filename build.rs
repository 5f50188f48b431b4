//! Generates the GBK tables the crate carries, from encoding_rs.
//!
//! encoding_rs is the reference implementation of the WHATWG Encoding
//! Standard, but linking it into the browser build brings in every legacy
//! encoding it knows (about 130 KB of the gzipped bundle). sockscope needs
//! only GBK, so at build time we ask encoding_rs for the two GBK tables of
//! the standard and write them out compactly: the 2-byte index as wrapping
//! deltas (which compress well) and the 4-byte ranges. `src/gbk.rs` decodes
//! and encodes with them, and its tests compare it with encoding_rs over
//! every 2-byte sequence and every BMP character. The browser build does not
//! carry the 2-byte index: it reads the same table from the browser's own
//! GBK decoder and checks it against the checksum written here.

use std::fmt::Write as _;
use std::path::PathBuf;

/// Decodes one GBK sequence strictly with encoding_rs; `None` if it is not
/// exactly one character.
fn decode_one(bytes: &[u8]) -> Option<char> {
    let text = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes)?;
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");

    // index gb18030: pointer -> code point for the 2-byte sequences.
    let mut deltas = String::new();
    let mut previous: u16 = 0;
    for pointer in 0u32..23940 {
        let lead = (pointer / 190 + 0x81) as u8;
        let t = (pointer % 190) as u8;
        let trail = if t < 0x3F { t + 0x40 } else { t + 0x41 };
        let cp = decode_one(&[lead, trail])
            .map(|c| c as u32)
            .unwrap_or(0xFFFF);
        assert!(
            cp <= 0xFFFF,
            "a 2-byte GBK sequence decodes outside the BMP"
        );
        let cp = cp as u16;
        write!(deltas, "{},", cp.wrapping_sub(previous)).unwrap();
        previous = cp;
    }

    // index gb18030 ranges: runs of 4-byte pointers whose code points are
    // consecutive, as (first pointer, first code point).
    let mut ranges = String::new();
    let mut expect: Option<u32> = None;
    for pointer in 0u32..=39419 {
        let b = [
            (pointer / 12600 + 0x81) as u8,
            (pointer % 12600 / 1260 + 0x30) as u8,
            (pointer % 1260 / 10 + 0x81) as u8,
            (pointer % 10 + 0x30) as u8,
        ];
        let Some(c) = decode_one(&b) else { continue };
        let cp = c as u32;
        if pointer == 7457 {
            // The standard's one exception inside the ranges (U+E7C7).
            continue;
        }
        if expect != Some(cp) {
            write!(ranges, "({pointer},{cp}),").unwrap();
        }
        expect = Some(cp + 1);
    }
    ranges.push_str("(189000,65536),");

    // Characters the encoder accepts that no 2-byte sequence decodes to
    // (private-use code points kept for compatibility since GB18030-2022).
    let mut extra = String::new();
    for cp in 0x80u32..=0xFFFF {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let mut buf = [0u8; 4];
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
        if unmappable || bytes.len() != 2 || decode_one(&bytes) == Some(c) {
            continue;
        }
        let (lead, trail) = (bytes[0] as u32, bytes[1] as u32);
        let pointer = (lead - 0x81) * 190 + trail - if trail < 0x7F { 0x40 } else { 0x41 };
        write!(extra, "({cp},{pointer}),").unwrap();
    }

    // FNV-1a over the index (each entry little-endian), so a browser's own
    // GBK decoder can be checked against this table.
    let mut checksum: u64 = 0xcbf2_9ce4_8422_2325;
    let mut cp: u16 = 0;
    for delta in deltas.split(',').filter(|d| !d.is_empty()) {
        cp = cp.wrapping_add(delta.parse::<u16>().unwrap());
        for byte in cp.to_le_bytes() {
            checksum ^= u64::from(byte);
            checksum = checksum.wrapping_mul(0x0100_0000_01b3);
        }
    }

    let dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let tables = format!(
        "/// index gb18030 ranges: (pointer, code point) where a run starts.\n\
         pub(crate) static RANGES: &[(u32, u32)] = &[{ranges}];\n\
         /// Encoder-only mappings: (code point, pointer).\n\
         pub(crate) static ENCODE_EXTRA: &[(u16, u16)] = &[{extra}];\n\
         /// FNV-1a of index gb18030 (entries little-endian, 0xFFFF = none).\n\
         pub const INDEX_CHECKSUM: u64 = {checksum:#x};\n"
    );
    std::fs::write(dir.join("gbk_tables.rs"), tables).unwrap();
    let index = format!(
        "/// index gb18030 as wrapping deltas (0xFFFF = no code point).\n\
         pub(crate) static INDEX_DELTAS: [u16; 23940] = [{deltas}];\n"
    );
    std::fs::write(dir.join("gbk_index.rs"), index).unwrap();
}
