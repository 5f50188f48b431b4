//! GBK as the WHATWG Encoding Standard defines it (the decoder is the
//! gb18030 decoder; the encoder writes one or two bytes), with tables
//! generated at build time from encoding_rs (see `build.rs`).
//!
//! Why not call encoding_rs at run time: in the browser build it would link
//! every legacy encoding it supports, and sockscope needs one. The tests below
//! check this module against encoding_rs over every 2-byte sequence, every
//! BMP character and random byte strings.
//!
//! The browser build does not carry the 2-byte index (48 KB): every browser
//! has a GBK decoder of its own (the same standard), and the index is read
//! from it once, then checked in the wasm tests against [`INDEX_CHECKSUM`].

use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/gbk_tables.rs"));
#[cfg(not(all(target_arch = "wasm32", feature = "web")))]
include!(concat!(env!("OUT_DIR"), "/gbk_index.rs"));

/// No code point for this pointer.
const NONE: u16 = 0xFFFF;
/// Pointers of the 2-byte sequences.
const POINTERS: usize = 23940;

/// The bytes of a 2-byte pointer: lead 0x81..=0xFE, trail 0x40..=0x7E or 0x80..=0xFE.
fn pointer_bytes(pointer: usize) -> [u8; 2] {
    let lead = (pointer / 190 + 0x81) as u8;
    let t = (pointer % 190) as u8;
    [lead, if t < 0x3F { t + 0x40 } else { t + 0x41 }]
}

/// index gb18030, rebuilt once from its deltas.
#[cfg(not(all(target_arch = "wasm32", feature = "web")))]
fn build_index() -> Box<[u16; POINTERS]> {
    let mut table = Box::new([0u16; POINTERS]);
    let mut cp = 0u16;
    for (slot, delta) in table.iter_mut().zip(INDEX_DELTAS.iter()) {
        cp = cp.wrapping_add(*delta);
        *slot = cp;
    }
    table
}

/// index gb18030, read from the browser's own GBK decoder (the WHATWG
/// Encoding Standard's, as encoding_rs implements it): every 2-byte
/// sequence, each followed by a newline, decoded in one call. A sequence
/// with no code point decodes to U+FFFD (and an ASCII trail byte after it),
/// so its piece is not exactly one character. The wasm tests check the
/// result against [`INDEX_CHECKSUM`]. Without a GBK decoder every entry is
/// `NONE`: GBK text then shows as U+FFFD, and nothing panics.
#[cfg(all(target_arch = "wasm32", feature = "web"))]
fn build_index() -> Box<[u16; POINTERS]> {
    let mut table = Box::new([NONE; POINTERS]);
    let mut bytes = Vec::with_capacity(POINTERS * 3);
    for pointer in 0..POINTERS {
        bytes.extend_from_slice(&pointer_bytes(pointer));
        bytes.push(b'\n');
    }
    let Ok(decoder) = web_sys::TextDecoder::new_with_label("gbk") else {
        return table;
    };
    let Ok(text) = decoder.decode_with_u8_array(&bytes) else {
        return table;
    };
    for (slot, piece) in table.iter_mut().zip(text.split('\n')) {
        let mut chars = piece.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if c != '\u{FFFD}' && (c as u32) < 0xFFFF {
                *slot = c as u16;
            }
        }
    }
    table
}

fn index() -> &'static [u16; POINTERS] {
    static INDEX: OnceLock<Box<[u16; POINTERS]>> = OnceLock::new();
    INDEX.get_or_init(build_index)
}

/// FNV-1a of the index in use, to compare with [`INDEX_CHECKSUM`] (the
/// table encoding_rs gave at build time).
pub fn index_checksum() -> u64 {
    let mut checksum: u64 = 0xcbf2_9ce4_8422_2325;
    for cp in index().iter() {
        for byte in cp.to_le_bytes() {
            checksum ^= u64::from(byte);
            checksum = checksum.wrapping_mul(0x0100_0000_01b3);
        }
    }
    checksum
}

/// Code point → first pointer, for the encoder: a table over the BMP,
/// `NONE` where GBK has no two-byte form. Filled in pointer order and only
/// where still empty, so a code point that two pointers decode to encodes to
/// the first, as the standard's "index pointer" requires; `ENCODE_EXTRA`
/// come after the index.
fn reverse() -> &'static [u16] {
    static REVERSE: OnceLock<Vec<u16>> = OnceLock::new();
    REVERSE.get_or_init(|| {
        let mut table = vec![NONE; 0x10000];
        let pairs = index()
            .iter()
            .enumerate()
            .filter(|(_, cp)| **cp != NONE)
            .map(|(pointer, cp)| (*cp, pointer as u16))
            .chain(ENCODE_EXTRA.iter().copied());
        for (cp, pointer) in pairs {
            let slot = &mut table[cp as usize];
            if *slot == NONE {
                *slot = pointer;
            }
        }
        table
    })
}

/// "index gb18030 ranges code point" of the standard.
fn ranges_code_point(pointer: u32) -> Option<char> {
    if (pointer > 39419 && pointer < 189000) || pointer > 1237575 {
        return None;
    }
    if pointer == 7457 {
        return Some('\u{E7C7}');
    }
    let at = RANGES
        .partition_point(|(p, _)| *p <= pointer)
        .checked_sub(1)?;
    let (offset, cp_offset) = RANGES[at];
    char::from_u32(cp_offset + pointer - offset)
}

/// Decodes GBK bytes. Each malformed or incomplete sequence becomes U+FFFD
/// when `replace` is true; with `replace` false the first one makes it `None`.
pub fn decode(bytes: &[u8], replace: bool) -> Option<String> {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    let error = |out: &mut String| -> Option<()> {
        if replace {
            out.push('\u{FFFD}');
            Some(())
        } else {
            None
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            0x00..=0x7F => {
                out.push(b as char);
                i += 1;
            }
            0x80 => {
                out.push('\u{20AC}');
                i += 1;
            }
            0x81..=0xFE => {
                let Some(&b2) = bytes.get(i + 1) else {
                    error(&mut out)?;
                    break;
                };
                if (0x30..=0x39).contains(&b2) {
                    // A four-byte sequence: lead, digit, 0x81..=0xFE, digit.
                    match (bytes.get(i + 2), bytes.get(i + 3)) {
                        (Some(&b3), Some(&b4))
                            if (0x81..=0xFE).contains(&b3) && (0x30..=0x39).contains(&b4) =>
                        {
                            let pointer = (b as u32 - 0x81) * 12600
                                + (b2 as u32 - 0x30) * 1260
                                + (b3 as u32 - 0x81) * 10
                                + (b4 as u32 - 0x30);
                            match ranges_code_point(pointer) {
                                Some(c) => out.push(c),
                                None => error(&mut out)?,
                            }
                            i += 4;
                        }
                        (Some(&b3), Some(_)) if (0x81..=0xFE).contains(&b3) => {
                            // Third byte fine, fourth not a digit: the standard
                            // reports an error and re-reads bytes 2, 3 and 4.
                            error(&mut out)?;
                            i += 1;
                        }
                        (Some(&b3), None) if (0x81..=0xFE).contains(&b3) => {
                            // Cut after three bytes: one error for the lot.
                            error(&mut out)?;
                            i += 3;
                        }
                        (None, _) => {
                            error(&mut out)?;
                            i += 2;
                        }
                        _ => {
                            error(&mut out)?;
                            i += 1;
                        }
                    }
                } else {
                    let offset = if b2 < 0x7F { 0x40 } else { 0x41 };
                    let pointer = match b2 {
                        0x40..=0x7E | 0x80..=0xFE => {
                            Some((b as usize - 0x81) * 190 + (b2 as usize - offset))
                        }
                        _ => None,
                    };
                    match pointer.map(|p| index()[p]).filter(|cp| *cp != NONE) {
                        Some(cp) => {
                            out.push(char::from_u32(cp as u32).unwrap_or('\u{FFFD}'));
                            i += 2;
                        }
                        None => {
                            error(&mut out)?;
                            // An ASCII second byte is read again on its own.
                            i += if b2 < 0x80 { 1 } else { 2 };
                        }
                    }
                }
            }
            0xFF => {
                error(&mut out)?;
                i += 1;
            }
        }
    }
    Some(out)
}

/// Encodes one character as GBK; `None` if GBK has no bytes for it.
pub fn encode_char(c: char, out: &mut Vec<u8>) -> Option<()> {
    let cp = c as u32;
    if cp < 0x80 {
        out.push(cp as u8);
        return Some(());
    }
    if cp == 0xE5E5 || cp > 0xFFFF {
        return None;
    }
    if cp == 0x20AC {
        out.push(0x80);
        return Some(());
    }
    let pointer = reverse()[cp as usize];
    if pointer == NONE {
        return None;
    }
    out.extend_from_slice(&pointer_bytes(pointer as usize));
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(bytes: &[u8]) -> String {
        encoding_rs::GBK
            .decode_without_bom_handling(bytes)
            .0
            .into_owned()
    }

    #[test]
    fn every_one_and_two_byte_sequence_decodes_as_encoding_rs_does() {
        for a in 0..=255u8 {
            assert_eq!(decode(&[a], true).unwrap(), reference(&[a]), "{a:02X}");
            for b in 0..=255u8 {
                let s = [a, b];
                assert_eq!(decode(&s, true).unwrap(), reference(&s), "{a:02X} {b:02X}");
            }
        }
    }

    #[test]
    fn every_bmp_character_encodes_as_encoding_rs_does() {
        for cp in 0..=0xFFFFu32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut ours = Vec::new();
            let ok = encode_char(c, &mut ours).is_some();
            let mut buf = [0; 4];
            let (theirs, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
            assert_eq!(ok, !unmappable, "U+{cp:04X}");
            if ok {
                assert_eq!(ours, theirs.as_ref(), "U+{cp:04X}");
            }
        }
    }

    #[test]
    fn four_byte_sequences_decode_as_encoding_rs_does() {
        // Every BMP pointer of the ranges table, and a few supplementary ones.
        for pointer in (0u32..=39419).chain([189000, 189001, 500000, 1237575, 1237576]) {
            let b = [
                (pointer / 12600 + 0x81) as u8,
                (pointer % 12600 / 1260 + 0x30) as u8,
                (pointer % 1260 / 10 + 0x81) as u8,
                (pointer % 10 + 0x30) as u8,
            ];
            if b[0] > 0xFE {
                continue;
            }
            assert_eq!(
                decode(&b, true).unwrap(),
                reference(&b),
                "pointer {pointer}"
            );
        }
    }

    #[test]
    fn strict_decoding_rejects_what_lossy_decoding_replaces() {
        assert_eq!(decode(&[0xC4, 0xE3], false).as_deref(), Some("你"));
        assert_eq!(decode(&[0xC4], false), None);
        assert_eq!(decode(&[0xC4], true).as_deref(), Some("\u{FFFD}"));
    }

    proptest::proptest! {
        #[test]
        fn random_bytes_decode_as_encoding_rs_does(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..24)) {
            proptest::prop_assert_eq!(decode(&bytes, true).unwrap(), reference(&bytes));
            let strict = encoding_rs::GBK
                .decode_without_bom_handling_and_without_replacement(&bytes)
                .map(|c| c.into_owned());
            proptest::prop_assert_eq!(decode(&bytes, false), strict);
        }

        #[test]
        fn gbk_bytes_biased_to_lead_bytes_decode_as_encoding_rs_does(
            bytes in proptest::collection::vec(proptest::prop_oneof![0x81..=0xFEu8, 0x30..=0x39u8, 0x40..=0x7Eu8, proptest::prelude::any::<u8>()], 0..16)
        ) {
            proptest::prop_assert_eq!(decode(&bytes, true).unwrap(), reference(&bytes));
        }
    }
}
